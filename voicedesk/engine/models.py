"""Finding a Whisper model: a size name from the faster-whisper catalogue, or a local CTranslate2 folder."""

from __future__ import annotations

from pathlib import Path

MODEL_FILES = ("config.json", "model.bin")
TOKENIZER_FILES = ("tokenizer.json",)


class ModelError(Exception):
    """The model cannot be found or loaded (message is user-facing, one line)."""


def known_model_names() -> list[str]:
    from faster_whisper.utils import available_models

    return list(available_models())


def local_model_problem(folder: Path) -> str | None:
    """Why `folder` is not a usable CTranslate2 Whisper model, or None when it is."""
    if not folder.is_dir():
        return f"{folder} is not a folder"
    missing = [name for name in MODEL_FILES + TOKENIZER_FILES if not (folder / name).is_file()]
    if missing:
        return f"{folder} is not a faster-whisper model folder (missing {', '.join(missing)})"
    return None


def resolve_model(spec: str) -> str:
    """A path for a local folder, or the size name for the hub cache; raises ModelError when neither."""
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
    return spec


def cached_model_path(name: str) -> str | None:
    """The local copy of a catalogue model when one is already downloaded; never touches the network."""
    from faster_whisper.utils import download_model

    try:
        return download_model(name, local_files_only=True)
    except Exception:  # huggingface_hub raises several kinds when the cache has no copy
        return None
