"""Speaker turns for a session: windows over the speech it is fed, embedded as they arrive, clustered on demand.

The caller hands over stretches of speech (what the VAD kept) at their session times; silence is never
fed, so nothing is computed for it. Inside a stretch, windows of `window_s` start every `hop_s`; each
is embedded as soon as its audio is complete and its samples dropped, so memory grows by one small
vector per window (192 floats every 0.75 s), not with the audio. A gap in time ends a stretch; the end
of a stretch adds one last window over its remaining audio, and a stretch shorter than a window gets
one window of its own when it lasts at least `min_window_s`.

`turns()` clusters every window so far. A window speaks for the middle of its span (its centre hop
region): the time between two neighbouring windows is split halfway between their centres, and the
first and last windows of a stretch reach to its edges. Neighbouring regions of the same speaker
merge into one `Turn`. Speakers are numbered from 1 in order of first appearance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Protocol, Sequence

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.engine.speakers.clustering import cluster, unit

_GAP_S = 0.01           # a stretch starting further than this from the last one's end starts new windows
_TAIL_MIN_S = 0.1       # a stretch's last window is added when its end is at least this past the last window


class Embedder(Protocol):
    def embed_many(self, windows: Sequence[np.ndarray]) -> np.ndarray: ...


@dataclass(frozen=True)
class Turn:
    """One speaker talking from `start` to `end` (session seconds); `speaker` counts from 1."""

    start: float
    end: float
    speaker: int


@dataclass(frozen=True)
class _Window:
    start: float
    end: float
    stretch: int


class Diarizer:
    """Collects speech, embeds its windows as they complete, and answers who spoke when."""

    def __init__(self, embedder: Embedder, speakers: Optional[int] = None, window_s: float = 1.5,
                 hop_s: float = 0.75, min_window_s: float = 0.5, keep: Optional[int] = None) -> None:
        """`keep`: live, only (at least) the latest `keep` windows are kept, for `recent_turns`; None keeps every
        window (a file's `turns` clusters them all)."""
        if not 0 < hop_s <= window_s:
            raise ValueError("hop_s must be positive and no longer than window_s")
        if speakers is not None and speakers < 1:
            raise ValueError("speakers must be at least 1 (or None for Auto)")
        self._embedder = embedder
        self.speakers = speakers
        self._window = int(round(window_s * SAMPLE_RATE))
        self._hop = int(round(hop_s * SAMPLE_RATE))
        self._min_window = int(round(min_window_s * SAMPLE_RATE))
        self._windows: list[_Window] = []
        self._vectors: list[np.ndarray] = []
        self._stretches: list[tuple[float, float]] = []
        self._buffer = np.zeros(0, np.float32)      # the open stretch's audio from the next window's start
        self._buffer_start = 0.0                    # session time of _buffer[0]
        self._open = False
        self._open_windows = 0
        self._keep = keep

    @property
    def window_count(self) -> int:
        return len(self._windows)

    def add_speech(self, start_s: float, samples: np.ndarray) -> None:
        """Speech audio (16 kHz mono float32) beginning at session time `start_s`."""
        samples = np.asarray(samples, np.float32).reshape(-1)
        if self._open:
            expected = self._buffer_start + len(self._buffer) / SAMPLE_RATE
            if abs(start_s - expected) > _GAP_S:
                self._close()
        if not self._open:
            self._open = True
            self._open_windows = 0
            self._stretches.append((start_s, start_s))
            self._buffer = np.zeros(0, np.float32)
            self._buffer_start = start_s
        self._buffer = np.concatenate([self._buffer, samples])
        self._stretches[-1] = (self._stretches[-1][0], self._buffer_start + len(self._buffer) / SAMPLE_RATE)
        while len(self._buffer) >= self._window:
            self._embed(self._buffer[:self._window], self._buffer_start)
            self._buffer = self._buffer[self._hop:].copy()
            self._buffer_start += self._hop / SAMPLE_RATE

    def _embed(self, audio: np.ndarray, start: float) -> None:
        vector = self._embedder.embed_many([audio])[0]
        self._vectors.append(np.asarray(vector, np.float32))
        self._windows.append(_Window(start, start + len(audio) / SAMPLE_RATE, len(self._stretches) - 1))
        self._open_windows += 1
        if self._keep is not None and len(self._windows) >= 2 * self._keep:     # trimmed now and then, not each time
            del self._windows[:-self._keep], self._vectors[:-self._keep]

    def _close(self) -> None:
        """End the open stretch: its remaining audio becomes one last window when it adds anything."""
        if not self._open:
            return
        self._open = False
        end = self._buffer_start + len(self._buffer) / SAMPLE_RATE
        if self._open_windows == 0:
            if len(self._buffer) >= self._min_window:
                self._embed(self._buffer, self._buffer_start)
        elif end - self._windows[-1].end >= _TAIL_MIN_S and len(self._buffer) >= self._min_window:
            self._embed(self._buffer, self._buffer_start)
        self._buffer = np.zeros(0, np.float32)

    def distance_across(self, at: float, reach_s: float = 3.0) -> Optional[float]:
        """The cosine distance between the voice of the windows within `reach_s` before `at` and of those after it
        (by their centres); None while either side has no window yet."""
        centres = [((w.start + w.end) / 2, v) for w, v in zip(self._windows, self._vectors)]
        before = [v for c, v in centres if at - reach_s <= c < at]
        after = [v for c, v in centres if at < c <= at + reach_s]
        if not before or not after:
            return None
        a, b = np.mean(before, axis=0), np.mean(after, axis=0)
        norms = float(np.linalg.norm(a) * np.linalg.norm(b))
        return 1.0 - float(a @ b) / norms if norms > 0 else None

    def turns(self) -> list[Turn]:
        """Every speaker turn so far, in time order (ends the open stretch: later speech starts a new one)."""
        self._close()
        if not self._windows:
            return []
        return self._turns(0, cluster(np.stack(self._vectors), self.speakers))

    def recent_vectors(self, windows: int) -> np.ndarray:
        """The embeddings of the latest `windows` windows, (n, dim); the open stretch stays open."""
        recent = self._vectors[-windows:]
        return np.stack(recent) if recent else np.zeros((0, 0), np.float32)

    def recent_turns(self, windows: int, speakers: int) -> tuple[list[Turn], dict[int, np.ndarray]]:
        """Live: the latest `windows` windows clustered into `speakers` speakers, as turns, with each speaker's mean
        embedding (unit length); numbered within this answer only. The open stretch stays open."""
        vectors = self.recent_vectors(windows)
        if not len(vectors):
            return [], {}
        labels = cluster(vectors, speakers)
        means = {int(g) + 1: unit(vectors[labels == g].mean(0)) for g in np.unique(labels)}
        return self._turns(len(self._windows) - len(vectors), labels), means

    def _turns(self, first: int, labels: np.ndarray) -> list[Turn]:
        """The windows from `first` on, labelled `labels` (from 0), as turns: neighbouring regions of one speaker
        merged."""
        turns: list[Turn] = []
        for (start, end), label in zip(self._regions()[first:], labels):
            speaker = int(label) + 1
            if turns and turns[-1].speaker == speaker and start - turns[-1].end <= _GAP_S:
                turns[-1] = Turn(turns[-1].start, end, speaker)
            else:
                turns.append(Turn(start, end, speaker))
        return turns

    def _regions(self) -> list[tuple[float, float]]:
        """The span each window speaks for: halfway to its neighbours' centres, out to its stretch's edges."""
        regions = []
        for i, w in enumerate(self._windows):
            stretch_start, stretch_end = self._stretches[w.stretch]
            centre = (w.start + w.end) / 2
            before = self._windows[i - 1] if i > 0 and self._windows[i - 1].stretch == w.stretch else None
            after = self._windows[i + 1] if i + 1 < len(self._windows) and self._windows[i + 1].stretch == w.stretch \
                else None
            start = (centre + (before.start + before.end) / 2) / 2 if before else stretch_start
            end = (centre + (after.start + after.end) / 2) / 2 if after else stretch_end
            regions.append((start, end))
        return regions


def speaker_of(turns: Sequence[Turn], start: float, end: float) -> Optional[int]:
    """The speaker (from 1) whose turns overlap [start, end] the most, or None when none does."""
    overlap: dict[int, float] = {}
    for t in turns:
        shared = min(end, t.end) - max(start, t.start)
        if shared > 0:
            overlap[t.speaker] = overlap.get(t.speaker, 0.0) + shared
    if not overlap:
        return None
    return max(sorted(overlap), key=lambda s: overlap[s])
