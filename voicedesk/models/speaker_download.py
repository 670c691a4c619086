"""Downloading the speaker model, with progress and Cancel (Qt-free; the CLI and the window share it).

The file is sherpa-onnx's ONNX export of 3D-Speaker's CAM++ (`speaker_model.py` says what the model is),
from `speaker_model_url()`: `VOICEDESK_SPEAKER_MODEL_URL` when set (a mirror, or a test's loopback
server), else sherpa-onnx's release on GitHub (which answers with a redirect to its https file host).

It is fetched the way Argos packs are (`argos_index.open_url`: https only, plain http only from this
computer's loopback, redirects checked; a timeout on connecting and on every read, so a dead network
never hangs the caller) into a temporary file in the speaker-models folder itself. Cancel or any failure
deletes that file; nothing else is touched. A complete file is checked (`inspect_speaker_model`) and then
renamed into place by `install_speaker_model(move=True)`, so an installed model is replaced only by one
that passed the check. Nothing here runs on a schedule: the model is fetched only when asked, and runs
afterwards work offline from the installed file.
"""

from __future__ import annotations

import http.client
import os
import tempfile
import threading
import time
import urllib.error
from pathlib import Path
from typing import Optional
from urllib.parse import urlparse

from voicedesk.i18n import translate
from voicedesk.models.argos_index import RefusedRedirect, open_url
from voicedesk.models.progress import (
    copy_with_progress,
    DownloadCancelled,
    DownloadError,
    NetworkUnavailable,
    Progress,
    ProgressCallback,
    no_progress,
)
from voicedesk.models.speaker_model import (
    PARTIAL_PREFIX,
    UnfitModel,
    inspect_speaker_model,
    install_speaker_model,
    speaker_models_dir,
)

DEFAULT_URL = ("https://github.com/k2-fsa/sherpa-onnx/releases/download/speaker-recongition-models/"
               "3dspeaker_speech_campplus_sv_zh_en_16k-common_advanced.onnx")   # sic: "recongition"
URL_ENV = "VOICEDESK_SPEAKER_MODEL_URL"
DOWNLOAD_SIZE_MB = 28            # about: CAM++ has 7.2 M parameters, stored as float32
DOWNLOAD_TIMEOUT_S = 20.0        # connecting, and each read: the same as an Argos pack's
MAX_BYTES = 256 << 20            # a speaker model is tens of MB: a server that sends more is refused
READ_CHUNK = 64 * 1024           # Cancel and progress react every 64 KiB, also on a slow link
DOWNLOAD_SUFFIX = ".download"
STALE_AFTER_S = 3600.0           # a temporary file nobody wrote to for an hour was left by a killed process
WHAT = "speaker"


def speaker_model_url() -> str:
    """Where the speaker model is downloaded from: $VOICEDESK_SPEAKER_MODEL_URL, else sherpa-onnx's release."""
    return os.environ.get(URL_ENV) or DEFAULT_URL


