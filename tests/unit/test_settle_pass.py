"""The settle pass's policy: one second decode per sentence, believed only when it loses and invents nothing.

The decoder here is a scripted stand-in so that each rule can be shown alone (what is under test is the
settler's choice, not Whisper); the real model settles real speech in tests/integration/test_settled_text.py.
"""

from __future__ import annotations

import numpy as np

from voicedesk.engine.asr import DecodeOptions, Hypothesis
from voicedesk.engine.audio_history import AudioHistory
from voicedesk.engine.events import Settled
from voicedesk.engine.sentences import SentenceUnit
from voicedesk.engine.settle import SentenceSettler
from voicedesk.engine.commit_rule import Word

UNIT = SentenceUnit(0, (0, 1), "She called his name many", "en", 0.0, 2.5,
                    finals=(("She called his name", 0.0, 1.6), ("many", 2.1, 2.5)))


class ScriptedDecoder:
    """Answers each decode with the next scripted text (words spread over the audio); records the options."""

    def __init__(self, *texts: str, languages: dict[str, float] | None = None) -> None:
        self.texts = list(texts)
        self.options: list[DecodeOptions] = []
        self.spans: list[tuple[float, float]] = []      # the audio each decode heard, in session seconds
        self.languages = languages

    def decode(self, audio: np.ndarray, offset: float, options: DecodeOptions) -> Hypothesis:
        self.options.append(options)
        self.spans.append((round(offset, 3), round(offset + len(audio) / 16_000, 3)))
        words = self.texts.pop(0).split()
        step = len(audio) / 16_000 / max(len(words), 1)
        return Hypothesis(tuple(Word(offset + i * step, offset + (i + 1) * step, " " + w) for i, w in enumerate(words)),
                          options.language or "en")

    def detect_language(self, audio: np.ndarray, full_window: bool = False) -> dict[str, float]:
        return dict(self.languages or {})


def _history(seconds: int = 10) -> AudioHistory:
    history = AudioHistory(60.0)
    history.append(np.zeros(16_000 * seconds, np.float32))
    return history


def _settler(events: list, decode_again: bool = True, spoken: str | None = "en", seconds: int = 10,
             context_s: float = 0.0) -> SentenceSettler:
    """A settler; each sentence is decoded alone unless `context_s` says how far back its context reaches."""
    return SentenceSettler(events.append, _history(seconds), beam_size=5, decode_again=decode_again,
                           spoken_language=spoken, now=lambda: 1.0, context_s=context_s)


def test_a_sentence_is_decoded_again_whole_with_beam_search_and_the_settled_text_before_it():
    events: list = []
    settler = _settler(events)
    decoder = ScriptedDecoder("She called his name many times.", "He came.")
    settler.submit(UNIT)
    settled = settler.run_one(decoder)
    assert settled.text == "She called his name many times."
    settler.submit(SentenceUnit(2, (2,), "He came", "en", 3.0, 3.5, finals=(("He came", 3.0, 3.5),)))
    settler.run_one(decoder)
    first, second = decoder.options
    assert first.beam_size == 5 and first.final and first.language == "en" and first.prompt is None
    assert second.prompt == "She called his name many times."
    assert [type(e) for e in events] == [Settled, Settled] and events[0].segment_ids == (0, 1)
    assert len(events[0].words) == 6


def test_a_second_decode_that_drops_a_phrase_or_invents_one_is_not_believed():
    for heard in ("She called", "", "She called his name many many times over and over and over again and again and again today"):
        events: list = []
        settler = _settler(events)
        settler.submit(UNIT)
        settler.run_one(ScriptedDecoder(heard))
        assert events[0].text == "She called his name many", heard
        assert [w for w, _, _ in events[0].words] == ["She called his name", "many"]


def test_a_file_sentence_settles_as_decoded_with_no_second_decode():
    events: list = []
    settler = _settler(events, decode_again=False)
    decoder = ScriptedDecoder()
    settler.submit(UNIT)
    settler.run_one(decoder)
    assert decoder.options == [] and events[0].text == UNIT.text


def test_audio_the_history_no_longer_holds_settles_as_heard():
    events: list = []
    history = AudioHistory(1.0)
    history.append(np.zeros(16_000 * 5, np.float32))
    settler = SentenceSettler(events.append, history, beam_size=5, decode_again=True, spoken_language="en",
                              now=lambda: 1.0)
    settler.submit(UNIT)
    settler.run_one(ScriptedDecoder("something else entirely here now"))
    assert events[0].text == UNIT.text


