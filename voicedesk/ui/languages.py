"""Human names for Whisper's language codes, taken from Qt's locale database."""

from __future__ import annotations

from PySide6.QtCore import QLocale

# Whisper spells a few codes its own way; map them to the ISO code Qt knows
_ISO_ALIASES = {"jw": "jv"}


def language_name(code: str) -> str:
    """`"de"` -> `"German"`; an unknown code is returned as it is."""
    language = QLocale.codeToLanguage(_ISO_ALIASES.get(code, code))
    if language in (QLocale.Language.AnyLanguage, QLocale.Language.C):
        return code
    return QLocale.languageToString(language)


def whisper_language_codes() -> tuple[str, ...]:
    """Every language the Whisper tokenizer knows (imports faster_whisper: call it off the GUI thread)."""
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    return tuple(_LANGUAGE_CODES)


def named_languages(codes: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name, for dropdowns."""
    return sorted(((code, language_name(code)) for code in codes), key=lambda pair: pair[1].casefold())
