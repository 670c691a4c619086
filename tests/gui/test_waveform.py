"""The live waveform and level meter as real pyqtgraph/Qt widgets, checked on rendered pixels."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from voicedesk.engine.events import AudioLevel
from voicedesk.ui.panes.waveform import SILENCE_COLOUR, SPEECH_COLOUR, LevelMeter, WaveformView


@pytest.fixture
def waveform(qtbot):
    view = WaveformView(window_s=10.0)
    qtbot.addWidget(view)
    view.resize(800, 110)
    view.show()
    qtbot.waitExposed(view)
    return view


def _levels(start_s: float, seconds: float, speech: bool, peak: float = 0.4, block: float = 0.05):
    n = int(round(seconds / block))
    return [AudioLevel(start_s + i * block, start_s + (i + 1) * block, peak / 2, peak, speech) for i in range(n)]


def _count(view, colour: QColor) -> int:
    image = view.grab().toImage()
    return sum(
        1
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
        if image.pixelColor(x, y).rgb() == colour.rgb()
    )


def _render(view, qtbot):
    qtbot.waitUntil(lambda: not view._dirty, timeout=2000)


def test_speech_and_silence_are_drawn_in_their_own_colours(waveform, qtbot):
    waveform.add_levels(_levels(0.0, 5.0, speech=False) + _levels(5.0, 5.0, speech=True))
    _render(waveform, qtbot)
    speech, silence = _count(waveform, SPEECH_COLOUR), _count(waveform, SILENCE_COLOUR)
    assert speech > 100 and silence > 100
    # the speech half is on the right (the live edge)
    image = waveform.grab().toImage()
    mid_y = image.height() // 2
    assert image.pixelColor(image.width() * 3 // 4, mid_y).rgb() == SPEECH_COLOUR.rgb()
    assert image.pixelColor(image.width() // 4, mid_y).rgb() == SILENCE_COLOUR.rgb()


def test_only_the_last_window_of_seconds_is_kept_and_a_reset_starts_afresh(waveform, qtbot):
    waveform.add_levels(_levels(0.0, 30.0, speech=True))
    assert waveform.levels[0].start >= 30.0 - 10.0 - 0.05
    waveform.reset()
    _render(waveform, qtbot)
    assert _count(waveform, SPEECH_COLOUR) == 0
    waveform.add_levels(_levels(0.0, 3.0, speech=True))  # a new run restarts at 0 s
    _render(waveform, qtbot)
    assert _count(waveform, SPEECH_COLOUR) > 50


def test_the_level_meter_maps_loudness_to_decibels(qtbot):
    meter = LevelMeter()
    qtbot.addWidget(meter)
    meter.show_level(1.0)
    assert meter.value() == 100
    meter.show_level(0.001)  # -60 dBFS: the floor
    assert meter.value() == 0
    meter.show_level(0.03)   # about -30 dBFS: half way
    assert 45 <= meter.value() <= 55
