"""Live speaker numbers: each final's voice joins the nearest speaker heard so far, or starts a new one.

A live label cannot wait for the whole session, so speakers are kept as running centroids of the embeddings
given to them (online clustering). A voice further than `threshold` (cosine distance) from every speaker
starts a new one; in Auto while fewer than MAX_SPEAKERS exist, with a given count while fewer than that count
exist. Too little audio gives a noisy embedding, so a short stretch never starts a speaker nor moves one:
it takes the nearest one's label; a speaker known only from a short stretch (the session's first words) takes the
voice of the first long one far from it as its own. The settle pass decodes each sentence whole, and its label (from the whole
sentence's audio) is the one that stays. Running centroids can merge two close voices for good (the real call's two
women, 0.23 apart): when clustering the session's windows shows more voices clearly, `adopt` takes its speakers'
voices (speaker_labels.py).
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from voicedesk.engine.speakers.clustering import MAX_SPEAKERS, unit

NEW_SPEAKER_MIN_S = 1.5     # less audio than this joins the nearest speaker: its embedding is too noisy to start one
# A voice this far (cosine) from every speaker's centroid is someone new. Measured on issue 22's recordings with
# pieces of up to 3 s: a piece lay at most 0.18 from its own speaker's centroid and at least 0.35 from another's
# (the two women of the real call; other pairs 0.52-0.70). The file route's 0.6 (average linkage of windows)
# never told the call's two voices apart live. (Live pieces are now up to 1.6 s: speaker_labels.CONTEXT_S.)
NEW_SPEAKER_DISTANCE = 0.45


class OnlineSpeakers:
    """Speakers as running centroids; `assign` numbers a voice from 1 and learns from it."""

    def __init__(self, speakers: Optional[int] = None, threshold: float = NEW_SPEAKER_DISTANCE) -> None:
        self.limit = speakers if speakers else MAX_SPEAKERS
        self.threshold = threshold
        self._sums: list[np.ndarray] = []
        self._heard_s: list[float] = []     # the seconds each speaker's centroid was learnt from

    @property
    def count(self) -> int:
        return len(self._sums)

    def nearest(self, vector: np.ndarray) -> tuple[Optional[int], float]:
        """(the nearest speaker from 1, its cosine distance); (None, 2.0) before anyone spoke."""
        if not self._sums:
            return None, 2.0
        voice = unit(vector)
        distances = [1.0 - float(np.dot(voice, unit(s))) for s in self._sums]
        best = int(np.argmin(distances))
        return best + 1, distances[best]

    def adopt(self, voices: dict[int, tuple[np.ndarray, float]]) -> None:
        """The clustering's voices: for each speaker, a mean embedding and the seconds it was heard; the number after
        the last starts a new speaker."""
        for speaker, (vector, seconds) in sorted(voices.items()):
            if speaker == self.count + 1:
                self._sums.append(np.zeros(len(vector), np.float64))
                self._heard_s.append(0.0)
            # weighed like the voices `assign` learns from: one for each NEW_SPEAKER_MIN_S heard
            self._sums[speaker - 1] = unit(vector).astype(np.float64) * max(1.0, seconds / NEW_SPEAKER_MIN_S)
            self._heard_s[speaker - 1] = seconds

    def assign(self, vector: np.ndarray, seconds: float) -> int:
        """The speaker of a voice heard for `seconds`: the nearest one, or a new one when it is far from all.

        Only a voice heard long enough teaches the speakers: a short one is labelled, and forgotten."""
        speaker, distance = self.nearest(vector)
        long_enough = seconds >= NEW_SPEAKER_MIN_S
        if speaker is not None and distance > self.threshold and long_enough and self._heard_s[speaker - 1] < NEW_SPEAKER_MIN_S:
            # the nearest speaker was only ever a short stretch (the session's first words): its voice is now known
            self._sums[speaker - 1] = unit(vector).astype(np.float64)
            self._heard_s[speaker - 1] = seconds
            return speaker
        if speaker is None or (distance > self.threshold and self.count < self.limit and long_enough):
            self._sums.append(unit(vector).astype(np.float64))
            self._heard_s.append(seconds)
            return self.count
        if long_enough:
            self._sums[speaker - 1] += unit(vector)
            self._heard_s[speaker - 1] += seconds
        return speaker

