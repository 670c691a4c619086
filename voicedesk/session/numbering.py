"""One owner for a session's segment ids and times across runs (Qt-free, thread-safe).

An engine numbers the finals of each run its own way (its ids go on across the runs of one engine,
start again in a new engine) and counts time from the first sample of the run. A session is made of
many runs (Stop and Start, a lost microphone coming back, a lighter setting, a queue of files, a
restored journal), so every event is moved into session ids and times before anybody stores or shows
it: a run's first id follows the last id the session holds, and its time zero is where the session's
audio ended. The coordinator marks the runs; the engine controller moves the events on the engine's
thread, so they are journaled with their session ids.

Speaker numbers are moved the same way. A live run's speakers keep their numbers across Stop and Start (the
engine keeps their voices while the session stays the same); a file's speakers, and the speakers of runs after
a session was opened or restored, are new people to the session: they take numbers after the ones it holds,
so "Speaker 1" of an opened transcript (perhaps renamed "Ana") is never given to another voice.

The reader's edits take ids too (a line cut in two, a typed line), also mid-run: `new_id` hands out
the next free one, and a run's engine ids are given session ids as they first appear, in order, so
the two never meet.
"""

from __future__ import annotations

import threading
from dataclasses import fields, replace
from typing import Any, Callable, Iterable, Optional, TypeVar

from voicedesk.engine.events import FinalSegment, Partial, Settled, SpeakerLabels, Translation
from voicedesk.session.speakers import NO_SPEAKER_NAMES, SpeakerBook
from voicedesk.session.transcript import Segment

E = TypeVar("E")


class SessionNumbering:
    """Moves each run's engine ids and times after what the session already holds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next_id = 0              # the first id the next run's first final may take
        self._time_end = 0.0           # where the session's audio ends
        self._ids: dict[int, int] = {}         # engine id → session id, for this run
        self._engine_top: Optional[int] = None  # the highest engine id this run has named
        self._time_shift = 0.0
        self._heard_until = 0.0        # audio delivered in this run, in run seconds
        self._session = 0              # which session the runs belong to (see `session`)
        self._speaker_top = 0          # the highest speaker number the session holds
        self._live_speakers: dict[int, int] = {}   # engine speaker → session speaker, for this session's live runs
        self._run_speakers: dict[int, int] = {}    # ... for this run (the live map, or a file's own)

    @property
    def next_id(self) -> int:
        with self._lock:
            return self._next_id

    @property
    def time_end(self) -> float:
        with self._lock:
            return self._time_end

    @property
    def session(self) -> int:
        """Counts the sessions: a new one each time the session is replaced (New session, opened, restored); the
        engine side keeps what only one session's runs share (its speakers' voices) while this stays the same."""
        with self._lock:
            return self._session

    def begin_run(self, live: bool = True) -> None:
        """A run is about to start: its ids follow the session's, its time zero is the session's end, and a
        file's speakers take new numbers (a live run's go on from the session's earlier live runs)."""
        with self._lock:
            self._ids = {}
            self._run_speakers = self._live_speakers if live else {}
            self._engine_top = None
            self._time_shift = self._time_end
            self._heard_until = 0.0

    def end_run(self) -> None:
        """The run is over: the next one starts after all the audio this one heard, text or not."""
        with self._lock:
            self._time_end = max(self._time_end, self._time_shift + self._heard_until)

    def heard(self, run_time: float) -> None:
        """The source has delivered audio up to `run_time` (levels and file progress say so)."""
        with self._lock:
            self._heard_until = max(self._heard_until, run_time)

    def new_id(self) -> int:
        """A session id no final of this run or a later one will take (for a line the reader made)."""
        with self._lock:
            new, self._next_id = self._next_id, self._next_id + 1
            return new

    def now(self) -> float:
        """The session time of the audio heard so far (where a line typed now goes)."""
        with self._lock:
            return max(self._time_end, self._time_shift + self._heard_until)

    def to_session(self, event: E) -> E:
        """`event` with session ids and times (Partial, FinalSegment, Settled, Translation); others as they are."""
        if isinstance(event, SpeakerLabels):
            with self._lock:
                return replace(event, labels=tuple((self._session_id(i), self._session_speaker(n))
                                                   for i, n in event.labels))
        if not isinstance(event, (Partial, FinalSegment, Settled, Translation)):
            return event
        with self._lock:
            moved = _moved(event, self._session_id, self._time_shift)
            speaker = getattr(moved, "speaker", None)
            if speaker is not None:
                moved = replace(moved, speaker=self._session_speaker(speaker))
            if isinstance(moved, FinalSegment):
                self._next_id = max(self._next_id, moved.segment_id + 1)
                self._time_end = max(self._time_end, moved.end)
            return moved

    def _session_id(self, engine_id: int) -> int:
        """The session id of an engine id; a new one (above every id given out) when it first appears.

        A partial names the next final, finals count up, and a sentence or a translation only names
        finals already sent, so new engine ids come in increasing order; a gap the engine left stays.
        """
        known = self._ids.get(engine_id)
        if known is not None:
            return known
        gap = engine_id - self._engine_top - 1 if self._engine_top is not None and engine_id > self._engine_top else 0
        session_id = self._next_id + gap
        self._ids[engine_id] = session_id
        self._engine_top = max(engine_id, self._engine_top if self._engine_top is not None else engine_id)
        self._next_id = max(self._next_id, session_id + 1)
        return session_id

    def _session_speaker(self, engine_speaker: int) -> int:
        """The session's number for the run's speaker `engine_speaker`: a new one (after every number the session
        holds) when it first appears, in the order speakers first speak."""
        known = self._run_speakers.get(engine_speaker)
        if known is None:
            self._speaker_top += 1
            known = self._run_speakers[engine_speaker] = self._speaker_top
        return known

    def new_live_speakers(self) -> None:
        """The engine's live speakers are new voices from now on (a new engine): they take new numbers."""
        with self._lock:
            self._live_speakers.clear()     # in place: a live run already begun maps through the same dict

    def continue_after(self, segments: Iterable[Segment], speakers: SpeakerBook = NO_SPEAKER_NAMES) -> None:
        """The session now holds `segments` (restored, opened, or none after New session), with the user's speaker
        names and merges `speakers`: go on after them."""
        segments = list(segments)
        with self._lock:
            self._next_id = max((s.segment_id for s in segments), default=-1) + 1
            self._time_end = max((s.end for s in segments), default=0.0)
            self._session += 1
            named = [n for pair in speakers.merged for n in pair] + [n for n, _ in speakers.names]
            self._speaker_top = max([s.speaker for s in segments if s.speaker is not None] + named, default=0)
            self._live_speakers = {}
            self._run_speakers = self._live_speakers


def _moved(event: Any, session_id: Callable[[int], int], time_shift: float) -> Any:
    names = {f.name for f in fields(event)}
    changes: dict[str, Any] = {"start": event.start + time_shift, "end": event.end + time_shift}
    if "segment_id" in names:
        changes["segment_id"] = session_id(event.segment_id)
    if "words" in names:
        changes["words"] = tuple((w, a + time_shift, b + time_shift) for w, a, b in event.words)
    if "sentence_id" in names:
        changes["sentence_id"] = session_id(event.sentence_id)
    if "segment_ids" in names:
        changes["segment_ids"] = tuple(session_id(i) for i in event.segment_ids)
    if all(getattr(event, name) == value for name, value in changes.items()):
        return event
    return replace(event, **changes)
