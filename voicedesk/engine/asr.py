"""The Whisper model behind a narrow interface: audio in, words with session times out.

Everything model-specific lives here: loading (faster-whisper, CTranslate2), the short encoder
window, and the guards against Whisper's known failures on silence and noise.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from typing import Optional, Protocol, Sequence

import numpy as np

from voicedesk.engine.models import ModelError, cached_model_path, resolve_model
from voicedesk.engine.settings import EngineSettings
from voicedesk.engine.streaming import Word

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
FRAMES_PER_SECOND = 100          # Whisper's mel frames

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


@dataclass(frozen=True)
class Hypothesis:
    words: tuple[Word, ...]
    language: str
    language_probability: float = 1.0


class Decoder(Protocol):
    """What the streaming transcriber needs from a model."""

    def decode(self, audio: np.ndarray, offset: float, options: DecodeOptions) -> Hypothesis: ...


def _fit_window_model_class():
    from faster_whisper import WhisperModel

    class FitWindowWhisperModel(WhisperModel):
        """Encodes only the audio present (plus a margin) instead of a zero-padded 30 s window.

        CTranslate2's Whisper encoder accepts shorter inputs; faster-whisper always pads to
        3,000 frames, which makes every decode cost as much as 30 s of audio.
        """

        fit_frames: Optional[int] = None

        def encode(self, features):  # noqa: D102 - overrides faster-whisper
            if self.fit_frames is not None and features.shape[-1] > self.fit_frames:
                features = features[..., : self.fit_frames]
            return super().encode(features)

    return FitWindowWhisperModel


class WhisperAsr:
    """faster-whisper in-process, configured from EngineSettings."""

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        self.model = None
        self.device = "cpu"
        self.compute_type = "int8"
        self.multilingual = True

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
        cls = _fit_window_model_class()
        try:
            self.model = cls(path, device=device, compute_type=compute, cpu_threads=s.cpu_threads)
        except Exception as exc:  # CTranslate2, huggingface_hub and OS errors all mean the same to the user
            raise ModelError(_model_error_message(s.model, exc)) from exc
        self.device, self.compute_type = device, compute
        self.multilingual = bool(self.model.model.is_multilingual)

    def decode(self, audio: np.ndarray, offset: float, options: DecodeOptions) -> Hypothesis:
        hyp, suspicious = self._decode(audio, offset, options, fit=self.settings.fit_encoder_window)
        if suspicious and options.final and self.settings.fit_encoder_window:
            # The short window occasionally loses an utterance or loops on it; a final is worth one more
            # decode with Whisper's own 30 s window rather than losing words.
            retry, retry_suspicious = self._decode(audio, offset, options, fit=False)
            if len(retry.words) > len(hyp.words) or not retry_suspicious:
                hyp = retry
        return hyp

    def _decode(self, audio: np.ndarray, offset: float, options: DecodeOptions, fit: bool) -> tuple[Hypothesis, bool]:
        """One decode; also says whether it looks broken (segments dropped, a loop cut, nothing heard)."""
        model = self.model
        assert model is not None, "load() first"
        duration = len(audio) / SAMPLE_RATE
        if fit:
            s = self.settings
            window = min(30.0, max(s.encoder_min_window_s, duration + s.encoder_margin_s))
            model.fit_frames = int(math.ceil(window * FRAMES_PER_SECOND / 2) * 2)
        else:
            model.fit_frames = None
        language = options.language if self.multilingual else "en"
        # people say at most ~5 tokens a second; a cap makes a repetition loop cheap instead of a 10 s stall
        max_tokens = min(440, int(duration * 8) + 24)
        segments, info = model.transcribe(
            audio,
            language=language,
            task="transcribe",
            beam_size=options.beam_size,
            best_of=options.beam_size,
            temperature=[0.0, 0.3, 0.6] if options.final else [0.0],
            initial_prompt=options.prompt or None,
            condition_on_previous_text=False,
            word_timestamps=True,
            vad_filter=False,
            no_speech_threshold=self.settings.no_speech_threshold,
            log_prob_threshold=-1.0,
            compression_ratio_threshold=2.4,
            without_timestamps=False,
            suppress_blank=True,
            hallucination_silence_threshold=None,
            max_new_tokens=max_tokens,
        )
        words: list[Word] = []
        dropped = 0
        for seg in segments:
            if _is_hallucination(seg, duration):
                log.debug("dropped segment as hallucination: %r", seg.text)
                dropped += 1
                continue
            for w in seg.words or ():
                if w.word.strip():
                    words.append(Word(offset + float(w.start), offset + float(w.end), w.word))
        cleaned = drop_squeezed_tail(remove_repetition_loops(words))
        suspicious = dropped > 0 or len(cleaned) < len(words) or (not cleaned and duration >= 1.0)
        return Hypothesis(tuple(cleaned), info.language, float(info.language_probability)), suspicious


def _is_hallucination(seg, duration: float) -> bool:
    text = re.sub(r"[^\w ]+", "", seg.text).strip().lower()
    if not text:
        return True
    # A high compression ratio alone is not dropped: it is usually real speech followed by a decoding
    # loop, and remove_repetition_loops keeps the speech and cuts the loop.
    if seg.no_speech_prob > 0.6 and seg.avg_logprob < -0.7:
        return True
    if text in SILENCE_PHRASES and (seg.no_speech_prob > 0.2 or seg.avg_logprob < -0.6):
        return True
    return False


def remove_repetition_loops(words: Sequence[Word], max_ngram: int = 16) -> list[Word]:
    """Cut a phrase that Whisper's decoder repeats in a loop.

    A single word may repeat three times ("no, no, no"), a two- or three-word phrase twice; a
    phrase of four or more words said twice in a row is a decoding loop, not speech.
    """
    out = list(words)
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


def drop_squeezed_tail(words: Sequence[Word], min_duration: float = 0.02) -> list[Word]:
    """Drop the words Whisper squeezes into no time after the speech: they were never said."""
    out = list(words)
    while out and out[-1].end - out[-1].start < min_duration:
        out.pop()
    return out


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
