"""Finding, checking and installing the speaker model (voicedesk.models.speaker_model) and its CLI rows."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from voicedesk import models_cli
from voicedesk.models.speaker_model import (
    SpeakerModelError,
    check_speaker_model,
    install_speaker_model,
    installed_speaker_model,
    speaker_model_path,
)


def _silero() -> Path:
    """An ONNX file that is not a speaker model (faster-whisper's VAD)."""
    from faster_whisper.utils import get_assets_path

    return sorted(Path(get_assets_path()).glob("silero_vad*.onnx"))[-1]


def test_missing_corrupt_and_wrong_files_are_refused_in_one_line(tmp_path):
    for path, words in [(tmp_path / "nothing.onnx", "No speaker model at"),
                        (tmp_path / "junk.onnx", "not a readable ONNX model"),
                        (_silero(), "not")]:
        if path.name == "junk.onnx":
            path.write_bytes(b"not a model at all" * 100)
        with pytest.raises(SpeakerModelError) as caught:
            check_speaker_model(path)
        assert words in str(caught.value) and "\n" not in str(caught.value)
        assert "voicedesk models add-speaker" in str(caught.value)


def test_install_checks_then_copies_into_the_data_folder(tmp_path, speaker_model):
    data = tmp_path / "data"
    assert installed_speaker_model(data) is None
    with pytest.raises(SpeakerModelError):
        install_speaker_model(_silero(), data)
    assert installed_speaker_model(data) is None and not list((data / "speaker-models").glob("*"))
    target = install_speaker_model(speaker_model, data)
    assert target == speaker_model_path(data) == installed_speaker_model(data)
    assert target.read_bytes() == speaker_model.read_bytes()
    assert [p.name for p in target.parent.iterdir()] == ["campplus.onnx"]


def test_models_list_shows_the_speaker_model_and_add_speaker_installs_it(tmp_path, monkeypatch, speaker_model):
    monkeypatch.setenv("VOICEDESK_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(models_cli, "_store", lambda: _EmptyStore())
    out = io.StringIO()
    assert models_cli.main.__name__ and _run(["models", "list"], out) == 0
    assert "speaker" in out.getvalue() and "not installed" in out.getvalue()
    copy = tmp_path / "mine.onnx"
    shutil.copy(speaker_model, copy)
    out = io.StringIO()
    assert _run(["models", "add-speaker", str(copy)], out) == 0
    assert str(tmp_path / "speaker-models" / "campplus.onnx") in out.getvalue()
    out = io.StringIO()
    _run(["models", "list"], out)
    assert "installed" in out.getvalue() and "not installed" not in out.getvalue()
    err = io.StringIO()
    assert _run(["models", "add-speaker", str(tmp_path / "none.onnx")], io.StringIO(), err) == 1
    assert err.getvalue().startswith("voicedesk: error: No speaker model at")


def _run(argv: list[str], out: io.StringIO, err: io.StringIO | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="voicedesk")
    models_cli.add_subcommands(parser.add_subparsers(dest="command"))
    return models_cli.run(parser.parse_args(argv), out, err or io.StringIO())


class _EmptyStore:
    def status(self):
        return []

    def local_folders(self):
        return []
