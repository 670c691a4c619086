"""Settled sentences (schema 3) in the session, the journal and the ids: they replace the provisional finals once."""

from __future__ import annotations

from dataclasses import replace

from voicedesk.engine.events import FinalSegment, Settled, Translation, event_to_dict
from voicedesk.session.journal import Journal, recover
from voicedesk.session.numbering import SessionNumbering
from voicedesk.session.transcript import Session, segment_events


def _heard(session: Session) -> None:
    """'She called his name' and 'many' as two provisional finals of one sentence ('times' was lost)."""
    session.apply(FinalSegment(0, "She called his name", 0.0, 1.6, "en"))
    session.apply(FinalSegment(1, "many", 2.1, 2.5, "en", sentence_id=0))


SETTLED = Settled(0, (0, 1), "She called his name many times.", "en", 0.0, 3.0, words=(
    ("She", 0.0, 0.3), ("called", 0.3, 0.7), ("his", 0.7, 0.9), ("name", 0.9, 1.5),
    ("many", 2.1, 2.4), ("times.", 2.4, 2.9)))


def test_a_settled_sentence_replaces_its_finals_text_shared_out_by_word_times():
    session = Session()
    _heard(session)
    session.apply(SETTLED)
    first, second = session.segments()
    assert (first.text, second.text) == ("She called his name", "many times.")
    assert first.settled and second.settled
    (sentence,) = session.sentences()
    assert sentence.text == "She called his name many times." and sentence.settled


def test_provisional_sentences_say_so():
    session = Session()
    _heard(session)
    (sentence,) = session.sentences()
    assert not sentence.settled and sentence.text == "She called his name many"


def test_the_users_edit_wins_over_a_later_settle():
    session = Session()
    _heard(session)
    edited = replace(session.segment(0), text="She called Ana's name", edited=True)
    session.revise([edited])
    session.apply(SETTLED)
    assert session.segment(0).text == "She called Ana's name"
    assert session.segment(1).text == "many times."


def test_a_translation_that_came_first_is_kept_with_the_settled_text():
    session = Session()
    _heard(session)
    session.apply(Translation(0, "Ella llamó su nombre muchas veces.", "en", "es", 0.0, 3.0, segment_ids=(0, 1)))
    session.apply(SETTLED)
    (sentence,) = session.sentences()
    assert sentence.translation == "Ella llamó su nombre muchas veces." and not sentence.translation_outdated


def test_the_journal_keeps_settled_text_across_a_restore(tmp_path):
    journal = Journal.open_new(folder=tmp_path)
    for event in (FinalSegment(0, "She called his name", 0.0, 1.6, "en"),
                  FinalSegment(1, "many", 2.1, 2.5, "en", sentence_id=0), SETTLED):
        journal.append(event)
    restored = recover(journal.path)
    assert [s.text for s in restored] == ["She called his name", "many times."]
    assert all(s.settled for s in restored)


def test_a_version_2_journal_without_settled_records_restores_its_finals(tmp_path):
    journal = Journal.open_new(folder=tmp_path)
    journal.append(FinalSegment(0, "She called his name", 0.0, 1.6, "en"))
    restored = recover(journal.path)
    assert [(s.text, s.settled) for s in restored] == [("She called his name", False)]


def test_carrying_a_session_over_keeps_it_settled():
    session = Session()
    _heard(session)
    session.apply(SETTLED)
    again = Session()
    for event in segment_events(session.segments()):
        again.apply(event)
    assert [(s.text, s.settled) for s in again.segments()] == [("She called his name", True), ("many times.", True)]


def test_session_numbering_moves_a_settled_sentence_with_its_finals():
    numbering = SessionNumbering()
    moved_final = numbering.to_session(FinalSegment(5, "many", 2.1, 2.5, "en"))
    moved = numbering.to_session(Settled(5, (5,), "many times.", "en", 2.1, 2.9, words=(("many", 2.1, 2.4),)))
    assert moved.sentence_id == moved_final.segment_id and moved.segment_ids == (moved_final.segment_id,)


def test_a_settled_event_is_one_json_object_with_its_sentence_and_times():
    record = event_to_dict(SETTLED)
    assert record["type"] == "settled" and record["v"] == 4
    assert record["sentence_id"] == 0 and record["segment_ids"] == [0, 1]
    assert record["text"] == "She called his name many times." and record["language"] == "en"
    assert (record["start"], record["end"]) == (0.0, 3.0) and "emitted_at" in record
    assert record["words"][0] == ["She", 0.0, 0.3]
