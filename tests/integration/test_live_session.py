"""A live session: real clips joined by silences, replayed at real-time pace through the engine."""

from __future__ import annotations

import srt

from testkit.engine_run import loaded_engine
from testkit.speech import join, wer
from voicedesk.engine.events import AudioLevel, FinalSegment, Lag, Partial, Settled, Translation
from voicedesk.engine.file_run import start_file, transcribe_file
from voicedesk.engine.settings import EngineSettings
from voicedesk.session.export import export
from voicedesk.session.transcript import Session


def test_live_replay_gives_partials_then_finals_only_for_speech_and_exports(base_model, tmp_path):
    session_audio = join(["jfk_en", "quilter_en", "arenas_es"], tmp_path / "session.wav", gap_s=3.0)
    events: list = []
    session = Session()

    def sink(event):
        events.append(event)
        session.apply(event)

    assert transcribe_file(EngineSettings(model=base_model, cpu_threads=2), session_audio.path, sink, paced=True,
                           timeout=session_audio.duration + 60)

    text_events = [e for e in events if isinstance(e, (Partial, FinalSegment))]
    finals = [e for e in events if isinstance(e, FinalSegment)]

    # each clip shows a partial before its first final
    for u in session_audio.utterances:
        mine = [e for e in text_events if u.start - 0.5 <= e.start <= u.end]
        assert mine, f"nothing for {u.clip}"
        if u.speech_end - u.speech_start > 2.0:
            assert isinstance(mine[0], Partial), f"{u.clip}: the first text was a final"

    # the finals cover what was said, each clip in its own language
    for u in session_audio.utterances:
        said = " ".join(f.text for f in finals if u.start - 0.5 <= f.start <= u.end)
        assert wer(u.reference, said) <= 0.25, (u.clip, said)
    assert wer(session_audio.reference, " ".join(f.text for f in finals)) <= 0.15
    assert {f.language for f in finals} == {"en", "es"}

    # nothing is said during the silences: no text lies in a gap, nothing new appears late in one
    for gap_start, gap_end in session_audio.silences():
        for e in text_events:
            assert not (gap_start + 0.3 <= e.start and e.end <= gap_end - 0.3), f"text in silence: {e}"
            assert not (gap_start + 2.5 <= e.emitted_at <= gap_end - 0.1), f"emitted during silence: {e}"

    # times are monotonic, and the engine kept up with real time
    assert all(a.emitted_at <= b.emitted_at for a, b in zip(events, events[1:]))
    assert all(f.start <= f.end for f in finals)
    assert all(a.end <= b.start + 0.05 for a, b in zip(finals, finals[1:]))
    assert [f.segment_id for f in finals] == sorted({f.segment_id for f in finals})
    assert any(isinstance(e, AudioLevel) for e in events)
    assert max((e.seconds for e in events if isinstance(e, Lag)), default=0.0) < 5.0

    # the session exports to subtitles a parser reads back
    out = tmp_path / "live.srt"
    export(session, out, "srt", "source")
    cues = list(srt.parse(out.read_text(encoding="utf-8")))
    # every settled word once, in order (phrases of one sentence may share a cue): exports hold settled text
    settled = [e for e in events if isinstance(e, Settled)]
    assert sorted(i for s in settled for i in s.segment_ids) == [f.segment_id for f in finals]
    assert " ".join(c.content for c in cues).split() == " ".join(s.text for s in settled).split()
    assert len(cues) >= len(session_audio.utterances)
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:]))
    assert "country" in " ".join(c.content for c in cues).lower()


def test_live_engine_translates_finals_on_its_own_worker(base_model, argos_home, tmp_path, speech):
    session_audio = join(["arenas_es"], tmp_path / "es.wav", gap_s=1.5, lead_s=0.5)
    events: list = []
    assert transcribe_file(EngineSettings(model=base_model, cpu_threads=2, language="es").with_values(translate_to="de"),
                           session_audio.path, events.append, paced=True, timeout=session_audio.duration + 60)
    finals = [e for e in events if isinstance(e, FinalSegment)]
    translations = [e for e in events if isinstance(e, Translation)]
    assert finals
    # es→de has no direct package in the test home, but en→de exists: Whisper's English, then Argos en→de,
    # one translation per sentence, covering every final exactly once, after the last of them
    assert_each_final_translated_once(finals, translations)
    assert all(t.target_language == "de" and t.source_language == "es" and t.text for t in translations)
    assert all(t.engine == "whisper+argos" for t in translations)
    by_id = {f.segment_id: f for f in finals}
    for t in translations:
        covered = [by_id[i] for i in t.segment_ids]
        assert (t.start, t.end) == (covered[0].start, covered[-1].end)
        assert all(by_id[i].sentence_id == t.segment_id for i in t.segment_ids)
        assert events.index(t) > max(events.index(f) for f in covered)


def assert_each_final_translated_once(finals, translations) -> None:
    covered = [i for t in translations for i in t.segment_ids]
    assert sorted(covered) == [f.segment_id for f in finals], (covered, [f.segment_id for f in finals])
    assert all(t.segment_ids[0] == t.segment_id for t in translations)


def test_translation_can_be_switched_on_while_the_engine_runs(base_model, argos_home, tmp_path):
    session_audio = join(["arenas_es"], tmp_path / "es.wav", gap_s=1.0, lead_s=1.5)
    events: list = []
    with loaded_engine(EngineSettings(model=base_model, cpu_threads=2, language="es"), events.append) as engine:
        start_file(engine, session_audio.path, paced=True)
        engine.set_translate_to("en")          # the user picks a target after pressing Start
        assert engine.wait(session_audio.duration + 60)
    finals = [e for e in events if isinstance(e, FinalSegment)]
    translations = [e for e in events if isinstance(e, Translation)]
    assert finals
    assert_each_final_translated_once(finals, translations)
    assert all(t.target_language == "en" and t.engine == "whisper" for t in translations)
