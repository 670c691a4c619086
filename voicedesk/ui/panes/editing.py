"""Fixing the transcript in the window: edit a line in place, split, merge, undo, Find, and the typed-text box.

What an edit does to the session (its text, times, journal and translation) is the Qt-free
`voicedesk.session.editor`; this module turns the user's gestures into its calls and shows its notices:
double-click or F2 opens an editor over the line (Enter keeps, Esc drops, leaving it keeps), the
transcript's context menu offers Edit / Split here / Merge with next / Undo, Edit -> Find (Ctrl+F) opens
the find bar, and the box under the panes translates typed text.
"""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QBoxLayout, QLineEdit, QMenu, QWidget

from voicedesk.engine.events import Translation
from voicedesk.engine.translation.user_text import TextAnswer
from voicedesk.session.editor import (
    SentencesChanged, SpeakersChanged, TranscriptEditor, TypedLineAnswered, marked_sentences,
)
from voicedesk.session.coordinator import SessionCoordinator
from voicedesk.session.notices import Message
from voicedesk.ui.controller import EngineController
from voicedesk.ui.panes.find_bar import FindBar
from voicedesk.ui.i18n import shown
from voicedesk.ui.panes.speaker_naming import SpeakerNaming
from voicedesk.ui.panes.typed_text import TypedTextBox
from voicedesk.ui.window.layout import WindowWidgets


class LineEditor(QLineEdit):
    """The in-place editor over one line of the transcript pane."""

    done = Signal(bool)   # True: keep the text

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            self.done.emit(False)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.done.emit(True)
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        if self.isVisible():
            self.done.emit(True)   # clicking elsewhere keeps what was typed


