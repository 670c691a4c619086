"""Keeps the session durable: the journal side of the engine controller (Qt-free, thread-safe).

A journal opens at the first final text of a session (not at Start, so an empty run leaves no
file), carrying the segments the session already had (restored, opened or transcribed before an
export) so one journal always holds the whole session. `record` runs on the engine's threads
before the event reaches the GUI; a write failure is reported once and the session goes on in
memory.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence

from voicedesk.engine.events import TRANSCRIPT_EVENTS, EngineError, ErrorKind, Event, SpeakerLabels
from voicedesk.session.edits import Revision
from voicedesk.session.journal import Journal, JournalError, discard
from voicedesk.session.speakers import NO_SPEAKER_NAMES, SpeakerBook
from voicedesk.session.transcript import Segment, Session

log = logging.getLogger(__name__)


class JournalKeeper:
    """One session's journal, opened lazily; `folder=None` means the user data folder's journal/."""

    def __init__(self, folder: Optional[Path] = None) -> None:
        self._folder = folder
        self._lock = threading.Lock()
        self._journal: Optional[Journal] = None
        self._session = Session()      # what the journal must hold: a shadow of the window's session
        self._open_failed = False      # reported once; retried after the next close/discard

    @property
    def path(self) -> Optional[Path]:
        with self._lock:
            return self._journal.path if self._journal is not None else None

    def use_folder(self, folder: Optional[Path]) -> None:
        """Open the next journal in `folder` (None: the default one); a journal already open stays where it is."""
        with self._lock:
            self._folder = folder

    def record(self, event: Event, settings: Any = None) -> Optional[EngineError]:
        """Journal a FinalSegment, Settled or Translation (durably); an error to show the user, at most once."""
        if not isinstance(event, TRANSCRIPT_EVENTS):
            return None
        # the session applies it after the append, so opening never carries it twice
        return self._append(event, settings, lambda: self._session.apply(event), event.emitted_at)

    def revise(self, revision: Revision, settings: Any = None) -> Optional[EngineError]:
        """Journal the reader's edit (durably), opening the journal if it is the session's first text."""
        return self._append(revision, settings, lambda: self._session.revise(revision.segments, revision.removed))

    def name_speakers(self, book: SpeakerBook, settings: Any = None,
                      restored: Sequence[tuple[int, int]] = ()) -> Optional[EngineError]:
        """Journal the user's speaker names and merges (durably), opening the journal if needed; `restored`:
        (segment id, speaker) that an undone merge gives back, journaled as labels after the book."""
        problem = self._append(book, settings, lambda: self._session.set_speakers(book))
        if restored:
            labels = SpeakerLabels(tuple(restored), speakers=0)
            problem = self._append(labels, settings, lambda: self._session.apply(labels)) or problem
        return problem

    def _append(self, record: Any, settings: Any, then_apply: Callable[[], Any],
                emitted_at: float = 0.0) -> Optional[EngineError]:
        """Append one record (opening the journal when needed), then apply it to the session whatever happened."""
        with self._lock:
            problem: Optional[JournalError] = None
            try:
                self._ensure_open(settings)
            except JournalError as exc:
                problem = exc
            if self._journal is not None:
                try:
                    self._journal.append(record)
                except JournalError as exc:
                    problem = problem or exc
            then_apply()
        if problem is None:
            return None
        log.warning("journal: %s", problem)
        return EngineError(ErrorKind.STORAGE, str(problem), fatal=False, emitted_at=emitted_at)

    def adopt(self, segments: Iterable[Segment], settings: Any = None, durable_now: bool = False,
              speakers: SpeakerBook = NO_SPEAKER_NAMES) -> Optional[EngineError]:
        """Make `segments` the session (after a restore or an opened transcript).

        `durable_now` writes them to a fresh journal at once (a restore: the old file may go only
        once they are safe again); otherwise they are carried in when the first new text comes.
        """
        with self._lock:
            self._close_locked(clean=False, delete=True)
            self._session = Session.from_segments(segments)
            self._session.set_speakers(speakers)
            if not durable_now or self._session.is_empty:
                return None
            try:
                self._ensure_open(settings)
            except JournalError as exc:
                log.warning("journal: %s", exc)
                return EngineError(ErrorKind.STORAGE, str(exc), fatal=False)
        return None

    def close(self, clean: bool) -> Optional[EngineError]:
        """End the journal (clean after an export); the next text opens a new one carrying the session."""
        with self._lock:
            try:
                self._close_locked(clean=clean, delete=False)
            except JournalError as exc:
                return EngineError(ErrorKind.STORAGE, str(exc), fatal=False)
        return None

    def discard(self) -> None:
        """The user threw the session away: remove its journal and forget its segments."""
        with self._lock:
            self._close_locked(clean=False, delete=True)
            self._session = Session()

    # --- with the lock held ---

    def _ensure_open(self, settings: Any) -> Optional[Journal]:
        if self._journal is not None:
            return self._journal
        if self._open_failed:
            return None
        try:
            journal = Journal.open_new(settings, folder=self._folder)
        except JournalError:
            self._open_failed = True
            raise
        self._journal = journal
        # Whole sentences, so each translation names every final it covers; a failed write is
        # raised once after every record is queued (the Journal keeps them and retries).
        journal.append_segments(self._session.segments(), self._session.speakers)
        return journal

    def _close_locked(self, clean: bool, delete: bool) -> None:
        journal, self._journal = self._journal, None
        self._open_failed = False
        if journal is None:
            return
        if delete:
            journal.close(clean=False)
            discard(journal.path)
        else:
            journal.close(clean=clean)
