"""The caption model the overlay draws (and the caption page mirrors): one line per sentence, partials settle in place.

Lines are the engine's sentences: a partial says which sentence it continues (`sentence_id`, schema 3), a
settled sentence replaces its line's text once."""

from __future__ import annotations

from voicedesk.engine.events import (EngineState, FinalSegment, Partial, RunEnded, Settled, SpeakerLabels, Status,
                                     Translation)
from voicedesk.session.caption_lines import CaptionLines


def partial(seg, text, start=0.0, end=1.0, language="en", sentence=-1):
    return Partial(segment_id=seg, text=text, start=start, end=end, language=language, sentence_id=sentence)


def final(seg, text, start=0.0, end=1.0, sentence=-1, language="en"):
    return FinalSegment(segment_id=seg, text=text, start=start, end=end, language=language, sentence_id=sentence)


def shown(lines: CaptionLines, n=3, content="source"):
    return [line.source if content != "translation" else line.translation for line in lines.visible(n, content)]


def test_a_partial_settles_in_its_own_line_and_the_next_partial_grows_the_sentence():
    lines = CaptionLines()
    lines.apply(partial(0, "And so my fellow", 0.0, 1.0))
    first = lines.lines[0]
    assert shown(lines) == ["And so my fellow"] and first.pending and first.sentence_id is None
    lines.apply(partial(0, "And so my fellow Americans", 0.0, 2.0))
    assert shown(lines) == ["And so my fellow Americans"] and lines.lines[0] is first
    lines.apply(final(0, " And so my fellow Americans,", 0.0, 2.2))
    assert lines.lines == [first] and first.settled and first.text == "And so my fellow Americans,"
    # the speaker goes on after a short pause: the engine says the partial continues sentence 0
    lines.apply(partial(1, "ask not", 2.6, 3.2, sentence=0))
    assert shown(lines) == ["And so my fellow Americans, ask not"] and len(lines.lines) == 1
    lines.apply(final(1, "ask not what your country can do for you.", 2.6, 5.0, sentence=0))
    assert shown(lines) == ["And so my fellow Americans, ask not what your country can do for you."]
    assert first.finals == 2 and not first.pending


def test_a_new_sentence_gets_its_line_and_a_translation_fills_it_in():
    lines = CaptionLines()
    lines.apply(final(0, "Hello there.", 0.0, 1.0))
    lines.apply(partial(1, "How are", 4.0, 4.8))          # long pause after a full stop: a new line
    assert shown(lines) == ["Hello there.", "How are"]
    pending_line = lines.lines[1]
    lines.apply(final(1, "How are you?", 4.0, 5.0))
    assert lines.lines[1] is pending_line and pending_line.sentence_id == 1   # settled in place
    lines.apply(Translation(segment_id=0, text="Hallo.", source_language="en", target_language="de"))
    lines.apply(Translation(segment_id=1, text="Wie geht's?", source_language="en", target_language="de",
                            segment_ids=(1,)))
    assert shown(lines, content="translation") == ["Hallo.", "Wie geht's?"]
    assert shown(lines, 1) == ["How are you?"]


def test_a_wrong_guess_moves_the_text_once_and_stale_partials_never_linger():
    lines = CaptionLines()
    lines.apply(final(0, "we choose to go", 0.0, 1.0))
    lines.apply(partial(1, "to the moon", 1.4, 2.0, sentence=0))   # the engine's guess: the same sentence
    assert shown(lines) == ["we choose to go to the moon"]
    lines.apply(final(1, "To the moon.", 1.4, 2.0, sentence=1))   # the grouper says: a sentence of its own
    assert shown(lines) == ["we choose to go", "To the moon."]
    lines.apply(partial(2, "in this", 6.0, 6.5))
    lines.apply(partial(3, "decade", 7.0, 7.5))             # the engine dropped utterance 2
    assert shown(lines) == ["we choose to go", "To the moon.", "decade"]
    lines.apply(partial(3, "", 7.0, 7.5))
    assert shown(lines) == ["we choose to go", "To the moon."]
    lines.apply(partial(1, "late partial", 1.4, 2.0))       # its final landed already
    assert shown(lines) == ["we choose to go", "To the moon."]


