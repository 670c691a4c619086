"""What a screen reader is told about new text: each final's words, paced so bursts do not flood it.

A live session gives a final every few seconds, and each is read as it lands. A file transcribed
faster than real time, or a backlog the engine catches up on, gives many finals at once: they are
merged into one announcement at most every `min_gap_s`, and when the merged text grows past
`max_chars` only the newest finals are kept (the panes hold all the text; a screen reader that is
always further behind the speaker is of no use). Partials are never announced: they change under
the listener's ear. The window posts what `due()` returns as a polite live-region announcement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class AnnouncementPolicy:
    min_gap_s: float = 1.0     # at most one announcement per this many seconds
    max_chars: int = 400       # a merged burst keeps its newest finals within this length


class AnnouncementPacer:
    """Collects finals' text (`add`) and says what to announce now (`due`); times are monotonic seconds."""

    def __init__(self, policy: AnnouncementPolicy = AnnouncementPolicy()) -> None:
        self.policy = policy
        self._pending: list[str] = []
        self._last_at: Optional[float] = None

    def add(self, text: str) -> None:
        """A final's text (blank text is not announced)."""
        text = " ".join(text.split())
        if not text:
            return
        self._pending.append(text)
        while len(self._pending) > 1 and len(" ".join(self._pending)) > self.policy.max_chars:
            self._pending.pop(0)

    def wait_s(self, now: float) -> Optional[float]:
        """Seconds until something is due (0: now), or None when nothing is pending."""
        if not self._pending:
            return None
        if self._last_at is None:
            return 0.0
        return max(0.0, self._last_at + self.policy.min_gap_s - now)

    def due(self, now: float) -> Optional[str]:
        """The announcement to make now (the pending finals, merged), or None."""
        wait = self.wait_s(now)
        if wait is None or wait > 0:
            return None
        text = " ".join(self._pending)
        self._pending.clear()
        self._last_at = now
        return text

    def clear(self) -> None:
        """Forget what is pending (the session was cleared or replaced)."""
        self._pending.clear()
