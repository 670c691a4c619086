"""A run's speaker labels (schema 4), on the ASR thread, from the same speech the transcriber gets.

- **Live** (a microphone, a paced replay): each final is labelled as it is sent, from its own audio and up to 3 s
  of the speech just before it when no pause came between (the run's audio history; continuous speech arrives
  as finals of half a second, too little to tell a voice by), by online clustering over the session so far (`speakers/online.py`); when its sentence settles,
  the sentence's whole audio decides its label once more, and that label is final.
- **A file**: speech is fed to the diarizer as it is heard (windows of 1.5 s, embedded as they complete), finals
  are remembered, and at the end of the run one `SpeakerLabels` event gives each final the speaker who said most
  of it, from clustering the whole file (`speakers/diarizer.py`). Windows rather than whole finals: one final
  may hold two voices when a turn changes without a pause. Tried on jfk+quilter (joined), units made of the
  finals (long ones cut in windows) gave an Auto count of 3 where the diarizer's windows give 2.

Silence costs nothing. A missing or corrupt speaker model never stops a run: the engine reports it once and
transcribes without labels.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Optional

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.engine.audio_history import AudioHistory
from voicedesk.engine.events import FinalSegment, Settled, SpeakerLabels
from voicedesk.engine.settings import Speakers
from voicedesk.engine.speakers.clustering import SAME_VOICE_DISTANCE
from voicedesk.engine.speakers.diarizer import Diarizer, speaker_of
from voicedesk.engine.speakers.embedder import SpeakerEmbedder
from voicedesk.engine.speakers.online import OnlineSpeakers
from voicedesk.models.speaker_model import SpeakerModelError, installed_speaker_model

MIN_EMBED_S = 0.3    # shorter finals (an "mm") keep the last speaker: there is too little voice to tell
MAX_EMBED_S = 12.0   # a live final is embedded from its first seconds (a bounded cost)
RECENT_VOICES = 16   # live finals' embeddings kept for their sentences' settling
CONTEXT_S = 3.0      # a live final is embedded with up to this much of the speech before it, without a pause...
RUN_GAP_S = 0.3      # ...longer than this (a turn may change at a pause)


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
                 embedder: Optional[SpeakerEmbedder] = None) -> None:
        """Loads the speaker model unless `embedder` is given; raises SpeakerModelError (one line)."""
        self._embedder = embedder or SpeakerEmbedder(speaker_model_file(settings))
        self._realtime = realtime
        self._audio = audio
        self._count = settings.count or None
        self._online = OnlineSpeakers(self._count)
        self._diarizer = None if realtime else Diarizer(self._embedder, speakers=self._count)
        self._finals: dict[int, tuple[float, float]] = {}         # a file's finals: their spans
        self._last: Optional[int] = None
        self._recent: dict[tuple[float, float], tuple[np.ndarray, float]] = {}   # live finals' voices, by span
        self._run_start = self._run_end = -1.0     # live: the stretch of finals with no pause between them
        self._final_labels: dict[int, Optional[int]] = {}    # live: recent finals' labels, by segment id
        self.turn_changed = False      # live: the final just labelled has another speaker than the one before

    def hear(self, start: float, samples: np.ndarray) -> None:
        """A stretch of a file's speech audio at session time `start` (live labels read the audio history)."""
        if self._diarizer is not None:
            self._diarizer.add_speech(start, samples)

    def voice_changes_at(self, at: float) -> bool:
        """A file's: whether the voice before the pause at `at` may differ from the one after (True when unsure)."""
        if self._diarizer is None:
            return False
        distance = self._diarizer.distance_across(at)
        return distance is None or distance >= SAME_VOICE_DISTANCE

    def label_final(self, event: FinalSegment) -> FinalSegment:
        """Live: the final with its speaker; a file's is embedded now and labelled at the end of the run."""
        if not self._realtime:
            self._finals[event.segment_id] = (event.start, event.end)
            return event
        # continuous speech comes as finals of half a second: each is heard with the speech just before it
        if event.start - self._run_end > RUN_GAP_S:
            self._run_start = event.start
        self._run_end = event.end
        start = min(event.start, max(self._run_start, event.end - CONTEXT_S))
        before = self._last
        speaker = self._assign(self._voice(start, event.end))
        self.turn_changed = before is not None and speaker != before
        self._final_labels = {**dict(list(self._final_labels.items())[-RECENT_VOICES + 1:]), event.segment_id: speaker}
        return dataclasses.replace(event, speaker=speaker)

    def label_settled(self, event: Settled) -> Settled:
        """Live: the settled sentence's speaker, from its whole audio (never changed after this)."""
        if not self._realtime:
            return event
        if len({self._final_labels.get(i) for i in event.segment_ids} - {None}) > 1:
            return event    # its finals were told apart (a turn without a pause): one label would undo that
        return dataclasses.replace(event, speaker=self._assign(self._voice(event.start, event.end)))

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

    def labels(self) -> Optional[SpeakerLabels]:
        """A file's finals labelled from clustering all its speech; None live (labels went out with the text)."""
        if self._diarizer is None:
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
