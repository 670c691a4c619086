"""The faster-whisper model sizes, with what a user needs to choose one: disk size and a speed/accuracy hint."""

from __future__ import annotations

from dataclasses import dataclass

from voicedesk.i18n import translate


@dataclass(frozen=True)
class WhisperModelInfo:
    name: str                 # what `WhisperModel(name)` and `voicedesk models download NAME` take
    repo_id: str              # the Hugging Face repository faster-whisper downloads it from
    disk_mb: int              # approximate size on disk (model.bin + tokenizer), in MB
    speed: str                # relative speed on a CPU
    accuracy: str
    english_only: bool

    @property
    def hint(self) -> str:
        lang = translate("ModelCatalogue", "English only") if self.english_only else translate(
            "ModelCatalogue", "multilingual")
        return translate("ModelCatalogue", "{speed}, {accuracy} ({languages})").format(
            speed=_WORDS.get(self.speed, self.speed), accuracy=_WORDS.get(self.accuracy, self.accuracy), languages=lang)


# the words of _FACTS, marked for translation (the UI shows them in its language)
_WORDS: dict[str, str] = {text: text for text in (
    translate("ModelCatalogue", "fastest"), translate("ModelCatalogue", "very fast"),
    translate("ModelCatalogue", "fast"), translate("ModelCatalogue", "moderate"),
    translate("ModelCatalogue", "slow"), translate("ModelCatalogue", "slowest"),
    translate("ModelCatalogue", "rough accuracy"), translate("ModelCatalogue", "fair accuracy"),
    translate("ModelCatalogue", "good accuracy"), translate("ModelCatalogue", "very good accuracy"),
    translate("ModelCatalogue", "near-best accuracy"), translate("ModelCatalogue", "best accuracy"),
    translate("ModelCatalogue", "best accuracy (older)"),
)}


# name -> (disk MB, speed, accuracy); sizes of the float16 CTranslate2 conversions on the hub.
_FACTS: dict[str, tuple[int, str, str]] = {
    "tiny.en": (78, "fastest", "rough accuracy"),
    "tiny": (78, "fastest", "rough accuracy"),
    "base.en": (148, "very fast", "fair accuracy"),
    "base": (148, "very fast", "fair accuracy"),
    "small.en": (486, "fast", "good accuracy"),
    "small": (486, "fast", "good accuracy"),
    "distil-small.en": (338, "fast", "good accuracy"),
    "medium.en": (1530, "slow", "very good accuracy"),
    "medium": (1530, "slow", "very good accuracy"),
    "distil-medium.en": (790, "moderate", "very good accuracy"),
    "large-v1": (3090, "slowest", "best accuracy (older)"),
    "large-v2": (3090, "slowest", "best accuracy"),
    "large-v3": (3090, "slowest", "best accuracy"),
    "large": (3090, "slowest", "best accuracy"),
    "distil-large-v2": (1510, "moderate", "near-best accuracy"),
    "distil-large-v3": (1510, "moderate", "near-best accuracy"),
    "distil-large-v3.5": (1510, "moderate", "near-best accuracy"),
    "large-v3-turbo": (1620, "moderate", "near-best accuracy"),
    "turbo": (1620, "moderate", "near-best accuracy"),
}

# Aliases faster-whisper keeps for compatibility; listing them twice would confuse the user.
_ALIASES = {"large": "large-v3", "turbo": "large-v3-turbo"}


# faster-whisper's own table (faster_whisper.utils._MODELS), copied so that listing models never imports
# faster-whisper (seconds, on the GUI thread); tests/unit/test_model_catalogue.py keeps the copy in step.
_REPOS: dict[str, str] = {
    "tiny.en": "Systran/faster-whisper-tiny.en",
    "tiny": "Systran/faster-whisper-tiny",
    "base.en": "Systran/faster-whisper-base.en",
    "base": "Systran/faster-whisper-base",
    "small.en": "Systran/faster-whisper-small.en",
    "small": "Systran/faster-whisper-small",
    "medium.en": "Systran/faster-whisper-medium.en",
    "medium": "Systran/faster-whisper-medium",
    "large-v1": "Systran/faster-whisper-large-v1",
    "large-v2": "Systran/faster-whisper-large-v2",
    "large-v3": "Systran/faster-whisper-large-v3",
    "large": "Systran/faster-whisper-large-v3",
    "distil-large-v2": "Systran/faster-distil-whisper-large-v2",
    "distil-medium.en": "Systran/faster-distil-whisper-medium.en",
    "distil-small.en": "Systran/faster-distil-whisper-small.en",
    "distil-large-v3": "Systran/faster-distil-whisper-large-v3",
    "distil-large-v3.5": "distil-whisper/distil-large-v3.5-ct2",
    "large-v3-turbo": "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
    "turbo": "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
}


def catalogue(include_aliases: bool = False) -> list[WhisperModelInfo]:
    """Every downloadable size, smallest first."""
    models = []
    for name, repo in _REPOS.items():
        if not include_aliases and name in _ALIASES:
            continue
        disk, speed, accuracy = _FACTS.get(name, (0, "unknown speed", "unknown accuracy"))
        english = name.endswith(".en")
        models.append(WhisperModelInfo(name, repo, disk, speed, accuracy, english))
    return sorted(models, key=lambda m: (m.disk_mb, m.name))


def model_info(name: str) -> WhisperModelInfo | None:
    """The catalogue entry for `name` (aliases such as "turbo" included), or None."""
    for info in catalogue(include_aliases=True):
        if info.name == name:
            return info
    return None
