"""Session ids and times across runs: one owner (SessionNumbering), whatever the engine numbers."""

from __future__ import annotations

from voicedesk.engine.events import AudioLevel, FinalSegment, Partial, Settled, SpeakerLabels, Translation
from voicedesk.session.numbering import SessionNumbering
from voicedesk.session.speakers import SpeakerBook
from voicedesk.session.transcript import Segment


def final(segment_id: int, start: float, end: float, sentence_id: int = -1) -> FinalSegment:
    return FinalSegment(segment_id, f"text {segment_id}", start, end, "en", sentence_id=sentence_id)


def test_the_first_run_keeps_the_engine_ids_and_times():
    numbering = SessionNumbering()
    numbering.begin_run()
    assert numbering.to_session(final(0, 1.0, 2.0)) == final(0, 1.0, 2.0)
    level = AudioLevel(0.0, 0.1, 0.2, 0.3, False)
    assert numbering.to_session(level) is level, "levels are run-relative: the waveform restarts with each run"


def test_a_later_run_continues_after_the_session_whether_the_engine_counts_on_or_starts_again():
    numbering = SessionNumbering()
    numbering.begin_run()
    numbering.to_session(final(0, 0.5, 2.0))
    numbering.to_session(final(1, 2.5, 4.0))
    numbering.heard(6.0)                       # the run heard 2 s of silence after its last final
    numbering.end_run()
    assert (numbering.next_id, numbering.time_end) == (2, 6.0)

    numbering.begin_run()                      # the same engine: its ids go on (7, 8, ...)
    moved = numbering.to_session(final(7, 1.0, 2.0))
    assert (moved.segment_id, moved.start, moved.end) == (2, 7.0, 8.0)
    numbering.heard(3.0)
    numbering.end_run()

    numbering.begin_run()                      # a new engine (another model): its ids start at 0 again
    assert numbering.to_session(Partial(0, "so", 0.0, 0.5, "en")).segment_id == 3
    assert numbering.to_session(final(0, 0.0, 1.0)).segment_id == 3
    assert numbering.to_session(final(1, 1.0, 2.0)).segment_id == 4


def test_sentence_ids_and_the_ids_a_translation_covers_move_with_their_finals():
    numbering = SessionNumbering()
    numbering.continue_after([Segment(segment_id=9, start=0.0, end=100.0, text="restored", language="en")])
    numbering.begin_run()
    moved = numbering.to_session(final(1, 2.6, 3.5, sentence_id=1))
    later = numbering.to_session(final(2, 4.0, 5.0, sentence_id=1))
    assert (moved.segment_id, later.segment_id, later.sentence_id, later.start) == (10, 11, 10, 104.0)
    translation = numbering.to_session(Translation(1, "dies.", "en", "de", 2.6, 5.0, segment_ids=(1, 2)))
    assert (translation.segment_id, translation.segment_ids, translation.end) == (10, (10, 11), 105.0)


def test_a_cleared_session_numbers_from_zero_again():
    numbering = SessionNumbering()
    numbering.begin_run()
    numbering.to_session(final(4, 0.0, 3.0))
    numbering.end_run()
    numbering.continue_after([])
    numbering.begin_run()
    moved = numbering.to_session(final(5, 1.0, 2.0))
    assert (moved.segment_id, moved.sentence_id, moved.start) == (0, 0, 1.0)


def test_runs_of_one_session_share_its_count_and_a_replaced_session_gets_a_new_one():
    """The engine side keeps a session's speakers while `session` stays the same (ui/controller.py)."""
    numbering = SessionNumbering()
    first = numbering.session
    for _ in range(2):                          # Stop and Start: the same session
        numbering.begin_run()
        numbering.end_run()
    assert numbering.session == first
    numbering.continue_after([])                # New session (or one opened or restored)
    assert numbering.session != first


def test_a_live_sessions_speakers_keep_their_numbers_across_stop_and_start():
    numbering = SessionNumbering()
    numbering.begin_run(live=True)
    assert numbering.to_session(spoken(0, speaker=1)).speaker == 1
    assert numbering.to_session(spoken(1, speaker=2)).speaker == 2
    numbering.end_run()
    numbering.begin_run(live=True)              # the engine kept the voices: its speaker 2 is the same person
    assert numbering.to_session(spoken(2, speaker=2)).speaker == 2
    assert numbering.to_session(spoken(3, speaker=None)).speaker is None


def test_an_opened_transcripts_speakers_and_names_are_never_given_to_a_new_voice():
    """The engine numbers a new session's speakers from 1; the opened transcript already has a Speaker 1 ("Ana")."""
    numbering = SessionNumbering()
    opened = [Segment(segment_id=0, start=0.0, end=2.0, text="hola", language="es", speaker=1),
              Segment(segment_id=1, start=2.0, end=4.0, text="qué tal", language="es", speaker=2)]
    book = SpeakerBook(names=((1, "Ana"),), merged=((3, 1),))   # the user merged Speaker 3 into Ana
    numbering.continue_after(opened, book)
    numbering.begin_run(live=True)
    first = numbering.to_session(spoken(0, speaker=1))
    second = numbering.to_session(spoken(1, speaker=2))
    again = numbering.to_session(Settled(0, (0,), "Hello.", "en", 0.0, 1.0, speaker=1))
    assert (first.speaker, second.speaker, again.speaker) == (4, 5, 4)


def test_a_files_speakers_are_new_to_the_session_and_the_live_ones_go_on_after_it():
    numbering = SessionNumbering()
    numbering.begin_run(live=True)
    numbering.to_session(spoken(0, speaker=1))
    numbering.end_run()
    numbering.begin_run(live=False)             # a file: clustered on its own, its "Speaker 1" is someone else
    labels = numbering.to_session(SpeakerLabels(((0, 1), (1, 2), (2, 1)), speakers=2))
    assert [n for _, n in labels.labels] == [2, 3, 2]
    numbering.end_run()
    numbering.begin_run(live=True)              # live again: the engine's speaker 1 is the live speaker 1
    assert numbering.to_session(spoken(0, speaker=1)).speaker == 1
    assert numbering.to_session(spoken(1, speaker=2)).speaker == 4


def spoken(segment_id: int, speaker) -> FinalSegment:
    return FinalSegment(segment_id, f"text {segment_id}", float(segment_id), segment_id + 1.0, "en", speaker=speaker)


def test_a_new_engines_voices_take_new_numbers_even_in_a_run_already_begun():
    numbering = SessionNumbering()
    numbering.begin_run(live=True)
    numbering.to_session(spoken(0, speaker=1))
    numbering.end_run()
    numbering.begin_run(live=True)
    numbering.new_live_speakers()               # the controller built a new engine (another model) for this run
    assert numbering.to_session(spoken(1, speaker=1)).speaker == 2
