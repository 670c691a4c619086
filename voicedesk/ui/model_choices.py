"""The model dropdown's entries: local faster-whisper folders found in the usual places."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

from voicedesk.engine.models import local_model_problem


@dataclass(frozen=True)
class ModelChoice:
    label: str
    spec: str   # what EngineSettings.model gets: a folder path (or a catalogue name)


def model_search_dirs() -> list[Path]:
    """Folders whose sub-folders may be models: the app's own, then the test models."""
    dirs = [user_data_path("voicedesk") / "models"]
    env = os.environ.get("VOICEDESK_TEST_MODELS")
    dirs.append(Path(env) if env else Path.home() / ".cache" / "voicedesk" / "test-models")
    return dirs


def find_local_models(dirs: list[Path] | None = None) -> list[ModelChoice]:
    """Every valid CTranslate2 Whisper folder directly under the search dirs, by name."""
    found: list[ModelChoice] = []
    seen: set[Path] = set()
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
