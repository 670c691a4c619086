"""The engine's output contract: small frozen dataclasses, delivered in order to one subscriber.

Every time (`start`, `end`) is in session seconds of audio, counted from the first sample the
source delivered. `emitted_at` is wall-clock seconds since that first sample was delivered,
stamped by the engine when the event leaves it (this is what latency is measured with).

The schema is shared by the CLI's `--events`, the session journal and the server, and versioned
as a whole (`SCHEMA_VERSION`, written as `"v"` in every JSON event). Version 2 added
`FinalSegment.sentence_id` and `Translation.segment_ids` / `Translation.engine`: finals keep
arriving per utterance, but translation works on whole sentences, and a translation names every
final it covers. Readers of version 1 records fill the new fields from the old ones.

`ModelReady` and `RunEnded` are new event types within version 2 (additive: a reader that does not
know a type skips it). Each has one meaning, where `Status(STOPPED)` used to carry three in its
detail text: `ModelReady` says the model is loaded; `RunEnded` is the last event of a run, sent once
the run has really finished (translator closed, every event of the run delivered before it).
`Status` only reports the engine's state. `SilentInput` (also additive) says that a live input delivers
only exact zeros (a blocked or muted microphone), and again when sound is back.

Version 3 adds two levels of text. Partials and finals are *provisional*: shown at once, and the
`sentence_id` they carry (partials too, now) says which sentence they belong to. When a sentence is
complete the engine decodes it again from its own audio (beam search, the settled sentences before it
as context, the sentence's own language) and sends one `Settled` event: the sentence's final text,
which replaces its provisional finals and is never revised by the engine again. A reader of version 2
keeps working: it skips the unknown `settled` type and shows the finals, as before.

Version 4 says who is speaking. `FinalSegment.speaker` and `Settled.speaker` carry a speaker number (1, 2, ...;
None when speaker labels are off or not known yet), and a `SpeakerLabels` event assigns numbers to finals
already sent: on a file the speakers are found by clustering over the whole run, so the labels come at its end,
before `RunEnded`. A number is a label within one run's session, not a name: names ("Ana") belong to the session
(`voicedesk.session.speakers`). A reader of version 3 skips the unknown type and field and shows no speakers.
`FinalSegment.speech` (also version 4) lists the stretches of a final the voice activity gate heard as speech
when the final holds a pause: a file's final is a whole sentence, and a speaker's turn (RTTM) leaves out its
pauses as diarization references do. `ErrorKind.SPEAKER_MODEL` (also version 4) reports a speaker model that is
missing or will not load; it is never fatal (the run goes on without labels), unlike `ErrorKind.MODEL`.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Optional, Union

SCHEMA_VERSION = 4


class EngineState(str, enum.Enum):
    LOADING_MODEL = "loading-model"
    LISTENING = "listening"          # running, hearing silence
    SPEECH = "speech"                # the VAD hears someone speaking
    TRANSCRIBING = "transcribing"    # finishing an utterance after speech ended
    STOPPED = "stopped"


class ErrorKind(str, enum.Enum):
    DEVICE = "device"                # microphone missing, rejected or lost
    INPUT = "input"                  # file missing, empty, corrupt, not audio
    MODEL = "model"                  # the Whisper model missing or failed to load (fatal)
    SPEAKER_MODEL = "speaker-model"  # schema 4: the speaker model missing or unusable; the run goes on unlabelled
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
    `sentence_id` is the sentence that final will belong to, as far as the engine knows when it sends the
    partial (-1: its own `segment_id`, a new sentence).
    """

    segment_id: int
    text: str
    start: float
    end: float
    language: str
    emitted_at: float = 0.0
    sentence_id: int = -1
    type: str = field(default="partial", init=False)

    def __post_init__(self) -> None:
        if self.sentence_id < 0:
            object.__setattr__(self, "sentence_id", self.segment_id)


@dataclass(frozen=True)
class FinalSegment:
    """Committed text: it never changes once emitted.

    `sentence_id` is the `segment_id` of the first final of the sentence this one belongs to (its
    own id when it starts a sentence): a sentence said with pauses arrives as several finals, and
    readers show and translate it as one line. -1 at construction means "its own id".
    """

    segment_id: int
    text: str
    start: float
    end: float
    language: str
    emitted_at: float = 0.0
    sentence_id: int = -1
    speaker: Optional[int] = None     # schema 4: the speaker's number, None when not known (yet)
    # schema 4: the (start, end) stretches of speech inside [start, end] when it holds a pause of 0.3 s or
    # more; empty: speech throughout (or not known)
    speech: tuple[tuple[float, float], ...] = ()
    type: str = field(default="final", init=False)

    def __post_init__(self) -> None:
        if self.sentence_id < 0:
            object.__setattr__(self, "sentence_id", self.segment_id)
        object.__setattr__(self, "speech", tuple((float(a), float(b)) for a, b in self.speech))


