"""A non-blocking message strip at the top of the window: the way faults reach the user."""

from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

from voicedesk.ui.panes.announcer import announce
from voicedesk.ui.gui_thread import check_gui_thread


class Banner(QFrame):
    """One line of text, an optional action button and a close button; hidden when empty."""

    STYLES = {
        "error": "background: rgba(200, 40, 40, 0.18); border: 1px solid rgba(200, 40, 40, 0.6);",
        "warning": "background: rgba(230, 160, 0, 0.18); border: 1px solid rgba(230, 160, 0, 0.6);",
        "info": "background: rgba(40, 120, 220, 0.15); border: 1px solid rgba(40, 120, 220, 0.5);",
    }

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()
        self.action_button.hide()
        self.second_button = QPushButton()
        self.second_button.hide()
        close = QToolButton()
        close.setText("\u2715")
        close.setToolTip(self.tr("Dismiss"))
        close.setAccessibleName(self.tr("Dismiss"))   # its text is a glyph
        close.setAccessibleDescription(self.tr("Hide this message"))
        close.setAutoRaise(True)
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.second_button)
        layout.addWidget(close)
        self._action: Optional[Callable[[], None]] = None
        self._second: Optional[Callable[[], None]] = None
        self.action_button.clicked.connect(self._run_action)
        self.second_button.clicked.connect(self._run_second)
        self.level = ""
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisibleTo(self.parentWidget()) else ""

    def show_message(
        self, message: str, level: str = "error", action: Optional[tuple[str, Callable[[], None]]] = None,
        second: Optional[tuple[str, Callable[[], None]]] = None,
    ) -> None:
        check_gui_thread("Banner.show_message")
        self.level = level
        self.setStyleSheet(f"#banner {{ {self.STYLES.get(level, '')} border-radius: 4px; }}")
        self.label.setText(message)
        self._action = action[1] if action else None
        if action:
            self.action_button.setText(action[0])
            self.action_button.show()
        else:
            self.action_button.hide()
        self._second = second[1] if second else None
        if second:
            self.second_button.setText(second[0])
            self.second_button.show()
        else:
            self.second_button.hide()
        for button in (self.action_button, self.second_button):
            button.setAccessibleDescription(message)   # what the button answers, for a screen reader
        self.show()
        announce(self.label, message)   # read out without taking the focus from what the user is doing

    def dismiss(self) -> None:
        self.label.clear()
        self._action = None
        self._second = None
        self.hide()

    def _run_action(self) -> None:
        action = self._action
        self.dismiss()
        if action:
            action()

    def _run_second(self) -> None:
        action = self._second
        self.dismiss()
        if action:
            action()
