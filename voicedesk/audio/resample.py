"""Streaming downmix + resample of any PCM block stream to 16 kHz mono float32."""

from __future__ import annotations

import numpy as np
import soxr

from voicedesk.audio import SAMPLE_RATE


def to_float_mono(block: np.ndarray) -> np.ndarray:
    """Scale integer PCM to [-1, 1) and average the channels: (frames,) or (frames, channels) in."""
    data = np.asarray(block)
    if data.ndim > 2:
        raise ValueError(f"audio block must be 1-D or (frames, channels), got shape {data.shape}")
    if np.issubdtype(data.dtype, np.unsignedinteger):
        # unsigned PCM (8-bit WAV) is offset by half its range
        half = float(np.iinfo(data.dtype).max // 2 + 1)
        data = (data.astype(np.float32) - half) / half
    elif np.issubdtype(data.dtype, np.signedinteger):
        data = data.astype(np.float32) / float(-np.iinfo(data.dtype).min)
    else:
        data = data.astype(np.float32, copy=False)
    if data.ndim == 2:
        data = data.mean(axis=1, dtype=np.float32) if data.shape[1] > 1 else data[:, 0]
    return np.ascontiguousarray(data, dtype=np.float32)


class StreamResampler:
    """Turns consecutive blocks at `in_rate` into one continuous 16 kHz mono float32 stream.

    State (filter history) carries across `process` calls, so block boundaries leave no
    clicks; `flush` returns the tail held back by the filter once the input has ended.
    """

    def __init__(self, in_rate: float, out_rate: int = SAMPLE_RATE, quality: str = "HQ") -> None:
        if in_rate <= 0:
            raise ValueError(f"input sample rate must be positive, got {in_rate}")
        self.in_rate = float(in_rate)
        self.out_rate = int(out_rate)
        # equal rates: pass through, which also avoids the filter's start-up delay
        self._stream = (
            None
            if self.in_rate == self.out_rate
            else soxr.ResampleStream(self.in_rate, self.out_rate, 1, dtype="float32", quality=quality)
        )
        self._flushed = False

    def process(self, block: np.ndarray) -> np.ndarray:
        """Downmix and resample one block; may return fewer (even zero) samples while the filter fills."""
        if self._flushed:
            raise RuntimeError("resampler already flushed")
        mono = to_float_mono(block)
        if self._stream is None:
            return mono
        return self._stream.resample_chunk(mono, last=False)

    def flush(self) -> np.ndarray:
        """End the stream and return what the filter still holds."""
        if self._flushed:
            return np.zeros(0, dtype=np.float32)
        self._flushed = True
        if self._stream is None:
            return np.zeros(0, dtype=np.float32)
        return self._stream.resample_chunk(np.zeros(0, dtype=np.float32), last=True)