def test_on_auto_detect_a_session_stays_in_its_language_unless_two_long_sentences_in_a_row_are_another():
    """The routes' rule (engine/spoken_language.py): base hears a short sentence in a wrong language with up to ~0.7,
    a second of Spanish as Arabic at 0.99, and lone Dutch sentences as Greek or Chinese at 0.96-1.00."""
    events: list = []
    settler = _settler(events, spoken=None, seconds=15)

    def settle(sentence_id, provisional, language, start, end, heard, probabilities):
        settler.submit(SentenceUnit(sentence_id, (sentence_id,), provisional, language, start, end,
                                    finals=((provisional, start, end),)))
        decoder = ScriptedDecoder(heard, languages=probabilities)
        settler.run_one(decoder)
        return decoder.options[0].language, events[-1].language

    assert settle(0, "las arenas son blancas", "es", 0.0, 2.0, "las arenas son blancas",
                  {"es": 0.9, "pt": 0.05}) == ("es", "es")
    assert settle(1, "de grano medio", "es", 2.5, 4.5, "de grano medio", {"es": 0.8, "pt": 0.1}) == ("es", "es")
    assert settle(2, "e tem muito pouca", "pt", 5.0, 6.0, "y tiene muy poca", {"pt": 0.5, "es": 0.4}) == ("es", "es")
    assert settle(3, "por favor", "ar", 6.5, 7.5, "por favor", {"ar": 0.99, "es": 0.005})[0] == "es", \
        "one second is too little to believe a switch, however sure"
    assert settle(4, "die Software wird", "de", 8.0, 10.5, "die Software wird", {"de": 0.95, "es": 0.01})[0] == "es", \
        "one long sentence alone may be misheard"
    assert settle(5, "ohne Garantie", "de", 11.0, 13.5, "ohne Garantie", {"de": 0.9, "es": 0.02}) == ("de", "de")


class HearsMoreDecoder(ScriptedDecoder):
    """Hears a language in audio of `seconds` or more, another in less (base: a Dutch dialogue's first line alone
    is Greek at 0.75, its first 30 s are Dutch)."""

    def __init__(self, *texts: str, seconds: float, short: dict[str, float], long: dict[str, float]) -> None:
        super().__init__(*texts)
        self.seconds, self.short, self.long = seconds, short, long
        self.heard: list[float] = []

    def detect_language(self, audio: np.ndarray, full_window: bool = False) -> dict[str, float]:
        self.heard.append(len(audio) / 16_000)
        return dict(self.long if len(audio) / 16_000 >= self.seconds else self.short)


def test_until_a_language_is_clear_a_sentence_s_language_is_heard_over_the_session_so_far():
    events: list = []
    settler = _settler(events, spoken=None, seconds=12)
    settler.submit(SentenceUnit(0, (0,), "Wat is dit voor raar schip", "el", 9.0, 11.5,
                                finals=(("Wat is dit voor raar schip", 9.0, 11.5),)))
    decoder = HearsMoreDecoder("Wat is dit voor raar schip?", "Stoelen.", seconds=8.0, short={"el": 0.75, "nl": 0.09},
                               long={"nl": 0.92, "de": 0.03})
    settler.run_one(decoder)
    assert decoder.heard[0] >= 11.5 and decoder.options[0].language == "nl" and events[-1].language == "nl"
    # once it is clear, each sentence is heard alone again
    settler.submit(SentenceUnit(1, (1,), "Stoelen", "nl", 11.6, 11.9, finals=(("Stoelen", 11.6, 11.9),)))
    settler.run_one(decoder)
    assert decoder.heard[1] < 1.0 and decoder.options[1].language == "nl"


def test_on_auto_detect_a_first_short_unsure_sentence_keeps_the_language_it_was_heard_in():
    events: list = []
    settler = _settler(events, spoken=None)
    settler.submit(SentenceUnit(0, (0,), "Hello, oh hello.", "en", 0.0, 1.0, finals=(("Hello, oh hello.", 0.0, 1.0),)))
    first = ScriptedDecoder("Hello hello", languages={"zh": 0.4, "en": 0.35})
    settler.run_one(first)
    assert first.options[0].language == "en", "the language its provisional text was heard in"
    settler.submit(SentenceUnit(1, (1,), "I didn't know you were there.", "en", 1.2, 3.5,
                                finals=(("I didn't know you were there.", 1.2, 3.5),)))
    second = ScriptedDecoder("I didn't know you were there.", languages={"en": 0.9, "zh": 0.02})
    settler.run_one(second)
    assert second.options[0].language == "en"


def test_a_doubled_phrase_in_the_provisional_text_is_settled_away():
    events: list = []
    settler = _settler(events)
    settler.submit(SentenceUnit(0, (0, 1), "fat and sauce sauce", "en", 0.0, 2.0,
                                finals=(("fat and sauce", 0.0, 1.4), ("sauce", 1.5, 2.0))))
    settler.run_one(ScriptedDecoder("fat and sauce."))
    assert events[0].text == "fat and sauce."


