"""Speaker labels on a file: a turn that changes at a pause, in the middle of a sentence, splits the text there,
so each voice gets its own label (real voices, the real Whisper and speaker models)."""

from __future__ import annotations

import numpy as np

from voicedesk.engine.events import FinalSegment, SpeakerLabels
from voicedesk.engine.file_run import transcribe_file
from voicedesk.engine.settings import EngineSettings
from voicedesk.session.transcript import Session

from testkit.speech import clips, join_audio, load


def _first_half(name: str) -> np.ndarray:
    audio = load(clips()[name].path)
    return audio[: len(audio) // 2]      # cut mid-sentence: no sentence end where the turn changes


def test_a_turn_taken_mid_sentence_after_a_pause_gets_its_own_line_and_speaker(base_model, speech, speaker_model,
                                                                               tmp_path):
    joined = join_audio([("quilter_en", _first_half("quilter_en"), ""), ("jfk_en", _first_half("jfk_en"), "")],
                        tmp_path / "turn.wav", gap_s=0.8, lead_s=0.5)
    settings = EngineSettings(model=base_model, cpu_threads=2, language="en").with_values(
        speaker_labels=True, speaker_model=str(speaker_model), speaker_count=2)
    events: list = []
    assert transcribe_file(settings, joined.path, events.append)
    assert [e for e in events if isinstance(e, SpeakerLabels)], "a file's labels come at the end of its run"

    session = Session()
    for event in events:
        session.apply(event)
    first, second = joined.utterances

    def speakers_in(utterance) -> set:
        return {s.speaker for s in session.segments() if utterance.start <= (s.start + s.end) / 2 <= utterance.end}

    assert not [s for s in session.segments() if s.start < first.speech_end - 0.3 and s.end > second.speech_start + 0.3], \
        "no line runs across the change of speaker"
    assert len(speakers_in(first)) == 1 and len(speakers_in(second)) == 1
    assert speakers_in(first) != speakers_in(second)
    lines = session.sentences()
    assert len({s.sentence_id for s in lines}) >= 2 and lines[0].speaker != lines[-1].speaker
    finals = [e for e in events if isinstance(e, FinalSegment)]
    assert "quilter" in finals[0].text.lower() and "americans" in " ".join(f.text for f in finals).lower()
