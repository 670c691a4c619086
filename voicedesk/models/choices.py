"""The Whisper models a user can pick: local faster-whisper folders found in the usual places, and what a
model folder says about itself (its vocabulary) without loading it."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from voicedesk.models.folder import local_model_problem
from voicedesk.paths import bundled_models_dir, user_data_dir

MODEL_DIRS_ENV = "VOICEDESK_MODEL_DIRS"
"""Extra folders (os.pathsep-separated) whose sub-folders are models: portable use, and the tests' models."""


@dataclass(frozen=True)
class ModelChoice:
    label: str
    spec: str   # what EngineSettings.model gets: a folder path (or a catalogue name)


def model_search_dirs() -> list[Path]:
    """Folders whose sub-folders may be models: shipped with the app, the app's own, then any in $VOICEDESK_MODEL_DIRS."""
    dirs = [bundled_models_dir(), user_data_dir() / "models"]
    dirs += [Path(p).expanduser() for p in os.environ.get(MODEL_DIRS_ENV, "").split(os.pathsep) if p]
    return dirs


def find_local_models(dirs: list[Path] | None = None, include_store: bool = True) -> list[ModelChoice]:
    """Every valid folder under the search dirs and, with `include_store`, every model the model manager
    installed (hub cache, added folders). The store reads the hub cache, so the window fills the list
    without it first and adds those models once it is on screen."""
    found: list[ModelChoice] = []
    seen: set[Path] = set()
    if dirs is None and include_store:
        from voicedesk.models.whisper_store import WhisperModelStore

        for installed in WhisperModelStore().installed():
            resolved = installed.path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(ModelChoice(label=installed.name, spec=str(resolved)))
    for base in model_search_dirs() if dirs is None else dirs:
        if not base.is_dir():
            continue
        for folder in sorted(p for p in base.iterdir() if p.is_dir()):
            resolved = folder.resolve()
            if resolved in seen or local_model_problem(folder) is not None:
                continue
            seen.add(resolved)
            found.append(ModelChoice(label=folder.name, spec=str(resolved)))
    return found


def choice_for_folder(folder: str) -> ModelChoice:
    """A dropdown entry for a folder the user picked (checked by the caller with local_model_problem)."""
    path = Path(folder).expanduser().resolve()
    return ModelChoice(label=path.name, spec=str(path))


# openai/whisper: `is_multilingual = n_vocab >= 51865`; English-only (.en) models have 51864 tokens
MULTILINGUAL_VOCAB_SIZE = 51865
# faster-whisper's tokenizer.json leaves out the 1501 timestamp tokens <|0.00|> ... <|30.00|>
TIMESTAMP_TOKENS = 1501


def vocabulary_size(folder: Path) -> int | None:
    """How many tokens the CTranslate2 Whisper model in `folder` has, from its vocabulary files; None if unknown."""
    text_file = folder / "vocabulary.txt"
    json_file = folder / "vocabulary.json"
    try:
        if text_file.is_file():
            # byte-level BPE tokens hold no raw newline: one token per line, the last one newline-terminated
            return len(text_file.read_bytes().rstrip(b"\n").split(b"\n"))
        if json_file.is_file():
            return len(json.loads(json_file.read_text(encoding="utf-8")))
        tokenizer_file = folder / "tokenizer.json"
        if tokenizer_file.is_file():
            data = json.loads(tokenizer_file.read_text(encoding="utf-8"))
            tokens = dict(data.get("model", {}).get("vocab", {}))
            tokens.update({t["content"]: t["id"] for t in data.get("added_tokens", [])})
            size = max(tokens.values()) + 1 if tokens else 0
            return size + (0 if "<|0.00|>" in tokens else TIMESTAMP_TOKENS) if size else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return None


def is_multilingual_model(spec: str) -> bool:
    """Whether the Whisper model `spec` (a folder or a catalogue name) hears many languages and can translate
    speech into English; read from its vocabulary, never by loading it (nor importing faster_whisper)."""
    path = Path(spec).expanduser()
    if path.is_dir():
        size = vocabulary_size(path)
        if size is not None:
            return size >= MULTILINGUAL_VOCAB_SIZE
    # a catalogue name ("tiny.en"), or a folder without vocabulary files: hub caches keep the name in a parent
    # ("models--Systran--faster-whisper-tiny.en/snapshots/<hash>")
    return not any(part.lower().endswith(".en") for part in path.parts[-3:])
