"""A computer too slow for the chosen setting: the window offers a lighter one and switches without losing text.

The slow computer is simulated (there is only one machine here): the real tiny.en model plus a fixed
sleep per decode while finals use beam search, as in tests/integration/test_engine_backpressure.py.
Greedy finals (beam size 1) run at the model's real speed. Audio comes from a real PulseAudio
virtual microphone fed with real speech.
"""

from __future__ import annotations

import time


from voicedesk.engine.asr import DecodeOptions, Hypothesis, WhisperAsr
from voicedesk.engine.settings import EngineSettings
from voicedesk.models.choices import ModelChoice
from voicedesk.session.overload import LagWatch, lighter_plan

pytest_plugins = ["testkit.virtual_mic"]

TIMEOUT_MS = 60_000


class SlowMachine:
    """The real model plus a fixed delay per decode: a computer too slow for real time."""

    def __init__(self, asr: WhisperAsr, delay_s: float) -> None:
        self.asr, self.delay_s = asr, delay_s

    def __getattr__(self, name):  # model_info and the rest come from the real model
        return getattr(self.asr, name)

    def decode(self, audio, offset: float, options: DecodeOptions) -> Hypothesis:
        time.sleep(self.delay_s)
        return self.asr.decode(audio, offset, options)


def slow_with_beam_search(settings: EngineSettings, sink):
    from voicedesk.engine.engine import Engine

    asr = WhisperAsr(settings)
    asr.load()
    decoder = SlowMachine(asr, delay_s=4.0) if settings.decoding.beam_size > 1 else asr
    return Engine(settings, sink, decoder=decoder)


def test_the_lighter_setting_is_the_next_smaller_installed_model_else_greedy_finals(tiny_model):
    base, tiny = tiny_model.parent / "base", tiny_model
    models = [ModelChoice("base", str(base)), ModelChoice("tiny.en", str(tiny))]
    on_base = lighter_plan(EngineSettings(model=str(base)), models)
    assert on_base is not None and on_base.model == str(tiny) and "tiny.en" in on_base.description
    on_tiny = lighter_plan(EngineSettings(model=str(tiny)), models)
    assert on_tiny is not None and on_tiny.model is None and on_tiny.beam_size == 1
    assert lighter_plan(EngineSettings(model=str(tiny)).with_values(beam_size=1), models) is None


def test_lag_counts_as_overload_only_when_it_stays_high(qtbot):
    now = [0.0]
    watch = LagWatch(lag_s=3.0, for_s=10.0, clock=lambda: now[0])
    for t, lag in ((0, 4.0), (6, 5.0), (8, 1.0), (9, 4.0), (18, 6.0)):
        now[0] = t
        assert not watch.feed(lag), "a dip below the threshold starts the count again"
    now[0] = 19.5
    assert watch.feed(5.0)
    now[0] = 30
    assert not watch.feed(9.0), "said once per run"


def test_falling_behind_offers_a_lighter_setting_and_switching_keeps_the_transcript(
    qtbot, gui_settings, tiny_model, virtual_mics, pick_input, speech, tmp_path
):
    from testkit.speech import join
    from voicedesk.ui.controller import EngineController
    from voicedesk.ui.window.main_window import MainWindow

    gui_settings.setValue("model/spec", str(tiny_model))
    window = MainWindow(settings=gui_settings, controller=EngineController(engine_factory=slow_with_beam_search))
    qtbot.addWidget(window)
    window.show()
    # 4 s instead of 10 s of sustained lag: the same rule, a shorter test
    window.core.lag_watch = LagWatch(lag_s=3.0, for_s=4.0)
    mic = virtual_mics("Slow Mic")
    talk = join(["jfk_en", "quilter_en", "jfk_en", "quilter_en", "jfk_en", "quilter_en"], tmp_path / "talk.wav",
                gap_s=1.0)
    try:
        pick_input(window, "Slow Mic")
        assert window.start_session()
        qtbot.waitUntil(lambda: len(window.widgets.waveform.levels) > 10, timeout=TIMEOUT_MS)
        virtual_mics.play(mic, talk.path)
        qtbot.waitUntil(lambda: window.widgets.overload_offer.isVisible(), timeout=TIMEOUT_MS)
        assert "can't keep up" in window.widgets.overload_offer.label.text()
        assert "greedy finals" in window.widgets.overload_offer.label.text()  # tiny.en is the smallest installed
        assert window.widgets.lag_label.isVisible()

        window.widgets.overload_offer.automatic.setChecked(True)
        assert gui_settings.value("overload/automatic") in (True, "true")
        window.widgets.overload_offer.apply_button.click()
        qtbot.waitUntil(lambda: "Switched to greedy finals" in window.widgets.banner.text, timeout=TIMEOUT_MS)
        assert window.is_running and window.engine_settings().decoding.beam_size == 1
        kept = [s.text for s in window.session.segments()]
        assert kept, "the finals decoded before the switch"
        qtbot.waitUntil(lambda: len(window.session.segments()) > len(kept) + 1, timeout=TIMEOUT_MS)
        assert [s.text for s in window.session.segments()][: len(kept)] == kept, "nothing before the switch lost"
        ids = [s.segment_id for s in window.session.segments()]
        assert len(ids) == len(set(ids))
    finally:
        if window.is_running:
            window.stop_session()
            qtbot.waitUntil(lambda: not window.is_running, timeout=TIMEOUT_MS)
        window.close()
        qtbot.waitUntil(lambda: window._closed, timeout=30_000)
