"""Live sessions in the real window on real virtual microphones (PulseAudio), fed with real speech.

Nothing is mocked: PulseAudio null sinks + remap sources are the microphones, `paplay` is the
speaker, the window lists them by their human names, and the real Engine transcribes with tiny.en.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from testkit.virtual_mic import unplug
from voicedesk.engine.events import EngineState
from voicedesk.ui.stall import StallMeter

pytest_plugins = ["testkit.virtual_mic"]

SPEECH_TIMEOUT_MS = 90_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture
def live_window(make_window, tiny_model, virtual_mics, qtbot):
    """The window with tiny.en; any run still going is stopped before the virtual mics are removed."""
    window = make_window(model=tiny_model)
    yield window
    if window.is_running:
        window.stop_session()
        qtbot.waitUntil(lambda: not window.is_running, timeout=SPEECH_TIMEOUT_MS)


def _listening(window) -> bool:
    return window.is_running and window._state in (EngineState.LISTENING, EngineState.SPEECH, EngineState.TRANSCRIBING)


def test_the_dropdown_lists_virtual_microphones_by_name_and_records_from_the_chosen_one(
    live_window, virtual_mics, pick_input, speech_wav, qtbot
):
    desk, headset = virtual_mics("Desk Mic"), virtual_mics("Headset Mic")
    window = live_window
    pick_input(window, "Headset Mic")
    pick_input(window, "Desk Mic")
    assert window.widgets.choices.current_input.pulse_source == desk.source

    stall = StallMeter()
    stall.start()
    assert window.start_session()
    qtbot.waitUntil(lambda: _listening(window), timeout=SPEECH_TIMEOUT_MS)
    # the PortAudio stream delivers its first block up to ~2 s after opening (CONTRIBUTING.md, environment facts)
    qtbot.waitUntil(lambda: len(window.widgets.waveform.levels) > 10, timeout=SPEECH_TIMEOUT_MS)
    # different speech into each: only the chosen microphone's words may appear
    virtual_mics.play(desk, speech_wav("jfk_en.flac"))
    virtual_mics.play(headset, speech_wav("quilter_en.wav"))
    qtbot.waitUntil(lambda: "country" in window.widgets.panes.source_text().lower(), timeout=SPEECH_TIMEOUT_MS)
    assert any(level.is_speech for level in window.widgets.waveform.levels)
    assert max(level.rms for level in window.widgets.waveform.levels) > 0.001  # audible input reached the window
    window.stop_session()
    qtbot.waitUntil(lambda: not window.is_running, timeout=SPEECH_TIMEOUT_MS)
    stall.stop()

    text = window.widgets.panes.source_text().lower()
    assert "quilter" not in text and "apostle" not in text
    assert window.session.segments(), "the final text is in the session (exportable)"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "gui-stall.txt").write_text(
        f"longest GUI-thread stall during a live session: {stall.max_stall_ms:.1f} ms "
        f"({stall.ticks} ticks of a {stall.interval_ms} ms timer)\n"
    )
    print(f"longest GUI stall: {stall.max_stall_ms:.1f} ms over {stall.ticks} ticks")
    # Measured 14-16 ms on a quiet machine and up to 335 ms with both cores loaded: a bound several times
    # the worst case catches a blocking call on the GUI thread (a decode, an import), not noise.
    assert stall.max_stall_ms < 2000, f"the GUI thread was blocked for {stall.max_stall_ms:.0f} ms"


def test_unplugging_the_microphone_mid_session_shows_a_message_keeps_the_text_and_another_can_start(
    live_window, virtual_mics, pick_input, speech_wav, qtbot
):
    first, spare = virtual_mics("Lapel Mic"), virtual_mics("Spare Mic")
    window = live_window
    pick_input(window, "Lapel Mic")
    assert window.start_session()
    qtbot.waitUntil(lambda: len(window.widgets.waveform.levels) > 10, timeout=SPEECH_TIMEOUT_MS)
    virtual_mics.play(first, speech_wav("jfk_en.flac"))
    qtbot.waitUntil(lambda: "country" in window.widgets.panes.source_text().lower(), timeout=SPEECH_TIMEOUT_MS)

    unplug(first)
    qtbot.waitUntil(lambda: not window.is_running, timeout=SPEECH_TIMEOUT_MS)
    assert window.widgets.banner.level == "error" and window.widgets.banner.text
    assert "kept" in window.widgets.banner.text
    assert "country" in window.widgets.panes.source_text().lower()
    assert window.widgets.start_button.text() == "Start" and window.widgets.choices.device_combo.isEnabled()

    # the dropdown notices the device is gone; the spare one records
    combo = window.widgets.choices.device_combo
    qtbot.waitUntil(lambda: not any(combo.itemText(i).startswith("Lapel Mic") for i in range(combo.count())),
                    timeout=30_000)
    pick_input(window, "Spare Mic")
    before = len(window.session.segments())
    assert window.start_session()
    qtbot.waitUntil(lambda: len(window.widgets.waveform.levels) > 10, timeout=SPEECH_TIMEOUT_MS)
    virtual_mics.play(spare, speech_wav("quilter_en.wav"))
    qtbot.waitUntil(lambda: len(window.session.segments()) > before, timeout=SPEECH_TIMEOUT_MS)
    assert "country" in window.widgets.panes.source_text().lower()  # the first device's text is still there
    window.stop_session()
    qtbot.waitUntil(lambda: not window.is_running, timeout=SPEECH_TIMEOUT_MS)


def test_closing_the_window_mid_sentence_stops_cleanly_and_keeps_the_final_text(
    live_window, virtual_mics, pick_input, speech_wav, qtbot
):
    mic = virtual_mics("Closing Mic")
    window = live_window
    pick_input(window, "Closing Mic")
    assert window.start_session()
    qtbot.waitUntil(lambda: len(window.widgets.waveform.levels) > 10, timeout=SPEECH_TIMEOUT_MS)
    virtual_mics.play(mic, speech_wav("quilter_en.wav"))
    qtbot.waitUntil(lambda: window.widgets.panes.partial_text() != "", timeout=SPEECH_TIMEOUT_MS)

    window.close()  # mid-utterance
    qtbot.waitUntil(lambda: window._closed, timeout=30_000)
    assert not window.is_running
    assert window.session.segments(), "the utterance in progress became final text before closing"
    assert not window.controller._thread.isRunning()
