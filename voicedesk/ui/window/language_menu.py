"""View -> Language: the system's language, or English or Spanish; saved, and applied the next time the app starts."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu

from voicedesk.ui.i18n import chosen_language, ui_language
from voicedesk.ui.stored_keys import UI_LANGUAGE

# each language named in itself, as language menus do: whoever cannot read the current UI still finds theirs
NATIVE_NAMES = (("en", "English"), ("es", "Español"))


class LanguageMenu(QObject):
    """The View -> Language submenu of `window`; `settings` keeps the choice ("" follows the system)."""

    def __init__(self, window: QMainWindow, view_menu: QMenu, settings: QSettings) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.shown_language = ui_language(settings)   # what this run shows (chosen at start-up)
        self.menu = view_menu.addMenu(self.tr("Lan&guage"))
        self.group = QActionGroup(self)
        self.actions: dict[str, QAction] = {}
        choices = (("", self.tr("System language")),) + NATIVE_NAMES
        current = chosen_language(settings)
        for code, name in choices:
            action = self.menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: self.choose(c))
            self.group.addAction(action)
            self.actions[code] = action
        self.menu.addSeparator()
        note = self.menu.addAction(self.tr("Applies the next time voicedesk starts"))
        note.setEnabled(False)

    def choose(self, code: str) -> None:
        """Remember `code` ("" for the system's language); say when it differs from what is shown now."""
        self.settings.setValue(UI_LANGUAGE, code)
        self.actions[code].setChecked(True)
        if ui_language(self.settings) != self.shown_language:
            self.window.statusBar().showMessage(
                self.tr("The new language applies the next time voicedesk starts."), 10_000)

