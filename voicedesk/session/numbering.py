"""One owner for a session's segment ids and times across runs (Qt-free, thread-safe).

An engine numbers the finals of each run its own way (its ids go on across the runs of one engine,
start again in a new engine) and counts time from the first sample of the run. A session is made of
many runs (Stop and Start, a lost microphone coming back, a lighter setting, a queue of files, a
restored journal), so every event is moved into session ids and times before anybody stores or shows
it: a run's first id follows the last id the session holds, and its time zero is where the session's
audio ended. The coordinator marks the runs; the engine controller moves the events on the engine's
thread, so they are journaled with their session ids.
"""

from __future__ import annotations

import threading
from dataclasses import fields, replace
from typing import Any, Iterable, Optional, TypeVar

from voicedesk.engine.events import FinalSegment, Partial, Translation
from voicedesk.session.transcript import Segment

E = TypeVar("E")


class SessionNumbering:
    """Moves each run's engine ids and times after what the session already holds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next_id = 0              # the first id the next run's first final may take
        self._time_end = 0.0           # where the session's audio ends
        self._id_shift: Optional[int] = None   # engine id → session id for this run, set by its first id
        self._time_shift = 0.0
        self._heard_until = 0.0        # audio delivered in this run, in run seconds

    @property
    def next_id(self) -> int:
        with self._lock:
            return self._next_id

    @property
    def time_end(self) -> float:
        with self._lock:
            return self._time_end

    def begin_run(self) -> None:
        """A run is about to start: its ids follow the session's, its time zero is the session's end."""
        with self._lock:
            self._id_shift = None
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

    def to_session(self, event: E) -> E:
        """`event` with session ids and times (Partial, FinalSegment, Translation); others as they are."""
        if not isinstance(event, (Partial, FinalSegment, Translation)):
            return event
        with self._lock:
            if self._id_shift is None:
                # a run's first id-carrying event holds its lowest id: a partial names the next final,
                # finals count up, and a sentence or a translation only names finals already sent
                self._id_shift = self._next_id - event.segment_id
            moved = _moved(event, self._id_shift, self._time_shift)
            if isinstance(moved, FinalSegment):
                self._next_id = max(self._next_id, moved.segment_id + 1)
                self._time_end = max(self._time_end, moved.end)
            return moved

    def continue_after(self, segments: Iterable[Segment]) -> None:
        """The session now holds `segments` (restored, opened, or none after New session): go on after them."""
        segments = list(segments)
        with self._lock:
            self._next_id = max((s.segment_id for s in segments), default=-1) + 1
            self._time_end = max((s.end for s in segments), default=0.0)


def _moved(event: Any, id_shift: int, time_shift: float) -> Any:
    if not id_shift and not time_shift:
        return event
    names = {f.name for f in fields(event)}
    changes: dict[str, Any] = {"segment_id": event.segment_id + id_shift,
                               "start": event.start + time_shift, "end": event.end + time_shift}
    if "sentence_id" in names:
        changes["sentence_id"] = event.sentence_id + id_shift
    if "segment_ids" in names:
        changes["segment_ids"] = tuple(i + id_shift for i in event.segment_ids)
    return replace(event, **changes)
