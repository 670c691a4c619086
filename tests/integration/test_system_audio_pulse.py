"""System audio through the real `soundcard` library against the real PulseAudio server (issue 15).

The Linux path is the Windows path here: SystemAudioSource records a loopback through soundcard (a sink's
monitor on PulseAudio, WASAPI loopback on Windows), 50 ms blocks, resample.py, the same device-loss
checks. A null sink is the "speakers"; paplay plays real speech into it; what the dropdown's entry records
goes through the real engine with tiny.en. Also here: a blocked microphone (a source of exact zeros)
makes the engine say where the privacy setting is, and take it back when sound arrives (item 11).
"""

from __future__ import annotations

import subprocess
import time

import numpy as np
import pytest
from testkit.audio_compare import decode_16k, speech_clip, write_wav
from testkit.speech import wer
from testkit.virtual_mic import VirtualMics

from voicedesk.audio.inputs import SYSTEM_AUDIO_KEY, list_input_choices
from voicedesk.audio.microphone import MicrophoneSource
from voicedesk.audio.source import DeviceError
from voicedesk.audio.system_audio import DEFAULT_LOOPBACK, SystemAudioSource, find_loopback, list_loopbacks
from voicedesk.audio.zero_audio import microphone_privacy_hint
from voicedesk.engine.events import FinalSegment, SilentInput
from voicedesk.engine.engine import Engine
from voicedesk.engine.settings import EngineSettings

pytest_plugins = ["testkit.virtual_mic"]
pytestmark = pytest.mark.timeout(180, method="thread")

QUILTER = "Mr. Quilter is the apostle of the middle classes and we are glad to welcome his gospel."


@pytest.fixture(scope="module")
def quilter_wav(tmp_path_factory):
    # paplay plays WAV, not FLAC, correctly here (CONTRIBUTING.md, environment facts)
    return write_wav(tmp_path_factory.mktemp("sys") / "quilter.wav", decode_16k(speech_clip("quilter_en.wav")))


def _run_live(source, model: str, seconds: float, during=None) -> list:
    """Run the real engine on `source` for `seconds` (calling `during(events)` once it listens)."""
    events: list = []
    engine = Engine(EngineSettings(model=model, cpu_threads=2, language="en"), events.append)
    try:
        engine.load_model_blocking()
        engine.start(source)
        if during is not None:
            during(events)
        time.sleep(seconds)
        engine.stop()
        assert engine.wait(60), "the engine did not finish"
    finally:
        engine.close()
    return events


def test_the_dropdown_offers_system_audio_and_the_monitors_through_the_loopback_source(virtual_mics: VirtualMics):
    speakers = virtual_mics("Desk Speakers")
    choices = {c.key: c for c in list_input_choices()}
    assert SYSTEM_AUDIO_KEY in choices and choices[SYSTEM_AUDIO_KEY].label == "System audio (speakers)"
    monitor = choices[f"pulse:{speakers.sink}.monitor"]
    assert monitor.is_monitor and isinstance(monitor.open(), SystemAudioSource)
    assert isinstance(choices[SYSTEM_AUDIO_KEY].open(), SystemAudioSource)
    # a microphone stays a microphone
    assert isinstance(choices[f"pulse:{speakers.source}"].open(), MicrophoneSource)
    # soundcard lists the same monitor, and the default is the default sink's monitor
    assert f"{speakers.sink}.monitor" in {lb.id for lb in list_loopbacks()}
    default_sink = subprocess.run(["pactl", "get-default-sink"], capture_output=True, text=True).stdout.strip()
    assert find_loopback(DEFAULT_LOOPBACK).id == f"{default_sink}.monitor"


def test_what_the_speakers_play_is_transcribed(virtual_mics: VirtualMics, quilter_wav, tiny_en_model):
    speakers = virtual_mics("Talk Speakers")
    choice = next(c for c in list_input_choices() if c.key == f"pulse:{speakers.sink}.monitor")
    source = choice.open()

    def play(events):
        # the engine listens once its first level arrives: then the speech is recorded whole
        deadline = time.monotonic() + 15
        while not events and time.monotonic() < deadline:
            time.sleep(0.1)
        virtual_mics.play(speakers, quilter_wav).wait(timeout=30)

    events = _run_live(source, tiny_en_model, seconds=3.0, during=play)
    said = " ".join(e.text for e in events if isinstance(e, FinalSegment))
    assert wer(QUILTER, said) <= 0.3, said
    # silence of the speakers is not a blocked microphone
    assert not any(isinstance(e, SilentInput) for e in events)


def test_speakers_that_vanish_end_the_recording_with_a_clear_message(virtual_mics: VirtualMics):
    speakers = virtual_mics("Unplugged Speakers")
    source = SystemAudioSource(f"{speakers.sink}.monitor")
    source.start()
    try:
        assert source.name == "Monitor of Unplugged Speakers (speaker)"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and source.read(0.5) is None:   # recording for real first
            pass
        virtual_mics.unplug(speakers)
        with pytest.raises(DeviceError) as info:
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                source.read(0.5)
        assert "Unplugged Speakers" in str(info.value)
        assert "\n" not in str(info.value)
    finally:
        source.stop()
    assert source.read(0.1).size == 0


def test_a_blocked_microphone_is_named_and_the_hint_withdrawn_when_sound_arrives(
        virtual_mics: VirtualMics, quilter_wav, tiny_en_model):
    # nothing plays into this microphone: PulseAudio hands over exact zeros, as a denied permission does
    mic = virtual_mics("Blocked Mic")

    def speak_later(events):
        deadline = time.monotonic() + 30
        while not any(isinstance(e, SilentInput) for e in events) and time.monotonic() < deadline:
            time.sleep(0.1)
        virtual_mics.play(mic, quilter_wav).wait(timeout=30)

    events = _run_live(MicrophoneSource(pulse_source=mic.source), tiny_en_model, seconds=2.0, during=speak_later)
    silences = [e for e in events if isinstance(e, SilentInput)]
    assert [e.silent for e in silences] == [True, False], silences
    assert silences[0].message == microphone_privacy_hint()
    # the first final comes after the hint was taken back
    finals = [e for e in events if isinstance(e, FinalSegment)]
    assert finals and events.index(silences[1]) < events.index(finals[0])
    assert np.isfinite(silences[0].emitted_at)
