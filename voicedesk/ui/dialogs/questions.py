"""The window's questions before text that was never exported is thrown away (a new session, quitting)."""

from __future__ import annotations

import enum

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") as a string to translate


class QuitAnswer(enum.Enum):
    EXPORT = "export"
    QUIT = "quit"
    CANCEL = "cancel"


def ask_discard(parent: QWidget) -> bool:
    """Ask before throwing away text that was never exported; True to discard it."""
    answer = QMessageBox.question(
        parent, translate("Questions", "Discard transcript?"),
        translate("Questions", "The transcript has text that was not exported. Discard it and start a new session?"),
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Discard


def ask_quit(parent: QWidget) -> QuitAnswer:
    """Ask before quitting with text that was never exported: export first, quit anyway, or stay."""
    box = QMessageBox(QMessageBox.Icon.Question, translate("Questions", "Quit voicedesk?"),
                      translate("Questions",
                                "The transcript has text that was not exported. Export it before quitting?"),
                      QMessageBox.StandardButton.NoButton, parent)
    export = box.addButton(translate("Questions", "Export\u2026"), QMessageBox.ButtonRole.AcceptRole)
    leave = box.addButton(translate("Questions", "Quit without saving"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(export)
    box.exec()
    clicked = box.clickedButton()
    return QuitAnswer.EXPORT if clicked is export else QuitAnswer.QUIT if clicked is leave else QuitAnswer.CANCEL
