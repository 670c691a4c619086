"""Help -> About: what is running, with versions (read from metadata, so nothing heavy is imported)."""

from __future__ import annotations

import platform
from importlib import metadata

import PySide6
from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

import voicedesk

_COMPONENTS = ("faster-whisper", "ctranslate2", "argos-translate-lt", "pyqtgraph", "sounddevice", "numpy")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return QCoreApplication.translate("About", "not installed")


def component_versions() -> dict[str, str]:
    versions = {"voicedesk": voicedesk.__version__, "Python": platform.python_version(),
                "Qt": qVersion(), "PySide6": PySide6.__version__}
    versions.update({dist: _version(dist) for dist in _COMPONENTS})
    return versions


def about_text() -> str:
    rows = "".join(f"<tr><td>{name}</td><td>{version}</td></tr>" for name, version in component_versions().items())
    return "<h3>voicedesk</h3>" + QCoreApplication.translate(
        "About", "<p>Live, offline speech transcription and translation.<br>Speech recognition by Whisper "
        "(faster-whisper), translation by Argos Translate.<br>Nothing you say leaves this computer.</p>"
    ) + f"<table>{rows}</table>"


def show_about(parent: QWidget) -> None:
    """Help -> About voicedesk."""
    QMessageBox.about(parent, QCoreApplication.translate("MainWindow", "About voicedesk"), about_text())
