"""A run's configuration as data: one frozen config per component, and the one builder that puts a run's together.

Two routes share it. The live route (a microphone, system audio, a paced replay) trades accuracy for
latency: short encoder windows, quick cuts at half-second pauses. The file route (any source that is
not real time: a file, an upload) has no one waiting for a word, so it is decoded as Whisper was
trained: windows of up to ~30 s of contiguous audio cut at pauses, the full encoder window, with its own
VAD gate values (`FileRoute`).

Each component reads only its own config: the VAD gate `GateConfig` (audio/vad.py), the streaming policy
`StreamingPolicy` (engine/live_transcriber.py), the decoder `Decoding` (engine/asr.py), the sentence layer
`Sentences` (engine/sentences.py, engine/settle.py), `TranslationChoice` (engine/translation/), `Vocabulary`
(engine/vocabulary.py), `Speakers` (engine/speakers/) and the file route `FileRoute`. A field declared with
`setting(...)` carries its range and help (voicedesk/setting.py); `USER` lists those users can set, by the
flat name that Preferences, the server's `options` and the CLI's flags use.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from voicedesk.audio.vad import GateConfig
from voicedesk.i18n import translate
from voicedesk.setting import SettingSpec, Surface, check_value, setting, spec_of


@dataclass(frozen=True)
class StreamingPolicy:
    """When the growing utterance is decoded again, and when its words become final (engine/live_transcriber.py)."""

    partial_interval_s: float = setting(0.5, translate(
        "Settings", "How often the line being spoken is decoded again: shorter shows words sooner, costs more CPU."),
        bounds=(0.2, 5.0), surfaces=(Surface.PREFERENCES, Surface.SERVER))
    slow_start_s: float = 4.0             # the first seconds of an utterance are refreshed at twice that interval
    decode_duty: float = 0.7              # ...and at most this share of the time spent in those decodes (adapts the cadence to the machine)
    final_on_commit: bool = True          # committed words become a final at once, not at a sentence end (continuous speech)
    trim_buffer_s: float = 8.0            # past this much audio, the buffer is cut at a committed word (short decodes)
    partial_min_probability: float = 0.5  # a partial leaves out its last words while Whisper is less sure of them (flicker)
    commit_min_age_s: float = 1.0         # an agreed word is committed once this much audio followed it (fast cadences guess alike)
    commit_age_s: float = 4.0             # words that end this long before the buffer end are committed, even unconfirmed
    max_utterance_s: float = setting(25.0, translate(
        "Settings", "The longest audio decoded as one utterance; longer speech is cut at a committed word."),
        bounds=(2.0, 28.0), surfaces=(Surface.SERVER,))
    speculative_final: bool = setting(True, translate(
        "Settings", "Start the final decode at the first short pause, and keep it if the pause ends the utterance."),
        surfaces=(Surface.SERVER,))


@dataclass(frozen=True)
class Decoding:
    """How Whisper decodes: beams, the prompt it is given, the encoder window (engine/asr.py)."""

    beam_size: int = setting(5, translate(
        "Settings", "Alternatives a final line weighs: more is a little more accurate and slower; 1 is fastest."),
        bounds=(1, 10), surfaces=(Surface.PREFERENCES, Surface.SERVER, Surface.CLI))
    partial_beam_size: int = setting(1, translate(
        "Settings", "Alternatives a line still being spoken weighs (1: greedy, the quickest)."),
        bounds=(1, 10), surfaces=(Surface.SERVER,))
    no_speech_threshold: float = setting(0.6, translate(
        "Settings", "How sure Whisper must be that there is no speech before it drops a stretch."),
        bounds=(0.0, 1.0), surfaces=(Surface.SERVER,))
    prompt_chars: int = setting(200, translate(
        "Settings", "Characters of the utterance's text so far that Whisper is given as context."),
        bounds=(0, 1000), surfaces=(Surface.SERVER,))
    fit_encoder_window: bool = True       # encode only the audio present instead of a padded 30 s window
    encoder_min_window_s: float = 6.0     # ...but never less than this (shorter windows cost accuracy)
    encoder_margin_s: float = 1.0         # silence the encoder sees after the audio, so the model can tell the end


@dataclass(frozen=True)
class Sentences:
    """Where sentences end, and whether each is decoded again whole once complete (engine/settle.py)."""

    gap_s: float = setting(1.5, translate(
        "Settings", "A pause this long ends a turn: context and sentences never cross it."),
        bounds=(0.0, 30.0), surfaces=(Surface.SERVER,))
    settle_s: float = setting(0.9, translate(
        "Settings", "After a full stop, the pause that ends the sentence."),
        bounds=(0.0, 10.0), surfaces=(Surface.SERVER,))
    settle_pass: bool = True              # live: decode each complete sentence again whole (engine/settle.py)


@dataclass(frozen=True)
class FileRoute:
    """The file route's own values (benchmarks/file_accuracy.py measured them)."""

    window_s: float = 24.0                # contiguous audio decoded at once, cut at a pause (Whisper's window is 30 s:
                                          # its last words never sit at the window's edge)
    max_pause_s: float = 3.0              # a longer pause ends a window: silence is not fed to Whisper
    # the gate only finds speech and places to cut; Whisper decides the words
    gate: GateConfig = GateConfig(threshold=0.35, end_silence_s=0.5, pre_roll_s=0.5)


@dataclass(frozen=True)
class TranslationChoice:
    """What each sentence is translated into, and by which engine (engine/translation/plan.py)."""

    target: Optional[str] = None          # a language code; None: no translation
    engine: str = "auto"                  # auto | whisper | argos


@dataclass(frozen=True)
class Vocabulary:
    """Names and terms Whisper should spell right, given as hotwords (engine/vocabulary.py)."""

    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Speakers:
    """Who is speaking (engine/speakers/): off unless asked for; the count is Auto (0) or the user's number."""

    enabled: bool = setting(False, translate(
        "Settings", "Say who is speaking: each final carries a speaker number."), surfaces=(Surface.SERVER,))
    count: int = setting(0, translate(
        "Settings", "How many people speak: 0 finds out (Auto), else exactly this many."),
        bounds=(0, 20), surfaces=(Surface.SERVER,))
    model: str = ""                       # the speaker model file; "": the installed one (models/speaker_model.py)


@dataclass(frozen=True)
class EngineSettings:
    """Everything one run needs: the model and the spoken language, and each component's config."""

    model: str = "base"                   # a size name (tiny, base, ..., large-v3, turbo, *.en) or a CTranslate2 folder
    device: str = "auto"                  # auto | cpu | cuda
    compute_type: str = "default"         # default picks int8 on CPU, float16 on CUDA
    cpu_threads: int = 0                  # 0: let CTranslate2 decide
    language: Optional[str] = None        # None: detect per utterance
    translation: TranslationChoice = field(default_factory=TranslationChoice)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    speakers: Speakers = field(default_factory=Speakers)
    gate: GateConfig = field(default_factory=GateConfig)
    streaming: StreamingPolicy = field(default_factory=StreamingPolicy)
    decoding: Decoding = field(default_factory=Decoding)
    sentences: Sentences = field(default_factory=Sentences)
    file_route: FileRoute = field(default_factory=FileRoute)

    def for_file(self) -> "EngineSettings":
        """These settings as the file route uses them (its gate in the gate's place)."""
        return dataclasses.replace(self, gate=self.file_route.gate)

    def with_values(self, **values: Any) -> "EngineSettings":
        """These settings with values given by flat name (`beam_size`, `vad_threshold`, `file_window_s`, ...).

        The one way to set a component's field from outside: Preferences, the server, the CLI and benchmarks
        all name settings this way (see `FLAT_NAMES`). Raises KeyError for a name that is not a setting."""
        top = {k: v for k, v in values.items() if k in _TOP_LEVEL}
        by_part: dict[tuple[str, ...], dict[str, Any]] = {}
        for name, value in values.items():
            if name in _TOP_LEVEL:
                continue
            path = FLAT_NAMES[name]
            by_part.setdefault(path[:-1], {})[path[-1]] = value
        result = dataclasses.replace(self, **top) if top else self
        for part, changes in by_part.items():
            result = _replace_at(result, part, changes)
        return result

    def flat(self) -> dict[str, Any]:
        """Every setting by flat name (what a journal's header records, readable without this module)."""
        return {**{name: getattr(self, name) for name in sorted(_TOP_LEVEL)},
                **{name: self.value(name) for name in FLAT_NAMES}}

    def value(self, name: str) -> Any:
        """The value of the setting with flat name `name`."""
        if name in _TOP_LEVEL:
            return getattr(self, name)
        target: Any = self
        for attribute in FLAT_NAMES[name]:
            target = getattr(target, attribute)
        return target