def test_a_sentence_decoded_ahead_during_its_pause_settles_from_that_decode_without_a_second_one():
    events: list = []
    settler = _settler(events)
    decoder = ScriptedDecoder("She called his name many times.")
    assert not settler.wants_ahead(UNIT, heard_until=UNIT.end)      # its last words are not all heard yet
    settler.decode_ahead(UNIT, decoder, heard_until=3.0)
    settler.decode_ahead(UNIT, decoder, heard_until=3.2)             # decoded as it is already: not again
    assert len(decoder.options) == 1 and events == []                # nothing is settled before it completes
    settler.submit(UNIT)
    settled = settler.run_one(decoder)
    assert settled.text == "She called his name many times." and events[0].text == settled.text
    assert len(decoder.options) == 1 and settler.settled_from_ahead == 1


def test_a_decode_ahead_is_dropped_when_the_speaker_went_on_and_the_sentence_grew():
    events: list = []
    settler = _settler(events)
    decoder = ScriptedDecoder("She called his name.", "She called his name many times.")
    ahead = SentenceUnit(0, (0,), "She called his name.", "en", 0.0, 1.6, finals=(("She called his name.", 0.0, 1.6),))
    settler.decode_ahead(ahead, decoder, heard_until=2.0)
    settler.submit(UNIT)                                              # a final joined: the sentence is longer
    settler.run_one(decoder)
    assert events[0].text == "She called his name many times."
    assert len(decoder.options) == 2 and settler.settled_from_ahead == 0


def test_nothing_is_decoded_ahead_while_a_complete_sentence_waits_or_when_files_settle_as_heard():
    events: list = []
    settler = _settler(events)
    settler.submit(UNIT)
    later = SentenceUnit(2, (2,), "He came.", "en", 3.0, 3.5, finals=(("He came.", 3.0, 3.5),))
    assert not settler.wants_ahead(later, heard_until=4.0)            # its context is not settled yet
    assert not _settler([], decode_again=False).wants_ahead(later, heard_until=4.0)


def test_stop_keeps_a_sentence_decoded_ahead_and_settles_the_rest_as_heard():
    events: list = []
    settler = _settler(events)
    decoder = ScriptedDecoder("She called his name many times.")
    settler.decode_ahead(UNIT, decoder, heard_until=3.0)
    settler.decode_again = False                                      # Stop: no new decodes
    settler.submit(UNIT)
    later = SentenceUnit(2, (2,), "He came", "en", 3.0, 3.5, finals=(("He came", 3.0, 3.5),))
    settler.submit(later)
    settler.run_all(decoder)
    assert [e.text for e in events] == ["She called his name many times.", "He came"]
    assert len(decoder.options) == 1


class TimedDecoder(ScriptedDecoder):
    """Answers with words at the given times, as Whisper does when its second decode stops early."""

    def __init__(self, words: list[tuple[str, float, float]]) -> None:
        super().__init__()
        self.words = words

    def decode(self, audio: np.ndarray, offset: float, options: DecodeOptions) -> Hypothesis:
        self.options.append(options)
        return Hypothesis(tuple(Word(a, b, " " + w) for w, a, b in self.words), options.language or "en")


def test_a_phrase_the_second_decode_skips_stays_as_heard_in_its_place():
    finals = (("Free of charge to any person", 0.0, 1.8), ("who asks for a copy", 2.2, 3.2),
              ("shall be included in all copies", 3.5, 4.0))
    unit = SentenceUnit(0, (0, 1, 2), " ".join(t for t, _, _ in finals), "en", 0.0, 4.0, finals=finals)
    decoded = [(w, 0.3 * i, 0.3 * i + 0.25) for i, w in enumerate("Free of charge, to any person".split())]
    decoded += [(w, 2.2 + 0.2 * i, 2.4 + 0.2 * i) for i, w in enumerate("who asks for a copy.".split())]
    events: list = []
    settler = _settler(events)
    settler.submit(unit)
    settler.run_one(TimedDecoder(decoded))
    assert events[0].text == "Free of charge, to any person who asks for a copy. shall be included in all copies"
    assert events[0].words[-1] == ("shall be included in all copies", 3.5, 4.0)


def test_a_settled_sentence_that_covers_every_final_adds_nothing():
    decoded = [(w, 0.3 * i, 0.3 * i + 0.25) for i, w in enumerate("She called his name many times.".split())]
    decoded[-2:] = [("many", 2.1, 2.3), ("times.", 2.3, 2.5)]
    events: list = []
    settler = _settler(events)
    settler.submit(UNIT)
    settler.run_one(TimedDecoder(decoded))
    assert events[0].text == "She called his name many times."


