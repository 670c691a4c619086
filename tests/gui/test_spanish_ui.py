"""The real window and its dialogs in Spanish: everything shown is translated, language names included.

The Spanish catalogue is the one the app ships (built from voicedesk/ui/i18n/voicedesk_es.ts), installed
as the app does at start-up, before the window is built.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from voicedesk.ui.i18n import install_translators, ui_language
from voicedesk.ui.stored_keys import UI_LANGUAGE
from voicedesk.ui.i18n.build import ts_path

OPEN_TIMEOUT_MS = 120_000


def _translated_sources() -> dict[str, str]:
    """English text -> Spanish, for every message whose Spanish differs from its English."""
    table = {}
    for context in ET.parse(ts_path("es")).getroot().iter("context"):
        for message in context.iter("message"):
            source, translation = message.findtext("source", ""), message.find("translation")
            if translation is not None and translation.text and translation.text != source:
                table[source] = translation.text
    return table


@pytest.fixture
def spanish(qapp):
    """The UI in Spanish for one test (as the app does at start-up), English again afterwards."""
    previous = QLocale()
    assert install_translators(qapp, "es")
    yield
    install_translators(qapp, "en")
    QLocale.setDefault(previous)


def _texts(widget: QWidget) -> list[tuple[str, str]]:
    """(where, text) for what a user can see or hear of `widget` and its children."""
    found: list[tuple[str, str]] = []
    for w in [widget, *widget.findChildren(QWidget)]:
        name = type(w).__name__
        found += [(f"{name} title", w.windowTitle()), (f"{name} tooltip", w.toolTip()),
                  (f"{name} accessible name", w.accessibleName()),
                  (f"{name} accessible description", w.accessibleDescription())]
        if isinstance(w, (QLabel, QAbstractButton)):
            found.append((f"{name} text", w.text()))
        if isinstance(w, QGroupBox):
            found.append((f"{name} title", w.title()))
        if isinstance(w, (QLineEdit, QTextEdit, QPlainTextEdit)):
            found.append((f"{name} placeholder", w.placeholderText()))
        if isinstance(w, QComboBox):
            found += [(f"{name} item", w.itemText(i)) for i in range(w.count())]
        if isinstance(w, QTableWidget):
            found += [(f"{name} header", w.horizontalHeaderItem(c).text()) for c in range(w.columnCount())
                      if w.horizontalHeaderItem(c) is not None]
    for action in widget.findChildren(QAction):
        found += [("action", action.text()), ("action tip", action.toolTip()), ("action status", action.statusTip())]
    return [(where, text) for where, text in found if text]


def _english(texts: list[tuple[str, str]], table: dict[str, str], allowed: set[str] = frozenset()) -> list[str]:
    """The texts shown in English although a Spanish translation exists."""
    return sorted({f"{where}: {text!r}" for where, text in texts if text in table and text not in allowed})


def test_the_window_and_its_dialogs_show_no_english_that_has_a_spanish_translation(spanish, make_window, tiny_model,
                                                                                    qtbot, tmp_path):
    from voicedesk.models.machine import Recommendation
    from voicedesk.session.preferences import Preferences
    from voicedesk.ui.dialogs.export import ExportDialog
    from voicedesk.ui.dialogs.language_packs import LanguagePacksDialog
    from voicedesk.ui.dialogs.model_manager import ModelManagerDialog
    from voicedesk.ui.dialogs.preferences import PreferencesDialog
    from voicedesk.ui.dialogs.vocabulary import VocabularyDialog
    from voicedesk.ui.dialogs.welcome import WelcomeDialog

    table = _translated_sources()
    window = make_window(model=tiny_model)
    qtbot.waitUntil(lambda: window.widgets.choices.language_combo.count() > 90, timeout=OPEN_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.widgets.state_label.text() == "Listo", timeout=OPEN_TIMEOUT_MS)
    # the languages of the View -> Language menu are named in themselves, on purpose
    native = {window.language_menu.actions[code].text() for code in ("en", "es")}
    assert _english(_texts(window), table, native) == []
    assert window.widgets.start_button.text() == "Iniciar" and window.windowTitle() == "voicedesk \u2014 Listo"
    assert [a.text() for a in window.menuBar().actions()][:3] == ["&Archivo", "&Editar", "&Ver"]

    dialogs = [
        ExportDialog(str(tmp_path), "srt", "source", window),
        ModelManagerDialog(window),
        LanguagePacksDialog(window, fetch_on_open=False),
        WelcomeDialog(window, recommendation=Recommendation("base", "a test"), probe=lambda: False),
        PreferencesDialog(Preferences(), window, gpu=(False, "no GPU here")),   # no GPU on this machine
        VocabularyDialog(["Kowalczyk"], parent=window, save=lambda terms: None),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
    qtbot.waitUntil(lambda: dialogs[3].online is False)   # the welcome's "no network" line is shown too
    for dialog in dialogs:
        assert _english(_texts(dialog), table) == [], type(dialog).__name__
    assert dialogs[0].windowTitle() == "Exportar la transcripción"
    assert dialogs[1].table.horizontalHeaderItem(2).text() == "Velocidad y precisión"
    # Qt's own standard buttons come from Qt's Spanish catalogue
    assert {b.text() for b in dialogs[0].findChildren(QAbstractButton)} >= {"Guardar", "Cancelar"}


def test_language_names_follow_the_ui_language_and_its_alphabet(spanish, make_window, tiny_model, qtbot):
    window = make_window(model=tiny_model)
    qtbot.waitUntil(lambda: window.widgets.choices.language_combo.count() > 90, timeout=OPEN_TIMEOUT_MS)
    combo = window.widgets.choices.language_combo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names[0] == "Detección automática"
    assert {"Alemán", "Inglés", "Español", "Japonés", "Neerlandés"} <= set(names)
    assert "German" not in names and "English" not in names
    assert window.widgets.choices.language_combo.itemData(names.index("Alemán")) == "de"
    # Spanish order: "Árabe" among the A's, not after "Zulú"-like names at the end
    assert names.index("Alemán") < names.index("Árabe") < names.index("Bengalí")
    assert window.widgets.choices.target_combo.itemText(0) == "Ninguno"


def test_messages_from_the_session_core_are_shown_in_spanish(spanish, make_window, tiny_model, qtbot):
    window = make_window(model=tiny_model)
    assert not window.core.start_live(None)      # no microphone to listen to: the core says so, in English
    assert window.widgets.banner.text == ("No hay ningún micrófono que escuchar. Conecte uno y pulse \u27f3, o abra un "
                                  "archivo.")
    assert window.widgets.banner.action_button.text() == "Buscar de nuevo"


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_menu_gives_every_entry_its_own_alt_key_in_each_language(language, qapp, make_window):
    from PySide6.QtWidgets import QMenu

    previous = QLocale()
    assert install_translators(qapp, language)
    window = make_window()
    clashes = []
    for menu in [window.menuBar(), *window.findChildren(QMenu)]:
        keys: dict[str, list[str]] = {}
        for action in menu.actions():
            text = action.text().replace("&&", "")
            if "&" in text:
                keys.setdefault(text[text.index("&") + 1].lower(), []).append(action.text())
        clashes += [f"{getattr(menu, 'title', lambda: 'menu bar')()}: {texts}" for texts in keys.values()
                    if len(texts) > 1]
    install_translators(qapp, "en")
    QLocale.setDefault(previous)
    assert clashes == []


def test_help_about_speaks_spanish(spanish):
    from voicedesk.ui.dialogs.about import about_text

    assert "Nada de lo que dice sale de este ordenador." in about_text()


@pytest.mark.parametrize("width, height", [(1280, 800), (1024, 768)])
def test_the_spanish_window_and_dialogs_fit_small_screens_at_100_and_150_percent_text(width, height, tmp_path):
    import json
    import subprocess
    import sys

    # Spanish runs longer than English: the same layout check as tests/gui/test_dialog_fit.py, in Spanish
    script = Path(__file__).with_name("dialog_fit.py")
    run = subprocess.run([sys.executable, str(script), str(width), str(height), str(tmp_path), "es"],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    report = json.loads(next(line for line in run.stdout.splitlines() if line.startswith("FIT "))[4:])
    assert report["screen"] == [width, height] and report["problems"] == []


def test_the_ui_language_follows_the_system_unless_the_user_chose_one(tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert ui_language(settings, QLocale("es_MX")) == "es"
    assert ui_language(settings, QLocale("de_DE")) == "en"       # no German yet: English, the source
    settings.setValue(UI_LANGUAGE, "en")
    assert ui_language(settings, QLocale("es_ES")) == "en"
    settings.setValue(UI_LANGUAGE, "es")
    assert ui_language(settings, QLocale("fr_FR")) == "es"


def test_view_language_remembers_the_choice_and_says_when_it_applies(make_window, qtbot, gui_settings):
    window = make_window()
    menu = window.language_menu
    assert [a.text() for a in menu.menu.actions() if a.isCheckable()] == ["System language", "English", "Español"]
    assert menu.actions[""].isChecked()
    menu.actions["es"].trigger()
    assert gui_settings.value(UI_LANGUAGE) == "es" and menu.actions["es"].isChecked()
    assert "next time voicedesk starts" in window.statusBar().currentMessage()
    menu.actions[""].trigger()
    assert gui_settings.value(UI_LANGUAGE) == ""


def test_the_app_starts_in_the_language_chosen_in_the_menu(tmp_path):
    import subprocess
    import sys

    settings = tmp_path / "s.ini"
    QSettings(str(settings), QSettings.Format.IniFormat).setValue(UI_LANGUAGE, "es")
    # the real start-up (run_app), stopped where the event loop would begin: the window is built by then
    script = ("import os, sys\n"
              "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
              "from PySide6.QtWidgets import QApplication\n"
              "from voicedesk.ui import app as vapp\n"
              "def shown(*_):\n"
              "    print('START', [w.widgets.start_button.text() for w in QApplication.topLevelWidgets()"
              " if hasattr(w, 'widgets')], flush=True)\n"
              "    os._exit(0)\n"
              "QApplication.exec = shown\n"
              "vapp.run_app([sys.argv[0]])\n")
    env = {**__import__("os").environ, "VOICEDESK_SETTINGS_FILE": str(settings), "VOICEDESK_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert "START ['Iniciar']" in out.stdout, out.stdout[-1000:] + out.stderr[-2000:]
