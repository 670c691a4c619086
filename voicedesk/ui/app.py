"""Application bootstrap: `run_app(argv)` shows the main window at once; heavy work starts after."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Optional, Sequence

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def app_icon() -> QIcon:
    """The app icon from resources/ (empty when the folder is not shipped)."""
    for name in ("voicedesk.svg", "voicedesk.png"):
        path = RESOURCES / name
        if path.is_file():
            return QIcon(str(path))
    return QIcon()


def run_app(argv: Optional[Sequence[str]] = None) -> int:
    """Run the desktop app until its window closes; returns the exit code."""
    from voicedesk.ui.logs import setup_logging

    log_path = setup_logging()
    app = QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv))
    app.setApplicationName("voicedesk")
    app.setOrganizationName("voicedesk")
    app.setApplicationDisplayName("voicedesk")
    app.setDesktopFileName("voicedesk")
    app.setWindowIcon(app_icon())
    # imported here so the QApplication exists before any widget module touches Qt
    from voicedesk.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    log.info("window shown; log file %s", log_path)
    return int(app.exec())


def main() -> int:
    return run_app(sys.argv)


if __name__ == "__main__":
    raise SystemExit(main())
