"""When transcription falls so far behind that the microphone's own buffer overflows, the user is told how much was lost.

Real parts: a PulseAudio virtual microphone fed with a real recording, PortAudio, the real tiny.en
model. Only the machine's slowness is staged (one decode that stalls), and the buffers are shrunk
so that a few seconds of stall overflow them.
"""

from __future__ import annotations

import re
import time

import pytest
from testkit.audio_compare import decode_16k, speech_clip, write_wav
from testkit.virtual_mic import VirtualMics
from testkit.waiting import eventually

from voicedesk.audio.microphone import MicrophoneSource
from voicedesk.engine import engine as engine_module
from voicedesk.engine.asr import DecodeOptions, Decoder, Hypothesis, WhisperAsr
from voicedesk.engine.events import AudioLevel, EngineError, FinalSegment
from voicedesk.engine.engine import Engine
from voicedesk.engine.settings import EngineSettings

# a PortAudio call stuck in C ignores signals: the thread method ends such a run instead of hanging it
pytestmark = pytest.mark.timeout(120, method="thread")

LOST = re.compile(r"([\d.]+) s of audio were lost because transcription fell behind")


class StallsOnce(Decoder):
    """The real model on a computer that freezes once: the first decode takes `stall_s` longer."""

    def __init__(self, asr: WhisperAsr, stall_s: float) -> None:
        self.asr, self.stall_s = asr, stall_s
        self.stalled = False

    def decode(self, audio, offset: float, options: DecodeOptions) -> Hypothesis:
        if not self.stalled:
            self.stalled = True
            time.sleep(self.stall_s)
        return self.asr.decode(audio, offset, options)


def test_audio_lost_while_transcription_lagged_is_reported_once_with_its_length(
        virtual_mics: VirtualMics, tiny_en_model, tmp_path, monkeypatch):
    monkeypatch.setattr(engine_module, "SPEECH_QUEUE_BLOCKS", 4)          # ~0.2 s instead of a minute
    wav = write_wav(tmp_path / "jfk.wav", decode_16k(speech_clip("jfk_en.flac")))
    settings = EngineSettings(model=tiny_en_model, cpu_threads=2, language="en")
    asr = WhisperAsr(settings)
    asr.load()
    vmic = virtual_mics("Voicedesk Lagging Mic")
    mic = MicrophoneSource(pulse_source=vmic.source, block_s=0.05, buffer_s=3.0)   # a 3 s ring instead of 30 s
    events: list = []
    engine = Engine(settings, events.append, decoder=StallsOnce(asr, stall_s=7.0))
    try:
        engine.start(mic)
        assert eventually(lambda: any(isinstance(e, AudioLevel) for e in events), 15, 0.05), \
            "the microphone delivered nothing"
        player = virtual_mics.play(vmic, wav)
        player.wait(timeout=30)
        # the backlog is worked off and the last words come out
        assert eventually(lambda: "country" in " ".join(e.text for e in events if isinstance(e, FinalSegment)).lower(),
                          30, 0.05)
        engine.stop()
        assert engine.wait(30)
    finally:
        engine.close()

    errors = [e for e in events if isinstance(e, EngineError)]
    assert len(errors) == 1, [e.message for e in errors]      # one stall, one message
    error = errors[0]
    assert not error.fatal                                    # the run went on
    match = LOST.search(error.message)
    assert match, error.message
    # what it says is what the microphone counted: the stall, less what the queue and the ring held
    assert float(match.group(1)) == pytest.approx(mic.dropped_seconds, abs=0.06)
    assert 2.0 <= mic.dropped_seconds <= 7.0
    # told as soon as the episode was over, while the run went on (not only when it ended)
    finals = [e for e in events if isinstance(e, FinalSegment)]
    assert finals[-1].emitted_at > error.emitted_at

