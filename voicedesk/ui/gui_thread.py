"""The GUI thread's guard: widgets are touched on it only (see voicedesk.thread_check for why and how it fails).

Two nets: `check_gui_thread(where)` at the places worker signals land (the window's handlers, the banner), and
Qt's own complaints about cross-thread object use ("Cannot create children for a parent that is in a different
thread", timers started from another thread...), which `install_qt_thread_warnings` turns into reports too.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from PySide6.QtCore import QCoreApplication, QMessageLogContext, QThread, QtMsgType, qInstallMessageHandler

from voicedesk import thread_check

# Qt's messages for an object used from a thread that does not own it (qobject.cpp, qbasictimer.cpp, qpixmap.cpp)
_CROSS_THREAD_MARKERS = ("different thread", "another thread", "outside the GUI thread", "owned by a different")

_previous_handler: Optional[Callable[..., Any]] = None
_installed = False


def on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is None or QThread.currentThread() is app.thread()


def check_gui_thread(where: str) -> None:
    if not on_gui_thread():
        thread_check.report(where)


def gui_only(where: str, handler: Callable[..., Any]) -> Callable[..., Any]:
    """`handler`, checked to run on the GUI thread each time (for a worker signal's receiver)."""

    def checked(*args: Any) -> Any:
        check_gui_thread(where)
        return handler(*args)

    return checked


def _handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if any(marker in message for marker in _CROSS_THREAD_MARKERS):
        thread_check.report(f"Qt: {message.strip()}")
    if _previous_handler is not None:
        _previous_handler(mode, context, message)
    else:
        import sys

        print(message, file=sys.stderr)


def install_qt_thread_warnings() -> None:
    """Report Qt's own cross-thread warnings through voicedesk.thread_check (once per process)."""
    global _previous_handler, _installed
    if _installed:
        return
    _installed = True
    _previous_handler = qInstallMessageHandler(_handler)
