"""File -> Export: format, content (source / translation / both) and where to write."""

from __future__ import annotations

import time
from pathlib import Path

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

FORMAT_LABELS = {
    "srt": "SubRip subtitles (.srt)",
    "vtt": "WebVTT subtitles (.vtt)",
    "txt": "Plain text (.txt)",
    "json": "JSON with timings (.json)",
}
CONTENT_LABELS = {
    "source": "Transcript",
    "translation": "Translation",
    "both": "Transcript and translation (bilingual)",
}


class ExportDialog(QDialog):
    """Asks for format, content and file; `choice()` gives (path, fmt, content) once accepted."""

    def __init__(self, folder: str, fmt: str, content: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export transcript")
        self.format_combo = QComboBox()
        for key, label in FORMAT_LABELS.items():
            self.format_combo.addItem(label, key)
        self.format_combo.setCurrentIndex(max(self.format_combo.findData(fmt), 0))
        self.content_combo = QComboBox()
        for key, label in CONTENT_LABELS.items():
            self.content_combo.addItem(label, key)
        self.content_combo.setCurrentIndex(max(self.content_combo.findData(content), 0))
        name = time.strftime("transcript-%Y%m%d-%H%M")
        self.path_edit = QLineEdit(str(Path(folder) / f"{name}.{self.fmt}"))
        browse = QPushButton("Browse\u2026")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Format:", self.format_combo)
        form.addRow("Content:", self.content_combo)
        form.addRow("File:", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
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
            self, "Export to", self.path_edit.text(), f"{FORMAT_LABELS[self.fmt]} (*.{self.fmt})"
        )
        if path:
            self.path_edit.setText(path)
