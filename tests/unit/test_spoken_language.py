"""When a session's spoken language changes (engine/spoken_language.py): the rule the file route, the live route and
the settle pass share. The probabilities are the shapes base gave real recordings (a Dutch dialogue, Spanish and
French phone prompts)."""

from __future__ import annotations

from voicedesk.engine.spoken_language import LanguageSwitch, agreed_language

DUTCH = {"nl": 0.74, "en": 0.08, "af": 0.01}       # base on the dialogue's lines: 0.74-0.87 before a misheard one
DUTCH_AS_GREEK = {"el": 0.96, "pt": 0.02, "nl": 0.0004}
DUTCH_AS_PORTUGUESE = {"pt": 0.87, "es": 0.05, "nl": 0.0004}
DUTCH_AS_CHINESE = {"zh": 1.0, "nl": 0.0}
SPANISH_AS_PORTUGUESE = {"pt": 0.63, "es": 0.30, "en": 0.01}
SPANISH = {"es": 0.90, "pt": 0.05, "en": 0.01}
ENGLISH = {"en": 0.75, "fr": 0.01}                 # a phone call's English: base is less sure of it
ENGLISH_READ = {"en": 0.97, "fr": 0.01}            # read clips
FRENCH = {"fr": 0.99, "en": 0.003}


def spoken(probs: dict, times: int = 2) -> LanguageSwitch:
    """A session whose language is made clear by `times` long utterances with these probabilities."""
    switch = LanguageSwitch()
    for k in range(times):
        switch.judge(probs, 3.0, key=("before", k))
    return switch


def test_a_lone_utterance_heard_as_another_language_stays_in_the_language_spoken_so_far():
    switch = spoken(DUTCH)
    assert switch.judge(DUTCH_AS_GREEK, 3.3, key=2) == ("nl", False)
    assert switch.judge(DUTCH, 2.9, key=3) == ("nl", True)
    assert switch.language == "nl"


def test_two_in_a_row_heard_as_two_different_languages_change_nothing():
    switch = spoken(DUTCH)
    assert switch.judge(DUTCH_AS_PORTUGUESE, 3.9, key=1)[0] == "nl"
    assert switch.judge(DUTCH_AS_CHINESE, 2.7, key=2)[0] == "nl"
    assert switch.judge(DUTCH_AS_GREEK, 3.3, key=3)[0] == "nl"
    assert switch.language == "nl"


def test_the_second_of_two_in_a_row_that_agree_changes_the_language():
    switch = spoken(ENGLISH)
    assert switch.judge(FRENCH, 2.9, key=1) == ("en", False)
    assert switch.judge(FRENCH, 2.2, key=2) == ("fr", True)
    assert switch.language == "fr"


def test_one_sure_utterance_changes_the_language_when_whisper_heard_the_sessions_surely_each_time_before():
    # read English clips (0.95-0.99 each), then Spanish: a real switch, taken at once
    switch = spoken(ENGLISH_READ, times=3)
    assert switch.judge(SPANISH, 2.1, key=1) == ("es", True)
    # the same guess after Dutch lines Whisper was less sure of waits for the next one
    assert spoken(DUTCH, times=4).judge({"es": 0.9, "nl": 0.01}, 2.1, key=1) == ("nl", False)


def test_one_sure_sentence_changes_the_language_after_long_sentences_whisper_was_sure_of_fewer_than_three():
    # continuous speech settles in long sentences: a German reading of 10 and 17 s (1.00 each), then English
    german = {"de": 1.0, "en": 0.0}
    switch = LanguageSwitch()
    switch.judge(german, 10.3, key=1)
    switch.judge(german, 17.2, key=2)
    assert switch.judge({"en": 0.86, "la": 0.04, "de": 0.0}, 3.8, key=3) == ("en", True)
    # two short lines as sure are not enough
    assert spoken({"de": 1.0}, times=2).judge({"en": 0.86, "de": 0.0}, 3.8, key=3) == ("de", False)


