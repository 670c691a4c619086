"""What makes a folder a CTranslate2 Whisper model, and the one error type for models (no imports).

The leaf of `voicedesk.models`: the store, the resolver, the engine and the UI all use these, so this
module imports nothing of the project.
"""

from __future__ import annotations

from pathlib import Path

from voicedesk.i18n import translate

MODEL_FILES = ("config.json", "model.bin")
TOKENIZER_FILES = ("tokenizer.json",)


class ModelError(Exception):
    """The model cannot be found or loaded (message is user-facing, one line)."""


def local_model_problem(folder: Path) -> str | None:
    """Why `folder` is not a usable CTranslate2 Whisper model, or None when it is."""
    folder = Path(folder)
    if not folder.is_dir():
        return translate("ModelFolder", "{folder} is not a folder").format(folder=folder)
    missing = [name for name in MODEL_FILES + TOKENIZER_FILES if not (folder / name).is_file()]
    if missing:
        return translate("ModelFolder", "{folder} is not a faster-whisper model folder (missing {files})").format(
            folder=folder, files=", ".join(missing))
    return None
