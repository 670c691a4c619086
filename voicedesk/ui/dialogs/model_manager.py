"""File -> Speech models: the Whisper sizes, what is installed, download with progress and Cancel,
delete, and adding a model folder the user already has; and the speaker model (View -> Label speakers),
downloaded the same way or added from a .onnx file.

Hook for the main window: `open_model_manager(parent, model_in_use=...) -> str | None` returns the
model spec the user chose to use (a folder path), or None. `model_in_use()` names the model a run is
using right now, which cannot be deleted until the run ends. `open_speaker_download(parent, ...)` shows
the same dialog without blocking, the speaker row selected and its download started (the Label speakers
banner's button).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from voicedesk.models import speaker_model
from voicedesk.models.progress import Progress, human_size
from voicedesk.models.resolve import ModelError
from voicedesk.models.speaker_download import DOWNLOAD_SIZE_MB, download_speaker_model
from voicedesk.models.whisper_store import WhisperModelStore
from voicedesk.ui.panes.announcer import say
from voicedesk.ui.background_task import BackgroundTask
from voicedesk.ui.fit import keep_fitting
from voicedesk.ui.i18n import shown

# QT_TRANSLATE_NOOP gives back its text; PySide6's stubs call it object
INSTALLED = cast(str, QT_TRANSLATE_NOOP("ModelManagerDialog", "installed"))
YOUR_FOLDER = cast(str, QT_TRANSLATE_NOOP("ModelManagerDialog", "your folder"))
_SOURCE_LABELS = {"hub-cache": INSTALLED, "app": INSTALLED,
                  "bundled": cast(str, QT_TRANSLATE_NOOP("ModelManagerDialog", "bundled")), "folder": YOUR_FOLDER}
SPEAKER_ROW = "speaker"          # the speaker model's row (no Whisper name or folder path is spelt so)
WHISPER, FOLDER, SPEAKER = "whisper", "folder", "speaker"      # what a row is


def set_progress(bar: QProgressBar, p: Progress) -> None:
    """Show a Progress on a bar: a percentage when the total is known, a busy bar otherwise."""
    if p.total:
        bar.setRange(0, 1000)
        bar.setValue(int(1000 * (p.fraction or 0.0)))
        bar.setFormat(QCoreApplication.translate("ModelManagerDialog", "%p%  ({done} of {total})").format(
            done=human_size(p.done), total=human_size(p.total)))
    else:
        bar.setRange(0, 0)


class ModelManagerDialog(QDialog):
    def __init__(self, parent: Optional[QWidget] = None, store: Optional[WhisperModelStore] = None,
                 model_in_use: Callable[[], Optional[str]] = lambda: None, offer_use: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Speech models"))
        self.resize(720, 520)
        self.store = store or WhisperModelStore()
        self._model_in_use = model_in_use
        self.chosen_spec: Optional[str] = None
        self.task: Optional[BackgroundTask] = None
        self._downloading: Optional[str] = None

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("Model"), self.tr("Size"), self.tr("Speed and accuracy"),
                                              self.tr("Status")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _: self.use_selected())

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        # model names and folder paths (which may hold "<" and ">") are data, never markup
        self.message.setTextFormat(Qt.TextFormat.PlainText)

        self.download_button = QPushButton(self.tr("Download"))
        self.cancel_button = QPushButton(self.tr("Cancel download"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.add_folder_button = QPushButton(self.tr("Add folder\u2026"))
        self.add_file_button = QPushButton(self.tr("Add from file\u2026"))
        self.use_button = QPushButton(self.tr("Use this model"))
        self._offer_use = offer_use                 # nobody takes the chosen model when opened from a banner
        self.use_button.setVisible(offer_use)
        self.close_button = QPushButton(self.tr("Close"))
        self.download_button.clicked.connect(self.download_selected)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.delete_button.clicked.connect(self.delete_selected)
        self.add_folder_button.clicked.connect(self._choose_folder)
        self.add_file_button.clicked.connect(self._choose_speaker_file)
        self.use_button.clicked.connect(self.use_selected)
        self.close_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        for b in (self.download_button, self.cancel_button, self.delete_button, self.add_folder_button,
                  self.add_file_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("Whisper speech models run on this computer. Larger models are more accurate and slower."))
        intro.setWordWrap(True)
        intro.setBuddy(self.table)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.table.setAccessibleName(self.tr("Speech models"))
        self.table.setAccessibleDescription(
            self.tr("Each model's size, speed and accuracy, and whether it is installed"))
        self.progress.setAccessibleName(self.tr("Download progress"))
        for button, tip in ((self.download_button, self.tr("Download the selected model")),
                            (self.cancel_button, self.tr("Stop the download; nothing is kept")),
                            (self.delete_button, self.tr("Delete the selected model from this computer")),
                            (self.add_folder_button, self.tr("Use a faster-whisper model folder you already have")),
                            (self.add_file_button, self.tr("Install a CAM++ speaker model (.onnx) you already have")),
                            (self.use_button, self.tr("Transcribe with the selected model")),
                            (self.close_button, self.tr("Close this window"))):
            button.setToolTip(tip)
        keep_fitting(self)
        self.refresh()

    # -- rows -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected_name()
        self._rows: list[tuple[str, Optional[Path], str]] = []     # (name, installed folder or file, kind)
        self.table.setRowCount(0)
        for row in self.store.status():
            status = self.tr(_SOURCE_LABELS.get(row.installed.source, INSTALLED)) if row.installed else (
                self.tr("partly downloaded ({size})").format(size=human_size(row.partial_bytes))
                if row.partial_bytes else "")
            self._add_row(row.info.name, human_size(row.info.disk_mb * 1e6), shown(row.info.hint), status,
                          row.installed.path if row.installed else None, WHISPER)
        for folder in self.store.local_folders():
            from voicedesk.models.resolve import local_model_problem

            problem = local_model_problem(folder)
            self._add_row(str(folder), "", self.tr("a folder you added"),
                          self.tr("missing files") if problem else self.tr(YOUR_FOLDER),
                          None if problem else folder, FOLDER)
        self._add_speaker_row()
        if selected:
            self.select(selected)
        self._update_buttons()

    def _add_speaker_row(self) -> None:
        """The speaker model: one file in the user data folder, downloaded or added from a file."""
        path = speaker_model.installed_speaker_model(self.store.data_dir)
        try:
            size = path.stat().st_size if path else DOWNLOAD_SIZE_MB * 1e6
        except OSError:
            size = DOWNLOAD_SIZE_MB * 1e6
        self._add_row(SPEAKER_ROW, human_size(size), self.tr("Tells speakers apart (View \u2192 Label speakers)"),
                      self.tr(INSTALLED) if path else "", path, SPEAKER,
                      shown_name=self.tr("Speaker labels (CAM++)"))

    def _add_row(self, name: str, size: str, hint: str, status: str, path: Optional[Path], kind: str,
                 shown_name: Optional[str] = None) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for column, text in enumerate((shown_name or name, size, hint, status)):
            item = QTableWidgetItem(text)
            if column == 1:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, column, item)
        self._rows.append((name, path, kind))

    def select(self, name: str) -> bool:
        for r, (row_name, _, _) in enumerate(self._rows):
            if row_name == name:
                self.table.selectRow(r)
                return True
        return False

    def selected_name(self) -> Optional[str]:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self._rows[rows[0].row()][0] if rows else None

    def status_of(self, name: str) -> str:
        for r, (row_name, _, _) in enumerate(self._rows):
            item = self.table.item(r, 3)
            if row_name == name and item is not None:
                return item.text()
        return ""

    def _selected_row(self) -> tuple[Optional[str], Optional[Path], str]:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self._rows[rows[0].row()] if rows else (None, None, "")

    def _selected_path(self) -> Optional[Path]:
        """The selected Whisper model's folder (None for the speaker row: it is not a model to transcribe with)."""
        _, path, kind = self._selected_row()
        return path if kind != SPEAKER else None

    def _update_buttons(self) -> None:
        busy = self.task is not None
        name, path, kind = self._selected_row()
        self.download_button.setEnabled(not busy and kind in (WHISPER, SPEAKER) and path is None)
        self.cancel_button.setVisible(busy)
        self.delete_button.setEnabled(not busy and name is not None and (path is not None or kind == FOLDER))
        self.delete_button.setText(self.tr("Forget folder") if kind == FOLDER else self.tr("Delete"))
        self.add_folder_button.setVisible(kind != SPEAKER)
        self.add_file_button.setVisible(kind == SPEAKER)
        self.add_file_button.setEnabled(not busy)
        self.use_button.setEnabled(path is not None and kind != SPEAKER)

    # -- actions --------------------------------------------------------------------------------
    def download_selected(self) -> None:
        name, _, kind = self._selected_row()
        if name is None or self.task is not None:
            return
        if kind == SPEAKER:
            self._download_speaker_model()
            return
        self._downloading = name
        self.task = BackgroundTask(lambda progress, cancel: self.store.download(name, progress, cancel), self)
        self._start_task(self.tr("Downloading {name}\u2026").format(name=name),
                         self.tr("{name} is ready.").format(name=name))

    def start_speaker_download(self) -> None:
        """Select the speaker row and download it, unless it is installed or a download is running."""
        self.select(SPEAKER_ROW)
        if speaker_model.installed_speaker_model(self.store.data_dir) is None:
            self.download_selected()

    def _download_speaker_model(self) -> None:
        data_dir = self.store.data_dir      # read here, on the GUI thread: the worker only downloads
        self._downloading = SPEAKER_ROW
        self.task = BackgroundTask(
            lambda progress, cancel: download_speaker_model(progress, cancel, data_dir=data_dir), self)
        self._start_task(self.tr("Downloading the speaker model\u2026"),
                         self.tr("The speaker model is ready; View \u2192 Label speakers uses it from the next "
                                 "Start."))

    def _start_task(self, starting: str, ready: str) -> None:
        assert self.task is not None
        self.task.progress.connect(lambda p: set_progress(self.progress, p))
        self.task.succeeded.connect(lambda _: self._say(ready))
        self.task.failed.connect(lambda text: self._say(text, error=True))
        self.task.cancelled.connect(lambda: self._say(self.tr("Download cancelled; nothing was kept.")))
        self.task.finished.connect(self._download_finished)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self._say(starting)
        self.task.start()
        self._update_buttons()

    def cancel_download(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self._say(self.tr("Cancelling\u2026"))

    def _download_finished(self) -> None:
        self.task = None
        self._downloading = None
        self.progress.setVisible(False)
        self.refresh()

    def delete_selected(self) -> None:
        name, _, kind = self._selected_row()
        if name is None:
            return
        if kind == SPEAKER:
            self._delete_speaker_model()
            return
        if self._in_use(name, self._selected_path()):
            self._say(self.tr("{name} is in use: transcription is running with it. Stop it first, then delete "
                              "the model.").format(name=name), error=True)
            return
        try:
            if "/" in name or "\\" in name:
                self.store.remove_local_folder(name)
                self._say(self.tr("Forgot {name} (its files are untouched).").format(name=name))
            else:
                self.store.delete(name)
                self._say(self.tr("Deleted {name}.").format(name=name))
        except (ModelError, OSError) as exc:
            self._say(shown(exc), error=True)
        self.refresh()

    def _delete_speaker_model(self) -> None:
        try:
            if speaker_model.delete_speaker_model(self.store.data_dir):
                self._say(self.tr("Deleted the speaker model."))
        except ModelError as exc:
            self._say(shown(exc), error=True)
        self.refresh()

    def _in_use(self, name: str, path: Optional[Path]) -> bool:
        """Whether deleting row `name` would delete the files of the model a run is using."""
        if "/" in name or "\\" in name:
            return False   # forgetting a folder leaves its files where they are
        spec = self._model_in_use()
        if not spec:
            return False
        if spec == name:
            return True
        try:
            return path is not None and Path(spec).expanduser().resolve() == path.resolve()
        except OSError:
            return False

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a faster-whisper model folder"))
        if folder:
            self.add_folder(folder)

    def add_folder(self, folder: str) -> bool:
        """Add a folder (what the file dialog returns); says plainly what is wrong with a bad one."""
        try:
            added = self.store.add_local_folder(folder)
        except ModelError as exc:
            self._say(shown(exc), error=True)
            return False
        self.refresh()
        self.select(str(added.path))
        self._say(self.tr("Added {path}.").format(path=added.path))
        return True

    def _choose_speaker_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a CAM++ speaker model"), "",
                                              self.tr("ONNX models (*.onnx);;All files (*)"))
        if path:
            self.add_speaker_file(path)

    def add_speaker_file(self, path: str) -> bool:
        """Install a speaker model file (what the file dialog returns); says plainly what is wrong with a bad one.

        Checked and copied here, on the GUI thread, like a folder: a local file of tens of MB takes a moment.
        """
        try:
            speaker_model.install_speaker_model(Path(path), self.store.data_dir)
        except (ModelError, OSError) as exc:
            self._say(shown(exc) if isinstance(exc, ModelError) else str(exc), error=True)
            return False
        self.refresh()
        self.select(SPEAKER_ROW)
        self._say(self.tr("Added the speaker model from {path}.").format(path=path))
        return True

    def use_selected(self) -> None:
        path = self._selected_path()
        if path is not None and self._offer_use:
            self.chosen_spec = str(path)
            self.accept()

    def _say(self, text: str, error: bool = False) -> None:
        say(self.message, text, error)

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()        # closing the dialog cancels a running download
        super().reject()


def open_model_manager(parent: Optional[QWidget] = None, store: Optional[WhisperModelStore] = None,
                       model_in_use: Callable[[], Optional[str]] = lambda: None) -> Optional[str]:
    """Show the model manager modally; the chosen model folder, or None when the user just closed it."""
    dialog = ModelManagerDialog(parent, store, model_in_use)
    dialog.exec()
    return dialog.chosen_spec


def open_speaker_download(parent: Optional[QWidget] = None, store: Optional[WhisperModelStore] = None,
                          model_in_use: Callable[[], Optional[str]] = lambda: None) -> ModelManagerDialog:
    """Show the model manager without blocking (window-modal), the speaker row selected and its download
    started; returns the dialog (the caller keeps it, and may show it again)."""
    dialog = ModelManagerDialog(parent, store, model_in_use, offer_use=False)
    dialog.open()
    dialog.start_speaker_download()
    return dialog
