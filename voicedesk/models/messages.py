"""The hints shown when something the user needs is not installed (CLI and UI say the same thing)."""

from __future__ import annotations


def missing_model_message(name: str = "base") -> str:
    """One line for `transcribe` (or the app) when model `name` is not on this computer."""
    return (f"The Whisper model '{name}' is not on this computer. "
            f"Get it with: voicedesk models download {name}  (or pass --model with a local model folder)")


def missing_translation_message(source: str | None, target: str) -> str:
    """One line when no installed Argos package translates into `target` (from `source`, when known)."""
    src = source or "<from>"
    if source and "en" not in (source, target):
        how = (f"voicedesk languages install {source}-{target}, or install {source}-en and en-{target} "
               f"to translate through English")
    else:
        how = f"voicedesk languages install {src}-{target}"
    return f"No language pack translates {src}→{target}. Get one with: {how}  (or a .argosmodel file: voicedesk languages install FILE)"
