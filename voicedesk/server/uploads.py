"""An upload as the REST routes take it: the multipart body read within limits, then the file checked and
opened for decoding in place.

Order matters: the request's head is checked first (`check_head`: size by Content-Length, multipart), the
caller then takes a place in the job queue, and only then is the body read (`read_form`: size enforced
while reading, a time limit for the whole body). Starlette spools the file part (in memory up to 1 MB, then
in an anonymous temporary file): that spool is the one copy. `open_audio` hands it to FFmpeg as a file
object, limited to audio containers, and refuses it before any decoding when it is empty, a playlist,
unreadable, or longer than the server takes by its own header. The `FileSource` it returns enforces the
same duration while decoding, in case the header understated it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from starlette.requests import Request

from voicedesk.audio.file_source import AUDIO_CONTAINERS, FileSource, declared_duration, is_playlist
from voicedesk.audio.source import InputFileError
from voicedesk.server.errors import ApiError

FORM_OVERHEAD = 64 * 1024                 # multipart boundaries and the other fields, beyond the file itself
MAX_FIELD_BYTES = 64 * 1024               # a prompt is short
UPLOAD_READ_TIMEOUT_S = 300.0             # the whole body: a client that trickles it holds a queue place no longer


class UploadTooLarge(Exception):
    pass


def check_head(request: Request, limit: int) -> None:
    """What the request's head already tells: too large (413), not multipart (400). Nothing is read."""
    length = request.headers.get("content-length")
    if length is not None:
        try:
            size = int(length)
        except ValueError:
            raise ApiError(400, "Content-Length is not a number", "invalid_request") from None
        if size > limit + FORM_OVERHEAD:
            raise ApiError(413, too_large(limit), "file_too_large", "file")
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise ApiError(400, "Send the audio as multipart/form-data with a 'file' field", "invalid_request", "file")


async def read_form(request: Request, limit: int) -> Any:
    """The multipart form (starlette's FormData), read within `limit` bytes of file and UPLOAD_READ_TIMEOUT_S."""
    from starlette.requests import ClientDisconnect

    limited = Request(request.scope, _limited_receive(request.receive, limit + FORM_OVERHEAD))
    try:
        return await asyncio.wait_for(limited.form(max_files=1, max_fields=64, max_part_size=MAX_FIELD_BYTES),
                                      UPLOAD_READ_TIMEOUT_S)
    except UploadTooLarge:
        raise ApiError(413, too_large(limit), "file_too_large", "file") from None
    except asyncio.TimeoutError:
        raise ApiError(408, f"The upload took longer than {UPLOAD_READ_TIMEOUT_S:.0f} s to arrive",
                       "upload_timeout", "file") from None
    except ClientDisconnect:
        raise ApiError(400, "The upload was interrupted", "invalid_request", "file") from None
    except Exception as exc:  # HTTPException from a malformed multipart body, parser errors
        detail = getattr(exc, "detail", None) or str(exc) or type(exc).__name__
        raise ApiError(400, f"Malformed multipart body: {detail}", "invalid_request") from None


def too_large(limit: int) -> str:
    return f"The file is larger than this server takes ({limit / 2**20:g} MB; see --max-upload-mb)"


def too_long(limit_s: float, length_s: float | None = None) -> str:
    said = f" ({span(length_s)} by its header)" if length_s is not None else ""
    return f"The audio is longer than this server takes{said}: at most {span(limit_s)} (see --max-audio-minutes)"


def span(seconds: float) -> str:
    """A length for people: 45 s, 12.5 min, 27.8 h."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def _limited_receive(receive, limit: int):
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message.get("type") == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise UploadTooLarge()
        return message

    return wrapped


async def open_audio(upload: Any, max_audio_s: float) -> FileSource:
    """The upload's audio as a FileSource over its spooled file (no copy), or ApiError 400 / 413 first."""
    return await asyncio.to_thread(_open_audio, upload, max_audio_s)


def _open_audio(upload: Any, max_audio_s: float) -> FileSource:
    name = Path(upload.filename or "").name or "the file"
    file = upload.file
    file.seek(0, 2)
    if file.tell() == 0:
        raise ApiError(400, "The file is empty", "invalid_file", "file")
    file.seek(0)
    if is_playlist(name, file.read(64)):
        # a playlist could make FFmpeg read other files of this computer (AUDIO_CONTAINERS excludes them too)
        raise ApiError(400, "The file is a playlist or text, not audio", "invalid_file", "file")
    try:
        declared = declared_duration(file, AUDIO_CONTAINERS, name)
    except InputFileError as exc:
        raise ApiError(400, f"Could not read the audio: {exc}", "invalid_file", "file") from None
    if declared is not None and declared > max_audio_s:
        raise ApiError(413, too_long(max_audio_s, declared), "audio_too_long", "file")
    return FileSource(file, paced=False, name=name, formats=AUDIO_CONTAINERS, max_duration_s=max_audio_s)
