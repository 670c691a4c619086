"""Speaker embeddings: the CAM++ ONNX model on onnxruntime (CPU, one thread by default).

The model's input and first output are used whatever they are called (`feats` in our export, maybe `x` in
sherpa-onnx's); `check_speaker_model` has checked their shapes: (batch, frames, 80) in, (batch, N) out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from voicedesk.engine.speakers.features import fbank
from voicedesk.models.speaker_model import SpeakerModelError, check_speaker_model


class SpeakerEmbedder:
    """One L2-normalised embedding per window of 16 kHz speech.

    Each window's features get their own mean removed (the model was trained on mean-normalised
    segments); windows of the same length run as one batch.
    """

    def __init__(self, path: Path, threads: int = 1) -> None:
        import onnxruntime

        self.info = check_speaker_model(Path(path))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        # onnxruntime's arena keeps the memory of the longest input ever embedded (a 12 s sentence: +50 MB) for
        # the session's life; without it the memory goes back after each call, at the same CPU (measured: 50
        # windows of 1.5 s took 1.79 s with it off, 1.86 s on)
        options.enable_cpu_mem_arena = False
        # onnxruntime plans each input shape's memory once and keeps the plan with its buffers; every final has its
        # own length, so a session of live labels grew by 180-210 MB before levelling off (measured: 1200 spans of
        # 0.3-12 s, +212 MB with the plans, no growth without them, 105.7 s against 106.9 s)
        options.enable_mem_pattern = False
        options.log_severity_level = 4
        try:
            self._session = onnxruntime.InferenceSession(str(path), sess_options=options,
                                                         providers=["CPUExecutionProvider"])
        except Exception as exc:  # checked just above: only a file changed in between gets here
            raise SpeakerModelError(f"{path} could not be loaded ({exc}); install the speaker model again") from None
        self._outputs: list[str] | None = [self.info.output_name] if self.info.output_name else None

    @property
    def dim(self) -> int:
        return self.info.embedding_dim

    def embed_many(self, windows: Sequence[np.ndarray]) -> np.ndarray:
        """(len(windows), dim) float32, each row of unit length (a silent window gives a zero row)."""
        out = np.zeros((len(windows), self.dim), np.float32)
        feats = [fbank(w) for w in windows]
        by_length: dict[int, list[int]] = {}
        for i, f in enumerate(feats):
            by_length.setdefault(len(f), []).append(i)
        for rows in by_length.values():
            batch = np.stack([feats[i] - feats[i].mean(axis=0, keepdims=True) for i in rows]).astype(np.float32)
            vectors = self._session.run(self._outputs, {self.info.input_name: batch})[0]
            out[rows] = vectors
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
