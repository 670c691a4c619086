"""The platform-independent parts of macOS system audio (ScreenCaptureKit): sample-buffer bytes to numpy,
silence filled from the clock, and which message a refusal gets. macOS cannot exist here, so the values
have the shapes pyobjc really hands over, read from its metadata (pyobjc-framework-CoreMedia 10.3 to 12.2):
CMAudioFormatDescriptionGetStreamBasicDescription is `^{AudioStreamBasicDescription=dIIIIIIII}` with
`deref_result_pointer`, and without pyobjc-framework-CoreAudio imported (voicedesk does not import it) no
struct type is registered for it, so the struct arrives as a plain 9-tuple in the field order of
CoreAudioBaseTypes.h. CMBlockBufferCopyDataBytes (`i^{OpaqueCMBlockBuffer=}QQ^v`, argument 3 an output
array) returns (status, bytes). The errors are (domain, code) pairs as NSError carries them. The
ScreenCaptureKit calls themselves were not run (no Mac)."""

from __future__ import annotations

import sys
from types import ModuleType, SimpleNamespace

import numpy as np
import pytest

from voicedesk.audio import mac_system_audio
from voicedesk.audio.mac_system_audio import (
    SCSTREAM_ERROR_DOMAIN, USER_DECLINED, PcmFormat, ScreenCaptureSource, SilenceFiller, format_from_asbd,
    macos_version_supported, pcm_to_array, sample_buffer_to_array, start_problem,
)
from voicedesk.audio.source import DeviceError

FRAMES = 480
LEFT = np.sin(np.linspace(0, 20, FRAMES)).astype(np.float32) * 0.5
RIGHT = np.linspace(-0.25, 0.25, FRAMES).astype(np.float32)


K_AUDIO_FORMAT_LINEAR_PCM = 0x6C70636D   # 'lpcm'
# ScreenCaptureKit's format: 48 kHz Float32, one plane per channel
# (kAudioFormatFlagIsFloat | kAudioFormatFlagIsPacked | kAudioFormatFlagIsNonInterleaved = 0x29), so one frame
# of one plane is 4 bytes. (mSampleRate, mFormatID, mFormatFlags, mBytesPerPacket, mFramesPerPacket,
# mBytesPerFrame, mChannelsPerFrame, mBitsPerChannel, mReserved), as pyobjc returns it: a tuple.
SCK_ASBD = (48000.0, K_AUDIO_FORMAT_LINEAR_PCM, 0x29, 4, 1, 4, 2, 32, 0)


def test_planar_float_as_screencapturekit_delivers_it():
    # the description is read by position: pyobjc hands it over as a tuple, without attributes
    fmt = format_from_asbd(SCK_ASBD)
    assert (fmt.rate, fmt.channels, fmt.bits, fmt.is_float, fmt.non_interleaved, fmt.big_endian) == (
        48000.0, 2, 32, True, True, False)
    out = pcm_to_array(np.concatenate([LEFT, RIGHT]).tobytes(), fmt)
    assert out.shape == (FRAMES, 2) and out.dtype == np.float32
    np.testing.assert_array_equal(out[:, 0], LEFT)
    np.testing.assert_array_equal(out[:, 1], RIGHT)


def test_a_description_that_is_no_audio_stream_basic_description_is_refused():
    with pytest.raises(ValueError, match="AudioStreamBasicDescription"):
        format_from_asbd((48000.0, K_AUDIO_FORMAT_LINEAR_PCM, 0x29))
    with pytest.raises(ValueError, match="AudioStreamBasicDescription"):
        format_from_asbd(SimpleNamespace(mSampleRate=48000.0, mFormatFlags=0x29, mChannelsPerFrame=2,
                                         mBitsPerChannel=32))


def _core_media(asbd, data: bytes, status: int = 0) -> ModuleType:
    """CoreMedia as pyobjc binds these five functions (macOS only): the opaque CF objects are stand-ins,
    the description a plain tuple, CMBlockBufferCopyDataBytes's output buffer a (status, bytes) pair."""
    module = ModuleType("CoreMedia")
    block, description = object(), object()
    module.CMSampleBufferGetDataBuffer = lambda sample_buffer: block
    module.CMSampleBufferGetFormatDescription = lambda sample_buffer: description
    module.CMAudioFormatDescriptionGetStreamBasicDescription = (
        lambda d: asbd if d is description else pytest.fail("not the buffer's description"))
    module.CMBlockBufferGetDataLength = lambda b: len(data)

    def copy_bytes(b, offset, length, out):
        assert b is block and (offset, length, out) == (0, len(data), None)
        return status, data
    module.CMBlockBufferCopyDataBytes = copy_bytes
    return module


def test_a_sample_buffer_is_decoded_from_what_coremedia_hands_over(monkeypatch):
    planes = np.concatenate([LEFT, RIGHT]).tobytes()
    monkeypatch.setitem(sys.modules, "CoreMedia", _core_media(SCK_ASBD, planes))
    samples, rate = sample_buffer_to_array(object())
    assert rate == 48000.0 and samples.shape == (FRAMES, 2)
    np.testing.assert_array_equal(samples[:, 0], LEFT)
    np.testing.assert_array_equal(samples[:, 1], RIGHT)


