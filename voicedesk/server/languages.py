"""Whisper's language codes and the English names OpenAI's API uses for them ("es" <-> "spanish")."""

from __future__ import annotations

from typing import Optional

# As in openai/whisper's tokenizer (OpenAI's verbose_json reports these names).
NAMES = {
    "en": "english", "zh": "chinese", "de": "german", "es": "spanish", "ru": "russian", "ko": "korean",
    "fr": "french", "ja": "japanese", "pt": "portuguese", "tr": "turkish", "pl": "polish", "ca": "catalan",
    "nl": "dutch", "ar": "arabic", "sv": "swedish", "it": "italian", "id": "indonesian", "hi": "hindi",
    "fi": "finnish", "vi": "vietnamese", "he": "hebrew", "uk": "ukrainian", "el": "greek", "ms": "malay",
    "cs": "czech", "ro": "romanian", "da": "danish", "hu": "hungarian", "ta": "tamil", "no": "norwegian",
    "th": "thai", "ur": "urdu", "hr": "croatian", "bg": "bulgarian", "lt": "lithuanian", "la": "latin",
    "mi": "maori", "ml": "malayalam", "cy": "welsh", "sk": "slovak", "te": "telugu", "fa": "persian",
    "lv": "latvian", "bn": "bengali", "sr": "serbian", "az": "azerbaijani", "sl": "slovenian", "kn": "kannada",
    "et": "estonian", "mk": "macedonian", "br": "breton", "eu": "basque", "is": "icelandic", "hy": "armenian",
    "ne": "nepali", "mn": "mongolian", "bs": "bosnian", "kk": "kazakh", "sq": "albanian", "sw": "swahili",
    "gl": "galician", "mr": "marathi", "pa": "punjabi", "si": "sinhala", "km": "khmer", "sn": "shona",
    "yo": "yoruba", "so": "somali", "af": "afrikaans", "oc": "occitan", "ka": "georgian", "be": "belarusian",
    "tg": "tajik", "sd": "sindhi", "gu": "gujarati", "am": "amharic", "yi": "yiddish", "lo": "lao",
    "uz": "uzbek", "fo": "faroese", "ht": "haitian creole", "ps": "pashto", "tk": "turkmen", "nn": "nynorsk",
    "mt": "maltese", "sa": "sanskrit", "lb": "luxembourgish", "my": "myanmar", "bo": "tibetan", "tl": "tagalog",
    "mg": "malagasy", "as": "assamese", "tt": "tatar", "haw": "hawaiian", "ln": "lingala", "ha": "hausa",
    "ba": "bashkir", "jw": "javanese", "su": "sundanese", "yue": "cantonese",
}
_CODES_BY_NAME = {name: code for code, name in NAMES.items()}


def whisper_codes() -> set[str]:
    try:
        from voicedesk.engine.whisper_internals import language_codes

        return set(language_codes())
    except Exception:     # a faster-whisper without the list: our own table
        return set(NAMES)


def language_code(value: Optional[str]) -> Optional[str]:
    """"es", "ES", "spanish", "es-MX" -> "es"; None, "" or "auto" -> None (detect); ValueError when unknown."""
    if value is None:
        return None
    text = value.strip().lower()
    if text in ("", "auto"):
        return None
    codes = whisper_codes()
    if text in codes:
        return text
    if text in _CODES_BY_NAME:
        return _CODES_BY_NAME[text]
    base = text.replace("_", "-").split("-")[0]
    if base in codes:
        return base
    raise ValueError(f"unsupported language '{value}': use an ISO-639-1 code such as en, es or de")


def language_name(code: Optional[str]) -> str:
    if not code:
        return ""
    return NAMES.get(code, code)
