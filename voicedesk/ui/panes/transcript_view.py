"""Transcript and translation panes: one row per sentence, each translation level with its source.

Both panes hold one text block per row, in the same order. After every change the two blocks of
the row get bottom margins that make them equally tall, so row N starts at the same height in
both documents and the panes can share one scroll position.

Text comes in two levels (engine/settle.py): a row's finals are provisional, dotted-underlined, until the engine
settles the sentence and `show_sentences` puts the settled text in plain. A partial is muted italic.

Rows are sentences, keyed by (run, sentence_id): a sentence said with pauses arrives as several
finals, and each one after the first is appended to its row; a translation names the finals it
covers and lands on the row of the first. A partial is grey italic text for the next final, and
it goes where the engine says, once, when it first shows: as the tail of its sentence's row when its
`sentence_id` names an open sentence (the engine's grouping, engine/sentences.py, is the only line rule),
else as a row of its own. The final then overwrites it in place (one edit, no flicker, no jump);
only a wrong guess of the engine's moves text once (the tail leaves the row above for a new row, or the partial's
own row goes as its text joins the row above).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Iterable, Optional

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPalette, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QSplitter, QTextEdit, QVBoxLayout, QWidget

from voicedesk.engine.events import FinalSegment, Partial, Translation
from voicedesk.session.speakers import SpeakerNames, speaker_name
from voicedesk.session.transcript import Sentence
from voicedesk.ui.i18n import shown

ROW_GAP_PX = 6.0
NARROW_WIDTH_PX = 640        # below this the panes stack instead of standing side by side
MIN_POINT_SIZE, MAX_POINT_SIZE = 8, 40


def default_point_size() -> int:
    """The panes' text size until the user changes it: a little larger than the system's text."""
    return max(QGuiApplication.font().pointSize() + 2, 11)


def format_timestamp(seconds: float) -> str:
    """`75.3` -> `"01:15"`; hours appear only when needed."""
    total = max(int(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


@dataclass
class _Row:
    key: Hashable                 # (run, sentence_id); a partial's own row: (run, the id its final will have)
    start: float
    text: str = ""                # the finals' text, joined (a partial row: the partial's text)
    translation: str = ""
    partial: bool = True          # no final yet: the whole row is provisional
    language: str = ""
    last_id: int = -1             # segment id of the row's last final
    closed: bool = False          # the sentence is complete: no partial is shown as its continuation
    tail: str = ""                # a partial shown after the text, guessed to continue this sentence
    tail_id: Optional[int] = None
    typed: bool = False           # a line the user typed (session/edits.py)
    outdated: bool = False        # the translation was made from text edited since
    settled: bool = False         # the sentence was decoded again whole: its text is final (no dotted underline)
    speaker: str = ""             # who says it (a name), when speaker labels are on

    def has_segment(self, segment_id: int) -> bool:
        return not self.partial and self.key[1] <= segment_id <= self.last_id  # type: ignore[index]


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
        self.source_view = _Pane(self.tr("The transcript appears here as you speak."))
        self.translation_view = _Pane(
            self.tr("Choose a language in \u201cTranslate to\u201d to see a translation here."))
        self._rows: list[_Row] = []
        self._index: dict[Hashable, int] = {}
        self._following = True
        self.speaker_names: SpeakerNames = {}   # the session's names for speaker numbers
        self._syncing = False

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        for title, view in ((self.tr("Transcript"), self.source_view), (self.tr("Translation"), self.translation_view)):
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
        if self._final_row(run, event.segment_id) is not None:
            return  # the final already landed; a late partial must not overwrite it
        host = next((r for r in self._rows if r.tail_id == event.segment_id and r.key[0] == run), None)
        key = (run, event.segment_id)
        if host is None and key not in self._index:
            host = self._continued_row(event, run)
        if host is not None:
            host.tail, host.tail_id = event.text, event.segment_id
            self._render(host.key)
            return
        row = self._row(key, event.start)
        assert row is not None
        row.text = event.text
        self._render(key)

    def add_final(self, event: FinalSegment, run: int = 0) -> None:
        seg_key = (run, event.segment_id)
        sentence_id = getattr(event, "sentence_id", event.segment_id)
        key = (run, sentence_id)
        # a partial left over from an utterance the engine dropped must not stay above new text
        for stale in [r.key for r in self._rows if r.partial and r.key != seg_key and r.key < seg_key]:
            self._remove(stale)
        for row in [r for r in self._rows if r.tail_id is not None and (r.key[0], r.tail_id) < seg_key]:
            self._clear_tail(row)
        host = self._rows[self._index[key]] if key in self._index else None
        if host is not None and not host.partial and sentence_id != event.segment_id:
            # the sentence goes on: its text grows in its row, and this final's partial row goes
            if seg_key in self._index:
                self._remove(seg_key)
            if host.tail_id == event.segment_id:
                host.tail, host.tail_id = "", None
            if host.last_id < event.segment_id:
                host.text = f"{host.text.strip()} {event.text.strip()}".strip()
            row = host
        else:
            for other in [r for r in self._rows if r.tail_id == event.segment_id and r.key[0] == run]:
                self._clear_tail(other)  # guessed as a continuation, but it starts a sentence of its own
            if seg_key in self._index and seg_key != key:
                self._rekey(seg_key, key)  # its partial row becomes the sentence's row, in place
            row = self._row(key, event.start)
            assert row is not None
            row.start, row.text, row.partial = event.start, event.text, False
            row.language = event.language
        row.last_id = max(row.last_id, event.segment_id)
        self._set_speaker(row, shown(speaker_name(event.speaker, self.speaker_names)) if event.speaker else row.speaker)
        self._render(row.key)

    def add_translation(self, event: Translation, run: int = 0) -> None:
        ids = tuple(getattr(event, "segment_ids", ())) or (event.segment_id,)
        row = self._final_row(run, ids[0])
        if row is None:
            return
        row.translation = event.text
        row.closed = True  # sentences are translated once complete
        self._render(row.key)

    def drop_partials(self) -> None:
        """Remove provisional text (the run ended; whatever became final is already shown)."""
        for key in [r.key for r in self._rows if r.partial]:
            self._remove(key)
        for row in self._rows:
            row.closed = True  # the next run starts new sentences
            if row.tail_id is not None:
                self._clear_tail(row)

    def show_sentences(self, sentences: Iterable[Sentence], removed: Iterable[int] = ()) -> None:
        """Show edited sentences as the session holds them now: rows updated, added in time order, or dropped."""
        for sentence_id in removed:
            row = self.sentence_row(sentence_id)
            if row is not None:
                self._remove(self._rows[row].key)
        for sentence in sentences:
            index = self.sentence_row(sentence.sentence_id)
            if index is None:
                index = next((i for i, r in enumerate(self._rows) if r.partial or r.start > sentence.start),
                             len(self._rows))
                self._insert_row(index, (0, sentence.sentence_id), sentence.start)
            row = self._rows[index]
            row.start, row.text, row.translation = sentence.start, sentence.text, sentence.translation or ""
            row.partial, row.language, row.typed = False, sentence.language, sentence.typed
            row.settled = sentence.settled
            row.outdated = sentence.translation_outdated and bool(sentence.translation)
            row.last_id = max(row.last_id, *sentence.segment_ids)
            self._set_speaker(row, shown(speaker_name(sentence.speaker, self.speaker_names)) if sentence.speaker else "")
            self._render(row.key)
        self._realign_timer.start()

    def sentence_row(self, sentence_id: int) -> Optional[int]:
        """The row index of a sentence's final text, if shown."""
        return next((i for i, r in enumerate(self._rows) if not r.partial and r.key[1] == sentence_id), None)

    def row_sentence(self, index: int) -> Optional[int]:
        """The sentence id shown in row `index` (None for provisional text)."""
        if not 0 <= index < len(self._rows) or self._rows[index].partial:
            return None
        return int(self._rows[index].key[1])  # type: ignore[index]

    def row_text(self, index: int) -> str:
        return self._rows[index].text.strip() if 0 <= index < len(self._rows) else ""

    def prefix(self, index: int, source: bool = True) -> str:
        """What a row's block shows before its text: the time stamp, the speaker where the speaker changes (in
        words, not only a colour), and a typed or outdated mark."""
        row = self._rows[index]
        mark = self.tr("(typed)") if source and row.typed else ""
        mark = mark or (self.tr("(outdated)") if not source and row.outdated else "")
        who = f"{row.speaker}: " if source and row.speaker and row.speaker != self._speaker_before(index) else ""
        return f"[{format_timestamp(row.start)}]  " + who + (mark + " " if mark else "")

    def _speaker_before(self, index: int) -> str:
        return next((r.speaker for r in reversed(self._rows[:index]) if not r.partial), "")

    def _set_speaker(self, row: _Row, speaker: str) -> None:
        """A row's speaker; the next row is shown again when this changes whether its speaker is new."""
        if row.speaker == speaker:
            return
        row.speaker = speaker
        index = self._index[row.key]
        following = next((r for r in self._rows[index + 1:] if not r.partial), None)
        if following is not None:
            self._render(following.key)

    def _insert_row(self, index: int, key: Hashable, start: float) -> None:
        if index >= len(self._rows):
            self._row(key, start)
            return
        for view in (self.source_view, self.translation_view):
            cursor = QTextCursor(view.document().findBlockByNumber(index))
            cursor.insertBlock(QTextBlockFormat())
            cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
            cursor.setBlockFormat(QTextBlockFormat())   # the new empty block, before the old row's text
        self._rows.insert(index, _Row(key=key, start=start))
        self._index = {r.key: i for i, r in enumerate(self._rows)}

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
        return " ".join(r.text if r.partial else r.tail for r in self._rows if r.partial or r.tail)

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

    def _final_row(self, run: int, segment_id: int) -> Optional[_Row]:
        """The sentence row that holds the final `segment_id`, if it landed."""
        key = (run, segment_id)
        if key in self._index and not self._rows[self._index[key]].partial:
            return self._rows[self._index[key]]
        return next((r for r in reversed(self._rows) if r.key[0] == run and r.has_segment(segment_id)), None)

    def _continued_row(self, event: Partial, run: int) -> Optional[_Row]:
        """The open row of the sentence the partial continues, as the engine says (schema 3's sentence_id)."""
        if event.sentence_id == event.segment_id:
            return None
        return next((r for r in self._rows if not r.partial and not r.closed and r.key == (run, event.sentence_id)),
                    None)

    def _clear_tail(self, row: _Row) -> None:
        row.tail, row.tail_id = "", None
        self._render(row.key)

    def _rekey(self, old: Hashable, new: Hashable) -> None:
        index = self._index.pop(old)
        self._rows[index].key = new
        self._index[new] = index

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
        if not row.partial and not row.settled and not row.typed:
            # provisional: may still change when the sentence settles (a dotted underline, not a colour)
            text_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        contents = ((self.source_view, row.text, row.tail), (self.translation_view, row.translation, ""))
        for view, text, tail in contents:
            stamp = self.prefix(index, view is self.source_view)
            cursor = QTextCursor(view.document().findBlockByNumber(index))
            cursor.beginEditBlock()
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            if text:
                cursor.insertText(stamp, stamp_format)
                cursor.insertText(text.strip(), text_format)
                if tail.strip():
                    cursor.insertText(" " + tail.strip(), self._formats(True)[1])
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
        for block, height in zip(blocks, heights):
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

