"""Runs the engine off the GUI thread and turns its events into queued Qt signals.

The controller object lives on its own QThread (buzz's recording_transcriber pattern): the GUI
calls its public methods, which only emit private signals queued into that thread, so the GUI
never waits on a model load, a device opening or a translation. The engine calls `_sink` on
its own threads. The public signals belong to `ControllerSignals`, which stays on the GUI thread:
whatever emits an event, every receiver runs on the GUI thread, in emission order. AudioLevel
events are coalesced: at most one `levels_ready` is in flight and the GUI takes the whole batch
with `take_levels()`.

Events are moved into the session's ids and times here, on the engine's thread, by the
SessionNumbering the session core passes to `start`; finals and translations are then journaled
before their signal is emitted (fsync never stalls the GUI), so one journal holds one continuous
session. `run_ended` (the engine's RunEnded) is the only "the run is over" there is.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from voicedesk.audio.source import AudioSourceError
from voicedesk.engine.events import (
    TRANSCRIPT_EVENTS,
    RUN_NOT_STARTED,
    AudioLevel,
    EngineError,
    ErrorKind,
    Event,
    Lag,
    ModelReady,
    Partial,
    Progress,
    RunEnded,
    SilentInput,
    Status,
)
from voicedesk.engine.settings import EngineSettings, TranslationChoice
from voicedesk.engine.translation.user_text import TextRequest, TextTranslator
from voicedesk.i18n import reason_of, translate
from voicedesk.session.coordinator import SourceFactory
from voicedesk.session.edits import Revision
from voicedesk.session.journal_keeper import JournalKeeper
from voicedesk.session.speakers import NO_SPEAKER_NAMES, SpeakerBook
from voicedesk.session.numbering import SessionNumbering
from voicedesk.session.transcript import Segment
from voicedesk.ui.window.translate_targets import TargetsRequest

log = logging.getLogger(__name__)

class ControllerSignals(QObject):
    """The controller's public signals. This object stays on the GUI thread and emits only there.

    The engine's and the controller's threads call `publish`, which queues the emission onto the GUI thread.
    So every receiver runs on the GUI thread, whatever it is: a window slot, a lambda, or a plain callable
    such as the session core's `on_event`. A signal emitted on a worker thread would run a plain callable
    on that thread instead (a segfault when it reached a widget). One queue keeps the events in order.
    """

    status = Signal(object)          # Status
    partial = Signal(object)         # Partial
    final = Signal(object)           # FinalSegment (provisional text)
    settled = Signal(object)         # Settled: a complete sentence's final text, replacing its finals'
    speakers = Signal(object)        # SpeakerLabels: a file's finals get their speakers at the end of its run
    translation = Signal(object)     # Translation
    lag = Signal(object)             # Lag
    progress = Signal(object)        # Progress (files read faster than real time)
    model_ready = Signal(str)        # ModelReady's model_info, e.g. "tiny.en (cpu, int8)"
    run_ended = Signal(object)       # RunEnded: the run is over, every event of it delivered
    error = Signal(object)           # EngineError
    input_silence = Signal(object)   # SilentInput: the live input gives only zeros, or sound again
    levels_ready = Signal()          # call take_levels() from the GUI thread
    session_started = Signal(str)    # the source's name
    languages_ready = Signal(list)   # Whisper language codes, once faster_whisper is imported
    targets_ready = Signal(object)   # TargetsAnswer: the Translate-to options for a TargetsRequest
    text_translated = Signal(object)  # TextAnswer: a typed or edited text, translated (or why not)

    _queued = Signal(str, object)     # (signal name, arguments), from any thread

    def __init__(self) -> None:
        super().__init__()
        self._queued.connect(self._emit_here, Qt.ConnectionType.QueuedConnection)

    def publish(self, name: str, *args: Any) -> None:
        """Emit signal `name` with `args` on the GUI thread (callable from any thread)."""
        self._queued.emit(name, args)

    @Slot(str, object)
    def _emit_here(self, name: str, args: tuple) -> None:
        getattr(self, name).emit(*args)


class EngineController(QObject):
    """Owns the Engine; one typed signal per event kind, each emitted on the GUI thread (ControllerSignals)."""

    _warm_up_requested = Signal()
    _load_requested = Signal(object)
    _start_requested = Signal(object, object, object)
    _journal_close_requested = Signal(bool)
    _journal_discard_requested = Signal()
    _journal_adopt_requested = Signal(object, object, object)
    _journal_revision_requested = Signal(object)
    _journal_speakers_requested = Signal(object, object)
    _stop_requested = Signal()
    _targets_requested = Signal(object)
    _translate_to_requested = Signal(object)
    _shutdown_requested = Signal()

    def __init__(self, engine_factory: Optional[Callable[[EngineSettings, Callable[[Event], None]], Any]] = None,
                 journal_folder: Optional[Path] = None) -> None:
        super().__init__()
        out = self.signals = ControllerSignals()   # no parent: it stays on the GUI thread when self moves
        self.status, self.partial, self.final, self.translation = out.status, out.partial, out.final, out.translation
        self.settled, self.speakers = out.settled, out.speakers
        self.lag, self.progress, self.model_ready, self.run_ended = out.lag, out.progress, out.model_ready, out.run_ended
        self.error, self.input_silence, self.levels_ready = out.error, out.input_silence, out.levels_ready
        self.session_started, self.languages_ready = out.session_started, out.languages_ready
        self.targets_ready, self.text_translated = out.targets_ready, out.text_translated
        self._engine_factory = engine_factory
        self.journal = JournalKeeper(journal_folder)
        self._numbering = SessionNumbering()   # the run's, from `start`; read on the engine's thread
        self._speakers_session = -1            # the session whose speakers the engine remembers
        self._engine: Any = None
        self._engine_settings: Optional[EngineSettings] = None
        self._levels: list[AudioLevel] = []
        self._levels_signalled = False
        self._lock = threading.Lock()
        self._thread = QThread()
        self._thread.setObjectName("voicedesk-controller")
        self.moveToThread(self._thread)
        self._warm_up_requested.connect(self._warm_up)
        self._load_requested.connect(self._load)
        self._start_requested.connect(self._start)
        self._stop_requested.connect(self._stop)
        self._targets_requested.connect(self._targets)
        self._translate_to_requested.connect(self._set_translate_to)
        self._shutdown_requested.connect(self._shutdown)
        self._journal_close_requested.connect(self._close_journal)
        self._journal_discard_requested.connect(self._discard_journal)
        self._journal_adopt_requested.connect(self._adopt)
        self._journal_revision_requested.connect(self._revise)
        self._journal_speakers_requested.connect(self._name_speakers)
        self._text_translator: Optional[TextTranslator] = None   # typed and edited text, its own thread
        self._thread.start()

    # ---- GUI-thread API: each call only queues a request ----

    def warm_up(self) -> None:
        """Import the heavy engine modules in the background and publish the language list."""
        self._warm_up_requested.emit()

    def load_model(self, settings: EngineSettings) -> None:
        self._load_requested.emit(settings)

    def start(self, settings: EngineSettings, source_factory: SourceFactory, numbering: SessionNumbering) -> None:
        """Run on the source; `numbering` moves the run's events into session ids and times."""
        self._start_requested.emit(settings, source_factory, numbering)

    def close_journal(self, clean: bool) -> None:
        """End the session's journal (clean: exported); later text opens a new one carrying the session."""
        self._journal_close_requested.emit(clean)

    def discard_journal(self) -> None:
        """The user discarded the session: its journal goes too."""
        self._journal_discard_requested.emit()

    def adopt_segments(self, segments: Iterable[Segment], old_journal: Optional[Path] = None,
                       speakers: SpeakerBook = NO_SPEAKER_NAMES) -> None:
        """The session now holds `segments` (and `speakers`, the user's names); with `old_journal` (a restore)
        they are journaled at once and the old file is removed once they are durable again."""
        self._journal_adopt_requested.emit(list(segments), old_journal, speakers)

    def journal_revision(self, revision: Revision) -> None:
        """Journal the reader's edit (on the controller thread: fsync never on the GUI thread)."""
        self._journal_revision_requested.emit(revision)

    def journal_speakers(self, book: SpeakerBook, restored: tuple[tuple[int, int], ...] = ()) -> None:
        """Journal the user's speaker names and merges, and what an undone merge gives back (controller thread)."""
        self._journal_speakers_requested.emit(book, tuple(restored))

    def translate_text(self, request: TextRequest) -> None:
        """Translate a typed or edited text with the installed packs; answered by text_translated."""
        if self._text_translator is None:
            self._text_translator = TextTranslator(lambda answer: self.signals.publish("text_translated", answer))
        self._text_translator.submit(request)

    def stop(self) -> None:
        self._stop_requested.emit()

    def request_targets(self, request: TargetsRequest) -> None:
        """Work out the Translate-to options (installed packs, the model's languages); answered by targets_ready."""
        self._targets_requested.emit(request)

    def set_translate_to(self, code: Optional[str]) -> None:
        self._translate_to_requested.emit(code)

    def take_levels(self) -> list[AudioLevel]:
        """The AudioLevel events that arrived since the last call (GUI thread)."""
        with self._lock:
            levels, self._levels = self._levels, []
            self._levels_signalled = False
        return levels

    def shutdown(self, timeout_ms: int = 15_000) -> bool:
        """Stop any run, wait for the controller thread to finish; True when it ended in time."""
        self._shutdown_requested.emit()
        return self._thread.wait(timeout_ms)

    # ---- the engine's threads ----

    def _sink(self, event: Event) -> None:
        numbering = self._numbering
        if isinstance(event, AudioLevel):
            numbering.heard(event.end)
            with self._lock:
                self._levels.append(event)
                if self._levels_signalled:
                    return
                self._levels_signalled = True
            self.signals.publish("levels_ready")
        elif isinstance(event, Partial):
            self.signals.publish("partial", numbering.to_session(event))
        elif isinstance(event, TRANSCRIPT_EVENTS):
            event = numbering.to_session(event)
            problem = self.journal.record(event, self._engine_settings)  # durable before anyone sees it
            if problem is not None:
                self.signals.publish("error", problem)
            self.signals.publish(event.type, event)
        elif isinstance(event, Status):
            self.signals.publish("status", event)
        elif isinstance(event, ModelReady):
            self.signals.publish("model_ready", event.model_info)
        elif isinstance(event, RunEnded):
            self.signals.publish("run_ended", event)
        elif isinstance(event, Progress):
            numbering.heard(event.position)
            self.signals.publish("progress", event)
        elif isinstance(event, Lag):
            self.signals.publish("lag", event)
        elif isinstance(event, EngineError):
            self.signals.publish("error", event)
        elif isinstance(event, SilentInput):
            self.signals.publish("input_silence", event)

    # ---- the controller thread ----

    @Slot(bool)
    def _close_journal(self, clean: bool) -> None:
        problem = self.journal.close(clean)
        if problem is not None:
            self.signals.publish("error", problem)

    @Slot()
    def _discard_journal(self) -> None:
        self.journal.discard()

    @Slot(object)
    def _revise(self, revision: Revision) -> None:
        problem = self.journal.revise(revision, self._engine_settings)
        if problem is not None:
            self.signals.publish("error", problem)

    @Slot(object, object)
    def _name_speakers(self, book: SpeakerBook, restored: tuple[tuple[int, int], ...]) -> None:
        problem = self.journal.name_speakers(book, self._engine_settings, restored)
        if problem is not None:
            self.signals.publish("error", problem)

    @Slot(object, object, object)
    def _adopt(self, segments: list, old_journal: Optional[Path], speakers: SpeakerBook) -> None:
        problem = self.journal.adopt(segments, self._engine_settings, durable_now=old_journal is not None,
                                     speakers=speakers)
        if problem is not None:
            self.signals.publish("error", problem)
        elif old_journal is not None:
            from voicedesk.session.journal import discard

            discard(old_journal)

    def _new_engine(self, settings: EngineSettings) -> Any:
        if self._engine_factory is not None:
            return self._engine_factory(settings, self._sink)
        from voicedesk.engine.engine import Engine  # heavy (faster_whisper): never on the GUI thread

        return Engine(settings, self._sink)

    def _engine_for(self, settings: EngineSettings) -> Any:
        """Reuse the engine (and its loaded model) unless a setting other than the target changed."""
        if self._engine is not None and self._engine_settings is not None:
            def model_side(s: EngineSettings) -> EngineSettings:
                return replace(s, translation=TranslationChoice())

            if model_side(self._engine_settings) == model_side(settings):
                if self._engine_settings.translation.target != settings.translation.target:
                    self._engine.set_translate_to(settings.translation.target)
                if self._engine_settings.translation.engine != settings.translation.engine:
                    set_engine = getattr(self._engine, "set_translation_engine", None)
                    if set_engine is not None:
                        set_engine(settings.translation.engine)
                self._engine_settings = settings
                return self._engine
        if self._engine is not None and hasattr(self._engine, "close"):
            self._engine.close()  # its model is the wrong one now; free it before loading the next
        self._engine = self._new_engine(settings)
        self._engine_settings = settings
        return self._engine

    def _report(self, kind: ErrorKind, message: str) -> None:
        self.signals.publish("error", EngineError(kind=kind, message=message, fatal=True))

    @Slot()
    def _warm_up(self) -> None:
        try:
            from voicedesk.ui.languages import whisper_language_codes

            self.signals.publish("languages_ready", list(whisper_language_codes()))
            if self._engine_factory is None:
                import voicedesk.engine.engine  # noqa: F401  (pays the import cost before Start)
        except Exception as exc:  # the window must come up even with a broken install
            log.exception("warm-up failed")
            self._report(ErrorKind.INTERNAL, translate(
                "EngineController", "Could not load the speech engine: {reason}").format(reason=reason_of(exc)))

    @Slot(object)
    def _load(self, settings: EngineSettings) -> None:
        if self._engine is not None and self._engine.running:
            return
        try:
            self._engine_for(settings).load_model()
        except Exception as exc:
            log.exception("model load request failed")
            self._report(ErrorKind.MODEL, translate(
                "EngineController", "Could not load the model: {reason}").format(reason=reason_of(exc)))

    @Slot(object, object, object)
    def _start(self, settings: EngineSettings, source_factory: SourceFactory, numbering: SessionNumbering) -> None:
        # No wait for the previous run here: the session core starts again only on its RunEnded, the
        # engine's last event (Engine.start covers the instant between that event and the run's end).
        self._numbering = numbering
        try:
            source = source_factory()
        except AudioSourceError as exc:
            self._not_started(ErrorKind.DEVICE, str(exc))
            return
        except Exception as exc:
            log.exception("source creation failed")
            self._not_started(ErrorKind.DEVICE, translate(
                "EngineController", "Could not open the input: {reason}").format(reason=reason_of(exc)))
            return
        try:
            previous = self._engine
            engine = self._engine_for(settings)
            if numbering.session != self._speakers_session:      # another session: its speakers start from 1
                engine.forget_speakers()
                self._speakers_session = numbering.session
            elif engine is not previous:        # another model or setting: the new engine knows none of the voices
                numbering.new_live_speakers()
            engine.start(source)
        except Exception as exc:
            log.exception("engine start failed")
            self._not_started(ErrorKind.INTERNAL, translate(
                "EngineController", "Could not start: {reason}").format(reason=reason_of(exc)))
            return
        self.signals.publish("session_started", getattr(source, "name", ""))

    def _not_started(self, kind: ErrorKind, message: str) -> None:
        """A run that never started still ends, so whoever waits for its end is not left waiting."""
        self._report(kind, message)
        self.signals.publish("run_ended", RunEnded(RUN_NOT_STARTED))

    @Slot()
    def _stop(self) -> None:
        if self._engine is None:
            return
        self._engine.stop()

    @Slot(object)
    def _targets(self, request: TargetsRequest) -> None:
        from voicedesk.ui.window.translate_targets import TargetsAnswer, answer_targets

        try:
            answer = answer_targets(request)
        except Exception as exc:  # the dropdown still gets an answer: "None" only
            log.exception("translation targets unavailable")
            answer = TargetsAnswer(request, (), True, str(exc))
        self.signals.publish("targets_ready", answer)

    @Slot(object)
    def _set_translate_to(self, code: Optional[str]) -> None:
        if self._engine is None:
            return
        self._engine.set_translate_to(code)
        if self._engine_settings is not None:
            self._engine_settings = self._engine_settings.with_values(translate_to=code)

    @Slot()
    def _shutdown(self) -> None:
        if self._engine is not None:
            if self._engine.running:
                self._engine.stop()
            self._engine.wait(10.0)
            close = getattr(self._engine, "close", None)
            if close is not None:
                close()
        if self._text_translator is not None:
            self._text_translator.close()
        # not clean: text that was never exported is offered for restore at the next launch
        self.journal.close(clean=False)
        self._thread.quit()
