"""The blocked-microphone detector (issue 15, item 11): exact zeros for seconds, then sound again."""

from __future__ import annotations

import numpy as np
import pytest

from voicedesk.audio import SAMPLE_RATE
from voicedesk.audio.zero_audio import ZeroAudioWatch, microphone_privacy_hint

BLOCK = SAMPLE_RATE // 20   # 50 ms, as the microphone delivers


def _feed(watch: ZeroAudioWatch, blocks: list[np.ndarray]) -> list[tuple[int, bool]]:
    """(block number, change) for every block that changed the state."""
    return [(i, c) for i, b in enumerate(blocks) if (c := watch.push(b)) is not None]


def test_says_once_after_the_limit_of_exact_zeros_and_again_when_sound_returns():
    watch = ZeroAudioWatch(after_s=3.0)
    zeros = [np.zeros(BLOCK, np.float32)] * 100            # 5 s
    sound = [np.full(BLOCK, 0.01, np.float32)]
    changes = _feed(watch, zeros + sound + zeros[:10])
    limit_block = int(3.0 * SAMPLE_RATE) // BLOCK - 1       # the block that completes 3 s
    assert changes == [(limit_block, True), (100, False)]
    assert not watch.silent


def test_a_quiet_room_is_not_silence():
    # a real microphone's noise floor is tiny but never exactly zero
    rng = np.random.default_rng(1)
    watch = ZeroAudioWatch(after_s=1.0)
    assert _feed(watch, [(rng.standard_normal(BLOCK) * 1e-6).astype(np.float32) for _ in range(100)]) == []


def test_only_the_zeros_after_the_last_sound_count():
    watch = ZeroAudioWatch(after_s=1.0)
    block = np.zeros(SAMPLE_RATE, np.float32)
    block[SAMPLE_RATE // 2] = 0.2                          # sound half-way: one sample short of 0.5 s of zeros after it
    assert watch.push(block) is None
    assert watch.push(np.zeros(SAMPLE_RATE // 2, np.float32)) is None
    assert watch.push(np.zeros(1, np.float32)) is True     # exactly 1 s of zeros now


def test_empty_blocks_change_nothing_and_the_limit_must_be_positive():
    watch = ZeroAudioWatch(after_s=0.1)
    assert watch.push(np.zeros(0, np.float32)) is None
    with pytest.raises(ValueError):
        ZeroAudioWatch(after_s=0)


@pytest.mark.parametrize("platform, where", [
    ("win32", "Let desktop apps access your microphone"),
    ("darwin", "Privacy & Security \u2192 Microphone"),
    ("linux", "muted"),
])
def test_the_hint_names_the_setting_of_the_platform(platform, where):
    hint = microphone_privacy_hint(platform)
    assert where in hint
    others = {"win32", "darwin", "linux"} - {platform}
    assert all(microphone_privacy_hint(o) != hint for o in others)
    assert hint.context == "Microphone"     # translatable by the window
