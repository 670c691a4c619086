"""The engine's output contract: small frozen dataclasses, delivered in order to one subscriber.

Every time (`start`, `end`) is in session seconds of audio, counted from the first sample the
source delivered. `emitted_at` is wall-clock seconds since that first sample was delivered,
stamped by the engine when the event leaves it (this is what latency is measured with).
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Union


class EngineState(str, enum.Enum):
    LOADING_MODEL = "loading-model"
    LISTENING = "listening"          # running, hearing silence
    SPEECH = "speech"                # the VAD hears someone speaking
    TRANSCRIBING = "transcribing"    # finishing an utterance after speech ended
    STOPPED = "stopped"


class ErrorKind(str, enum.Enum):
    DEVICE = "device"                # microphone missing, rejected or lost
    INPUT = "input"                  # file missing, empty, corrupt, not audio
    MODEL = "model"                  # model missing or failed to load
    TRANSLATION = "translation"      # language pair not installed, translation failed
    STORAGE = "storage"              # the session journal or an export could not be written
    INTERNAL = "internal"


@dataclass(frozen=True)
class Status:
    state: EngineState
    detail: str = ""
    emitted_at: float = 0.0
    type: str = field(default="status", init=False)


@dataclass(frozen=True)
class AudioLevel:
    """Loudness of one block of input, for meters and waveforms; `is_speech` as the VAD sees it."""

    start: float
    end: float
    rms: float
    peak: float
    is_speech: bool
    emitted_at: float = 0.0
    type: str = field(default="level", init=False)


@dataclass(frozen=True)
class Partial:
    """Provisional text of the utterance being spoken; replaced by later partials and finals.

    `segment_id` is the id the next final segment will carry; `text` is the not-yet-final tail.
    """

    segment_id: int
    text: str
    start: float
    end: float
    language: str
    emitted_at: float = 0.0
    type: str = field(default="partial", init=False)


@dataclass(frozen=True)
class FinalSegment:
    """Committed text: it never changes once emitted."""

    segment_id: int
    text: str
    start: float
    end: float
    language: str
    emitted_at: float = 0.0
    type: str = field(default="final", init=False)


@dataclass(frozen=True)
class Translation:
    segment_id: int
    text: str
    source_language: str
    target_language: str
    start: float = 0.0
    end: float = 0.0
    emitted_at: float = 0.0
    type: str = field(default="translation", init=False)


@dataclass(frozen=True)
class Lag:
    """How far, in seconds of audio, decoding is behind what the source has delivered."""

    seconds: float
    emitted_at: float = 0.0
    type: str = field(default="lag", init=False)


@dataclass(frozen=True)
class Progress:
    """How much of a source with a known length has been read (files fed faster than real time)."""

    position: float
    duration: float
    emitted_at: float = 0.0
    type: str = field(default="progress", init=False)


@dataclass(frozen=True)
class EngineError:
    kind: ErrorKind
    message: str
    fatal: bool = False
    emitted_at: float = 0.0
    type: str = field(default="error", init=False)


Event = Union[Status, AudioLevel, Partial, FinalSegment, Translation, Lag, Progress, EngineError]
EventSink = Callable[[Event], None]


def event_to_dict(event: Event) -> dict[str, Any]:
    """A JSON-ready dict of an event, with `type` first and enums as their values."""
    data = asdict(event)
    out: dict[str, Any] = {"type": data.pop("type")}
    for key, value in data.items():
        out[key] = value.value if isinstance(value, enum.Enum) else value
    return out
