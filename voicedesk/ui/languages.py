"""Human names for Whisper's (and Argos's) language codes, in the UI's language.

Qt's locale database names languages only in English (`QLocale.languageToString`) or in themselves
(`nativeLanguageName`), so the names are a table here, translated in the .ts like every other
string; nothing is added to the bundle. A code outside the table gets Qt's English name.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCollator, QCoreApplication, QLocale, Qt

# Whisper spells a few codes its own way; map them to the ISO code Qt knows
_ISO_ALIASES = {"jw": "jv"}

NAMES = {
    "af": QT_TRANSLATE_NOOP("Language", "Afrikaans"),
    "am": QT_TRANSLATE_NOOP("Language", "Amharic"),
    "ar": QT_TRANSLATE_NOOP("Language", "Arabic"),
    "as": QT_TRANSLATE_NOOP("Language", "Assamese"),
    "az": QT_TRANSLATE_NOOP("Language", "Azerbaijani"),
    "ba": QT_TRANSLATE_NOOP("Language", "Bashkir"),
    "be": QT_TRANSLATE_NOOP("Language", "Belarusian"),
    "bg": QT_TRANSLATE_NOOP("Language", "Bulgarian"),
    "bn": QT_TRANSLATE_NOOP("Language", "Bangla"),
    "bo": QT_TRANSLATE_NOOP("Language", "Tibetan"),
    "br": QT_TRANSLATE_NOOP("Language", "Breton"),
    "bs": QT_TRANSLATE_NOOP("Language", "Bosnian"),
    "ca": QT_TRANSLATE_NOOP("Language", "Catalan"),
    "cs": QT_TRANSLATE_NOOP("Language", "Czech"),
    "cy": QT_TRANSLATE_NOOP("Language", "Welsh"),
    "da": QT_TRANSLATE_NOOP("Language", "Danish"),
    "de": QT_TRANSLATE_NOOP("Language", "German"),
    "el": QT_TRANSLATE_NOOP("Language", "Greek"),
    "en": QT_TRANSLATE_NOOP("Language", "English"),
    "es": QT_TRANSLATE_NOOP("Language", "Spanish"),
    "et": QT_TRANSLATE_NOOP("Language", "Estonian"),
    "eu": QT_TRANSLATE_NOOP("Language", "Basque"),
    "fa": QT_TRANSLATE_NOOP("Language", "Persian"),
    "fi": QT_TRANSLATE_NOOP("Language", "Finnish"),
    "fo": QT_TRANSLATE_NOOP("Language", "Faroese"),
    "fr": QT_TRANSLATE_NOOP("Language", "French"),
    "gl": QT_TRANSLATE_NOOP("Language", "Galician"),
    "gu": QT_TRANSLATE_NOOP("Language", "Gujarati"),
    "ha": QT_TRANSLATE_NOOP("Language", "Hausa"),
    "haw": QT_TRANSLATE_NOOP("Language", "Hawaiian"),
    "he": QT_TRANSLATE_NOOP("Language", "Hebrew"),
    "hi": QT_TRANSLATE_NOOP("Language", "Hindi"),
    "hr": QT_TRANSLATE_NOOP("Language", "Croatian"),
    "ht": QT_TRANSLATE_NOOP("Language", "Haitian Creole"),
    "hu": QT_TRANSLATE_NOOP("Language", "Hungarian"),
    "hy": QT_TRANSLATE_NOOP("Language", "Armenian"),
    "id": QT_TRANSLATE_NOOP("Language", "Indonesian"),
    "is": QT_TRANSLATE_NOOP("Language", "Icelandic"),
    "it": QT_TRANSLATE_NOOP("Language", "Italian"),
    "ja": QT_TRANSLATE_NOOP("Language", "Japanese"),
    "jw": QT_TRANSLATE_NOOP("Language", "Javanese"),
    "ka": QT_TRANSLATE_NOOP("Language", "Georgian"),
    "kk": QT_TRANSLATE_NOOP("Language", "Kazakh"),
    "km": QT_TRANSLATE_NOOP("Language", "Khmer"),
    "kn": QT_TRANSLATE_NOOP("Language", "Kannada"),
    "ko": QT_TRANSLATE_NOOP("Language", "Korean"),
    "la": QT_TRANSLATE_NOOP("Language", "Latin"),
    "lb": QT_TRANSLATE_NOOP("Language", "Luxembourgish"),
    "ln": QT_TRANSLATE_NOOP("Language", "Lingala"),
    "lo": QT_TRANSLATE_NOOP("Language", "Lao"),
    "lt": QT_TRANSLATE_NOOP("Language", "Lithuanian"),
    "lv": QT_TRANSLATE_NOOP("Language", "Latvian"),
    "mg": QT_TRANSLATE_NOOP("Language", "Malagasy"),
    "mi": QT_TRANSLATE_NOOP("Language", "Māori"),
    "mk": QT_TRANSLATE_NOOP("Language", "Macedonian"),
    "ml": QT_TRANSLATE_NOOP("Language", "Malayalam"),
    "mn": QT_TRANSLATE_NOOP("Language", "Mongolian"),
    "mr": QT_TRANSLATE_NOOP("Language", "Marathi"),
    "ms": QT_TRANSLATE_NOOP("Language", "Malay"),
    "mt": QT_TRANSLATE_NOOP("Language", "Maltese"),
    "my": QT_TRANSLATE_NOOP("Language", "Burmese"),
    "ne": QT_TRANSLATE_NOOP("Language", "Nepali"),
    "nl": QT_TRANSLATE_NOOP("Language", "Dutch"),
    "nn": QT_TRANSLATE_NOOP("Language", "Norwegian Nynorsk"),
    "no": QT_TRANSLATE_NOOP("Language", "Norwegian Bokmål"),
    "oc": QT_TRANSLATE_NOOP("Language", "Occitan"),
    "pa": QT_TRANSLATE_NOOP("Language", "Punjabi"),
    "pl": QT_TRANSLATE_NOOP("Language", "Polish"),
    "ps": QT_TRANSLATE_NOOP("Language", "Pashto"),
    "pt": QT_TRANSLATE_NOOP("Language", "Portuguese"),
    "ro": QT_TRANSLATE_NOOP("Language", "Romanian"),
    "ru": QT_TRANSLATE_NOOP("Language", "Russian"),
    "sa": QT_TRANSLATE_NOOP("Language", "Sanskrit"),
    "sd": QT_TRANSLATE_NOOP("Language", "Sindhi"),
    "si": QT_TRANSLATE_NOOP("Language", "Sinhala"),
    "sk": QT_TRANSLATE_NOOP("Language", "Slovak"),
    "sl": QT_TRANSLATE_NOOP("Language", "Slovenian"),
    "sn": QT_TRANSLATE_NOOP("Language", "Shona"),
    "so": QT_TRANSLATE_NOOP("Language", "Somali"),
    "sq": QT_TRANSLATE_NOOP("Language", "Albanian"),
    "sr": QT_TRANSLATE_NOOP("Language", "Serbian"),
    "su": QT_TRANSLATE_NOOP("Language", "Sundanese"),
    "sv": QT_TRANSLATE_NOOP("Language", "Swedish"),
    "sw": QT_TRANSLATE_NOOP("Language", "Swahili"),
    "ta": QT_TRANSLATE_NOOP("Language", "Tamil"),
    "te": QT_TRANSLATE_NOOP("Language", "Telugu"),
    "tg": QT_TRANSLATE_NOOP("Language", "Tajik"),
    "th": QT_TRANSLATE_NOOP("Language", "Thai"),
    "tk": QT_TRANSLATE_NOOP("Language", "Turkmen"),
    "tl": QT_TRANSLATE_NOOP("Language", "Filipino"),
    "tr": QT_TRANSLATE_NOOP("Language", "Turkish"),
    "tt": QT_TRANSLATE_NOOP("Language", "Tatar"),
    "uk": QT_TRANSLATE_NOOP("Language", "Ukrainian"),
    "ur": QT_TRANSLATE_NOOP("Language", "Urdu"),
    "uz": QT_TRANSLATE_NOOP("Language", "Uzbek"),
    "vi": QT_TRANSLATE_NOOP("Language", "Vietnamese"),
    "yi": QT_TRANSLATE_NOOP("Language", "Yiddish"),
    "yo": QT_TRANSLATE_NOOP("Language", "Yoruba"),
    "zh": QT_TRANSLATE_NOOP("Language", "Chinese"),
    "yue": QT_TRANSLATE_NOOP("Language", "Cantonese"),
    "eo": QT_TRANSLATE_NOOP("Language", "Esperanto"),
    "ga": QT_TRANSLATE_NOOP("Language", "Irish"),
    "ky": QT_TRANSLATE_NOOP("Language", "Kyrgyz"),
    "nb": QT_TRANSLATE_NOOP("Language", "Norwegian Bokmål"),
    "pb": QT_TRANSLATE_NOOP("Language", "Portuguese (Brazil)"),
    "zt": QT_TRANSLATE_NOOP("Language", "Chinese (Traditional)"),
}


def language_name(code: str) -> str:
    """`"de"` -> `"German"` (`"alemán"` in Spanish); an unknown code is returned as it is."""
    if code in NAMES:
        return QCoreApplication.translate("Language", NAMES[code])
    language = QLocale.codeToLanguage(_ISO_ALIASES.get(code, code))
    if language in (QLocale.Language.AnyLanguage, QLocale.Language.C):
        return code
    return QLocale.languageToString(language)


def sort_key(name: str) -> object:
    """A key that sorts names as the UI's language does ("árabe" before "bengalí", not after "zulú")."""
    collator = QCollator(QLocale())
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return collator.sortKey(name)


def whisper_language_codes() -> tuple[str, ...]:
    """Every language the Whisper tokenizer knows (imports faster_whisper: call it off the GUI thread)."""
    from voicedesk.engine.whisper_internals import language_codes

    return language_codes()


def named_languages(codes: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name, for dropdowns."""
    return sorted(((code, language_name(code)) for code in codes), key=lambda pair: sort_key(pair[1]))
