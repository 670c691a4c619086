"""The session core: what a run is, and what happens between runs (Qt-free).

It owns the session (its text, what was exported, its ids and times across runs), starts and stops
runs (a microphone, a queue of files, a restart with a lighter setting), notices a lost microphone
and listens again when it returns, offers a lighter setting when the computer cannot keep up, and
offers, restores or discards the journal of a session that did not end normally.

It is driven by plain calls (the user's choices, engine events, the answers of slow look-ups that
its host runs off the GUI thread) and says what to show through `notify(notice)`, with the frozen
dataclasses of `voicedesk.session.notices`. It never blocks and holds no timer: the host calls
`tick()` every second during a run and `recovery.commit(pending)` when a discard's undo time is up.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable, Iterable, Optional, Protocol, Sequence

from voicedesk.audio.inputs import InputChoice
from voicedesk.audio.source import AudioSource
from voicedesk.engine.events import (
    TRANSCRIPT_EVENTS,
    EngineError, ErrorKind, Event, Lag, RunEnded, SilentInput,
)
from voicedesk.engine.settings import EngineSettings
from voicedesk.i18n import Text, reason_of, translate
from voicedesk.models.choices import ModelChoice
from voicedesk.session.notices import (
    Action,
    InputBack,
    Level,
    LighterChosen,
    Message,
    MessageWithdrawn,
    NoModel,
    Notice,
    OverloadOffered,
    OverloadWithdrawn,
    ReadyToClose,
    RunOver,
    RunStarted,
    RunStopping,
    SessionReplaced,
    WatchingLostInput,
)
from voicedesk.session.numbering import SessionNumbering
from voicedesk.session.overload import LagWatch, LighterPlan, lighter_plan
from voicedesk.session.recovery import RestoreOffer
from voicedesk.session.speakers import NO_SPEAKER_NAMES, SpeakerBook
from voicedesk.session.transcript import Segment, Session, segment_events
from voicedesk.thread_check import ThreadOwner

log = logging.getLogger(__name__)

SourceFactory = Callable[[], AudioSource]
"""Builds a run's source on the engine side (opening a device or a file can take a moment)."""

class EnginePort(Protocol):
    """What the core asks of the engine side: the Qt controller in the app, a fake in policy tests."""

    def start(self, settings: EngineSettings, source_factory: SourceFactory, numbering: SessionNumbering) -> None:
        """Run on the source; its events are moved into session ids and times by `numbering`; RunEnded ends it."""

    def stop(self) -> None: ...

    def close_journal(self, clean: bool) -> None: ...

    def discard_journal(self) -> None: ...

    def adopt_segments(self, segments: Iterable[Segment], old_journal: Optional[Path] = None,
                       speakers: SpeakerBook = NO_SPEAKER_NAMES) -> None: ...


def file_source_factory(path: str) -> SourceFactory:
    """A factory for a file read as fast as it decodes."""

    def build() -> AudioSource:
        from voicedesk.audio.file_source import FileSource  # imports PyAV: not on the GUI thread

        return FileSource(path, paced=False)

    return build


def _sentence(text: str) -> str:
    """`text` ending in one full stop (a `Text` stays translatable)."""
    if isinstance(text, Text):
        return text if text.endswith(".") else Text("", "{text}.", {"text": text})
    return text.rstrip(". ") + "."


