"""What assistive technology reads in the main window: names, descriptions, label buddies, tab order.

A screen reader says a control's accessible name and role ("Spoken language, combo box"), then its
description; Qt takes the description from the tooltip when none is set. The field labels are their
fields' buddies (window/choices.py), so each field is "labelled by" its label. Tab walks the controls
top to bottom, left to right. New finals are announced by `FinalAnnouncer`; Space is guarded by
`SpaceGuard`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from PySide6.QtCore import QCoreApplication, Qt, SignalInstance
from PySide6.QtWidgets import QAbstractButton, QWidget

from voicedesk.ui.panes.announcer import FinalAnnouncer
from voicedesk.ui.window.keyboard import SpaceGuard, set_tab_order
from voicedesk.ui.window.layout import WindowWidgets

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


@dataclass(frozen=True, slots=True)
class Accessibility:
    """What stays alive for assistive technology and the keyboard once the window is built."""

    space_guard: SpaceGuard
    announcer: FinalAnnouncer


def describe(widget: QWidget, name: Optional[str] = None, description: Optional[str] = None) -> None:
    """Set what a screen reader says for `widget` (None leaves that part as it is)."""
    if name is not None:
        widget.setAccessibleName(name)
    if description is not None:
        widget.setAccessibleDescription(description)


def install_accessibility(window: QWidget, w: WindowWidgets, settled: SignalInstance) -> Accessibility:
    """Names, tab order, the Space guard of `window` and the announcer of the `settled` lines."""
    c = w.choices
    # a dropdown's name is otherwise its current item ("Auto-detect"): the labels' words instead
    describe(c.device_combo, translate("MainWindow", "Microphone"))
    describe(c.refresh_button, translate("MainWindow", "Look for microphones again"))   # its text is a glyph
    describe(c.language_combo, translate("MainWindow", "Spoken language"))
    describe(c.target_combo, translate("MainWindow", "Translate to"))
    describe(c.model_combo, translate("MainWindow", "Model"))
    describe(w.file_progress, translate("MainWindow", "File progress"),
             translate("MainWindow", "How much of the file is transcribed"))
    describe(w.panes.source_view, translate("MainWindow", "Transcript"),
             translate("MainWindow", "What was said, one sentence per line, with its time"))
    describe(w.panes.translation_view, translate("MainWindow", "Translation"),
             translate("MainWindow", "The translation of each sentence, level with it"))

    # the waveform and the meter are read, not used: no Tab stop of their own
    for widget in (w.waveform, w.meter):
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    for view in (w.panes.source_view, w.panes.translation_view):
        view.setTabChangesFocus(True)   # Tab leaves a pane; a transcript needs no tab characters
    strips = [button for strip in (w.banner, w.restore_banner, w.overload_offer)
              for button in strip.findChildren(QAbstractButton)]   # shown between the top row and the panes
    set_tab_order([c.device_combo, c.refresh_button, c.language_combo, c.target_combo, c.model_combo,
                   w.start_button, *strips, w.cancel_button, w.panes.source_view, w.panes.translation_view])

    announcer = FinalAnnouncer(w.panes.source_view)
    settled.connect(announcer.on_final)   # settled text only: provisional text may still change
    return Accessibility(SpaceGuard(window), announcer)
