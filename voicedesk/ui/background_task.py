"""Run a blocking download/install on a worker thread and hear about it through Qt signals.

The work function gets `(progress_cb, cancel_event)`; the signals arrive queued on the GUI thread,
so the window keeps painting however slow the server is. Progress is thinned to ~20 per second.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Optional

from PySide6.QtCore import QObject, Signal

from voicedesk.models.progress import DownloadCancelled, Progress
from voicedesk.ui.i18n import shown

Work = Callable[[Callable[[Progress], None], threading.Event], Any]
_MIN_INTERVAL_S = 0.05


class BackgroundTask(QObject):
    progress = Signal(object)      # Progress
    succeeded = Signal(object)     # what the work returned
    failed = Signal(str)           # one user-facing line
    cancelled = Signal()
    finished = Signal()            # after any of the three above

    def __init__(self, work: Work, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._last_emit = 0.0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="voicedesk-background-task", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: Optional[float] = None) -> bool:
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.is_running()

    def _report(self, p: Progress) -> None:
        now = time.monotonic()
        if now - self._last_emit >= _MIN_INTERVAL_S or (p.total is not None and p.done >= p.total):
            self._last_emit = now
            self.progress.emit(p)

    def _run(self) -> None:
        from voicedesk.models.argos_files import TranslationError
        from voicedesk.models.progress import DownloadError
        from voicedesk.models.resolve import ModelError

        try:
            result = self._work(self._report, self._cancel)
        except DownloadCancelled:
            self.cancelled.emit()
        except (DownloadError, ModelError, TranslationError) as exc:
            self.failed.emit(shown(exc))
        except Exception as exc:  # a bug must not kill the thread silently: the user sees one line
            self.failed.emit(self.tr("Unexpected error: {reason}").format(reason=exc))
        else:
            if self._cancel.is_set():
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        self.finished.emit()
