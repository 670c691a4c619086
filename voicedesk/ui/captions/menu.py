"""The window's caption features in one place: View > Caption overlay, its options, and Share captions.

`CaptionFeatures(window, view_menu, ...)` adds the actions to the View menu, the sharing strip to the
window's status bar, and feeds the overlay and the shared feed from the engine controller's signals (partial, final,
settled, translation, a file's speaker labels, status, run ended, lag, error; never the audio levels). The window
calls `shutdown()` when it closes, `clear()` when its session is replaced, and `set_speaker_names(names)` whenever
the session's names for speaker numbers change (both the overlay and the shared page show them).
"""

from __future__ import annotations

from typing import Any, Mapping

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from voicedesk.ui.window.banner import Banner
from voicedesk.ui.controller import EngineController
from voicedesk.ui.i18n import shown
from voicedesk.ui.captions.overlay import CaptionOverlay
from voicedesk.ui.panes.reading_mode import ReadingMode
from voicedesk.ui.captions.share import CaptionSharing, SharingIndicator
from voicedesk.ui.stored_keys import OVERLAY_SHOWN

OVERLAY_SHORTCUT = "Ctrl+Shift+C"


class CaptionFeatures(QObject):
    def __init__(self, window: QMainWindow, view_menu: QMenu, settings: QSettings, controller: EngineController,
                 reading: ReadingMode, banner: Banner) -> None:
        super().__init__(window)
        self.window = window             # the overlay's owner; its status bar shows the sharing strip
        self.settings = settings
        self.reading = reading           # View -> Settled text only applies to the overlay too
        self.banner = banner
        self.overlay = CaptionOverlay(settings, window)
        self.sharing = CaptionSharing(settings, self)
        self.indicator = SharingIndicator()
        window.statusBar().addPermanentWidget(self.indicator)

        view_menu.addSeparator()
        self.overlay_action = QAction(self.tr("Caption &overlay"), window)
        self.overlay_action.setCheckable(True)
        self.overlay_action.setShortcut(QKeySequence(OVERLAY_SHORTCUT))
        self.overlay_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)   # also from the overlay
        self.overlay_action.setStatusTip(self.tr("An always-on-top window with the last lines of captions"))
        self.overlay_action.toggled.connect(self._overlay_toggled)
        view_menu.addAction(self.overlay_action)
        view_menu.addMenu(self.overlay.menu)
        self.share_action = QAction(self.tr("S&hare captions"), window)
        self.share_action.setCheckable(True)
        self.share_action.setStatusTip(self.tr("Show the live captions in OBS or a browser on this computer"))
        self.share_action.toggled.connect(self._share_toggled)
        view_menu.addAction(self.share_action)

        self.overlay.shown_changed.connect(self._overlay_shown)
        self.sharing.started.connect(self._sharing_started)
        self.sharing.failed.connect(self._sharing_failed)
        self.sharing.stopped.connect(self._sharing_stopped)
        self.indicator.stop_requested.connect(lambda: self.share_action.setChecked(False))

        for signal in (controller.partial, controller.final, controller.settled, controller.translation,
                       controller.speakers, controller.status, controller.run_ended, controller.lag, controller.error):
            signal.connect(self.publish)

        if settings.value(OVERLAY_SHOWN) in (True, "true"):
            QTimer.singleShot(0, lambda: self.overlay_action.setChecked(True))   # it was open at the last quit

    # ---- the session's events (GUI thread, queued from the controller) ----

    def publish(self, event: Any) -> None:
        if self.reading.shows(event):
            self.overlay.apply(event)
        self.sharing.publish(event)      # viewers of the shared page choose for themselves (?settled=1)

    def clear(self) -> None:
        """The window's session was cleared or replaced (its speaker names stay until `set_speaker_names`)."""
        self.overlay.clear()
        self.sharing.clear()

    def set_speaker_names(self, names: Mapping[int, str]) -> None:
        """The session's names for speaker numbers ({} for none: "Speaker N"), for the overlay and the shared page."""
        self.overlay.set_speaker_names(names)
        self.sharing.set_speaker_names(names)

    # ---- overlay ----

    def _overlay_toggled(self, on: bool) -> None:
        if on and not self.overlay.isVisible():
            self.overlay.show()
            self.overlay.raise_()
        elif not on and self.overlay.isVisible():
            self.overlay.hide()

    def _overlay_shown(self, shown: bool) -> None:
        if self.overlay_action.isChecked() != shown:
            self.overlay_action.setChecked(shown)

    # ---- sharing ----

    def _share_toggled(self, on: bool) -> None:
        if on and not self.sharing.running:
            self.indicator.label.setText(self.tr("Starting caption sharing\u2026"))
            self.indicator.show()
            self.sharing.start()
        elif not on:
            self.sharing.stop()
            self.indicator.clear()

    def _sharing_started(self, url: str) -> None:
        if not self.share_action.isChecked():     # turned off while it was starting
            self.sharing.stop()
            return
        self.indicator.show_url(url)
        self.window.statusBar().showMessage(self.tr("Sharing captions at {url}").format(url=url), 5000)

    def _sharing_failed(self, message: str) -> None:
        self.indicator.clear()
        self.share_action.setChecked(False)
        self.banner.show_message(self.tr("Could not share captions: {reason}").format(reason=shown(message)), "error")

    def _sharing_stopped(self) -> None:
        self.indicator.clear()
        if self.share_action.isChecked():
            self.share_action.setChecked(False)

    # ---- the window closes ----

    def shutdown(self) -> None:
        self.settings.setValue(OVERLAY_SHOWN, self.overlay.isVisible())
        self.overlay.save_geometry()
        self.overlay.close()
        self.sharing.stop(wait=True)
