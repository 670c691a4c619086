"""Naming speakers in the window: rename a speaker once, or merge two into one, from a line of theirs.

The transcript's context menu and the Edit menu act on the speaker of the line under the pointer (or the
caret): "Rename Speaker 2…" asks for a name, "Merge Speaker 2 into" lists the other speakers, one click each.
What a rename or merge does to the session, its journal and exports is the Qt-free `TranscriptEditor`; the
panes show every line again with the new names when it says `SpeakersChanged`.
"""

from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QWidget

from voicedesk.session.editor import SpeakersChanged, TranscriptEditor
from voicedesk.session.speakers import speaker_name
from voicedesk.ui.i18n import shown
from voicedesk.ui.panes.transcript_view import TranscriptPanes

AskName = Callable[[str], Optional[str]]   # the current name in, the new one out (None: the user cancelled)


class SpeakerNaming(QObject):
    """Rename and merge speakers from a line; `ask_name` replaces the name dialog (tests)."""

    names_changed = Signal(object)   # the session's new SpeakerBook, once the panes show it

    def __init__(self, window: QWidget, panes: TranscriptPanes, editor: TranscriptEditor,
                 current_row: Callable[[], int], ask_name: Optional[AskName] = None) -> None:
        super().__init__(window)
        self._window = window
        self._panes = panes
        self._editor = editor
        self._current_row = current_row
        self._ask_name = ask_name or self._name_dialog

    def add_to_edit_menu(self, menu: QMenu, before: Optional[QAction]) -> None:
        """Edit -> Rename speaker… and Merge speaker into, for the caret's line (built when the menu opens)."""
        self.rename_action = QAction(self.tr("Rename spea&ker\u2026"), self._window)
        self.rename_action.triggered.connect(lambda _checked=False: self.rename_row_speaker(self._current_row()))
        self.merge_menu = QMenu(self.tr("Mer&ge speaker into"), self._window)
        menu.insertAction(before, self.rename_action)
        menu.insertMenu(before, self.merge_menu)
        menu.aboutToShow.connect(self._refresh_edit_menu)

    def _refresh_edit_menu(self) -> None:
        speaker = self.row_speaker(self._current_row())
        self.rename_action.setEnabled(speaker is not None)
        self._fill_merge_menu(self.merge_menu, speaker)

    def add_to_context_menu(self, menu: QMenu, row: int, before: Optional[QAction]) -> None:
        """The line's speaker, by name: "Rename Speaker 2…" and "Merge Speaker 2 into" (nothing without one)."""
        speaker = self.row_speaker(row)
        if speaker is None:
            return
        name = self.name_of(speaker)
        rename = QAction(self.tr("Rename {name}\u2026").format(name=name), menu)
        rename.triggered.connect(lambda _checked=False: self.rename_row_speaker(row))
        menu.insertAction(before, rename)
        merge = QMenu(self.tr("Merge {name} into").format(name=name), menu)
        self._fill_merge_menu(merge, speaker)
        menu.insertMenu(before, merge)

    def _fill_merge_menu(self, menu: QMenu, speaker: Optional[int]) -> None:
        menu.clear()
        others = [n for n in self._editor.speakers_heard() if n != speaker] if speaker is not None else []
        for other in others:
            item = menu.addAction(self.name_of(other))
            item.triggered.connect(lambda _checked=False, s=speaker, o=other: self._editor.merge_speakers(s, o))
        menu.setEnabled(bool(others))

    # ------------------------------------------------------------------ what the actions do

    def row_speaker(self, row: int) -> Optional[int]:
        """The speaker of the line in row `row` (None for provisional text or a line without one)."""
        sentence_id = self._panes.row_sentence(row)
        sentence = self._editor.sentence(sentence_id) if sentence_id is not None else None
        return sentence.speaker if sentence is not None else None

    def name_of(self, speaker: int) -> str:
        return shown(speaker_name(speaker, self._editor.session.speakers.name_map)) or ""

    def rename_row_speaker(self, row: int) -> bool:
        """Ask for a new name for the speaker of row `row`; every line of theirs follows."""
        speaker = self.row_speaker(row)
        if speaker is None:
            return False
        name = self._ask_name(self.name_of(speaker))
        return name is not None and self._editor.rename_speaker(speaker, name)

    def _name_dialog(self, current: str) -> Optional[str]:
        name, ok = QInputDialog.getText(self._window, self.tr("Rename speaker"),
                                        self.tr("New name for {name} (empty: the default name):").format(name=current),
                                        QLineEdit.EchoMode.Normal, current)
        return name if ok else None

    def show_change(self, notice: SpeakersChanged) -> None:
        """Every line shown again with the speakers' new names."""
        self._panes.speaker_names = notice.speakers.event_names()
        self._panes.show_sentences(notice.sentences)
        self.names_changed.emit(notice.speakers)
