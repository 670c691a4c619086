"""The journal of a session that did not end normally, on offer: restore it, or discard it with an undo.

Qt-free: a discard only says `DiscardPending`; the host calls `commit(pending)` when the undo time
is up (the app closing commits at once: the user chose to discard).
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

from voicedesk.session.journal import JournalInfo
from voicedesk.session.notices import DiscardPending, Notice, RestoreOffered, RestoreWithdrawn

DISCARD_UNDO_S = 10.0     # a discarded unfinished session can be brought back this long


class RestoreOffer:
    """At most one unfinished journal on offer, and at most one discard waiting for its undo time."""

    def __init__(self, notify: Callable[[Notice], None], undo_s: float = DISCARD_UNDO_S) -> None:
        self._notify = notify
        self.undo_s = undo_s
        self.offered: Optional[JournalInfo] = None
        self._discarding: Optional[DiscardPending] = None

    def offer(self, unfinished: Sequence[JournalInfo]) -> None:
        """The journals found (oldest first): the latest is offered; older ones at later launches."""
        if unfinished:
            self.offered = unfinished[-1]
            self._notify(RestoreOffered(self.offered))

    def take(self) -> Optional[JournalInfo]:
        """The journal to restore now (the offer ends), or None when none is offered."""
        info, self.offered = self.offered, None
        self._notify(RestoreWithdrawn())
        return info

    def discard(self) -> None:
        """The user does not want the offered session back: it goes after `undo_s`, unless undone."""
        info, self.offered = self.offered, None
        if info is not None:
            self._discarding = DiscardPending(info, self.undo_s)
            self._notify(self._discarding)

    def undo(self) -> None:
        pending, self._discarding = self._discarding, None
        if pending is not None:
            self.offered = pending.info
            self._notify(RestoreOffered(pending.info))

    def commit(self, pending: DiscardPending) -> None:
        """The undo time of `pending` is up: delete its journal (unless it was undone, even if discarded again)."""
        from voicedesk.session.journal import discard

        if pending is not self._discarding:
            return
        self._discarding = None
        discard(pending.info.path)
        self._notify(RestoreWithdrawn())

    def finish(self) -> None:
        """The app closes: a discard still waiting for its undo time happens now."""
        if self._discarding is not None:
            self.commit(self._discarding)
