"""Downloading the speaker model over real HTTP on loopback (`testkit.file_server` stands in for sherpa-onnx's
GitHub release, which this machine cannot reach): the real test model (CAM++ ONNX), the real files on disk,
onnxruntime loading the result. Nothing is mocked but the internet."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from testkit.file_server import FileServer
from voicedesk.engine.speakers.embedder import SpeakerEmbedder
from voicedesk.models.progress import DownloadCancelled, DownloadError, NetworkUnavailable
from voicedesk.models.speaker_download import URL_ENV, download_speaker_model
from voicedesk.models.speaker_model import check_speaker_model, installed_speaker_model, speaker_models_dir

NAME = "3dspeaker_speech_campplus_sv_zh_en_16k-common_advanced.onnx"


def renamed(model: Path) -> bytes:
    """The test model with its input and output renamed (as sherpa-onnx's export names them differently):
    protobuf strings of the same length, so the file stays a valid ONNX model."""
    data = model.read_bytes()
    assert data.count(b"feats") == 2 and b"input" not in data      # the graph input and its one use
    return data.replace(b"feats", b"input").replace(b"embedding", b"voiceprnt")


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


def _left_in(data_dir: Path) -> list[str]:
    folder = speaker_models_dir(data_dir)
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _voice(seconds: float = 1.5) -> np.ndarray:
    rng = np.random.default_rng(7)
    t = np.arange(int(16000 * seconds)) / 16000
    return (0.2 * np.sin(2 * np.pi * 140 * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t))
            + 0.02 * rng.standard_normal(t.size)).astype(np.float32)


def test_the_download_reports_progress_installs_the_model_and_it_loads_offline(speaker_model, data_dir, monkeypatch):
    data = speaker_model.read_bytes()
    events = []
    with FileServer({NAME: data}) as server:
        monkeypatch.setenv(URL_ENV, server.url_of(NAME))       # how a mirror (or this test) replaces GitHub
        target = download_speaker_model(events.append, data_dir=data_dir)

    assert target == installed_speaker_model(data_dir) and target.read_bytes() == data
    assert _left_in(data_dir) == ["campplus.onnx"], "no temporary file is left"
    done = [e.done for e in events]
    assert len(events) > 3 and done == sorted(done) and {e.total for e in events} == {len(data)}
    assert events[-1].done == events[-1].total == len(data)
    # the server is gone: the installed file is all a run needs
    vectors = SpeakerEmbedder(target).embed_many([_voice()])
    assert vectors.shape == (1, 192) and abs(float(np.linalg.norm(vectors[0])) - 1) < 1e-4


def test_a_model_whose_input_and_output_have_other_names_works_the_same(speaker_model, data_dir):
    with FileServer({NAME: renamed(speaker_model)}) as server:
        target = download_speaker_model(data_dir=data_dir, url=server.url_of(NAME))

    info = check_speaker_model(target)
    assert (info.input_name, info.output_name, info.feature_dim, info.embedding_dim) == ("input", "voiceprnt", 80, 192)
    windows = [_voice(1.5), _voice(2.0)[::-1].copy()]
    ours = SpeakerEmbedder(speaker_model).embed_many(windows)
    theirs = SpeakerEmbedder(target).embed_many(windows)
    assert np.allclose(ours, theirs, atol=1e-5)


def test_cancel_midway_leaves_nothing_and_keeps_the_earlier_model(speaker_model, data_dir):
    from voicedesk.models.speaker_model import install_speaker_model

    earlier = install_speaker_model(speaker_model, data_dir).read_bytes()
    cancel = threading.Event()
    seen = []

    def progress(p):
        seen.append(p)
        if p.done >= 1_000_000:
            cancel.set()

    with FileServer({NAME: renamed(speaker_model)}) as server:
        server.behaviour.trickle_bytes = 128 * 1024
        server.behaviour.trickle_delay_s = 0.01
        started = time.monotonic()
        with pytest.raises(DownloadCancelled):
            download_speaker_model(progress, cancel, data_dir=data_dir, url=server.url_of(NAME))
    assert time.monotonic() - started < 10
    assert seen and seen[-1].done < seen[-1].total
    assert _left_in(data_dir) == ["campplus.onnx"]
    assert installed_speaker_model(data_dir).read_bytes() == earlier
    assert check_speaker_model(installed_speaker_model(data_dir)).input_name == "feats"


def test_a_corrupt_file_is_refused_in_one_line_and_changes_nothing(speaker_model, data_dir):
    from voicedesk.models.speaker_model import install_speaker_model

    earlier = install_speaker_model(speaker_model, data_dir).read_bytes()
    junk = np.random.default_rng(3).integers(0, 256, 2_000_000, dtype=np.uint8).tobytes()
    with FileServer({NAME: junk}) as server:
        with pytest.raises(DownloadError) as failure:
            download_speaker_model(data_dir=data_dir, url=server.url_of(NAME))

    message = str(failure.value)
    assert "\n" not in message and "not a readable ONNX model" in message and "discarded" in message
    assert not isinstance(failure.value, NetworkUnavailable)
    assert _left_in(data_dir) == ["campplus.onnx"] and installed_speaker_model(data_dir).read_bytes() == earlier


def test_a_transfer_cut_halfway_or_a_missing_file_leaves_nothing(speaker_model, data_dir):
    data = speaker_model.read_bytes()
    with FileServer({NAME: data}) as server:
        server.behaviour.cut_after = {NAME: len(data) // 2}
        with pytest.raises(DownloadError, match="broke off") as cut:
            download_speaker_model(data_dir=data_dir, url=server.url_of(NAME))
        with pytest.raises(DownloadError, match="HTTP 404") as missing:
            download_speaker_model(data_dir=data_dir, url=server.url_of("elsewhere.onnx"))
    assert "\n" not in str(cut.value) + str(missing.value)
    assert _left_in(data_dir) == [] and installed_speaker_model(data_dir) is None


def test_an_unreachable_server_gives_one_line_quickly_naming_what_to_do(data_dir):
    with FileServer({}) as gone:
        url = gone.url_of(NAME)                 # a port nobody listens on any more
    started = time.monotonic()
    with pytest.raises(NetworkUnavailable) as failure:
        download_speaker_model(data_dir=data_dir, url=url)

    assert time.monotonic() - started < 5
    message = str(failure.value)
    assert "\n" not in message and "Cannot reach 127.0.0.1" in message and "voicedesk models add-speaker" in message
    assert _left_in(data_dir) == []


def test_only_https_is_fetched_from_elsewhere(data_dir):
    with pytest.raises(DownloadError, match="only https"):
        download_speaker_model(data_dir=data_dir, url="http://example.com/campplus.onnx")
    assert installed_speaker_model(data_dir) is None
