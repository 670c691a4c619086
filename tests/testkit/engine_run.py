"""Run the real engine over a file, as fast as it goes or paced like a microphone, and collect its events."""

from __future__ import annotations

from voicedesk.audio.file_source import FileSource
from voicedesk.engine.pipeline import Engine
from voicedesk.engine.settings import EngineSettings


def transcribe(model: str, path, paced: bool = False, **settings) -> list:
    """Every event of one run of `path` with `EngineSettings(model=model, cpu_threads=2, **settings)`; `paced`:
    delivered in real time as a microphone would (the live route), else as fast as it decodes (the file route)."""
    events: list = []
    engine = Engine(EngineSettings(model=model, cpu_threads=2, **settings), events.append)
    try:
        engine.load_model_blocking()
        engine.start(FileSource(path, paced=paced))
        assert engine.wait(300), "the engine did not finish"
    finally:
        engine.close()
    return events
