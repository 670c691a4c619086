"""View > Settled text only: a calm reading mode that shows settled sentences, never text still being guessed.

Partials appear within half a second and provisional finals soon after, but their words may still change:
as Whisper hears more, and once more when the whole sentence is decoded again (engine/settle.py). Settled
sentences follow a second or two after the sentence ends and never change. People who find the rewriting
distracting (or whose screen reader should only ever meet stable text) can choose settled text only. The choice is remembered and
applies to the transcript panes and the caption overlay; the shared captions page has its own switch
(`?settled=1`), since its viewers are other people.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from voicedesk.engine.events import FinalSegment, Partial
from voicedesk.ui.stored_keys import SETTLED_ONLY



class ReadingMode(QObject):
    changed = Signal(bool)

    def __init__(self, window: QWidget, view_menu: QMenu, settings: QSettings) -> None:
        super().__init__(window)
        self.settings = settings
        self.action = QAction(self.tr("Se&ttled text only"), window)
        self.action.setCheckable(True)
        tip = self.tr("Show each sentence once it is settled, a second or two after it ends, with no words changing")
        self.action.setStatusTip(tip)
        self.action.setToolTip(tip)
        self.action.setChecked(settings.value(SETTLED_ONLY) in (True, "true"))
        self.action.toggled.connect(self._toggled)
        view_menu.addAction(self.action)

    @property
    def settled_only(self) -> bool:
        return self.action.isChecked()

    def shows(self, event: Any) -> bool:
        """Whether the window's own views show this event in the chosen mode."""
        return not (self.settled_only and isinstance(event, (Partial, FinalSegment)))

    def _toggled(self, on: bool) -> None:
        self.settings.setValue(SETTLED_ONLY, on)
        self.changed.emit(on)
