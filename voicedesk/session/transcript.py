"""The live transcript: final segments in time order with their translations, fed by engine events.

A sentence said with pauses arrives as several finals (one per utterance) that share a
`sentence_id`: the id of its first final, the *anchor*. Translation works on whole sentences, so
a sentence's translation is stored on its anchor and the other segments keep none;
`sentences()` gives the grouped view that exports and readers show.

One `Session` is shared between the engine's consumer thread (which calls `apply`) and the
UI/export side (which reads snapshots), so every method takes the same lock and every read
returns immutable data.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Iterable, Optional, Sequence

from voicedesk.engine.events import Event, FinalSegment, Settled, SpeakerLabels, Translation
from voicedesk.session.speakers import SpeakerBook, main_speaker


@dataclass(frozen=True)
class Segment:
    """One committed utterance; `translation` is None until the translator delivers it.

    `sentence_id` is the id of the sentence's first segment (its own id when it starts one;
    -1 at construction means its own id). Only that anchor segment carries the translation.
    """

    segment_id: int
    start: float
    end: float
    text: str
    language: str
    translation: Optional[str] = None
    translation_language: Optional[str] = None
    sentence_id: int = -1
    translation_engine: Optional[str] = None
    edited: bool = False                 # the user changed its text or its sentence (session/edits.py)
    typed: bool = False                  # typed by the user, not heard
    translation_outdated: bool = False   # on an anchor: the translation was made from other text
    settled: bool = False                # its sentence was decoded again whole (a Settled event): final text
    speaker: Optional[int] = None        # who said it (a speaker number; names: session/speakers.py)
    speech: tuple[tuple[float, float], ...] = ()   # its stretches of speech when it holds a pause (FinalSegment.speech)

    def __post_init__(self) -> None:
        if self.sentence_id < 0:
            object.__setattr__(self, "sentence_id", self.segment_id)

    @property
    def is_anchor(self) -> bool:
        """True when this segment starts its sentence (and so holds the sentence's translation)."""
        return self.sentence_id == self.segment_id


@dataclass(frozen=True)
class Sentence:
    """The segments of one sentence seen as one line, with the sentence's translation."""

    sentence_id: int
    segment_ids: tuple[int, ...]
    start: float
    end: float
    text: str                      # the segments' texts, stripped, joined with single spaces
    language: str
    translation: Optional[str] = None
    translation_language: Optional[str] = None
    translation_engine: Optional[str] = None
    edited: bool = False
    typed: bool = False
    translation_outdated: bool = False
    settled: bool = False          # every heard segment of it is settled text (typed lines count as settled)
    speaker: Optional[int] = None  # the speaker of most of its audio, None when no segment has one


@dataclass(frozen=True)
class SessionSnapshot:
    """The segments at one moment, with the revision to pass to `Session.mark_exported`."""

    segments: tuple[Segment, ...]
    revision: int
    speakers: SpeakerBook = SpeakerBook()    # the user's speaker names and merges

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """The snapshot's segments grouped into sentences (see `group_sentences`)."""
        return tuple(group_sentences(self.segments))


def _order_key(segment: Segment) -> tuple[float, int]:
    return (segment.start, segment.segment_id)


def group_sentences(segments: Iterable[Segment]) -> list[Sentence]:
    """Segments grouped by sentence, ordered by start; the one way sentences are formed.

    A segment joins the sentence of its `sentence_id` only when that anchor is present and
    anchors itself; otherwise (an anchor lost to a torn journal line, say) it forms a sentence
    of its own, so no text is ever dropped or attached to an unrelated line.
    """
    ordered = sorted(segments, key=_order_key)
    anchors = {s.segment_id for s in ordered if s.is_anchor}
    groups: dict[int, list[Segment]] = {}
    for segment in ordered:
        key = segment.sentence_id if segment.sentence_id in anchors else segment.segment_id
        groups.setdefault(key, []).append(segment)
    sentences = [_sentence_of(key, members) for key, members in groups.items()]
    return sorted(sentences, key=lambda s: (s.start, s.sentence_id))


def _sentence_of(sentence_id: int, members: Sequence[Segment]) -> Sentence:
    """`members` (in order) as one sentence; the one whose id is `sentence_id` is among them."""
    anchor = next(s for s in members if s.segment_id == sentence_id)
    return Sentence(
        sentence_id=sentence_id,
        segment_ids=tuple(s.segment_id for s in members),
        start=min(s.start for s in members),
        end=max(s.end for s in members),
        text=" ".join(s.text.strip() for s in members if s.text.strip()),
        language=anchor.language,
        translation=anchor.translation,
        translation_language=anchor.translation_language,
        translation_engine=anchor.translation_engine,
        edited=any(s.edited for s in members),
        typed=anchor.typed,
        translation_outdated=anchor.translation_outdated,
        settled=all(s.settled or s.typed or s.edited for s in members),
        speaker=main_speaker((s.speaker, max(s.end - s.start, 0.01)) for s in members),
    )


def segment_events(segments: Iterable[Segment]) -> list[Event]:
    """The events that rebuild `segments` in a fresh Session: each sentence's finals, then its translation.

    For carrying a restored or re-opened session into a new journal, or replaying it as if live.
    """
    by_id = {s.segment_id: s for s in segments}
    events: list[Event] = []
    for sentence in group_sentences(by_id.values()):
        for segment_id in sentence.segment_ids:
            segment = by_id[segment_id]
            events.append(FinalSegment(segment.segment_id, segment.text, segment.start, segment.end,
                                       segment.language, sentence_id=segment.sentence_id, speaker=segment.speaker,
                                       speech=segment.speech))
        settled = [by_id[i] for i in sentence.segment_ids if by_id[i].settled and not by_id[i].edited]
        if settled:
            events.append(Settled(sentence.sentence_id, tuple(s.segment_id for s in settled),
                                  " ".join(s.text.strip() for s in settled if s.text.strip()), sentence.language,
                                  sentence.start, sentence.end, words=_segment_words(settled)))
        if sentence.translation is not None:
            events.append(Translation(
                sentence.sentence_id, sentence.translation, sentence.language,
                sentence.translation_language or "", sentence.start, sentence.end,
                segment_ids=sentence.segment_ids, engine=sentence.translation_engine or "",
            ))
    return events


class Session:
    """Thread-safe, ordered collection of final segments and their sentences' translations."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._segments: dict[int, Segment] = {}
        # Translations run on their own worker, so one may overtake its sentence's finals;
        # it waits here, keyed by its anchor, until the anchor's final arrives.
        self._pending: dict[int, Translation] = {}
        # Non-anchor ids a translation said belong to an anchor, for finals that come after it.
        self._covered_by: dict[int, int] = {}
        self._revision = 0
        self._exported_revision = 0
        self._speakers = SpeakerBook()

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
        """Take in one engine event; returns the segment it created or changed, else None.

        For a translation that is the sentence's anchor segment, which holds it.
        """
        if isinstance(event, FinalSegment):
            return self._apply_final(event)
        if isinstance(event, Translation):
            return self._apply_translation(event)
        if isinstance(event, Settled):
            return self._apply_settled(event)
        if isinstance(event, SpeakerLabels):
            return self._apply_speakers(event)
        return None

    @property
    def speakers(self) -> SpeakerBook:
        """The user's names for speakers and the merges they made."""
        with self._lock:
            return self._speakers

    def set_speakers(self, book: SpeakerBook) -> list[Segment]:
        """Take the user's speaker names and merges; returns the segments a merge moved to another speaker."""
        with self._lock:
            if book != self._speakers:
                self._revision += 1
            self._speakers = book
            moved = []
            for segment in list(self._segments.values()):
                speaker = book.resolve(segment.speaker)
                if speaker != segment.speaker:
                    moved.append(replace(segment, speaker=speaker))
                    self._store(moved[-1])
            return moved

    def _apply_speakers(self, event: SpeakerLabels) -> Optional[Segment]:
        """Each listed final gets its speaker number (the first segment changed is returned)."""
        with self._lock:
            changed: Optional[Segment] = None
            for segment_id, label in event.labels:
                speaker = self._speakers.resolve(label)
                segment = self._segments.get(segment_id)
                if segment is None or segment.speaker == speaker:
                    continue
                updated = replace(segment, speaker=speaker)
                self._store(updated)
                changed = changed or updated
            return changed

    def _apply_settled(self, event: Settled) -> Optional[Segment]:
        """The sentence's settled text replaces its finals' text, shared out by word times; an edit wins."""
        with self._lock:
            heard = [self._segments[i] for i in event.segment_ids if i in self._segments]
            if not heard:
                return None
            texts = share_words(event.words, heard) if event.words else {heard[0].segment_id: event.text}
            changed: Optional[Segment] = None
            for segment in heard:
                if segment.edited:
                    continue        # the user's text wins over the engine's second reading
                text = texts.get(segment.segment_id, "")
                if segment.settled and segment.text == text:
                    continue
                # the engine translates a sentence only once it is settled: a translation already here
                # was made from the audio (Whisper's speech→English), not from the text that changed
                updated = replace(segment, text=text, settled=True,
                                  speaker=segment.speaker if event.speaker is None else self._speakers.resolve(event.speaker))
                self._store(updated)
                changed = changed or updated
            return changed

    def _apply_final(self, event: FinalSegment) -> Segment:
        with self._lock:
            previous = self._segments.get(event.segment_id)
            if previous is not None and previous.edited:
                return previous     # the user's text wins over a repeat of the engine's
            segment = Segment(
                segment_id=event.segment_id,
                start=event.start,
                end=event.end,
                text=event.text,
                language=event.language,
                sentence_id=self._covered_by.get(event.segment_id, event.sentence_id),
                speaker=(self._speakers.resolve(event.speaker) if event.speaker is not None or previous is None
                         else previous.speaker),
                speech=event.speech,
            )
            if previous is not None:
                segment = self._after_repeat(previous, segment)
            pending = self._pending.pop(event.segment_id, None)
            if pending is not None:
                segment = _with_translation(segment, pending)
            self._store(segment)
            return segment

    def _after_repeat(self, previous: Segment, segment: Segment) -> Segment:
        """A repeated final keeps its translation only if the text it translated is unchanged."""
        if previous.text == segment.text and previous.sentence_id == segment.sentence_id:
            return _copy_translation(segment, previous)
        anchor = self._segments.get(previous.sentence_id)
        if not previous.is_anchor and anchor is not None and anchor.translation is not None:
            # The sentence's translation was made from the old text of this part of it.
            self._store(_copy_translation(anchor, None))
        return segment

    def _apply_translation(self, event: Translation) -> Optional[Segment]:
        with self._lock:
            anchor_id = event.segment_ids[0]
            for segment_id in event.segment_ids[1:]:
                self._covered_by[segment_id] = anchor_id
                self._join_sentence(segment_id, anchor_id)
            anchor = self._segments.get(anchor_id)
            if anchor is None:
                self._pending[anchor_id] = event
                return None
            if anchor.edited:
                # made from the engine's text, not the user's: shown, marked outdated until redone
                anchor = replace(_with_translation(anchor, event), translation_outdated=True)
            else:
                anchor = _with_translation(replace(anchor, sentence_id=anchor_id), event)
            self._store(anchor)
            return anchor

    def _join_sentence(self, segment_id: int, anchor_id: int) -> None:
        """Make a covered segment part of the anchor's sentence (the translation is the authority)."""
        segment = self._segments.get(segment_id)
        if segment is None or segment.edited or (segment.sentence_id == anchor_id and segment.translation is None):
            return   # an edited segment's sentence is the user's: split or merged on purpose
        self._store(_copy_translation(replace(segment, sentence_id=anchor_id), None))

    def revise(self, segments: Iterable[Segment], removed: Iterable[int] = ()) -> None:
        """Put `segments` in as they are (replacing those with their ids) and drop `removed`: an edit."""
        with self._lock:
            for segment_id in removed:
                if self._segments.pop(segment_id, None) is not None:
                    self._revision += 1
            for segment in segments:
                self._covered_by.pop(segment.segment_id, None)   # its sentence is now the user's
                self._store(segment)

    def _store(self, segment: Segment) -> None:
        self._segments[segment.segment_id] = segment
        self._revision += 1

    def segments(self) -> list[Segment]:
        """All final segments, ordered by start time, then id."""
        with self._lock:
            return sorted(self._segments.values(), key=_order_key)

    def sentences(self) -> list[Sentence]:
        """The segments grouped into sentences, ordered by start (see `group_sentences`)."""
        with self._lock:
            return group_sentences(self._segments.values())

    def snapshot(self) -> SessionSnapshot:
        """The ordered segments and the revision they belong to, taken atomically."""
        with self._lock:
            return SessionSnapshot(tuple(self.segments()), self._revision, self._speakers)

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
            self._covered_by.clear()
            self._speakers = SpeakerBook()
            self._revision += 1
            self._exported_revision = self._revision


def share_words(words: Sequence[tuple[str, float, float]], segments: Sequence[Segment]) -> dict[int, str]:
    """Each segment's share of a sentence's words: a word goes to the segment its middle falls in, else the
    nearest one (Whisper's word times drift a little past utterance edges)."""
    shares: dict[int, list[str]] = {s.segment_id: [] for s in segments}
    for word, start, end in words:
        middle = (start + end) / 2
        nearest = min(segments, key=lambda s: 0.0 if s.start <= middle <= s.end
                      else min(abs(middle - s.start), abs(middle - s.end)))
        shares[nearest.segment_id].append(word.strip())
    return {segment_id: " ".join(w for w in share if w) for segment_id, share in shares.items()}


def _segment_words(segments: Sequence[Segment]) -> tuple[tuple[str, float, float], ...]:
    """Settled segments as one timed word per segment text (enough for `share_words` to give each its own)."""
    return tuple((s.text, s.start, s.end) for s in segments if s.text.strip())


def _with_translation(segment: Segment, event: Translation) -> Segment:
    return replace(segment, translation=event.text, translation_language=event.target_language,
                   translation_engine=event.engine or None)


def _copy_translation(segment: Segment, source: Optional[Segment]) -> Segment:
    """`segment` with the translation fields of `source` (None: with no translation)."""
    return replace(
        segment,
        translation=source.translation if source else None,
        translation_language=source.translation_language if source else None,
        translation_engine=source.translation_engine if source else None,
    )
