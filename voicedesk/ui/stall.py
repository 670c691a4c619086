"""Measures how long the GUI thread goes without running its event loop (the longest stall)."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer


class StallMeter(QObject):
    """A precise timer every `interval_ms`; the largest gap between ticks beyond the interval is the stall."""

    def __init__(self, interval_ms: int = 10, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.max_gap_ms = 0.0
        self.ticks = 0
        self.long_gaps: list[tuple[float, float]] = []   # (seconds since start, gap ms) for gaps > 50 ms
        self._t0 = 0.0
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.max_gap_ms = 0.0
        self.ticks = 0
        self.long_gaps = []
        self._t0 = self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def max_stall_ms(self) -> float:
        """Longest time the loop was late, beyond the timer's own interval."""
        return max(self.max_gap_ms - self.interval_ms, 0.0)

    def _tick(self) -> None:
        now = time.perf_counter()
        gap_ms = (now - self._last) * 1000.0
        self.max_gap_ms = max(self.max_gap_ms, gap_ms)
        if gap_ms > 50.0:
            self.long_gaps.append((round(now - self._t0, 2), round(gap_ms, 1)))
        self._last = now
        self.ticks += 1
