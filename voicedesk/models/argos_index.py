"""The Argos Translate package index: fetched with a timeout, cached on disk, parsed by us.

argostranslate's own `get_available_packages()` retries itself into a RecursionError when offline
(CONTRIBUTING.md, environment facts), so it is never called: this module fetches and parses `index.json` itself.
The URL is `VOICEDESK_ARGOS_INDEX_URL` (default: the official index).

Only https is fetched (plain http only from this computer's loopback, as a local mirror or a test
server): an index that lists `file://`, `ftp://` or other links cannot make the app read local files
or talk other protocols, and a redirect may not leave https either (`url_problem`, `open_url`).
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlparse

from voicedesk.i18n import translate
from voicedesk.models.argos_files import is_language_code
from voicedesk.models.progress import DownloadError, NetworkUnavailable

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
INDEX_URL_ENV = "VOICEDESK_ARGOS_INDEX_URL"
INDEX_TIMEOUT_S = 10.0
MAX_INDEX_BYTES = 16 << 20


@dataclass(frozen=True)
class IndexEntry:
    """One downloadable translation package."""

    from_code: str
    to_code: str
    from_name: str
    to_name: str
    version: str
    links: tuple[str, ...]
    sha256: Optional[str] = None       # only when the index gives one
    size: Optional[int] = None
    refused_links: tuple[str, ...] = ()   # links the index gave that are not https (never fetched)

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    @property
    def label(self) -> str:
        return f"{self.from_name or self.from_code} → {self.to_name or self.to_code}"

    @property
    def file_name(self) -> str:
        # the version is free text from the index too: only letters and digits of it go into the name
        version = re.sub(r"[^0-9A-Za-z]+", "_", self.version).strip("_") or "0"
        return f"translate-{self.from_code}_{self.to_code}-{version}.argosmodel"


@dataclass(frozen=True)
class IndexListing:
    entries: tuple[IndexEntry, ...]
    fetched_at: float                  # when this copy was fetched (epoch seconds)
    from_cache: bool                   # True: the network failed and this is the cached copy
    problem: Optional[str] = None      # why the online fetch failed, when from_cache

    def find(self, from_code: str, to_code: str) -> Optional[IndexEntry]:
        matches = [e for e in self.entries if e.from_code == from_code and e.to_code == to_code]
        return max(matches, key=lambda e: _version_key(e.version)) if matches else None


def _is_loopback(host: Optional[str]) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(url: str) -> Optional[str]:
    """Why `url` must not be fetched, or None: only https, and plain http only to this computer."""
    try:
        parts = urlparse(url)
        host = parts.hostname
    except ValueError:
        return f"the link {url[:80]!r} is not a valid address"
    scheme = parts.scheme.lower()
    if scheme == "https" and host:
        return None
    if scheme == "http" and _is_loopback(host):
        return None
    where = f"{scheme}://{host or ''}" if scheme else repr(url[:80])
    return f"the link {where} was refused: only https links are used"


class RefusedRedirect(urllib.error.URLError):
    """A server redirected to an address `url_problem` refuses (or from https down to http)."""


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        problem = url_problem(newurl)
        if problem is None and urlparse(req.full_url).scheme == "https" and urlparse(newurl).scheme != "https":
            problem = "a redirect from https to plain http was refused"
        if problem:
            raise RefusedRedirect(problem)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def open_url(url: str, timeout: float):
    """urlopen for the index and the packs: http(s) handlers only, redirects checked, `url` checked first.

    Raises ValueError for a refused `url`, and OSErrors (URLError, HTTPError, timeouts) as urlopen does.
    """
    problem = url_problem(url)
    if problem:
        raise ValueError(problem)
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.UnknownHandler(), urllib.request.HTTPHandler(),
                    urllib.request.HTTPSHandler(), urllib.request.HTTPDefaultErrorHandler(), _CheckedRedirects(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener.open(url, timeout=timeout)


def index_url() -> str:
    return os.environ.get(INDEX_URL_ENV) or DEFAULT_INDEX_URL


def default_cache_file() -> Path:
    from voicedesk.paths import user_cache_dir

    return user_cache_dir() / "argos-index.json"


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def _checksum(item: dict[str, Any]) -> Optional[str]:
    for key in ("sha256", "checksum", "hash"):
        value = item.get(key)
        if isinstance(value, str) and value:
            value = value.lower().removeprefix("sha256:")
            if len(value) == 64:
                return value
    return None


def parse_index(data: Any) -> list[IndexEntry]:
    """Translation packages from the index JSON; malformed entries (bad language codes too) are skipped."""
    if not isinstance(data, list):
        raise ValueError("the package index is not a list")
    entries = []
    for item in data:
        if not isinstance(item, dict) or item.get("type", "translate") != "translate":
            continue
        src, dst, links = item.get("from_code"), item.get("to_code"), item.get("links")
        if not (is_language_code(src) and is_language_code(dst) and isinstance(links, list) and links):
            continue        # a code becomes part of the download's file name and is shown in the dialog
        size = item.get("size")
        links = [str(link) for link in links]
        entries.append(IndexEntry(
            from_code=src, to_code=dst, from_name=str(item.get("from_name", "")), to_name=str(item.get("to_name", "")),
            version=str(item.get("package_version", "")),
            links=tuple(link for link in links if url_problem(link) is None),
            sha256=_checksum(item), size=size if isinstance(size, int) else None,
            refused_links=tuple(link for link in links if url_problem(link) is not None),
        ))
    return sorted(entries, key=lambda e: (e.from_code, e.to_code, _version_key(e.version)))


def cached_index(cache_file: Optional[Path] = None) -> Optional[IndexListing]:
    """The index as last fetched, without any network; None when there is no readable copy."""
    path = cache_file or default_cache_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return IndexListing(tuple(parse_index(data)), path.stat().st_mtime, from_cache=True)
    except (OSError, ValueError):
        return None


def fetch_index(url: Optional[str] = None, cache_file: Optional[Path] = None,
                timeout: float = INDEX_TIMEOUT_S) -> IndexListing:
    """The index from `url`, cached on success; the cached copy when offline.

    Raises NetworkUnavailable when the index cannot be fetched and nothing is cached.
    """
    url = url or index_url()
    path = cache_file or default_cache_file()
    try:
        with open_url(url, timeout) as response:
            raw = response.read(MAX_INDEX_BYTES + 1)
        if len(raw) > MAX_INDEX_BYTES:
            raise ValueError("the package index is too large")
        data = json.loads(raw)
        entries = parse_index(data)
    except (OSError, ValueError) as exc:   # URLError, timeouts and HTTP errors are OSErrors
        problem = _network_problem(url, exc)
        cached = cached_index(path)
        if cached is None:
            raise NetworkUnavailable(translate(
                "LanguagePacks", "{reason}, and no copy of the package list is saved on this computer").format(
                reason=problem)) from exc
        return IndexListing(cached.entries, cached.fetched_at, from_cache=True, problem=problem)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(raw)
        os.replace(tmp, path)
    except OSError:
        pass   # a read-only cache only costs the offline listing
    return IndexListing(tuple(entries), time.time(), from_cache=False)


def _network_problem(url: str, exc: BaseException) -> str:
    host = urlparse(url).netloc or url
    if isinstance(exc, RefusedRedirect) or (isinstance(exc, urllib.error.HTTPError) and 300 <= exc.code < 400):
        return f"The Argos package index at {host} redirected elsewhere; redirect refused ({exc.reason})"
    if isinstance(exc, urllib.error.HTTPError):
        return f"The Argos package index at {host} answered HTTP {exc.code}"
    if isinstance(exc, ValueError):
        return f"The Argos package index at {host} is not valid ({exc})"
    reason = getattr(exc, "reason", exc)
    return f"Cannot reach the Argos package index at {host} (no network?): {reason}"


def download_error(url: str, exc: BaseException) -> DownloadError:
    """A one-line DownloadError for a failed package download."""
    host = urlparse(url).netloc or url
    if isinstance(exc, RefusedRedirect) or (isinstance(exc, urllib.error.HTTPError) and 300 <= exc.code < 400):
        return DownloadError(translate(
            "LanguagePacks", "The package server {host} redirected elsewhere; redirect refused ({reason})").format(
            host=host, reason=exc.reason))
    if isinstance(exc, urllib.error.HTTPError):
        return DownloadError(translate(
            "LanguagePacks", "The package server {host} answered HTTP {code}").format(host=host, code=exc.code))
    if isinstance(exc, (urllib.error.URLError, TimeoutError, ConnectionError)):
        return NetworkUnavailable(translate(
            "LanguagePacks", "Cannot reach the package server {host} (no network?): {reason}").format(
            host=host, reason=getattr(exc, "reason", exc)))
    return DownloadError(translate(
        "LanguagePacks", "The download from {host} broke off: {reason}").format(host=host, reason=exc))
