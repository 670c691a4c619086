"""Live speaker labels: how much of the speech before a final its voice is taken from (engine/speaker_labels.py).

The speaker model is replaced by a recorder of the audio it is given (a real CAM++ run is in
tests/integration/test_speaker_labels_live.py); the labeller, its audio history and its online speakers are real.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.engine.audio_history import AudioHistory
from voicedesk.engine.events import FinalSegment
from voicedesk.engine.settings import Speakers
from voicedesk.engine.speaker_labels import CONTEXT_S, SpeakerLabeller
from voicedesk.engine.speakers.online import NEW_SPEAKER_MIN_S


class _RecordingEmbedder:
    """Gives every window the same voice and keeps each window's length in seconds."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def embed_many(self, windows: Sequence[np.ndarray]) -> np.ndarray:
        self.seconds += [len(w) / SAMPLE_RATE for w in windows]
        return np.tile(np.eye(1, 8, 0, dtype=np.float32), (len(windows), 1))


def _labeller(seconds_of_audio: float) -> tuple[SpeakerLabeller, _RecordingEmbedder]:
    history = AudioHistory(60.0)
    history.append(np.full(int(seconds_of_audio * SAMPLE_RATE), 0.1, np.float32))
    embedder = _RecordingEmbedder()
    return SpeakerLabeller(Speakers(enabled=True), True, history, embedder=embedder), embedder


def test_continuous_half_second_finals_are_heard_with_just_enough_speech_before_them_to_teach_the_speakers():
    labeller, embedder = _labeller(10.0)
    for k in range(16):     # continuous speech: finals of half a second, no pause between them
        labeller.label_final(FinalSegment(k, "word", 0.5 * k, 0.5 * (k + 1), "en"))
    # the first finals reach back to where the speech began; from then on each piece is CONTEXT_S long
    assert embedder.seconds[:3] == [0.5, 1.0, 1.5]
    assert all(abs(s - CONTEXT_S) < 1e-3 for s in embedder.seconds[4:])
    # long enough to teach the speakers, and short enough not to reach far into a voice before a turn without a pause
    assert NEW_SPEAKER_MIN_S <= CONTEXT_S < 2.0


def test_a_pause_before_a_final_ends_the_speech_it_is_heard_with():
    labeller, embedder = _labeller(10.0)
    labeller.label_final(FinalSegment(0, "Hello there.", 0.0, 2.0, "en"))
    labeller.label_final(FinalSegment(1, "Yes.", 2.5, 3.0, "en"))    # after a 0.5 s pause: perhaps someone else
    assert embedder.seconds == [2.0, 0.5]
