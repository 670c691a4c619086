"""When decoding fails mid-run, the engine lets go of the microphone, says why, and can start again."""

from __future__ import annotations

import threading
import time
from typing import Optional

import numpy as np
import pytest
from testkit.speech import load

from voicedesk.audio.source import AudioSource, DeviceError
from voicedesk.engine.asr import DecodeOptions, Decoder, Hypothesis, WhisperAsr
from voicedesk.engine.events import EngineError, ErrorKind, FinalSegment
from voicedesk.engine.engine import Engine
from voicedesk.engine.settings import EngineSettings

pytestmark = pytest.mark.timeout(180, method="thread")

SAMPLE_RATE = 16_000


class Device:
    """A sound device that, like a real one held exclusively, refuses a second opening while it is open."""

    def __init__(self) -> None:
        self.is_open = False
        self.openings = 0


class EndlessMicrophone(AudioSource):
    """An AudioSource that plays a real recording over and over at real-time pace, until stopped."""

    realtime = True

    def __init__(self, device: Device, samples: np.ndarray, block_s: float = 0.05) -> None:
        self.name = "endless test microphone"
        self.device = device
        self.samples = samples
        self.block = int(block_s * SAMPLE_RATE)
        self.position = 0
        self.t0 = 0.0
        self.stopped = threading.Event()

    def start(self) -> None:
        if self.device.is_open:
            raise DeviceError(f"Microphone '{self.name}' is busy (already open)")
        self.device.is_open = True
        self.device.openings += 1
        self.t0 = time.monotonic()

    def read(self, timeout: float) -> Optional[np.ndarray]:
        if self.stopped.is_set():
            return np.zeros(0, np.float32)
        due = self.t0 + (self.position + self.block) / SAMPLE_RATE
        wait = due - time.monotonic()
        if wait > timeout:
            time.sleep(timeout)
            return None
        if wait > 0:
            time.sleep(wait)
        start = self.position % len(self.samples)
        block = np.take(self.samples, range(start, start + self.block), mode="wrap")
        self.position += self.block
        return block.astype(np.float32)

    def stop(self) -> None:
        self.stopped.set()
        self.device.is_open = False


class DecoderThatFailsOnce(Decoder):
    """The real model, except that its first decode raises, as a driver or out-of-memory failure would."""

    def __init__(self, asr: WhisperAsr) -> None:
        self.asr = asr
        self.failed = False

    def decode(self, audio, offset: float, options: DecodeOptions) -> Hypothesis:
        if not self.failed:
            self.failed = True
            raise RuntimeError("CUDA failed with error out of memory")
        return self.asr.decode(audio, offset, options)


def test_a_decoder_failure_closes_the_microphone_reports_it_and_the_next_start_works(tiny_en_model, speech):
    settings = EngineSettings(model=tiny_en_model, cpu_threads=2, language="en")
    asr = WhisperAsr(settings)
    asr.load()
    samples = load(speech["jfk_en"].path)
    device = Device()
    events: list = []
    engine = Engine(settings, events.append, decoder=DecoderThatFailsOnce(asr))
    try:
        first = EndlessMicrophone(device, samples)
        engine.start(first)
        # the run ends by itself: the microphone never would
        assert engine.wait(30), "the run did not end after the decoder failed"
        assert first.stopped.is_set() and not device.is_open, "the microphone was left open"
        errors = [e for e in events if isinstance(e, EngineError)]
        assert len(errors) == 1 and errors[0].fatal and errors[0].kind is ErrorKind.INTERNAL, errors
        assert "out of memory" in errors[0].message

        # Start again on the same microphone: it opens (once), and speech is transcribed
        events.clear()
        second = EndlessMicrophone(device, samples)
        engine.start(second)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(isinstance(e, FinalSegment) for e in events):
            time.sleep(0.1)
        engine.stop()
        assert engine.wait(30)
        assert not [e for e in events if isinstance(e, EngineError)], events
        finals = [e.text for e in events if isinstance(e, FinalSegment)]
        assert finals and "americans" in " ".join(finals).lower(), finals
        assert device.openings == 2 and not device.is_open
    finally:
        engine.close()
