"""The model dropdown's entries: local faster-whisper folders found in the usual places."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from voicedesk.engine.models import local_model_problem
from voicedesk.paths import bundled_models_dir, user_data_dir


@dataclass(frozen=True)
class ModelChoice:
    label: str
    spec: str   # what EngineSettings.model gets: a folder path (or a catalogue name)


def model_search_dirs() -> list[Path]:
    """Folders whose sub-folders may be models: shipped with the app, the app's own, then the test models."""
    dirs = [bundled_models_dir(), user_data_dir() / "models"]
    env = os.environ.get("VOICEDESK_TEST_MODELS")
    dirs.append(Path(env) if env else Path.home() / ".cache" / "voicedesk" / "test-models")
    return dirs


def find_local_models(dirs: list[Path] | None = None, include_store: bool = True) -> list[ModelChoice]:
    """Every valid folder under the search dirs and, with `include_store`, every model the model manager
    installed (hub cache, added folders). The store needs faster-whisper's catalogue, a heavy import, so
    the window fills the list without it first and adds those models once it is on screen."""
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
