"""The third-party licence notice shipped in every bundle, built from the installed distributions.

Every Python distribution that voicedesk needs at run time (its requirement closure, markers
evaluated for this platform) is listed with its version, declared licence, home page and the
full text of every licence file it ships. Components that are not Python distributions (Python
itself, Qt inside the PySide6 wheel, PortAudio, FFmpeg inside PyAV, model weights) are listed
from a reviewed table. `policy_problems()` flags any licence that has not been reviewed as
compatible with distributing the bundle under voicedesk's licence (GPL-3.0-or-later).

    python packaging/licenses.py OUT_FILE [--bundle DIR]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

HERE = Path(__file__).resolve().parent
LICENSE_TEXTS = HERE / "licenses"
_LICENSE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE|ThirdPartyNotices)[^/]*$", re.IGNORECASE)

# Licences reviewed as compatible with distributing the whole bundle under GPL-3.0-or-later.
# Matched as whole words against the declared licence (SPDX expression, License field or classifier).
COMPATIBLE = (
    "MIT", "MIT-0", "MIT License", "BSD", "BSD License", "BSD-2-Clause", "BSD-3-Clause", "3-Clause BSD License", "BSD 3-clause", "0BSD",
    "ISC", "Zlib", "CC0-1.0", "PSF-2.0", "Python Software Foundation License", "CNRI-Python",
    "Apache-2.0", "Apache 2.0", "Apache Software License", "MPL-2.0",
    "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later",
    # AGPL-3.0 may be combined with GPL-3.0 works (section 13 of both licences)
    "GNU Affero General Public License v3", "AGPL-3.0-only", "AGPL-3.0-or-later",
)

# Distributions whose metadata declares no usable licence string: what their upstream says.
DECLARED_ELSEWHERE = {
    "ctranslate2": ("MIT", "https://github.com/OpenNMT/CTranslate2/blob/master/LICENSE"),
    "sentencepiece": ("Apache-2.0", "https://github.com/google/sentencepiece/blob/master/LICENSE"),
    "tokenizers": ("Apache-2.0", "https://github.com/huggingface/tokenizers/blob/main/LICENSE"),
    "flatbuffers": ("Apache-2.0", "https://github.com/google/flatbuffers/blob/master/LICENSE"),
}

# Full licence texts appended once, for distributions that refer to them without shipping them.
FULL_TEXTS = {"LGPL-3.0": "LGPL-3.0.txt", "GPL-3.0": "GPL-3.0.txt", "Apache-2.0": "Apache-2.0.txt"}


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    license: str
    url: str
    texts: tuple[tuple[str, str], ...] = ()   # (file name, file text)
    note: str = ""


# Parts of the bundle that are not Python distributions, reviewed by hand.
NON_PYTHON = (
    Component("Python", sys.version.split()[0], "PSF-2.0", "https://docs.python.org/3/license.html",
              note="The CPython interpreter and standard library, embedded by PyInstaller."),
    Component("PyInstaller bootloader", "", "GPL-2.0-or-later WITH Bootloader-exception",
              "https://github.com/pyinstaller/pyinstaller/blob/develop/COPYING.txt",
              note="The exception allows the bootloader in programs under any licence."),
    Component("Qt (in PySide6-Essentials)", "", "LGPL-3.0-only",
              "https://download.qt.io/official_releases/qt/",
              note="Qt's libraries and plugins are separate shared libraries in the bundle folder; you may "
                   "replace them with your own build of the same Qt version. Source: download.qt.io."),
    Component("PortAudio", "", "MIT", "https://github.com/PortAudio/portaudio/blob/master/LICENSE.txt",
              note="The system libportaudio2 on Linux, sounddevice's own copy on Windows and macOS."),
    Component("FFmpeg, x264, x265 (in PyAV)", "",
              "LGPL-3.0-or-later (FFmpeg); GPL-2.0-or-later (libx264, libx265)",
              "https://github.com/PyAV-Org/pyav-ffmpeg",
              note="PyAV's wheels link FFmpeg against libx264 and libx265, which are GPL-2.0-or-later; "
                   "voicedesk only decodes audio with them. Source: the pyav-ffmpeg build scripts and the "
                   "upstream tarballs they name."),
    Component("Silero VAD model (in faster-whisper)", "", "MIT", "https://github.com/snakers4/silero-vad/blob/master/LICENSE"),
    Component("Whisper model weights", "", "MIT", "https://github.com/openai/whisper/blob/main/LICENSE",
              note="Only in builds that embed a model."),
)


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions(root: str = "voicedesk") -> list[metadata.Distribution]:
    """`root`'s installed run-time requirement closure on this platform, without `root` itself."""
    found: dict[str, metadata.Distribution] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        if _key(name) in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional requirement that is not installed is not bundled either
        found[_key(name)] = dist
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                pending.append(req.name)
    found.pop(_key(root), None)
    return sorted(found.values(), key=lambda d: _key(d.metadata["Name"]))


