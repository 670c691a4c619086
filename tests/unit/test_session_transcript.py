"""The Session model fed with real engine event objects, from one thread and from several."""

from __future__ import annotations

import random
import threading

import pytest

from voicedesk.engine.events import (
    AudioLevel,
    EngineError,
    EngineState,
    ErrorKind,
    FinalSegment,
    Lag,
    Partial,
    Status,
    Translation,
)
from voicedesk.session.transcript import Segment, Sentence, Session, group_sentences, segment_events


def final(segment_id: int, text: str, start: float, end: float, language: str = "en",
          sentence_id: int = -1) -> FinalSegment:
    return FinalSegment(segment_id=segment_id, text=text, start=start, end=end, language=language,
                        sentence_id=sentence_id)


def translation(segment_id: int, text: str, target: str = "es", covers: tuple[int, ...] = (),
                engine: str = "") -> Translation:
    return Translation(segment_id=segment_id, text=text, source_language="en", target_language=target,
                       segment_ids=covers, engine=engine)


# One sentence said with two pauses: three finals that share the first one's id.
PAUSED_SENTENCE = [
    final(4, " And so, my fellow Americans,", 10.0, 12.0, sentence_id=4),
    final(5, " ask not what your country can do for you,", 13.0, 15.5, sentence_id=4),
    final(6, " ask what you can do for your country.", 16.5, 19.0, sentence_id=4),
]
PAUSED_TRANSLATION = translation(
    4, "Así que, compatriotas: no preguntéis qué puede hacer vuestro país por vosotros, "
       "preguntad qué podéis hacer vosotros por vuestro país.", covers=(4, 5, 6), engine="argos")


def test_segments_come_out_ordered_by_start_then_id_whatever_the_arrival_order():
    session = Session()
    session.apply(final(3, "third", 4.0, 5.0))
    session.apply(final(1, "first", 0.0, 1.0))
    session.apply(final(7, "same start, higher id", 2.0, 3.0))
    session.apply(final(2, "same start, lower id", 2.0, 3.5))

    assert [s.segment_id for s in session.segments()] == [1, 2, 7, 3]


def test_final_segment_keeps_its_text_times_and_language():
    session = Session()
    changed = session.apply(final(0, "Las arenas son blanquecinas.", 1.25, 3.5, "es"))

    assert changed == Segment(0, 1.25, 3.5, "Las arenas son blanquecinas.", "es", None, None)
    assert session.segment(0) == changed
    assert session.segment(99) is None


def test_translation_is_attached_to_its_segment():
    session = Session()
    session.apply(final(0, "Ask not what your country can do for you.", 0.0, 3.0))
    changed = session.apply(translation(0, "No preguntes qué puede hacer tu país por ti."))

    assert changed is not None
    assert session.segment(0).translation == "No preguntes qué puede hacer tu país por ti."
    assert session.segment(0).translation_language == "es"
    assert session.segment(0).text == "Ask not what your country can do for you."


def test_translation_arriving_before_its_segment_is_attached_when_the_segment_arrives():
    session = Session()
    assert session.apply(translation(5, "Hola")) is None
    assert session.is_empty  # a waiting translation is not a segment yet

    session.apply(final(5, "Hello", 1.0, 2.0))

    assert session.segment(5).translation == "Hola"
    assert session.segment(5).translation_language == "es"


def test_events_other_than_finals_and_translations_are_ignored():
    session = Session()
    events = [
        Status(EngineState.LISTENING),
        AudioLevel(0.0, 0.1, rms=0.1, peak=0.5, is_speech=True),
        Partial(segment_id=0, text="provisional", start=0.0, end=1.0, language="en"),
        Lag(seconds=0.4),
        EngineError(ErrorKind.DEVICE, "Microphone disappeared"),
    ]
    for event in events:
        assert session.apply(event) is None

    assert session.is_empty
    assert session.segments() == []
    assert not session.has_unexported_changes


def test_unexported_changes_follow_arrivals_and_exports():
    session = Session()
    assert not session.has_unexported_changes  # nothing to lose yet

    session.apply(final(0, "Hello", 0.0, 1.0))
    assert session.has_unexported_changes
    session.mark_exported()
    assert not session.has_unexported_changes

    session.apply(translation(0, "Hola"))
    assert session.has_unexported_changes  # the translation was not in the export


