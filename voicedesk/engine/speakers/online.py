"""Live speaker numbers: each final's voice joins the nearest speaker heard so far, or starts a new one.

A live label cannot wait for the whole session, so speakers are kept as running centroids of the embeddings
given to them (online clustering). A voice further than `threshold` (cosine distance) from every speaker
starts a new one; in Auto while fewer than MAX_SPEAKERS exist, with a given count while fewer than that count
exist. Too little audio gives a noisy embedding, so a short stretch never starts a speaker nor moves one:
it takes the nearest one's label. The settle pass decodes each sentence whole, and its label (from the whole
sentence's audio) is the one that stays.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from voicedesk.engine.speakers.clustering import AUTO_THRESHOLD, MAX_SPEAKERS

NEW_SPEAKER_MIN_S = 1.5     # less audio than this joins the nearest speaker: its embedding is too noisy to start one


class OnlineSpeakers:
    """Speakers as running centroids; `assign` numbers a voice from 1 and learns from it."""

    def __init__(self, speakers: Optional[int] = None, threshold: float = AUTO_THRESHOLD) -> None:
        self.limit = speakers if speakers else MAX_SPEAKERS
        self.threshold = threshold
        self._sums: list[np.ndarray] = []

    @property
    def count(self) -> int:
        return len(self._sums)

    def nearest(self, vector: np.ndarray) -> tuple[Optional[int], float]:
        """(the nearest speaker from 1, its cosine distance); (None, 2.0) before anyone spoke."""
        if not self._sums:
            return None, 2.0
        unit = _unit(vector)
        distances = [1.0 - float(np.dot(unit, _unit(s))) for s in self._sums]
        best = int(np.argmin(distances))
        return best + 1, distances[best]

    def assign(self, vector: np.ndarray, seconds: float) -> int:
        """The speaker of a voice heard for `seconds`: the nearest one, or a new one when it is far from all.

        Only a voice heard long enough teaches the speakers: a short one is labelled, and forgotten."""
        speaker, distance = self.nearest(vector)
        if speaker is None or (distance > self.threshold and self.count < self.limit
                               and seconds >= NEW_SPEAKER_MIN_S):
            self._sums.append(_unit(vector).astype(np.float64))
            return self.count
        if seconds >= NEW_SPEAKER_MIN_S:
            self._sums[speaker - 1] += _unit(vector)
        return speaker


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector
