"""The Whisper model behind a narrow interface: audio in, words with session times out.

Everything model-specific lives here: loading (faster-whisper, CTranslate2), the short encoder
window (faster-whisper's internals it takes are in engine/whisper_internals.py), and the guards against
Whisper's known failures on silence and noise.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Optional, Protocol, Sequence

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.engine import whisper_internals
from voicedesk.engine.settings import EngineSettings
from voicedesk.engine.commit_rule import Word, join_words
from voicedesk.engine.vocabulary import VocabularyGuard, VocabularyHint, fit_hint, loaded_model_counter
from voicedesk.models.resolve import ModelError, cached_model_path, resolve_model

if TYPE_CHECKING:
    from faster_whisper import WhisperModel     # imported by load() only: it pulls in CTranslate2

log = logging.getLogger(__name__)

FRAMES_PER_SECOND = 100          # Whisper's mel frames
DECODER_MAX_TOKENS = 448        # Whisper's text context: the tokens before the output plus those it writes
RETRY_MIN_WINDOW_S = 15.0       # encoder window of the second decode of a final that looked broken
LOOP_UNCOVERED_S = 1.5          # audio left after the last word once a loop was cut: the loop ate speech
# A fitted encoder window is a whole number of seconds. CTranslate2's convolutions (oneDNN) compile and keep a kernel
# for each input length they meet, about 1 MB each, up to 1,024 of them: with windows to the frame, 240 decodes of
# random lengths (0.5-12 s) grew the process from 302 to 479 MB, which fits the steps a live session's memory took in
# its first half hour (a new length grows it; new lengths get rarer). Whole seconds between 6 and 30 s leave at most
# 25 lengths (the same decodes: 299 -> 300 MB); the encoder hears under 1 s more silence.
WINDOW_STEP_S = 1.0

# What Whisper says when it hears nothing; only dropped when the decode itself doubts the speech.
SILENCE_PHRASES = {
    "thank you", "thanks for watching", "thank you for watching", "thanks for listening",
    "subtitles by the amaraorg community", "you", "bye", "so", "oh", "uh", "um",
    "please subscribe", "like and subscribe",
}


@dataclass(frozen=True)
class DecodeOptions:
    beam_size: int = 1
    language: Optional[str] = None
    prompt: Optional[str] = None
    final: bool = False           # finals may fall back to higher temperatures; partials never do
    full_window: bool = False     # the file route: Whisper's whole 30 s encoder window, tokens for dense speech
    # Text the decode starts from, said at the start of the audio (the settled sentences before a settling one): the
    # decoder reads on from it, and its words are not returned. Whisper decodes a short sentence better with what was
    # said before it in its window, as in a file's 30 s windows
    prefix: Optional[str] = None


@dataclass(frozen=True)
class Hypothesis:
    words: tuple[Word, ...]
    language: str
    language_probability: float = 1.0
    language_probs: Optional[Mapping[str, float]] = None   # every language's, when the decode detected it
    prefix_read: bool = True      # False: the decode's output did not start with the prefix asked for (no words)


class SpeechTranslationUnsupported(Exception):
    """The decoder has no speech→English translation (`Decoder.translate`'s default)."""


class Decoder(Protocol):
    """What the engine needs from a speech model: `decode` always; the rest is read by language detection
    (file route, settling), speech translation and the Translate-to choices. A decoder that subclasses this
    protocol gets the defaults below: multilingual, no language opinion, no speech translation."""

    multilingual: bool = True   # knows languages other than English (False for Whisper's `.en` models)

    def decode(self, audio: np.ndarray, offset: float, options: DecodeOptions) -> Hypothesis: ...

    def detect_language(self, audio: np.ndarray, full_window: bool = False) -> dict[str, float]:
        """The probability of each language for this audio; {} when the decoder cannot tell. `full_window`: heard
        as a full-window decode of the same audio hears it (that decode may then reuse the work)."""
        return {}

    def translate(self, audio: np.ndarray, language: Optional[str], prompt: Optional[str] = None) -> str:
        """Speech→English of one sentence's audio; raises SpeechTranslationUnsupported when it cannot."""
        raise SpeechTranslationUnsupported(type(self).__name__)


# Whether the thread decodes a file (`decode_for_files`): one model may serve several threads (the engine's,
# a server's connections), so it is never an attribute of the shared model.
_FIT = threading.local()


def decode_for_files(on: bool) -> None:
    """Say that this thread decodes a file (the file route): its speech translations get the full encoder window.

    Transcription says so in each call (DecodeOptions.full_window); translation is asked by the sentence
    translator, which does not know the route, on the thread that runs the file.
    """
    _FIT.files = on


class WhisperAsr(Decoder):
    """faster-whisper in-process, configured from EngineSettings."""

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        self.model: Optional[WhisperModel] = None
        self.device = "cpu"
        self.compute_type = "int8"
        self.multilingual = True
        self._last_temperature = 0.0     # the highest fallback temperature the last decode needed (diagnostics)
        self.hint = VocabularyHint()     # the custom vocabulary that fits the prompt (hotwords)
        self._guard = VocabularyGuard(())
        self._full_window_audio: Optional[np.ndarray] = None   # the audio of the last full-window encode (≤ 30 s)

    def load(self) -> None:
        """Blocking load; run it off any thread that must stay responsive. Raises ModelError."""
        s = self.settings
        spec = resolve_model(s.model)
        path = spec
        if spec == s.model and not spec.startswith("/"):
            # a catalogue name: use the local cache first so an offline machine never waits on the hub
            path = cached_model_path(spec) or spec
        device = s.device
        if device == "auto":
            device = "cuda" if _cuda_available() else "cpu"
        compute = s.compute_type
        if compute == "default":
            compute = "float16" if device == "cuda" else "int8"
        cls = whisper_internals.fit_window_model_class()   # the short encoder window
        try:
            self.model = cls(path, device=device, compute_type=compute, cpu_threads=s.cpu_threads)
        except Exception as exc:  # CTranslate2, huggingface_hub and OS errors all mean the same to the user
            raise ModelError(_model_error_message(s.model, exc)) from exc
        self.device, self.compute_type = device, compute
        self.multilingual = bool(self.model.model.is_multilingual)
        self.hint = fit_hint(s.vocabulary.terms, loaded_model_counter(self.model))
        self._guard = VocabularyGuard(self.hint.terms)
        if self.hint.dropped:
            log.info(self.hint.dropped_message)

    def decode(self, audio: np.ndarray, offset: float, options: DecodeOptions) -> Hypothesis:
        started = time.monotonic()
        fit = self.settings.decoding.fit_encoder_window and not options.full_window
        hyp, suspicious = self._decode(audio, offset, options, fit=fit)
        retried = False
        if suspicious and options.final and fit:
            # The short window occasionally loses an utterance or loops on it; a final is worth one more
            # decode with a wider window rather than losing words. Not Whisper's full 30 s: that retry
            # took ~2.5 s on 2 cores and was the whole tail of final latency; 15 s costs half.
            retried = True
            retry, retry_suspicious = self._decode(audio, offset, options, fit=True,
                                                   min_window=RETRY_MIN_WINDOW_S)
            if len(retry.words) > len(hyp.words) or not retry_suspicious:
                hyp = retry
        if log.isEnabledFor(logging.DEBUG):   # a decode runs every second: build the line only when it is shown
            log.debug("decode %.1f s final=%s beam=%d prompt=%r retried=%s temp=%s in %.2f s: %r", len(audio) / SAMPLE_RATE,
                      options.final, options.beam_size, (options.prompt or "")[-40:], retried, self._last_temperature,
                      time.monotonic() - started, join_words(hyp.words))
        return hyp

    def detect_language(self, audio: np.ndarray, full_window: bool = False) -> dict[str, float]:
        """Whisper's probability of each language for this audio ({} for an English-only model).

        The encoder sees the audio plus a margin (at least `encoder_min_window_s`), not a padded 30 s window:
        the file route asks this of every utterance, and on 2 cores a full window costs 0.9 s, this ~0.15 s.
        `full_window` (settling): the full window, over the very features a full-window decode of this audio
        encodes first, so that decode reuses the encoder's output (whisper_internals.py) and the language costs
        nothing more.
        """
        model = self.model
        assert model is not None, "load() first"
        if not self.multilingual or not len(audio):
            return {}
        if full_window:
            self._set_window(0.0, False, 0.0)
            self._full_window_audio = audio
            _, _, probs = model.detect_language(features=whisper_internals.detection_features(model, audio))
        else:
            self._set_window(len(audio) / SAMPLE_RATE, True, self.settings.decoding.encoder_min_window_s)
            _, _, probs = model.detect_language(audio)
        return {code: float(p) for code, p in probs}

    def translate(self, audio: np.ndarray, language: Optional[str], prompt: Optional[str] = None) -> str:
        """Whisper's own speech→English of one sentence's audio; "" when it hears nothing worth keeping.

        Same guards as transcription: hallucinated segments dropped, decoding loops cut, tokens capped.
        """
        model = self.model
        assert model is not None, "load() first"
        if not self.multilingual:
            raise ModelError("This Whisper model is English-only (.en) and cannot translate speech; "
                             "choose a multilingual model")
        duration = len(audio) / SAMPLE_RATE
        started = time.monotonic()
        # the full window for files, and for the audio a full-window decode just encoded (a settled sentence's):
        # its encoder output is reused, and the translation costs only its decoder
        fit = (self.settings.decoding.fit_encoder_window and not getattr(_FIT, "files", False)
               and not self._encoded_whole(audio))
        self._set_window(duration, fit, self.settings.decoding.encoder_min_window_s)
        self._note_full_window(audio, fit)
        segments, _ = model.transcribe(
            audio, language=language, task="translate", beam_size=self.settings.decoding.beam_size,
            best_of=self.settings.decoding.beam_size, temperature=[0.0], initial_prompt=prompt or None,
            condition_on_previous_text=False, word_timestamps=False, without_timestamps=True, vad_filter=False,
            no_speech_threshold=self.settings.decoding.no_speech_threshold, log_prob_threshold=-1.0,
            compression_ratio_threshold=2.4, suppress_blank=True,
            max_new_tokens=self._token_budget(int(duration * 8) + 24, prompt, None),
        )
        kept = [seg.text for seg in segments if not _is_hallucination(seg, duration)]
        words = [Word(0.0, 1.0, " " + w) for w in " ".join(kept).split()]
        text = join_words(remove_repetition_loops(words))
        log.debug("translate %.1f s of %s in %.2f s: %r", duration, language, time.monotonic() - started, text)
        return text

    def _note_full_window(self, audio: np.ndarray, fit: bool) -> None:
        """Remember the audio of a full-window encode; short windows in between do not replace its encoding."""
        if not fit:
            self._full_window_audio = audio if len(audio) <= 30 * SAMPLE_RATE else None

    def _encoded_whole(self, audio: np.ndarray) -> bool:
        """Whether the last full-window encode on this model was this very audio (under 30 s)."""
        last = self._full_window_audio
        return last is not None and len(last) == len(audio) and len(audio) <= 30 * SAMPLE_RATE and \
            np.array_equal(last, audio)

    def _token_budget(self, wanted: int, prompt: Optional[str], hotwords_or_prefix: Optional[str]) -> int:
        """`wanted` new tokens, fewer where the prompt leaves less room: faster-whisper refuses a decode whose
        prompt and new tokens pass DECODER_MAX_TOKENS (a 20 s sentence with 200 characters of context did)."""
        return max(1, min(wanted, 440, DECODER_MAX_TOKENS - self._prompt_tokens(prompt, hotwords_or_prefix)))

    def _prompt_tokens(self, prompt: Optional[str], hotwords_or_prefix: Optional[str]) -> int:
        """How many tokens faster-whisper puts before the output (its `get_prompt`): the previous-text marker, the
        prompt and the hotwords, or the prefix, which takes the hotwords' place (each cut to half the context), the
        start sequence, a timestamp token."""
        half = DECODER_MAX_TOKENS // 2 - 1
        count_tokens = loaded_model_counter(self.model)
        return 1 + 4 + 1 + sum(min(count_tokens(" " + text.strip()), half)
                               for text in (prompt, hotwords_or_prefix) if text and text.strip())

    def _set_window(self, duration: float, fit: bool, min_window: float) -> None:
        if fit:
            whisper_internals.set_encoder_frames(
                encoder_window_frames(duration, min_window, self.settings.decoding.encoder_margin_s))
        else:
            whisper_internals.set_encoder_frames(None)

    def _decode(self, audio: np.ndarray, offset: float, options: DecodeOptions, fit: bool,
                min_window: Optional[float] = None) -> tuple[Hypothesis, bool]:
        """One decode; also says whether it looks broken (segments dropped, a loop cut, nothing heard)."""
        model = self.model
        assert model is not None, "load() first"
        duration = len(audio) / SAMPLE_RATE
        self._set_window(duration, fit, self.settings.decoding.encoder_min_window_s if min_window is None else min_window)
        self._note_full_window(audio, fit)
        language = options.language if self.multilingual else "en"
        # people say at most ~5 tokens a second; a cap makes a repetition loop cheap instead of a 10 s stall.
        # Not in the file route: there a window is ~30 s, and fast speech in a language Whisper spells in
        # many tokens (Russian: ~4 a word) passes 8 a second, which cut off the window's last words.
        per_second, extra = (16, 32) if options.full_window else (8, 24)
        # faster-whisper drops hotwords when a prefix is given; they go before the prompt, as it puts them
        prompt = " ".join(t for t in (self.hint.hotwords, options.prompt) if t) if options.prefix else options.prompt
        max_tokens = self._token_budget(int(duration * per_second) + extra, prompt,
                                        options.prefix if options.prefix else self.hint.hotwords)
        segments, info = model.transcribe(
            audio,
            language=language,
            task="transcribe",
            beam_size=options.beam_size,
            best_of=options.beam_size,
            # No temperature fallback: it re-decodes by sampling (best_of) when the output looks like a loop,
            # which cost 2-4 s on a final here; loops are cut by remove_repetition_loops instead.
            temperature=[0.0],
            initial_prompt=prompt or None,
            hotwords=self.hint.hotwords,
            prefix=options.prefix or None,
            condition_on_previous_text=False,
            word_timestamps=True,
            vad_filter=False,
            no_speech_threshold=self.settings.decoding.no_speech_threshold,
            log_prob_threshold=-1.0,
            compression_ratio_threshold=2.4,
            # after a prefix, a timestamp ends its segment and Whisper stops there: the sentence after it is
            # decoded as text (the offline measure above CONTEXT_AUDIO_S in engine/settle.py was made so)
            without_timestamps=bool(options.prefix),
            suppress_blank=True,
            hallucination_silence_threshold=None,
            max_new_tokens=max_tokens,
        )
        words: list[Word] = []
        dropped = 0
        self._last_temperature = 0.0
        # without timestamps a window is one segment, and faster-whisper goes on from its last word in a window of its
        # own, hearing the silence after the sentence as "Bye. Bye.": the first is the decode asked for (the
        # generator decodes windows as they are asked for)
        segments = list(itertools.islice(segments, 1)) if options.prefix else list(segments)
        # the prefix comes back as the output's first words: they are left out before any guard looks (the same
        # phrase said again after it is not a loop)
        unread = _after_prefix([w for seg in segments for w in seg.words or ()], options.prefix)
        if unread is None:
            log.debug("the decode did not read back its prefix %r", (options.prefix or "")[-40:])
            return Hypothesis((), info.language, float(info.language_probability), None, prefix_read=False), True
        for seg in segments:
            self._last_temperature = max(self._last_temperature, float(getattr(seg, "temperature", 0.0) or 0.0))
            seg_words = [w for w in seg.words or () if id(w) in unread]
            if options.prefix and not seg_words:
                continue
            text = "".join(w.word for w in seg_words) if options.prefix else seg.text
            if _is_hallucination(seg, duration, text) or self._guard.echo_only(text, seg.no_speech_prob, seg.avg_logprob):
                log.debug("dropped segment as hallucination: %r nsp=%.2f lp=%.2f", text, seg.no_speech_prob,
                          seg.avg_logprob)
                dropped += 1
                continue
            for w in self._guard.drop_recited(seg_words if options.prefix else seg.words or ()):
                if w.word.strip():
                    words.append(Word(offset + float(w.start), offset + float(w.end), w.word, float(w.probability)))
        unlooped = remove_repetition_loops(words)
        cleaned = drop_squeezed_words(unlooped)
        # Squeezed words are routine (Whisper pads the end with zero-length words) and no sign of a broken
        # decode; a cut loop is only a problem when it ate the words after it (the speech is not covered).
        uncovered = duration - ((cleaned[-1].end - offset) if cleaned else 0.0)
        lost_words = len(unlooped) < len(words) and uncovered > LOOP_UNCOVERED_S
        suspicious = dropped > 0 or lost_words or (not cleaned and duration >= 1.0)
        if suspicious:
            log.debug("suspicious decode: %d segments dropped, %d loop words cut, %d words kept", dropped,
                      len(words) - len(unlooped), len(cleaned))
        detected = {code: float(p) for code, p in info.all_language_probs} if info.all_language_probs else None
        return Hypothesis(tuple(cleaned), info.language, float(info.language_probability), detected), suspicious


def encoder_window_frames(duration: float, min_window: float, margin: float) -> int:
    """The fitted encoder window for `duration` s of audio, in mel frames: the audio and `margin` s of silence, at
    least `min_window` s, rounded up to whole seconds (WINDOW_STEP_S), at most Whisper's 30 s."""
    steps = math.ceil(round(max(min_window, duration + margin) / WINDOW_STEP_S, 6))
    return int(min(30.0, steps * WINDOW_STEP_S) * FRAMES_PER_SECOND)


def _after_prefix(words: Sequence, prefix: Optional[str]) -> Optional[set[int]]:
    """The ids of faster-whisper's words after those that spell `prefix` (all of them when there is none); None when
    the words do not start with it. Whisper's punctuation rule may join the first new mark to the prefix's last word
    ("end" + "." read as "end."): that word goes with the prefix."""
    if not prefix:
        return {id(w) for w in words}
    wanted, read = " ".join(prefix.split()), ""
    for k, w in enumerate(words):
        read = " ".join((read + w.word).split()) if read else " ".join(w.word.split())
        if len(read) >= len(wanted):
            return {id(later) for later in words[k + 1:]} if read.startswith(wanted) else None
    return None


def _is_hallucination(seg, duration: float, text: Optional[str] = None) -> bool:
    """`text`: the segment's own text, less a prefix it read back."""
    text = re.sub(r"[^\w ]+", "", seg.text if text is None else text).strip().lower()
    if not text:
        return True
    # A high compression ratio alone is not dropped: it is usually real speech followed by a decoding
    # loop, and remove_repetition_loops keeps the speech and cuts the loop.
    if seg.no_speech_prob > 0.6 and seg.avg_logprob < -0.7:
        return True
    if text in SILENCE_PHRASES and (seg.no_speech_prob > 0.2 or seg.avg_logprob < -0.6):
        return True
    return False


# One letter over and over inside a word: the decoder looping on a token ("ПОЛИЦИИИИИИИИ...", settled after a Russian
# prompt). No word of any language repeats a letter seven times; digits ("1000000") are not letters.
LETTER_LOOP = re.compile(r"([^\W\d_])\1{6,}", re.IGNORECASE)


def remove_repetition_loops(words: Sequence[Word], max_ngram: int = 16) -> list[Word]:
    """Cut a phrase that Whisper's decoder repeats in a loop, and a word that is one letter looped.

    A single word may repeat three times ("no, no, no"), a two- or three-word phrase twice; a
    phrase of four or more words said twice in a row is a decoding loop, not speech.
    """
    out = [w for w in words if not LETTER_LOOP.search(w.text)]
    keys = [w.key for w in out]
    for n in range(1, max_ngram + 1):
        allowed = 3 if n == 1 else 2 if n <= 3 else 1
        i = 0
        while i + n * (allowed + 1) <= len(keys):
            gram = keys[i : i + n]
            repeats = 1
            j = i + n
            while keys[j : j + n] == gram:
                repeats += 1
                j += n
            if repeats > allowed:
                del out[i + n * allowed : j]
                del keys[i + n * allowed : j]
            i += 1
    return out


def drop_squeezed_words(words: Sequence[Word], min_duration: float = 0.02) -> list[Word]:
    """Drop the words Whisper squeezes into no time: they were never said.

    After the speech, any such word (Whisper pads the end of the audio with them). Inside it, two or more in a
    row: its alignment gives text it read from no audio no time, and a phrase of it is a repeat of what came before
    ("... at least you know they are." then "Well, there is not much difference. At least" all at 24.584 s, in a
    live run of the phone call). A lone squeezed word inside the speech is kept: a short real word ("I", "in") can
    get no time of its own (39 of the 2,063 words decoded in six live runs of the call, where the three runs of two,
    "go back" twice and "I'm gonna", were never said; no run of two or more in the file route over the real corpus,
    or live on the continuous English and multilingual readings)."""
    out = list(words)
    while out and out[-1].end - out[-1].start < min_duration:
        out.pop()
    kept: list[Word] = []
    for squeezed, run in itertools.groupby(out, key=lambda w: w.end - w.start < min_duration):
        run_words = list(run)
        if squeezed and len(run_words) >= 2:
            log.debug("dropped %d words squeezed into no time: %r", len(run_words), join_words(run_words))
        else:
            kept.extend(run_words)
    return kept


def _cuda_available() -> bool:
    try:
        import ctranslate2

        return ctranslate2.get_cuda_device_count() > 0
    except Exception:
        return False


def _model_error_message(spec: str, exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "local_files_only" in text or "offline" in text.lower() or "connection" in text.lower() or "resolve" in text.lower():
        return (f"Whisper model '{spec}' is not downloaded and cannot be fetched now (no network?). "
                f"Download it on a connected machine, or pass --model with a local model folder.")
    return f"Could not load Whisper model '{spec}': {text}"
