"""A run's speaker labels (schema 4), on the ASR thread, from the same speech the transcriber gets.

- **Live** (a microphone, a paced replay): each final is labelled as it is sent, from its own audio and the speech just
  before it when no pause came between, 1.6 s in all (the run's audio history; continuous speech arrives
  as finals of half a second, too little to tell a voice by), by online clustering over the session so far
  (`speakers/online.py`); when its sentence settles, the sentence's whole audio decides its label once more, and
  that label is final. The speech is also embedded in the diarizer's windows as it is heard: when clustering the
  latest windows clearly shows more voices than the live speakers (`clustering.clear_count`, asked before each final
  and each settle that follows new windows, and believed when two answers in a row agree; running centroids can
  merge two close voices for good), the clustering's speakers become the live ones, matched to the live numbers by
  the time they share with the labelled finals, and a settling sentence takes its speaker from it. Asked only at
  settles, a long sentence of continuous talk kept the merged voices until its end: live runs of the real call found
  one speaker in 7 of 14 (fair DER median 48.5%); asked at each final, two in 15 of 15 (median 24.5%; README).
- **A file**: speech is fed to the diarizer as it is heard (windows of 1.5 s, embedded as they complete), finals
  are remembered, and at the end of the run one `SpeakerLabels` event gives each final the speaker who said most
  of it, from clustering the whole file (`speakers/diarizer.py`). Windows rather than whole finals: one final
  may hold two voices when a turn changes without a pause. Tried on jfk+quilter (joined), units made of the
  finals (long ones cut in windows) gave an Auto count of 3 where the diarizer's windows give 2.

Silence costs nothing. A missing or corrupt speaker model never stops a run: the engine reports it once and
transcribes without labels. Nor does a failure while labelling (the speaker model failing on some audio, a bug):
the labeller reports it once through `on_failure` and passes the rest of the run through unlabelled.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.engine.audio_history import AudioHistory
from voicedesk.engine.events import FinalSegment, Settled, SpeakerLabels
from voicedesk.engine.settings import Speakers
from voicedesk.engine.speakers.clustering import SAME_VOICE_DISTANCE, clear_count
from voicedesk.engine.speakers.diarizer import Diarizer, Turn, speaker_of
from voicedesk.engine.speakers.embedder import SpeakerEmbedder
from voicedesk.engine.speakers.online import NEW_SPEAKER_MIN_S, OnlineSpeakers
from voicedesk.models.speaker_model import SpeakerModelError, installed_speaker_model

log = logging.getLogger(__name__)

MIN_EMBED_S = 0.3    # shorter finals (an "mm") keep the last speaker: there is too little voice to tell
MAX_EMBED_S = 12.0   # a live final is embedded from its first seconds (a bounded cost)
RECENT_VOICES = 16   # live finals' embeddings kept for their sentences' settling
CLUSTERED_WINDOWS = 320   # live: the windows a settle clusters, the latest (4 min of speech; eigh of 320 takes ms)
NEW_GROUP_MIN_S = 3.0     # live: a clustered speaker heard less than this does not become a new one (a cough)
# A live final is embedded with the speech before it, without a pause longer than RUN_GAP_S (a turn may change at a
# pause), up to CONTEXT_S in all: just over NEW_SPEAKER_MIN_S, so that the piece teaches the speakers. Longer context
# reaches further into the voice before a turn taken without a pause. The real call's two women, 12 live runs with
# 3 s: fair DER 13.5-49.1% (median 42.3%); 9 runs with 1.6 s: 10.6-49.6% (median 25.6%, two speakers every time;
# README, speaker labels benchmark). The joined recordings, the meeting and four one-voice recordings labelled as with 3 s.
CONTEXT_S = NEW_SPEAKER_MIN_S + 0.1
RUN_GAP_S = 0.3


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _unlabelled(passthrough: Callable[..., Any]) -> Callable[[_Method], _Method]:
    """A labeller's method that, once labelling has failed, returns `passthrough(*args)`: the text goes on."""
    def wrap(method: _Method) -> _Method:
        @functools.wraps(method)
        def guarded(self: "SpeakerLabeller", *args: Any) -> Any:
            if self.failed is None:
                try:
                    return method(self, *args)
                except Exception as exc:  # the run's text matters more than its labels
                    log.exception("speaker labels failed; the run goes on without them")
                    self.failed = exc
                    self.turn_changed = False
                    self._on_failure(exc)
            return passthrough(*args)
        return guarded  # type: ignore[return-value]
    return wrap


def speaker_model_file(settings: Speakers) -> Path:
    """The speaker model a run uses: the one named in its settings, else the installed one (SpeakerModelError)."""
    if settings.model:
        return Path(settings.model)
    installed = installed_speaker_model()
    if installed is None:
        raise SpeakerModelError(
            "Speaker labels need the speaker model, which is not installed: get it with "
            "`voicedesk models download-speaker`, or add a CAM++ .onnx file with `voicedesk models add-speaker FILE`.")
    return installed


