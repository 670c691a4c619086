"""Edit -> Vocabulary: the names and terms Whisper should spell right, as a plain list.

As the list is typed, the dialog says how many terms it holds and which do not fit Whisper's
prompt (counted with the chosen model's tokenizer when there is one). OK saves the list to
`<user data>/vocabulary.txt`; a failed save keeps the dialog and the text open, with the reason.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from voicedesk.engine.vocabulary import (
    TOKEN_BUDGET, VocabularyError, estimate_tokens, fit_hint, format_vocabulary, parse_vocabulary,
)
from voicedesk.session.vocabulary_store import save_vocabulary, vocabulary_path
from voicedesk.ui.fit import fit_to_screen, keep_fitting
from voicedesk.ui.i18n import shown


class VocabularyDialog(QDialog):
    """Edits the saved list; `terms()` gives what was saved once accepted."""

    def __init__(self, terms: Sequence[str], count_tokens: Optional[Callable[[str], int]] = None,
                 parent: Optional[QWidget] = None, save: Callable[[Sequence[str]], None] = save_vocabulary) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Vocabulary"))
        self._count = count_tokens or estimate_tokens
        self._save = save
        self._saved: tuple[str, ...] = tuple(terms)
        intro = QLabel(self.tr("Names and terms Whisper should spell right: people, products, jargon. One per line; "
                               "# starts a comment. The first ones matter most: only what fits Whisper's prompt "
                               "is used. Applies from the next Start."))
        intro.setWordWrap(True)
        self.editor = QPlainTextEdit(format_vocabulary(terms))
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
        self.editor.setPlaceholderText(self.tr("Zbigniew Kowalczyk\nQuorvex\n# a comment"))
        self.editor.setTabChangesFocus(True)      # Tab moves on to the buttons: terms are one per line anyway
        self.editor.setAccessibleName(self.tr("Vocabulary terms"))
        self.editor.setAccessibleDescription(self.tr("One name or term per line"))
        intro.setBuddy(self.editor)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(self.tr("Vocabulary status"))
        self.file_label = QLabel(self.tr("Saved in {path}, which the command line takes as --vocabulary FILE.")
                                 .format(path=str(vocabulary_path())))
        self.file_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.file_label)
        layout.addWidget(buttons)
        self.editor.textChanged.connect(self._update_status)
        self._update_status()
        fit_to_screen(self, 600, 520)
        keep_fitting(self)   # the status lines grow as the list does: the dialog grows, they never overlap

    def listed(self) -> tuple[str, ...]:
        """The terms the editor holds now."""
        return parse_vocabulary(self.editor.toPlainText()).terms

    def terms(self) -> tuple[str, ...]:
        """The saved list (the one it opened with when cancelled)."""
        return self._saved

    def _update_status(self) -> None:
        listed = parse_vocabulary(self.editor.toPlainText())
        hint = fit_hint(listed.terms, self._count)
        lines = [self.tr("%n term(s), %1 of %2 prompt tokens used.", "", len(listed.terms))
                 .replace("%1", str(hint.tokens)).replace("%2", str(TOKEN_BUDGET))]
        if hint.dropped:
            lines.append(shown(hint.dropped_message))
        lines += [shown(note) for note in listed.notes]
        self.status_label.setText("\n".join(lines))

    def accept(self) -> None:  # noqa: D102 - a failed save keeps the text and says why
        terms = self.listed()
        try:
            self._save(terms)
        except VocabularyError as exc:
            self.status_label.setText(shown(exc))
            return
        self._saved = terms
        super().accept()
