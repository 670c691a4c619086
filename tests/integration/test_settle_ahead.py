"""Continuous speech settles sooner: a sentence is decoded again as soon as the live hypothesis shows its full stop
with more words after it, before its last words are final (engine/settle.py, decoding ahead).

Real parts: the real base model, the real two-party call (turns that follow each other with hardly a pause), replayed
at a microphone's pace through the engine. The decoder is the real one, wrapped only to note when each settle decode
(Whisper's full 30 s window, which only the settle pass asks for) began.
"""

from __future__ import annotations

import time

from testkit.speech import normalise, wer

from voicedesk.engine.asr import DecodeOptions, Decoder, Hypothesis, WhisperAsr
from voicedesk.engine.engine import Engine
from voicedesk.engine.events import FinalSegment, Settled
from voicedesk.engine.file_run import run_file
from voicedesk.engine.settings import EngineSettings

MIN_AHEAD_S = 0.3    # a settle decode that began after the final (no decode ahead) cannot begin this much before it
REACH_S = 1.2        # a sentence's settle decode starts at most this much before it (a pad, or the gate's speech)
                     # unless it hears the sentences before it too (their text its prefix)...
END_TOLERANCE_S = 0.25   # ...and may end this much before its end (a decode ahead hears the hypothesis's times)


class NotesSettleDecodes(Decoder):
    """The real model; notes (audio start, audio end, monotonic time, with a prefix?) of each full-window decode as it
    begins."""

    def __init__(self, asr: WhisperAsr) -> None:
        self.asr = asr
        self.settle_decodes: list[tuple[float, float, float, bool]] = []

    def decode(self, audio, offset: float, options: DecodeOptions) -> Hypothesis:
        if options.full_window:
            self.settle_decodes.append((offset, offset + len(audio) / 16_000, time.monotonic(), bool(options.prefix)))
        return self.asr.decode(audio, offset, options)

    def detect_language(self, audio, full_window: bool = False) -> dict[str, float]:
        return self.asr.detect_language(audio, full_window)


def test_a_sentence_of_continuous_speech_is_decoded_again_before_its_last_words_are_final(base_model, speech):
    settings = EngineSettings(model=base_model, cpu_threads=2, language="en")
    asr = WhisperAsr(settings)
    asr.load()
    decoder = NotesSettleDecodes(asr)
    received: list[tuple[float, object]] = []
    engine = Engine(settings, lambda event: received.append((time.monotonic(), event)), decoder=decoder)
    try:
        assert run_file(engine, speech["conversation_en"].path, paced=True, timeout=120)
    finally:
        engine.close()
    events = [event for _, event in received]
    # the engine's clock (`emitted_at`) on the monotonic clock: an event arrives at the sink after it is emitted, so
    # the earliest arrival gives the engine's start to within a delivery (ms) - never earlier than it was
    t0 = min(at - event.emitted_at for at, event in received if getattr(event, "emitted_at", 0.0) > 0.0)
    finals = {e.segment_id: e for e in events if isinstance(e, FinalSegment)}
    settled = [e for e in events if isinstance(e, Settled)]
    ahead = []
    for sentence in settled:
        last_final = max(finals[i].emitted_at for i in sentence.segment_ids)
        began = [at - t0 for start, end, at, prefixed in decoder.settle_decodes   # decodes that heard it whole
                 if (prefixed or sentence.start - REACH_S <= start) and start <= sentence.start
                 and end >= sentence.end - END_TOLERANCE_S]
        if began and min(began) <= last_final - MIN_AHEAD_S:
            ahead.append(sentence.text)
    assert ahead, f"no sentence was decoded before its last final: {[s.text for s in settled]}"
    # decoding ahead loses nothing: every final is settled once
    assert sorted(i for s in settled for i in s.segment_ids) == sorted(finals)
    reference = speech["conversation_en"].reference
    provisional = " ".join(f.text for f in finals.values())
    settled_text = " ".join(s.text for s in settled)
    # settled from their decodes ahead, the sentences say what was heard (the finals' words are all there or better)
    for text in ahead:
        sentence = next(s for s in settled if s.text == text)
        heard = " ".join(finals[i].text for i in sentence.segment_ids)
        assert len(normalise(text).split()) >= len(normalise(heard).split()) - 1, (heard, text)
    assert wer(reference, settled_text) < 0.35, settled_text
    assert len(normalise(settled_text).split()) >= 0.9 * len(normalise(provisional).split()), settled_text
