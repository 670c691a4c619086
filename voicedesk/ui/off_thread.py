"""Run a slow look-up (devices, journals, a sound server query) off the GUI thread, answer on it."""

from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal


class OffThread(QObject):
    """Runs a function on a daemon thread and hands its result (or exception) back on the GUI thread."""

    done = Signal(object, object)  # (callback, result)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.done.connect(self._deliver)  # a bound slot of a GUI-thread object: queued, runs here

    def call(self, fn: Callable[[], Any], callback: Callable[[Any], None]) -> None:
        def work() -> None:
            try:
                result = fn()
            except Exception as exc:  # handed back: the callback decides what the user sees
                result = exc
            try:
                self.done.emit(callback, result)
            except RuntimeError:  # the window was closed and deleted meanwhile: nobody to tell
                pass

        threading.Thread(target=work, daemon=True).start()

    def _deliver(self, callback: Callable[[Any], None], result: Any) -> None:
        callback(result)
