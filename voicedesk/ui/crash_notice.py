"""An uncaught exception, once logged by `voicedesk.crash_log`, shown as one line in the window's banner."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from voicedesk import crash_log


class CrashNotice(QObject):
    """Listens to crash_log for the window's life; each distinct error is shown once, never its traceback."""

    raised = Signal(str)

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        self._shown: set[str] = set()   # an error raised on every repaint must not re-announce itself
        # queued: the exception may come from any thread, the banner lives in the GUI thread
        self.raised.connect(self._show, Qt.ConnectionType.QueuedConnection)
        listener = self.raised.emit
        crash_log.add_listener(listener)
        self.destroyed.connect(lambda *_: crash_log.remove_listener(listener))

    def _show(self, line: str) -> None:
        if line in self._shown:
            return
        self._shown.add(line)
        self._window.banner.show_message(
            self.tr("Something went wrong inside voicedesk ({error}). Your transcript is kept; "
                    "the details are in the log folder.").format(error=line),
            "error", (self.tr("Open log folder"), self._window.open_log_folder))


def install_crash_notice(window) -> CrashNotice:
    """Show the window's uncaught exceptions in its banner from now on."""
    return CrashNotice(window)
