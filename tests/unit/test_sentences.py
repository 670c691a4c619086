"""Sentence grouping: finals per utterance in, whole sentences out (pure, scripted finals and times)."""

from voicedesk.engine.events import FinalSegment
from voicedesk.engine.sentences import SentenceGrouper, ends_sentence


def final(i: int, text: str, start: float, end: float, language: str = "en") -> FinalSegment:
    return FinalSegment(i, text, start, end, language, emitted_at=end + 0.5)


def test_full_stops_end_sentences_but_titles_and_open_clauses_do_not():
    assert ends_sentence("for your country.") and ends_sentence("Really?") and ends_sentence("«Sí.»")
    assert not ends_sentence("Mr.") and not ends_sentence("my fellow Americans,") and not ends_sentence("")


def test_fragments_said_with_short_pauses_become_one_sentence_closed_by_a_turn_pause():
    grouper = SentenceGrouper(gap_s=1.5, settle_s=0.9)
    ids = []
    for seg in (final(0, "And so my fellow Americans", 0.0, 2.0), final(1, "ask not", 3.0, 4.2),
                final(2, "what your country can do for you", 5.1, 7.3)):
        sentence_id, done = grouper.add(seg)
        ids.append(sentence_id)
        assert done == []
        assert grouper.tick(seg.end + 0.5, None) == []          # a short pause: the sentence may go on
    assert ids == [0, 0, 0]
    (unit,) = grouper.tick(7.3 + 1.5, None)
    assert unit.segment_ids == (0, 1, 2) and unit.sentence_id == 0
    assert unit.text == "And so my fellow Americans ask not what your country can do for you"
    assert (unit.start, unit.end, unit.language) == (0.0, 7.3, "en")
    assert grouper.open_sentence_end is None


def test_a_full_stop_inside_an_utterance_ends_the_sentence_at_once():
    grouper = SentenceGrouper()
    sentence_id, done = grouper.add(final(4, "It rained all day.", 10.0, 12.0), utterance_goes_on=True)
    assert sentence_id == 4 and [u.segment_ids for u in done] == [(4,)]
    sentence_id, done = grouper.add(final(5, "We stayed in", 12.1, 13.0), utterance_goes_on=True)
    assert sentence_id == 5 and done == []


def test_a_list_read_out_with_a_full_stop_after_each_word_stays_one_sentence_until_it_is_long_enough():
    """Whisper punctuates a list read without pauses as one-word sentences; each would be settled on its own."""
    grouper = SentenceGrouper()
    ids, done = [], []
    for i, (word, start) in enumerate((("Modify.", 12.7), ("Merge.", 13.4), ("Publish.", 14.5))):
        sentence_id, closed = grouper.add(final(i, word, start, start + 0.5), utterance_goes_on=True)
        ids.append(sentence_id)
        done.extend(closed)
    assert ids == [0, 0, 0]
    assert [u.text for u in done] == ["Modify. Merge. Publish."], "three words: a sentence"
    _, closed = grouper.add(final(3, "Sublicense.", 15.9, 16.4), utterance_goes_on=True)
    assert closed == [], "one word is no sentence yet"
    (unit,) = grouper.tick(16.4 + 1.0, None)
    assert unit.text == "Sublicense.", "the pause after it ends it"
    _, closed = grouper.add(final(4, "これは短い文です。", 20.0, 21.6), utterance_goes_on=True)
    assert [u.text for u in closed] == ["これは短い文です。"], "a language without spaces: long enough by its time"


def test_a_full_stop_at_an_utterance_end_settles_after_a_short_pause_unless_speech_resumes():
    grouper = SentenceGrouper(gap_s=1.5, settle_s=0.9)
    grouper.add(final(0, "And so my fellow Americans.", 0.0, 2.0))
    assert grouper.tick(2.5, None) == []                        # Whisper's full stop is only a guess yet
    assert grouper.tick(3.5, utterance_start=2.6) == []         # someone speaks again within the pause: wait
    sentence_id, done = grouper.add(final(1, "Ask not!", 2.6, 3.8))
    assert sentence_id == 0 and done == []
    (unit,) = grouper.tick(3.8 + 0.9, None)
    assert unit.segment_ids == (0, 1)


def test_a_long_pause_or_a_new_language_starts_a_new_sentence():
    grouper = SentenceGrouper(gap_s=1.5)
    grouper.add(final(0, "we went to", 0.0, 1.0))
    sentence_id, done = grouper.add(final(1, "the market", 3.0, 4.0))
    assert sentence_id == 1 and [u.segment_ids for u in done] == [(0,)]
    sentence_id, done = grouper.add(final(2, "und dann", 4.3, 5.0, language="de"))
    assert sentence_id == 2 and [u.language for u in done] == ["en"]
    assert [u.segment_ids for u in grouper.flush()] == [(2,)]
    assert grouper.flush() == []


