"""The hints shown when something the user needs is not installed (CLI and UI say the same thing)."""

from __future__ import annotations

from voicedesk.i18n import translate


def missing_model_message(name: str = "base") -> str:
    """One line for `transcribe` (or the app) when model `name` is not on this computer."""
    return translate("ModelMessages", "The Whisper model '{name}' is not on this computer. Get it with: voicedesk "
                     "models download {name}  (or pass --model with a local model folder)").format(name=name)


def missing_translation_message(source: str | None, target: str) -> str:
    """One line when no installed Argos package translates into `target` (from `source`, when known)."""
    src = source or "<from>"
    how: str  # a Text (translatable) or the plain command, which is the same in every language
    if source and "en" not in (source, target):
        how = translate("ModelMessages", "voicedesk languages install {source}-{target}, or install {source}-en "
                        "and en-{target} to translate through English").format(source=source, target=target)
    else:
        how = f"voicedesk languages install {src}-{target}"
    return translate("ModelMessages", "No language pack translates {source}\u2192{target}. Get one with: {how}  (or "
                     "a .argosmodel file: voicedesk languages install FILE)").format(source=src, target=target, how=how)
