"""First run: no Whisper model on this computer yet. A short welcome offers the recommended model
download (progress, Cancel) or a model folder the user already has; with no network it says so.

Hook for the app: `maybe_show_welcome(parent) -> str | None` shows it only when no model is
installed, and returns the model folder to use (or None when the user chose "Later").
"""

from __future__ import annotations

import threading
from typing import Callable, Optional

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voicedesk.models.catalogue import model_info
from voicedesk.models.machine import Recommendation, recommended_model
from voicedesk.models.progress import human_size
from voicedesk.models.resolve import ModelError
from voicedesk.models.whisper_store import WhisperModelStore
from voicedesk.ui.panes.announcer import say
from voicedesk.ui.background_task import BackgroundTask
from voicedesk.ui.fit import keep_fitting
from voicedesk.ui.i18n import shown
from voicedesk.ui.dialogs.model_manager import set_progress

NO_NETWORK_TEXT = QT_TRANSLATE_NOOP("WelcomeDialog", "No network connection: the model cannot be downloaded now. "
                                    "Choose a model folder you already have (a faster-whisper model), "
                                    "or come back when online.")


def _default_probe() -> bool:
    from voicedesk.models.hub import endpoint_reachable

    return endpoint_reachable()


class _ProbeSignals(QObject):
    done = Signal(bool)


class WelcomeDialog(QDialog):
    def __init__(self, parent: Optional[QWidget] = None, store: Optional[WhisperModelStore] = None,
                 recommendation: Optional[Recommendation] = None,
                 probe: Callable[[], bool] = _default_probe) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to voicedesk"))
        self.store = store or WhisperModelStore()
        self.recommendation = recommendation or recommended_model()
        self.chosen_spec: Optional[str] = None
        self.task: Optional[BackgroundTask] = None
        self.online: Optional[bool] = None

        name = self.recommendation.name
        info = model_info(name)
        size = human_size(info.disk_mb * 1e6) if info else "?"
        intro = QLabel(self.tr("<b>voicedesk needs a speech model to start.</b><br>"
                               "It runs on this computer: what you say never leaves it."))
        self.recommended_label = QLabel(self.tr("Recommended here: <b>{name}</b> ({size}), because {reason}.").format(
            name=name, size=size, reason=shown(self.recommendation.reason)))
        for label in (intro, self.recommended_label):
            label.setWordWrap(True)
        self.setMinimumWidth(560)
        self.network_label = QLabel(self.tr("Checking the network\u2026"))
        self.network_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.message = QLabel()
        self.message.setWordWrap(True)

        self.download_button = QPushButton(self.tr("Download {name} ({size})").format(name=name, size=size))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setVisible(False)
        self.folder_button = QPushButton(self.tr("Choose a model folder\u2026"))
        self.later_button = QPushButton(self.tr("Later"))
        self.download_button.setDefault(True)
        self.download_button.clicked.connect(self.start_download)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.folder_button.clicked.connect(self._choose_folder)
        self.later_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        for b in (self.download_button, self.cancel_button, self.folder_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        layout = QVBoxLayout(self)
        for w in (intro, self.recommended_label, self.network_label, self.progress, self.message):
            layout.addWidget(w)
        layout.addLayout(buttons)
        self.progress.setAccessibleName(self.tr("Download progress"))
        for button, tip in ((self.download_button, self.tr("Download the recommended model; then it works offline")),
                            (self.cancel_button, self.tr("Stop the download; nothing is kept")),
                            (self.folder_button, self.tr("Use a faster-whisper model folder you already have")),
                            (self.later_button, self.tr("Close; a model can be chosen later in File, Speech models"))):
            button.setToolTip(tip)
        keep_fitting(self)   # the wrapped lines never overlap, whatever the text size or language

        # The check may take seconds offline (DNS, timeouts): never on the GUI thread.
        self._probe_signals = _ProbeSignals(self)
        self._probe_signals.done.connect(self._network_known)
        threading.Thread(target=lambda: self._probe_signals.done.emit(bool(probe())), daemon=True,
                         name="voicedesk-network-probe").start()

    def _network_known(self, online: bool) -> None:
        self.online = online
        self.network_label.setText("" if online else self.tr(NO_NETWORK_TEXT))
        self.network_label.setVisible(not online)

    def start_download(self) -> None:
        if self.task is not None:
            return
        name = self.recommendation.name
        self.task = BackgroundTask(lambda progress, cancel: self.store.download(name, progress, cancel), self)
        self.task.progress.connect(lambda p: set_progress(self.progress, p))
        self.task.succeeded.connect(self._downloaded)
        self.task.failed.connect(self._failed)
        self.task.cancelled.connect(lambda: self._say(self.tr("Download cancelled; nothing was kept.")))
        self.task.finished.connect(self._finished)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.download_button.setEnabled(False)
        self.folder_button.setEnabled(False)
        self.cancel_button.setVisible(True)
        self._say(self.tr("Downloading {name}\u2026").format(name=name))
        self.task.start()

    def cancel_download(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self._say(self.tr("Cancelling\u2026"))

    def _downloaded(self, installed) -> None:
        self.chosen_spec = str(installed.path)
        self.accept()

    def _failed(self, text: str) -> None:
        self._say(self.tr("{reason} You can choose a model folder instead.").format(reason=text), error=True)

    def _finished(self) -> None:
        self.task = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.download_button.setEnabled(True)
        self.folder_button.setEnabled(True)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a faster-whisper model folder"))
        if folder:
            self.use_folder(folder)

    def use_folder(self, folder: str) -> bool:
        """Use a folder the user picked; a folder that is not a model gets a plain message."""
        try:
            added = self.store.add_local_folder(folder)
        except ModelError as exc:
            self._say(shown(exc), error=True)
            return False
        self.chosen_spec = str(added.path)
        self.accept()
        return True

    def _say(self, text: str, error: bool = False) -> None:
        say(self.message, text, error)

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
        super().reject()


def maybe_show_welcome(parent: Optional[QWidget] = None, store: Optional[WhisperModelStore] = None) -> Optional[str]:
    """Show the welcome when no Whisper model is installed; the model folder to use, or None."""
    store = store or WhisperModelStore()
    if store.has_any_model():
        return None
    dialog = WelcomeDialog(parent, store)
    dialog.exec()
    return dialog.chosen_spec


def open_welcome(parent: QWidget, on_chosen: Callable[[str], object],
                 store: Optional[WhisperModelStore] = None) -> Optional[WelcomeDialog]:
    """Non-blocking welcome for the main window: shown when no model is installed; calls `on_chosen(folder)`."""
    store = store or WhisperModelStore()
    if store.has_any_model():
        return None
    dialog = WelcomeDialog(parent, store)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(_result: int) -> None:
        if dialog.chosen_spec:
            on_chosen(dialog.chosen_spec)

    dialog.finished.connect(finished)
    dialog.open()
    return dialog
