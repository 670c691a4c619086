"""Application bootstrap: `run_app(argv)` shows the main window at once; heavy work starts after."""

from __future__ import annotations

import logging
import os
import sys
from typing import Optional, Sequence

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from voicedesk.ui.gui_thread import install_qt_thread_warnings

log = logging.getLogger(__name__)

def app_icon() -> QIcon:
    """The app icon from resources/ (empty when the folder is not shipped)."""
    from voicedesk.paths import resource_dir

    for name in ("voicedesk.svg", "voicedesk.png"):
        path = resource_dir() / name
        if path.is_file():
            return QIcon(str(path))
    return QIcon()


SETTINGS_FILE_ENV = "VOICEDESK_SETTINGS_FILE"
"""An INI file to keep the window's settings in, instead of the platform's place (tests, portable use)."""


def run_app(argv: Optional[Sequence[str]] = None, files: Sequence[str] = ()) -> int:
    """Run the desktop app until its window closes, transcribing `files` one after another; the exit code."""
    from voicedesk import crash_log
    from voicedesk.ui.logs import setup_logging

    crash_log.install(window=True)   # a crash leaves a trace in the log folder, even with no console
    install_qt_thread_warnings()     # Qt's cross-thread warnings reach the log as errors
    log_path = setup_logging()
    app = QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv))
    app.setApplicationName("voicedesk")
    app.setOrganizationName("voicedesk")
    app.setApplicationDisplayName("voicedesk")
    app.setDesktopFileName("voicedesk")
    app.setWindowIcon(app_icon())
    # imported here so the QApplication exists before any widget module touches Qt
    from voicedesk.ui.window.main_window import MainWindow

    from PySide6.QtCore import QSettings, QTimer

    from voicedesk.ui.i18n import install_translators, ui_language

    settings_file = os.environ.get(SETTINGS_FILE_ENV)
    settings = (QSettings(settings_file, QSettings.Format.IniFormat) if settings_file
                else QSettings("voicedesk", "voicedesk"))   # the window's own default
    install_translators(app, ui_language(settings))   # before any widget is built: texts are translated once
    window = MainWindow(settings=settings)
    from voicedesk.ui.window.crash_notice import install_crash_notice

    install_crash_notice(window, window.widgets.banner)     # an uncaught exception becomes one line in the banner
    window.show()
    log.info("window shown; log file %s", log_path)
    if files:
        QTimer.singleShot(0, lambda: window.open_files([str(f) for f in files]))
    code = int(app.exec())
    return _exit_now(code, window)


def _exit_now(code: int, window) -> int:
    """Leave without Python's interpreter teardown once everything durable is written.

    CTranslate2's and ONNX Runtime's native threads can abort the process while the interpreter
    finalizes ("terminate called without an active exception"), which the user would see as a crash
    report on quit. By now the window has stopped the engine, the journal is fsynced record by
    record, and the settings are synced here, so nothing is lost by exiting directly.
    """
    window.settings.sync()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(code)
    return code  # not reached


def main() -> int:
    return run_app(sys.argv)


if __name__ == "__main__":
    raise SystemExit(main())
