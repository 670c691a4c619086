"""The capture queue shared by the live sources: drop policy, the held block, read's timeout, resampling
and the source's checks. Real threads and the real resampler; no device is needed."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from voicedesk.audio import SAMPLE_RATE
from voicedesk.audio.capture_queue import CaptureQueue, resample_blocks
from voicedesk.audio.resample import StreamResampler
from voicedesk.audio.source import DeviceError


def _block(value: float, frames: int = 160) -> np.ndarray:
    return np.full(frames, value, dtype=np.float32)


def _no_check(now: float, got_data: bool) -> None:
    pass


def test_a_full_queue_drops_what_arrives_and_counts_it():
    q: CaptureQueue[np.ndarray] = CaptureQueue(maxsize=2)
    for value, frames in ((1.0, 10), (2.0, 20), (3.0, 30), (4.0, 40)):
        q.put(_block(value, frames), frames)
    assert q.dropped == 70    # the blocks of 30 and 40 frames found the queue full
    kept = q.drain()
    assert [b[0] for b in kept] == [1.0, 2.0]
    assert q.drain() == []
    q.put(_block(5.0), 160)   # room again once drained
    assert [b[0] for b in q.drain()] == [5.0] and q.dropped == 70


def test_the_block_taken_by_reads_wait_comes_first_in_the_next_drain():
    q: CaptureQueue[np.ndarray] = CaptureQueue(maxsize=8)
    processed: list[float] = []

    def process(blocks: list[np.ndarray]) -> np.ndarray:
        processed.extend(float(b[0]) for b in blocks)
        return np.zeros(0, dtype=np.float32)   # nothing out yet: read keeps waiting

    def arrive() -> None:
        q.put(_block(7.0), 160)   # wakes read's wait, which takes it
        q.put(_block(8.0), 160)

    # read is already waiting when the blocks come
    arrived = threading.Timer(0.05, arrive)
    arrived.start()
    try:
        assert q.read(0.4, process, _no_check) is None
    finally:
        arrived.join()
    assert processed == [7.0, 8.0]   # the waited-for block is neither lost nor put behind the later one
    assert q.drain() == []


def test_read_returns_none_when_nothing_comes_and_checks_on_every_turn():
    q: CaptureQueue[np.ndarray] = CaptureQueue(maxsize=8)
    seen: list[bool] = []
    assert q.read(0.6, resample_blocks(StreamResampler(48_000)), lambda now, got: seen.append(got)) is None
    # waits in slices of at most 0.25 s, checking after each: at least three turns in 0.6 s
    assert len(seen) >= 3 and not any(seen)


def test_read_resamples_what_came_and_tells_the_check():
    q: CaptureQueue[np.ndarray] = CaptureQueue(maxsize=64)
    t = np.arange(4800) / 48_000
    stereo = np.stack([np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 440 * t)], axis=1).astype(np.float32)
    for start in range(0, 4800, 480):
        q.put(stereo[start:start + 480], 480)
    seen: list[bool] = []
    out = q.read(1.0, resample_blocks(StreamResampler(48_000, SAMPLE_RATE)), lambda now, got: seen.append(got))
    assert out is not None and out.dtype == np.float32 and out.ndim == 1
    # 100 ms at 48 kHz is about 1600 samples at 16 kHz (the filter may hold a few back)
    assert 1400 <= out.size <= 1600
    assert seen == [True]
    assert np.abs(out[200:]).max() > 0.5


def test_read_wakes_for_a_block_that_comes_while_it_waits():
    q: CaptureQueue[np.ndarray] = CaptureQueue(maxsize=8)
    arrived = threading.Timer(0.05, lambda: q.put(_block(0.5, 1600), 1600))
    arrived.start()
    try:
        out = q.read(5.0, resample_blocks(StreamResampler(SAMPLE_RATE)), _no_check)
    finally:
        arrived.join()
    assert out is not None
    np.testing.assert_array_equal(out, _block(0.5, 1600))   # equal rates pass through


def test_a_device_error_from_the_check_ends_the_read():
    q: CaptureQueue[np.ndarray] = CaptureQueue(maxsize=8)
    turns: list[bool] = []

    def check(now: float, got_data: bool) -> None:
        turns.append(got_data)
        if len(turns) == 2:
            raise DeviceError("gone")

    with pytest.raises(DeviceError, match="gone"):
        q.read(5.0, resample_blocks(StreamResampler(SAMPLE_RATE)), check)
    assert turns == [False, False]


def test_items_of_any_kind_with_their_own_unit_of_loss():
    # the macOS source queues (samples, rate) pairs and counts what it loses in seconds
    q: CaptureQueue[tuple[np.ndarray, float]] = CaptureQueue(maxsize=1)
    q.put((_block(1.0, 480), 48_000.0), 0.01)
    q.put((_block(2.0, 960), 48_000.0), 0.02)
    assert q.dropped == pytest.approx(0.02)
    out = q.read(1.0, lambda pieces: np.concatenate([p[0] for p in pieces]), _no_check)
    assert out is not None and out.size == 480 and out[0] == 1.0


def test_a_queue_without_room_is_refused():
    with pytest.raises(ValueError):
        CaptureQueue(maxsize=0)
