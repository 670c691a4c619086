"""Live decodes of every length keep the process's memory flat (real base model, real speech).

CTranslate2's convolutions keep a compiled kernel, about 1 MB, for each input length they meet (oneDNN's primitive
cache, up to 1,024 of them). The live route decodes each utterance in an encoder window fitted to its length, so with
windows to the frame each new length grew the process. Memory here is glibc's count of the bytes in
use (`mallinfo2`), which the allocator's own slack and CTranslate2's transient buffers do not blur as they blur RSS."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

import numpy as np
import pytest

from testkit.speech import load
from voicedesk.engine.asr import DecodeOptions, WhisperAsr, encoder_window_frames
from voicedesk.engine.settings import EngineSettings

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallinfo2: Linux only")

PARTIAL = DecodeOptions(beam_size=1, language="en")


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def _bytes_in_use() -> int:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    libc.mallinfo2.restype = _MallInfo2
    info = libc.mallinfo2()
    return int(info.uordblks + info.hblkhd)


def test_fitted_windows_come_in_whole_seconds_between_the_minimum_and_30_s():
    frames = {encoder_window_frames(d, 6.0, 1.0) for d in np.arange(0.1, 40.0, 0.01)}
    assert frames == {100 * s for s in range(6, 31)}
    assert encoder_window_frames(5.0, 6.0, 1.0) == 600                   # the minimum
    assert encoder_window_frames(5.01, 6.0, 1.0) == 700                  # the audio and its margin, rounded up
    assert encoder_window_frames(9.0, 6.0, 1.0) == 1000                  # exactly whole: not a second more


def test_decoding_utterances_of_many_lengths_does_not_grow_memory(base_model, speech):
    asr = WhisperAsr(EngineSettings(model=base_model, cpu_threads=2, language="en"))
    asr.load()
    audio = np.concatenate([load(speech[name].path) for name in ("jfk_en", "quilter_en")])
    for seconds in range(5, 14):                     # every window of 6-14 s met once: kernels the session keeps
        asr.decode(audio[: 16_000 * seconds], 0.0, PARTIAL)
    before = _bytes_in_use()
    lengths = np.random.default_rng(7).uniform(5.0, 13.0, 40)   # 40 lengths, none of them met before
    for seconds in lengths:
        asr.decode(audio[: int(16_000 * seconds)], 0.0, PARTIAL)
    grown_mb = (_bytes_in_use() - before) / 2**20
    # windows to the frame: +46 MB (40 new lengths, a kernel kept for each); in whole seconds: -0.3 MB, none is new
    assert grown_mb < 8, f"memory grew by {grown_mb:.1f} MB over 40 decodes of lengths the windows had all met"