def test_a_speaker_who_never_punctuates_still_gets_sentences_of_bounded_length():
    grouper = SentenceGrouper(gap_s=1.5, max_duration_s=20.0, max_finals=6)
    closed = []
    for i in range(14):
        _, done = grouper.add(final(i, f"words {i}", i * 2.0, i * 2.0 + 1.5))
        closed.extend(done)
    assert closed and all(u.end - u.start <= 21.5 and len(u.segment_ids) <= 6 for u in closed)
    covered = [i for u in closed + grouper.flush() for i in u.segment_ids]
    assert covered == list(range(14))


def test_an_unfinished_sentence_ending_in_a_full_stop_is_offered_for_decoding_ahead_as_it_will_complete():
    grouper = SentenceGrouper(gap_s=1.5, settle_s=0.9)
    grouper.add(final(0, "And so my fellow Americans", 0.0, 2.0))
    assert grouper.open_punctuated() is None                  # no full stop: it may well go on
    grouper.add(final(1, "ask not.", 2.6, 3.4))
    ahead = grouper.open_punctuated()
    assert ahead is not None and ahead.segment_ids == (0, 1) and ahead.end == 3.4
    (unit,) = grouper.tick(3.4 + 1.0, None)
    assert unit == ahead                                      # what completes is what was offered
    assert grouper.open_punctuated() is None


def test_another_speaker_starts_a_sentence_and_a_possible_turn_ends_one():
    grouper = SentenceGrouper(gap_s=1.5)
    first, _ = grouper.add(FinalSegment(0, "and so my fellow", 0.0, 1.0, "en"))
    same, _ = grouper.add(FinalSegment(1, "Americans", 1.1, 1.8, "en"))
    other, done = grouper.add(FinalSegment(2, "Mr. Quilter is", 1.9, 2.8, "en"), new_speaker=True)
    assert first == same == 0 and other == 2
    assert [s.segment_ids for s in done] == [(0, 1)], "the first speaker's sentence is complete"
    grouper.add(FinalSegment(3, "the apostle,", 2.9, 3.5, "en"), turn_ends=True)
    after, _ = grouper.add(FinalSegment(4, "ask not", 3.6, 4.2, "en"))
    assert after == 4, "a line that ended where the speaker may change ends its sentence"


def test_in_continuous_speech_the_sentence_a_hypothesis_ends_is_offered_before_its_last_words_are_final():
    grouper = SentenceGrouper(gap_s=1.5, settle_s=0.9)
    grouper.add(final(0, "The library on the corner", 0.0, 1.8), utterance_goes_on=True)
    heard = FinalSegment(1, "opened long ago.", 1.9, 3.1, "en")    # seen in the hypothesis, not committed yet
    ahead = grouper.open_through(heard)
    assert ahead is not None and ahead.sentence_id == 0 and ahead.start == 0.0 and ahead.end == 3.1
    assert ahead.text == "The library on the corner opened long ago."
    assert grouper.open_sentence_end == 1.8                   # offering it changes nothing
    _, (unit,) = grouper.add(final(1, "opened long ago.", 1.9, 3.05), utterance_goes_on=True)
    assert (unit.sentence_id, unit.start) == (ahead.sentence_id, ahead.start)


def test_words_that_would_not_complete_or_join_the_unfinished_sentence_are_not_offered():
    grouper = SentenceGrouper(gap_s=1.5, settle_s=0.9)
    assert grouper.open_through(FinalSegment(0, "It rained all day.", 0.0, 2.0, "en")) is None   # no sentence yet
    grouper.add(final(0, "Merge", 0.0, 0.4), utterance_goes_on=True)
    assert grouper.open_through(FinalSegment(1, "publish.", 0.5, 0.9, "en")) is None      # two words in 0.9 s
    assert grouper.open_through(FinalSegment(1, "and then the", 0.5, 1.9, "en")) is None   # no full stop
    assert grouper.open_through(FinalSegment(1, "und dann alles.", 0.5, 2.0, "de")) is None  # another language
    assert grouper.open_through(FinalSegment(1, "and distribute.", 2.5, 3.2, "en")) is None  # after a turn's pause
    assert grouper.open_through(FinalSegment(1, "publish and sell.", 0.5, 1.6, "en")) is not None
