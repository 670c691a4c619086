"""Finding a Whisper model: a size name from the faster-whisper catalogue, or a local CTranslate2 folder.

The engine loads the folder this gives; it never looks models up itself. Imports go one way:
`voicedesk.engine` → `voicedesk.models`, never back.
"""

from __future__ import annotations

from pathlib import Path

from voicedesk.models.folder import MODEL_FILES, TOKENIZER_FILES, ModelError, local_model_problem
from voicedesk.models.whisper_store import WhisperModelStore

__all__ = [
    "MODEL_FILES", "TOKENIZER_FILES", "ModelError", "local_model_problem",
    "known_model_names", "resolve_model", "cached_model_path",
]


def known_model_names() -> list[str]:
    from faster_whisper.utils import available_models

    return list(available_models())


def resolve_model(spec: str) -> str:
    """The folder to load for `spec`: a local folder as given, or where a catalogue name is installed.

    Raises ModelError when the folder is not a model, the name is unknown, or the named model is not
    on this computer (the message says the command that gets it). Never touches the network, so an
    offline machine never waits on the hub.
    """
    path = Path(spec).expanduser()
    looks_like_path = path.is_absolute() or spec.startswith(".") or "/" in spec or "\\" in spec
    if path.exists() or looks_like_path:
        problem = local_model_problem(path)
        if problem:
            raise ModelError(problem)
        return str(path.resolve())
    names = known_model_names()
    if spec not in names:
        raise ModelError(f"Unknown model '{spec}'. Use a folder with a CTranslate2 Whisper model or one of: {', '.join(names)}")
    installed = cached_model_path(spec)
    if installed is None:
        from voicedesk.models.messages import missing_model_message

        raise ModelError(missing_model_message(spec))
    return installed


def cached_model_path(name: str) -> str | None:
    """The complete local copy of catalogue model `name` (bundled, app folder, or hub cache); never touches the network."""
    installed = WhisperModelStore().installed_path(name)
    return str(installed.path) if installed else None
