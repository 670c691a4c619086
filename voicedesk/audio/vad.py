"""The VAD gate: Silero (the model faster-whisper bundles) run frame by frame, and the speech/silence state machine.

`SileroVad` turns 32 ms frames of 16 kHz audio (cut by audio/framing.py) into one speech probability
each, carrying the model's recurrent state across calls. `VadGate` is pure: fed probabilities, it
decides where utterances start and end, keeping a little pre-roll so first words are not clipped.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Optional

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.audio.framing import Framer
from voicedesk.i18n import translate
from voicedesk.setting import Surface, setting

FRAME = 512                  # Silero v5/v6 works on 32 ms frames at 16 kHz
CONTEXT = 64                 # samples of the previous frame the model sees
FRAME_S = FRAME / SAMPLE_RATE


class SileroVad:
    """Streaming Silero VAD over faster-whisper's bundled ONNX model (CPU, one thread)."""

    def __init__(self, model_path: Optional[str] = None) -> None:
        import onnxruntime
        from faster_whisper.utils import get_assets_path

        opts = onnxruntime.SessionOptions()
        # one thread: the gate runs on every frame, all session long, and must stay cheap on silence
        opts.inter_op_num_threads = 1
        opts.intra_op_num_threads = 1
        opts.enable_cpu_mem_arena = False
        opts.log_severity_level = 4
        path = model_path or _bundled_model(get_assets_path())
        self._session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"], sess_options=opts)
        self.reset()

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        self._framer = Framer(FRAME)

    def __call__(self, samples: np.ndarray) -> np.ndarray:
        """Speech probabilities for every whole frame completed by `samples` (the remainder waits).

        For a caller that does not need the frames themselves; the engine's capture frames each block
        once (a `Framer`) and hands the frames to `probabilities`, so the samples are held in one place.
        """
        return self.probabilities(self._framer.push(samples))

    def probabilities(self, frames: np.ndarray) -> np.ndarray:
        """One speech probability per row of `frames` (shape `(n, FRAME)`, consecutive in the stream)."""
        n = len(frames)
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        contexts = np.empty((n, CONTEXT), dtype=np.float32)
        contexts[0] = self._context
        contexts[1:] = frames[:-1, -CONTEXT:]
        self._context = frames[-1, -CONTEXT:].copy()
        batch = np.concatenate([contexts, frames], axis=1)
        out, self._h, self._c = self._session.run(None, {"input": batch, "h": self._h, "c": self._c})
        return np.asarray(out, dtype=np.float32).reshape(-1)


def _bundled_model(assets: str) -> str:
    import glob
    import os

    found = sorted(glob.glob(os.path.join(assets, "silero_vad*.onnx")))
    if not found:
        raise FileNotFoundError(f"faster-whisper's Silero VAD model is missing from {assets}")
    return found[-1]


@dataclass(frozen=True)
class GateConfig:
    """The VAD gate's settings (the live route's; the file route has its own, engine/settings.py)."""

    # below 0.1 every breath is speech; above 0.95 quiet voices are lost
    threshold: float = setting(0.5, translate(
        "Settings", "How sure the voice detector must be that it hears speech: lower catches quiet voices, "
                    "higher ignores more noise."), bounds=(0.1, 0.95), surfaces=(Surface.PREFERENCES, Surface.SERVER))
    end_silence_s: float = setting(0.5, translate(
        "Settings", "The pause that ends an utterance and makes its text final: shorter is quicker, longer "
                    "splits fewer sentences."), bounds=(0.1, 5.0),
        surfaces=(Surface.PREFERENCES, Surface.SERVER, Surface.CLI))
    pre_roll_s: float = setting(0.3, translate(
        "Settings", "Audio kept from before speech starts, so first words are not clipped."),
        bounds=(0.0, 2.0), surfaces=(Surface.SERVER,))
    min_speech_s: float = 0.25      # shorter blips are dropped as noise

    @property
    def neg_threshold(self) -> float:
        return max(self.threshold - 0.15, 0.01)


@dataclass(frozen=True)
class GateFrame:
    """What the gate decided about one frame of audio."""

    start: float                    # session time of the frame's first sample
    samples: np.ndarray
    probability: float
    in_speech: bool


@dataclass(frozen=True)
class SpeechStart:
    time: float                     # onset, before pre-roll
    pre_roll: tuple[GateFrame, ...]  # frames to prepend (from before the onset)


@dataclass(frozen=True)
class SpeechFrame:
    frame: GateFrame
    trailing_silence: float         # seconds of silence at the end of speech so far


@dataclass(frozen=True)
class SpeechEnd:
    time: float                     # end of the last speech frame
    discarded: bool                 # too short to be speech: the utterance should be dropped


GateOutput = SpeechStart | SpeechFrame | SpeechEnd


class VadGate:
    """Hysteresis on Silero probabilities; pure, with time as an input (frame start times)."""

    def __init__(self, config: GateConfig) -> None:
        self.config = config
        self._pre: deque[GateFrame] = deque(maxlen=max(1, round(config.pre_roll_s / FRAME_S)))
        self._in_speech = False
        self._speech_start = 0.0
        self._last_speech_end = 0.0
        self._silence = 0.0

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    def push(self, frame: GateFrame) -> list[GateOutput]:
        cfg = self.config
        out: list[GateOutput] = []
        p = frame.probability
        frame_end = frame.start + len(frame.samples) / SAMPLE_RATE
        if not self._in_speech:
            if p >= cfg.threshold:
                self._in_speech = True
                self._speech_start = frame.start
                self._last_speech_end = frame_end
                self._silence = 0.0
                out.append(SpeechStart(frame.start, tuple(self._pre)))
                self._pre.clear()
                out.append(SpeechFrame(frame, 0.0))
            else:
                self._pre.append(frame)
            return out
        if p >= cfg.neg_threshold:
            self._silence = 0.0
            self._last_speech_end = frame_end
        else:
            self._silence += frame_end - frame.start
        out.append(SpeechFrame(frame, self._silence))
        if self._silence >= cfg.end_silence_s:
            self._in_speech = False
            short = (self._last_speech_end - self._speech_start) < cfg.min_speech_s
            out.append(SpeechEnd(self._last_speech_end, discarded=short))
            self._silence = 0.0
        return out

    def flush(self) -> list[GateOutput]:
        """End any utterance in progress (the source ended or was stopped)."""
        if not self._in_speech:
            return []
        self._in_speech = False
        short = (self._last_speech_end - self._speech_start) < self.config.min_speech_s
        return [SpeechEnd(self._last_speech_end, discarded=short)]