def _replace_at(settings: Any, part: tuple[str, ...], changes: dict[str, Any]) -> Any:
    if not part:
        return dataclasses.replace(settings, **changes)
    inner = getattr(settings, part[0])
    return dataclasses.replace(settings, **{part[0]: _replace_at(inner, part[1:], changes)})


_PARTS = ("translation", "vocabulary", "speakers", "gate", "streaming", "decoding", "sentences", "file_route")
_TOP_LEVEL = frozenset(f.name for f in dataclasses.fields(EngineSettings) if f.name not in _PARTS)

# The names that settings have always had outside the engine (Preferences' keys, the server's `options`, benchmarks'
# levers): flat name -> the path of the field in EngineSettings.
FLAT_NAMES: dict[str, tuple[str, ...]] = {
    "translate_to": ("translation", "target"),
    "translation_engine": ("translation", "engine"),
    "vocabulary": ("vocabulary", "terms"),
    "speaker_labels": ("speakers", "enabled"),
    "speaker_count": ("speakers", "count"),
    "speaker_model": ("speakers", "model"),
    "vad_threshold": ("gate", "threshold"),
    "end_silence_s": ("gate", "end_silence_s"),
    "pre_roll_s": ("gate", "pre_roll_s"),
    **{f.name: ("streaming", f.name) for f in dataclasses.fields(StreamingPolicy)},
    **{f.name: ("decoding", f.name) for f in dataclasses.fields(Decoding)},
    "sentence_gap_s": ("sentences", "gap_s"),
    "sentence_settle_s": ("sentences", "settle_s"),
    "settle_sentences": ("sentences", "settle_pass"),
    "file_window_s": ("file_route", "window_s"),
    "file_max_pause_s": ("file_route", "max_pause_s"),
    "file_vad_threshold": ("file_route", "gate", "threshold"),
    "file_end_silence_s": ("file_route", "gate", "end_silence_s"),
    "file_pre_roll_s": ("file_route", "gate", "pre_roll_s"),
}


@dataclass(frozen=True)
class UserSetting:
    """A setting users can change: its flat name, its type, its default and its definition."""

    name: str
    kind: type
    default: Any
    spec: SettingSpec

    def check(self, value: Any, label: Optional[str] = None) -> Any:
        """`value` checked against the definition; raises ValueError naming `label` (default: the name)."""
        return check_value(label or self.name, self.kind, self.spec.bounds, value)


def _user_settings() -> dict[str, UserSetting]:
    defaults = EngineSettings()
    owners: dict[tuple[str, ...], type] = {
        ("gate",): GateConfig, ("streaming",): StreamingPolicy, ("decoding",): Decoding, ("sentences",): Sentences,
        ("speakers",): Speakers}
    found: dict[str, UserSetting] = {}
    for name, path in FLAT_NAMES.items():
        owner = owners.get(path[:-1])
        if owner is None:
            continue
        spec = spec_of(next(f for f in dataclasses.fields(owner) if f.name == path[-1]))
        if spec is not None and spec.surfaces:
            default = defaults.value(name)
            found[name] = UserSetting(name, type(default), default, spec)
    return found


USER: dict[str, UserSetting] = _user_settings()


def offered_on(surface: Surface) -> dict[str, UserSetting]:
    """The settings users can set on `surface`, by flat name."""
    return {name: s for name, s in USER.items() if surface in s.spec.surfaces}


def run_settings(choices: EngineSettings, values: Mapping[str, Any]) -> EngineSettings:
    """A run's settings: what to run (`choices`) with the values users set, each checked against its definition.

    Raises ValueError (one line) for a value out of its bounds or of the wrong type, KeyError for a name
    that users cannot set."""
    checked = {}
    for name, value in values.items():
        if name not in USER:
            raise KeyError(name)
        checked[name] = USER[name].check(value)
    return choices.with_values(**checked)
