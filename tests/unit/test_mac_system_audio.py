"""The platform-independent parts of macOS system audio (ScreenCaptureKit): sample-buffer bytes to numpy,
and which message a refusal gets. macOS cannot exist here: the AudioStreamBasicDescription is a plain
object with the fields pyobjc gives, and the errors are (domain, code) pairs as NSError carries them.
The ScreenCaptureKit calls themselves were not run (no Mac)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import pytest

from voicedesk.audio import mac_system_audio
from voicedesk.audio.mac_system_audio import (
    FLAG_IS_FLOAT, FLAG_IS_NON_INTERLEAVED, SCSTREAM_ERROR_DOMAIN, USER_DECLINED, PcmFormat, ScreenCaptureSource,
    format_from_asbd, macos_version_supported, pcm_to_array, start_problem,
)
from voicedesk.audio.source import DeviceError

FRAMES = 480
LEFT = np.sin(np.linspace(0, 20, FRAMES)).astype(np.float32) * 0.5
RIGHT = np.linspace(-0.25, 0.25, FRAMES).astype(np.float32)


def test_planar_float_as_screencapturekit_delivers_it():
    # one plane per channel, one after the other (kAudioFormatFlagIsNonInterleaved)
    asbd = SimpleNamespace(mSampleRate=48000.0, mFormatFlags=FLAG_IS_FLOAT | FLAG_IS_NON_INTERLEAVED | 0x8,
                           mChannelsPerFrame=2, mBitsPerChannel=32)
    fmt = format_from_asbd(asbd)
    assert (fmt.rate, fmt.channels, fmt.is_float, fmt.non_interleaved) == (48000.0, 2, True, True)
    out = pcm_to_array(np.concatenate([LEFT, RIGHT]).tobytes(), fmt)
    assert out.shape == (FRAMES, 2) and out.dtype == np.float32
    np.testing.assert_array_equal(out[:, 0], LEFT)
    np.testing.assert_array_equal(out[:, 1], RIGHT)


def test_interleaved_int16_is_scaled():
    pcm = (np.stack([LEFT, RIGHT], axis=1) * 32768).round().clip(-32768, 32767).astype("<i2")
    out = pcm_to_array(pcm.tobytes(), PcmFormat(44100.0, 2, 16, is_float=False, non_interleaved=False))
    np.testing.assert_allclose(out[:, 0], LEFT, atol=1 / 32768)
    np.testing.assert_allclose(out[:, 1], RIGHT, atol=1 / 32768)


def test_a_torn_trailing_frame_is_dropped_and_odd_formats_refused():
    data = np.stack([LEFT, RIGHT], axis=1).tobytes() + b"\x00\x01"
    assert pcm_to_array(data, PcmFormat(48000.0, 2, 32, True, False)).shape == (FRAMES, 2)
    with pytest.raises(ValueError):
        pcm_to_array(b"\x00" * 12, PcmFormat(48000.0, 1, 24, False, False))


def test_a_declined_permission_says_where_to_allow_it_other_errors_say_what_happened():
    denied = start_problem(SCSTREAM_ERROR_DOMAIN, USER_DECLINED, "The user declined TCCs")
    assert "Screen & System Audio Recording" in denied and "System Settings" in denied
    other = start_problem("NSOSStatusErrorDomain", -50, "paramErr")
    assert "paramErr" in other and "Screen & System Audio Recording" not in other
    assert denied.context == other.context == "SystemAudio"


@pytest.mark.parametrize("version, ok", [("13.0", True), ("14.4.1", True), ("15", True), ("12.7.5", False),
                                         ("", False), ("x", False)])
def test_screencapturekit_audio_needs_macos_13(version, ok):
    assert macos_version_supported(version) is ok


class _Stopped:
    """An NSError as pyobjc hands it to stream:didStopWithError: (macOS cannot exist here)."""

    def domain(self) -> str:
        return SCSTREAM_ERROR_DOMAIN

    def code(self) -> int:
        return USER_DECLINED

    def localizedDescription(self) -> str:
        return "The user declined TCCs"


@pytest.fixture
def capturing(monkeypatch):
    """A ScreenCaptureSource as if its SCStream had started: ScreenCaptureKit itself cannot run here, so its
    sample buffers are (samples, rate) pairs that a stand-in for the CoreMedia conversion hands through."""
    monkeypatch.setattr(mac_system_audio, "sample_buffer_to_array", lambda buffer: buffer)
    source = ScreenCaptureSource(buffer_s=0.16, stall_timeout_s=0.3)
    source._stream = SimpleNamespace(stopCaptureWithCompletionHandler_=lambda handler: handler(None))
    source._last_data = time.monotonic()
    return source


def test_captured_buffers_are_resampled_and_what_overflows_is_counted_in_seconds(capturing):
    tone = np.stack([LEFT, RIGHT], axis=1)   # 10 ms at 48 kHz, as ScreenCaptureKit sends them
    for _ in range(20):                      # the queue holds 16 of them
        capturing._on_buffer((tone, 48_000.0))
    assert capturing.dropped_seconds == pytest.approx(4 * FRAMES / 48_000)
    out = capturing.read(1.0)
    assert out is not None and out.dtype == np.float32 and out.ndim == 1
    assert 0 < out.size <= 16 * FRAMES // 3   # 160 ms at 16 kHz, less what the filter still holds
    capturing.stop()
    assert capturing.read(0.1).size == 0


def test_no_buffers_at_all_means_the_stream_died(capturing):
    assert capturing.read(0.0) is None
    with pytest.raises(DeviceError, match="stopped delivering sound"):
        capturing.read(2.0)


def test_a_stream_that_stops_with_an_error_says_where_the_permission_is(capturing):
    capturing._on_stopped(_Stopped())
    with pytest.raises(DeviceError, match="Screen & System Audio Recording"):
        capturing.read(1.0)
