"""View -> Label speakers: who is speaking, in one click, remembered; and the labels a file's run sends at its end.

Live runs send each final with its speaker (the panes show it as the row is written); a file's speakers are
found once the whole file is heard, so its `SpeakerLabels` come at the end of the run and the rows they name are
shown again. Without the speaker model the choice is kept, and the banner says how to add the model.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from voicedesk.engine.events import SpeakerLabels
from voicedesk.session.coordinator import SessionCoordinator
from voicedesk.ui.panes.transcript_view import TranscriptPanes
from voicedesk.ui.stored_keys import SPEAKER_LABELS
from voicedesk.ui.window.banner import Banner


class SpeakerLabelsFeature(QObject):
    """The Label speakers choice (its one owner) and the speaker labels that arrive after a file's run."""

    def __init__(self, window: QWidget, view_menu: QMenu, settings: QSettings, core: SessionCoordinator,
                 panes: TranscriptPanes, banner: Banner) -> None:
        super().__init__(window)
        self._settings, self._core, self._panes, self._banner = settings, core, panes, banner
        self.action = QAction(self.tr("Label spea&kers"), window)
        self.action.setCheckable(True)
        tip = self.tr("Say who is speaking (Speaker 1, Speaker 2, ...) from the next Start")
        self.action.setStatusTip(tip)
        self.action.setToolTip(tip)
        self.action.setChecked(settings.value(SPEAKER_LABELS) in (True, "true"))
        self.action.toggled.connect(self._toggled)
        view_menu.addAction(self.action)

    @property
    def enabled(self) -> bool:
        return self.action.isChecked()

    def on_labels(self, event: SpeakerLabels) -> None:
        """A file's speakers: the session takes them, and the rows of the sentences they name are shown again."""
        self._core.on_event(event)
        named = {segment_id for segment_id, _ in event.labels}
        self._panes.show_sentences([s for s in self._core.session.sentences() if named.intersection(s.segment_ids)])

    def _toggled(self, on: bool) -> None:
        self._settings.setValue(SPEAKER_LABELS, on)
        if on and not _speaker_model_installed():
            self._banner.show_message(self.tr(
                "Speaker labels need the speaker model, which is not installed: add it with "
                "“voicedesk models add-speaker FILE” (a CAM++ .onnx file). Until then the text comes without labels."),
                level="warning")


def _speaker_model_installed() -> bool:
    from voicedesk.models.speaker_model import installed_speaker_model

    return installed_speaker_model() is not None