def test_a_change_during_an_export_stays_unexported():
    session = Session()
    session.apply(final(0, "Hello", 0.0, 1.0))
    snapshot = session.snapshot()
    session.apply(final(1, "arrived while the file was being written", 1.0, 2.0))

    session.mark_exported(snapshot.revision)

    assert [s.segment_id for s in snapshot.segments] == [0]
    assert session.has_unexported_changes


def test_clear_empties_the_session_and_forgets_waiting_translations():
    session = Session()
    session.apply(final(0, "Hello", 0.0, 1.0))
    session.apply(translation(1, "stale translation of the old session"))

    session.clear()

    assert session.is_empty
    assert len(session) == 0
    assert not session.has_unexported_changes
    session.apply(final(1, "new session, same id", 0.0, 1.0))
    assert session.segment(1).translation is None


def test_from_segments_reloads_in_order_with_nothing_unexported():
    saved = [
        Segment(2, 5.0, 6.0, "later", "en", "después", "es"),
        Segment(1, 0.0, 1.0, "earlier", "en", None, None),
    ]
    session = Session.from_segments(saved)

    assert session.segments() == [saved[1], saved[0]]
    assert not session.is_empty
    assert not session.has_unexported_changes

    session.apply(translation(1, "antes"))
    assert session.segment(1).translation == "antes"
    assert session.has_unexported_changes


def test_from_segments_rejects_duplicate_ids():
    with pytest.raises(ValueError, match="duplicate segment id 1"):
        Session.from_segments([Segment(1, 0, 1, "a", "en"), Segment(1, 1, 2, "b", "en")])


def test_a_repeated_final_replaces_the_segment_and_drops_a_translation_of_other_text():
    session = Session()
    session.apply(final(0, "Hello", 0.0, 1.0))
    session.apply(translation(0, "Hola"))

    session.apply(final(0, "Hello", 0.0, 1.2))
    assert session.segment(0).translation == "Hola"  # same text: its translation still holds
    assert session.segment(0).end == 1.2

    session.apply(final(0, "Yellow", 0.0, 1.2))
    assert session.segment(0).text == "Yellow"
    assert session.segment(0).translation is None
    assert len(session) == 1


