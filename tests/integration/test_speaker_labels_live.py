"""Speaker labels on the live route: real voices replayed at real-time pace through the engine, with the real
Whisper and speaker models. Each final carries a speaker as it is sent (a short final takes the nearest known
voice's); the settled sentence's label, from its whole audio, is the one that stays; one person keeps one label
across pauses."""

from __future__ import annotations

from voicedesk.engine.events import FinalSegment, Settled, SpeakerLabels
from voicedesk.engine.file_run import run_file, transcribe_file
from voicedesk.engine.settings import EngineSettings
from voicedesk.session.transcript import Session

from testkit.engine_run import loaded_engine
from testkit.speech import join


def test_each_final_carries_its_speaker_and_a_voice_that_returns_gets_its_label_back(base_model, speech,
                                                                                      speaker_model, tmp_path):
    session = join(["jfk_en", "quilter_en", "jfk_en"], tmp_path / "two_voices.wav", gap_s=2.0, lead_s=1.0)
    settings = EngineSettings(model=base_model, cpu_threads=2, language="en").with_values(
        speaker_labels=True, speaker_model=str(speaker_model))
    events: list = []
    assert transcribe_file(settings, session.path, events.append, paced=True, timeout=session.duration + 90)

    finals = [e for e in events if isinstance(e, FinalSegment)]
    assert finals and all(f.speaker is not None for f in finals)
    settled = [e for e in events if isinstance(e, Settled)]
    assert settled and all(s.speaker is not None for s in settled)
    assert not [e for e in events if isinstance(e, SpeakerLabels)], "live labels are never revised after settling"

    transcript = Session()
    for event in events:
        transcript.apply(event)

    def speakers_in(utterance) -> set[int]:
        return {s.speaker for s in transcript.segments() if utterance.start <= (s.start + s.end) / 2 <= utterance.end}

    first, second, again = session.utterances
    assert speakers_in(first) == {1} == speakers_in(again), "one voice, one label, also after a pause"
    assert speakers_in(second) == {2}, "another voice, another label"
    assert {f.speaker for f in finals if f.end <= first.end + 0.3} == {1}, "the first voice is labelled at once"


def test_a_stop_and_start_keeps_the_speakers_numbers_and_a_new_session_starts_them_again(base_model, speech,
                                                                                        speaker_model, tmp_path):
    """One engine, as the window keeps it across Stop and Start: the second run's voice is the first run's
    Speaker 2 again, not a new Speaker 1; after forget_speakers (a new session) the numbers start from 1."""
    first_run = join(["jfk_en", "quilter_en"], tmp_path / "first.wav", gap_s=2.0, lead_s=1.0)
    settings = EngineSettings(model=base_model, cpu_threads=2, language="en").with_values(
        speaker_labels=True, speaker_model=str(speaker_model))
    events: list = []
    with loaded_engine(settings, events.append) as engine:
        def labels_of(path) -> list:
            events.clear()
            assert run_file(engine, path, paced=True, timeout=120)
            return [e.speaker for e in events if isinstance(e, Settled)]

        assert set(labels_of(first_run.path)) == {1, 2}
        assert set(labels_of(speech["quilter_en"].path)) == {2}, "the same voice, the same number after a Start"
        engine.forget_speakers()
        assert set(labels_of(speech["quilter_en"].path)) == {1}, "a new session numbers from 1"


def test_without_labels_nothing_is_labelled_and_no_speaker_model_is_needed(tiny_en_model, speech, tmp_path,
                                                                           monkeypatch):
    monkeypatch.setenv("VOICEDESK_DATA_DIR", str(tmp_path / "no-models"))
    events: list = []
    settings = EngineSettings(model=tiny_en_model, cpu_threads=2, language="en")
    assert transcribe_file(settings, speech["jfk_en"].path, events.append)
    finals = [e for e in events if isinstance(e, FinalSegment)]
    assert finals and all(f.speaker is None for f in finals)
    assert not [e for e in events if isinstance(e, SpeakerLabels)]