def test_a_sentence_is_decoded_without_the_speech_of_the_sentences_before_and_after_it():
    """In continuous speech the pads around a sentence would hear the neighbours' first and last words, and Whisper
    writes them out again ("... I heard a beep. This..." before "This is Diane"): they stop where those begin."""
    events: list = []
    settler = _settler(events)
    settler.submit(SentenceUnit(0, (0,), "I heard a beep.", "en", 1.0, 3.0, finals=(("I heard a beep.", 1.0, 3.0),)))
    settler.submit(SentenceUnit(1, (1,), "This is Diane.", "en", 3.1, 4.5, finals=(("This is Diane.", 3.1, 4.5),)))
    decoder = ScriptedDecoder("I heard a beep.", "This is Diane.")
    settler.run_one(decoder)
    settler.run_one(decoder, next_speech=4.6)
    assert decoder.spans == [(0.8, 3.1), (3.0, 4.6)]


def test_words_decoded_in_the_silence_after_a_sentence_are_dropped_and_a_last_word_in_speech_is_kept():
    """Whisper fills the silence after a short sentence ("Letters of your party's last name. I'm"); a word the live
    decode missed at the end ("many times" heard as "many") lies in speech the gate heard, and stays."""
    events: list = []
    heard = [(0.0, 1.0)]
    settler = SentenceSettler(events.append, _history(), beam_size=5, decode_again=True, spoken_language="en",
                              now=lambda: 1.0, speech_heard=lambda: heard, context_s=0.0)
    settler.submit(SentenceUnit(0, (0,), "Letters of your name.", "en", 0.0, 1.0,
                                finals=(("Letters of your name.", 0.0, 1.0),)))
    settler.run_one(ScriptedDecoder("Letters of your name. I'm"))       # 5 words over 1.3 s: "I'm" at 1.04-1.3
    assert events[-1].text == "Letters of your name."
    heard[:] = [(3.0, 5.3)]
    settler.submit(SentenceUnit(1, (1,), "She called his name many", "en", 3.0, 5.0,
                                finals=(("She called his name many", 3.0, 5.0),)))
    settler.run_one(ScriptedDecoder("She called his name many times"))
    assert events[-1].text == "She called his name many times"


def test_doubled_and_split_words_in_the_provisional_text_do_not_make_a_good_second_decode_look_short():
    """The guard against a dropped phrase counts letters, not words: "Good bye." settled as "Goodbye.", and a
    provisional sentence with a doubled word and an invented phrase settles to the shorter right text."""
    for finals, heard in (
            ((("Good bye.", 1.0, 1.6),), "Goodbye."),
            ((("One Mom, please please We're going to get", 1.5, 3.0), ("Message from phone number", 3.5, 4.88)),
             "One moment please. Message from phone number.")):
        events: list = []
        settler = _settler(events)
        text = " ".join(t for t, _, _ in finals)
        settler.submit(SentenceUnit(0, (0,), text, "en", finals[0][1], finals[-1][2], finals=finals))
        settler.run_one(ScriptedDecoder(heard))
        assert events[0].text == heard
        assert settler.kept_provisional == 0


def test_a_sentence_timed_inside_its_speech_is_decoded_from_where_the_gate_heard_that_speech_begin_and_end():
    """Live word times are a guess (a prompt's one word, "extension", came timed over 0.2 s). In paused speech the sentence's
    audio reaches out to the stretch of speech the gate heard around it; in continuous speech (a stretch that holds
    the neighbouring sentences as well) it does not, and never past the sentences before and after it."""
    unit = SentenceUnit(1, (1,), "extension", "en", 6.54, 6.74, finals=(("extension", 6.54, 6.74),))
    before = SentenceUnit(0, (0,), "Hello there.", "en", 3.0, 4.0, finals=(("Hello there.", 3.0, 4.0),))
    for heard, spans in (([(2.9, 4.1), (6.0, 6.9)], [(5.9, 7.1)]),           # paused: the gate's stretch
                         ([(2.9, 4.1), (6.0, 6.3), (6.32, 6.9)], [(5.9, 7.1)]),   # a dip of one frame is no pause
                         ([(2.9, 9.5)], [(6.34, 7.04)]),                      # continuous: the word times' pads
                         ([(2.9, 4.1), (4.2, 6.9)], [(6.34, 7.1)])):          # speech since the sentence before
        decoder = ScriptedDecoder("Hello there.", "Extension.")
        settler = SentenceSettler([].append, _history(), beam_size=5, decode_again=True, spoken_language="en",
                                  now=lambda: 1.0, speech_heard=lambda heard=heard: heard, context_s=0.0)
        settler.submit(before)
        settler.submit(unit)
        settler.run_all(decoder, next_speech=9.0)
        assert decoder.spans[1:] == spans, heard


