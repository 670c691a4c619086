"""An Argos language pack file (`.argosmodel`): checking it and installing it (Qt-free, no network).

The leaf of the Argos side of `voicedesk.models`: it imports nothing of the project, so the engine's
translation routes (`voicedesk.engine.translate_routes`) import their error type and the pivot
language from here, and never the other way round.

argostranslate installs a pack with `zipfile.extractall`, which trusts the archive. Before that we
check what argostranslate does not: a readable zip whose CRCs match, exactly one top folder with a
metadata.json, no path escaping that folder, and a bounded unpacked size. The size check reads only
the central directory (each member's declared `file_size`), so a zip bomb is refused in
milliseconds; Python's zipfile never writes more than a member's declared size (and then fails its
CRC), so the declared sizes bound what extraction can write.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path, PurePosixPath
from typing import Iterable, Optional

from voicedesk.i18n import translate

PIVOT = "en"                               # the language routes go through when no direct pack exists

MAX_UNPACKED_BYTES = 2 << 30               # real packs unpack to a few hundred MB
MAX_EXPANSION = 50                         # unpacked / packed; real packs (model weights) are below 5
EXPANSION_FLOOR_BYTES = 1 << 20            # tiny archives may expand more (text files); it costs nothing
MAX_MEMBERS = 10_000


class TranslationError(Exception):
    """Translation or a language pack cannot be used; the message is one user-facing line."""


def unpacked_size_problem(members: Iterable[zipfile.ZipInfo], archive_bytes: int,
                          name: str = "The language pack") -> Optional[str]:
    """Why an archive of `archive_bytes` holding `members` must not be unpacked, or None when it may."""
    members = list(members)
    if len(members) > MAX_MEMBERS:
        return f"{name} holds {len(members):,} files (at most {MAX_MEMBERS:,}); it is not a language pack"
    total = sum(max(0, m.file_size) for m in members)
    if total > EXPANSION_FLOOR_BYTES and total > MAX_EXPANSION * max(archive_bytes, 1):
        return (f"{name} would unpack to {total / 1e6:,.0f} MB from {archive_bytes / 1e6:,.2f} MB "
                f"(more than {MAX_EXPANSION}x); refused as a zip bomb")
    if total > MAX_UNPACKED_BYTES:
        return (f"{name} would unpack to {total / 1e9:.1f} GB (at most {MAX_UNPACKED_BYTES / 1e9:.1f} GB); "
                f"refused")
    return None


def _refuse_oversized(archive: zipfile.ZipFile, path: Path) -> None:
    problem = unpacked_size_problem(archive.infolist(), path.stat().st_size, path.name)
    if problem:
        raise TranslationError(problem)


def check_archive(path: Path) -> tuple[str, str]:
    """The (from, to) of a .argosmodel file, or TranslationError saying why it cannot be installed."""
    path = Path(path)
    if not path.is_file():
        raise TranslationError(translate(
            "LanguagePacks", "Language pack file not found: {path}").format(path=path))
    if not zipfile.is_zipfile(path):
        raise TranslationError(translate(
            "LanguagePacks", "{name} is not a language pack (not a zip archive; damaged download?)").format(
            name=path.name))
    try:
        with zipfile.ZipFile(path) as archive:
            _refuse_oversized(archive, path)          # before testzip(), which inflates every member
            names = archive.namelist()
            tops = {PurePosixPath(n).parts[0] for n in names if n.strip("/")}
            unsafe = [n for n in names if n.startswith("/") or ".." in PurePosixPath(n).parts or ":" in n]
            if unsafe or len(tops) != 1:
                raise TranslationError(translate(
                    "LanguagePacks", "{name} is not a language pack (it must hold exactly one package folder)").format(
                    name=path.name))
            bad = archive.testzip()
            if bad is not None:
                raise TranslationError(translate(
                    "LanguagePacks", "{name} is damaged ({bad} fails its checksum); download it again").format(
                    name=path.name, bad=bad))
    except zipfile.BadZipFile as exc:
        raise TranslationError(translate(
            "LanguagePacks", "{name} is damaged ({reason}); download it again").format(
            name=path.name, reason=exc)) from exc
    except (OSError, EOFError) as exc:   # zlib/EOF errors on truncated members
        raise TranslationError(translate(
            "LanguagePacks", "{name} is damaged ({reason}); download it again").format(
            name=path.name, reason=exc)) from exc
    return _pair_of(path)


def _pair_of(path: Path) -> tuple[str, str]:
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.count("/") == 1 and n.endswith("/metadata.json")]
        if not names:
            raise TranslationError(translate(
                "LanguagePacks", "{name} is not an Argos language package (no metadata.json inside)").format(
                name=path.name))
        try:
            metadata = json.loads(archive.read(names[0]))
        except ValueError as exc:
            raise TranslationError(translate(
                "LanguagePacks", "{name} has unreadable metadata ({reason})").format(
                name=path.name, reason=exc)) from exc
    pair = (metadata.get("from_code"), metadata.get("to_code"))
    if metadata.get("type", "translate") != "translate" or not all(isinstance(c, str) and c for c in pair):
        raise TranslationError(translate(
            "LanguagePacks", "{name} is not a translation package").format(name=path.name))
    return pair  # type: ignore[return-value]


def install_package_file(path: Path) -> tuple[str, str]:
    """Install a downloaded `.argosmodel` with argostranslate's own installer; returns its (from, to).

    Checks only what installing needs (a zip, not oversized, with metadata); `check_archive` checks more.
    """
    from argostranslate import package

    path = Path(path)
    if not path.is_file():
        raise TranslationError(translate(
            "LanguagePacks", "Language package file not found: {path}").format(path=path))
    try:
        with zipfile.ZipFile(path) as archive:
            _refuse_oversized(archive, path)
            metadata_names = [n for n in archive.namelist() if n.count("/") == 1 and n.endswith("/metadata.json")]
            if not metadata_names:
                raise TranslationError(translate(
                    "LanguagePacks", "{name} is not an Argos language package (no metadata.json inside)").format(
                    name=path.name))
            metadata = json.loads(archive.read(metadata_names[0]))
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TranslationError(translate(
            "LanguagePacks", "{name} is not an Argos language package ({reason})").format(
            name=path.name, reason=exc)) from exc
    pair = (metadata.get("from_code"), metadata.get("to_code"))
    if not all(isinstance(code, str) and code for code in pair):
        raise TranslationError(translate(
            "LanguagePacks", "{name} does not say which languages it translates").format(name=path.name))
    try:
        package.install_from_path(path)
    except OSError as exc:
        raise TranslationError(translate(
            "LanguagePacks", "Could not install {name}: {reason}").format(name=path.name, reason=exc)) from exc
    return pair  # type: ignore[return-value]
