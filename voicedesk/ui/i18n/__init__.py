"""The UI's language: which one (the system's, or View -> Language), its translators, and core text shown in it.

The .qm files are built from the committed .ts files (`python -m voicedesk.ui.i18n.build`): the
bundle ships them beside this module; a source checkout without them compiles them once into the
user's cache folder (PySide6 ships lrelease).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from voicedesk.i18n import Text
from voicedesk.ui.stored_keys import UI_LANGUAGE   # "" follows the system, else a code of UI_LANGUAGES

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parent
UI_LANGUAGES = ("en", "es")           # English is the source language
DEFAULT_LANGUAGE = "en"

_installed: list[QTranslator] = []    # kept alive: Qt holds only a pointer


def chosen_language(settings: QSettings) -> str:
    """The user's choice in View -> Language: "" (the system's language) or a code."""
    value = str(settings.value(UI_LANGUAGE) or "")
    return value if value in UI_LANGUAGES else ""


def ui_language(settings: QSettings, system: Optional[QLocale] = None) -> str:
    """The language the UI is shown in: the user's choice, else the system locale's when translated, else English."""
    chosen = chosen_language(settings)
    if chosen:
        return chosen
    locale = system if system is not None else QLocale.system()
    for name in locale.uiLanguages():   # preference order, e.g. ["es-MX", "es", "en-US"]
        code = name.replace("_", "-").split("-")[0].lower()
        if code in UI_LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def qm_file(language: str) -> Optional[Path]:
    """voicedesk's compiled translation for `language`, building it from the .ts when it is missing or stale."""
    from voicedesk.ui.i18n.build import qm_name, release, ts_path

    shipped, ts = I18N_DIR / qm_name(language), ts_path(language)
    if shipped.is_file() and (not ts.is_file() or shipped.stat().st_mtime >= ts.stat().st_mtime):
        return shipped
    if not ts.is_file():
        return None
    from voicedesk.paths import user_cache_dir

    built = user_cache_dir() / "i18n" / qm_name(language)
    if built.is_file() and built.stat().st_mtime >= ts.stat().st_mtime:
        return built
    try:
        release(ts, built)
    except (OSError, RuntimeError) as exc:   # no lrelease here: the UI stays in English, and says why in the log
        log.warning("cannot build the %s translation: %s", language, exc)
        return None
    return built


def install_translators(app: QCoreApplication, language: str) -> bool:
    """Show the UI in `language` from now on (voicedesk's strings and Qt's own buttons); False if unavailable.

    Widgets built before keep their texts: call it before the window is made (the app does so at start-up).
    """
    remove_translators(app)
    QLocale.setDefault(QLocale(language))   # numbers, dates and the language-name collation follow it
    path = qm_file(language)
    if path is None:
        return language == DEFAULT_LANGUAGE
    ours = QTranslator(app)
    if not ours.load(str(path)):
        log.warning("cannot load %s", path)
        return False
    app.installTranslator(ours)
    _installed.append(ours)
    if language != DEFAULT_LANGUAGE:   # OK, Cancel, Discard... from Qt's own catalogue
        qt = QTranslator(app)
        if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _installed.append(qt)
    return True


def remove_translators(app: QCoreApplication) -> None:
    """Back to the English source texts (what `install_translators` installed is removed)."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()


def shown(text: Any) -> str:
    """Text from the core as the user reads it: a `Text` (and its `Text` fields), or an exception raised
    with one, in the UI's language."""
    if isinstance(text, BaseException) and len(text.args) == 1 and isinstance(text.args[0], Text):
        text = text.args[0]
    if not isinstance(text, Text):
        return str(text)
    template = QCoreApplication.translate(text.context, text.source)
    fields = {name: shown(value) if isinstance(value, Text) else value for name, value in text.fields.items()}
    try:
        return template.format(**fields) if fields else template
    except (KeyError, IndexError, ValueError):   # a translation that names a field wrongly: English, not a traceback
        log.warning("translation of %r does not fit its fields", text.source)
        return str(text)
