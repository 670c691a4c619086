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
from voicedesk.session.transcript import Segment, Session


def final(segment_id: int, text: str, start: float, end: float, language: str = "en") -> FinalSegment:
    return FinalSegment(segment_id=segment_id, text=text, start=start, end=end, language=language)


def translation(segment_id: int, text: str, target: str = "es") -> Translation:
    return Translation(segment_id=segment_id, text=text, source_language="en", target_language=target)


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
