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


def test_a_sentence_of_one_final_settles_on_that_finals_voice_without_embedding_it_again():
    """The labeller on the live route, with the real AudioHistory and a counting stand-in for the ONNX model."""
    from voicedesk.engine.audio_history import AudioHistory
    from voicedesk.engine.events import FinalSegment, Settled
    from voicedesk.engine.settings import Speakers
    from voicedesk.engine.speaker_labels import SpeakerLabeller

    class CountingEmbedder:
        calls = 0

        def embed_many(self, windows):
            CountingEmbedder.calls += len(windows)
            return np.stack([heard(ANA) for _ in windows])

    history = AudioHistory()
    history.append(np.zeros(16000 * 6, np.float32))
    labeller = SpeakerLabeller(Speakers(enabled=True), realtime=True, audio=history, embedder=CountingEmbedder())
    final = labeller.label_final(FinalSegment(0, "hello there", 1.0, 3.0, "en"))
    settled = labeller.label_settled(Settled(0, (0,), "Hello there.", "en", 1.0, 3.0))
    assert final.speaker == settled.speaker == 1
    assert CountingEmbedder.calls == 1
    labeller.label_settled(Settled(1, (1, 2), "A longer sentence.", "en", 3.0, 5.5))
    assert CountingEmbedder.calls == 2, "a sentence over other audio is embedded"


def test_a_speaker_first_heard_in_a_short_noisy_stretch_takes_the_voice_of_the_first_long_one():
    """Continuous speech starts with a half-second final: its embedding is far from the speaker's real voice.
    The first long stretch of that voice must not become a second speaker."""
    speakers = OnlineSpeakers()
    noisy_start = heard(ANA, noise=3.0)
    assert speakers.nearest(heard(ANA))[1] == 2.0
    assert speakers.assign(noisy_start, 0.6) == 1
    assert speakers.nearest(heard(ANA))[1] > speakers.threshold, "the short stretch is far from the voice"
    assert speakers.assign(heard(ANA), 2.5) == 1 and speakers.count == 1
    assert speakers.assign(heard(BO), 2.5) == 2, "once known, a far voice is someone new"
    assert speakers.assign(heard(ANA), 2.0) == 1


def test_adopted_voices_take_over_from_centroids_that_had_merged_two_people():
    speakers = OnlineSpeakers(threshold=1.5)             # too lenient: Ana and Bo become one speaker
    assert [speakers.assign(heard(v), 2.0) for v in (ANA, BO, ANA, BO)] == [1, 1, 1, 1]
    speakers.adopt({1: (ANA, 10.0), 2: (BO, 8.0)})       # what clustering the session's windows found
    assert speakers.count == 2
    assert speakers.assign(heard(BO), 0.8) == 2 and speakers.assign(heard(ANA), 0.8) == 1


class VoiceByLevel:
    """Stands in for the speaker model: audio at level 0.1 is Ana's voice, at 0.2 Bo's (by the window's mean)."""

    def embed_many(self, windows):
        return np.stack([heard(BO if float(np.mean(w)) > 0.15 else ANA) for w in windows])


def _labeller_over(levels: list[tuple[float, float, float]]):
    """A live labeller over audio made of (start, end, level) stretches, silence elsewhere."""
    from voicedesk.engine.audio_history import AudioHistory
    from voicedesk.engine.settings import Speakers
    from voicedesk.engine.speaker_labels import SpeakerLabeller

    audio = np.zeros(16000 * 10, np.float32)
    for start, end, level in levels:
        audio[int(start * 16000):int(end * 16000)] = level
    history = AudioHistory()
    history.append(audio)
    return SpeakerLabeller(Speakers(enabled=True), realtime=True, audio=history, embedder=VoiceByLevel())


def test_a_turns_first_short_words_taken_for_the_last_speaker_do_not_end_a_sentence_before_the_rest_of_the_turn():
    """ "And so" (half a second after a pause) is too little voice: it gets the nearest speaker, Ana. Bo's next words,
    with no pause, are told apart: that is no turn between the two finals, and the sentence's settling labels both."""
    from voicedesk.engine.events import FinalSegment, Settled

    labeller = _labeller_over([(0.5, 3.0, 0.1), (4.0, 6.5, 0.2)])
    assert labeller.label_final(FinalSegment(0, "Mr. Quilter is here.", 0.5, 3.0, "en")).speaker == 1
    labeller.label_settled(Settled(0, (0,), "Mr. Quilter is here.", "en", 0.5, 3.0))
    guessed = labeller.label_final(FinalSegment(1, "And so", 4.0, 4.5, "en"))
    assert guessed.speaker == 1, "too little voice to tell: the nearest speaker"
    rest = labeller.label_final(FinalSegment(2, "my fellow Americans.", 4.5, 6.5, "en"))
    assert rest.speaker == 2
    assert not labeller.turn_changed, "the guess before it was no turn of its own"
    settled = labeller.label_settled(Settled(1, (1, 2), "And so my fellow Americans.", "en", 4.0, 6.5))
    assert settled.speaker == 2


def test_a_voice_heard_long_enough_that_changes_without_a_pause_is_a_turn():
    from voicedesk.engine.events import FinalSegment

    labeller = _labeller_over([(0.5, 3.0, 0.1), (3.0, 6.0, 0.2)])
    assert labeller.label_final(FinalSegment(0, "Ana speaks here.", 0.5, 3.0, "en")).speaker == 1
    assert labeller.label_final(FinalSegment(1, "Bo answers at once.", 3.0, 6.0, "en")).speaker == 2
    assert labeller.turn_changed
