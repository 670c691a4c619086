"""TranslationWorker with real argostranslate and the random-weight test packages (es→en, en→de, en→es).

Translations are gibberish by construction: the tests check order, routing, fields and errors.
"""

from __future__ import annotations

import threading

import pytest

from voicedesk.engine.events import EngineError, ErrorKind, FinalSegment, Translation
from voicedesk.engine.translation import TranslationWorker, find_route

pytest_plugins = ["testkit.argos_package"]

LINES = {
    "es": ["Hola a todos.", "¿Dónde está la estación?", "Me gusta mucho este libro.", "Hasta mañana."],
    "en": ["Good morning everyone.", "Where is the station?", "I like this book a lot.", "See you tomorrow."],
    "de": ["Guten Morgen.", "Wo ist der Bahnhof?"],
    "fr": ["Bonjour à tous."],
}


def segment(segment_id: int, language: str, text: str | None = None) -> FinalSegment:
    text = text if text is not None else LINES[language][segment_id % len(LINES[language])]
    return FinalSegment(segment_id, " " + text, start=2.0 * segment_id, end=2.0 * segment_id + 1.5, language=language)


class Recorder:
    """A thread-safe event sink."""

    def __init__(self) -> None:
        self.events: list[object] = []
        self._lock = threading.Lock()

    def __call__(self, event: object) -> None:
        with self._lock:
            self.events.append(event)

    def translations(self) -> list[Translation]:
        return [e for e in self.events if isinstance(e, Translation)]

    def errors(self) -> list[EngineError]:
        return [e for e in self.events if isinstance(e, EngineError)]


def test_worker_emits_one_translation_per_segment_in_submission_order(argos_home):
    sink = Recorder()
    worker = TranslationWorker(sink, target="en")
    segments = [segment(i, "es") for i in range(8)]

    for seg in segments:
        worker.submit(seg)
    assert worker.close(timeout=60)

    out = sink.translations()
    assert [t.segment_id for t in out] == list(range(8))
    assert sink.errors() == []
    for seg, t in zip(segments, out):
        assert (t.source_language, t.target_language) == ("es", "en")
        assert (t.start, t.end) == (seg.start, seg.end)
        # Same model, same input: the worker's text is what the route gives for the stripped segment.
        assert t.text == find_route("es", "en").translate(seg.text.strip())
    assert [t.emitted_at for t in out] == sorted(t.emitted_at for t in out)


def test_auto_source_uses_each_segments_language_and_pivots_when_needed(argos_home):
    sink = Recorder()
    with TranslationWorker(sink, target="de", source="auto") as worker:
        worker.submit(segment(0, "es"))
        worker.submit(segment(1, "en"))
        worker.submit(segment(2, "es"))

    out = sink.translations()
    assert [(t.segment_id, t.source_language) for t in out] == [(0, "es"), (1, "en"), (2, "es")]
    assert out[0].text == find_route("es", "de").translate(LINES["es"][0])
    assert find_route("es", "de").via == ("en",)
    assert out[1].text == find_route("en", "de").translate(LINES["en"][1])


def test_fixed_source_overrides_the_segments_detected_language(argos_home):
    sink = Recorder()
    with TranslationWorker(sink, target="en", source="es") as worker:
        worker.submit(segment(0, "en", "Hola a todos."))  # detector got it wrong; the user said Spanish

    [t] = sink.translations()
    assert t.source_language == "es"


def test_missing_pair_emits_one_error_per_pair_and_the_worker_keeps_going(argos_home):
    sink = Recorder()
    with TranslationWorker(sink, target="es") as worker:
        for i, language in enumerate(["de", "en", "de", "fr", "en", "de", "fr", "en"]):
            worker.submit(segment(i, language))

    errors = sink.errors()
    assert len(errors) == 2
    assert all(e.kind is ErrorKind.TRANSLATION and not e.fatal for e in errors)
    assert "de→es" in errors[0].message and "fr→es" in errors[1].message
    assert [t.segment_id for t in sink.translations()] == [1, 4, 7]


def test_segment_already_in_the_target_language_passes_through_unchanged(argos_home):
    sink = Recorder()
    with TranslationWorker(sink, target="en") as worker:
        worker.submit(segment(0, "en"))
        worker.submit(segment(1, "de"))  # no de→en package, but English itself needs none

    [t] = sink.translations()
    assert (t.segment_id, t.text, t.source_language, t.target_language) == (0, LINES["en"][0], "en", "en")
    assert len(sink.errors()) == 1


def test_set_target_applies_to_segments_submitted_after_it(argos_home):
    sink = Recorder()
    with TranslationWorker(sink, target="en") as worker:
        worker.submit(segment(0, "es"))
        worker.set_target("de")
        worker.submit(segment(1, "es"))
        worker.set_target(None)
        worker.submit(segment(2, "es"))  # translation switched off: no event
        worker.set_target("en")
        worker.submit(segment(3, "es"))

    assert [(t.segment_id, t.target_language) for t in sink.translations()] == [(0, "en"), (1, "de"), (3, "en")]


@pytest.mark.timeout(60)
def test_submit_returns_while_the_worker_is_stuck_and_nothing_is_dropped(argos_home):
    release = threading.Event()
    sink = Recorder()

    def slow_sink(event: object) -> None:
        release.wait()  # hold the worker inside its first emit
        sink(event)

    worker = TranslationWorker(slow_sink, target="en", backlog_warning=10)
    for i in range(40):
        worker.submit(segment(i, "es"))  # would deadlock here if submit waited for the worker
    assert worker.pending >= 38
    release.set()
    assert worker.close(timeout=60)

    assert [t.segment_id for t in sink.translations()] == list(range(40))
    [warning] = sink.errors()
    assert "falling behind" in warning.message and not warning.fatal


def test_close_without_drain_discards_what_is_queued(argos_home):
    release = threading.Event()
    sink = Recorder()

    def slow_sink(event: object) -> None:
        release.wait()
        sink(event)

    worker = TranslationWorker(slow_sink, target="en")
    for i in range(10):
        worker.submit(segment(i, "es"))
    assert not worker.close(timeout=0, drain=False)  # the worker is held in its first emit
    release.set()
    assert worker.close(timeout=60)

    assert len(sink.translations()) <= 1
    with pytest.raises(RuntimeError):
        worker.submit(segment(11, "es"))


def test_a_failing_sink_does_not_stop_the_worker(argos_home):
    seen: list[int] = []

    def flaky_sink(event: object) -> None:
        assert isinstance(event, Translation)
        if event.segment_id == 0:
            raise ValueError("consumer bug")
        seen.append(event.segment_id)

    with TranslationWorker(flaky_sink, target="en") as worker:
        for i in range(3):
            worker.submit(segment(i, "es"))

    assert seen == [1, 2]


def test_empty_segment_text_gives_an_empty_translation(argos_home):
    sink = Recorder()
    with TranslationWorker(sink, target="en") as worker:
        worker.submit(segment(0, "es", "   "))

    [t] = sink.translations()
    assert t.text == ""
