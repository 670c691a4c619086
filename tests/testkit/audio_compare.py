"""Load real clips, write WAVs, and compare a recording with what was played."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np

from testkit.speech import speech_dir

SPEECH_DIR = speech_dir()


def speech_clip(name: str) -> Path:
    """Path of a clip listed in the shared speech manifest (fails clearly when absent)."""
    manifest = json.loads((SPEECH_DIR / "manifest.json").read_text())
    files = {clip["file"] for clip in manifest["clips"]}
    if name not in files:
        raise FileNotFoundError(f"{name} is not in {SPEECH_DIR / 'manifest.json'}")
    return SPEECH_DIR / name


def decode_16k(path: Path) -> np.ndarray:
    """The whole file as 16 kHz mono float32, through FileSource (unpaced)."""
    from voicedesk.audio.file_source import FileSource

    source = FileSource(path, paced=False, block_s=1.0)
    source.start()
    blocks = []
    while True:
        block = source.read(1.0)
        if block is None:
            continue
        if block.size == 0:
            break
        blocks.append(block)
    source.stop()
    return np.concatenate(blocks)


def write_wav(path: Path, samples: np.ndarray, rate: int = 16_000) -> Path:
    """16-bit mono WAV of float samples in [-1, 1]."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


def best_correlation(recorded: np.ndarray, reference: np.ndarray) -> tuple[float, int]:
    """Pearson correlation of `reference` with `recorded` at the lag that matches best, and that lag.

    The lag is where the reference starts inside the recording (recordings begin with
    silence and device latency); found by FFT cross-correlation.
    """
    n = len(recorded) + len(reference)
    size = 1 << (n - 1).bit_length()
    xcorr = np.fft.irfft(np.fft.rfft(recorded, size) * np.conj(np.fft.rfft(reference, size)), size)
    lag = int(np.argmax(xcorr[: len(recorded)]))
    segment = recorded[lag : lag + len(reference)]
    ref = reference[: len(segment)]
    if len(segment) < len(reference) // 2 or np.std(segment) == 0 or np.std(ref) == 0:
        return 0.0, lag
    return float(np.corrcoef(segment, ref)[0, 1]), lag
