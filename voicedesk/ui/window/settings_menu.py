"""The window's user settings in one place: Edit -> Vocabulary and Edit -> Preferences, and what they change.

`SettingsFeatures(window, edit_menu, needs)` adds both actions, reads the saved preferences (QSettings)
and vocabulary (a file in the user data folder), and applies them: the session core's beam size and
automatic lighter choice, the overload strip's checkbox, the journal folder, and `apply(settings)`,
which the window's choices pass through so the next Start (and the model loaded ahead of it) uses
them. A run in progress keeps the settings it started with. It is the one owner of the Preferences'
stored keys (`STORAGE_KEYS`): whoever else changes a preference (the export dialog's format, the
overload strip's checkbox) does so through `remember`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCheckBox, QMenu, QWidget

from voicedesk.engine.settings import EngineSettings
from voicedesk.session.coordinator import SessionCoordinator
from voicedesk.session.journal_keeper import JournalKeeper
from voicedesk.session.preferences import STORAGE_KEYS, Preferences, from_stored
from voicedesk.session.vocabulary_store import load_vocabulary

if TYPE_CHECKING:
    from voicedesk.ui.dialogs.preferences import PreferencesDialog
    from voicedesk.ui.dialogs.vocabulary import VocabularyDialog

log = logging.getLogger(__name__)

PREFERENCES_SHORTCUT = "Ctrl+,"


@dataclass(frozen=True)
class SettingsNeeds:
    """What the preferences and the vocabulary are applied to."""

    settings: QSettings
    core: SessionCoordinator                  # its beam size and automatic lighter choice
    automatic: QCheckBox                      # the overload strip's "Do this automatically"
    journal: JournalKeeper                    # where the next journal opens
    model_spec: Callable[[], Optional[str]]   # the model whose tokenizer counts the vocabulary
    changed: Callable[[str, str], None]       # say (saved, from the next Start) and load the model ahead


class SettingsFeatures(QObject):
    def __init__(self, window: QWidget, edit_menu: QMenu, needs: SettingsNeeds) -> None:
        super().__init__(window)
        self.window = window                 # the parent of the actions and the dialogs
        self._needs = needs
        self.settings = needs.settings
        self.current, problems = from_stored({key: self.settings.value(key) for key in STORAGE_KEYS.values()})
        for problem in problems:
            log.warning("preferences: %s", problem)
        saved = load_vocabulary()
        for note in saved.notes:
            log.warning("vocabulary: %s", note)
        self.vocabulary: tuple[str, ...] = saved.terms
        self.dialog: Optional[Union[PreferencesDialog, VocabularyDialog]] = None   # while open (tests, accessibility)

        edit_menu.addSeparator()
        self.vocabulary_action = self._add(edit_menu, self.tr("Voca&bulary\u2026"), self.open_vocabulary,
                                           self.tr("Names and terms Whisper should spell right"))
        self.preferences_action = self._add(edit_menu, self.tr("P&references\u2026"), self.open_preferences,
                                            self.tr("Device, voice detection, decoding, journal folder, export "
                                                    "defaults"))
        self.preferences_action.setShortcut(QKeySequence(PREFERENCES_SHORTCUT))
        self._apply_to_window()

    def _add(self, menu: QMenu, text: str, slot: Callable[[], Any], tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def apply(self, settings: EngineSettings) -> EngineSettings:
        """The settings of the next run: the window's choices, the preferences, and the vocabulary."""
        return self.current.apply_to(settings.with_values(vocabulary=self.vocabulary))

    def _apply_to_window(self) -> None:
        core, automatic = self._needs.core, self._needs.automatic
        core.beam_size = self.current.beam_size          # the core lowers it when the computer cannot keep up
        core.automatic_lighter = self.current.automatic_lighter
        blocked = automatic.blockSignals(True)   # showing the choice is not making it
        automatic.setChecked(self.current.automatic_lighter)
        automatic.blockSignals(blocked)
        self._needs.journal.use_folder(self.current.journal_path)

    # ------------------------------------------------------------------ the dialogs

    def open_preferences(self, gpu: Optional[tuple[bool, str]] = None) -> bool:
        """Edit -> Preferences; True when new preferences were saved."""
        from voicedesk.ui.dialogs.preferences import PreferencesDialog

        current = self.current
        dialog = PreferencesDialog(current, self.window, gpu=gpu)
        self.dialog = dialog
        accepted = dialog.exec() == PreferencesDialog.DialogCode.Accepted
        self.dialog = None
        if not accepted or dialog.preferences() == current:
            return False
        self.save(dialog.preferences())
        return True

    def save(self, prefs: Preferences) -> None:
        """Keep `prefs` (QSettings) and apply them from the next Start."""
        self.current = prefs
        for key, value in prefs.to_stored().items():
            self.settings.setValue(key, value)
        self.settings.sync()
        self._apply_to_window()
        self._needs.changed(self.tr("Preferences saved."),
                            self.tr("Preferences saved: they apply from the next Start."))

    def remember(self, **changes: Any) -> None:
        """Keep a preference chosen elsewhere (the last export's format, the overload strip's checkbox).

        This object is the one owner of every Preferences key: a choice written past it would be
        overwritten with the old value the next time Preferences are saved. What the user chose is
        written even when it equals the default, so a later default never changes it.
        """
        self.current = replace(self.current, **changes)
        for name in changes:
            self.settings.setValue(STORAGE_KEYS[name], getattr(self.current, name))
        self.settings.sync()
        self._needs.core.automatic_lighter = self.current.automatic_lighter

    def open_vocabulary(self) -> bool:
        """Edit -> Vocabulary; True when a changed list was saved."""
        from voicedesk.engine.vocabulary import model_token_counter
        from voicedesk.ui.dialogs.vocabulary import VocabularyDialog

        spec = self._needs.model_spec() or ""
        counter = model_token_counter(spec) if spec and Path(spec).is_dir() else None
        dialog = VocabularyDialog(self.vocabulary, counter, self.window)
        self.dialog = dialog
        accepted = dialog.exec() == VocabularyDialog.DialogCode.Accepted
        self.dialog = None
        if not accepted or dialog.terms() == self.vocabulary:
            return False
        self.vocabulary = dialog.terms()
        self._needs.changed(self.tr("Vocabulary saved."), self.tr("Vocabulary saved: it applies from the next Start."))
        return True