def download_speaker_model(progress_cb: ProgressCallback = no_progress,
                           cancel_event: Optional[threading.Event] = None, data_dir: Optional[Path] = None,
                           url: Optional[str] = None, timeout: float = DOWNLOAD_TIMEOUT_S) -> Path:
    """Download, check and install the speaker model, blocking (run it on a worker thread); returns its path.

    Raises DownloadCancelled, NetworkUnavailable or DownloadError (one user-facing line). Whatever happens,
    no partial file remains and a model installed before stays as it was unless the new one was installed.
    """
    url = url or speaker_model_url()
    cancel = cancel_event or threading.Event()
    folder = speaker_models_dir(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale(folder)
        handle, name = tempfile.mkstemp(prefix=PARTIAL_PREFIX, suffix=DOWNLOAD_SUFFIX, dir=folder)
    except OSError as exc:
        raise DownloadError(translate(
            "SpeakerModel", "Cannot save the speaker model in {folder}: {reason}").format(
            folder=folder, reason=exc.strerror or exc)) from exc
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            total = _fetch(url, out, progress_cb, cancel, timeout)
            out.flush()
            os.fsync(out.fileno())
        if cancel.is_set():
            raise DownloadCancelled()
        try:
            inspect_speaker_model(temp)
        except UnfitModel as exc:
            raise DownloadError(translate(
                "SpeakerModel", "The file downloaded from {host} {problem}; it was discarded and the speaker "
                "model was not changed").format(host=_host(url), problem=str(exc))) from None
        if cancel.is_set():
            raise DownloadCancelled()
        target = install_speaker_model(temp, data_dir, move=True)
    except OSError as exc:    # the network's errors became DownloadErrors in _fetch: this is the disk (full, locked)
        temp.unlink(missing_ok=True)
        raise _LocalError(exc) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    progress_cb(Progress(total, total, WHAT))
    return target


def _fetch(url: str, out, progress_cb: ProgressCallback, cancel: threading.Event, timeout: float) -> int:
    """Copy `url`'s body into the open file `out`, reporting progress; returns the bytes written."""
    if cancel.is_set():
        raise DownloadCancelled()
    def write(chunk: bytes) -> None:
        size = out.tell() + len(chunk)     # the file is new: its position is what arrived
        if size > MAX_BYTES:
            raise _TooLarge(size)
        try:
            out.write(chunk)
        except OSError as exc:
            raise _LocalError(exc) from exc

    try:
        with open_url(url, timeout) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if total is not None and total > MAX_BYTES:
                raise _TooLarge(total)
            done = copy_with_progress(response.read, write, total, WHAT, progress_cb, cancel, READ_CHUNK)
    except (DownloadCancelled, _TooLarge, _LocalError):
        raise
    except ValueError as exc:            # open_url refused the address itself
        raise DownloadError(translate(
            "SpeakerModel", "The speaker model was not downloaded: {reason}").format(reason=str(exc))) from None
    except (OSError, http.client.HTTPException) as exc:   # URLError, HTTPError, timeouts, IncompleteRead
        if cancel.is_set():
            raise DownloadCancelled() from exc
        raise download_error(url, exc, started=out.tell() > 0) from exc
    if cancel.is_set():
        raise DownloadCancelled()
    if total is not None and done != total:
        raise DownloadError(translate(
            "SpeakerModel", "The download of the speaker model from {host} broke off ({done} of {total} bytes); "
            "run it again").format(host=_host(url), done=done, total=total))
    return done


class _TooLarge(DownloadError):
    def __init__(self, size: int) -> None:
        super().__init__(translate(
            "SpeakerModel", "The server sent more than a speaker model ({size} bytes); the download was "
            "stopped and nothing was kept").format(size=size))


class _LocalError(DownloadError):
    def __init__(self, exc: OSError) -> None:
        super().__init__(translate("SpeakerModel", "Cannot save the speaker model: {reason}").format(
            reason=exc.strerror or exc))


def download_error(url: str, exc: BaseException, started: bool = False) -> DownloadError:
    """A one-line DownloadError for a failed fetch: NetworkUnavailable when the server could not be reached
    (nothing `started` to arrive), "broke off" when a transfer that had begun stopped."""
    host = _host(url)
    if isinstance(exc, RefusedRedirect) or (isinstance(exc, urllib.error.HTTPError) and 300 <= exc.code < 400):
        return DownloadError(translate(
            "SpeakerModel", "{host} redirected the speaker model download elsewhere; redirect refused ({reason})"
        ).format(host=host, reason=getattr(exc, "reason", exc)))
    if isinstance(exc, urllib.error.HTTPError):
        return DownloadError(translate(
            "SpeakerModel", "{host} answered HTTP {code} for the speaker model; try again later, or add the file "
            "yourself (voicedesk models add-speaker FILE)").format(host=host, code=exc.code))
    if not started and isinstance(exc, (urllib.error.URLError, TimeoutError, ConnectionError)):
        return NetworkUnavailable(translate(
            "SpeakerModel", "Cannot reach {host} to download the speaker model (no network?): {reason}. Get "
            "the .onnx file another way and add it from a file (voicedesk models add-speaker FILE)").format(
            host=host, reason=getattr(exc, "reason", None) or exc))
    return DownloadError(translate(
        "SpeakerModel", "The download of the speaker model from {host} broke off: {reason}; run it again").format(
        host=host, reason=str(exc).strip() or type(exc).__name__))


def _host(url: str) -> str:
    try:
        return urlparse(url).netloc or url
    except ValueError:
        return url[:80]


def _remove_stale(folder: Path) -> None:
    """Delete temporary files a killed download or copy left here (none is written to for an hour)."""
    now = time.time()
    for path in folder.glob(PARTIAL_PREFIX + "*"):
        try:
            if now - path.stat().st_mtime > STALE_AFTER_S:
                path.unlink()
        except OSError:
            continue