class TranscriptEditing(QObject):
    """The window's edit gestures, find bar and typed-text box (see the module doc).

    Made after the window connects the controller: its translation handler runs after the window's.
    """

    def __init__(self, window: QWidget, widgets: WindowWidgets, edit_menu: QMenu, core: SessionCoordinator,
                 controller: EngineController) -> None:
        super().__init__(window)
        self._action_parent = window
        self.panes = widgets.panes
        self.choices = widgets.choices       # the typed text goes from the spoken language into Translate to
        self.banner = widgets.banner
        self.editor = TranscriptEditor(core, controller, self._on_notice)
        self.find_bar = FindBar(self.panes)
        self.typed = TypedTextBox(self.submit_typed)
        self.line_editor = LineEditor(self.panes.source_view.viewport())
        self.line_editor.setAccessibleName(self.tr("Edit line"))
        self.line_editor.hide()
        self.line_editor.done.connect(self._editor_done)
        self._editing: Optional[int] = None     # the sentence id being edited in place
        self.speakers = SpeakerNaming(window, self.panes, self.editor, self.current_row)

        layout = self.panes.parentWidget().layout()
        assert isinstance(layout, QBoxLayout)
        at = layout.indexOf(self.panes)
        layout.insertWidget(at, self.find_bar)
        layout.insertWidget(at + 2, self.typed)

        view = self.panes.source_view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        view.viewport().installEventFilter(self)
        view.verticalScrollBar().valueChanged.connect(lambda _value: self._place_editor())
        self._add_actions(edit_menu)

        # emitted on the translator's thread: a slot of this (GUI-thread) object makes it a queued call
        controller.text_translated.connect(self._on_text_answer)
        # after the window's own handler: the core holds the translation by then
        controller.translation.connect(self._on_translation)

    def _add_actions(self, menu: QMenu) -> None:
        first = menu.actions()[0] if menu.actions() else None

        def action(text: str, slot, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
            made = QAction(text, self._action_parent)
            if shortcut is not None:
                made.setShortcut(QKeySequence(shortcut))
            made.triggered.connect(lambda _checked=False: slot())
            menu.insertAction(first, made)
            return made

        self.undo_action = action(self.tr("&Undo edit"), self.undo, QKeySequence.StandardKey.Undo)
        self.edit_action = action(self.tr("&Edit line"), lambda: self.edit_row(self.current_row()), "F2")
        self.split_action = action(self.tr("S&plit line here"), self._split_at_caret)
        self.merge_action = action(self.tr("&Merge with next line"), lambda: self.merge_row(self.current_row()))
        self.speakers.add_to_edit_menu(menu, first)
        menu.insertSeparator(first)
        self.find_action = action(self.tr("&Find\u2026"), self.find_bar.open, QKeySequence.StandardKey.Find)
        self.find_next_action = action(self.tr("Find &next"), lambda: self.find_bar.step(1),
                                       QKeySequence.StandardKey.FindNext)
        self.find_previous_action = action(self.tr("Find pre&vious"), lambda: self.find_bar.step(-1),
                                           QKeySequence.StandardKey.FindPrevious)
        menu.insertSeparator(first)

    # ------------------------------------------------------------------ gestures

    def current_row(self) -> int:
        """The row of the caret in the focused pane (the keyboard's line)."""
        return self.panes.focused_view().textCursor().blockNumber()

    def edit_row(self, row: int) -> bool:
        """Open the in-place editor over row `row`; False for provisional text or no line."""
        sentence_id = self.panes.row_sentence(row)
        sentence = self.editor.sentence(sentence_id) if sentence_id is not None else None
        if sentence is None:
            return False
        self._editing = sentence_id
        self._place_editor()
        self.line_editor.setText(sentence.text)
        self.line_editor.show()
        self.line_editor.setFocus()
        self.line_editor.selectAll()
        return True

    def _place_editor(self) -> None:
        """Over the edited line's row, wherever scrolling (or a live run) has moved it."""
        row = self.panes.sentence_row(self._editing) if self._editing is not None else None
        if row is None:
            return
        view = self.panes.source_view
        rect = view.document().documentLayout().blockBoundingRect(view.document().findBlockByNumber(row))
        top = int(rect.top()) - view.verticalScrollBar().value()
        height = max(self.line_editor.sizeHint().height(), int(rect.height()))
        self.line_editor.setGeometry(0, top, view.viewport().width(), height)

    def _editor_done(self, keep: bool) -> None:
        sentence_id, self._editing = self._editing, None
        text = self.line_editor.text()
        self.line_editor.hide()
        self.panes.source_view.setFocus()
        if keep and sentence_id is not None:
            self.editor.edit(sentence_id, text)

    def split_at(self, row: int, position: int) -> bool:
        """Split row `row` at the word boundary nearest `position` (characters into its block)."""
        sentence_id = self.panes.row_sentence(row)
        if sentence_id is None:
            return False
        offset = position - len(self.panes.prefix(row))
        text = self.panes.row_text(row)
        words, at = 0, 0
        for word in text.split():
            start = text.index(word, at)
            at = start + len(word)
            if start + len(word) / 2 < offset:
                words += 1
        return self.editor.split(sentence_id, words)

    def _split_at_caret(self) -> None:
        cursor = self.panes.source_view.textCursor()
        self.split_at(cursor.blockNumber(), cursor.positionInBlock())

    def merge_row(self, row: int) -> bool:
        sentence_id = self.panes.row_sentence(row)
        return sentence_id is not None and self.editor.merge_with_next(sentence_id)

    def undo(self) -> bool:
        return self.editor.undo()

    def context_menu(self, pos: QPoint) -> QMenu:
        """The transcript pane's menu for the line under `pos` (viewport coordinates)."""
        view = self.panes.source_view
        cursor = view.cursorForPosition(pos)
        row, position = cursor.blockNumber(), cursor.positionInBlock()
        menu = view.createStandardContextMenu(view.viewport().mapTo(view, pos))
        first = menu.actions()[0] if menu.actions() else None
        line = self.panes.row_sentence(row) is not None
        for text, slot, enabled in (
            (self.tr("Edit line"), lambda: self.edit_row(row), line),
            (self.tr("Split here"), lambda: self.split_at(row, position), line),
            (self.tr("Merge with next"), lambda: self.merge_row(row), line),
            (self.tr("Undo edit"), self.undo, self.editor.can_undo),
        ):
            item = QAction(text, menu)
            item.setEnabled(enabled)
            item.triggered.connect(lambda _checked=False, slot=slot: slot())
            menu.insertAction(first, item)
        self.speakers.add_to_context_menu(menu, row, first)
        menu.insertSeparator(first)
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        view = self.panes.source_view
        self.context_menu(view.viewport().mapFrom(view, pos)).exec(view.mapToGlobal(pos))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.MouseButtonDblClick and watched is self.panes.source_view.viewport():
            row = self.panes.source_view.cursorForPosition(event.position().toPoint()).blockNumber()  # type: ignore[attr-defined]
            if self.edit_row(row):
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ typed text

    def submit_typed(self, text: str) -> bool:
        """Send typed text to be translated: from the spoken language into Translate to."""
        target = self.choices.chosen_target
        sentences = [s for s in self.editor.session.sentences() if s.language and not s.typed]
        source = self.choices.language_code or (sentences[-1].language if sentences else None)
        if not target:
            self.typed.say(self.tr("Choose a language in \u201cTranslate to\u201d to translate typed text."))
            return False
        if not source:
            self.typed.say(self.tr("Choose the spoken language: typed text is translated from it."))
            return False
        return self.editor.type_line(text, source, target)

    # ------------------------------------------------------------------ the core's notices

    def _on_notice(self, notice: object) -> None:
        if isinstance(notice, SentencesChanged):
            self.panes.show_sentences(notice.sentences, notice.removed)
            if self.find_bar.isVisible():
                self.find_bar.search()
        elif isinstance(notice, SpeakersChanged):
            self.speakers.show_change(notice)
        elif isinstance(notice, TypedLineAnswered):
            problem = ""
            if notice.problem:
                problem = shown(notice.problem)
                if notice.pack:
                    problem = self.tr("Whisper translates speech, not typed text. {problem}").format(problem=problem)
            self.typed.answered(notice.text, problem)
        elif isinstance(notice, Message):
            self.banner.show_message(shown(notice.text), notice.level.value)

    @Slot(object)
    def _on_translation(self, event: Translation) -> None:
        self.editor.on_translation(event)

    @Slot(object)
    def _on_text_answer(self, answer: TextAnswer) -> None:
        self.editor.on_text_answer(answer)

    def show_marks(self) -> None:
        """After the panes were rebuilt from finals (a restore, an opened transcript): show edits, typed lines, outdated translations."""
        marked = marked_sentences(self.editor.session.sentences())
        if marked:
            self.panes.show_sentences(marked)