class SessionCoordinator:
    """One session of the app, across its runs. `choices()` gives the settings the user picked."""

    def __init__(self, engine: EnginePort, notify: Callable[[Notice], None], choices: Callable[[], EngineSettings],
                 installed_models: Callable[[], Sequence[ModelChoice]] = tuple,
                 file_source: Callable[[str], SourceFactory] = file_source_factory,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._engine = engine
        self._owner = ThreadOwner()    # one thread drives the core: its notices reach widgets directly
        self._host_notify = notify
        self._choices = choices
        self._installed_models = installed_models
        self._file_source = file_source
        self.session = Session()
        self.numbering = SessionNumbering()
        self.lag_watch = LagWatch(clock=clock)
        self.beam_size = EngineSettings().decoding.beam_size    # lowered when the computer cannot keep up
        self.automatic_lighter = False                 # take a lighter setting without asking
        self.recovery = RestoreOffer(self._notify)           # an unfinished session's journal, on offer
        self.run_input: Optional[InputChoice] = None   # the microphone of the run in progress
        self.lost_input: Optional[InputChoice] = None  # a microphone that vanished mid-session
        self._run_settings: Optional[EngineSettings] = None  # the settings of the run in progress
        self._running = False
        self._stopping = False
        self._closing = False
        self._file_queue: list[str] = []
        self._lost_seen_gone = False
        self._last_lag = 0.0
        self._silence_message = ""   # the blocked-input hint on show, withdrawn when sound arrives
        self._offered: Optional[LighterPlan] = None
        self._restart_with: Optional[tuple[LighterPlan, InputChoice]] = None

    # ------------------------------------------------------------------ state

    @property
    def running(self) -> bool:
        """A run (microphone or file) is in progress, stopping included."""
        return self._running

    @property
    def stopping(self) -> bool:
        return self._stopping

    @property
    def restart_pending(self) -> bool:
        """A lighter setting was taken: the run in progress stops, then listens again with it."""
        return self._restart_with is not None

    @property
    def model_in_use(self) -> Optional[str]:
        """The model spec the run in progress uses (deleting it now would pull it from under the run)."""
        return self._run_settings.model if self._running and self._run_settings is not None else None

    def run_settings(self) -> EngineSettings:
        """The settings a run starts with: the user's choices and the core's beam size."""
        return self._choices().with_values(beam_size=self.beam_size)

    # ------------------------------------------------------------------ runs

    def _settings_to_start(self) -> Optional[EngineSettings]:
        """The settings for a new run, or None (with a notice when there is no model) when none can start."""
        if self._running:
            return None
        settings = self.run_settings()
        if not settings.model:
            self._notify(NoModel())
            return None
        return settings

    def start_live(self, choice: Optional[InputChoice]) -> bool:
        """Listen to `choice`; False (with a notice saying why) when it cannot start."""
        settings = self._settings_to_start()
        if settings is None:
            return False
        if choice is None:
            self._notify(Message(translate(
                "Session", "No microphone to listen to. Connect one and press \u27f3, or open a file."),
                Level.WARNING, Action.LOOK_AGAIN))
            return False
        self.forget_lost_input()
        self._begin(choice.label, live=True, settings=settings)
        self.run_input = choice
        self._engine.start(settings, choice.open, self.numbering)
        return True

    def open_files(self, paths: Iterable[str]) -> None:
        """Transcribe files one after another, after the run in progress if there is one."""
        self._file_queue.extend(paths)
        if not self._running:
            self._open_next_file()

    def open_file(self, path: str) -> bool:
        """Transcribe a file (as fast as it decodes); False when a run is in progress or there is no model."""
        settings = self._settings_to_start()
        if settings is None:
            return False
        self.forget_lost_input()
        self._begin(Path(path).name, live=False, settings=settings)
        self._engine.start(settings, self._file_source(path), self.numbering)
        return True

    def stop(self) -> None:
        """Ask the run to end; the utterance in progress still becomes final text."""
        if not self._running or self._stopping:
            return
        self._stopping = True
        self._notify(RunStopping())
        self._engine.stop()

    def request_close(self) -> bool:
        """The app wants to close: True when it can now; else the run stops first and ReadyToClose follows."""
        if not self._running:
            self.finish()
            return True
        self._closing = True
        self.stop()
        return False

    def finish(self) -> None:
        """The app closes: a discard waiting for its undo happens now, and no microphone is looked for."""
        self.recovery.finish()
        self.forget_lost_input()

    def _begin(self, name: str, live: bool, settings: EngineSettings) -> None:
        self.lag_watch.reset()
        self._last_lag = 0.0
        self._offered = None
        self._running = True
        self._stopping = False
        self._run_settings = settings
        self.numbering.begin_run(live=live)
        self._notify(RunStarted(name, live, settings))

    def _open_next_file(self) -> None:
        while self._file_queue and not self._running and not self._closing:
            if self.open_file(self._file_queue.pop(0)):
                return

    # ------------------------------------------------------------------ engine events

    def _notify(self, notice: Notice) -> None:
        """Every notice goes out on the core's own thread: the host shows it in widgets at once."""
        self._owner.check(f"SessionCoordinator notice {type(notice).__name__}")
        self._host_notify(notice)

    def on_event(self, event: Event) -> None:
        """An engine event, already in session ids and times (the host shows partials and levels itself)."""
        self._owner.check(f"SessionCoordinator.on_event({type(event).__name__})")
        if isinstance(event, TRANSCRIPT_EVENTS):
            self.session.apply(event)
        elif isinstance(event, Lag):
            self._last_lag = event.seconds
            self.tick()
        elif isinstance(event, EngineError):
            self._on_error(event)
        elif isinstance(event, SilentInput):
            self._on_silent_input(event)
        elif isinstance(event, RunEnded):
            self._on_run_ended(event.reason)

    def _on_run_ended(self, reason: str) -> None:
        if not self._running:
            return
        self._running = False
        self._stopping = False
        self.run_input = None
        self._run_settings = None
        self.numbering.end_run()
        self._notify(RunOver(reason))
        if self._closing:
            self._notify(ReadyToClose())
        elif self._restart_with is not None:
            self._restart_lighter()
        elif self._file_queue:
            self._open_next_file()

    def _on_silent_input(self, event: SilentInput) -> None:
        """A blocked (or muted) input: say where the setting is; take it back once sound arrives."""
        if event.silent:
            self._silence_message = event.message
            self._notify(Message(event.message, Level.WARNING))
        elif self._silence_message:
            self._notify(MessageWithdrawn(self._silence_message))
            self._silence_message = ""

    def _on_error(self, event: EngineError) -> None:
        log.warning("engine error (%s): %s", event.kind.value, event.message)
        message = _sentence(event.message)
        keep = translate("Session", " What was transcribed so far is kept.") if not self.session.is_empty else ""
        if event.kind is ErrorKind.DEVICE and self.run_input is not None and self._running:
            # a microphone vanished mid-session: wait for it to come back, or for the user's choice
            self.lost_input, self._lost_seen_gone = self.run_input, False
            self._notify(WatchingLostInput(self.lost_input))
            self._notify(Message(translate(
                "Session", "{message}{keep} Listening resumes when \u201c{name}\u201d is back, or choose another "
                "microphone and press Start.").format(message=message, keep=keep, name=self.lost_input.label),
                Level.ERROR, Action.LOOK_AGAIN))
        elif event.kind is ErrorKind.DEVICE:
            self._notify(Message(translate(
                "Session", "{message}{keep} Choose another microphone and press Start.").format(
                    message=message, keep=keep),
                Level.ERROR, Action.LOOK_AGAIN))
        elif event.kind is ErrorKind.SPEAKER_MODEL:
            self._notify(Message(translate(
                "Session", "{message} The transcript goes on without speaker labels.").format(message=message),
                Level.WARNING, Action.GET_SPEAKER_MODEL))
        elif event.kind is ErrorKind.MODEL:
            self._notify(Message(message, Level.ERROR, Action.CHOOSE_MODEL_FOLDER))
        elif event.kind is ErrorKind.TRANSLATION:
            self._notify(Message(translate(
                "Session", "{message} Transcription goes on without it.").format(message=message), Level.WARNING))
        else:
            self._notify(Message(Text("", "{message}{keep}", {"message": message, "keep": keep}), Level.ERROR))

    # ------------------------------------------------------------------ a microphone that comes back

    def forget_lost_input(self) -> None:
        """Stop waiting for a lost microphone (another input was chosen, or the app closes)."""
        if self.lost_input is not None:
            self.lost_input = None
            self._notify(WatchingLostInput(None))

    def lost_input_checked(self, choice: InputChoice, present: bool) -> None:
        """The host looked for the lost `choice`: listen again once it is back after being seen gone."""
        if choice is not self.lost_input:
            return
        if not present:
            self._lost_seen_gone = True
            return
        # only after it was seen gone: a source that flickers while closing is not a return
        if not self._lost_seen_gone or self._running or self._closing:
            return
        if self.start_live(choice):
            self._notify(InputBack(choice))
            self._notify(Message(translate(
                "Session", "\u201c{name}\u201d is back: listening again.").format(name=choice.label), Level.INFO))

    # ------------------------------------------------------------------ overload: a lighter setting

    def tick(self) -> None:
        """Check the lag again (the engine publishes it only when it changes; the host calls this every second)."""
        # live inputs only: a file is read as fast as it decodes, so its lag means nothing
        if self._running and not self._stopping and self.run_input is not None \
                and self.lag_watch.feed(self._last_lag):
            self._on_overload()

    def _on_overload(self) -> None:
        plan = lighter_plan(self.run_settings(), self._installed_models())
        log.warning("transcription stays behind real time; lighter setting: %s", plan)
        if plan is None:
            return  # already the lightest: the lag the host shows says how far behind it is
        self._offered = plan
        if self.automatic_lighter:
            self.apply_lighter()
        else:
            self._notify(OverloadOffered(plan))

    def apply_lighter(self) -> None:
        """Take the offered setting: stop (the finals in progress are flushed), then listen again, lighter."""
        plan, self._offered = self._offered, None
        self._notify(OverloadWithdrawn())
        if plan is None or not self._running or self.run_input is None:
            return
        self._restart_with = (plan, self.run_input)
        self.stop()

    def _restart_lighter(self) -> None:
        assert self._restart_with is not None
        (plan, choice), self._restart_with = self._restart_with, None
        if plan.beam_size is not None:
            self.beam_size = plan.beam_size
        self._notify(LighterChosen(plan))   # the host shows plan.model as chosen: choices() names it from now
        if self.start_live(choice):
            self._notify(Message(translate(
                "Session", "Switched to {plan} to keep up; the transcript is kept.").format(plan=plan.description),
                Level.INFO))

    # ------------------------------------------------------------------ the session's text

    def export(self, path: str, fmt: Optional[str] = None, content: str = "source") -> tuple[str, str]:
        """Write the session to `path`: (the file written, its format). Raises ExportError; the text stays."""
        from voicedesk.session.export import export, format_from_path

        fmt = fmt or format_from_path(path)
        snapshot = self.session.snapshot()
        written = export(snapshot, path, fmt, content)
        self.session.mark_exported(snapshot.revision)
        if not self._running:  # mid-run, a final may already be on its way into this journal
            self._engine.close_journal(clean=True)   # exported: nothing left to restore
        return str(written), fmt

    def clear(self) -> bool:
        """Empty the session and throw its journal away (the host asked the user first); False mid-run."""
        if self._running:
            return False
        self._engine.discard_journal()
        self._replace(Session())
        return True

    def forget_unsaved(self) -> None:
        """The user quits without saving: the journal goes, nothing is offered for restore next time."""
        self._engine.discard_journal()

    def adopt(self, segments: Sequence[Segment], speakers: SpeakerBook = NO_SPEAKER_NAMES) -> None:
        """The session becomes `segments` (an opened transcript, with its speaker names); journaled with the
        first new text."""
        session = Session.from_segments(segments)
        session.set_speakers(speakers)
        self._replace(session)
        self._engine.adopt_segments(self.session.segments(), speakers=speakers)

    def _replace(self, session: Session) -> None:
        self.session = session
        self.numbering.continue_after(session.segments(), session.speakers)   # new runs go on after these
        self._notify(SessionReplaced(tuple(session.segments())))

    # ------------------------------------------------------------------ sessions that did not end normally

    def restore(self) -> bool:
        """Put the offered session back (the host emptied the session first, asking the user)."""
        from voicedesk.session.edits import carried
        from voicedesk.session.journal import JournalError, recover_session

        info = self.recovery.take()
        if info is None or self._running:
            return False
        try:
            recovered = recover_session(info.path)
        except JournalError as exc:
            self._notify(Message(reason_of(exc), Level.ERROR))
            return False
        segments, speakers = recovered.segments(), recovered.speakers
        session = Session()
        session.set_speakers(speakers)
        for event in segment_events(segments):  # as events, so the restored text counts as not yet exported
            session.apply(event)
        marks = carried(segments)               # the reader's edits, which finals and translations do not carry
        if marks is not None:
            session.revise(marks.segments)
        self._replace(session)
        # carried into a fresh journal at once; the old file goes once they are durable again
        self._engine.adopt_segments(segments, old_journal=info.path, speakers=speakers)
        return True
