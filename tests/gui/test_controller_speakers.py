"""Which numbers the engine controller lets a run's speakers keep: it reuses the engine (and the voices it
learnt) or builds another, which knows none of them.

The engine here is a stand-in that says one final by speaker 1 on each start: this file is about the
controller's choice of engine and the numbering of what comes out of it, not about transcription; the real
engine's speakers across Stop and Start are tested in tests/gui/test_speaker_labels.py.
"""

from __future__ import annotations

import itertools

from voicedesk.engine.events import FinalSegment
from voicedesk.engine.settings import EngineSettings
from voicedesk.session.numbering import SessionNumbering

_ids = itertools.count()


class EngineStandIn:
    def __init__(self, settings: EngineSettings, sink) -> None:
        self._sink = sink
        self.forgot = 0

    def forget_speakers(self) -> None:
        self.forgot += 1

    def start(self, source) -> None:
        self._sink(FinalSegment(next(_ids), "words", 0.0, 1.0, "en", speaker=1))

    running = False          # each run is over as soon as its one final is said

    def stop(self) -> None:
        pass

    def wait(self, timeout: float) -> bool:
        return True

    def close(self) -> None:
        pass


def test_a_new_engine_gives_the_voices_it_hears_new_numbers_and_the_same_engine_keeps_them(qtbot):
    from voicedesk.ui.controller import EngineController

    controller = EngineController(engine_factory=EngineStandIn)
    numbering = SessionNumbering()

    def speaker_one(settings: EngineSettings) -> int:
        """A live run with `settings`: the session's number for what the engine calls speaker 1."""
        numbering.begin_run(live=True)
        with qtbot.waitSignal(controller.final, timeout=10_000) as said:
            controller.start(settings, lambda: "mic", numbering)
        numbering.end_run()
        return said.args[0].speaker

    try:
        base = EngineSettings(model="base")
        assert speaker_one(base) == 1
        assert speaker_one(base) == 1, "Stop and Start: the same engine, which knows the voice"
        small = base.with_values(model="small")
        assert speaker_one(small) == 2, "another model: a new engine, whose speaker 1 may be someone else"
        numbering.continue_after([])            # File > New
        assert speaker_one(small) == 1
    finally:
        assert controller.shutdown()
