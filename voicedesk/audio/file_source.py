"""An audio or video file as an AudioSource: decoded on the fly, optionally paced like a microphone."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Iterator, Optional, Union

import av
import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.audio.source import InputFileError
from voicedesk.i18n import translate

# Recordings stay on this computer: FFmpeg may read local files only. A playlist (.m3u8, ffconcat,
# .sdp) whose entries are URLs must never make it open a connection. FFmpeg's defaults refuse most of
# that today; these options pin it down whatever FFmpeg build PyAV ships: only the `file` protocol,
# also for files a playlist names, and the concat demuxer's `safe` mode (no URLs or absolute paths).
OPEN_OPTIONS = {"protocol_whitelist": "file", "safe": "1"}
_PLAYLIST_SUFFIXES = {".m3u", ".m3u8", ".ffconcat", ".concat", ".sdp", ".mpd", ".pls", ".xspf"}
_PLAYLIST_HEADS = (b"#EXTM3U", b"ffconcat", b"v=0\n", b"v=0\r\n", b"[playlist]")


def open_local(path: Union[str, os.PathLike[str]]) -> av.container.InputContainer:
    """av.open for a local file and nothing else: no network, whatever the file lists.

    The path is made absolute so that a name such as `http:/host/x.wav` (a real folder named `http:`)
    is read as the local file it is, not taken for a URL.
    """
    return av.open(os.path.abspath(path), options=dict(OPEN_OPTIONS))


def _looks_like_playlist(path: Path) -> bool:
    if path.suffix.lower() in _PLAYLIST_SUFFIXES:
        return True
    try:
        with open(path, "rb") as f:
            head = f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head.startswith(_PLAYLIST_HEADS)


def _fmt_time(seconds: float) -> str:
    minutes, secs = divmod(max(0.0, seconds), 60.0)
    return f"{int(minutes)}:{secs:04.1f}"


class FileSource:
    """Decodes any file FFmpeg reads (wav, flac, mp3, ogg, m4a, video) into 16 kHz mono float32 blocks.

    `paced=True` releases block k at `start + (k + 1) * block_s` on the monotonic clock, as a
    microphone would (the schedule is absolute, so a long file does not drift); `paced=False`
    hands out a block per `read` as fast as it is called. Decoding streams through PyAV, so
    a long file never sits in memory whole.
    """

    def __init__(self, path: Union[str, os.PathLike[str]], paced: bool, block_s: float = 0.1) -> None:
        if block_s <= 0:
            raise ValueError(f"block_s must be positive, got {block_s}")
        self.path = Path(path)
        self.name = self.path.name
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
                with open_local(self.path) as container:
                    self._duration = self._container_duration(container)
            except (av.FFmpegError, OSError, ValueError, IndexError):
                return None
        return self._duration

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
            container = open_local(self.path)
        except (av.FFmpegError, ValueError, OSError) as exc:
            if _looks_like_playlist(self.path):
                raise InputFileError(translate(
                    "AudioFile", "{name} is a playlist, not an audio file; open the audio files it lists instead "
                    "(links and other files are never followed)").format(name=self.path.name)) from exc
            if isinstance(exc, OSError) and not isinstance(exc, av.FFmpegError):
                raise InputFileError(translate("AudioFile", "Cannot open {name}: {reason}").format(
                    name=self.path.name, reason=exc.strerror or exc)) from exc
            raise InputFileError(translate("AudioFile", "Not a readable audio file: {name}").format(
                name=self.path.name)) from exc
        if not container.streams.audio:
            container.close()
            raise InputFileError(translate("AudioFile", "No audio track in {name}").format(name=self.path.name))
        self._container = container
        self._duration = self._container_duration(container)
        self._frames = self._decode(container)
        self._started = True
        # decode ahead one block now: corrupt or empty audio fails at start, not mid-session
        self._fill(self._block)
        if self._error is not None:
            self.stop()
            raise self._error
        if self._decoded_all and self._pending_len == 0:
            self.stop()
            raise InputFileError(translate("AudioFile", "No audio in {name}").format(name=self.path.name))
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
        if not self.path.exists():
            raise InputFileError(translate("AudioFile", "File not found: {path}").format(path=self.path))
        if self.path.is_dir():
            raise InputFileError(translate("AudioFile", "Not a file but a folder: {path}").format(path=self.path))
        if self.path.stat().st_size == 0:
            raise InputFileError(translate("AudioFile", "File is empty: {name}").format(name=self.path.name))

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

    def _decode(self, container: av.container.InputContainer) -> Iterator[np.ndarray]:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        for frame in container.decode(stream):
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
            except (av.FFmpegError, ValueError) as exc:
                self._decoded_all = True
                self._error = InputFileError(
                    f"{self.path.name} is corrupt or truncated at {_fmt_time(self._decoded / SAMPLE_RATE)}"
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
