"""An Argos language pack file (`.argosmodel`): checking it and installing it (Qt-free, no network).

The leaf of the Argos side of `voicedesk.models`: it imports nothing of the project but the
dependency-free `safe_paths`, so the engine's translation routes (`voicedesk.engine.translation.routes`)
import their error type and the pivot language from here, and never the other way round.

argostranslate installs a pack with `zipfile.extractall`, which trusts the archive. Before that we
check what argostranslate does not: a readable zip whose CRCs match, exactly one top folder with a
metadata.json, no path escaping that folder, and a bounded unpacked size. The size check reads only
the central directory (each member's declared `file_size`), so a zip bomb is refused in
milliseconds; Python's zipfile never writes more than a member's declared size (and then fails its
CRC), so the declared sizes bound what extraction can write.

Installing does not use argostranslate's `install_from_path`, which unpacks straight into the package
folder: a pack whose folder is named like an installed one (a mislabelled de→en archive using the en→es
folder name) silently overwrote that pack, and a failed unpack left half a pack that argostranslate then
lists. Here the pack is unpacked into a temporary folder, checked, and renamed into place; a folder that
holds a different pair is never replaced. Language codes are checked (`is_language_code`) before they
become part of a path or reach a label.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Optional, TypeGuard

from voicedesk.i18n import translate
from voicedesk.models import argos_internals
from voicedesk.models.safe_paths import path_inside

PIVOT = "en"                               # the language routes go through when no direct pack exists

MAX_UNPACKED_BYTES = 2 << 30               # real packs unpack to a few hundred MB
MAX_EXPANSION = 50                         # unpacked / packed; real packs (model weights) are below 5
EXPANSION_FLOOR_BYTES = 1 << 20            # tiny archives may expand more (text files); it costs nothing
MAX_MEMBERS = 10_000

# An ISO 639 code as Argos spells it ("en", "zt", "pb", "haw"), with at most two BCP 47 subtags ("zh-Hant").
# Codes name files and folders and are shown in labels: no separators, dots, spaces or markup may get in.
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,2}")
INSTALLING_PREFIX = ".voicedesk-installing-"


class TranslationError(Exception):
    """Translation or a language pack cannot be used; the message is one user-facing line."""


def is_language_code(code: object) -> TypeGuard[str]:
    """Whether `code` is a language code (see _LANGUAGE_CODE); the one check for codes from packs, the index
    and the command line. fullmatch, not `$`, which would let a trailing newline through."""
    return isinstance(code, str) and _LANGUAGE_CODE.fullmatch(code) is not None


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
    return _metadata_pair(metadata, path.name)


def _metadata_pair(metadata: Any, name: str) -> tuple[str, str]:
    """The (from, to) a pack's metadata.json declares; TranslationError unless both are language codes."""
    if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate":
        raise TranslationError(translate(
            "LanguagePacks", "{name} is not a translation package").format(name=name))
    pair = (metadata.get("from_code"), metadata.get("to_code"))
    if not all(isinstance(code, str) and code for code in pair):
        raise TranslationError(translate(
            "LanguagePacks", "{name} does not say which languages it translates").format(name=name))
    if not all(map(is_language_code, pair)):
        # repr (ascii) shows the code as data, whatever it holds ("../../x", "<b>y</b>", control characters)
        raise TranslationError(translate(
            "LanguagePacks", "{name} declares language codes {codes} that are not language codes (like en or "
            "es); it was not installed").format(name=name, codes=" → ".join(ascii(code) for code in pair)))
    return pair  # type: ignore[return-value]


