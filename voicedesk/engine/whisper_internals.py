"""Every use of faster-whisper's internals, in one place; tests/unit/test_upstream_internals.py checks each one.

- `WhisperModel.encode(features)` (a method `transcribe` and `detect_language` call, not public API) is
  overridden to cut the mel features to the audio present plus a margin. faster-whisper always pads its
  input to Whisper's 30 s window (3,000 frames), so every decode would cost as much as 30 s of audio; its
  public API has no option for a shorter window, while CTranslate2's encoder accepts one. The window
  travels in a thread-local: one model may serve several threads (the engine's, a server's connections),
  and `transcribe` has no parameter that reaches `encode`. The override also gives back its last output when
  it is asked to encode the very same features again (per thread, one entry for the full window and one for
  short ones): settling a sentence detects its language, decodes it and may translate it from the same audio,
  and the encoder is most of each of those (0.48 s of a 0.72 s full-window decode on 2 cores). A sentence of
  continuous speech is decoded ahead, in the full window, and translated once it completes, with the live
  route's short decodes in between: those must not push its encoding out. faster-whisper 1.2 means to reuse
  the detection's output in `transcribe` too (`encoder_output`), but its `detect_language` no longer returns it.
- `detection_features(model, audio)`: the mel features `transcribe` encodes first (the extractor's last frame
  left out), so a detection given them encodes what the decode then asks for.
- `faster_whisper.tokenizer._LANGUAGE_CODES`: the language codes Whisper knows. The public
  `WhisperModel.supported_languages` needs a loaded model; the language menus and the server's checks
  need the list before any model is loaded.

Known to work: faster-whisper 1.2.1 (pyproject.toml bounds it below the next minor version).
faster_whisper is imported inside the functions: importing it costs CTranslate2 and ONNX Runtime.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, Optional

import numpy as np

_WINDOW = threading.local()   # .frames: the encoder window of the decode running on this thread (None: 30 s)
_ENCODED = threading.local()  # .kept: {full window?: (the model, by weak reference; its features; the encoder's output)}
_REUSED = [0]                 # encodes answered from .kept, on any thread (diagnostics)


def set_encoder_frames(frames: Optional[int]) -> None:
    """The encoder window, in mel frames, of the decodes that follow on this thread; None for Whisper's full 30 s."""
    _WINDOW.frames = frames


def encoder_frames() -> Optional[int]:
    """The encoder window set on this thread (None: the full window, also on a thread that never set one)."""
    return getattr(_WINDOW, "frames", None)   # a thread-local has no attribute on a thread that never set it


def fit_window_model_class() -> type:
    """faster-whisper's `WhisperModel` with its `encode` cut to this thread's encoder window."""
    from faster_whisper import WhisperModel

    class FitWindowWhisperModel(WhisperModel):
        """Encodes only the audio present (plus a margin) instead of a zero-padded 30 s window."""

        def encode(self, features: Any) -> Any:  # noqa: D102 - overrides faster-whisper's internal method
            frames = encoder_frames()
            if frames is not None and features.shape[-1] > frames:
                features = features[..., :frames]
            kept = getattr(_ENCODED, "kept", None)
            if kept is None:
                kept = _ENCODED.kept = {}
            last = kept.get(frames is None)
            if (last is not None and last[0]() is self and last[1].shape == features.shape
                    and np.array_equal(last[1], features)):
                _REUSED[0] += 1
                return last[2]
            output = super().encode(features)
            kept[frames is None] = (weakref.ref(self), np.array(features, copy=True), output)
            return output

    return FitWindowWhisperModel


def encoder_outputs_reused() -> int:
    """How many encodes gave back an output kept from before on their thread (for tests and benchmarks)."""
    return _REUSED[0]


def detection_features(model: Any, audio: np.ndarray) -> np.ndarray:
    """The features `transcribe` encodes first for `audio`: its extractor's output less the last frame (its
    `content_frames`); `detect_language` keeps that frame, and its encoder input would differ by it."""
    return model.feature_extractor(audio)[..., :-1]


def language_codes() -> tuple[str, ...]:
    """Every language code the Whisper tokenizer knows, in faster-whisper's order."""
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    return tuple(_LANGUAGE_CODES)
