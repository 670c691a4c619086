"""The box under the panes where the user types a line to translate (a reply in a conversation, a phrase to check).

It only gathers the text and says how it went: the session core's editor translates it off the GUI
thread with the installed language packs and adds it to the session as a typed line. While a line is
being translated the box is free for the next one; a line that could not be translated comes back
into the box (nothing typed is lost), with the reason and the pack that would make it work.
"""

from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget


class TypedTextBox(QWidget):
    """`submit(text)` is called with the typed text; it returns False to keep the text in the box."""

    def __init__(self, submit: Callable[[str], bool], parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self.pending = 0
        self.line = QLineEdit()
        self.line.setPlaceholderText(self.tr("Type to translate\u2026"))
        self.line.setAccessibleName(self.tr("Text to translate"))
        self.line.setAccessibleDescription(self.tr(
            "Typed text is translated into the Translate to language and added to the transcript as a typed line"))
        self.line.returnPressed.connect(self.send)
        self.button = QPushButton(self.tr("Translate"))
        self.button.setToolTip(self.tr("Translate the typed text and add it to the transcript (Enter)"))
        self.button.clicked.connect(self.send)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Typed text status"))
        self.status.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)

    def send(self) -> None:
        text = self.line.text().strip()
        if not text:
            return
        if self._submit(text):
            self.pending += 1
            self.line.clear()
            self.say(self.tr("Translating\u2026"))

    def say(self, text: str) -> None:
        """A line under the box (empty: none)."""
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def answered(self, text: str, problem: str = "") -> None:
        """A typed line was added (no `problem`), or could not be translated: it comes back into the box."""
        self.pending = max(self.pending - 1, 0)
        if problem:
            if not self.line.text().strip():
                self.line.setText(text)
            self.say(problem)
        elif not self.pending:
            self.say("")
