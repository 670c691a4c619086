"""The engine's fast path (a file fed as fast as it is taken) transcribes real speech accurately."""

from __future__ import annotations

import pytest

from testkit.engine_run import transcribe
from testkit.speech import wer
from voicedesk.audio.file_source import FileSource
from voicedesk.engine.events import EngineState, FinalSegment, Partial, Progress, Status
from voicedesk.engine.engine import Engine
from voicedesk.engine.settings import EngineSettings


def finals(events) -> list[FinalSegment]:
    return [e for e in events if isinstance(e, FinalSegment)]


def test_base_transcribes_jfk_within_10_percent_wer(base_model, speech):
    clip = speech["jfk_en"]
    events = transcribe(base_model, clip.path)
    text = " ".join(f.text for f in finals(events))
    assert wer(clip.reference, text) <= 0.10, text
    assert all(f.language == "en" for f in finals(events))


def test_base_transcribes_spanish_with_the_language_detected(base_model, speech):
    clip = speech["arenas_es"]
    events = transcribe(base_model, clip.path)
    text = " ".join(f.text for f in finals(events))
    assert wer(clip.reference, text) <= 0.25, text
    assert {f.language for f in finals(events)} == {"es"}


def test_tiny_en_transcribes_quilter(tiny_en_model, speech):
    clip = speech["quilter_en"]
    text = " ".join(f.text for f in finals(transcribe(tiny_en_model, clip.path)))
    assert wer(clip.reference, text) <= 0.20, text


def test_language_is_detected_per_utterance_in_a_bilingual_recording(base_model, speech):
    events = transcribe(base_model, speech["multilingual"].path)
    languages = [f.language for f in finals(events)]
    assert languages[0] == "en"
    assert "de" in languages, languages
    english = " ".join(f.text for f in finals(events) if f.language == "en")
    assert wer(speech["multilingual"].reference, english) <= 0.25, english


def test_fast_path_emits_no_partials_reports_progress_and_ends_stopped(tiny_en_model, speech):
    events = transcribe(tiny_en_model, speech["jfk_en"].path)
    assert not [e for e in events if isinstance(e, Partial)]
    progress = [e for e in events if isinstance(e, Progress)]
    assert progress and progress[-1].position == pytest.approx(progress[-1].duration, abs=0.2)
    statuses = [e.state for e in events if isinstance(e, Status)]
    assert statuses[-1] == EngineState.STOPPED


def test_segment_ids_stay_unique_across_runs_of_one_engine(tiny_en_model, speech):
    events: list = []
    engine = Engine(EngineSettings(model=tiny_en_model, cpu_threads=2), events.append)
    engine.load_model_blocking()
    for _ in range(2):
        engine.start(FileSource(speech["quilter_en"].path, paced=False))
        engine.wait(120)
    engine.close()
    ids = [f.segment_id for f in finals(events)]
    assert len(ids) >= 2 and len(ids) == len(set(ids))
