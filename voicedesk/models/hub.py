"""The Hugging Face hub as faster-whisper uses it: cache location, endpoint, and one snapshot download
with progress and Cancel.

huggingface_hub reads HF_HOME / HF_HUB_CACHE / HF_ENDPOINT once, when it is imported; these helpers
read them at call time so that settings changed later (by the app, or a test) still apply.
Proxies (HTTP(S)_PROXY, NO_PROXY) are honoured by huggingface_hub's HTTP client itself.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import urlparse

from voicedesk.i18n import translate
from voicedesk.models.progress import (
    DownloadCancelled,
    DownloadError,
    NetworkUnavailable,
    Progress,
    ProgressCallback,
)

DEFAULT_ENDPOINT = "https://huggingface.co"
# Smaller reads than huggingface_hub's 10 MiB so that progress and Cancel react every MiB on slow links.
READ_CHUNK_BYTES = 1 << 20


def hub_cache_dir() -> Path:
    """The hub cache faster-whisper downloads into, by the same rules as huggingface_hub."""
    for key in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(key):
            return Path(os.environ[key]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser() / "huggingface" / "hub"


def hub_endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def repo_folder(repo_id: str) -> str:
    """The cache folder name of a model repository (`models--Org--name`)."""
    return "models--" + repo_id.replace("/", "--")


def _progress_bar_class(progress_cb: ProgressCallback, cancel: threading.Event, what: str,
                        known_total: Optional[int] = None):
    """A tqdm stand-in for snapshot_download: forwards the byte counter, raises when cancelled.

    snapshot_download grows its total as each file starts, so a small file that finishes first would
    read as 100%; `known_total` (the sizes listed by the hub beforehand) keeps the fraction honest.
    """
    from huggingface_hub.utils import tqdm as hf_tqdm

    lock = threading.Lock()

    class CallbackBar(hf_tqdm):
        def __init__(self, *args, **kwargs):
            kwargs["disable"] = True         # never draw on a terminal; we report through the callback
            self._bytes = kwargs.get("name") == "huggingface_hub.snapshot_download"
            self._done = int(kwargs.get("initial") or 0)
            super().__init__(*args, **kwargs)

        def update(self, n=1):
            if cancel.is_set():
                raise DownloadCancelled()
            if self._bytes and n:
                with lock:
                    self._done += int(n)
                    done, total = self._done, known_total or self.total
                progress_cb(Progress(done, int(total) if total else None, what))
            return None

        def refresh(self, *args, **kwargs):
            if cancel.is_set():
                raise DownloadCancelled()
            return None

    return CallbackBar


def snapshot(repo_id: str, cache_dir: Path, allow_patterns: list[str], progress_cb: ProgressCallback,
             cancel: threading.Event, what: str = "") -> Path:
    """Download `repo_id` into the hub-layout `cache_dir`; returns the snapshot folder.

    Raises DownloadCancelled, NetworkUnavailable or DownloadError (one-line messages).
    """
    from huggingface_hub import constants, snapshot_download

    constants.DOWNLOAD_CHUNK_SIZE = min(constants.DOWNLOAD_CHUNK_SIZE, READ_CHUNK_BYTES)
    if cancel.is_set():
        raise DownloadCancelled()
    total = _listed_size(repo_id, allow_patterns)
    try:
        folder = snapshot_download(
            repo_id,
            cache_dir=str(cache_dir),
            allow_patterns=allow_patterns,
            endpoint=hub_endpoint(),
            tqdm_class=_progress_bar_class(progress_cb, cancel, what, total),
            max_workers=4,
        )
    except DownloadCancelled:
        raise
    except Exception as exc:  # huggingface_hub and its HTTP client raise many kinds; the user needs one line
        if cancel.is_set():
            raise DownloadCancelled() from exc
        raise hub_error(exc, repo_id) from exc
    return Path(folder)


LIST_TIMEOUT_S = 10.0    # the file list is one small answer; no retries (the download itself reports trouble)


def _listed_size(repo_id: str, allow_patterns: list[str]) -> Optional[int]:
    """Bytes of the files the download will fetch, as the hub lists them; None when it cannot say.

    One request through the checked opener (proxies honoured, a timeout, no retries): huggingface_hub's own
    listing retries a refused connection with back-off for 23 s, which a user without network sat through
    before hearing "Cannot reach the model hub"."""
    import fnmatch
    import json
    from urllib.parse import quote

    from voicedesk.models.argos_index import open_url

    url = f"{hub_endpoint().rstrip('/')}/api/models/{quote(repo_id)}/tree/main?recursive=true"
    try:
        with open_url(url, timeout=LIST_TIMEOUT_S) as response:
            files = json.loads(response.read(4 << 20))
        sizes = [int(f["size"]) for f in files if isinstance(f, dict) and f.get("type") == "file"
                 and "size" in f and any(fnmatch.fnmatch(str(f.get("path")), pattern) for pattern in allow_patterns)]
    except (OSError, ValueError, TypeError, KeyError):   # the download itself reports network trouble properly
        return None
    return sum(sizes) or None


def _chain(exc: Optional[BaseException]) -> Iterator[BaseException]:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


# huggingface_hub's HTTP client depends on its major version (requests, then httpx, now httpx2): none of
# them is ours to import or declare. Their errors are told apart by class name, within those packages.
_HTTP_CLIENT_PACKAGES = frozenset({"requests", "urllib3", "httpx", "httpx2", "httpcore", "httpcore2"})
_UNREACHABLE_ERRORS = frozenset({"ConnectError", "ConnectTimeout", "TimeoutException", "Timeout", "ProxyError",
                                 "ConnectionError", "NewConnectionError"})
_TRANSFER_ERRORS = frozenset({"HTTPError", "TransportError", "RequestException", "ProtocolError"})


def _http_client_error_names(exc: BaseException) -> set[str]:
    """Class names in `exc`'s hierarchy that come from an HTTP client package (empty for anything else)."""
    return {cls.__name__ for cls in type(exc).__mro__
            if cls.__module__.partition(".")[0] in _HTTP_CLIENT_PACKAGES}


