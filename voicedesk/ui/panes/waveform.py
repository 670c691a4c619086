"""The live waveform of the last seconds of input (speech vs silence as the VAD sees it) and a level meter."""

from __future__ import annotations

import math
from collections import deque
from typing import Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from voicedesk.engine.events import AudioLevel

SPEECH_COLOUR = QColor(46, 160, 67)     # green reads as "heard" in light and dark themes
SILENCE_COLOUR = QColor(128, 128, 128)
METER_FLOOR_DB = -60.0
_NO_EDGES, _NO_VALUES = np.zeros(1), np.zeros(0)   # an empty step curve: one edge more than values


class WaveformView(pg.PlotWidget):
    """A mirrored peak envelope of the last `window_s` seconds, one bar per AudioLevel block."""

    def __init__(self, window_s: float = 10.0, parent=None) -> None:
        super().__init__(parent=parent, background=None)
        self.window_s = window_s
        self._levels: deque[AudioLevel] = deque()
        self._dirty = False
        self.setMinimumHeight(80)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(110)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setMenuEnabled(False)
        plot = self.getPlotItem()
        plot.hideAxis("left")
        plot.hideAxis("bottom")
        plot.setYRange(-1.0, 1.0, padding=0.05)
        plot.setXRange(-window_s, 0.0, padding=0.0)
        # a mirrored step envelope per class (speech, silence): each bar is one block of input
        self._curves: list[tuple[pg.PlotCurveItem, bool, float]] = []
        for is_speech, colour in ((False, SILENCE_COLOUR), (True, SPEECH_COLOUR)):
            for sign in (1.0, -1.0):
                curve = pg.PlotCurveItem(x=_NO_EDGES, y=_NO_VALUES, stepMode="center", fillLevel=0.0, brush=pg.mkBrush(colour), pen=pg.mkPen(None))
                plot.addItem(curve)
                self._curves.append((curve, is_speech, sign))
        self.setToolTip(
            self.tr("Input over the last seconds: green where the voice detector hears speech"))
        self.setAccessibleName(self.tr("Input waveform"))
        self._spoken = SpokenState(self, self.tr("No input"))   # its text equivalent: speech or silence
        # repaint at most ~30 times a second, whatever the event rate
        self._timer = QTimer(self)
        self._timer.setInterval(33)
        self._timer.timeout.connect(self._repaint)
        self._timer.start()

    @property
    def levels(self) -> list[AudioLevel]:
        return list(self._levels)

    def add_levels(self, levels: Iterable[AudioLevel]) -> None:
        for level in levels:
            if self._levels and level.end < self._levels[-1].end:  # a new session restarts the clock
                self._levels.clear()
            self._levels.append(level)
            self._dirty = True
        if self._levels:
            horizon = self._levels[-1].end - self.window_s
            while self._levels and self._levels[0].end < horizon:
                self._levels.popleft()
            self._spoken.set(self.tr("Speech") if self._levels[-1].is_speech else self.tr("Silence"))

    def reset(self) -> None:
        """Forget the levels shown (not `clear`: PlotWidget shadows that name with PlotItem.clear)."""
        self._levels.clear()
        self._dirty = True
        self._spoken.set(self.tr("No input"))

    def _repaint(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        if not self._levels:
            for curve, _speech, _sign in self._curves:
                curve.setData(_NO_EDGES, _NO_VALUES)
            return
        now = self._levels[-1].end
        edges = np.fromiter((lv.start - now for lv in self._levels), float, len(self._levels))
        edges = np.append(edges, 0.0)
        # sqrt lifts quiet speech into view without clipping loud peaks
        peaks = np.sqrt(np.clip(np.fromiter((lv.peak for lv in self._levels), float, len(self._levels)), 0.0, 1.0))
        peaks = np.maximum(peaks, 0.01)
        speech = np.fromiter((lv.is_speech for lv in self._levels), bool, len(self._levels))
        for curve, is_speech, sign in self._curves:
            mask = speech if is_speech else ~speech
            curve.setData(edges, sign * np.where(mask, peaks, 0.0))


class SpokenState(QObject):
    """A widget's text equivalent for screen readers (its accessible description), changed at most
    every `interval_ms`: a level that moves 30 times a second would be noise; the latest text always lands."""

    def __init__(self, widget: QWidget, text: str, interval_ms: int = 500) -> None:
        super().__init__(widget)
        self.widget = widget
        self._pending = text
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._apply)
        self._apply()

    def set(self, text: str) -> None:
        self._pending = text
        if not self._timer.isActive():
            self._apply()

    def _apply(self) -> None:
        if self._pending != self.widget.accessibleDescription():
            self.widget.setAccessibleDescription(self._pending)
            self._timer.start()    # the next change waits for the interval


class LevelMeter(QWidget):
    """Input loudness in dBFS (rms), from the floor to 0 dB, as a vertical bar.

    A plain widget rather than QProgressBar: QProgressBar.setValue repaints synchronously,
    which at the level-event rate is a stall on the GUI thread; update() lets Qt coalesce.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._value = 0
        self.setFixedWidth(14)
        self.setToolTip(self.tr("Input level"))
        self.setAccessibleName(self.tr("Input level"))
        self._spoken = SpokenState(self, self.tr("Silent"))   # its text equivalent: the level in dB

    def value(self) -> int:
        """The level in percent of the meter's range."""
        return self._value

    def show_level(self, rms: float) -> None:
        db = 20.0 * math.log10(max(rms, 1e-6))
        fraction = (db - METER_FLOOR_DB) / -METER_FLOOR_DB
        value = int(round(100 * min(max(fraction, 0.0), 1.0)))
        self._spoken.set(self.tr("{db} dB").format(db=round(db)) if value > 0 else self.tr("Silent"))
        if value != self._value:
            self._value = value
            self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        rect = self.rect().adjusted(0, 0, -1, -1)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.setBrush(self.palette().color(QPalette.ColorRole.Base))
        painter.drawRect(rect)
        height = int(rect.height() * self._value / 100)
        if height > 0:
            colour = SPEECH_COLOUR if self._value < 85 else QColor(220, 60, 40)  # red near clipping
            painter.fillRect(rect.x() + 1, rect.bottom() - height + 1, rect.width() - 1, height - 1, colour)
        painter.end()