def test_a_buffer_coremedia_cannot_copy_is_an_error_and_one_without_a_description_is_skipped(monkeypatch):
    monkeypatch.setitem(sys.modules, "CoreMedia", _core_media(SCK_ASBD, b"\0" * 16, status=-12700))
    with pytest.raises(OSError, match="-12700"):
        sample_buffer_to_array(object())
    monkeypatch.setitem(sys.modules, "CoreMedia", _core_media(None, b"\0" * 16))
    assert sample_buffer_to_array(object()) is None


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


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# ---------------------------------------------------------------- silence from the clock

def test_no_silence_is_added_while_buffers_keep_pace_with_the_clock():
    clock = FakeClock()
    filler = SilenceFiller(gap_s=0.5, clock=clock)
    filler.start()
    for arrived in (0.02, 0.01, 0.03, 0.0, 0.02):   # 10 ms buffers, read every 20 ms, with jitter
        clock.advance(0.02)
        assert filler.due(arrived) == 0.0


def test_a_gap_without_buffers_becomes_silence_as_long_as_the_gap():
    clock = FakeClock()
    filler = SilenceFiller(gap_s=0.5, clock=clock)
    filler.start()
    clock.advance(0.3)
    assert filler.due(0.3) == 0.0            # audio flowing
    clock.advance(0.4)
    assert filler.due(0.0) == 0.0            # 0.4 s without a buffer: maybe only late
    clock.advance(0.2)
    assert filler.due(0.0) == pytest.approx(0.6)   # 0.6 s without a buffer: nothing plays
    clock.advance(0.25)
    assert filler.due(0.0) == pytest.approx(0.25)  # once silent, silence keeps pace with the clock
    clock.advance(0.001)
    assert filler.due(0.0) == 0.0            # a sliver is left for the next turn ...
    clock.advance(0.1)
    assert filler.due(0.0) == pytest.approx(0.101)  # ... not lost
    # sound again: 0.04 s arrived in the last 0.3 s, so the 0.26 s before it were silent
    clock.advance(0.3)
    assert filler.due(0.04) == pytest.approx(0.26)
    clock.advance(0.02)
    assert filler.due(0.02) == 0.0


def test_silence_plus_sound_matches_the_time_that_passed():
    clock = FakeClock()
    filler = SilenceFiller(gap_s=0.5, clock=clock)
    filler.start()
    delivered = 0.0
    pattern = [0.02] * 50 + [0.0] * 200 + [0.02] * 30 + [0.0] * 40 + [0.02] * 10   # sound, 4 s quiet, sound
    for arrived in pattern:
        clock.advance(0.02)
        delivered += arrived + filler.due(arrived)
    assert delivered == pytest.approx(0.02 * len(pattern), abs=0.5)


# ---------------------------------------------------------------- the source as the reader sees it

@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def capturing(monkeypatch, clock):
    """A ScreenCaptureSource as if its SCStream had started: ScreenCaptureKit itself cannot run here, so its
    sample buffers are (samples, rate) pairs that a stand-in for the CoreMedia conversion hands through."""
    monkeypatch.setattr(mac_system_audio, "sample_buffer_to_array", lambda buffer: buffer)
    source = ScreenCaptureSource(buffer_s=0.16, silence_gap_s=0.5, clock=clock)
    source._stream = SimpleNamespace(stopCaptureWithCompletionHandler_=lambda handler: handler(None))
    source._filler.start()
    return source


def test_captured_buffers_are_resampled_and_what_overflows_is_counted_in_seconds(capturing):
    tone = np.stack([LEFT, RIGHT], axis=1)   # 10 ms at 48 kHz, as ScreenCaptureKit sends them
    for _ in range(20):                      # the queue holds 16 of them
        capturing._on_buffer((tone, 48_000.0))
    assert capturing.dropped_seconds == pytest.approx(4 * FRAMES / 48_000)
    assert capturing.buffers_received == 20 and capturing.captured_seconds == pytest.approx(0.2)
    out = capturing.read(1.0)
    assert out is not None and out.dtype == np.float32 and out.ndim == 1
    assert 0 < out.size <= 16 * FRAMES // 3   # 160 ms at 16 kHz, less what the filter still holds
    capturing.stop()
    assert capturing.read(0.1).size == 0


def test_while_nothing_plays_the_reader_gets_silence_not_an_error(capturing, clock):
    # ScreenCaptureKit sends no buffers at all while nothing plays: ten seconds of that are ten seconds of zeros
    assert capturing.read(0.0) is None
    total = 0
    for _ in range(40):
        clock.advance(0.25)
        block = capturing.read(0.0)
        if block is not None:
            assert not block.any()
            total += block.size
    assert total == pytest.approx(10 * 16_000, abs=0.5 * 16_000)   # the resampler holds a few ms back
    # then sound again: it follows the silence
    tone = np.stack([LEFT, RIGHT], axis=1)
    clock.advance(0.01)
    capturing._on_buffer((tone, 48_000.0))
    block = capturing.read(0.0)
    assert block is not None and block.any()


def test_unreadable_buffers_are_counted_and_skipped(capturing, monkeypatch):
    def unreadable(buffer):
        raise ValueError("unsupported PCM format")
    monkeypatch.setattr(mac_system_audio, "sample_buffer_to_array", unreadable)
    for _ in range(3):
        capturing._on_buffer(object())
    assert (capturing.buffers_received, capturing.buffers_unreadable, capturing.captured_seconds) == (3, 3, 0.0)


def test_a_stream_that_stops_with_an_error_says_where_the_permission_is(capturing):
    capturing._on_stopped(_Stopped())
    with pytest.raises(DeviceError, match="Screen & System Audio Recording"):
        capturing.read(1.0)
