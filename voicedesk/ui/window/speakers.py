"""View -> Label speakers: who is speaking, in one click, remembered, with View -> Number of speakers (Auto or a
number, remembered); and the labels a file's run sends at its end.

Live runs send each final with its speaker (the panes show it as the row is written); a file's speakers are
found once the whole file is heard, so its `SpeakerLabels` come at the end of the run and the rows they name are
shown again. Without the speaker model the choice is kept, and the banner offers to download the model (File ->
Speech models, opened on the speaker row with its download running; "Add from file…" is there too).
"""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from voicedesk.engine.events import SpeakerLabels
from voicedesk.models.speaker_download import DOWNLOAD_SIZE_MB
from voicedesk.session.coordinator import SessionCoordinator
from voicedesk.ui.panes.transcript_view import TranscriptPanes
from voicedesk.ui.stored_keys import SPEAKER_COUNT, SPEAKER_LABELS
from voicedesk.ui.window.banner import Banner


class SpeakerLabelsFeature(QObject):
    """The Label speakers choice (its one owner) and the speaker labels that arrive after a file's run."""

    def __init__(self, window: QWidget, view_menu: QMenu, settings: QSettings, core: SessionCoordinator,
                 panes: TranscriptPanes, banner: Banner) -> None:
        super().__init__(window)
        self._window = window
        self._settings, self._core, self._panes, self._banner = settings, core, panes, banner
        self.download_dialog: Optional[QWidget] = None      # File -> Speech models, opened from the banner
        self.action = QAction(self.tr("Label spea&kers"), window)
        self.action.setCheckable(True)
        tip = self.tr("Say who is speaking (Speaker 1, Speaker 2, ...) from the next Start")
        self.action.setStatusTip(tip)
        self.action.setToolTip(tip)
        self.action.setChecked(settings.value(SPEAKER_LABELS) in (True, "true"))
        self.action.toggled.connect(self._toggled)
        view_menu.addAction(self.action)
        self.count_menu = view_menu.addMenu(self.tr("N&umber of speakers"))
        self._counts = QActionGroup(self)
        stored = _stored_count(settings.value(SPEAKER_COUNT))
        for count in (0, *COUNTS):
            item = self.count_menu.addAction(self.tr("Auto") if count == 0 else str(count))
            item.setCheckable(True)
            item.setData(count)
            item.setChecked(count == stored)
            self._counts.addAction(item)
        self._counts.triggered.connect(lambda item: settings.setValue(SPEAKER_COUNT, int(item.data())))
        self.count_menu.setToolTipsVisible(True)
        self.count_menu.menuAction().setStatusTip(
            self.tr("Auto finds how many people speak; give the number when you know it (from the next Start)"))

    @property
    def enabled(self) -> bool:
        return self.action.isChecked()

    @property
    def count(self) -> int:
        """The number of speakers the user gave (0: Auto)."""
        checked = self._counts.checkedAction()
        return int(checked.data()) if checked is not None else 0

    def choose_count(self, count: int) -> None:
        """Pick a number of speakers as the menu does (0: Auto)."""
        item = next((a for a in self._counts.actions() if a.data() == count), None)
        if item is not None:
            item.trigger()

    def on_labels(self, event: SpeakerLabels) -> None:
        """A file's speakers: the session takes them, and the rows of the sentences they name are shown again."""
        self._core.on_event(event)
        named = {segment_id for segment_id, _ in event.labels}
        self._panes.show_sentences([s for s in self._core.session.sentences() if named.intersection(s.segment_ids)])

    def _toggled(self, on: bool) -> None:
        self._settings.setValue(SPEAKER_LABELS, on)
        if on and not _speaker_model_installed():
            self._offer_download()

    def _offer_download(self) -> None:
        self._banner.show_message(self.tr(
            "Speaker labels need the speaker model, which is not installed. Download it (about {size} MB, once), "
            "or add a CAM++ .onnx file in File \u2192 Speech models (or with “voicedesk models add-speaker FILE”). "
            "Until then the text comes without labels.").format(size=DOWNLOAD_SIZE_MB),
            level="warning", action=(self.tr("Download speaker model"), self.download_model))

    def download_model(self) -> None:
        """File -> Speech models on the speaker row, its download started when the model is missing (the banners'
        button); a broken one is there to delete or replace."""
        from voicedesk.ui.dialogs.model_manager import ModelManagerDialog, open_speaker_download

        dialog = self.download_dialog
        if isinstance(dialog, ModelManagerDialog):
            dialog.refresh()
            dialog.open()
            dialog.start_speaker_download()
            return
        dialog = open_speaker_download(self._window, model_in_use=lambda: self._core.model_in_use)
        dialog.finished.connect(self._download_dialog_closed)
        self.download_dialog = dialog

    def _download_dialog_closed(self) -> None:
        if self.enabled and not _speaker_model_installed():
            self._offer_download()      # cancelled, failed or closed: the way to try again stays in sight


COUNTS = (1, 2, 3, 4, 5, 6)      # the numbers the menu offers beside Auto (the CLI takes up to 20)


def _stored_count(value: object) -> int:
    try:
        count = int(str(value))
    except ValueError:
        return 0
    return count if count in COUNTS else 0


def _speaker_model_installed() -> bool:
    from voicedesk.models.speaker_model import installed_speaker_model

    return installed_speaker_model() is not None