def test_the_next_sentences_first_words_heard_in_the_pad_are_left_to_it_but_a_missed_last_word_stays():
    unit = SentenceUnit(0, (0,), "Oh I'm originally from Chicago also.", "en", 0.0, 2.4,
                        finals=(("Oh I'm originally from Chicago also.", 0.0, 2.4),))
    said = "Oh, I'm originally from Chicago also.".split()
    decoded = [(w, 0.4 * i, 0.4 * i + 0.35) for i, w in enumerate(said)] + [("I'm", 2.45, 2.6)]
    events: list = []
    settler = _settler(events)
    settler.submit(unit)
    settler.run_one(TimedDecoder(decoded), next_speech=2.7)
    assert events[0].text == "Oh, I'm originally from Chicago also."

    # the provisional sentence ended with its full stop: what the decode adds after its own is not this sentence's,
    # wherever Whisper placed it
    unit = SentenceUnit(0, (0,), "seguido por la tecla de número.", "es", 0.0, 2.4,
                        finals=(("seguido por la tecla de número.", 0.0, 2.4),))
    decoded = [(w, 0.3 * i, 0.3 * i + 0.25) for i, w in enumerate("seguido por la tecla de número. No,".split())]
    events = []
    settler = _settler(events, spoken="es")
    settler.submit(unit)
    settler.run_one(TimedDecoder(decoded))
    assert events[0].text == "seguido por la tecla de número."

    # "times" was in no final ("many" ended the provisional text): it ends the sentence, and stays
    decoded = [(w, 0.3 * i, 0.3 * i + 0.25) for i, w in enumerate("She called his name".split())]
    decoded += [("many", 2.1, 2.5), ("times.", 2.5, 2.9)]
    events = []
    settler = _settler(events)
    settler.submit(UNIT)
    settler.run_one(TimedDecoder(decoded))
    assert events[0].text == "She called his name many times."


def test_a_sentence_decoded_ahead_through_the_hypothesis_full_stop_settles_from_it_when_its_end_moved_a_little():
    """Continuous speech: the decode ahead ran on the hypothesis's times; the committed words end 0.1 s later."""
    events: list = []
    settler = _settler(events)
    decoder = ScriptedDecoder("She called his name many times.")
    predicted = SentenceUnit(0, (0,), "She called his name many times.", "en", 0.0, 2.4,
                             finals=(("She called his name", 0.0, 1.6), ("many times.", 1.7, 2.4)))
    settler.decode_ahead(predicted, decoder, heard_until=3.0)
    settler.submit(SentenceUnit(0, (0, 1), "She called his name many times.", "en", 0.0, 2.5,
                                finals=(("She called his name", 0.0, 1.6), ("many times.", 1.7, 2.5))))
    settled = settler.run_one(decoder)
    assert settled.text == "She called his name many times." and settled.segment_ids == (0, 1)
    assert len(decoder.options) == 1 and settler.settled_from_ahead == 1


def test_a_sentence_whose_hypothesis_keeps_moving_its_full_stop_is_decoded_ahead_at_most_twice():
    settler = _settler([])
    decoder = ScriptedDecoder("She called.", "She called his name.", "She called his name many times.")
    for end in (1.0, 1.6, 2.5):
        settler.decode_ahead(SentenceUnit(0, (0,), "She called his name", "en", 0.0, end,
                                          finals=(("She called his name", 0.0, end),)), decoder, heard_until=3.0)
    assert len(decoder.options) == 2
    settler.submit(UNIT)                       # ends at 2.5: the last decode ahead (1.6) did not hear all of it
    settler.run_one(decoder)
    assert len(decoder.options) == 3 and settler.settled_from_ahead == 0


def test_a_decode_ahead_says_whether_it_heard_the_sentence_end_where_the_hypothesis_put_it():
    predicted = SentenceUnit(0, (0,), "She called his name.", "en", 0.0, 1.6, finals=(("She called his name.", 0.0, 1.6),))
    ends_there = TimedDecoder([("She", 0.0, 0.3), ("called", 0.35, 0.7), ("his", 0.75, 1.0), ("name.", 1.05, 1.55)])
    assert _settler([]).decode_ahead(predicted, ends_there, heard_until=2.0)
    runs_on = TimedDecoder([("She", 0.0, 0.3), ("called", 0.35, 0.7), ("his", 0.75, 1.0), ("name", 1.05, 1.55),
                            ("many", 1.6, 1.85)])
    assert not _settler([]).decode_ahead(predicted, runs_on, heard_until=2.0)
    stops_early = TimedDecoder([("She", 0.0, 0.3), ("called.", 0.35, 0.7), ("his", 0.75, 1.0), ("name", 1.05, 1.55)])
    assert not _settler([]).decode_ahead(predicted, stops_early, heard_until=2.0)