class TranslationEngine(str, enum.Enum):
    """Who made a translation: Whisper from the audio, Argos from the text, both (Whisper's English
    then Argos), or nobody (the speech was already in the target language)."""

    WHISPER = "whisper"
    ARGOS = "argos"
    WHISPER_ARGOS = "whisper+argos"
    IDENTITY = "identity"


@dataclass(frozen=True)
class Translation:
    """The translation of one sentence: `segment_ids` are all the finals it covers, in order.

    `segment_id` is the first of them (the sentence's id); `start`/`end` span all of them.
    Constructed with no `segment_ids`, it covers `segment_id` alone.
    """

    segment_id: int
    text: str
    source_language: str
    target_language: str
    start: float = 0.0
    end: float = 0.0
    emitted_at: float = 0.0
    segment_ids: tuple[int, ...] = ()
    engine: str = ""
    type: str = field(default="translation", init=False)

    def __post_init__(self) -> None:
        ids = tuple(int(i) for i in self.segment_ids) or (self.segment_id,)
        object.__setattr__(self, "segment_ids", ids)
        if isinstance(self.engine, TranslationEngine):
            object.__setattr__(self, "engine", self.engine.value)


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
class ModelReady:
    """The model is loaded; `model_info` names it and where it runs, e.g. "tiny.en (cpu, int8)"."""

    model_info: str
    emitted_at: float = 0.0
    type: str = field(default="model-ready", init=False)


RUN_STOPPED = "stopped"   # RunEnded.reason: stop() was asked for
RUN_ENDED = "ended"       # the source ran out or failed (an EngineError before says why)
RUN_NOT_STARTED = "not-started"   # the run could not start (the input did not open, say)


@dataclass(frozen=True)
class RunEnded:
    """The last event of a run: nothing of it follows, and a new run may start. `reason` is one of the
    RUN_* words, for logs; what went wrong, if anything, came before as an EngineError."""

    reason: str
    emitted_at: float = 0.0
    type: str = field(default="run-ended", init=False)


@dataclass(frozen=True)
class EngineError:
    kind: ErrorKind
    message: str
    fatal: bool = False
    emitted_at: float = 0.0
    type: str = field(default="error", init=False)


@dataclass(frozen=True)
class SilentInput:
    """The live input gave only exact zeros for seconds (`silent`, `message` says where the blocking setting is),
    or sound again (not `silent`). Not an error: the run goes on either way."""

    silent: bool
    message: str = ""
    emitted_at: float = 0.0
    type: str = field(default="silent-input", init=False)


@dataclass(frozen=True)
class Settled:
    """A complete sentence decoded again from its own audio: the text that replaces its provisional finals.

    Sent once per sentence, after its last final; `segment_ids` are the finals it replaces and `text` is the
    whole sentence. `words` gives each word's (start, end) in audio seconds, so readers that keep one line per
    final (subtitle cues) can share the text out by time. `start`/`end` span the sentence's audio.
    """

    sentence_id: int
    segment_ids: tuple[int, ...]
    text: str
    language: str
    start: float
    end: float
    emitted_at: float = 0.0
    words: tuple[tuple[str, float, float], ...] = ()
    speaker: Optional[int] = None     # schema 4: the sentence's speaker, None when not known
    type: str = field(default="settled", init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "segment_ids", tuple(int(i) for i in self.segment_ids))
        object.__setattr__(self, "words", tuple((str(w), float(a), float(b)) for w, a, b in self.words))


@dataclass(frozen=True)
class SpeakerLabels:
    """Speaker numbers for finals already sent (schema 4): `labels` pairs a final's `segment_id` with its speaker.

    A file's speakers are found once the whole run is heard, so its labels come in one event before `RunEnded`.
    A final not listed keeps the speaker it had (none, if it never had one)."""

    labels: tuple[tuple[int, int], ...]
    speakers: int                      # how many speakers the run found
    emitted_at: float = 0.0
    type: str = field(default="speakers", init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", tuple((int(s), int(n)) for s, n in self.labels))


Event = Union[Status, AudioLevel, Partial, FinalSegment, Settled, Translation, Lag, Progress, EngineError, ModelReady,
              RunEnded, SilentInput, SpeakerLabels]
TRANSCRIPT_EVENTS = (FinalSegment, Settled, Translation, SpeakerLabels)
"""The events the transcript is made of: what the session applies and the journal keeps."""
EventSink = Callable[[Event], None]


def event_to_dict(event: Event) -> dict[str, Any]:
    """A JSON-ready dict of an event: `type` and the schema version `v` first, enums as their values."""
    data = asdict(event)
    out: dict[str, Any] = {"type": data.pop("type"), "v": SCHEMA_VERSION}
    for key, value in data.items():
        if isinstance(value, enum.Enum):
            value = value.value
        elif isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
        out[key] = value
    return out
