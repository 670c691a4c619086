"""ModelReady and RunEnded from the real engine (tiny.en, real speech): one meaning each, in their place.

`RunEnded` is the run's last event, after every final and translation; whoever starts the next run
on it (off the engine's dispatch thread, as the window does) is never refused.
"""

from __future__ import annotations

import threading

from testkit.engine_run import loaded_engine
from testkit.waiting import eventually as _wait_for
from voicedesk.engine.events import (
    RUN_ENDED, RUN_STOPPED, EngineState, FinalSegment, ModelReady, RunEnded, Status,
)
from voicedesk.engine.file_run import run_file, start_file
from voicedesk.engine.engine import Engine
from voicedesk.engine.settings import EngineSettings


def test_a_model_load_says_model_ready_and_a_run_ends_with_run_ended_after_everything(tiny_en_model, speech):
    events: list = []
    engine = Engine(EngineSettings(model=tiny_en_model, cpu_threads=2), events.append)
    try:
        engine.load_model()
        assert _wait_for(lambda: any(isinstance(e, ModelReady) for e in events), 120)
        ready, = [e for e in events if isinstance(e, ModelReady)]
        assert ready.model_info.startswith(f"{tiny_en_model} (cpu, ")   # the model, where and how it runs
        assert not [e for e in events if isinstance(e, Status) and e.state is EngineState.STOPPED], \
            "a loaded model is not a stopped run"
        assert run_file(engine, speech["jfk_en"].path, timeout=300)
    finally:
        engine.close()
    ended = [e for e in events if isinstance(e, RunEnded)]
    assert ended == [RunEnded(RUN_ENDED, emitted_at=ended[0].emitted_at)]
    assert events[-1] is ended[0], "nothing of the run comes after RunEnded"
    assert any(isinstance(e, FinalSegment) for e in events)


def test_a_stopped_run_ends_stopped_and_the_next_run_starts_right_on_run_ended(tiny_en_model, speech):
    events: list = []
    ended = threading.Event()

    def sink(event) -> None:
        events.append(event)
        if isinstance(event, RunEnded):
            ended.set()

    with loaded_engine(EngineSettings(model=tiny_en_model, cpu_threads=2), sink) as engine:
        start_file(engine, speech["jfk_en"].path, paced=True)
        assert _wait_for(lambda: any(isinstance(e, Status) and e.state is EngineState.LISTENING for e in events), 60)
        engine.stop()
        assert ended.wait(120)
        ended.clear()
        # at once, as the session core does: the engine may still be setting its last flag
        start_file(engine, speech["quilter_en"].path)
        assert ended.wait(300) and engine.wait(10)
    reasons = [e.reason for e in events if isinstance(e, RunEnded)]
    assert reasons == [RUN_STOPPED, RUN_ENDED]
    assert any(isinstance(e, FinalSegment) and "quilter" in e.text.lower() for e in events)
