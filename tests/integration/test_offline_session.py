"""The offline guarantee: after set-up, a whole session (file → transcript → translation → export)
attempts no network connection at all.

Set-up is done the way a user does it: the Whisper model is downloaded by name through the model
store (from a loopback stand-in for the hub, as huggingface.co is unreachable here), the Argos packs
are installed from files. Then every outgoing connection is blocked and recorded (`no_network`),
HF_HUB_OFFLINE is *unset* so nothing is switched off on purpose, and the model is asked for by its
catalogue name, as the app and the CLI do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from testkit.loopback_http import FakeHub
from voicedesk.audio.file_source import FileSource
from voicedesk.engine.events import EngineError, FinalSegment, Translation
from voicedesk.engine.engine import Engine
from voicedesk.engine.settings import EngineSettings
from voicedesk.models.whisper_store import WhisperModelStore
from voicedesk.session.export import export
from voicedesk.session.transcript import Session

pytest_plugins = ["testkit.argos_package"]


@pytest.fixture
def model_downloaded_by_name(tiny_en_model, tmp_path, monkeypatch) -> Path:
    """tiny.en fetched into this test's hub cache by the store, from a hub on loopback that then goes away."""
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with FakeHub({"Systran/faster-whisper-tiny.en": Path(tiny_en_model)}) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        installed = WhisperModelStore().download("tiny.en")
    return installed.path


@pytest.fixture
def offline(model_downloaded_by_name, argos_home, no_network) -> list:
    """Everything installed first (the fixtures above), then the network blocked; yields the attempts."""
    return no_network


def test_a_full_session_makes_no_network_connection(offline, speech, tmp_path):
    session = Session()
    events: list = []

    def sink(event):
        events.append(event)
        session.apply(event)

    engine = Engine(EngineSettings(model="tiny.en", language="en", cpu_threads=1).with_values(translate_to="de"), sink)
    engine.load_model_blocking()
    engine.start(FileSource(speech["jfk_en"].path, paced=False))
    assert engine.wait(120)
    engine.close()
    out = tmp_path / "session.srt"
    export(session, out, "srt", "both")

    finals = [e for e in events if isinstance(e, FinalSegment)]
    translations = [e for e in events if isinstance(e, Translation)]
    assert finals and "country" in " ".join(f.text for f in finals).lower()
    assert {i for t in translations for i in t.segment_ids} == {f.segment_id for f in finals}
    assert [e for e in events if isinstance(e, EngineError)] == []
    assert out.read_text(encoding="utf-8").count(" --> ") >= len(translations)
    assert offline == [], f"connections were attempted: {offline}"


def test_whisper_translation_into_english_needs_no_pack_and_no_network(base_model, empty_argos_home, no_network,
                                                                        speech):
    """Nothing installed but a multilingual Whisper model, every connection blocked: Spanish speech → English."""
    events: list = []
    engine = Engine(EngineSettings(model=base_model, cpu_threads=2).with_values(translate_to="en"), events.append)
    engine.load_model_blocking()
    engine.start(FileSource(speech["arenas_es"].path, paced=False))
    assert engine.wait(120)
    engine.close()
    translations = [e for e in events if isinstance(e, Translation)]
    assert translations and all(t.engine == "whisper" and t.source_language == "es" for t in translations)
    assert "sand" in " ".join(t.text for t in translations).lower()
    assert [e for e in events if isinstance(e, EngineError)] == []
    assert no_network == [], f"connections were attempted: {no_network}"
