"""A worker thread that translates final segments, in order, and emits Translation events."""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional

from voicedesk.engine.events import EngineError, ErrorKind, Event, EventSink, FinalSegment, Translation, TranslationEngine
from voicedesk.engine.translation.routes import (
    Route,
    TranslationError,
    find_route,
    normalize_code,
)
from voicedesk.i18n import reason_of, translate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Job:
    segment_ids: tuple[int, ...]
    text: str
    language: str                        # what was spoken ("" or "auto": not known)
    start: float
    end: float
    target: str
    text_language: Optional[str] = None  # the language of `text` when it is not the spoken one (Whisper's English)
    engine: str = TranslationEngine.ARGOS.value


_STOP = object()


class TranslationWorker:
    """Translates submitted final segments on its own thread and emits events to `sink` in submission order.

    Queue policy: `submit` never blocks and never drops. Finals are a few hundred bytes of text, so
    the queue grows instead: dropping would lose a translation for good, and blocking would stall
    the speech recognizer that calls `submit`. When more than `backlog_warning` segments wait, one
    non-fatal EngineError says translation is falling behind (again only after the queue drained).

    `source` is a language code, or "auto"/None to take each segment's own detected language.
    The target is captured when a segment is submitted, so `set_target` affects later segments;
    with no target, segments are not translated. A segment already in the target language is
    passed through unchanged (so both panes stay aligned). A pair that cannot be translated emits
    one EngineError(kind=TRANSLATION) the first time it is met and the worker carries on.
    """

    def __init__(
        self,
        sink: EventSink,
        target: Optional[str] = None,
        *,
        source: Optional[str] = "auto",
        clock: Optional[Callable[[], float]] = None,
        backlog_warning: int = 32,
    ) -> None:
        self._sink = sink
        self._source = normalize_code(source)
        self._target = normalize_code(target)
        if clock is None:
            started = time.monotonic()
            clock = lambda: time.monotonic() - started  # noqa: E731
        self._clock = clock
        self._backlog_warning = backlog_warning
        self._queue: "queue.SimpleQueue[object]" = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        self._discard = False
        self._reported: set[tuple[str, str]] = set()
        self._warned_backlog = False
        self._routes: dict[tuple[str, str], Route] = {}
        self._thread = threading.Thread(target=self._run, name="voicedesk-translate", daemon=True)
        self._thread.start()

    @property
    def target(self) -> Optional[str]:
        return self._target

    @property
    def pending(self) -> int:
        """Segments submitted and not yet handled (approximate while the worker runs)."""
        return self._queue.qsize()

    def set_target(self, code: Optional[str]) -> None:
        """Translate segments submitted from now on into `code`; None stops translating."""
        with self._lock:
            self._target = normalize_code(code)

    def submit(self, segment: FinalSegment) -> None:
        """Queue a final segment for translation into the current target; returns at once."""
        self.submit_text((segment.segment_id,), segment.text, segment.language, segment.start, segment.end)

    def submit_text(self, segment_ids: tuple[int, ...], text: str, language: str, start: float, end: float, *,
                    target: Optional[str] = None, text_language: Optional[str] = None,
                    engine: TranslationEngine = TranslationEngine.ARGOS) -> None:
        """Queue the text of the finals `segment_ids` (a sentence) for translation; returns at once.

        `target` defaults to the worker's current one; `text_language` names the language of `text`
        when it is not the spoken `language` (Whisper's English on the way to another language).
        """
        with self._lock:
            if self._closed:
                raise RuntimeError("TranslationWorker.submit() after close()")
            target = normalize_code(target) or self._target
        if target is not None:
            self._queue.put(_Job(tuple(segment_ids), text, language, start, end, target, text_language,
                                 TranslationEngine(engine).value))

    def close(self, timeout: Optional[float] = 10.0, *, drain: bool = True) -> bool:
        """Stop after translating what is queued (or discarding it with drain=False); True once stopped."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._discard = not drain
                self._queue.put(_STOP)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def __enter__(self) -> "TranslationWorker":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is _STOP:
                return
            if self._discard:
                continue
            assert isinstance(job, _Job)
            self._warn_if_behind()
            try:
                self._translate(job)
            except Exception:  # the worker must outlive any bug in one segment
                log.exception("translation of segments %s failed", job.segment_ids)

    def _warn_if_behind(self) -> None:
        waiting = self._queue.qsize()
        if waiting == 0:
            self._warned_backlog = False
        elif waiting > self._backlog_warning and not self._warned_backlog:
            self._warned_backlog = True
            message = translate("Translation", "Translation is falling behind: {count} segments are waiting").format(
                count=waiting)
            self._emit(EngineError(ErrorKind.TRANSLATION, message, emitted_at=self._clock()))

    def _translate(self, job: _Job) -> None:
        spoken = self._source or normalize_code(job.language)
        source = normalize_code(job.text_language) or spoken
        if source is None:
            self._report_once(("", job.target), translate(
                "Translation", "Cannot translate: the spoken language was not detected"))
            return
        route = self._route(source, job.target)
        if route is None:
            return
        text = job.text.strip()
        try:
            translated = route.translate(text) if text else ""
        except Exception as exc:  # CTranslate2 or tokenizer failure inside a package
            log.exception("Argos translation %s→%s failed", source, job.target)
            self._report_once((source, job.target), translate(
                "Translation", "Translation {pair} failed: {reason}").format(
                pair=f"{source}\u2192{job.target}", reason=reason_of(exc)))
            return
        engine = TranslationEngine.IDENTITY.value if route.is_identity and job.text_language is None else job.engine
        self._emit(
            Translation(
                segment_id=job.segment_ids[0],
                text=translated,
                source_language=spoken or source,
                target_language=job.target,
                start=job.start,
                end=job.end,
                emitted_at=self._clock(),
                segment_ids=job.segment_ids,
                engine=engine,
            )
        )

    def _route(self, source: str, target: str) -> Optional[Route]:
        key = (source, target)
        route = self._routes.get(key)
        if route is not None:
            return route
        try:
            route = find_route(source, target)
        except TranslationError as exc:  # pair not installed, or the package folder is unreadable
            # Not cached: a package installed later makes the pair work without a restart.
            self._report_once(key, reason_of(exc))
            return None
        self._routes[key] = route
        return route

    def _report_once(self, key: tuple[str, str], message: str) -> None:
        if key in self._reported:
            return
        self._reported.add(key)
        self._emit(EngineError(ErrorKind.TRANSLATION, message, fatal=False, emitted_at=self._clock()))

    def _emit(self, event: Event) -> None:
        try:
            self._sink(event)
        except Exception:  # a consumer's bug must not stop translation
            log.exception("translation event sink failed")
