"""The audio a sentence is translated from: kept by session time, bounded, and honest once overwritten."""

import numpy as np

from voicedesk.engine.audio_history import SAMPLE_RATE, AudioHistory


def test_spans_come_back_by_session_time_across_the_ring_wrap():
    history = AudioHistory(seconds=2.0)
    ramp = np.arange(3 * SAMPLE_RATE, dtype=np.float32)
    for block in np.split(ramp, 30):                   # 0.1 s blocks, 3 s in all: the ring wrapped
        history.append(block)
    assert history.end == 3.0
    span = history.span(1.5, 2.5)
    assert np.array_equal(span, ramp[int(1.5 * SAMPLE_RATE):int(2.5 * SAMPLE_RATE)])
    assert history.span(0.5, 1.5) is None              # overwritten: the caller must say so, not translate noise
    assert len(history.span(2.9, 9.0)) == int(0.1 * SAMPLE_RATE)   # clipped to what exists


def test_reset_starts_a_new_run_at_time_zero():
    history = AudioHistory(seconds=1.0)
    history.append(np.ones(SAMPLE_RATE // 2, np.float32))
    history.reset()
    history.append(np.full(SAMPLE_RATE // 4, 2.0, np.float32))
    assert history.end == 0.25 and np.all(history.span(0.0, 0.25) == 2.0)


def test_a_block_longer_than_the_history_keeps_its_newest_audio_at_the_right_time():
    history = AudioHistory(1.0)
    history.append(np.arange(16_000 * 3, dtype=np.float32))
    assert history.end == 3.0
    assert history.span(0.0, 1.0) is None
    tail = history.span(2.5, 3.0)
    assert tail is not None and tail[0] == 16_000 * 2.5
