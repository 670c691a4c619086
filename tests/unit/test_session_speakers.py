"""Speaker labels in the session: schema 4's speaker numbers reach the segments, the sentences, the journal and
every export format, under the session's names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voicedesk.engine.events import SCHEMA_VERSION, FinalSegment, Settled, SpeakerLabels, event_to_dict
from voicedesk.session.edits import split_sentence
from voicedesk.session.export import ExportError, render, segments_from_json
from voicedesk.session.journal import Journal, recover
from voicedesk.session.speakers import speaker_name
from voicedesk.session.transcript import Session, segment_events


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VOICEDESK_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


CALL = [
    FinalSegment(0, " Hello, is that the garage?", 0.0, 1.8, "en"),
    FinalSegment(1, " Yes, speaking.", 2.1, 3.0, "en"),
    FinalSegment(2, " How can I help", 3.1, 4.0, "en", sentence_id=1),
    FinalSegment(3, " My car will not start.", 4.6, 6.0, "en"),
]
LABELS = SpeakerLabels(((0, 1), (1, 2), (2, 2), (3, 1)), speakers=2)


def call_session() -> Session:
    session = Session()
    for event in CALL:
        session.apply(event)
    session.apply(LABELS)
    return session


def test_speaker_labels_reach_the_segments_and_each_sentence_takes_its_main_speaker():
    session = call_session()
    assert [s.speaker for s in session.segments()] == [1, 2, 2, 1]
    assert [s.speaker for s in session.sentences()] == [1, 2, 1]
    unlabelled = Session()
    unlabelled.apply(CALL[0])
    assert unlabelled.segments()[0].speaker is None and unlabelled.sentences()[0].speaker is None


def test_a_final_and_a_settled_sentence_carry_their_speaker_and_a_repeat_without_one_keeps_it():
    session = Session()
    session.apply(FinalSegment(0, "hi", 0.0, 1.0, "en", speaker=3))
    session.apply(FinalSegment(0, "hi", 0.0, 1.0, "en"))
    assert session.segments()[0].speaker == 3
    session.apply(Settled(0, (0,), "Hi.", "en", 0.0, 1.0, speaker=4))
    assert session.segments()[0].speaker == 4 and session.segments()[0].text == "Hi."


def test_the_schema_is_version_4_and_says_who_speaks():
    assert SCHEMA_VERSION == 4
    assert event_to_dict(FinalSegment(0, "hi", 0.0, 1.0, "en", speaker=2))["speaker"] == 2
    record = event_to_dict(LABELS)
    assert record["type"] == "speakers" and record["v"] == 4 and record["speakers"] == 2
    assert record["labels"] == [[0, 1], [1, 2], [2, 2], [3, 1]]


def test_the_journal_keeps_speaker_labels_for_a_restore():
    journal = Journal.open_new()
    for event in CALL:
        journal.append(event)
    journal.append(LABELS)
    journal.close(clean=False)
    assert [s.speaker for s in recover(journal.path)] == [1, 2, 2, 1]


def test_text_exports_name_the_speaker_where_the_speaker_changes():
    txt = render(call_session(), "txt", speakers={2: "Ana"})
    assert txt.splitlines() == ["Speaker 1: Hello, is that the garage?", "Ana: Yes, speaking. How can I help",
                                "Speaker 1: My car will not start."]
    srt = render(call_session(), "srt", speakers={2: "Ana"})
    assert "Speaker 1: Hello, is that the garage?" in srt and "Ana: Yes, speaking." in srt
    assert srt.count("Ana:") == 1, "one prefix per turn, not per cue of the same speaker"


def test_webvtt_marks_every_cue_with_a_voice_span():
    vtt = render(call_session(), "vtt", speakers={1: "Bo <b>"})
    cues = [line for line in vtt.splitlines() if line.startswith("<v ")]
    assert cues[0].startswith("<v Bo &lt;b >Hello") and any(c.startswith("<v Speaker 2>Yes") for c in cues)


def test_json_carries_the_speaker_and_reads_it_back():
    document = json.loads(render(call_session(), "json", speakers={2: "Ana"}))
    assert [s["speaker"] for s in document["segments"]] == [1, 2, 2, 1]
    assert [s.get("speaker_name") for s in document["sentences"]] == ["Speaker 1", "Ana", "Speaker 1"]
    assert [s.speaker for s in segments_from_json(json.dumps(document))] == [1, 2, 2, 1]


def test_rttm_writes_one_line_per_turn_and_refuses_a_transcript_without_speakers():
    lines = render(call_session(), "rttm", speakers={2: "Ana María"}, name="garage call").splitlines()
    assert lines == [
        "SPEAKER garage_call 1 0.000 1.800 <NA> <NA> Speaker_1 <NA> <NA>",
        "SPEAKER garage_call 1 2.100 1.900 <NA> <NA> Ana_María <NA> <NA>",
        "SPEAKER garage_call 1 4.600 1.400 <NA> <NA> Speaker_1 <NA> <NA>",
    ]
    plain = Session()
    plain.apply(CALL[0])
    with pytest.raises(ExportError, match="speaker labels"):
        render(plain, "rttm")


def test_a_speaker_without_a_name_is_speaker_n():
    assert speaker_name(None) is None
    assert speaker_name(3) == "Speaker 3" and speaker_name(3, {3: "  "}) == "Speaker 3"
    assert speaker_name(3, {3: "Ana"}) == "Ana"


def test_rttm_leaves_out_the_pauses_a_line_holds_also_after_a_restore_and_a_split():
    # a file's final is a whole sentence: "And so my fellow Americans, [1 s] ask not [1 s] what ..."
    sentence = FinalSegment(0, " And so my fellow Americans ask not what your country", 0.8, 6.0, "en", speaker=1,
                            speech=((0.8, 2.8), (3.8, 4.9), (5.9, 6.0)))
    session = Session()
    session.apply(sentence)
    turns = [line.split()[3:5] for line in render(session, "rttm").splitlines()]
    assert turns == [["0.800", "2.000"], ["3.800", "1.100"], ["5.900", "0.100"]]

    journal = Journal.open_new()
    journal.append(sentence)
    journal.close(clean=False)
    assert [s.speech for s in recover(journal.path)] == [sentence.speech]
    assert event_to_dict(sentence)["speech"] == [[0.8, 2.8], [3.8, 4.9], [5.9, 6.0]]
    carried = Session()                  # a restored session carried into a new journal
    for event in segment_events(session.segments()):
        carried.apply(event)
    assert [s.speech for s in carried.segments()] == [sentence.speech]
    document = render(session, "json")
    assert json.loads(document)["segments"][0]["speech"] == [[0.8, 2.8], [3.8, 4.9], [5.9, 6.0]]
    reopened = Session.from_segments(segments_from_json(document))     # File → Open of the JSON export
    assert render(reopened, "rttm") == render(session, "rttm")
    assert "speech" not in json.loads(render(call_session(), "json"))["segments"][0], "speech throughout: no field"

    # split after "Americans": each line keeps the speech inside its own span
    revision = split_sentence(session.segments(), 5, new_id=1)
    session.revise(revision.segments, revision.removed)
    first, second = session.segments()
    assert first.text.endswith("Americans") and second.text.startswith("ask")
    spans = [(float(p[3]), round(float(p[3]) + float(p[4]), 3)) for p in
             (line.split() for line in render(session, "rttm").splitlines())]
    assert spans[0] == (0.8, 2.8) and spans[-1][1] == 6.0
    assert all(end <= first.end or start >= second.start for start, end in spans)
