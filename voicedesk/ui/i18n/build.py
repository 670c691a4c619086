"""The translation cycle in one command: lupdate the sources into the .ts files, report, lrelease to .qm.

    python -m voicedesk.ui.i18n.build            # update the .ts files, list what needs Spanish, build the .qm
    python -m voicedesk.ui.i18n.build --check    # exit 1 (with the list) when a string has no translation
    python -m voicedesk.ui.i18n.build --release-only DIR   # only compile the .qm files into DIR (packaging)
    python -m voicedesk.ui.i18n.build --fill es.json  # put translations from a JSON file into voicedesk_es.ts

A `--fill` file maps an English source (or "Context|source" where one English text needs two
translations) to its translation, or to a list of plural forms; only messages still unfinished
are filled. Qt Linguist (`pyside6-linguist voicedesk/ui/i18n/voicedesk_es.ts`) edits the .ts too.

The .ts files (committed) are the source; the .qm files are built from them and not committed.
`voicedesk_en.ts` holds only the plural forms (`%n`), which English needs too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

I18N_DIR = Path(__file__).resolve().parent
PACKAGE_DIR = I18N_DIR.parent.parent          # voicedesk/
TRANSLATED = ("es",)                          # full translations; English gets its plural forms only
ALL_LANGUAGES = ("en",) + TRANSLATED


def ts_path(language: str, folder: Path = I18N_DIR) -> Path:
    return folder / f"voicedesk_{language}.ts"


def qm_name(language: str) -> str:
    return f"voicedesk_{language}.qm"


def source_files(package: Path = PACKAGE_DIR) -> list[Path]:
    """Every Python file of voicedesk: the UI's strings and the core's `translate(...)` messages."""
    return sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)


def _qt_tool(name: str) -> str:
    """PySide6's own copy of lupdate/lrelease (PySide6's wheel ships them beside the package)."""
    import PySide6

    folder = Path(PySide6.__file__).resolve().parent
    exe = folder / (f"{name}.exe" if sys.platform == "win32" else name)
    if not exe.is_file():
        raise FileNotFoundError(f"{exe} not found: PySide6 is installed without its Qt tools")
    return os.fspath(exe)


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(cmd[0]).name} failed ({result.returncode}): {result.stderr.strip()}")


def update(ts: Path, language: str, files: list[Path], plural_only: bool = False) -> None:
    """Run lupdate over `files` into `ts`: new strings come in unfinished, vanished ones go, translations stay."""
    cmd = [_qt_tool("lupdate"), *map(os.fspath, files), "-target-language", language, "-source-language", "en",
           "-locations", "none", "-no-obsolete", "-silent"]
    if plural_only:
        cmd.append("-pluralonly")
    _run(cmd + ["-ts", os.fspath(ts)])


def release(ts: Path, qm: Path) -> None:
    """Compile `ts` into `qm` (unfinished messages are left out: Qt then shows the English source)."""
    qm.parent.mkdir(parents=True, exist_ok=True)
    _run([_qt_tool("lrelease"), "-silent", os.fspath(ts), "-qm", os.fspath(qm)])


def release_all(out_dir: Path, folder: Path = I18N_DIR) -> list[Path]:
    """Every language's .qm into `out_dir`; the files written."""
    written = []
    for language in ALL_LANGUAGES:
        if ts_path(language, folder).is_file():
            release(ts_path(language, folder), out_dir / qm_name(language))
            written.append(out_dir / qm_name(language))
    return written


@dataclass(frozen=True)
class Untranslated:
    context: str
    source: str


def untranslated(ts: Path) -> list[Untranslated]:
    """Messages of `ts` with no finished translation (empty, or still marked unfinished)."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [] if translation is None else (
                [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""])
            if (translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete")
                    or not all(form.strip() for form in forms)):
                missing.append(Untranslated(name, message.findtext("source", "")))
    return missing


def fill(ts: Path, translations: dict[str, Any]) -> int:
    """Give the unfinished messages of `ts` the translations found in `translations`; how many were filled."""
    tree = ET.parse(ts)
    filled = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            source = message.findtext("source", "")
            text = translations.get(f"{name}|{source}", translations.get(source))
            if translation is None or translation.get("type") != "unfinished" or not text:
                continue
            forms = text if isinstance(text, list) else [text]
            for child in list(translation):
                translation.remove(child)
            if message.get("numerus") == "yes":
                translation.text = None
                for form in forms:
                    ET.SubElement(translation, "numerusform").text = form
            else:
                translation.text = forms[0]
            del translation.attrib["type"]
            filled += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def update_all(folder: Path = I18N_DIR, package: Path = PACKAGE_DIR) -> dict[str, list[Untranslated]]:
    """lupdate every .ts; what each language still lacks."""
    files = source_files(package)
    update(ts_path("en", folder), "en", files, plural_only=True)
    for language in TRANSLATED:
        update(ts_path(language, folder), language, files)
    return {language: untranslated(ts_path(language, folder)) for language in ALL_LANGUAGES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voicedesk.ui.i18n.build", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a string has no translation")
    parser.add_argument("--release-only", metavar="DIR", type=Path, help="only compile the .qm files into DIR")
    parser.add_argument("--fill", metavar="JSON", type=Path, help="translations to put into the .ts first")
    parser.add_argument("--language", default="es", choices=ALL_LANGUAGES, help="the .ts that --fill fills")
    args = parser.parse_args(argv)
    if args.fill:
        update_all()   # strings added since the last run are in the .ts to be filled
        count = fill(ts_path(args.language), json.loads(args.fill.read_text(encoding="utf-8")))
        print(f"{ts_path(args.language).name}: {count} translations filled in")
    if args.release_only:
        for path in release_all(args.release_only):
            print(f"built {path}")
        return 0
    if args.check:   # a copy is updated: checking changes nothing
        with tempfile.TemporaryDirectory() as tmp:
            for language in ALL_LANGUAGES:
                if ts_path(language).is_file():
                    shutil.copy2(ts_path(language), ts_path(language, Path(tmp)))
            missing = update_all(Path(tmp))
    else:
        missing = update_all()
    for language, messages in missing.items():
        print(f"{ts_path(language).name}: {len(messages)} without translation")
        for message in messages:
            print(f"  [{message.context}] {message.source!r}")
    if args.check:
        return 1 if any(missing.values()) else 0
    for path in release_all(I18N_DIR):
        print(f"built {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