def test_the_end_of_a_run_drops_unfinished_text_and_ids_going_back_start_again():
    lines = CaptionLines(keep=3)
    for i in range(5):
        lines.apply(final(i, f"Sentence {i}.", i * 5.0, i * 5.0 + 1))
    assert shown(lines, 10) == ["Sentence 2.", "Sentence 3.", "Sentence 4."]
    lines.apply(partial(5, "half said", 30.0, 31.0))
    assert shown(lines, 10) == ["Sentence 3.", "Sentence 4.", "half said"]      # at most `keep` lines
    assert lines.apply(Status(EngineState.STOPPED)) is True
    assert shown(lines, 10) == ["Sentence 3.", "Sentence 4."]
    lines.apply(partial(5, "again", 40.0, 41.0))
    lines.apply(RunEnded("stopped"))
    assert "again" not in " ".join(shown(lines, 10))
    lines.apply(final(0, "A new session.", 0.0, 1.0))
    assert shown(lines, 10) == ["A new session."]


def test_a_settled_sentence_replaces_the_text_of_its_line_once():
    lines = CaptionLines()
    lines.apply(final(0, "She called his name", 0.0, 1.6))
    lines.apply(final(1, "many", 2.1, 2.5, sentence=0))
    assert shown(lines) == ["She called his name many"]
    assert lines.apply(Settled(0, (0, 1), "She called his name many times.", "en", 0.0, 3.0))
    assert shown(lines) == ["She called his name many times."] and lines.lines[0].closed
    lines.apply(partial(2, "Then", 5.0, 5.4, sentence=0))   # a stale claim on a settled sentence: a new line
    assert shown(lines) == ["She called his name many times.", "Then"]


def test_a_display_fed_settled_text_only_starts_a_line_per_settled_sentence_and_drops_old_guesses():
    lines = CaptionLines()
    lines.apply(partial(0, "We choose to go", 0.0, 1.0))      # shown before the reader chose settled text only
    assert lines.apply(Settled(0, (0, 1), "We choose to go to the Moon.", "en", 0.0, 2.5))
    assert shown(lines) == ["We choose to go to the Moon."]
    lines.apply(Settled(2, (2,), "Not because they are easy.", "en", 3.0, 4.5))
    assert shown(lines) == ["We choose to go to the Moon.", "Not because they are easy."]
    lines.apply(Translation(2, "No porque sean fáciles.", "en", "es", 3.0, 4.5))
    assert shown(lines, content="translation") == ["No porque sean fáciles."]


def test_each_line_knows_its_speaker_from_its_finals_its_settled_sentence_and_a_files_labels():
    """One rule for who says a line, shared by the overlay, the caption page's hub and the transcript."""
    lines = CaptionLines()
    lines.apply(FinalSegment(0, "Hello there.", 0.0, 1.0, "en", sentence_id=0, speaker=1))
    lines.apply(FinalSegment(1, "How are", 1.5, 2.0, "en", sentence_id=1, speaker=2))
    lines.apply(FinalSegment(2, "you", 2.0, 2.3, "en", sentence_id=1, speaker=2))
    lines.apply(FinalSegment(3, "today?", 2.3, 2.6, "en", sentence_id=1, speaker=1))
    assert [line.speaker for line in lines.lines] == [1, 2]          # whoever said most of the line
    lines.apply(Settled(1, (1, 2, 3), "How are you today?", "en", 1.5, 2.6, speaker=3))
    assert [line.speaker for line in lines.lines] == [1, 3]          # the settled sentence's label stays
    lines.apply(FinalSegment(4, "Fine.", 3.0, 3.5, "en", sentence_id=4))
    assert lines.lines[-1].speaker is None                           # not known yet
    assert lines.apply(SpeakerLabels(((0, 2), (1, 1), (2, 1), (4, 2)), 2))   # a file's labels, at the end of its run
    assert [line.speaker for line in lines.lines] == [2, 1, 2]