def test_a_second_decode_that_only_repeats_a_phrase_of_its_prompt_keeps_the_text_heard_live():
    """Whisper reads on in its prompt when it hears too little: a 0.2 s noise heard as "para el" settled as two words
    of the sentence before it. A repeat of the prompt that shares a word with the live text ("de agente" settled as
    "de ajente"), and words that only partly repeat the prompt, are believed."""
    events: list = []
    settler = _settler(events, spoken="es")
    decoder = ScriptedDecoder("¡O tente que hacían de ajente!", "¡O tente", "Por favor, espere.", "de ajente")
    settler.submit(SentenceUnit(0, (0,), "Otenticación de agente.", "es", 0.0, 1.4,
                                finals=(("Otenticación de agente.", 0.0, 1.4),)))
    settler.submit(SentenceUnit(1, (1,), "para el", "es", 1.5, 1.7, finals=(("para el", 1.5, 1.7),)))
    settler.submit(SentenceUnit(2, (2,), "Por favor, espere.", "es", 1.8, 3.0, finals=(("Por favor, espere.", 1.8, 3.0),)))
    settler.submit(SentenceUnit(3, (3,), "de agente", "es", 3.1, 3.6, finals=(("de agente", 3.1, 3.6),)))
    for _ in range(4):
        settler.run_one(decoder)
    assert [o.prompt for o in decoder.options][1] == "¡O tente que hacían de ajente!"
    assert [e.text for e in events] == ["¡O tente que hacían de ajente!", "para el", "Por favor, espere.", "de ajente"]
    assert settler.kept_provisional == 1


def test_a_decode_ahead_in_continuous_speech_hears_none_of_the_next_sentences_words():
    """The gate's stretch of speech ran on past the sentence into the next speaker's first words; the live hypothesis
    showed them after the full stop. Reaching to the stretch's end, the decode heard them and settled them with this
    sentence ("... New Jersey. And I'm shit."), and again with their own."""
    unit = SentenceUnit(4, (4,), "This is Diane in New Jersey.", "en", 12.5, 14.0,
                        finals=(("This is Diane in New Jersey.", 12.5, 14.0),))
    heard = [(12.4, 14.8)]                        # one stretch, with a pause after it
    for follows, span in ((None, (12.3, 15.0)), (14.05, (12.3, 14.05))):
        decoder = ScriptedDecoder("This is Diane in New Jersey.")
        history = AudioHistory(60.0)
        history.append(np.zeros(16_000 * 20, np.float32))
        settler = SentenceSettler([].append, history, beam_size=5, decode_again=True, spoken_language="en",
                                  now=lambda: 1.0, speech_heard=lambda: heard)
        settler.decode_ahead(unit, decoder, heard_until=15.5, follows=follows)
        assert decoder.spans == [span], follows


class ContextDecoder(ScriptedDecoder):
    """Reads a prefix back as Whisper does: the scripted words are what follows it, spread over the audio from
    `said_from` (the session second where the sentence after the prefix starts), in order."""

    def __init__(self, *texts: str, said_from: list[float], read_back: bool = True) -> None:
        super().__init__(*texts)
        self.said_from = list(said_from)
        self.read_back = read_back
        self.detections: list[bool] = []     # full_window of each language detection

    def decode(self, audio: np.ndarray, offset: float, options: DecodeOptions) -> Hypothesis:
        heard = super().decode(audio, offset, options)
        start = self.said_from.pop(0)
        if options.prefix is None:
            return heard
        if not self.read_back:
            return Hypothesis((), heard.language, prefix_read=False)
        end = offset + len(audio) / 16_000
        step = (end - start) / max(len(heard.words), 1)
        return Hypothesis(tuple(Word(start + i * step, start + (i + 1) * step, w.text) for i, w in enumerate(heard.words)),
                          heard.language)

    def detect_language(self, audio: np.ndarray, full_window: bool = False) -> dict[str, float]:
        self.detections.append(full_window)
        return super().detect_language(audio, full_window)