def test_two_in_a_row_agree_only_on_a_language_most_likely_in_each():
    assert agreed_language((SPANISH, 3.0), (SPANISH, 2.5), "en") == "es"
    # base hears Spanish as half Portuguese now and then: that one waits for the next Spanish one
    assert agreed_language((SPANISH_AS_PORTUGUESE, 3.0), (SPANISH, 3.0), "en") is None
    # a live Dutch session went Greek on these two with a rule that only asked for a share of both together
    assert agreed_language(({"af": 0.46, "el": 0.42, "nl": 0.003}, 2.1), ({"el": 0.9, "nl": 0.0}, 2.1), "nl") is None
    assert agreed_language((FRENCH, 3.0), ({"fr": 0.8, "en": 0.15}, 3.0), "en") is None, "the second sounds English"


def test_an_utterance_that_still_sounds_like_the_language_spoken_so_far_forgets_the_candidate():
    switch = spoken(ENGLISH)
    switch.judge(FRENCH, 2.9, key=1)
    assert switch.judge({"en": 0.2, "fr": 0.7}, 3.0, key=2) == ("en", False)
    assert switch.judge(FRENCH, 2.5, key=3) == ("en", False)


def test_the_same_sentence_judged_twice_is_not_its_own_confirmation():
    # the settle pass decodes a sentence ahead, then again when it completes: one sentence, one vote
    switch = spoken(ENGLISH)
    assert switch.judge(FRENCH, 2.9, key=7)[0] == "en"
    assert switch.judge(FRENCH, 3.1, key=7)[0] == "en"
    assert switch.judge(FRENCH, 2.4, key=8)[0] == "fr"


def test_short_utterances_neither_change_the_language_nor_forget_a_candidate():
    switch = spoken(ENGLISH)
    switch.judge(FRENCH, 2.9, key=1)
    assert switch.judge({"en": 0.99}, 1.2, key=2) == ("en", False)
    assert switch.judge(FRENCH, 2.5, key=3)[0] == "fr"


def test_one_long_stretch_sure_of_another_language_changes_it_at_once():
    assert spoken(ENGLISH).judge({"de": 0.95, "en": 0.01}, 12.0) == ("de", True)


def test_a_sure_return_to_the_language_most_of_the_session_was_in_comes_at_once():
    switch = spoken(DUTCH, times=4)
    assert switch.judge({"el": 0.9, "nl": 0.0}, 2.5, key=4) == ("nl", False)
    assert switch.judge({"el": 0.95, "nl": 0.01}, 2.5, key=5) == ("el", True)   # two misheard ones agree
    assert switch.judge(DUTCH, 2.6, key=6) == ("nl", True)


def test_before_any_language_is_clear_a_sure_guess_serves_its_utterance_and_two_that_agree_make_it_the_sessions():
    unsure = LanguageSwitch()
    assert unsure.judge(SPANISH_AS_PORTUGUESE, 3.0) == (None, False) and unsure.heard is None
    switch = LanguageSwitch()
    assert switch.judge({"el": 0.75, "nl": 0.09}, 3.4, key=1) == ("el", False)   # a Dutch line heard alone as Greek
    assert switch.language is None and switch.heard == "el"
    assert switch.judge(DUTCH, 4.3, key=2) == ("nl", False)
    assert switch.judge(DUTCH, 2.9, key=3) == ("nl", True) and switch.language == "nl"
    assert LanguageSwitch().judge(SPANISH, 1.5) == (None, False), "too short to tell"


def test_after_a_short_excursion_the_main_language_comes_back_on_one_sure_utterance():
    switch = spoken(ENGLISH, times=4)
    assert switch.judge({"de": 0.95, "en": 0.01}, 9.0, key=1) == ("de", True)
    assert switch.judge({"en": 0.98, "de": 0.005}, 2.2, key=2) == ("en", True)
