"""Running an engine over one audio or video file, the one way the CLI, the server's file route, the tests
and the benchmarks all do it: open the file as a source, run it, and sum up what the run said.

`run_file` blocks until the run has ended and every event of it was delivered. The server cannot block its
event loop, so it starts the run with `start_file` and waits for `RunEnded` itself; `RunOutcome` is what
both keep of the run's events besides the transcript (which the session layer builds from the same events).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional, Union

from voicedesk.audio.source import AudioSource
from voicedesk.engine.events import EngineError, Event, EventSink, Progress, Translation
from voicedesk.engine.engine import Engine
from voicedesk.engine.settings import EngineSettings

FileInput = Union[str, "os.PathLike[str]", AudioSource]
"""A file's path (opened as a FileSource, paced or not), or a source already opened over one."""


def open_file(file: FileInput, paced: bool = False) -> AudioSource:
    """`file` as a source: a path becomes a FileSource (AudioSourceError when it is not a readable file)."""
    if isinstance(file, (str, os.PathLike)):
        from voicedesk.audio.file_source import FileSource   # imports PyAV: only once a file is run

        return FileSource(file, paced=paced)
    return file


def start_file(engine: Engine, file: FileInput, paced: bool = False) -> None:
    """Start `engine` over `file` on its own threads (non-blocking); `paced`: delivered in real time, as a
    microphone would (the live route), else as fast as it decodes (the file route)."""
    engine.start(open_file(file, paced))


def run_file(engine: Engine, file: FileInput, paced: bool = False, timeout: Optional[float] = None) -> bool:
    """Run `engine` over `file` and block until the run ended and all its events were delivered; False when
    `timeout` ran out first (the run then goes on)."""
    start_file(engine, file, paced)
    return engine.wait(timeout)


def transcribe_file(settings: EngineSettings, file: FileInput, sink: EventSink, paced: bool = False,
                    timeout: Optional[float] = None) -> bool:
    """A new engine with `settings`, its model loaded here (raises ModelError), run over `file`, then closed;
    False when `timeout` ran out before the run ended."""
    engine = Engine(settings, sink)
    try:
        engine.load_model_blocking()
        return run_file(engine, file, paced, timeout)
    finally:
        engine.close()


@dataclass
class RunOutcome:
    """What a run said besides its text: the translations, the fatal error (the first), the other errors and
    how far into the audio it got. `record` is fed every event on the engine's dispatcher thread."""

    translations: list[Translation] = field(default_factory=list)
    fatal: Optional[EngineError] = None
    errors: list[EngineError] = field(default_factory=list)
    duration: float = 0.0

    def record(self, event: Event) -> None:
        # only the dispatcher thread writes; readers look once the run has ended
        if isinstance(event, Translation):
            self.translations.append(event)
        elif isinstance(event, Progress):
            self.duration = max(self.duration, event.position)
        elif isinstance(event, EngineError):
            if event.fatal and self.fatal is None:
                self.fatal = event
            elif not event.fatal:
                self.errors.append(event)

    @property
    def fatal_message(self) -> Optional[str]:
        """The fatal error's one-line message, or None when the run did not fail."""
        return self.fatal.message if self.fatal is not None else None
