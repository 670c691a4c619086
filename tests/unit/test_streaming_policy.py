"""LocalAgreement-2: words become final only when two consecutive hypotheses agree on them."""

from voicedesk.engine.asr import drop_squeezed_words, remove_repetition_loops
from voicedesk.engine.commit_rule import LocalAgreement, Word, join_words


def words(text: str, start: float = 0.0, step: float = 0.5) -> list[Word]:
    return [Word(start + i * step, start + (i + 1) * step, " " + w) for i, w in enumerate(text.split())]


def test_first_hypothesis_commits_nothing():
    agreement = LocalAgreement()
    assert agreement.update(words("and so my")) == []
    assert join_words(agreement.tentative) == "and so my"


def test_common_prefix_of_two_hypotheses_is_committed():
    agreement = LocalAgreement()
    agreement.update(words("and so my fellow"))
    committed = agreement.update(words("and so my fellow americans ask"))
    assert join_words(committed) == "and so my fellow"
    assert join_words(agreement.tentative) == "americans ask"
    assert agreement.committed_until == 2.0


def test_agreed_words_wait_until_some_audio_followed_them():
    agreement = LocalAgreement()
    agreement.update(words("we got free apples"))          # words end at 0.5 1.0 1.5 2.0
    committed = agreement.update(words("we got free apples"), heard_before=1.2)
    assert join_words(committed) == "we got"
    # the next hypothesis heard more and corrects what had not been committed yet
    agreement.update(words("we got three apples and"))
    assert join_words(agreement.update(words("we got three apples and"), heard_before=2.2)) == "three apples"


def test_disagreement_stops_the_commit_at_the_first_differing_word():
    agreement = LocalAgreement()
    agreement.update(words("ask not what you are"))
    committed = agreement.update(words("ask not what your country"))
    assert join_words(committed) == "ask not what"


def test_case_and_punctuation_do_not_count_as_disagreement_and_the_newer_spelling_wins():
    agreement = LocalAgreement()
    agreement.update(words("and so my fellow americans"))
    committed = agreement.update(words("And so, my fellow Americans, ask"))
    assert join_words(committed) == "And so, my fellow Americans,"


def test_committed_words_are_never_committed_twice():
    agreement = LocalAgreement()
    agreement.update(words("one two three"))
    agreement.update(words("one two three four"))
    # the buffer still holds the committed audio: the next hypothesis repeats it
    again = agreement.update(words("one two three four five"))
    assert join_words(again) == "four"
    assert join_words(agreement.committed) == "one two three four"


def test_repeated_ngram_at_the_buffer_start_is_dropped_after_a_trim():
    agreement = LocalAgreement()
    agreement.update(words("we are glad"))
    agreement.update(words("we are glad to"))
    # after trimming, Whisper re-reads the last committed words with slightly later times
    hyp = [Word(1.45, 1.6, " glad"), Word(1.6, 2.0, " to"), Word(2.0, 2.5, " welcome")]
    agreement.update(hyp)
    final = agreement.finish([Word(1.45, 1.6, " glad"), Word(1.6, 2.0, " to"), Word(2.0, 2.5, " welcome"), Word(2.5, 3.0, " him")])
    assert join_words(agreement.committed) == "we are glad to welcome him"
    assert join_words(final) == "welcome him"


def test_finish_commits_the_rest_of_the_final_hypothesis():
    agreement = LocalAgreement()
    agreement.update(words("ask what you"))
    agreement.update(words("ask what you can"))
    rest = agreement.finish(words("ask what you can do for your country."))
    assert join_words(rest) == "can do for your country."
    assert agreement.tentative == []


def test_reset_forgets_everything():
    agreement = LocalAgreement()
    agreement.update(words("a b c"))
    agreement.update(words("a b c"))
    agreement.reset()
    assert agreement.committed == [] and agreement.tentative == [] and agreement.committed_until == 0.0


def test_repetition_loops_are_cut_to_a_few_repeats():
    looped = words("thank you " * 12 + "bye")
    cleaned = join_words(remove_repetition_loops(looped))
    assert cleaned == "thank you thank you bye"


def test_a_long_phrase_said_twice_in_a_row_is_a_loop():
    looped = words("and so my fellow americans and so my fellow americans and so my")
    assert join_words(remove_repetition_loops(looped)) == "and so my fellow americans and so my"


def test_words_squeezed_into_no_time_at_the_end_are_dropped():
    said = words("ask not what")
    ghost = [Word(1.5, 1.5, " your"), Word(1.5, 1.5, " country")]
    assert join_words(drop_squeezed_words(said + ghost)) == "ask not what"


def test_a_phrase_squeezed_into_no_time_inside_the_speech_is_dropped_and_a_lone_short_word_stays():
    # a live decode of a phone call: the phrase committed before, read again from no audio, all at one instant
    before = words("at least you know they are.", start=23.7, step=0.15)
    echo = [Word(24.6, 24.6, " " + w) for w in "Well, there is not much difference. At least".split()]
    after = words("they all call me", start=24.6, step=0.4)
    assert join_words(drop_squeezed_words(before + echo + after)) == \
        "at least you know they are. they all call me"
    lone = words("so", step=0.3) + [Word(0.3, 0.3, " I")] + words("heard a beep", start=0.3, step=0.3)
    assert join_words(drop_squeezed_words(lone)) == "so I heard a beep"


def test_ordinary_repetition_is_kept():
    text = "ask not what your country can do for you ask what you can do for your country"
    assert join_words(remove_repetition_loops(words(text))) == text


def test_a_word_that_is_one_letter_looped_is_cut_and_numbers_and_short_runs_stay():
    looped = words("нажмите решетку ПОЛИЦИ" + "И" * 40)
    assert join_words(remove_repetition_loops(looped)) == "нажмите решетку"
    kept = "it cost 1000000 dollars brrr zzz"
    assert join_words(remove_repetition_loops(words(kept))) == kept


def test_a_run_of_words_said_again_is_found_only_where_the_new_words_complete_it():
    from voicedesk.engine.commit_rule import repeats_run, text_keys

    earlier = text_keys("la tierra, el sol a partir del CtmNo. 4.4. de 6,")
    assert repeats_run(earlier + text_keys("que se tierra, el sol a"), 6, 4)         # "tierra el sol a" again
    assert repeats_run(earlier + text_keys("a partir"), 2, 4) is False                 # three words again: too few
    assert repeats_run(earlier + text_keys("Tierra del Sol se"), 4, 4) is False        # other words
    # a run that stands twice among the earlier words only is not the new words' doing
    assert repeats_run(text_keys("uno dos tres cuatro uno dos tres cuatro") + ["cinco"], 1, 4) is False
