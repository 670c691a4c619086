"""An uncaught exception, once logged by `voicedesk.crash_log`, shown as one line in the window's banner."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from voicedesk import crash_log
from voicedesk.ui.window.banner import Banner
from voicedesk.ui.logs import open_log_folder


class CrashNotice(QObject):
    """Listens to crash_log for the window's life; each distinct error is shown once, never its traceback."""

    raised = Signal(str)

    def __init__(self, window: QObject, banner: Banner) -> None:
        super().__init__(window)
        self._banner = banner
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
        self._banner.show_message(
            self.tr("Something went wrong inside voicedesk ({error}). Your transcript is kept; "
                    "the details are in the log folder.").format(error=line),
            "error", (self.tr("Open log folder"), open_log_folder))


def install_crash_notice(window: QObject, banner: Banner) -> CrashNotice:
    """Show uncaught exceptions in the window's `banner` from now on."""
    return CrashNotice(window, banner)
