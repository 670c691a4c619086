"""The WebSocket's audio source and PCM decoding, without a socket: the AudioSource promises the engine relies on."""

from __future__ import annotations

import threading
import time

import numpy as np

from voicedesk.server.stream_api import MAX_READ_S, PcmDecoder, SocketSource


def test_reads_wait_for_audio_then_hand_out_at_most_a_block():
    source = SocketSource()
    source.start()
    assert source.realtime is True
    t0 = time.monotonic()
    assert source.read(0.05) is None                     # nothing yet: None after the timeout
    assert time.monotonic() - t0 >= 0.04
    source.feed(np.ones(16000, np.float32))              # one second in one frame
    sizes = []
    while source.buffered_s > 0:
        sizes.append(len(source.read(0.01)))
    assert sum(sizes) == 16000 and max(sizes) <= MAX_READ_S * 16000


def test_end_drains_what_is_buffered_then_reads_empty():
    source = SocketSource()
    source.feed(np.zeros(800, np.float32))
    source.end()
    assert len(source.read(0.01)) == 800
    block = source.read(0.01)
    assert block is not None and len(block) == 0          # the end: an empty array, for good
    source.feed(np.zeros(800, np.float32))               # audio after the end is ignored
    assert len(source.read(0.01)) == 0


def test_a_waiting_read_wakes_on_feed_and_stop_ends_at_once():
    source = SocketSource()
    got = []
    reader = threading.Thread(target=lambda: got.append(source.read(5.0)))
    reader.start()
    time.sleep(0.05)
    source.feed(np.zeros(160, np.float32))
    reader.join(1)
    assert len(got[0]) == 160
    source.feed(np.zeros(160, np.float32))
    source.stop()
    assert len(source.read(0.01)) == 0                   # stop drops what was left


def test_pcm_frames_may_split_a_sample():
    pcm = (np.arange(-100, 100, dtype="<i2") * 100).tobytes()
    decode = PcmDecoder(16000)
    parts = [decode(pcm[:3]), decode(pcm[3:101]), decode(pcm[101:])]
    samples = np.concatenate(parts)
    assert np.allclose(samples * 32768, np.arange(-100, 100) * 100)
    assert len(decode.flush()) == 0


def test_other_sample_rates_are_resampled_to_16k():
    decode = PcmDecoder(48000)
    tone = (np.sin(np.arange(48000) / 48000 * 2 * np.pi * 440) * 16000).astype("<i2").tobytes()
    out = np.concatenate([decode(tone[i:i + 9600]) for i in range(0, len(tone), 9600)] + [decode.flush()])
    assert abs(len(out) - 16000) <= 16
