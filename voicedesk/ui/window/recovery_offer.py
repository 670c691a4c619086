"""The offer to restore a session that did not end normally (a crash, a kill), in its own banner strip.

At start the journals of the default and the chosen folder are searched off the GUI thread. The
session core's `recovery` decides what is on offer; this shows its notices (the offer with Restore
and Discard, then the Undo of a discard) and restores on request.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, Optional

from PySide6.QtCore import QObject, QTimer

from voicedesk.session import notices as n
from voicedesk.session.coordinator import SessionCoordinator
from voicedesk.session.journal import JournalInfo
from voicedesk.ui.window.banner import Banner
from voicedesk.ui.off_thread import OffThread

log = logging.getLogger(__name__)


def unfinished_journals(chosen: Optional[Path] = None) -> list[JournalInfo]:
    """Journals of sessions that crashed or were killed, in the default and the chosen folder (off the GUI thread)."""
    from voicedesk.session.journal import delete_finished, find_unfinished, journal_dir

    found: list[JournalInfo] = []
    for folder in dict.fromkeys(f for f in (journal_dir(), chosen) if f is not None and f.is_dir()):
        delete_finished(folder)
        found += find_unfinished(folder)
    return found


class RecoveryOffer(QObject):
    """Shows the core's restore offer in `banner`; `make_room()` clears the panes first (False: the user kept them)."""

    def __init__(self, banner: Banner, core: SessionCoordinator, make_room: Callable[[], bool],
                 say: Callable[[str], None], closed: Callable[[], bool], parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.banner = banner
        self._core = core
        self._make_room = make_room
        self._say = say                # a passing line in the status bar
        self._closed = closed          # a window closed meanwhile offers nothing
        self._off_thread = OffThread(self)

    def look(self, journal_folder: Optional[Path]) -> None:
        """Search for unfinished sessions off the GUI thread; one found is offered."""
        self._off_thread.call(lambda: unfinished_journals(journal_folder), self._on_unfinished)

    def _on_unfinished(self, result: object) -> None:
        if isinstance(result, Exception):
            log.warning("looking for unfinished sessions failed: %s", result)
        elif not self._closed():
            self._core.recovery.offer(result)  # type: ignore[arg-type]

    def offered(self, offered: n.RestoreOffered) -> None:
        info = offered.info
        last = info.last_text if len(info.last_text) <= 60 else info.last_text[:57] + "\u2026"
        self.banner.show_message(self.tr(
            "The session of {when} did not end normally (%n sentence(s), last: \u201c{last}\u201d). Restore it?", "",
            info.segment_count).format(when=_when(info), last=last), "info",
            (self.tr("Restore"), self.restore), (self.tr("Discard"), self._core.recovery.discard))

    def discard_pending(self, pending: n.DiscardPending) -> None:
        self.banner.show_message(self.tr("Discarded the session of {when}.").format(when=_when(pending.info)),
                                 "info", (self.tr("Undo"), self._core.recovery.undo))
        QTimer.singleShot(int(pending.undo_s * 1000), lambda: self._core.recovery.commit(pending))

    def restore(self) -> bool:
        """Put the offered unfinished session back in the panes; it goes on in a new journal."""
        info = self._core.recovery.offered
        if info is None or self._core.running:
            return False
        if not self._core.session.is_empty and not self._make_room():
            self.offered(n.RestoreOffered(info))   # kept: still on offer
            return False
        if not self._core.restore():
            return False
        self._say(self.tr("Restored %n sentence(s)", "", len(self._core.session.segments())))
        return True


def _when(info: JournalInfo) -> str:
    return info.started_at.replace("T", " ")[:16]
