"""When decoding cannot keep up with real time, the engine skips partials, never speech, and says how far behind it is."""

from __future__ import annotations

import time

from testkit.speech import join, wer
from voicedesk.audio.file_source import FileSource
from voicedesk.engine.asr import DecodeOptions, Decoder, Hypothesis, WhisperAsr
from voicedesk.engine.events import FinalSegment, Lag, Partial
from voicedesk.engine.engine import Engine
from voicedesk.engine.settings import EngineSettings


class SlowMachine(Decoder):
    """The real model, plus a fixed delay per decode: stands in for a computer too slow for real time."""

    def __init__(self, asr: WhisperAsr, delay_s: float) -> None:
        self.asr, self.delay_s = asr, delay_s
        self.decodes = 0

    def decode(self, audio, offset: float, options: DecodeOptions) -> Hypothesis:
        self.decodes += 1
        time.sleep(self.delay_s)
        return self.asr.decode(audio, offset, options)


def run(settings: EngineSettings, decoder, path) -> list:
    events: list = []
    engine = Engine(settings, events.append, decoder=decoder)
    engine.start(FileSource(path, paced=True))
    assert engine.wait(300)
    engine.close()
    return events


def test_a_slow_decoder_loses_no_final_text_and_publishes_its_lag(tiny_en_model, tmp_path):
    session = join(["jfk_en", "quilter_en"], tmp_path / "s.wav", gap_s=2.0)
    settings = EngineSettings(model=tiny_en_model, cpu_threads=2, language="en")
    asr = WhisperAsr(settings)
    asr.load()

    normal = run(settings, asr, session.path)
    slow = run(settings, SlowMachine(asr, delay_s=2.5), session.path)

    text = lambda events: " ".join(e.text for e in events if isinstance(e, FinalSegment))  # noqa: E731
    # every word said still reaches a final, as accurately as on a fast machine
    assert wer(session.reference, text(slow)) <= wer(session.reference, text(normal)) + 0.05, text(slow)
    # partial refreshes are what gives way
    partials = lambda events: sum(isinstance(e, Partial) for e in events)  # noqa: E731
    assert partials(slow) < partials(normal)
    # and the lag is published while it lasts, then recovers in the silence at the end
    lags = [e.seconds for e in slow if isinstance(e, Lag)]
    assert max(lags) >= 1.0
    assert lags[-1] < 0.5