def test_a_sentence_is_decoded_after_the_settled_sentences_just_before_it_with_their_text_as_prefix():
    """Whisper reads a short sentence better with what was said before it (offline on the real corpus: 315 -> 274
    errors): their audio comes first in the decode, and their settled text is its prefix."""
    events: list = []
    settler = _settler(events, seconds=30, context_s=10.0)
    decoder = ContextDecoder("She called his name many times.", "He came.", "Then he left.",
                             said_from=[0.0, 3.0, 16.0])
    for unit in (UNIT, SentenceUnit(2, (2,), "He came", "en", 3.0, 3.5, finals=(("He came", 3.0, 3.5),)),
                 SentenceUnit(3, (3,), "Then he left", "en", 16.0, 17.0, finals=(("Then he left", 16.0, 17.0),))):
        settler.submit(unit)
        settler.run_one(decoder)     # each settled as it completes
    assert [e.text for e in events] == ["She called his name many times.", "He came.", "Then he left."]
    first, second, third = decoder.options
    assert first.prefix is None and third.prefix is None          # nothing before; 13 s after the others began
    assert second.prefix == "She called his name many times." and second.prompt is None
    assert decoder.spans[1] == (0.0, 3.8)                         # from the first sentence's audio to its own end
    assert [w[1] for w in events[1].words] == [3.0, 3.4]


def test_sentences_in_another_language_are_not_a_sentences_context():
    events: list = []
    settler = _settler(events, spoken=None, context_s=10.0)
    decoder = ContextDecoder("Il est parti.", "He came.", said_from=[0.0, 3.0])
    settler.submit(SentenceUnit(0, (0,), "Il est parti", "fr", 0.0, 2.0, finals=(("Il est parti", 0.0, 2.0),)))
    settler.submit(SentenceUnit(1, (1,), "He came", "en", 3.0, 3.5, finals=(("He came", 3.0, 3.5),)))
    settler.run_all(decoder)
    assert [o.prefix for o in decoder.options] == [None, None] and events[1].text == "He came."
    # each language heard in the full window: the decode that follows encodes the same audio, and reuses that work
    assert decoder.detections == [True, True]
    # in the same language, the second is decoded with the first: its language is heard in a short window, as the
    # decode encodes other audio anyway
    events.clear()
    settler = _settler(events, spoken=None, context_s=10.0)
    decoder = ContextDecoder("She went.", "He came.", said_from=[0.0, 3.0])
    settler.submit(SentenceUnit(0, (0,), "She went", "en", 0.0, 2.0, finals=(("She went", 0.0, 2.0),)))
    settler.submit(SentenceUnit(1, (1,), "He came", "en", 3.0, 3.5, finals=(("He came", 3.0, 3.5),)))
    settler.run_all(decoder)
    assert [o.prefix for o in decoder.options] == [None, "She went."] and decoder.detections == [True, False]


def test_a_decode_that_did_not_read_back_its_prefix_is_done_again_alone():
    events: list = []
    settler = _settler(events, context_s=10.0)
    decoder = ContextDecoder("She called his name many times.", "", "He came.", said_from=[0.0, 3.0, 3.0],
                             read_back=False)
    settler.submit(UNIT)
    settler.submit(SentenceUnit(2, (2,), "He came", "en", 3.0, 3.5, finals=(("He came", 3.0, 3.5),)))
    settler.run_all(decoder)
    assert [o.prefix is not None for o in decoder.options] == [False, True, False]
    assert events[1].text == "He came."


def test_a_sentence_after_a_long_pause_is_decoded_alone():
    """After a long silence the sentence before is another thought (or another reading): it misled the decode."""
    events: list = []
    settler = _settler(events, context_s=10.0)
    decoder = ContextDecoder("She called his name many times.", "He came.", said_from=[0.0, 5.0])
    settler.submit(UNIT)
    settler.submit(SentenceUnit(2, (2,), "He came", "en", 5.0, 5.5, finals=(("He came", 5.0, 5.5),)))
    settler.run_all(decoder)
    assert [o.prefix for o in decoder.options] == [None, None] and events[1].text == "He came."


def test_a_settle_pass_that_fell_behind_settles_alone_until_it_catches_up():
    """The prefix costs decoding time: while another sentence waits, one is settled alone (the ASR thread then
    catches up, and has the pauses again that it decodes ahead in)."""
    events: list = []
    settler = _settler(events, context_s=10.0)
    decoder = ContextDecoder("She called his name many times.", "He came.", "He sat.", said_from=[0.0, 3.0, 4.0])
    settler.submit(UNIT)
    settler.run_one(decoder)
    settler.submit(SentenceUnit(2, (2,), "He came", "en", 3.0, 3.5, finals=(("He came", 3.0, 3.5),)))
    settler.submit(SentenceUnit(3, (3,), "He sat", "en", 4.0, 4.5, finals=(("He sat", 4.0, 4.5),)))
    settler.run_all(decoder)
    assert [o.prefix for o in decoder.options] == [None, None, "She called his name many times. He came."]
    assert [e.text for e in events] == ["She called his name many times.", "He came.", "He sat."]


