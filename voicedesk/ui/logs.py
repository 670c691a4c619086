"""The log file the user can find from Help -> Open log folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from voicedesk.paths import user_log_dir

LOG_NAME = "voicedesk.log"


def log_dir() -> Path:
    """The log folder (also where voicedesk.crash_log keeps crash.log and a windowed app's output.log)."""
    return user_log_dir()


def setup_logging(level: int = logging.INFO) -> Path:
    """Log to a rotating file in the platform's user log folder; returns the file's path."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    return path


def open_log_folder() -> None:
    """Help -> Open log folder, and the crash notice's button: the folder in the file manager."""
    from PySide6.QtCore import QUrl   # imported here: logging is set up before Qt is loaded
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))
