"""Transcript and translation panes: one row per segment, each translation level with its source.

Both panes hold one text block per row, in the same order. After every change the two blocks of
the row get bottom margins that make them equally tall, so row N starts at the same height in
both documents and the panes can share one scroll position. A partial is a grey italic row
that the final of the same segment overwrites in place (one edit, no flicker, no jump).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Optional

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPalette, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QSplitter, QTextEdit, QVBoxLayout, QWidget

from voicedesk.engine.events import FinalSegment, Partial, Translation

ROW_GAP_PX = 6.0
NARROW_WIDTH_PX = 640        # below this the panes stack instead of standing side by side
MIN_POINT_SIZE, MAX_POINT_SIZE = 8, 40


def format_timestamp(seconds: float) -> str:
    """`75.3` -> `"01:15"`; hours appear only when needed."""
    total = max(int(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


@dataclass
class _Row:
    key: Hashable
    start: float
    text: str = ""
    translation: str = ""
    partial: bool = True


class _Pane(QTextEdit):
    """A read-only text pane that tells its owner when its width changes (rows must be realigned)."""

    resized = Signal()

    def __init__(self, placeholder: str) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setPlaceholderText(placeholder)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.resized.emit()


class TranscriptPanes(QWidget):
    """The two panes with their titles, in a splitter that stacks them on a narrow window."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.source_view = _Pane("The transcript appears here as you speak.")
        self.translation_view = _Pane("Choose a language in \u201cTranslate to\u201d to see a translation here.")
        self._rows: list[_Row] = []
        self._index: dict[Hashable, int] = {}
        self._following = True
        self._syncing = False

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        for title, view in (("Transcript", self.source_view), ("Translation", self.translation_view)):
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            label = QLabel(f"<b>{title}</b>")
            lay.addWidget(label)
            lay.addWidget(view)
            self.splitter.addWidget(box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._realign_timer = QTimer(self)
        self._realign_timer.setSingleShot(True)
        self._realign_timer.setInterval(60)
        self._realign_timer.timeout.connect(self._realign_all)
        for view in (self.source_view, self.translation_view):
            view.resized.connect(self._realign_timer.start)
            bar = view.verticalScrollBar()
            bar.rangeChanged.connect(self._on_range_changed)
            bar.valueChanged.connect(lambda value, v=view: self._on_scrolled(v, value))

    # ---- content ----

    def show_partial(self, event: Partial, run: int = 0) -> None:
        key = (run, event.segment_id)
        row = self._row(key, event.start)
        if row is None or not row.partial:
            return  # the final already landed; a late partial must not overwrite it
        row.text = event.text
        self._render(key)

    def add_final(self, event: FinalSegment, run: int = 0) -> None:
        key = (run, event.segment_id)
        # a partial left over from an utterance the engine dropped must not stay above new text
        for stale in [r.key for r in self._rows if r.partial and r.key != key and r.key < key]:
            self._remove(stale)
        row = self._row(key, event.start)
        assert row is not None
        row.start, row.text, row.partial = event.start, event.text, False
        self._render(key)

    def add_translation(self, event: Translation, run: int = 0) -> None:
        key = (run, event.segment_id)
        if key not in self._index:
            return
        self._rows[self._index[key]].translation = event.text
        self._render(key)

    def drop_partials(self) -> None:
        """Remove provisional rows (the run ended; whatever became final is already shown)."""
        for key in [r.key for r in self._rows if r.partial]:
            self._remove(key)

    def clear(self) -> None:
        self._rows.clear()
        self._index.clear()
        self.source_view.clear()
        self.translation_view.clear()
        self._following = True

    # ---- reading ----

    @property
    def has_final_text(self) -> bool:
        return any(not r.partial and r.text.strip() for r in self._rows)

    def source_text(self) -> str:
        return self.source_view.toPlainText()

    def translation_text(self) -> str:
        return self.translation_view.toPlainText()

    def partial_text(self) -> str:
        return " ".join(r.text for r in self._rows if r.partial)

    @property
    def following(self) -> bool:
        """Whether the panes follow the live edge (False while the user reads further up)."""
        return self._following

    # ---- commands ----

    def focused_view(self) -> QTextEdit:
        return self.translation_view if self.translation_view.hasFocus() else self.source_view

    def copy(self) -> None:
        """Copy the selection, or the whole focused pane when nothing is selected."""
        view = self.focused_view()
        if view.textCursor().hasSelection():
            view.copy()
        else:
            QGuiApplication.clipboard().setText(view.toPlainText())

    def select_all(self) -> None:
        view = self.focused_view()
        view.setFocus()
        view.selectAll()

    def point_size(self) -> int:
        return self.source_view.font().pointSize()

    def set_point_size(self, size: int) -> None:
        size = min(max(int(size), MIN_POINT_SIZE), MAX_POINT_SIZE)
        for view in (self.source_view, self.translation_view):
            font = QFont(view.font())
            font.setPointSize(size)
            view.setFont(font)
            view.document().setDefaultFont(font)
        self._realign_timer.start()

    def zoom(self, steps: int) -> None:
        self.set_point_size(self.point_size() + steps)

    # ---- layout ----

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        wanted = Qt.Orientation.Vertical if self.width() < NARROW_WIDTH_PX else Qt.Orientation.Horizontal
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)

    # ---- internals ----

    def _row(self, key: Hashable, start: float) -> Optional[_Row]:
        if key in self._index:
            return self._rows[self._index[key]]
        row = _Row(key=key, start=start)
        self._index[key] = len(self._rows)
        self._rows.append(row)
        for view in (self.source_view, self.translation_view):
            doc = view.document()
            if len(self._rows) > 1:
                cursor = QTextCursor(doc)
                cursor.movePosition(QTextCursor.MoveOperation.End)
                cursor.insertBlock(QTextBlockFormat())  # not the previous row's padding
        return row

    def _remove(self, key: Hashable) -> None:
        index = self._index.pop(key)
        del self._rows[index]
        self._index = {r.key: i for i, r in enumerate(self._rows)}
        for view in (self.source_view, self.translation_view):
            doc = view.document()
            block = doc.findBlockByNumber(index)
            cursor = QTextCursor(block)
            cursor.beginEditBlock()
            if doc.blockCount() == 1:
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            elif index > 0:
                # take the separator before the block with it
                cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
                cursor.setPosition(block.position() + block.length() - 1, QTextCursor.MoveMode.KeepAnchor)
            else:
                cursor.movePosition(QTextCursor.MoveOperation.NextBlock, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            cursor.endEditBlock()

    def _formats(self, partial: bool) -> tuple[QTextCharFormat, QTextCharFormat]:
        muted = self.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        stamp = QTextCharFormat()
        stamp.setForeground(muted)
        stamp.setFontItalic(False)
        text = QTextCharFormat()
        if partial:
            text.setForeground(muted)
            text.setFontItalic(True)
        else:
            text.setForeground(self.palette().color(QPalette.ColorRole.Text))
            text.setFontItalic(False)
        return stamp, text

    def _render(self, key: Hashable) -> None:
        index = self._index[key]
        row = self._rows[index]
        stamp_format, text_format = self._formats(row.partial)
        stamp = f"[{format_timestamp(row.start)}]  "
        contents = ((self.source_view, row.text), (self.translation_view, row.translation))
        for view, text in contents:
            cursor = QTextCursor(view.document().findBlockByNumber(index))
            cursor.beginEditBlock()
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            if text:
                cursor.insertText(stamp, stamp_format)
                cursor.insertText(text.strip(), text_format)
            cursor.endEditBlock()
        self._align(index)
        if self._following:
            self._scroll_to_end()

    def _align(self, index: int) -> None:
        """Pad the shorter block of row `index` so both panes' rows are equally tall."""
        views = (self.source_view, self.translation_view)
        blocks = [v.document().findBlockByNumber(index) for v in views]
        if not all(b.isValid() for b in blocks):
            return
        heights = []
        for view, block in zip(views, blocks):
            rect = view.document().documentLayout().blockBoundingRect(block)
            heights.append(rect.height())  # the bounding rect leaves the bottom margin out
        target = max(heights)
        for view, block, height in zip(views, blocks, heights):
            margin = ROW_GAP_PX + target - height
            if abs(block.blockFormat().bottomMargin() - margin) > 0.5:
                fmt = QTextBlockFormat(block.blockFormat())
                fmt.setBottomMargin(margin)
                QTextCursor(block).setBlockFormat(fmt)

    def _realign_all(self) -> None:
        for index in range(len(self._rows)):
            self._align(index)
        if self._following:
            self._scroll_to_end()

    def _scroll_to_end(self) -> None:
        self._syncing = True  # programmatic: must not read as the user scrolling
        try:
            for view in (self.source_view, self.translation_view):
                bar = view.verticalScrollBar()
                bar.setValue(bar.maximum())
        finally:
            self._syncing = False

    def _on_range_changed(self, _min: int, _max: int) -> None:
        if self._following:
            self._scroll_to_end()

    def _on_scrolled(self, view: QTextEdit, value: int) -> None:
        if self._syncing:
            return
        bar = view.verticalScrollBar()
        self._following = value >= bar.maximum() - 4
        other = self.translation_view if view is self.source_view else self.source_view
        self._syncing = True
        try:
            other.verticalScrollBar().setValue(value)
        finally:
            self._syncing = False
