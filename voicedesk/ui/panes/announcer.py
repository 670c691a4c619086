"""New finals, told to screen readers as a polite live region (Qt's accessibility announcement event).

The focus never moves: the announcement is an event on the transcript pane, which AT-SPI (Orca),
UI Automation (NVDA, Narrator) and NSAccessibility (VoiceOver) read out when the reader is idle.
What is said, and how bursts are merged, is decided by the Qt-free `AnnouncementPacer`.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Callable, Optional, Union

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QLabel, QWidget

from voicedesk.engine.events import FinalSegment, Settled
from voicedesk.session.announcements import AnnouncementPacer, AnnouncementPolicy
from voicedesk.session.speakers import speaker_name
from voicedesk.ui.colours import error_colour
from voicedesk.ui.i18n import shown


class FinalAnnouncer(QObject):
    """Feed it finals (`on_final`); it announces them on `target`, paced. `said` keeps the last few."""

    def __init__(self, target: QWidget, policy: AnnouncementPolicy = AnnouncementPolicy(),
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(target)
        self.target = target
        self.pacer = AnnouncementPacer(policy)
        self._clock = clock
        self.said: deque[str] = deque(maxlen=20)
        self._speaker: Optional[int] = None      # the last speaker named: a name is read where it changes
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._flush)

    def on_final(self, event: Union[FinalSegment, Settled]) -> None:
        """A sentence's text to read out (the window passes settled sentences), with its speaker where it changes."""
        text = event.text
        if event.speaker is not None and event.speaker != self._speaker:
            text = f"{shown(speaker_name(event.speaker))}: {text.strip()}"
        self._speaker = event.speaker if event.speaker is not None else self._speaker
        self.pacer.add(text)
        self._schedule()

    def clear(self) -> None:
        self.pacer.clear()
        self._timer.stop()

    def _schedule(self) -> None:
        wait = self.pacer.wait_s(self._clock())
        if wait is not None and not self._timer.isActive():
            self._timer.start(int(wait * 1000))

    def _flush(self) -> None:
        text = self.pacer.due(self._clock())
        if text:
            announce(self.target, text)
            self.said.append(text)
        self._schedule()


def announce(target: QWidget, text: str) -> None:
    """Post `text` as a polite announcement from `target` (nothing happens when no assistive technology listens)."""
    event = QAccessibleAnnouncementEvent(target, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)


def say(label: QLabel, text: str, error: bool = False) -> None:
    """Show `text` in a dialog's message line (in the error colour when `error`) and announce it.

    A screen reader does not read a label that changes away from the focus: the announcement does.
    """
    label.setText(text)
    label.setStyleSheet(f"color: {error_colour(label.window().palette()).name()};" if error else "")
    if text:
        announce(label, text)
