"""Where voicedesk finds its own files and keeps the user's, the same from source and from a bundle.

No path here depends on the working directory: a double-clicked app starts wherever the
desktop decides (often `/` or the home folder).
"""

from __future__ import annotations

import sys
from pathlib import Path

import os

from platformdirs import PlatformDirs

APP_NAME = "voicedesk"

# appauthor=False: no vendor folder level on Windows (…\AppData\Local\voicedesk, not …\voicedesk\voicedesk)
_DIRS = PlatformDirs(APP_NAME, appauthor=False)


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def install_root() -> Path:
    """The folder that holds the code: the bundle's data folder (`_internal`, or `Contents/Resources`
    on macOS, both reported by PyInstaller as `sys._MEIPASS`), else the source checkout."""
    if is_frozen():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]
    return Path(__file__).resolve().parent.parent


def resource_dir() -> Path:
    """Icons, the .desktop file, licence notices: `resources/` beside the code."""
    return install_root() / "resources"


def bundled_models_dir() -> Path:
    """Whisper model folders shipped with the app (`<name>/model.bin`, ...); may not exist."""
    return install_root() / "models"


DATA_DIR_ENV = "VOICEDESK_DATA_DIR"


def user_data_dir() -> Path:
    """Downloaded models, journals and other files the user keeps (not created here).

    `VOICEDESK_DATA_DIR` overrides the platform's folder (portable installs, tests).
    """
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else _DIRS.user_data_path


def user_log_dir() -> Path:
    """Log files (not created here)."""
    return _DIRS.user_log_path


def user_cache_dir() -> Path:
    """Files that can be rebuilt at any time (not created here)."""
    return _DIRS.user_cache_path


def describe() -> dict[str, str]:
    """Every location by name, for the About box, bug reports and the bundle smoke test."""
    return {
        "frozen": str(is_frozen()),
        "install_root": str(install_root()),
        "resource_dir": str(resource_dir()),
        "bundled_models_dir": str(bundled_models_dir()),
        "user_data_dir": str(user_data_dir()),
        "user_log_dir": str(user_log_dir()),
        "user_cache_dir": str(user_cache_dir()),
    }
