"""Run the real engine over a file as fast as it goes and collect its events (integration tests)."""

from __future__ import annotations

from voicedesk.audio.file_source import FileSource
from voicedesk.engine.pipeline import Engine
from voicedesk.engine.settings import EngineSettings


def transcribe(model: str, path, **settings) -> list:
    """Every event of one fast run of `path` with `EngineSettings(model=model, cpu_threads=2, **settings)`."""
    events: list = []
    engine = Engine(EngineSettings(model=model, cpu_threads=2, **settings), events.append)
    try:
        engine.load_model_blocking()
        engine.start(FileSource(path, paced=False))
        assert engine.wait(300), "the engine did not finish"
    finally:
        engine.close()
    return events
