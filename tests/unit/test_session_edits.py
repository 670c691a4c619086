"""The reader's edits of a transcript: edit, split, merge, undo, typed lines; journaled, restored and exported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voicedesk.engine.events import FinalSegment, Translation
from voicedesk.session import edits
from voicedesk.session.edits import EditError
from voicedesk.session.export import render, segments_from_json
from voicedesk.session.journal import Journal, read_info, recover
from voicedesk.session.numbering import SessionNumbering
from voicedesk.session.transcript import Session


def spoken_sentence() -> Session:
    """One sentence said in three utterances, translated into German."""
    session = Session()
    session.apply(FinalSegment(0, " The quick brown", 0.0, 1.5, "en"))
    session.apply(FinalSegment(1, " fox jumps", 2.0, 3.0, "en", sentence_id=0))
    session.apply(FinalSegment(2, " over the dog.", 3.5, 5.0, "en", sentence_id=0))
    session.apply(Translation(0, "Der schnelle Fuchs.", "en", "de", 0.0, 5.0, segment_ids=(0, 1, 2), engine="argos"))
    return session


def segments_of(session: Session, sentence_id: int):
    [sentence] = [s for s in session.sentences() if s.sentence_id == sentence_id]
    return [session.segment(i) for i in sentence.segment_ids]


def test_an_edited_sentence_keeps_each_utterance_times_and_marks_its_translation_outdated():
    session = spoken_sentence()
    revision = edits.edit_text(segments_of(session, 0), "The quick brown fox leaps over the lazy dog.")
    session.revise(revision.segments, revision.removed)
    [sentence] = session.sentences()
    assert sentence.text == "The quick brown fox leaps over the lazy dog."
    assert [(s.text, s.start, s.end) for s in session.segments()] == [
        ("The quick brown", 0.0, 1.5), ("fox leaps", 2.0, 3.0), ("over the lazy dog.", 3.5, 5.0)]
    assert sentence.edited and sentence.translation_outdated
    assert sentence.translation == "Der schnelle Fuchs." and edits.needs_translation(sentence) == "de"


def test_an_edit_that_empties_an_utterance_removes_it_and_an_empty_line_is_refused():
    session = spoken_sentence()
    revision = edits.edit_text(segments_of(session, 0), "The quick brown dog.")
    session.revise(revision.segments, revision.removed)
    assert session.sentences()[0].text == "The quick brown dog."
    assert len(session) < 3
    with pytest.raises(EditError, match="cannot be empty"):
        edits.edit_text(segments_of(session, 0), "   ")
    assert edits.edit_text(segments_of(session, 0), "The  quick brown dog. ") is None, "same words: no edit"


def test_a_split_inside_an_utterance_shares_its_time_by_words_and_both_lines_get_translated_again():
    session = spoken_sentence()
    # words: The quick brown | fox jumps | over the dog.  -> cut before "the" (word 6), inside utterance 2
    revision = edits.split_sentence(segments_of(session, 0), 6, new_id=7)
    session.revise(revision.segments, revision.removed)
    first, second = session.sentences()
    assert (first.text, second.text) == ("The quick brown fox jumps over", "the dog.")
    assert second.sentence_id == 7 and first.end == pytest.approx(3.5 + 1.5 / 3) == second.start
    assert second.end == 5.0
    assert first.translation_outdated and edits.needs_translation(first) == "de"
    assert second.translation is None and edits.needs_translation(second) == "de"


def test_a_split_between_utterances_takes_no_new_id_and_merging_joins_them_again():
    session = spoken_sentence()
    revision = edits.split_sentence(segments_of(session, 0), 3, new_id=99)
    session.revise(revision.segments, revision.removed)
    assert [s.segment_ids for s in session.sentences()] == [(0,), (1, 2)]
    assert 99 not in {s.segment_id for s in session.segments()}
    merged = edits.merge_sentences(segments_of(session, 0), segments_of(session, 1))
    session.revise(merged.segments, merged.removed)
    [sentence] = session.sentences()
    assert sentence.segment_ids == (0, 1, 2) and sentence.text == "The quick brown fox jumps over the dog."
    assert sentence.translation_outdated
    with pytest.raises(EditError):
        edits.split_sentence(segments_of(session, 0), 0, new_id=5)


def test_undo_puts_back_exactly_what_was_there():
    session = spoken_sentence()
    before = session.segments()
    revision = edits.split_sentence(segments_of(session, 0), 6, new_id=7)
    undo = edits.undo_of(revision, [session.segment(i) for i in (0, 1, 2)])
    session.revise(revision.segments, revision.removed)
    session.revise(undo.segments, undo.removed)
    assert session.segments() == before


def test_an_engine_translation_of_the_old_text_is_shown_outdated_and_does_not_undo_a_split():
    session = Session()
    session.apply(FinalSegment(0, "One two", 0.0, 1.0, "en"))
    session.apply(FinalSegment(1, "three four.", 1.5, 2.5, "en", sentence_id=0))
    revision = edits.split_sentence(segments_of(session, 0), 2, new_id=5)
    session.revise(revision.segments, revision.removed)
    # the engine translated the sentence as it heard it, before the split reached it
    session.apply(Translation(0, "Eins zwei drei vier.", "en", "de", 0.0, 2.5, segment_ids=(0, 1)))
    first, second = session.sentences()
    assert (first.segment_ids, second.segment_ids) == ((0,), (1,))
    assert first.translation == "Eins zwei drei vier." and first.translation_outdated
    # and a repeat of an edited final does not bring the engine's text back
    session.apply(FinalSegment(1, "three four.", 1.5, 2.5, "en", sentence_id=0))
    assert session.segment(1).sentence_id == 1


def test_ids_for_lines_made_mid_run_never_meet_the_runs_finals():
    numbering = SessionNumbering()
    numbering.begin_run()
    numbering.to_session(FinalSegment(0, "a", 0.0, 1.0, "en"))
    numbering.heard(4.0)
    made = numbering.new_id()                      # a split or a typed line, while the run goes on
    later = numbering.to_session(FinalSegment(1, "b", 2.0, 3.0, "en", sentence_id=0))
    assert made == 1 and later.segment_id == 2 and later.sentence_id == 0
    assert numbering.now() == 4.0


def test_a_journal_with_edits_restores_the_edited_text_and_a_new_journal_carries_the_marks(tmp_path: Path):
    session = spoken_sentence()
    journal = Journal.open_new(folder=tmp_path)
    for segment_event in [FinalSegment(0, " The quick brown", 0.0, 1.5, "en"),
                          FinalSegment(1, " fox jumps", 2.0, 3.0, "en", sentence_id=0),
                          FinalSegment(2, " over the dog.", 3.5, 5.0, "en", sentence_id=0)]:
        journal.append(segment_event)
    revision = edits.edit_text(segments_of(session, 0), "The quick brown fox leaps over the dog.")
    session.revise(revision.segments, revision.removed)
    journal.append(revision)
    typed = edits.typed_line(9, 6.0, "See you soon", "en", "Bis bald", "de", "argos")
    session.revise(typed.segments)
    journal.append(typed)
    journal.close(clean=False)

    restored = recover(journal.path)
    assert restored == session.segments()
    info, clean = read_info(journal.path)
    assert not clean and info.segment_count == 4 and info.last_text == "See you soon"

    again = Journal.open_new(folder=tmp_path)
    again.append_segments(restored)
    again.close(clean=False)
    assert recover(again.path) == session.segments()


def test_a_revision_record_torn_by_a_kill_is_skipped(tmp_path: Path):
    journal = Journal.open_new(folder=tmp_path)
    journal.append(FinalSegment(0, "kept", 0.0, 1.0, "en"))
    journal.close(clean=False)
    record = json.dumps(edits.revision_record(edits.typed_line(1, 1.0, "lost", "en", None, None, None), 2))
    with open(journal.path, "a", encoding="utf-8") as handle:
        handle.write(record[: len(record) // 2])
    assert [s.text for s in recover(journal.path)] == ["kept"]


def test_exports_use_the_edited_text_and_mark_typed_lines_and_outdated_translations():
    session = spoken_sentence()
    revision = edits.edit_text(segments_of(session, 0), "The quick brown fox leaps over the dog.")
    session.revise(revision.segments, revision.removed)
    session.revise(edits.typed_line(9, 6.0, "See you soon", "en", "Bis bald", "de", "argos").segments)

    txt = render(session, "txt", "both")
    assert "The quick brown fox leaps over the dog.\n[outdated] Der schnelle Fuchs." in txt
    assert "[typed] See you soon\nBis bald" in txt
    srt = render(session, "srt", "source")
    assert "fox leaps" in srt and "jumps" not in srt and "[typed] See you soon" in srt
    document = json.loads(render(session, "json", "both"))
    first, typed = document["sentences"]
    assert first["edited"] and first["translation_outdated"] and "typed" not in first
    assert typed["typed"] and "edited" not in typed and "translation_outdated" not in typed
    assert segments_from_json(render(session, "json", "both")) == session.segments()
