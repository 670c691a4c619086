"""StreamResampler: any rate, any channel count, int or float in; 16 kHz mono float32 out."""

from __future__ import annotations

import numpy as np
import pytest

from voicedesk.audio.resample import StreamResampler, to_float_mono


def _sine(freq: float, rate: int, seconds: float, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _peak_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[np.argmax(spectrum)])


def _stream(resampler: StreamResampler, signal: np.ndarray, block: int) -> np.ndarray:
    parts = [resampler.process(signal[i : i + block]) for i in range(0, len(signal), block)]
    parts.append(resampler.flush())
    return np.concatenate(parts)


def test_stereo_int16_at_44k1_becomes_16k_mono_of_the_same_length_and_pitch():
    mono = _sine(440.0, 44_100, 2.0)
    stereo = np.stack([mono, mono], axis=1)
    pcm = (stereo * 32767).astype(np.int16)
    # odd block size: block edges must not cost or add samples
    out = _stream(StreamResampler(44_100), pcm, block=1_237)
    assert out.dtype == np.float32 and out.ndim == 1
    assert abs(len(out) - 32_000) <= 2
    assert _peak_hz(out, 16_000) == pytest.approx(440.0, abs=1.0)
    # int16 full scale maps to [-1, 1): the 0.5 sine stays at about 0.5
    assert np.max(np.abs(out[1000:-1000])) == pytest.approx(0.5, abs=0.02)


def test_float_at_48k_becomes_16k_and_keeps_its_frequency():
    signal = _sine(1_000.0, 48_000, 1.5)
    out = _stream(StreamResampler(48_000), signal, block=480)
    assert abs(len(out) - 24_000) <= 2
    assert _peak_hz(out, 16_000) == pytest.approx(1_000.0, abs=1.0)


def test_streaming_in_blocks_matches_one_shot_resampling():
    signal = _sine(300.0, 44_100, 1.0)
    one_shot = _stream(StreamResampler(44_100), signal, block=len(signal))
    blocked = _stream(StreamResampler(44_100), signal, block=441)
    assert len(one_shot) == len(blocked)
    # state carries across blocks, so there are no clicks at block boundaries
    np.testing.assert_allclose(blocked, one_shot, atol=1e-5)


def test_channels_are_averaged_not_just_the_first_taken():
    left = _sine(440.0, 16_000, 0.5)
    stereo = np.stack([left, -left], axis=1)
    assert np.max(np.abs(to_float_mono(stereo))) < 1e-6


def test_unsigned_and_wide_integer_pcm_are_scaled_to_unit_range():
    assert to_float_mono(np.array([0, 128, 255], dtype=np.uint8)) == pytest.approx([-1.0, 0.0, 127 / 128])
    assert to_float_mono(np.array([-(2**31), 2**30], dtype=np.int32)) == pytest.approx([-1.0, 0.5])


def test_sixteen_khz_input_passes_through_unchanged():
    signal = _sine(440.0, 16_000, 0.3)
    resampler = StreamResampler(16_000)
    np.testing.assert_array_equal(resampler.process(signal), signal)
    assert resampler.flush().size == 0


def test_four_channel_input_is_downmixed():
    signal = _sine(500.0, 48_000, 0.5)
    quad = np.stack([signal] * 4, axis=1)
    out = _stream(StreamResampler(48_000), quad, block=4_800)
    assert out.ndim == 1 and abs(len(out) - 8_000) <= 2
    assert _peak_hz(out, 16_000) == pytest.approx(500.0, abs=2.0)


def test_processing_after_flush_is_refused():
    resampler = StreamResampler(44_100)
    resampler.flush()
    with pytest.raises(RuntimeError):
        resampler.process(np.zeros(100, dtype=np.float32))
