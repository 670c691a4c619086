"""An audio or video file as an AudioSource: decoded on the fly, optionally paced like a microphone."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import BinaryIO, Iterator, Optional, Sequence, TypeGuard, Union, cast

import av
import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.audio.source import AudioSource, InputFileError
from voicedesk.i18n import translate

# Recordings stay on this computer: FFmpeg may read local files only. A playlist (.m3u8, ffconcat,
# .sdp) whose entries are URLs must never make it open a connection. FFmpeg's defaults refuse most of
# that today; these options pin it down whatever FFmpeg build PyAV ships: only the `file` protocol,
# also for files a playlist names, and the concat demuxer's `safe` mode (no URLs or absolute paths).
OPEN_OPTIONS = {"protocol_whitelist": "file", "safe": "1"}
_PLAYLIST_SUFFIXES = {".m3u", ".m3u8", ".ffconcat", ".concat", ".sdp", ".mpd", ".pls", ".xspf"}
_PLAYLIST_HEADS = (b"#EXTM3U", b"ffconcat", b"v=0\n", b"v=0\r\n", b"[playlist]")
# FFmpeg's demuxers for audio and for the audio of common video files ("mov" is mp4/m4a/3gp, "matroska"
# is webm too). Whoever opens other people's files (the server's uploads) passes them as `formats`:
# otherwise FFmpeg picks from every format it knows, synthesizers included (61 bytes of `sbg` script
# declare 999 hours of generated sound).
AUDIO_CONTAINERS = ("wav", "w64", "flac", "mp3", "ogg", "mov", "matroska", "aac", "aiff", "amr", "asf", "caf",
                    "avi", "au", "mpeg", "wv")

PathInput = Union[str, "os.PathLike[str]"]
Input = Union[PathInput, BinaryIO]


class AudioTooLongError(InputFileError):
    """The audio is longer than the caller takes (by its header, or found while decoding)."""

    def __init__(self, message: str, limit_s: float) -> None:
        super().__init__(message)
        self.limit_s = limit_s


def _is_file_object(source: Input) -> TypeGuard[BinaryIO]:
    return hasattr(source, "read") and hasattr(source, "seek")


def _as_path(source: Input) -> PathInput:
    """`source` where _is_file_object said no: a path (a TypeGuard narrows only where it says yes)."""
    return cast(PathInput, source)


def open_local(source: Input, formats: Optional[Sequence[str]] = None) -> av.container.InputContainer:
    """av.open for a local file (or an open binary file object) and nothing else: no network, whatever the
    file lists; with `formats`, only those demuxers (FFmpeg's `format_whitelist`).

    A path is made absolute so that a name such as `http:/host/x.wav` (a real folder named `http:`)
    is read as the local file it is, not taken for a URL.
    """
    options = dict(OPEN_OPTIONS)
    if formats:
        options["format_whitelist"] = ",".join(formats)
    if _is_file_object(source):
        source.seek(0)              # PyAV reads from where the file stands
        return av.open(source, mode="r", options=options)   # mode: else PyAV goes by the object's own ("w+b")
    return av.open(os.path.abspath(_as_path(source)), options=options)


def is_playlist(name: str, head: bytes) -> bool:
    """A playlist by its name or its first bytes (FFmpeg could follow what it lists)."""
    if Path(name).suffix.lower() in _PLAYLIST_SUFFIXES:
        return True
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(_PLAYLIST_HEADS)


def _looks_like_playlist(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError:
        head = b""
    return is_playlist(path.name, head)


def declared_duration(source: Input, formats: Optional[Sequence[str]] = None,
                      name: str = "the file") -> Optional[float]:
    """Length in seconds as the container states it, None if it does not say; InputFileError when FFmpeg
    cannot open it (with `formats`: as one of them) or it holds no audio. Decodes nothing."""
    try:
        with open_local(source, formats) as container:
            if not container.streams.audio:
                raise InputFileError(translate("AudioFile", "No audio track in {name}").format(name=name))
            return FileSource._container_duration(container)
    except (av.FFmpegError, OSError, ValueError, IndexError) as exc:
        raise InputFileError(translate("AudioFile", "Not a readable audio file: {name}").format(name=name)) from exc


def _fmt_time(seconds: float) -> str:
    minutes, secs = divmod(max(0.0, seconds), 60.0)
    return f"{int(minutes)}:{secs:04.1f}"


class FileSource(AudioSource):
    """Decodes any file FFmpeg reads (wav, flac, mp3, ogg, m4a, video) into 16 kHz mono float32 blocks.

    `paced=True` releases block k at `start + (k + 1) * block_s` on the monotonic clock, as a
    microphone would (the schedule is absolute, so a long file does not drift); `paced=False`
    hands out a block per `read` as fast as it is called. Decoding streams through PyAV, so
    a long file never sits in memory whole.

    `path` may also be an open binary file object (the server's uploads), named `name` in messages.
    `formats` limits FFmpeg to those demuxers (AUDIO_CONTAINERS). `max_duration_s` refuses longer audio:
    by the container's stated length before anything is decoded, and by the audio actually decoded
    (counted before resampling, so a header that lies cannot make it produce more) — AudioTooLongError.
    """

    def __init__(self, path: Input, paced: bool, block_s: float = 0.1, *, name: Optional[str] = None,
                 formats: Optional[Sequence[str]] = None, max_duration_s: Optional[float] = None) -> None:
        if block_s <= 0:
            raise ValueError(f"block_s must be positive, got {block_s}")
        self._file: Optional[BinaryIO] = path if _is_file_object(path) else None
        self.path = Path(name or getattr(path, "name", None) or "audio") if self._file is not None else Path(_as_path(path))
        self.name = name or self.path.name
        self.formats = tuple(formats) if formats else None
        self.max_duration_s = max_duration_s
        self.paced = paced
        self.realtime = paced
        self.block_s = block_s
        self._block = max(1, round(block_s * SAMPLE_RATE))
        self._container: Optional[av.container.InputContainer] = None
        self._frames: Optional[Iterator[np.ndarray]] = None
        self._pending: list[np.ndarray] = []
        self._pending_len = 0
        self._decoded_all = False
        self._error: Optional[InputFileError] = None
        self._delivered = 0
        self._decoded = 0
        self._t0 = 0.0
        self._duration: Optional[float] = None
        self._stopped = threading.Event()
        self._started = False

    # -- public ---------------------------------------------------------------------------

    @property
    def duration(self) -> Optional[float]:
        """Length in seconds as the container states it (None if it does not say)."""
        if self._duration is None and not self._started:
            try:
                self._duration = declared_duration(self._input, self.formats, self.name)
            except InputFileError:
                return None
        return self._duration

    @property
    def error(self) -> Optional[InputFileError]:
        """Why the audio ended early (corrupt, too long), once it has; else None."""
        return self._error

    @property
    def _input(self) -> Input:
        return self._file if self._file is not None else self.path

    @property
    def position(self) -> float:
        """Seconds of audio handed out so far."""
        return self._delivered / SAMPLE_RATE

    def start(self) -> None:
        """Open the file and decode its first audio, so an unreadable file fails here."""
        if self._started:
            raise RuntimeError("FileSource already started")
        self._check_file()
        try:
            container = open_local(self._input, self.formats)
        except (av.FFmpegError, ValueError, OSError) as exc:
            if self._file is None and _looks_like_playlist(self.path):
                raise InputFileError(translate(
                    "AudioFile", "{name} is a playlist, not an audio file; open the audio files it lists instead "
                    "(links and other files are never followed)").format(name=self.name)) from exc
            if isinstance(exc, OSError) and not isinstance(exc, av.FFmpegError):
                raise InputFileError(translate("AudioFile", "Cannot open {name}: {reason}").format(
                    name=self.name, reason=exc.strerror or exc)) from exc
            raise InputFileError(translate("AudioFile", "Not a readable audio file: {name}").format(
                name=self.name)) from exc
        if not container.streams.audio:
            container.close()
            raise InputFileError(translate("AudioFile", "No audio track in {name}").format(name=self.name))
        self._container = container
        self._duration = self._container_duration(container)
        if self.max_duration_s is not None and self._duration is not None and self._duration > self.max_duration_s:
            container.close()
            self._container = None
            self._error = self._too_long(self._duration)
            raise self._error
        self._frames = self._decode(container)
        self._started = True
        # decode ahead one block now: corrupt or empty audio fails at start, not mid-session
        self._fill(self._block)
        if self._error is not None:
            self.stop()
            raise self._error
        if self._decoded_all and self._pending_len == 0:
            self.stop()
            raise InputFileError(translate("AudioFile", "No audio in {name}").format(name=self.name))
        self._t0 = time.monotonic()

    def read(self, timeout: float) -> Optional[np.ndarray]:
        """Next block; None if a paced block is not due within `timeout`; empty at the end."""
        if not self._started:
            raise RuntimeError("FileSource.read called before start")
        if self._stopped.is_set():
            return np.zeros(0, dtype=np.float32)
        want = self._block
        if self.paced:
            now = time.monotonic()
            due = self._released(now) - self._delivered
            if due <= 0:
                # wait for the next block's release time (or for stop)
                wait = self._t0 + (self._delivered + self._block) / SAMPLE_RATE - now
                if wait > timeout:
                    self._stopped.wait(max(0.0, timeout))
                    return None
                if self._stopped.wait(max(0.0, wait)):
                    return np.zeros(0, dtype=np.float32)
                due = self._released(time.monotonic()) - self._delivered
            # like a microphone's buffer: everything released so far, in whole blocks
            want = max(self._block, (due // self._block) * self._block)
        self._fill(want)
        if self._pending_len == 0:
            if self._error is not None:
                raise self._error
            return np.zeros(0, dtype=np.float32)
        out = self._take(want)
        self._delivered += len(out)
        return out

    def stop(self) -> None:
        """Close the file; later reads return an empty array."""
        self._stopped.set()
        if self._container is not None:
            self._container.close()
            self._container = None
        self._frames = None

    # -- internals ------------------------------------------------------------------------

    def _check_file(self) -> None:
        if self._file is not None:
            self._file.seek(0, os.SEEK_END)
            if self._file.tell() == 0:
                raise InputFileError(translate("AudioFile", "File is empty: {name}").format(name=self.name))
            return
        if not self.path.exists():
            raise InputFileError(translate("AudioFile", "File not found: {path}").format(path=self.path))
        if self.path.is_dir():
            raise InputFileError(translate("AudioFile", "Not a file but a folder: {path}").format(path=self.path))
        if self.path.stat().st_size == 0:
            raise InputFileError(translate("AudioFile", "File is empty: {name}").format(name=self.name))

    @staticmethod
    def _container_duration(container: av.container.InputContainer) -> Optional[float]:
        stream = container.streams.audio[0] if container.streams.audio else None
        if stream is not None and stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        if container.duration is not None:
            return container.duration / av.time_base
        return None

    def _released(self, now: float) -> int:
        """Samples the clock has released by `now` (whole blocks only, like a device)."""
        elapsed = int((now - self._t0) * SAMPLE_RATE)
        return (elapsed // self._block) * self._block

    def _too_long(self, seconds: float) -> AudioTooLongError:
        return AudioTooLongError(translate("AudioFile", "{name} is longer than {limit} ({length})").format(
            name=self.name, limit=_fmt_time(self.max_duration_s or 0.0), length=_fmt_time(seconds)),
            self.max_duration_s or 0.0)

    def _decode(self, container: av.container.InputContainer) -> Iterator[np.ndarray]:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        seconds = 0.0
        for frame in container.decode(stream):
            if self.max_duration_s is not None:
                # before resampling: one frame of a 1 Hz "recording" would otherwise become hours at 16 kHz
                seconds += frame.samples / max(1, frame.sample_rate or 0)
                if seconds > self.max_duration_s:
                    raise self._too_long(seconds)
            for out in resampler.resample(frame):
                yield out.to_ndarray().reshape(-1)
        for out in resampler.resample(None):
            yield out.to_ndarray().reshape(-1)

    def _fill(self, want: int) -> None:
        """Decode until `want` samples wait in the queue, the audio ends, or it turns out corrupt."""
        while self._pending_len < want and not self._decoded_all and self._frames is not None:
            try:
                chunk = next(self._frames)
            except StopIteration:
                self._decoded_all = True
                break
            except AudioTooLongError as exc:
                self._decoded_all = True
                self._error = exc
                break
            except (av.FFmpegError, ValueError) as exc:
                self._decoded_all = True
                self._error = InputFileError(
                    f"{self.name} is corrupt or truncated at {_fmt_time(self._decoded / SAMPLE_RATE)}"
                )
                self._error.__cause__ = exc
                break
            if chunk.size:
                self._pending.append(chunk.astype(np.float32, copy=False))
                self._pending_len += chunk.size
                self._decoded += chunk.size

    def _take(self, n: int) -> np.ndarray:
        data = np.concatenate(self._pending) if len(self._pending) > 1 else self._pending[0]
        out, rest = data[:n], data[n:]
        self._pending = [rest] if rest.size else []
        self._pending_len = rest.size
        return np.ascontiguousarray(out)
