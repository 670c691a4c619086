"""Installed Argos language packs: list, the pairs they reach, install (file or index), uninstall.

Installing goes through `argos_files.install_package_file` (unpacked aside, then renamed into
argostranslate's package folder, never over another pair's pack), after `argos_files.check_archive`'s
checks, which argostranslate does not make: a readable zip whose CRCs match, one top folder with a
metadata.json, no paths escaping the package folder, a bounded unpacked size; and the index's SHA-256
when it gives one. Every language code (typed, from a pack, from the index) passes
`argos_files.is_language_code` before it becomes part of a path or a label.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import threading
import urllib.error
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from voicedesk.i18n import translate
from voicedesk.models import argos_internals
from voicedesk.models.argos_files import (
    PIVOT,
    TranslationError,
    check_archive,
    install_package_file,
    is_language_code,
)
from voicedesk.models.argos_index import IndexEntry, download_error, open_url, url_problem
from voicedesk.models.progress import (DownloadCancelled, DownloadError, ProgressCallback, copy_with_progress,
                                       no_progress)
from voicedesk.models.safe_paths import path_inside

READ_CHUNK = 64 * 1024
DOWNLOAD_TIMEOUT_S = 20.0
_SEPARATORS = re.compile(r"\s*(?:->|→|_|-|:|\s)\s*")


@dataclass(frozen=True)
class InstalledPack:
    from_code: str
    to_code: str
    from_name: str
    to_name: str
    version: str
    path: Path

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    @property
    def label(self) -> str:
        return f"{self.from_name or self.from_code} → {self.to_name or self.to_code}"


@dataclass(frozen=True)
class ReachablePair:
    source: str
    target: str
    via: tuple[str, ...] = ()      # ("en",) when it goes through English

    @property
    def label(self) -> str:
        through = f" (through {', '.join(self.via)})" if self.via else ""
        return f"{self.source} → {self.target}{through}"


def parse_pair(text: str) -> tuple[str, str]:
    """'es-en', 'es_en', 'es→en', 'es:en', 'translate-es_en' -> ('es', 'en'); raises TranslationError."""
    cleaned = text.strip().lower().removeprefix("translate-")
    parts = [p for p in _SEPARATORS.split(cleaned) if p]
    if len(parts) != 2 or not all(map(is_language_code, parts)):
        raise TranslationError(translate(
            "LanguagePacks", "'{text}' is not a language pair; write it like es-en (from Spanish to English)").format(
            text=text))
    return parts[0], parts[1]


def installed_packs() -> list[InstalledPack]:
    from argostranslate import package

    try:
        packages = package.get_installed_packages()
    except (OSError, ValueError) as exc:
        raise TranslationError(translate(
            "LanguagePacks", "Cannot read the installed Argos language packages: {reason}").format(reason=exc)) from exc
    # A pack another tool installed may declare any text as its codes: such a pack is left out, so that
    # "../../x" or "<b>y</b>" never reaches a path or a label.
    packs = [
        InstalledPack(p.from_code, p.to_code, p.from_name or "", p.to_name or "", str(p.package_version or ""),
                      Path(p.package_path))
        for p in packages if p.type == "translate" and is_language_code(p.from_code) and is_language_code(p.to_code)
    ]
    return sorted(packs, key=lambda p: (p.from_code, p.to_code))


def reachable_pairs() -> list[ReachablePair]:
    """Every pair the installed packs translate: direct ones, then those that go through English."""
    direct = {(p.from_code, p.to_code) for p in installed_packs()}
    pairs = [ReachablePair(s, t) for s, t in sorted(direct)]
    via = sorted({(s, t) for s, mid in direct if mid == PIVOT for m, t in direct
                  if m == PIVOT and s != t and (s, t) not in direct})
    return pairs + [ReachablePair(s, t, (PIVOT,)) for s, t in via]


def install_file(path: Path | str) -> tuple[str, str]:
    """Install a .argosmodel file after checking it; returns its (from, to). Raises TranslationError."""
    path = Path(path).expanduser()
    check_archive(path)
    pair = install_package_file(path)
    _forget_cached_translations()
    return pair


def uninstall(pair: str) -> InstalledPack:
    """Remove the installed pack for 'es-en' (any spelling parse_pair accepts). Raises TranslationError."""
    from argostranslate import package

    src, dst = parse_pair(pair)
    for p in package.get_installed_packages():
        if p.type == "translate" and (p.from_code, p.to_code) == (src, dst):
            found = InstalledPack(p.from_code, p.to_code, p.from_name or "", p.to_name or "",
                                  str(p.package_version or ""), Path(p.package_path))
            try:
                package.uninstall(p)
            except OSError as exc:
                raise TranslationError(translate(
                    "LanguagePacks", "Could not remove the {src}→{dst} language pack: {reason}").format(
                    src=src, dst=dst, reason=exc.strerror or exc)) from exc
            _forget_cached_translations()
            return found
    raise TranslationError(translate(
        "LanguagePacks", "No {src}→{dst} language pack is installed").format(src=src, dst=dst))


def _forget_cached_translations() -> None:
    argos_internals.forget_installed_translations()


def downloads_dir() -> Path:
    from voicedesk.paths import user_cache_dir

    return user_cache_dir() / "argos-downloads"


def download_pack(entry: IndexEntry, progress_cb: ProgressCallback = no_progress,
                  cancel_event: Optional[threading.Event] = None, target_dir: Optional[Path] = None,
                  timeout: float = DOWNLOAD_TIMEOUT_S) -> Path:
    """Download `entry` (first working link) to a file; a partial file never remains. Checks size and SHA-256."""
    cancel = cancel_event or threading.Event()
    folder = target_dir or downloads_dir()
    # parse_index drops entries with bad codes, but an entry may be built elsewhere: the codes name the file
    final = path_inside(folder, entry.file_name) if is_language_code(entry.from_code) and is_language_code(
        entry.to_code) else None
    if final is None:
        raise DownloadError(translate(
            "LanguagePacks", "The language pack {pair} was not downloaded: the package index gives language codes "
            "that are not language codes (like en or es)").format(
            pair=" → ".join(ascii(code) for code in (entry.from_code, entry.to_code))))
    folder.mkdir(parents=True, exist_ok=True)
    part = final.with_name(final.name + ".part")
    last_error: Optional[DownloadError] = None
    for url in entry.links:
        problem = url_problem(url)           # parse_index drops these; an entry may be built elsewhere
        if problem:
            last_error = DownloadError(translate(
                "LanguagePacks", "The {pair} language pack was not downloaded: {reason}").format(
                pair=entry.pair, reason=problem))
            continue
        try:
            _fetch(url, part, entry, progress_cb, cancel, timeout)
        except DownloadCancelled:
            part.unlink(missing_ok=True)
            raise
        except DownloadError as exc:
            part.unlink(missing_ok=True)
            if not _retry_elsewhere(exc):
                raise
            last_error = exc
            continue
        os.replace(part, final)
        return final
    if last_error is None and entry.refused_links:
        last_error = DownloadError(translate(
            "LanguagePacks", "The {pair} language pack was not downloaded: {reason}").format(
            pair=entry.pair, reason=url_problem(entry.refused_links[0])))
    raise last_error or DownloadError(translate(
        "LanguagePacks", "The {pair} language pack has no download link").format(pair=entry.pair))


def _retry_elsewhere(exc: DownloadError) -> bool:
    return not isinstance(exc, _ChecksumMismatch)


class _ChecksumMismatch(DownloadError):
    pass


def _fetch(url: str, part: Path, entry: IndexEntry, progress_cb: ProgressCallback, cancel: threading.Event,
           timeout: float) -> None:
    digest = hashlib.sha256()
    try:
        with open_url(url, timeout) as response, open(part, "wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else entry.size

            def write(chunk: bytes) -> None:
                out.write(chunk)
                digest.update(chunk)

            done = copy_with_progress(response.read, write, total, entry.pair, progress_cb, cancel, READ_CHUNK)
    except (OSError, http.client.HTTPException) as exc:   # URLError, timeouts, IncompleteRead, disk full
        if cancel.is_set():
            raise DownloadCancelled() from exc
        if isinstance(exc, OSError) and exc.filename and not isinstance(exc, urllib.error.URLError):
            # a local file error (HTTPError also carries a filename: the URL)
            raise DownloadError(translate(
                "LanguagePacks", "Cannot save the language pack: {reason}").format(reason=exc.strerror)) from exc
        raise download_error(url, exc) from exc
    if total is not None and done != total:
        raise DownloadError(translate(
            "LanguagePacks", "The download of the {pair} language pack broke off ({done} of {total} bytes)").format(
            pair=entry.pair, done=done, total=total))
    if entry.sha256 and digest.hexdigest() != entry.sha256:
        raise _ChecksumMismatch(
            translate(
            "LanguagePacks", "The downloaded {pair} language pack does not match the index's checksum; it was "
            "discarded").format(
            pair=entry.pair))


def install_from_index(entry: IndexEntry, progress_cb: ProgressCallback = no_progress,
                       cancel_event: Optional[threading.Event] = None, target_dir: Optional[Path] = None) -> tuple[str, str]:
    """Download, check and install one pack from the index; the downloaded file is deleted afterwards."""
    path = download_pack(entry, progress_cb, cancel_event, target_dir)
    try:
        if cancel_event is not None and cancel_event.is_set():
            raise DownloadCancelled()
        return install_file(path)
    finally:
        path.unlink(missing_ok=True)
