"""Live speaker numbers from online clustering: who a voice is, as it is heard, from synthetic embeddings."""

from __future__ import annotations

import numpy as np

from voicedesk.engine.speakers.online import NEW_SPEAKER_MIN_S, OnlineSpeakers

RNG = np.random.default_rng(7)
ANA, BO, CY = (RNG.normal(size=192) for _ in range(3))


def heard(voice: np.ndarray, noise: float = 0.3) -> np.ndarray:
    return voice + noise * np.linalg.norm(voice) / np.sqrt(192) * RNG.normal(size=192)


def test_the_first_voice_is_speaker_1_and_stays_so():
    speakers = OnlineSpeakers()
    assert [speakers.assign(heard(ANA), 2.0) for _ in range(5)] == [1] * 5


def test_a_far_voice_heard_long_enough_is_a_new_speaker_and_a_returning_one_gets_its_label_back():
    speakers = OnlineSpeakers()
    assert speakers.assign(heard(ANA), 2.0) == 1
    assert speakers.assign(heard(BO), 2.0) == 2
    assert speakers.assign(heard(ANA), 0.8) == 1 and speakers.assign(heard(BO), 3.0) == 2
    assert speakers.count == 2


def test_a_short_stretch_never_starts_a_speaker_nor_moves_one():
    speakers = OnlineSpeakers()
    speakers.assign(heard(ANA), 2.0)
    before = speakers.nearest(ANA)[1]
    assert speakers.assign(heard(BO), NEW_SPEAKER_MIN_S - 0.1) == 1, "too little voice: the nearest label"
    assert speakers.count == 1 and speakers.nearest(ANA)[1] == before, "and Speaker 1 did not learn from it"
    assert speakers.assign(heard(BO), NEW_SPEAKER_MIN_S) == 2


def test_a_given_count_is_never_exceeded():
    speakers = OnlineSpeakers(speakers=2)
    labels = [speakers.assign(heard(voice), 2.0) for voice in (ANA, BO, CY, CY)]
    assert labels[:2] == [1, 2] and set(labels) == {1, 2} and speakers.count == 2