def declared_license(dist: metadata.Distribution) -> str:
    """The licence a distribution declares: SPDX expression, else a short License field, else classifiers."""
    meta = dist.metadata
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    field = (meta.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= 80:
        return field
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return " OR ".join(classifiers)
    fallback = DECLARED_ELSEWHERE.get(_key(meta["Name"]))
    return fallback[0] if fallback else "UNKNOWN"


def _home_page(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "source", "repository", "source code"):
            return url.strip()
    fallback = DECLARED_ELSEWHERE.get(_key(meta["Name"]))
    return meta.get("Home-page") or (fallback[1] if fallback else "")


def _license_texts(dist: metadata.Distribution) -> tuple[tuple[str, str], ...]:
    texts = []
    for file in dist.files or []:
        if _LICENSE_FILE.search(str(file)) and not str(file).endswith((".py", ".pyc")):
            path = Path(dist.locate_file(file))
            if path.is_file():
                texts.append((str(file), path.read_text(encoding="utf-8", errors="replace").strip()))
    return tuple(texts)


def collect(root: str = "voicedesk") -> list[Component]:
    """One component per run-time distribution, then the non-Python parts."""
    components = [
        Component(dist.metadata["Name"], dist.version, declared_license(dist), _home_page(dist), _license_texts(dist))
        for dist in runtime_distributions(root)
    ]
    return components + list(NON_PYTHON)


def policy_problems(components: list[Component]) -> list[str]:
    """One line per component whose licence has not been reviewed as compatible (empty when all are)."""
    problems = []
    for comp in components:
        if comp in NON_PYTHON:
            continue
        words = re.split(r"\s+(?:AND|OR|WITH)\s+|\s*;\s*", comp.license)
        if not any(word.strip("() ") in COMPATIBLE for word in words):
            problems.append(f"{comp.name} {comp.version}: licence '{comp.license}' not reviewed")
    return problems


def system_library_notices(bundle: Path) -> list[Component]:
    """Debian copyright files for shared libraries a Linux bundle took from the system (PortAudio, ...)."""
    if not sys.platform.startswith("linux") or shutil.which("dpkg") is None:
        return []
    names = sorted({p.name for p in bundle.rglob("*.so*") if p.is_file() and "site-packages" not in str(p)})
    system = [n for n in names if Path("/usr/lib/x86_64-linux-gnu", n).exists() or Path("/lib/x86_64-linux-gnu", n).exists()]
    if not system:
        return []
    # dpkg -S answers "package:arch: /path" per owned file and fails only for the unowned ones
    result = subprocess.run(["dpkg", "-S", *system], capture_output=True, text=True)
    packages = sorted({line.split(":")[0] for line in result.stdout.splitlines() if ":" in line})
    components = []
    for package in packages:
        copyright_file = Path("/usr/share/doc", package, "copyright")
        if copyright_file.is_file():
            components.append(Component(f"{package} (Debian system library)", "", "see below",
                                        f"https://packages.debian.org/{package}",
                                        ((str(copyright_file), copyright_file.read_text(errors="replace").strip()),)))
    return components


def render(components: list[Component], project_license: str = "GPL-3.0-or-later") -> str:
    """The notice as plain text."""
    out = [
        "voicedesk: third-party software",
        "=" * 31,
        "",
        f"voicedesk itself is licensed under {project_license}. This bundle also contains the",
        "software below, each under its own licence. Summary first, full texts after.",
        "",
    ]
    width = min(32, max(len(c.name) for c in components))
    for comp in components:
        out.append(f"{comp.name:<{width}}  {comp.version:<12} {comp.license}")
    needed = {tag for tag in FULL_TEXTS if any(tag in c.license for c in components)}
    for comp in components:
        out += ["", "-" * 78, f"{comp.name} {comp.version}".rstrip(), f"Licence: {comp.license}"]
        if comp.url:
            out.append(f"Home: {comp.url}")
        if comp.note:
            out.append(comp.note)
        for name, text in comp.texts:
            out += ["", f"--- {name} ---", text]
    for tag in sorted(needed):
        out += ["", "=" * 78, f"Full text: {tag}", "=" * 78, (LICENSE_TEXTS / FULL_TEXTS[tag]).read_text().strip()]
    return "\n".join(out) + "\n"


def write_notice(out: Path, bundle: Path | None = None) -> list[str]:
    """Write the notice (plus system libraries found in `bundle`); returns the policy problems."""
    components = collect()
    if bundle is not None:
        components += system_library_notices(bundle)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(components), encoding="utf-8")
    return policy_problems(components)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--bundle", type=Path, help="a built one-folder bundle whose system libraries to add (Linux)")
    args = parser.parse_args(argv)
    problems = write_notice(args.out, args.bundle)
    for line in problems:
        print(f"licence check: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