def _assert_decoded_again_alone_after_heard_with_prefix(heard: str) -> None:
    """The sentence "At least you know they all call me a Yankee" after a settled one, heard after its prefix as
    `heard`: it is decoded again alone, and settles as that decode heard it."""
    events: list = []
    settler = _settler(events, context_s=10.0)
    decoder = ContextDecoder("She called his name many times.", heard,
                             "At least, you know, they all call me a Yankee.", said_from=[0.0, 3.0, 3.0])
    settler.submit(UNIT)
    settler.run_one(decoder)
    settler.submit(SentenceUnit(2, (2,), "At least you know they all call me a Yankee", "en", 3.0, 6.0,
                                finals=(("At least you know they all call me a Yankee", 3.0, 6.0),)))
    settler.run_one(decoder)
    assert [o.prefix is not None for o in decoder.options] == [False, True, False]
    assert events[1].text == "At least, you know, they all call me a Yankee."


def test_a_decode_after_a_prefix_that_skipped_the_sentences_first_words_is_done_again_alone():
    """After a prefix Whisper may read on from the sentence's third word ("They all call me a Yankee" for "At least,
    you know, they all call me a Yankee"): a decode that leaves out the sentence's first words is not believed."""
    events: list = []
    settler = _settler(events, context_s=10.0)
    decoder = ContextDecoder("She called his name many times.", "came.", "He came.", said_from=[0.0, 3.6, 3.0])
    settler.submit(UNIT)
    settler.run_one(decoder)
    settler.submit(SentenceUnit(2, (2,), "He came", "en", 3.0, 4.0, finals=(("He came", 3.0, 4.0),)))
    settler.run_one(decoder)
    assert [o.prefix is not None for o in decoder.options] == [False, True, False]
    assert events[1].text == "He came."

    # ...also when the first word it read is stretched back over those it skipped: the text shows it, not the times
    _assert_decoded_again_alone_after_heard_with_prefix("they all call me a Yankee.")


def test_a_decode_after_a_prefix_that_left_out_a_phrase_of_the_sentence_is_done_again_alone():
    """After a prefix Whisper may also leave out a phrase inside the sentence ("At least, they all call me" for "At
    least, you know, they all call me"), its alignment stretching the words around it."""
    _assert_decoded_again_alone_after_heard_with_prefix("At least, they all call me a Yankee.")


def test_a_decode_after_a_prefix_that_reads_words_of_the_prefix_back_is_done_again_alone():
    """Whisper may read its prefix back inside the new sentence, every word the live decode heard kept: those words
    were never said there."""
    _assert_decoded_again_alone_after_heard_with_prefix("At least, you know, his name many times, they all call me a "
                                                       "Yankee.")


def test_the_first_words_or_a_short_phrase_the_second_decode_left_out_stay_as_heard_in_their_place():
    """Whisper's beam search drops what a speaker says on the way; the words the user saw stay. A longer run, the
    sentence's last words, or a doubled word are more often the live decode's invention, and are settled away."""
    for provisional, heard, settled in (
            ("Okay I thought you know I heard a deep", "I thought I heard a beep.",
             "Okay I thought you know I heard a beep."),
            ("And I'm Sheila from Chicago", "I'm Sheila from Chicago.", "And I'm Sheila from Chicago."),
            ("She called his name many times thank you", "She called his name many times.",
             "She called his name many times."),
            ("One Mom, please please We're going to get Message from phone number",
             "One moment please. Message from phone number.", "One moment please. Message from phone number."),
            ("fat and sauce sauce", "fat and sauce.", "fat and sauce.")):
        events: list = []
        settler = _settler(events)
        settler.submit(SentenceUnit(0, (0,), provisional, "en", 0.0, 3.0, finals=((provisional, 0.0, 3.0),)))
        settler.run_one(ScriptedDecoder(heard))
        assert events[0].text == settled, provisional
        times = [(start, end) for _, start, end in events[0].words]
        assert all(a <= b for a, b in times) and times == sorted(times)     # put back between their neighbours
        assert len(events[0].words) == len(settled.split())


def test_a_decode_after_a_prefix_that_read_every_word_is_believed_though_it_times_the_first_one_late():
    """Without timestamps Whisper's alignment may put the first word after a prefix late ("Oh, I'm originally from
    Chicago also.", the phone call): the text, not the times, says whether it skipped something."""
    events: list = []
    settler = _settler(events, context_s=10.0)
    decoder = ContextDecoder("She called his name many times.", "He came.", said_from=[0.0, 3.7])
    settler.submit(UNIT)
    settler.run_one(decoder)
    settler.submit(SentenceUnit(2, (2,), "He came", "en", 3.0, 4.0, finals=(("He came", 3.0, 4.0),)))
    settler.run_one(decoder)
    assert [o.prefix is not None for o in decoder.options] == [False, True]
    assert events[1].text == "He came."
