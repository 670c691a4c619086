"""What a caption display shows: the last few sentences, the one being spoken settling in place (Qt-free).

Fed the session's events in order (partial, final, settled, translation, speakers, status, run-ended), it keeps one line
per sentence, as the transcript panes do: finals of one sentence (same `sentence_id`) grow one line,
a translation fills in the line of the sentence it covers. A partial is shown where its final will
land, so that the final replaces it in place instead of making the text jump: the engine says which
sentence a partial continues (its `sentence_id`, schema 3), so this module holds no line rule of its own:
- at the end of that sentence's line when it continues one;
- otherwise on a new line of its own, which its final then takes over.
A settled sentence replaces its line's text once (or starts its line, on a display fed settled text only).
Finals whose sentence id goes backwards mean the session was cleared: the lines start again.

The overlay window draws these lines; the caption page (voicedesk/server/static/captions.html) does
the same in JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from voicedesk.engine.events import (EngineState, FinalSegment, Partial, RunEnded, Settled, SpeakerLabels, Status,
                                     Translation)
from voicedesk.session.speakers import main_speaker

CONTENTS = ("source", "translation", "both")


@dataclass
class CaptionLine:
    """One sentence: its settled text, the partial tail still being spoken, its translation."""

    sentence_id: Optional[int]          # None while the line holds only a partial
    text: str = ""                      # settled: finals never change
    pending: str = ""                   # the partial tail, replaced by each partial, cleared by its final
    pending_id: Optional[int] = None    # the segment id of that partial
    translation: str = ""
    language: str = ""
    start: float = 0.0
    last_segment: int = -1
    finals: int = 0
    closed: bool = False                # no more finals will join it (translated, or the run ended)
    final_speakers: dict[int, Optional[int]] = field(default_factory=dict)   # its finals' speakers, by segment id
    settled_speaker: Optional[int] = None   # the settled sentence's speaker (schema 4), which stays

    @property
    def speaker(self) -> Optional[int]:
        """Who says the line: its settled speaker, else whoever said most of its finals (None: not known)."""
        if self.settled_speaker is not None:
            return self.settled_speaker
        return main_speaker((speaker, 1.0) for speaker in self.final_speakers.values())

    @property
    def source(self) -> str:
        """Settled text and partial tail together, as shown."""
        return " ".join(part for part in (self.text.strip(), self.pending.strip()) if part)

    @property
    def settled(self) -> bool:
        return self.sentence_id is not None and not self.pending


class CaptionLines:
    """The lines of a caption display, fed events one by one; `visible(n, content)` says what to draw."""

    def __init__(self, keep: int = 12) -> None:
        self.keep = max(1, keep)
        self.lines: list[CaptionLine] = []
        self._last_final_id = -1

    # ---- feeding ----

    def apply(self, event: Any) -> bool:
        """Take one event; True when what is shown may have changed."""
        if isinstance(event, Partial):
            return self._partial(event)
        if isinstance(event, FinalSegment):
            self._final(event)
            return True
        if isinstance(event, Settled):
            return self._settled(event)
        if isinstance(event, Translation):
            return self._translation(event)
        if isinstance(event, SpeakerLabels):
            return self._speaker_labels(event)
        if isinstance(event, RunEnded) or (isinstance(event, Status) and event.state is EngineState.STOPPED):
            return self.end_run()
        return False

    def clear(self) -> None:
        self.lines.clear()
        self._last_final_id = -1

    def end_run(self) -> bool:
        """The run is over: drop what never became final; the next run starts new sentences."""
        changed = False
        for line in list(self.lines):
            if line.sentence_id is None:
                self.lines.remove(line)
                changed = True
            elif line.pending:
                line.pending, line.pending_id = "", None
                changed = True
            line.closed = True
        return changed

    # ---- reading ----

    def visible(self, count: int, content: str = "source") -> list[CaptionLine]:
        """The last `count` lines worth drawing for `content` (source, translation or both)."""
        if content == "translation":
            shown = [line for line in self.lines if line.translation.strip()]
        else:
            shown = [line for line in self.lines if line.source]
        return shown[-count:] if count > 0 else []

    # ---- rules ----

    def _partial(self, event: Partial) -> bool:
        if event.segment_id <= self._last_final_id:
            return False     # its final already landed; a late partial must not overwrite it
        host = next((line for line in self.lines if line.pending_id == event.segment_id), None)
        # a partial of an utterance the engine dropped must not stay above the new one
        for stale in [line for line in self.lines if line.pending_id is not None and line is not host]:
            self._drop_pending(stale)
        if not event.text.strip():
            if host is not None:
                self._drop_pending(host)
                return True
            return False
        if host is None:
            host = self._continued(event)
        if host is None:
            host = CaptionLine(sentence_id=None, start=event.start, language=event.language)
            self._append(host)
        host.pending, host.pending_id = event.text.strip(), event.segment_id
        return True

    def _continued(self, event: Partial) -> Optional[CaptionLine]:
        """The open line of the sentence the partial continues, as the engine says (schema 3's sentence_id)."""
        if event.sentence_id == event.segment_id:
            return None
        return next((line for line in self.lines if line.sentence_id == event.sentence_id and not line.closed), None)

    def _settled(self, event: Settled) -> bool:
        """The sentence decoded again whole: its settled text replaces its finals' on its line."""
        if not event.text.strip():
            return False
        line = next((line for line in self.lines if line.sentence_id == event.sentence_id), None)
        if line is None:
            # a display fed settled text only (the reading mode) never saw this sentence's finals
            known = [other.sentence_id for other in self.lines if other.sentence_id is not None]
            if known and event.sentence_id < max(known):
                self.clear()     # ids went back: a new session
            last_segment = max(event.segment_ids, default=event.sentence_id)
            for other in list(self.lines):
                if other.pending_id is not None and other.pending_id <= last_segment:
                    self._drop_pending(other)   # a guess at words this sentence now says
                other.closed = True
            line = CaptionLine(sentence_id=event.sentence_id, start=event.start, language=event.language,
                               last_segment=last_segment)
            self._append(line)
        line.text = event.text.strip()
        line.closed = True
        line.final_speakers.update((i, line.final_speakers.get(i)) for i in event.segment_ids)
        line.settled_speaker = event.speaker if event.speaker is not None else line.settled_speaker
        return True

    def _final(self, event: FinalSegment) -> None:
        sentence_id = event.sentence_id
        settled = [line for line in self.lines if line.sentence_id is not None]
        if settled and sentence_id < max(line.sentence_id for line in settled if line.sentence_id is not None):
            self.clear()     # ids went back: a new session
            settled = []
        self._last_final_id = max(self._last_final_id, event.segment_id)
        own = next((line for line in self.lines if line.pending_id == event.segment_id), None)
        for stale in [line for line in self.lines
                      if line.pending_id is not None and line.pending_id < event.segment_id]:
            self._drop_pending(stale)
        host = next((line for line in settled if line.sentence_id == sentence_id), None)
        if host is not None:
            if own is not None and own is not host:
                self._drop_pending(own)   # guessed as a sentence of its own; it joins the last one
            if host.pending_id == event.segment_id:
                host.pending, host.pending_id = "", None
            if host.last_segment < event.segment_id:
                host.text = f"{host.text} {event.text.strip()}".strip()
                host.finals += 1
        else:
            for line in settled:
                line.closed = True
            if own is not None and own.sentence_id is None:
                host = own           # its partial line becomes the sentence's line, in place
                host.start = event.start
            else:
                if own is not None:
                    self._drop_pending(own)   # guessed as a continuation; it starts a sentence
                host = CaptionLine(sentence_id=None, start=event.start)
                self._append(host)
            host.sentence_id = sentence_id
            host.pending, host.pending_id = "", None
            host.text = event.text.strip()
            host.finals = 1
        host.language = event.language or host.language
        host.last_segment = max(host.last_segment, event.segment_id)
        host.final_speakers[event.segment_id] = event.speaker

    def _speaker_labels(self, event: SpeakerLabels) -> bool:
        """A file's speakers, found at the end of its run: each final takes its number, and each line whoever
        said most of it."""
        labels = dict(event.labels)
        changed = False
        for line in self.lines:
            before = line.speaker
            line.final_speakers.update((i, labels[i]) for i in line.final_speakers if i in labels)
            if any(i in labels for i in line.final_speakers):
                line.settled_speaker = None
            changed = changed or line.speaker != before
        return changed

    def _translation(self, event: Translation) -> bool:
        ids = set(event.segment_ids) or {event.segment_id}
        line = next((line for line in self.lines if line.sentence_id in ids), None)
        if line is None:
            return False
        line.translation = event.text.strip()
        line.closed = True
        return True

    def _drop_pending(self, line: CaptionLine) -> None:
        if line.sentence_id is None:
            self.lines.remove(line)
        else:
            line.pending, line.pending_id = "", None

    def _append(self, line: CaptionLine) -> None:
        self.lines.append(line)
        del self.lines[:-self.keep]
