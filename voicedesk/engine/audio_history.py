"""The last minutes of a run's audio, by session time: what Whisper translates a sentence from.

The capture thread appends every block; the ASR thread reads a span back once the sentence is
complete. Older audio is overwritten, so memory stays bounded (2 minutes of 16 kHz float32 is 7.7 MB).
"""

from __future__ import annotations

import threading
from typing import Optional

import numpy as np

from voicedesk.audio import SAMPLE_RATE


class AudioHistory:
    """A ring buffer of mono 16 kHz audio addressed by session seconds; thread-safe."""

    def __init__(self, seconds: float = 120.0) -> None:
        self._size = int(seconds * SAMPLE_RATE)
        self._ring = np.zeros(self._size, np.float32)
        self._written = 0                  # samples appended since the run began
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self._written = 0

    @property
    def end(self) -> float:
        """Session time of the newest sample."""
        with self._lock:
            return self._written / SAMPLE_RATE

    def append(self, block: np.ndarray) -> None:
        block = np.asarray(block, np.float32).reshape(-1)
        total = len(block)
        if total > self._size:
            block = block[-self._size:]     # only the newest audio fits; the time still counts all of it
        with self._lock:
            pos = (self._written + total - len(block)) % self._size
            first = min(len(block), self._size - pos)
            self._ring[pos:pos + first] = block[:first]
            self._ring[: len(block) - first] = block[first:]
            self._written += total

    def span(self, start: float, end: float) -> Optional[np.ndarray]:
        """A copy of the audio from `start` to `end` (clipped to what exists); None once it was overwritten."""
        with self._lock:
            lo = max(0, int(round(start * SAMPLE_RATE)))
            hi = min(self._written, int(round(end * SAMPLE_RATE)))
            if hi <= lo:
                return np.zeros(0, np.float32)
            if lo < self._written - self._size:
                return None
            idx = np.arange(lo, hi) % self._size
            return self._ring[idx].copy()