def install_package_file(path: Path) -> tuple[str, str]:
    """Install a downloaded `.argosmodel` into argostranslate's package folder; returns its (from, to).

    Checks what installing needs (a zip, not oversized, with metadata declaring two language codes);
    `check_archive` checks more. Unpacks into a temporary folder and renames the pack into place: an
    installed pack of another pair is never replaced (TranslationError), one of the same pair is (an update).
    """
    from argostranslate import settings

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
            pair = _metadata_pair(json.loads(archive.read(metadata_names[0])), path.name)
            folder = metadata_names[0].split("/")[0]
            with argos_internals.package_lock():   # argostranslate's own lock: no listing or uninstall meanwhile
                _unpack_into_place(archive, folder, pair, Path(settings.package_data_dir), path.name)
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError, EOFError) as exc:
        raise TranslationError(translate(
            "LanguagePacks", "{name} is not an Argos language package ({reason})").format(
            name=path.name, reason=exc)) from exc
    except OSError as exc:
        raise TranslationError(translate(
            "LanguagePacks", "Could not install {name}: {reason}").format(
            name=path.name, reason=exc.strerror or exc)) from exc
    argos_internals.forget_installed_languages()
    return pair


def _unpack_into_place(archive: zipfile.ZipFile, folder: str, pair: tuple[str, str], packages: Path,
                       name: str) -> None:
    """Unpack `archive`'s pack `folder` into a temporary folder, then rename it to `packages/folder`."""
    target = path_inside(packages, folder)
    if target is None:
        raise TranslationError(translate(
            "LanguagePacks", "{name} is not a language pack (its folder {folder} is not a plain folder name)").format(
            name=name, folder=ascii(folder)))
    held = _installed_pair(target) if (target.exists() or target.is_symlink()) else None
    if held is not None and held != pair:
        what = (translate("LanguagePacks", "the {pair} language pack").format(pair="\u2192".join(held))
                if all(map(is_language_code, held)) else translate("LanguagePacks", "other files"))
        raise TranslationError(translate(
            "LanguagePacks", "{name} ({pair}) was not installed: its folder {folder} already holds {what}, "
            "which it would replace").format(name=name, pair="\u2192".join(pair), folder=folder, what=what))
    packages.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=INSTALLING_PREFIX, dir=_work_parent(packages)))
    try:
        try:
            archive.extractall(work)  # zipfile drops "..", drive letters and leading "/" from member names
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:   # a CRC or inflate failure midway
            raise TranslationError(translate(
                "LanguagePacks", "{name} is damaged ({reason}); download it again").format(
                name=name, reason=exc)) from exc
        unpacked = path_inside(work, folder)
        if unpacked is None or not (unpacked / "metadata.json").is_file():
            raise TranslationError(translate(
                "LanguagePacks", "{name} is not an Argos language package (no metadata.json inside)").format(
                name=name))
        if held is not None:          # the same pair again (an update): swap, and put it back if that fails
            previous = work / "previous"
            os.rename(target, previous)
            try:
                os.rename(unpacked, target)
            except OSError:
                os.rename(previous, target)
                raise
        else:
            os.rename(unpacked, target)   # fails, rather than merging, if the folder appeared meanwhile
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _installed_pair(folder: Path) -> Optional[tuple[str, str]]:
    """The (from, to) of the pack installed in `folder`; None when the folder is empty.

    A folder without readable metadata holds something else: ("?", "?"), which is no pack's pair, so it is
    never replaced either.
    """
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None if not any(folder.iterdir()) else ("?", "?")
    except (OSError, ValueError):
        return ("?", "?")
    if not isinstance(metadata, dict):
        return ("?", "?")
    return (str(metadata.get("from_code", "?")), str(metadata.get("to_code", "?")))


def _work_parent(packages: Path) -> Path:
    """Where to unpack before the rename: next to the package folder, because argostranslate takes every
    folder inside it for a pack (and fails on one without metadata.json); inside it only when the parent is
    on another disk (a rename cannot cross disks) or cannot be written."""
    parent = packages.parent
    try:
        if parent.stat().st_dev == packages.stat().st_dev and os.access(parent, os.W_OK):
            return parent
    except OSError:
        pass
    return packages
