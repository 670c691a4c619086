"""MicrophoneSource and the sound-server source list, on real virtual microphones fed with real speech.

Everything here is real: a PulseAudio server, null sinks + remap sources as microphones,
paplay as the speaker, PortAudio's ALSA `pulse` device as the input (CONTRIBUTING.md, "A virtual microphone").
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import sounddevice as sd
from testkit.audio_compare import best_correlation, decode_16k, speech_clip, write_wav
from testkit.virtual_mic import VirtualMics

from voicedesk.audio import SAMPLE_RATE
from voicedesk.audio.microphone import PA_INVALID_SAMPLE_RATE, MicrophoneSource
from voicedesk.audio.pulse import _via_pactl, find_pulse_source, list_pulse_sources
from voicedesk.audio.source import AudioSource, DeviceError

# a PortAudio call stuck in C ignores signals: the thread method ends such a run instead of hanging it
pytestmark = pytest.mark.timeout(90, method="thread")

# the first callback of a fresh pulse stream comes 0.6-1.8 s after opening; leave room on a busy machine
WARM_UP_S = 10.0


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> dict[str, tuple[Path, np.ndarray]]:
    """jfk and quilter as 16 kHz mono WAVs for paplay, with their samples for comparison."""
    folder = tmp_path_factory.mktemp("speech16k")
    clips = {}
    for key, clip in (("jfk", "jfk_en.flac"), ("quilter", "quilter_en.wav")):
        samples = decode_16k(speech_clip(clip))
        clips[key] = (write_wav(folder / f"{key}.wav", samples), samples)
    # the first words of quilter: enough to tell sources apart, and keeps the tests short
    short = clips["quilter"][1][: int(2.5 * SAMPLE_RATE)]
    clips["quilter_short"] = (write_wav(folder / "quilter_short.wav", short), short)
    return clips


def _warm_up(mic: MicrophoneSource) -> None:
    """Wait for the first real block, so what is played next is recorded whole."""
    deadline = time.monotonic() + WARM_UP_S
    while time.monotonic() < deadline:
        block = mic.read(timeout=0.5)
        if block is not None and block.size:
            return
    raise AssertionError("the virtual microphone delivered nothing")


def _record_while(mic: MicrophoneSource, player, tail_s: float = 0.8) -> np.ndarray:
    """Record until the player has finished, plus a short tail for the server's latency."""
    blocks = []
    end = None
    while end is None or time.monotonic() < end:
        block = mic.read(timeout=0.5)
        if block is not None:
            blocks.append(block)
        if end is None and player.poll() is not None:
            end = time.monotonic() + tail_s
    return np.concatenate(blocks)


def test_sound_server_sources_are_listed_by_their_human_names(virtual_mics: VirtualMics):
    desk = virtual_mics("Desk Mic Alpha")
    headset = virtual_mics("Headset Beta")
    sources = {s.name: s for s in list_pulse_sources()}
    assert sources[desk.source].description == "Desk Mic Alpha"
    assert sources[headset.source].description == "Headset Beta"
    assert not sources[desk.source].is_monitor
    # the speaker's monitor is "system audio": listed, and marked as a monitor
    assert sources[f"{desk.sink}.monitor"].is_monitor
    assert sources[desk.source].samplerate == 16_000 and sources[desk.source].channels == 1
    assert find_pulse_source("headset beta").name == headset.source
    assert find_pulse_source(desk.source).description == "Desk Mic Alpha"


def test_pactl_fallback_lists_the_same_sources_as_libpulse(virtual_mics: VirtualMics):
    virtual_mics("Fallback Check Mic")
    assert {(s.name, s.description, s.is_monitor) for s in _via_pactl(2.0)} == {
        (s.name, s.description, s.is_monitor) for s in list_pulse_sources()
    }


def test_unknown_sound_source_error_names_the_ones_that_exist(virtual_mics: VirtualMics):
    virtual_mics("Studio Mic Gamma")
    with pytest.raises(DeviceError, match="Studio Mic Gamma") as info:
        find_pulse_source("Conference Speakerphone")
    assert "Conference Speakerphone" in str(info.value)


def test_no_sound_server_means_an_empty_list_at_once(monkeypatch):
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent/native")
    assert list_pulse_sources() == []
    with pytest.raises(DeviceError, match="No sound server"):
        find_pulse_source("anything")


