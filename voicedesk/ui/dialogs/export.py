"""File -> Export: format, content (source / translation / both) and where to write."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from voicedesk.ui.fit import keep_fitting

FORMAT_LABELS = {
    "srt": QT_TRANSLATE_NOOP("ExportDialog", "SubRip subtitles (.srt)"),
    "vtt": QT_TRANSLATE_NOOP("ExportDialog", "WebVTT subtitles (.vtt)"),
    "txt": QT_TRANSLATE_NOOP("ExportDialog", "Plain text (.txt)"),
    "json": QT_TRANSLATE_NOOP("ExportDialog", "JSON with timings (.json)"),
}
CONTENT_LABELS = {
    "source": QT_TRANSLATE_NOOP("ExportDialog", "Transcript"),
    "translation": QT_TRANSLATE_NOOP("ExportDialog", "Translation"),
    "both": QT_TRANSLATE_NOOP("ExportDialog", "Transcript and translation (bilingual)"),
}


class ExportDialog(QDialog):
    """Asks for format, content and file; `choice()` gives (path, fmt, content) once accepted."""

    def __init__(self, folder: str, fmt: str, content: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export transcript"))
        self.format_combo = QComboBox()
        for key, label in FORMAT_LABELS.items():
            self.format_combo.addItem(self.tr(label), key)
        self.format_combo.setCurrentIndex(max(self.format_combo.findData(fmt), 0))
        self.content_combo = QComboBox()
        for key, label in CONTENT_LABELS.items():
            self.content_combo.addItem(self.tr(label), key)
        self.content_combo.setCurrentIndex(max(self.content_combo.findData(content), 0))
        name = time.strftime("transcript-%Y%m%d-%H%M")
        self.path_edit = QLineEdit(str(Path(folder) / f"{name}.{self.fmt}"))
        browse = QPushButton(self.tr("Browse\u2026"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(self.tr("Format:"), self.format_combo)
        form.addRow(self.tr("Content:"), self.content_combo)
        form.addRow(self.tr("File:"), row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        form.labelForField(row).setBuddy(self.path_edit)   # the label of a row holding a layout has none
        for widget, name, tip in (
                (self.format_combo, self.tr("Format"), self.tr("Subtitles with times, plain text, or JSON")),
                (self.content_combo, self.tr("Content"), self.tr("The transcript, its translation, or both")),
                (self.path_edit, self.tr("File"), self.tr("Where the file is written"))):
            widget.setAccessibleName(name)   # a dropdown's name is otherwise its current item
            widget.setToolTip(tip)
        browse.setToolTip(self.tr("Choose the file in a file dialog"))
        buttons.button(QDialogButtonBox.StandardButton.Save).setToolTip(self.tr("Write the file"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setToolTip(self.tr("Close without exporting"))
        keep_fitting(self)
        self.format_combo.currentIndexChanged.connect(self._fix_suffix)
        self.resize(560, self.sizeHint().height())

    @property
    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    @property
    def content(self) -> str:
        return str(self.content_combo.currentData())

    def choice(self) -> tuple[str, str, str]:
        return self.path_edit.text().strip(), self.fmt, self.content

    def _fix_suffix(self) -> None:
        text = self.path_edit.text().strip()
        if text:
            self.path_edit.setText(str(Path(text).with_suffix("." + self.fmt)))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export to"), self.path_edit.text(), f"{self.tr(FORMAT_LABELS[self.fmt])} (*.{self.fmt})"
        )
        if path:
            self.path_edit.setText(path)
