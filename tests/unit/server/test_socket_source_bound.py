"""The per-stream audio bound of a WebSocket stream (issue 20, item 3): however small the client's frames,
the audio waiting for the engine costs 4 bytes a sample and at most MAX_BUFFER_S of it (1.92 MB)."""

from __future__ import annotations

import tracemalloc

import numpy as np

from voicedesk.server.stream_api import MAX_BUFFER_S, PcmDecoder, SocketSource

SECONDS = 5.0
SAMPLES = int(SECONDS * 16000)


def test_two_byte_frames_cost_four_bytes_a_sample_up_to_the_capacity():
    decode = PcmDecoder(16000)
    frame = np.int16(1234).tobytes()                     # one sample a frame: the worst a client can send
    tracemalloc.start()
    try:
        source = SocketSource(capacity_s=SECONDS)
        before, _ = tracemalloc.get_traced_memory()
        taken = 0
        for _ in range(SAMPLES + 100):
            taken += source.feed(decode(frame))
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert taken == source.capacity == SAMPLES              # full: the rest was refused, for the caller to wait
    assert source.buffered_bytes == 4 * SAMPLES
    # one array per frame held ~30x that (a numpy object per sample); now: the samples and bytearray's slack
    assert held - before <= 4 * SAMPLES * 1.25 + 64 * 1024, held - before
    block = source.read(0.01)
    assert len(block) == 1600 and np.allclose(block, 1234 / 32768)
    assert source.feed(np.zeros(2000, np.float32)) == 1600    # room again, as much as was read


def test_the_default_bound_is_thirty_seconds():
    source = SocketSource()
    assert MAX_BUFFER_S == 30.0 and source.capacity == 480_000       # 1.92 MB of float32
    assert source.feed(np.zeros(500_000, np.float32)) == 480_000


def test_after_the_end_or_a_stop_audio_is_dropped_not_waited_for():
    source = SocketSource(capacity_s=0.1)
    source.end()
    assert source.feed(np.zeros(10_000, np.float32)) == 10_000 and source.buffered_s == 0
    stopped = SocketSource(capacity_s=0.1)
    stopped.feed(np.zeros(1600, np.float32))
    stopped.stop()
    assert stopped.buffered_bytes == 0 and stopped.feed(np.zeros(10, np.float32)) == 10
