"""Grouping speaker embeddings (voicedesk.engine.speakers.clustering) and turning windows into turns, on
synthetic embeddings: no model needed."""

from __future__ import annotations

import numpy as np
import pytest

from voicedesk.engine.speakers.clustering import (EIGENGAP_MIN_POINTS, ahc_count, by_first_appearance, clear_count,
                                                  cluster, merge_same_voice)
from voicedesk.engine.speakers.diarizer import Diarizer, Turn, speaker_of

DIM = 192


def _speakers(counts: list[int], spread: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around one random centre per speaker (cosine distance ~spread**2/2 inside a speaker)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((len(counts), DIM))
    rows, truth = [], []
    for who, count in enumerate(counts):
        for _ in range(count):
            v = centres[who] / np.linalg.norm(centres[who]) + spread * rng.standard_normal(DIM) / np.sqrt(DIM)
            rows.append(v / np.linalg.norm(v))
            truth.append(who)
    return np.array(rows, np.float32), np.array(truth)


def _same_grouping(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(by_first_appearance(a), by_first_appearance(b)))


@pytest.mark.parametrize("counts", [[12], [10, 8], [9, 7, 6]])
def test_auto_finds_how_many_speakers(counts):
    x, truth = _speakers(counts)
    order = np.random.default_rng(1).permutation(len(x))
    labels = cluster(x[order], None)
    assert labels.max() + 1 == len(counts)
    assert _same_grouping(labels, truth[order])


def test_a_given_count_is_used():
    x, truth = _speakers([10, 8])
    assert _same_grouping(cluster(x, 2), truth)
    assert cluster(x, 1).tolist() == [0] * len(x)
    assert len(set(cluster(x, 3).tolist())) == 3


def test_labels_are_numbered_by_first_appearance():
    x, truth = _speakers([6, 6, 6])
    order = np.r_[12:18, 0:6, 6:12]                     # speaker 2 talks first, then 0, then 1
    labels = cluster(x[order], 3)
    assert labels[:6].tolist() == [0] * 6 and labels[6:12].tolist() == [1] * 6 and labels[12:].tolist() == [2] * 6
    assert by_first_appearance(np.array([5, 5, 2, 7, 2])).tolist() == [0, 0, 1, 2, 1]


def test_too_few_windows_or_one_tight_group_is_one_speaker():
    assert cluster(np.zeros((0, DIM), np.float32), None).tolist() == []
    assert cluster(np.ones((1, DIM), np.float32), None).tolist() == [0]
    x, _ = _speakers([2], spread=0.1)
    assert cluster(x, None).tolist() == [0, 0]
    assert cluster(x, 3).tolist() == [0, 1]              # cannot give more speakers than windows
    assert ahc_count(_speakers([15], spread=0.3)[0]) == 1


def test_same_answer_every_time():
    x, _ = _speakers([9, 7, 6], spread=0.5)
    assert cluster(x, 3).tolist() == cluster(x.copy(), 3).tolist()


def test_a_long_session_is_clustered_from_a_sample_and_the_rest_assigned():
    x, truth = _speakers([700, 500, 400], spread=0.3)
    order = np.random.default_rng(2).permutation(len(x))
    labels = cluster(x[order], None)
    assert _same_grouping(labels, truth[order])


class _FakeEmbedder:
    """Speaker by the audio's constant level: 0.1 is one voice, 0.2 another (exact vectors)."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        rng = np.random.default_rng(0)
        self.voices = {1: rng.standard_normal(DIM), 2: rng.standard_normal(DIM)}

    def embed_many(self, windows):
        self.calls += [len(w) for w in windows]
        rows = [self.voices[int(round(float(np.median(w)) * 10))] for w in windows]
        return np.array([r / np.linalg.norm(r) for r in rows], np.float32)


def _speech(seconds: float, voice: int) -> np.ndarray:
    return np.full(int(seconds * 16000), voice / 10, np.float32)


def test_diarizer_embeds_windows_as_they_arrive_and_merges_turns():
    emb = _FakeEmbedder()
    d = Diarizer(emb)
    for i in range(30):                                  # 3 s of voice 1 in 0.1 s blocks, contiguous
        d.add_speech(1.0 + i * 0.1, _speech(0.1, 1))
    assert emb.calls == [24000] * 3                      # windows at 1.0, 1.75, 2.5: embedded already
    d.add_speech(5.0, _speech(3.0, 2))                   # a gap: new windows
    d.add_speech(9.0, _speech(0.3, 1))                   # too short for a window: nothing computed
    d.add_speech(10.0, _speech(0.6, 1))                  # short, but long enough for one window
    turns = d.turns()
    assert [t.speaker for t in turns] == [1, 2, 1]
    assert turns[0] == Turn(1.0, 4.0, 1)
    assert turns[1] == Turn(5.0, 8.0, 2)
    assert turns[2].start == pytest.approx(10.0) and turns[2].end == pytest.approx(10.6)
    assert speaker_of(turns, 5.5, 6.0) == 2
    assert speaker_of(turns, 3.5, 5.6) == 2              # 0.5 s with speaker 1, 0.6 s with speaker 2
    assert speaker_of(turns, 8.2, 8.9) is None


def test_a_window_speaks_for_its_centre_and_a_change_inside_a_stretch_splits_there():
    d = Diarizer(_FakeEmbedder())
    d.add_speech(0.0, np.concatenate([_speech(3.0, 1), _speech(3.0, 2)]))
    turns = d.turns()
    # windows at 0, 0.75, ... 4.5 s; the one at 2.25 s (half and half) may go either way
    assert [t.speaker for t in turns] == [1, 2]
    assert turns[0].start == 0.0 and turns[-1].end == pytest.approx(6.0)
    assert abs(turns[0].end - 3.0) <= 0.75


def test_the_latest_windows_are_clustered_into_turns_with_each_speakers_mean_voice_and_the_stretch_stays_open():
    emb = _FakeEmbedder()
    d = Diarizer(emb)
    d.add_speech(0.0, _speech(3.0, 1))
    d.add_speech(4.0, _speech(3.0, 2))
    d.add_speech(7.0, _speech(3.0, 1))                   # contiguous with the stretch before: one open stretch
    assert d.window_count == 3 + 7                        # windows every 0.75 s: 0-1.5 s, then 4.0-8.5 s
    turns, means = d.recent_turns(7, speakers=2)         # the windows of 4.0-10.0 s only
    assert [t.speaker for t in turns] == [1, 2] and turns[0].start == pytest.approx(4.0)
    assert set(means) == {1, 2}
    assert float(means[1] @ emb.voices[2] / np.linalg.norm(emb.voices[2])) == pytest.approx(1.0, abs=1e-5)
    d.add_speech(10.0, _speech(1.5, 1))                  # the same stretch goes on: windows at 9.25 and 10.0 s
    assert len(d.recent_vectors(100)) == 12              # (a closed one would have started anew: one at 10.0 s)


def test_a_live_diarizer_keeps_only_the_latest_windows_so_memory_stays_bounded():
    d = Diarizer(_FakeEmbedder(), keep=4)
    for second in range(60):
        d.add_speech(float(second), _speech(1.0, 1 + second // 30))
    assert 4 <= d.window_count < 8
    turns, _ = d.recent_turns(4, speakers=1)
    assert turns[-1].end == pytest.approx(60.0) and turns[0].start >= 55.0


def test_a_clear_count_comes_only_from_a_spectrum_that_shows_it():
    two, _ = _speakers([15, 15])
    assert clear_count(two) == 2
    assert clear_count(two[: EIGENGAP_MIN_POINTS - 1]) is None, "too few windows to read a spectrum"
    for seed in range(5):
        one, _ = _speakers([40], spread=0.6, seed=seed)
        assert clear_count(one) in (None, 1), "one voice never shows a clear second"


def test_speakers_given_and_nothing_fed():
    assert Diarizer(_FakeEmbedder()).turns() == []
    with pytest.raises(ValueError):
        Diarizer(_FakeEmbedder(), speakers=0)
    d = Diarizer(_FakeEmbedder(), speakers=1)
    d.add_speech(0.0, _speech(2.0, 1))
    d.add_speech(3.0, _speech(2.0, 2))
    assert {t.speaker for t in d.turns()} == {1}


def test_groups_of_one_voice_are_merged_and_different_voices_are_not():
    """One voice heard in two sound conditions (a shared offset per half), and a second voice: the two halves are
    one speaker, the other voice stays apart."""
    rng = np.random.default_rng(3)
    voice, other = rng.standard_normal(DIM), rng.standard_normal(DIM)
    shift = rng.standard_normal(DIM)

    def windows(centre, count, offset):
        rows = centre / np.linalg.norm(centre) + offset + 0.6 * rng.standard_normal((count, DIM)) / np.sqrt(DIM)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    x = np.concatenate([windows(voice, 6, 0.25 * shift / np.linalg.norm(shift)), windows(other, 6, 0.0),
                        windows(voice, 6, -0.25 * shift / np.linalg.norm(shift))])
    split = np.repeat([0, 1, 2], 6)                       # what over-splitting average linkage gave
    merged = merge_same_voice(x, split)
    assert _same_grouping(merged, np.repeat([0, 1, 0], 6))
    assert _same_grouping(merge_same_voice(x, np.repeat([0, 1, 0], 6)), np.repeat([0, 1, 0], 6))
    assert _same_grouping(merge_same_voice(x, split, distance=0.0), split), "nothing merges below the distance"
