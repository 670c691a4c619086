"""Edit -> Preferences: the engine's settings, the journal folder and export defaults, each with one line saying what it does.

The dialog edits a `voicedesk.session.preferences.Preferences` (bounds, defaults and storage live
there); `preferences()` gives the edited value once accepted. Reset to defaults fills the form with
the defaults; nothing is saved until OK.
"""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from voicedesk.session.preferences import BOUNDS, HELP, Preferences, compute_types, gpu_status, journal_folder_problem
from voicedesk.ui.fit import fit_to_screen
from voicedesk.ui.i18n import shown


class PreferencesDialog(QDialog):
    """The form; `gpu` is (usable, why) as `gpu_status()` says, injectable for tests."""

    def __init__(self, current: Preferences, parent: Optional[QWidget] = None,
                 gpu: Optional[tuple[bool, str]] = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self.setAccessibleName(self.tr("Preferences"))
        self._gpu_ok, self._gpu_why = gpu if gpu is not None else gpu_status()
        self._result = current

        self.device_combo = QComboBox()
        for key, label in (("auto", self.tr("Automatic")), ("cpu", self.tr("CPU")), ("cuda", self.tr("GPU (CUDA)"))):
            self.device_combo.addItem(label, key)
        if not self._gpu_ok:
            # a disabled item cannot be chosen; its tooltip and the line below say why
            item = self.device_combo.model().item(self.device_combo.findData("cuda"))
            item.setEnabled(False)
            item.setToolTip(shown(self._gpu_why))
        self.compute_combo = QComboBox()
        self.vad_spin = self._double_spin("vad_threshold", 0.05, 2)
        self.end_silence_spin = self._double_spin("end_silence_s", 0.1, 1, self.tr(" s"))
        self.beam_spin = QSpinBox()
        self.beam_spin.setRange(*(int(b) for b in BOUNDS["beam_size"]))
        self.partial_spin = self._double_spin("partial_interval_s", 0.1, 1, self.tr(" s"))
        self.automatic_check = QCheckBox(self.tr("Switch to a lighter setting automatically"))
        self.journal_edit = QLineEdit()
        self.journal_edit.setPlaceholderText(self.tr("Default folder"))
        self.journal_edit.setClearButtonEnabled(True)
        self.journal_browse = QPushButton(self.tr("Browse\u2026"))
        self.journal_browse.setToolTip(self.tr("Choose the journal folder in a folder dialog"))
        self.journal_browse.clicked.connect(self._browse_journal)
        self.format_combo = QComboBox()
        for key, label in (("srt", self.tr("SubRip subtitles (.srt)")), ("vtt", self.tr("WebVTT subtitles (.vtt)")),
                           ("txt", self.tr("Plain text (.txt)")), ("json", self.tr("JSON with timings (.json)"))):
            self.format_combo.addItem(label, key)
        self.content_combo = QComboBox()
        for key, label in (("source", self.tr("Transcript")), ("translation", self.tr("Translation")),
                           ("both", self.tr("Transcript and translation (bilingual)"))):
            self.content_combo.addItem(label, key)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()

        engine = self._group(self.tr("Speech engine"), (
            (self.tr("&Device:"), self.device_combo,
             self.tr("Where Whisper runs. A GPU is many times faster; Automatic uses one when there is one.")
             + ("" if self._gpu_ok else " " + shown(self._gpu_why))),
            (self.tr("&Compute type:"), self.compute_combo,
             self.tr("Number precision: int8 is fastest on a CPU, float16 on a GPU; float32 is exact and slowest.")),
            (self.tr("&Beam size:"), self.beam_spin, shown(HELP["beam_size"])),
            (self.tr("&Partial refresh:"), self.partial_spin, shown(HELP["partial_interval_s"])),
            (None, self.automatic_check,
             self.tr("When transcription falls behind, take a smaller model or greedy decoding without asking.")),
        ))
        listening = self._group(self.tr("Listening"), (
            (self.tr("Speech &threshold:"), self.vad_spin, shown(HELP["vad_threshold"])),
            (self.tr("&End-of-speech pause:"), self.end_silence_spin, shown(HELP["end_silence_s"])),
        ))
        journal_row = QHBoxLayout()
        journal_row.addWidget(self.journal_edit, 1)
        journal_row.addWidget(self.journal_browse)
        files = self._group(self.tr("Files"), (
            (self.tr("&Journal folder:"), journal_row,
             self.tr("Each session is saved here as it is spoken, so a crash loses nothing. Empty: the default "
                     "folder.")),
            (self.tr("Export &format:"), self.format_combo, self.tr("What the Export dialog proposes first.")),
            (self.tr("Export c&ontent:"), self.content_combo,
             self.tr("Transcript, translation, or both side by side (bilingual).")),
        ))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.RestoreDefaults)
        self.reset_button = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.reset_button.setText(self.tr("&Reset to defaults"))
        self.reset_button.setToolTip(self.tr("Fill the form with the default settings (saved only with OK)"))
        self.reset_button.clicked.connect(lambda: self.show_preferences(Preferences()))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        content = QWidget()
        column = QVBoxLayout(content)
        note = QLabel(self.tr("Changes apply from the next Start."))
        note.setWordWrap(True)
        for widget in (note, engine, listening, files):
            column.addWidget(widget)
        column.addStretch(1)
        # small screens and large text: the form scrolls instead of being cut off
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)

        # Tab goes down the form as it reads, then to the buttons
        ok, cancel = (self.buttons.button(b) for b in (QDialogButtonBox.StandardButton.Ok,
                                                        QDialogButtonBox.StandardButton.Cancel))
        fields = self.fields()
        at = fields.index(self.journal_edit) + 1
        chain = fields[:at] + [self.journal_browse] + fields[at:] + [self.reset_button, ok, cancel]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self.device_combo.currentIndexChanged.connect(self._fill_compute_types)
        self.show_preferences(current)
        # the whole form where the screen allows; on a small screen (or at 150% text) it scrolls
        fit_to_screen(self, max(680, content.sizeHint().width() + 40), content.sizeHint().height() + 120)

    def fields(self) -> list[QWidget]:
        """The settings' fields in the order the form shows them."""
        return [self.device_combo, self.compute_combo, self.beam_spin, self.partial_spin, self.automatic_check,
                self.vad_spin, self.end_silence_spin, self.journal_edit, self.format_combo, self.content_combo]

    # ------------------------------------------------------------------ building

    def _double_spin(self, name: str, step: float, decimals: int, suffix: str = "") -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(*BOUNDS[name])
        spin.setSingleStep(step)
        spin.setDecimals(decimals)
        spin.setSuffix(suffix)
        return spin

    def _group(self, title: str, rows) -> QGroupBox:
        """A titled form: each row a label (a buddy of its field), the field, and its one-line explanation."""
        group = QGroupBox(title)
        form = QFormLayout(group)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for label_text, field, explanation in rows:
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            if isinstance(field, QWidget):
                cell_layout.addWidget(field)
                focus = field
            else:
                cell_layout.addLayout(field)
                focus = field.itemAt(0).widget()
            hint = QLabel(explanation)
            hint.setWordWrap(True)
            # the palette's own text colour: a greyed explanation would fail contrast and read as "unavailable"
            cell_layout.addWidget(hint)
            focus.setToolTip(explanation)
            focus.setAccessibleDescription(explanation)
            if label_text is None:
                form.addRow(cell)
                focus.setAccessibleName(focus.text().replace("&", ""))
                continue
            label = QLabel(label_text)
            label.setBuddy(focus)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            focus.setAccessibleName(label_text.replace("&", "").rstrip(":"))
            form.addRow(label, cell)
        return group

    # ------------------------------------------------------------------ the values

    def show_preferences(self, prefs: Preferences) -> None:
        """Fill the form with `prefs` (Reset to defaults passes the defaults)."""
        device = prefs.device if prefs.device != "cuda" or self._gpu_ok else "auto"
        self.device_combo.setCurrentIndex(max(self.device_combo.findData(device), 0))
        self._fill_compute_types(prefer=prefs.compute_type)
        self.vad_spin.setValue(prefs.vad_threshold)
        self.end_silence_spin.setValue(prefs.end_silence_s)
        self.beam_spin.setValue(prefs.beam_size)
        self.partial_spin.setValue(prefs.partial_interval_s)
        self.automatic_check.setChecked(prefs.automatic_lighter)
        self.journal_edit.setText(prefs.journal_folder)
        self.format_combo.setCurrentIndex(max(self.format_combo.findData(prefs.export_format), 0))
        self.content_combo.setCurrentIndex(max(self.content_combo.findData(prefs.export_content), 0))
        self.problem_label.hide()

    def _fill_compute_types(self, _index: int = 0, prefer: Optional[str] = None) -> None:
        wanted = prefer if prefer is not None else self.compute_combo.currentData()
        labels = {"default": self.tr("Default (int8 on a CPU, float16 on a GPU)")}
        self.compute_combo.clear()
        for key in compute_types(str(self.device_combo.currentData())):
            self.compute_combo.addItem(labels.get(key, key), key)
        self.compute_combo.setCurrentIndex(max(self.compute_combo.findData(wanted), 0))

    def edited(self) -> Preferences:
        """What the form says now."""
        return Preferences(
            device=str(self.device_combo.currentData()), compute_type=str(self.compute_combo.currentData()),
            vad_threshold=round(self.vad_spin.value(), 2), end_silence_s=round(self.end_silence_spin.value(), 2),
            beam_size=self.beam_spin.value(), partial_interval_s=round(self.partial_spin.value(), 2),
            automatic_lighter=self.automatic_check.isChecked(), journal_folder=self.journal_edit.text().strip(),
            export_format=str(self.format_combo.currentData()), export_content=str(self.content_combo.currentData()),
        )

    def preferences(self) -> Preferences:
        """The accepted preferences (the ones it opened with when cancelled)."""
        return self._result

    def accept(self) -> None:  # noqa: D102 - a bad folder keeps the dialog open, with the reason
        edited = self.edited()
        problem = journal_folder_problem(edited.journal_folder)
        if problem:
            self.problem_label.setText(shown(problem))
            self.problem_label.show()
            self.journal_edit.setFocus()
            return
        self._result = edited
        super().accept()

    def _browse_journal(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the journal folder"), self.journal_edit.text())
        if folder:
            self.journal_edit.setText(folder)
