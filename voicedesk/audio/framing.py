"""Cutting a stream of audio blocks of any length into whole fixed-size frames (the VAD's 32 ms frames).

One `Framer` per stream is the only place that holds the samples not yet making a whole frame: the
capture thread frames each block once, and both the VAD and the gate are handed those same frames.
"""

from __future__ import annotations

import numpy as np


class Framer:
    """Turns consecutive blocks into `(n, size)` float32 frames; a remainder waits for the next block."""

    def __init__(self, size: int) -> None:
        if size <= 0:
            raise ValueError(f"frame size must be positive, got {size}")
        self.size = size
        self._pending = np.zeros(0, np.float32)

    @property
    def pending(self) -> int:
        """Samples held back until the next block completes a frame."""
        return len(self._pending)

    def reset(self) -> None:
        self._pending = np.zeros(0, np.float32)

    def push(self, samples: np.ndarray) -> np.ndarray:
        """The whole frames `samples` completes, oldest first (shape `(n, size)`; n may be 0)."""
        audio = np.concatenate([self._pending, samples.astype(np.float32, copy=False).reshape(-1)])
        n = len(audio) // self.size
        self._pending = audio[n * self.size:]
        return audio[: n * self.size].reshape(n, self.size)