def hub_error(exc: BaseException, repo_id: str) -> DownloadError:
    """A one-line DownloadError for whatever huggingface_hub raised."""
    from huggingface_hub import errors

    host = urlparse(hub_endpoint()).netloc or hub_endpoint()
    for item in _chain(exc):
        client_errors = _http_client_error_names(item)
        if isinstance(item, errors.OfflineModeIsEnabled):
            return NetworkUnavailable(translate(
                "ModelDownload",
                "Downloads are switched off (HF_HUB_OFFLINE is set); choose a local model folder instead"))
        if client_errors & _UNREACHABLE_ERRORS:
            return NetworkUnavailable(translate(
                "ModelDownload", "Cannot reach the model hub at {host} (no network?): {reason}").format(
                host=host, reason=_first_line(item)))
        if isinstance(item, errors.RepositoryNotFoundError):
            return DownloadError(translate(
                "ModelDownload", "The model hub at {host} has no model {repo_id}").format(host=host, repo_id=repo_id))
        if isinstance(item, errors.HfHubHTTPError):
            status = getattr(getattr(item, "response", None), "status_code", "?")
            return DownloadError(translate(
                "ModelDownload",
                "The model hub at {host} answered HTTP {status} for {repo_id}; try again later").format(
                host=host, status=status, repo_id=repo_id))
        if client_errors & _TRANSFER_ERRORS:
            return DownloadError(translate(
                "ModelDownload", "The download from {host} broke off: {reason}; run it again to resume").format(
                host=host, reason=_first_line(item)))
    if isinstance(exc, OSError):
        return DownloadError(translate(
            "ModelDownload", "Could not save the model: {reason}").format(reason=exc.strerror or _first_line(exc)))
    return DownloadError(translate(
        "ModelDownload", "Download of {repo_id} failed: {reason}").format(repo_id=repo_id, reason=_first_line(exc)))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def endpoint_reachable(timeout: float = 3.0, endpoint: Optional[str] = None) -> bool:
    """Whether the hub answers at all (any HTTP status counts); for the welcome screen's "no network" line."""
    import socket

    url = urlparse(endpoint or hub_endpoint())
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname or "", port), timeout=timeout):
            return True
    except OSError:
        return False
