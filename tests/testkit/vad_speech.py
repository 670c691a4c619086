"""Speech found by voicedesk's own VAD (Silero + the gate), as stretches: what the diarizer's tests feed it, as
the engine feeds it the speech its gate keeps.

The gate's transcription settings pad speech and bridge pauses, which diarization scores as false
alarm (issue 22 measured 20-30 % with faster-whisper's defaults); here pauses of 0.3 s end a stretch
and only two frames (64 ms) of pre-roll are kept.
"""

from __future__ import annotations

from typing import Iterator, Optional

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.audio.vad import FRAME, GateConfig, SileroVad, SpeechEnd, SpeechFrame, SpeechStart, VadGate

DIARIZATION_GATE = GateConfig(threshold=0.5, end_silence_s=0.3, pre_roll_s=0.064)


def speech_stretches(audio: np.ndarray, config: GateConfig = DIARIZATION_GATE,
                     vad: Optional[SileroVad] = None, block_s: float = 10.0) -> Iterator[tuple[float, np.ndarray]]:
    """(start seconds, samples) of each stretch of speech in 16 kHz `audio`, in order.

    The audio is read in blocks of `block_s`, so a long recording is never copied whole; each stretch
    ends where its last speech frame ends (the gate's trailing silence is cut off).
    """
    from voicedesk.audio.vad import GateFrame

    vad = vad or SileroVad()
    vad.reset()
    gate = VadGate(config)
    frames: list[np.ndarray] = []
    start = 0.0
    block = max(1, int(block_s * SAMPLE_RATE) // FRAME) * FRAME
    for offset in range(0, len(audio) - FRAME + 1, block):
        chunk = np.asarray(audio[offset:offset + block], np.float32)
        n = len(chunk) // FRAME
        rows = chunk[:n * FRAME].reshape(n, FRAME)
        for i, p in enumerate(vad.probabilities(rows)):
            t = (offset + i * FRAME) / SAMPLE_RATE
            for out in gate.push(GateFrame(t, rows[i], float(p), gate.in_speech)):
                if isinstance(out, SpeechStart):
                    frames = [f.samples for f in out.pre_roll]
                    start = out.pre_roll[0].start if out.pre_roll else out.time
                elif isinstance(out, SpeechFrame):
                    frames.append(out.frame.samples)
                elif isinstance(out, SpeechEnd):
                    stretch = _cut(frames, start, out.time)
                    frames = []
                    if not out.discarded and len(stretch):
                        yield start, stretch
    for out in gate.flush():
        if isinstance(out, SpeechEnd) and not out.discarded:
            stretch = _cut(frames, start, out.time)
            if len(stretch):
                yield start, stretch


def _cut(frames: list[np.ndarray], start: float, end: float) -> np.ndarray:
    audio = np.concatenate(frames) if frames else np.zeros(0, np.float32)
    return audio[:max(0, int(round((end - start) * SAMPLE_RATE)))]