class SpeakerLabeller:
    """One run's speaker labels; `realtime` picks the live way or the file way (see the module docstring)."""

    def __init__(self, settings: Speakers, realtime: bool, audio: AudioHistory,
                 embedder: Optional[SpeakerEmbedder] = None, voices: Optional[OnlineSpeakers] = None,
                 on_failure: Callable[[Exception], None] = lambda exc: None) -> None:
        """Loads the speaker model unless `embedder` is given; raises SpeakerModelError (one line). Live, `voices`
        are the speakers an earlier run of the session heard (`self.voices` goes on from them). A failure later,
        while labelling, is passed to `on_failure` once, and the run goes on unlabelled."""
        self.failed: Optional[Exception] = None
        self._on_failure = on_failure
        self._embedder = embedder or SpeakerEmbedder(speaker_model_file(settings))
        self._realtime = realtime
        self._audio = audio
        self._count = settings.count or None
        self._online = voices if voices is not None and realtime else OnlineSpeakers(self._count)
        self._diarizer = Diarizer(self._embedder, speakers=self._count, keep=CLUSTERED_WINDOWS if realtime else None)
        self._finals: dict[int, tuple[float, float]] = {}         # a file's finals: their spans
        self._last: Optional[int] = None
        self._last_guessed = False      # live: the last label was a guess (see `_guessed`)
        self._recent: dict[tuple[float, float], tuple[np.ndarray, float]] = {}   # live finals' voices, by span
        self._run_start = self._run_end = -1.0     # live: the stretch of finals with no pause between them
        self._said: dict[int, tuple[float, float, int]] = {}   # live: finals' spans and labels (settled ones' final)
        self._guessed: set[int] = set()    # live: finals labelled from too little voice to start a speaker
        self.turn_changed = False      # live: the final just labelled has another speaker than the one before
        self._windows_checked = 0      # live: the diarizer's window count when the clustering was last asked
        self._last_clear: Optional[int] = None    # live: the count the clustering showed clearly then

    @property
    def voices(self) -> OnlineSpeakers:
        """The live speakers heard so far (for the session's next run)."""
        return self._online

    @_unlabelled(lambda start, samples: None)
    def hear(self, start: float, samples: np.ndarray) -> None:
        """A stretch of speech audio at session time `start`, for the diarizer's windows."""
        self._diarizer.add_speech(start, samples)

    @_unlabelled(lambda at: False)
    def voice_changes_at(self, at: float) -> bool:
        """A file's: whether the voice before the pause at `at` may differ from the one after (True when unsure)."""
        if self._realtime:
            return False
        distance = self._diarizer.distance_across(at)
        return distance is None or distance >= SAME_VOICE_DISTANCE

    @_unlabelled(lambda event: event)
    def label_final(self, event: FinalSegment) -> FinalSegment:
        """Live: the final with its speaker; a file's is embedded now and labelled at the end of the run."""
        if not self._realtime:
            self._finals[event.segment_id] = (event.start, event.end)
            return event
        # continuous speech comes as finals of half a second: each is heard with the speech just before it
        same_run = event.start - self._run_end <= RUN_GAP_S
        if not same_run:
            self._run_start = event.start
        self._run_end = event.end
        start = min(event.start, max(self._run_start, event.end - CONTEXT_S))
        before, before_guessed = self._last, self._last_guessed
        self._split_when_clear()
        voice = self._voice(start, event.end)
        speaker = self._assign(voice)
        self._last_guessed = voice is None or voice[1] < NEW_SPEAKER_MIN_S
        # A turn's first word or two ("And so") are too little voice to tell whose they are: they take the nearest
        # speaker, often the one before. When the words right after them (no pause) are another speaker's, that is
        # no turn between them: they stay one sentence, and its settling labels it from its whole audio.
        self.turn_changed = before is not None and speaker != before and not (before_guessed and same_run)
        if speaker is not None:
            self._said[event.segment_id] = (event.start, event.end, speaker)
            if self._last_guessed:
                self._guessed.add(event.segment_id)
            if len(self._said) > 2 * CLUSTERED_WINDOWS:    # a run whose sentences never settle: kept bounded
                self._said = dict(list(self._said.items())[-CLUSTERED_WINDOWS:])
                self._guessed &= set(self._said)
        return dataclasses.replace(event, speaker=speaker)

    @_unlabelled(lambda event: event)
    def label_settled(self, event: Settled) -> Settled:
        """Live: the settled sentence's speaker, from the clustering or its whole audio (never changed after this)."""
        if not self._realtime:
            return event
        if len({self._said[i][2] for i in event.segment_ids if i in self._said and i not in self._guessed}) > 1:
            return event    # its finals were told apart (a turn without a pause): one label would undo that
        speaker = self._speaker_after_split(event.start, event.end)
        if speaker is None:
            speaker = self._assign(self._voice(event.start, event.end))
        if speaker is not None:
            for i in set(event.segment_ids) & set(self._said):
                self._said[i] = (*self._said[i][:2], speaker)
            self._guessed -= set(event.segment_ids)     # its whole sentence's voice decided
        return dataclasses.replace(event, speaker=speaker)

    def _speaker_after_split(self, start: float, end: float) -> Optional[int]:
        """Live: when the latest windows clearly hold more voices than there are live speakers, the clustering's
        speakers become the live ones, and the speaker of [start, end] among them is returned; else None."""
        split = self._split_when_clear()
        if split is None:
            return None
        turns, numbers = split
        group = speaker_of(turns, start, end)
        return numbers[group] if group is not None else None

    def _split_when_clear(self) -> Optional[tuple[list[Turn], dict[int, int]]]:
        """Live: the clustering's speakers become the live ones when the latest windows clearly hold more voices than
        there are live speakers, twice in a row; (its turns, {its speaker: live number}), else None. Asked again only
        after new windows (an eigendecomposition of up to CLUSTERED_WINDOWS: 15 ms at most here). One clear answer
        can mislead: JFK's recording, Quilter and JFK again showed 3 voices clearly at 20 windows, none at 21."""
        if self._diarizer.window_count == self._windows_checked or self._online.count >= self._online.limit:
            return None
        self._windows_checked = self._diarizer.window_count
        vectors = self._diarizer.recent_vectors(CLUSTERED_WINDOWS)
        before, self._last_clear = self._last_clear, clear_count(vectors, self._online.limit)
        count = self._last_clear
        if count is None or count != before or count <= self._online.count:
            return None
        turns, means = self._diarizer.recent_turns(CLUSTERED_WINDOWS, count)
        self._said = {i: said for i, said in self._said.items() if said[1] > turns[0].start}
        self._guessed &= set(self._said)
        heard = {group: sum(t.end - t.start for t in turns if t.speaker == group) for group in means}
        numbers = self._live_numbers(turns, means, heard)
        taken = list(numbers.values())
        self._online.adopt({n: (means[g], heard[g]) for g, n in numbers.items() if taken.count(n) == 1})
        log.info("live speakers: the latest %d windows show %d voices clearly; now %d speakers", len(vectors), count,
                 self._online.count)
        return turns, numbers

    def _live_numbers(self, turns: list[Turn], means: dict[int, np.ndarray], heard: dict[int, float]) -> dict[int, int]:
        """{speaker of the clustering: its live number}: paired one to one, most time shared with the labelled
        finals first; one left over is a new speaker when heard long enough and the count allows, else the
        speaker of the nearest live voice."""
        count = self._online.count
        shared = np.zeros((max(means) + 1, count + 1))
        if self._said:
            said = np.array(list(self._said.values()))
            numbers_said = said[:, 2].astype(np.int64)
            for t in turns:
                overlap = np.clip(np.minimum(said[:, 1], t.end) - np.maximum(said[:, 0], t.start), 0.0, None)
                shared[t.speaker] += np.bincount(numbers_said, weights=overlap, minlength=count + 1)[:count + 1]
        numbers: dict[int, int] = {}
        for flat in np.argsort(-shared, axis=None, kind="stable"):
            group, number = (int(v) for v in np.unravel_index(flat, shared.shape))
            if shared[group, number] <= 0:
                break
            if group not in numbers and number not in numbers.values():
                numbers[group] = number
        for group in sorted(set(means) - set(numbers)):
            if heard[group] >= NEW_GROUP_MIN_S and count < self._online.limit:
                count += 1
                numbers[group] = count
            else:
                numbers[group] = self._online.nearest(means[group])[0] or 1
        return numbers

    def _voice(self, start: float, end: float) -> Optional[tuple[np.ndarray, float]]:
        """The speaker embedding of [start, end] and its seconds, or None when too little audio is kept.

        A sentence of one final settles over that final's span: its embedding is reused, not computed again."""
        span = (round(start, 3), round(end, 3))
        if span in self._recent:
            return self._recent[span]
        audio = self._audio.span(start, min(end, start + MAX_EMBED_S))
        if audio is None or len(audio) < MIN_EMBED_S * SAMPLE_RATE:
            return None
        voice = self._embedder.embed_many([audio])[0], len(audio) / SAMPLE_RATE
        self._recent = {**dict(list(self._recent.items())[-RECENT_VOICES + 1:]), span: voice}
        return voice

    def _assign(self, voice: Optional[tuple[np.ndarray, float]]) -> Optional[int]:
        if voice is not None:
            self._last = self._online.assign(*voice)
        return self._last

    @_unlabelled(lambda: None)
    def labels(self) -> Optional[SpeakerLabels]:
        """A file's finals labelled from clustering all its speech; None live (labels went out with the text)."""
        if self._realtime:
            return None
        turns = self._diarizer.turns()
        if not turns or not self._finals:
            return None
        # numbered again by first appearance among the finals: a cluster no final belongs to (a cough, a stray
        # window) is not a speaker of the transcript
        renumber: dict[int, int] = {}
        labels = []
        for segment_id, (start, end) in sorted(self._finals.items()):
            speaker = speaker_of(turns, start, end)
            if speaker is not None:
                labels.append((segment_id, renumber.setdefault(speaker, len(renumber) + 1)))
        return SpeakerLabels(tuple(labels), len(renumber)) if labels else None
