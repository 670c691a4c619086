"""What every audio source promises the engine: 16 kHz mono float32 blocks, pulled by one reader."""

from __future__ import annotations

from typing import Optional, Protocol

import numpy as np


class AudioSourceError(Exception):
    """A source failed in a way the user must hear about (message is user-facing, one line)."""


class DeviceError(AudioSourceError):
    """A microphone is missing, refuses to open, or disappeared mid-session."""


class InputFileError(AudioSourceError):
    """A file is missing, empty, corrupt or holds no audio."""


class AudioSource(Protocol):
    """A stream of 16 kHz mono float32 audio.

    `read` returns the next block (any length > 0), `None` when nothing arrived within
    `timeout` seconds, and an empty array once the source is exhausted for good. It raises
    an `AudioSourceError` subclass for a failure the user must see. `realtime` says whether
    the source delivers at the pace of a clock (microphone, paced file) or as fast as read.

    The engine also reads `duration`, `dropped_seconds` and `zero_audio_hint`. A source that
    subclasses this protocol gets the defaults below and overrides those that apply to it (with a
    property or a plain attribute: the engine only reads them).
    """

    name: str
    realtime: bool

    @property
    def duration(self) -> Optional[float]:
        """Seconds of audio in all, when known ahead (a file: for progress)."""
        return None

    @property
    def dropped_seconds(self) -> float:
        """Audio lost so far because the reader fell behind (a live input)."""
        return 0.0

    @property
    def zero_audio_hint(self) -> Optional[str]:
        """What to tell the user when only exact zeros arrive (a privacy setting)."""
        return None

    def start(self) -> None: ...

    def read(self, timeout: float) -> Optional[np.ndarray]: ...

    def stop(self) -> None: ...
