"""The live transcript: final segments in time order with their translations, fed by engine events.

One `Session` is shared between the engine's consumer thread (which calls `apply`) and the
UI/export side (which reads snapshots), so every method takes the same lock and every read
returns immutable data.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Iterable, Optional

from voicedesk.engine.events import Event, FinalSegment, Translation


@dataclass(frozen=True)
class Segment:
    """One committed utterance; `translation` is None until the translator delivers it."""

    segment_id: int
    start: float
    end: float
    text: str
    language: str
    translation: Optional[str] = None
    translation_language: Optional[str] = None


@dataclass(frozen=True)
class SessionSnapshot:
    """The segments at one moment, with the revision to pass to `Session.mark_exported`."""

    segments: tuple[Segment, ...]
    revision: int


def _order_key(segment: Segment) -> tuple[float, int]:
    return (segment.start, segment.segment_id)


class Session:
    """Thread-safe, ordered collection of final segments and their translations."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._segments: dict[int, Segment] = {}
        # Translations run on their own worker, so one may overtake its segment's final event.
        self._pending: dict[int, Translation] = {}
        self._revision = 0
        self._exported_revision = 0

    @classmethod
    def from_segments(cls, segments: Iterable[Segment]) -> "Session":
        """A session re-loaded from saved segments; it starts with nothing unexported."""
        session = cls()
        for segment in segments:
            if segment.segment_id in session._segments:
                raise ValueError(f"duplicate segment id {segment.segment_id}")
            session._segments[segment.segment_id] = segment
        return session

    def apply(self, event: Event) -> Optional[Segment]:
        """Take in one engine event; returns the segment it created or changed, else None."""
        if isinstance(event, FinalSegment):
            return self._apply_final(event)
        if isinstance(event, Translation):
            return self._apply_translation(event)
        return None

    def _apply_final(self, event: FinalSegment) -> Segment:
        with self._lock:
            previous = self._segments.get(event.segment_id)
            segment = Segment(
                segment_id=event.segment_id,
                start=event.start,
                end=event.end,
                text=event.text,
                language=event.language,
            )
            # A repeated final keeps its translation only if the text it translated is unchanged.
            if previous is not None and previous.text == event.text:
                segment = replace(
                    segment,
                    translation=previous.translation,
                    translation_language=previous.translation_language,
                )
            pending = self._pending.pop(event.segment_id, None)
            if pending is not None:
                segment = _with_translation(segment, pending)
            self._store(segment)
            return segment

    def _apply_translation(self, event: Translation) -> Optional[Segment]:
        with self._lock:
            segment = self._segments.get(event.segment_id)
            if segment is None:
                self._pending[event.segment_id] = event
                return None
            segment = _with_translation(segment, event)
            self._store(segment)
            return segment

    def _store(self, segment: Segment) -> None:
        self._segments[segment.segment_id] = segment
        self._revision += 1

    def segments(self) -> list[Segment]:
        """All final segments, ordered by start time, then id."""
        with self._lock:
            return sorted(self._segments.values(), key=_order_key)

    def snapshot(self) -> SessionSnapshot:
        """The ordered segments and the revision they belong to, taken atomically."""
        with self._lock:
            return SessionSnapshot(tuple(self.segments()), self._revision)

    def segment(self, segment_id: int) -> Optional[Segment]:
        with self._lock:
            return self._segments.get(segment_id)

    def __len__(self) -> int:
        with self._lock:
            return len(self._segments)

    @property
    def is_empty(self) -> bool:
        with self._lock:
            return not self._segments

    @property
    def revision(self) -> int:
        """A counter that grows with every change to the segments."""
        with self._lock:
            return self._revision

    @property
    def has_unexported_changes(self) -> bool:
        """True when some text or translation arrived after the last export (what a discard would lose)."""
        with self._lock:
            return bool(self._segments) and self._revision != self._exported_revision

    def mark_exported(self, revision: Optional[int] = None) -> None:
        """Record an export; pass the snapshot's revision so changes that came during it stay unexported."""
        with self._lock:
            self._exported_revision = self._revision if revision is None else revision

    def clear(self) -> None:
        """Drop every segment and waiting translation (a new session starts)."""
        with self._lock:
            self._segments.clear()
            self._pending.clear()
            self._revision += 1
            self._exported_revision = self._revision


def _with_translation(segment: Segment, event: Translation) -> Segment:
    return replace(segment, translation=event.text, translation_language=event.target_language)
