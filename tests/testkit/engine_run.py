"""Run the real engine over a file, as fast as it goes or paced like a microphone, and collect its events.

The run itself is the app's (`voicedesk.engine.file_run`); this adds the tests' defaults (two CPU threads, a
five-minute bound) and a loaded engine that several runs, or a timed one, can share.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from voicedesk.engine.events import EventSink
from voicedesk.engine.file_run import transcribe_file
from voicedesk.engine.engine import Engine
from voicedesk.engine.settings import EngineSettings


def transcribe(model: str, path, paced: bool = False, **settings) -> list:
    """Every event of one run of `path` with `EngineSettings(model=model, cpu_threads=2).with_values(**settings)`; `paced`:
    delivered in real time as a microphone would (the live route), else as fast as it decodes (the file route)."""
    events: list = []
    finished = transcribe_file(EngineSettings(model=model, cpu_threads=2).with_values(**settings), path, events.append,
                               paced=paced, timeout=300)
    assert finished, "the engine did not finish"
    return events


@contextmanager
def loaded_engine(settings: EngineSettings, sink: EventSink) -> Iterator[Engine]:
    """A new engine with its model loaded, closed on the way out: for several runs, or runs timed without the load."""
    engine = Engine(settings, sink)
    try:
        engine.load_model_blocking()
        yield engine
    finally:
        engine.close()
