""""System audio (speakers)" in the real window's input list (issue 15), on the real PulseAudio server.

A null sink is the speakers; the entry records its monitor through soundcard (the same source class as
WASAPI loopback on Windows); paplay plays real speech into it and the real engine (tiny.en) transcribes it.
"""

from __future__ import annotations

import subprocess

import pytest

from voicedesk.audio.inputs import SYSTEM_AUDIO_KEY
from voicedesk.audio.system_audio import SystemAudioSource

pytest_plugins = ["testkit.virtual_mic"]

SPEECH_TIMEOUT_MS = 90_000


def _default_sink() -> str:
    return subprocess.run(["pactl", "get-default-sink"], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def speakers(virtual_mics):
    """A null sink made the default output, as if it were the computer's speakers; the old default comes back."""
    before = _default_sink()
    mic = virtual_mics("Test Speakers")
    subprocess.run(["pactl", "set-default-sink", mic.sink], check=True)
    yield mic
    subprocess.run(["pactl", "set-default-sink", before], check=False)


def test_system_audio_is_offered_after_the_microphones_and_transcribes_what_the_speakers_play(
    make_window, tiny_model, speakers, virtual_mics, pick_input, speech_wav, qtbot
):
    window = make_window(model=tiny_model)
    pick_input(window, "System audio (speakers)")
    choice = window.widgets.choices.current_input
    assert choice.key == SYSTEM_AUDIO_KEY and choice.is_monitor
    assert isinstance(choice.open(), SystemAudioSource)
    labels = [window.widgets.choices.device_combo.itemText(i) for i in range(window.widgets.choices.device_combo.count())]
    assert labels.index("System audio (speakers)") > labels.index(next(t for t in labels if "Test Speakers" in t
                                                                        and "Monitor" not in t))

    assert window.start_session()
    qtbot.waitUntil(lambda: len(window.widgets.waveform.levels) > 10, timeout=SPEECH_TIMEOUT_MS)
    player = virtual_mics.play(speakers, speech_wav("jfk_en.flac"))   # paplay into the "speakers"
    try:
        qtbot.waitUntil(lambda: "country" in window.widgets.panes.source_text().lower(), timeout=SPEECH_TIMEOUT_MS)
    finally:
        player.wait(60)
        window.stop_session()
        qtbot.waitUntil(lambda: not window.is_running, timeout=SPEECH_TIMEOUT_MS)