def test_finals_and_translations_from_several_threads_all_land_matched():
    count = 400
    finals = [final(i, f"segment {i}", i * 0.5, i * 0.5 + 0.4) for i in range(count)]
    translations = [translation(i, f"segmento {i}") for i in range(count)]
    random.Random(7).shuffle(translations)  # many translations overtake their segment
    session = Session()
    barrier = threading.Barrier(4)

    def feed(events):
        barrier.wait()
        for event in events:
            session.apply(event)
            session.segments()  # readers run while writers write

    threads = [
        threading.Thread(target=feed, args=(finals[0::2],)),
        threading.Thread(target=feed, args=(finals[1::2],)),
        threading.Thread(target=feed, args=(translations[0::2],)),
        threading.Thread(target=feed, args=(translations[1::2],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    segments = session.segments()
    assert [s.segment_id for s in segments] == list(range(count))
    assert all(s.translation == f"segmento {s.segment_id}" for s in segments)


# --- sentences (schema 2) ----------------------------------------------------------------


def test_a_sentence_said_with_pauses_is_one_sentence_with_its_translation_on_the_first_segment():
    session = Session()
    for event in PAUSED_SENTENCE:
        session.apply(event)
    changed = session.apply(PAUSED_TRANSLATION)

    assert changed == session.segment(4)
    assert [s.sentence_id for s in session.segments()] == [4, 4, 4]
    assert session.segment(4).translation == PAUSED_TRANSLATION.text
    assert session.segment(4).translation_engine == "argos"
    assert session.segment(5).translation is None and session.segment(6).translation is None

    assert session.sentences() == [Sentence(
        sentence_id=4,
        segment_ids=(4, 5, 6),
        start=10.0,
        end=19.0,
        text="And so, my fellow Americans, ask not what your country can do for you, "
             "ask what you can do for your country.",
        language="en",
        translation=PAUSED_TRANSLATION.text,
        translation_language="es",
        translation_engine="argos",
    )]


@pytest.mark.parametrize("finals_before", [0, 1, 2])
def test_a_sentence_translation_that_overtakes_its_finals_waits_for_the_first_one(finals_before):
    session = Session()
    for event in PAUSED_SENTENCE[1:][:finals_before]:      # later parts may already be here
        session.apply(event)
    assert session.apply(PAUSED_TRANSLATION) is None        # the anchor has not arrived

    for event in [PAUSED_SENTENCE[0]] + PAUSED_SENTENCE[1:][finals_before:]:
        session.apply(event)

    [sentence] = session.sentences()
    assert sentence.segment_ids == (4, 5, 6)
    assert sentence.translation == PAUSED_TRANSLATION.text
    assert [s.translation is not None for s in session.segments()] == [True, False, False]


def test_the_translation_names_the_sentence_even_when_the_finals_did_not():
    # Finals of an older engine (or replayed without sentence ids) each start a sentence.
    session = Session()
    session.apply(final(5, "ask not", 13.0, 15.5))
    session.apply(translation(5, "stale: translated alone"))
    session.apply(PAUSED_TRANSLATION)
    session.apply(final(4, "And so,", 10.0, 12.0))
    session.apply(final(6, "ask what", 16.5, 19.0))

    assert [s.sentence_id for s in session.segments()] == [4, 4, 4]
    assert session.segment(5).translation is None            # no longer a sentence of its own
    assert [s.segment_ids for s in session.sentences()] == [(4, 5, 6)]


def test_sentences_come_out_ordered_by_start_with_single_spaces_between_parts():
    session = Session()
    session.apply(final(2, "  Second sentence. ", 5.0, 6.0))
    session.apply(final(0, " First", 0.0, 1.0))
    session.apply(final(1, "  sentence. ", 1.5, 2.0, sentence_id=0))

    assert [(s.sentence_id, s.text) for s in session.sentences()] == [
        (0, "First sentence."), (2, "Second sentence."),
    ]
    assert session.snapshot().sentences == tuple(session.sentences())


def test_segments_whose_first_segment_is_missing_form_sentences_of_their_own():
    # e.g. a journal whose anchor final was torn off: nothing is dropped or attached elsewhere
    segments = [
        Segment(7, 0.0, 1.0, "unrelated", "en"),
        Segment(8, 2.0, 3.0, "second part", "en", sentence_id=3),
        Segment(9, 3.5, 4.0, "third part", "en", sentence_id=3),
    ]

    sentences = group_sentences(segments)

    assert [(s.sentence_id, s.segment_ids, s.text) for s in sentences] == [
        (7, (7,), "unrelated"), (8, (8,), "second part"), (9, (9,), "third part"),
    ]


def test_a_changed_part_of_a_sentence_drops_the_sentence_translation():
    session = Session()
    for event in PAUSED_SENTENCE:
        session.apply(event)
    session.apply(PAUSED_TRANSLATION)

    session.apply(PAUSED_SENTENCE[1])                          # repeated, same text: still valid
    assert session.segment(4).translation == PAUSED_TRANSLATION.text

    session.apply(final(5, " ask what your country can do", 13.0, 15.5, sentence_id=4))
    assert session.segment(4).translation is None
    assert session.sentences()[0].translation is None


def test_segment_events_rebuild_the_same_segments_sentence_by_sentence():
    session = Session()
    session.apply(final(0, "Hello.", 0.0, 1.0))
    session.apply(translation(0, "Hola.", engine="whisper"))
    for event in PAUSED_SENTENCE:
        session.apply(event)
    session.apply(PAUSED_TRANSLATION)

    events = segment_events(session.segments())
    rebuilt = Session()
    for event in events:
        rebuilt.apply(event)

    assert [type(e).__name__ for e in events] == ["FinalSegment", "Translation"] + ["FinalSegment"] * 3 + [
        "Translation"]
    assert events[-1].segment_ids == (4, 5, 6) and (events[-1].start, events[-1].end) == (10.0, 19.0)
    assert rebuilt.segments() == session.segments()


def test_sentences_and_their_translations_from_several_threads_all_land_matched():
    finals, translations = [], []
    for n in range(150):                                        # sentences of 1, 2 or 3 finals
        first = len(finals)
        for part in range(n % 3 + 1):
            i = first + part
            finals.append(final(i, f"part {i}", i * 0.5, i * 0.5 + 0.4, sentence_id=first))
        translations.append(translation(first, f"frase {first}", covers=tuple(range(first, len(finals)))))
    random.Random(11).shuffle(translations)
    session = Session()

    threads = [threading.Thread(target=lambda evs=evs: [session.apply(e) for e in evs])
               for evs in (finals[0::2], finals[1::2], translations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    sentences = session.sentences()
    assert [s.segment_ids for s in sentences] == [t.segment_ids for t in sorted(translations, key=lambda t: t.segment_id)]
    assert all(s.translation == f"frase {s.sentence_id}" for s in sentences)
