"""Translates text the user gives (a typed line, an edited sentence) with the installed Argos packs, off the caller's thread.

Whisper translates speech, not text, so only text routes are used: the source→target pack, or two
packs through English. A pair no pack reaches is answered with `translate_plan`'s message, which
names the pack to install. One thread, started with the first request and kept for the session: the
engine's own translation worker lives and dies with each run, while typed text must work with no
run at all, and each request here wants its own answer (the engine's worker reports a failing pair
once and then stays silent).
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable, Optional

from voicedesk.engine.events import TranslationEngine
from voicedesk.engine.translation.plan import EngineChoice, PlanUnavailable, plan_translation
from voicedesk.engine.translation.routes import Route, TranslationError, normalize_code
from voicedesk.i18n import reason_of, translate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextRequest:
    """Translate `text` from `source` into `target`; `key` says who asked (returned with the answer)."""

    key: Hashable
    text: str
    source: str
    target: str


@dataclass(frozen=True)
class TextAnswer:
    """The translation, or (`translation` None) one line saying why not and the pack that would help."""

    request: TextRequest
    translation: Optional[str]
    engine: str = ""
    problem: str = ""
    pack: Optional[str] = None


def _installed_pairs() -> list[tuple[str, str]]:
    from voicedesk.engine.translation.routes import installed_pairs

    return installed_pairs()


def _find_route(source: str, target: str) -> Route:
    from voicedesk.engine.translation import limit_translation_threads
    from voicedesk.engine.translation.routes import find_route

    limit_translation_threads(1)   # the speech model needs the cores more; a line translates in milliseconds
    return find_route(source, target)


_STOP = object()


class TextTranslator:
    """Answers each submitted request, in order, through `answer` (called on its own thread)."""

    def __init__(self, answer: Callable[[TextAnswer], None],
                 pairs: Callable[[], Iterable[tuple[str, str]]] = _installed_pairs,
                 route: Callable[[str, str], Route] = _find_route) -> None:
        self._answer = answer
        self._pairs = pairs
        self._route = route
        self._routes: dict[tuple[str, str], Route] = {}
        self._queue: "queue.SimpleQueue[object]" = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None

    def submit(self, request: TextRequest) -> None:
        """Queue a request; returns at once."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="voicedesk-text-translate", daemon=True)
                self._thread.start()
        self._queue.put(request)

    def close(self, timeout: float = 10.0) -> None:
        """Answer what is queued, then stop the thread."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(_STOP)
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            request = self._queue.get()
            if request is _STOP:
                return
            assert isinstance(request, TextRequest)
            try:
                answer = self.translate(request)
            except Exception as exc:  # the thread must outlive a bug in one request
                log.exception("translating typed text failed")
                answer = TextAnswer(request, None, problem=translate("TextTranslator", "Translation failed: {reason}")
                                    .format(reason=str(exc)))
            try:
                self._answer(answer)
            except Exception:
                log.exception("text translation answer failed")

    def translate(self, request: TextRequest) -> TextAnswer:
        """The answer to one request, on the calling thread (the worker's, or a test's)."""
        source, target = normalize_code(request.source), normalize_code(request.target)
        if source is None or target is None:
            missing = (translate("TextTranslator", "Cannot translate: the source language is not known.") if source is None
                       else translate("TextTranslator", "Cannot translate: the target language is not known."))
            return TextAnswer(request, None, problem=missing)
        if source == target:
            return TextAnswer(request, request.text, TranslationEngine.IDENTITY.value)
        try:
            plan_translation(source, target, EngineChoice.ARGOS, multilingual=True, pairs=self._pairs())
            route = self._routes.get((source, target)) or self._route(source, target)
            self._routes[(source, target)] = route
            text = route.translate(request.text.strip())
        except PlanUnavailable as exc:
            return TextAnswer(request, None, problem=reason_of(exc), pack=exc.pack)
        except TranslationError as exc:
            self._routes.pop((source, target), None)
            return TextAnswer(request, None, problem=reason_of(exc))
        return TextAnswer(request, text, TranslationEngine.ARGOS.value)