def test_recording_from_a_virtual_mic_returns_what_was_played_into_it(virtual_mics: VirtualMics, speech):
    wav, played = speech["jfk"]
    mic_a = virtual_mics("Voicedesk Mic A")
    mic: AudioSource = MicrophoneSource(pulse_source=mic_a.source)
    mic.start()
    try:
        assert isinstance(mic, MicrophoneSource)
        assert mic.name == "Voicedesk Mic A" and mic.realtime
        assert mic.samplerate == int(mic.device.default_samplerate)
        _warm_up(mic)
        recorded = _record_while(mic, virtual_mics.play(mic_a, wav))
    finally:
        mic.stop()
    assert recorded.dtype == np.float32 and recorded.ndim == 1
    correlation, lag = best_correlation(recorded, played)
    assert correlation > 0.95, f"recording does not match the played speech (r={correlation:.3f})"
    assert len(recorded) - lag >= 0.98 * len(played), "the end of the speech was not recorded"
    assert mic.dropped_seconds == 0.0


def test_choosing_mic_b_records_b_and_not_what_plays_into_a(virtual_mics: VirtualMics, speech):
    mic_a, mic_b = virtual_mics("Voicedesk Mic A"), virtual_mics("Voicedesk Mic B")
    mic = MicrophoneSource(pulse_source="Voicedesk Mic B")  # chosen by its human name
    mic.start()
    try:
        _warm_up(mic)
        virtual_mics.play(mic_a, speech["jfk"][0])
        recorded = _record_while(mic, virtual_mics.play(mic_b, speech["quilter_short"][0]))
    finally:
        mic.stop()
    with_b, _ = best_correlation(recorded, speech["quilter_short"][1])
    # two seconds of A's speech would show up at some lag if A leaked into the recording
    with_a, _ = best_correlation(recorded, speech["jfk"][1][SAMPLE_RATE // 2 : 5 * SAMPLE_RATE // 2])
    assert with_b > 0.95
    assert abs(with_a) < 0.3


def test_two_microphones_open_at_once_each_hear_their_own_source(virtual_mics: VirtualMics, speech):
    mic_a, mic_b = virtual_mics("Voicedesk Mic A"), virtual_mics("Voicedesk Mic B")
    rec_a, rec_b = MicrophoneSource(pulse_source=mic_a.source), MicrophoneSource(pulse_source=mic_b.source)
    rec_a.start()
    rec_b.start()
    try:
        _warm_up(rec_a)
        _warm_up(rec_b)
        player = virtual_mics.play(mic_a, speech["quilter_short"][0])  # B stays silent while A talks
        got_a, got_b = [], []
        end = None
        while end is None or time.monotonic() < end:
            for rec, got in ((rec_a, got_a), (rec_b, got_b)):
                block = rec.read(timeout=0.1)
                if block is not None:
                    got.append(block)
            if end is None and player.poll() is not None:
                end = time.monotonic() + 0.8
    finally:
        rec_a.stop()
        rec_b.stop()
    heard_a, heard_b = np.concatenate(got_a), np.concatenate(got_b)
    assert best_correlation(heard_a, speech["quilter_short"][1])[0] > 0.95
    assert len(heard_b) > 2 * SAMPLE_RATE and np.max(np.abs(heard_b)) < 1e-3


def test_unplugging_the_mic_mid_recording_raises_device_error(virtual_mics: VirtualMics, speech):
    mic_a = virtual_mics("Voicedesk Unplug Mic")
    mic = MicrophoneSource(pulse_source=mic_a.source)
    mic.start()
    try:
        _warm_up(mic)
        virtual_mics.play(mic_a, speech["jfk"][0])
        for _ in range(4):
            mic.read(timeout=0.25)
        virtual_mics.unplug(mic_a)
        unplugged_at = time.monotonic()
        with pytest.raises(DeviceError, match="Voicedesk Unplug Mic") as info:
            while time.monotonic() - unplugged_at < 10.0:
                mic.read(timeout=0.25)
        assert time.monotonic() - unplugged_at < 5.0
        assert "\n" not in str(info.value)
    finally:
        mic.stop()


def test_a_source_that_stops_delivering_audio_raises_device_error(virtual_mics: VirtualMics):
    mic_a = virtual_mics("Voicedesk Stalling Mic")
    mic = MicrophoneSource(pulse_source=mic_a.source, stall_timeout_s=2.0)
    mic.start()
    try:
        _warm_up(mic)
        # a suspended source stays listed and the stream stays open, but no audio comes
        subprocess.run(["pactl", "suspend-source", mic_a.source, "1"], check=True, timeout=10)
        stalled_at = time.monotonic()
        with pytest.raises(DeviceError, match="stopped delivering audio"):
            while time.monotonic() - stalled_at < 10.0:
                mic.read(timeout=0.25)
        assert time.monotonic() - stalled_at < 6.0
    finally:
        # resume first: on a suspended source PortAudio's ALSA callback thread spins and
        # abort/close can block for good (MicrophoneSource.stop then abandons the stream)
        subprocess.run(["pactl", "suspend-source", mic_a.source, "0"], timeout=10)
        mic.stop()


def test_a_stream_ended_by_portaudio_raises_device_error(virtual_mics: VirtualMics):
    # How a host API ends a stream whose device vanished is simulated by aborting the real
    # stream behind the source's back (PulseAudio never ends it: it moves it elsewhere).
    streams = []

    def keeping_factory(**kwargs):
        streams.append(sd.InputStream(**kwargs))
        return streams[-1]

    mic_a = virtual_mics("Voicedesk Ending Mic")
    mic = MicrophoneSource(pulse_source=mic_a.source, stream_factory=keeping_factory)
    mic.start()
    try:
        _warm_up(mic)
        streams[0].abort()
        with pytest.raises(DeviceError, match="Voicedesk Ending Mic' stopped"):
            for _ in range(8):
                mic.read(timeout=0.25)
    finally:
        mic.stop()


def test_a_rejected_sample_rate_falls_back_to_the_device_default(virtual_mics: VirtualMics, speech):
    # No device here rejects a rate (PulseAudio converts any), so the factory raises the real
    # PortAudioError -9997 once, as a USB microphone does for 16 kHz, then opens the real stream.
    calls: list[int] = []

    def picky_factory(**kwargs):
        calls.append(kwargs["samplerate"])
        if len(calls) == 1:
            raise sd.PortAudioError("Error opening InputStream: Invalid sample rate", PA_INVALID_SAMPLE_RATE)
        return sd.InputStream(**kwargs)

    mic_a = virtual_mics("Voicedesk Picky Mic")
    mic = MicrophoneSource(pulse_source=mic_a.source, samplerate=16_000, stream_factory=picky_factory)
    mic.start()
    try:
        default_rate = int(mic.device.default_samplerate)
        assert calls == [16_000, default_rate]
        assert mic.samplerate == default_rate
        _warm_up(mic)
        recorded = _record_while(mic, virtual_mics.play(mic_a, speech["quilter_short"][0]))
    finally:
        mic.stop()
    assert best_correlation(recorded, speech["quilter_short"][1])[0] > 0.95


def test_a_device_that_rejects_every_rate_gives_a_clear_error(pulse_server):
    def refusing_factory(**kwargs):
        # simulated: see the test above
        raise sd.PortAudioError("Error opening InputStream: Invalid sample rate", PA_INVALID_SAMPLE_RATE)

    mic = MicrophoneSource("pulse", stream_factory=refusing_factory)
    with pytest.raises(DeviceError, match="accepts none of the sample rates"):
        mic.start()


def test_a_reader_that_falls_behind_loses_audio_and_it_is_counted(virtual_mics: VirtualMics):
    mic_a = virtual_mics("Voicedesk Slow Reader Mic")
    mic = MicrophoneSource(pulse_source=mic_a.source, block_s=0.05, buffer_s=0.2)
    mic.start()
    try:
        _warm_up(mic)
        time.sleep(1.5)  # the reader is busy elsewhere; the callback must not block
        kept = mic.read(timeout=0.5)
    finally:
        mic.stop()
    assert kept is not None and len(kept) <= 0.3 * SAMPLE_RATE
    assert mic.dropped_seconds > 0.5


def test_opening_a_missing_device_or_source_is_a_device_error(pulse_server):
    with pytest.raises(DeviceError, match="No input device named 'Nonexistent USB Mic'"):
        MicrophoneSource("Nonexistent USB Mic").start()
    with pytest.raises(DeviceError, match="No sound source named 'Nonexistent Headset'"):
        MicrophoneSource(pulse_source="Nonexistent Headset").start()


def test_read_after_stop_is_the_end_of_the_stream(virtual_mics: VirtualMics):
    mic = MicrophoneSource(pulse_source=virtual_mics("Voicedesk Stop Mic").source)
    mic.start()
    mic.stop()
    block = mic.read(timeout=0.1)
    assert block is not None and block.size == 0
