"""Edit -> Find: a bar over the panes that searches the transcript and the translation, with next and previous.

Matches are taken in reading order: row by row, the transcript's before the translation's. The current
match is selected in its pane (and scrolled to); the others are highlighted in the palette's highlight
colour, lightened, so high-contrast themes keep working. Time stamps and marks are not searched.
"""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPalette, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextEdit, QToolButton, QWidget

from voicedesk.ui.panes.transcript_view import TranscriptPanes


class FindBar(QWidget):
    """Hidden until `open()`; Enter / F3 go to the next match, Shift+Enter / Shift+F3 to the previous, Esc closes."""

    def __init__(self, panes: TranscriptPanes, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._panes = panes
        self._matches: list[tuple[QTextEdit, QTextCursor]] = []
        self._current = -1
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Find in the transcript and the translation"))
        self.query.setClearButtonEnabled(True)
        self.query.setAccessibleName(self.tr("Find"))
        self.query.textChanged.connect(lambda _text: self.search())
        self.query.installEventFilter(self)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Matches"))
        self.previous_button = self._button("\u25b2", self.tr("Previous match (Shift+F3)"), lambda: self.step(-1))
        self.next_button = self._button("\u25bc", self.tr("Next match (F3)"), lambda: self.step(1))
        self.close_button = self._button("\u2715", self.tr("Close the find bar (Esc)"), self.close_bar)
        label = QLabel(self.tr("Find:"))
        label.setBuddy(self.query)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (label, self.query, self.count_label, self.previous_button, self.next_button, self.close_button):
            layout.addWidget(widget, 1 if widget is self.query else 0)
        self.hide()

    def _button(self, glyph: str, tip: str, slot) -> QToolButton:
        button = QToolButton()
        button.setText(glyph)
        button.setToolTip(tip)
        button.setAccessibleName(tip)   # a glyph says nothing to a screen reader
        button.clicked.connect(slot)
        return button

    # ---- commands ----

    def open(self) -> None:
        """Show the bar with the query selected (Ctrl+F)."""
        self.show()
        self.query.setFocus()
        self.query.selectAll()
        self.search()

    def close_bar(self) -> None:
        self.hide()
        for view in self._views():
            view.setExtraSelections([])
        self._panes.source_view.setFocus()

    def step(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) match, round the ends (F3 opens the bar when it is shut)."""
        if not self.isVisible():
            self.open()
        if not self._matches:
            self.search()
        if not self._matches:
            return
        self._current = (self._current + direction) % len(self._matches)
        self._show_current()

    def search(self) -> None:
        """Find every match of the query again (the text changed, or the panes did); the first one is current."""
        text = self.query.text()
        self._matches = self._find(text) if text else []
        self._current = 0 if self._matches else -1
        self._show_current()

    @property
    def match_count(self) -> int:
        return len(self._matches)

    @property
    def current(self) -> Optional[tuple[QTextEdit, int, str]]:
        """(the pane, the row, the matched text) of the current match."""
        if self._current < 0:
            return None
        view, cursor = self._matches[self._current]
        return view, cursor.blockNumber(), cursor.selectedText()

    # ---- internals ----

    def _views(self) -> tuple[QTextEdit, QTextEdit]:
        return self._panes.source_view, self._panes.translation_view

    def _find(self, text: str) -> list[tuple[QTextEdit, QTextCursor]]:
        found: list[tuple[int, int, int, QTextEdit, QTextCursor]] = []
        for order, view in enumerate(self._views()):
            document = view.document()
            cursor = QTextCursor(document)
            while True:
                cursor = document.find(text, cursor, QTextDocument.FindFlag(0))
                if cursor.isNull():
                    break
                row = cursor.blockNumber()
                if self._panes.row_sentence(row) is None and not self._panes.row_text(row):
                    continue
                skip = len(self._panes.prefix(row, source=order == 0))
                if cursor.selectionStart() - cursor.block().position() < skip:
                    continue    # inside the time stamp or a mark
                found.append((row, order, cursor.selectionStart(), view, QTextCursor(cursor)))
        found.sort(key=lambda item: item[:3])
        return [(view, cursor) for *_, view, cursor in found]

    def _show_current(self) -> None:
        if not self.query.text():
            self.count_label.setText("")
        elif not self._matches:
            self.count_label.setText(self.tr("No matches"))
        else:
            self.count_label.setText(self.tr("{current} of {total}").format(current=self._current + 1,
                                                                            total=len(self._matches)))
        colour = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        colour.setAlpha(70)
        for view in self._views():
            selections = []
            for match_view, cursor in self._matches:
                if match_view is view:
                    selection = QTextEdit.ExtraSelection()
                    selection.cursor = cursor
                    selection.format.setBackground(colour)
                    selections.append(selection)
            view.setExtraSelections(selections)
        if self._current >= 0:
            view, cursor = self._matches[self._current]
            view.setTextCursor(cursor)
            view.ensureCursorVisible()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.step(-1 if shift else 1)
                return True
            if key == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)
