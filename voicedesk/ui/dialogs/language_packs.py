"""Languages -> Language packs: installed Argos packs and the pairs they reach (also through English),
install from a .argosmodel file (button or drag-and-drop), remove, and browse the package index
with download, progress and Cancel (a saved copy of the index when offline).

Hook for the main window: `open_language_packs(parent) -> bool`, True when packs changed (refresh
the "Translate to" dropdown then).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voicedesk.models import argos_packs
from voicedesk.models.argos_files import TranslationError
from voicedesk.models.argos_index import IndexEntry, IndexListing, fetch_index
from voicedesk.ui.panes.announcer import say
from voicedesk.ui.background_task import BackgroundTask
from voicedesk.ui.fit import keep_fitting
from voicedesk.ui.i18n import shown
from voicedesk.ui.languages import language_name
from voicedesk.ui.dialogs.model_manager import set_progress

PACK_FILTER = QT_TRANSLATE_NOOP("LanguagePacksDialog", "Argos language packs (*.argosmodel)")
INSTALLED_MARK = QT_TRANSLATE_NOOP("LanguagePacksDialog", "\u2713 installed")


class LanguagePacksDialog(QDialog):
    def __init__(self, parent: Optional[QWidget] = None, fetch_on_open: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Language packs"))
        self.resize(640, 560)
        self.setAcceptDrops(True)
        self.changed = False
        self.task: Optional[BackgroundTask] = None
        self.index_task: Optional[BackgroundTask] = None
        self.listing: Optional[IndexListing] = None

        self.installed_list = QListWidget()
        self.reach_label = QLabel()
        self.reach_label.setWordWrap(True)
        self.install_file_button = QPushButton(self.tr("Install from file\u2026"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.install_file_button.clicked.connect(self._choose_file)
        self.remove_button.clicked.connect(self.remove_selected)
        self.installed_list.itemSelectionChanged.connect(self._update_buttons)

        installed_box = QGroupBox(self.tr("Installed (drop .argosmodel files here)"))
        ib = QVBoxLayout(installed_box)
        ib.addWidget(self.installed_list)
        ib.addWidget(self.reach_label)
        row = QHBoxLayout()
        row.addWidget(self.install_file_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        ib.addLayout(row)

        self.available_list = QListWidget()
        self.index_label = QLabel()
        self.index_label.setWordWrap(True)
        self.refresh_index_button = QPushButton(self.tr("Refresh list"))
        self.download_button = QPushButton(self.tr("Download and install"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setVisible(False)
        self.refresh_index_button.clicked.connect(self.load_index)
        self.download_button.clicked.connect(self.download_selected)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.available_list.itemSelectionChanged.connect(self._update_buttons)
        available_box = QGroupBox(self.tr("Available to download"))
        ab = QVBoxLayout(available_box)
        ab.addWidget(self.available_list)
        ab.addWidget(self.index_label)
        row2 = QHBoxLayout()
        row2.addWidget(self.refresh_index_button)
        row2.addWidget(self.download_button)
        row2.addWidget(self.cancel_button)
        row2.addStretch(1)
        ab.addLayout(row2)

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        # These labels show language codes, file names and server messages: a QLabel guesses rich text from
        # the text itself, so "<b>y</b>" from a pack would render as markup. They only ever show plain text.
        for label in (self.reach_label, self.index_label, self.message):
            label.setTextFormat(Qt.TextFormat.PlainText)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(installed_box, 1)
        layout.addWidget(available_box, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.installed_list.setAccessibleName(self.tr("Installed language packs"))
        self.installed_list.setAccessibleDescription(self.tr("Drop .argosmodel files here to install them"))
        self.available_list.setAccessibleName(self.tr("Language packs available to download"))
        self.available_list.setAccessibleDescription(self.tr("From the Argos Translate package list"))
        self.progress.setAccessibleName(self.tr("Download progress"))
        for button, tip in ((self.install_file_button, self.tr("Install .argosmodel files from this computer")),
                            (self.remove_button, self.tr("Remove the selected language pack")),
                            (self.refresh_index_button, self.tr("Fetch the list of language packs again")),
                            (self.download_button, self.tr("Download and install the selected language pack")),
                            (self.cancel_button, self.tr("Stop the download; nothing is kept")),
                            (close, self.tr("Close this window"))):
            button.setToolTip(tip)
        keep_fitting(self)

        self.refresh_installed()
        if fetch_on_open:
            self.load_index()

    # -- installed ------------------------------------------------------------------------------
    def refresh_installed(self) -> None:
        self.installed_list.clear()
        try:
            packs = argos_packs.installed_packs()
            reach = argos_packs.reachable_pairs()
        except TranslationError as exc:
            self._say(shown(exc), error=True)
            packs, reach = [], []
        for pack in packs:
            item = QListWidgetItem(self._pack_text(pack.from_code, pack.to_code, pack.pair, pack.version))
            item.setData(Qt.ItemDataRole.UserRole, pack.pair)
            self.installed_list.addItem(item)
        if reach:
            pairs = ", ".join(map(self._reach_text, reach))
            self.reach_label.setText(self.tr("Translates: {pairs}").format(pairs=pairs))
        else:
            self.reach_label.setText(self.tr("No language pack installed: translation is off until you add one."))
        self._mark_installed()
        self._update_buttons()

    def _pack_text(self, from_code: str, to_code: str, pair: str, version: str) -> str:
        return self.tr("{source} \u2192 {target}   ({pair}, version {version})").format(
            source=language_name(from_code), target=language_name(to_code), pair=pair, version=version or "?")

    def _reach_text(self, reach: argos_packs.ReachablePair) -> str:
        if not reach.via:
            return reach.label
        return self.tr("{source} \u2192 {target} (through {via})").format(
            source=reach.source, target=reach.target, via=", ".join(reach.via))

    def installed_pairs(self) -> list[str]:
        return [self.installed_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.installed_list.count())]

    def install_files(self, paths: list[str]) -> int:
        """Install .argosmodel files (from the file dialog or a drop); returns how many went in."""
        done = 0
        for path in paths:
            try:
                src, dst = argos_packs.install_file(Path(path))
            except TranslationError as exc:
                self._say(shown(exc), error=True)
                continue
            done += 1
            self.changed = True
            self._say(self.tr("Installed {pair}.").format(pair=f"{src}\u2192{dst}"))
        self.refresh_installed()
        return done

    def _choose_file(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Install language packs"), "", self.tr(PACK_FILTER))
        if paths:
            self.install_files(paths)

    def remove_selected(self) -> None:
        item = self.installed_list.currentItem()
        if item is None:
            return
        try:
            pack = argos_packs.uninstall(item.data(Qt.ItemDataRole.UserRole))
        except TranslationError as exc:
            self._say(shown(exc), error=True)
            return
        self.changed = True
        self._say(self.tr("Removed {pair}.").format(pair=f"{pack.from_code}\u2192{pack.to_code}"))
        self.refresh_installed()

    # -- drag and drop ----------------------------------------------------------------------------
    @staticmethod
    def _pack_paths(mime) -> list[str]:
        if not mime.hasUrls():
            return []
        return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile().endswith(".argosmodel")]

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._pack_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = self._pack_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.install_files(paths)

    # -- the index --------------------------------------------------------------------------------
    def load_index(self) -> None:
        """Fetch the package list on a worker thread (a saved copy when offline)."""
        if self.index_task is not None:
            return
        self.index_label.setText(self.tr("Fetching the list of language packs\u2026"))
        self.refresh_index_button.setEnabled(False)
        self.index_task = BackgroundTask(lambda progress, cancel: fetch_index(), self)
        self.index_task.succeeded.connect(self._show_index)
        self.index_task.failed.connect(lambda text: self.index_label.setText(text))
        self.index_task.finished.connect(self._index_done)
        self.index_task.start()

    def _index_done(self) -> None:
        self.index_task = None
        self.refresh_index_button.setEnabled(True)

    def _show_index(self, listing: IndexListing) -> None:
        self.listing = listing
        self.available_list.clear()
        for entry in listing.entries:
            item = QListWidgetItem(self._pack_text(entry.from_code, entry.to_code, entry.pair, entry.version))
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.available_list.addItem(item)
        if listing.from_cache:
            self.index_label.setText(self.tr("{problem}. Showing the list saved earlier; downloads need the network.")
                                     .format(problem=shown(listing.problem)))
        else:
            self.index_label.setText(self.tr("%n language pack(s) available.", "", len(listing.entries)))
        self._mark_installed()
        self._update_buttons()

    def _mark_installed(self) -> None:
        installed = set(self.installed_pairs())
        for i in range(self.available_list.count()):
            item = self.available_list.item(i)
            entry: IndexEntry = item.data(Qt.ItemDataRole.UserRole)
            mark = "  " + self.tr(INSTALLED_MARK)
            item.setText(item.text().removesuffix(mark) + (mark if entry.pair in installed else ""))

    def select_available(self, pair: str) -> bool:
        for i in range(self.available_list.count()):
            if self.available_list.item(i).data(Qt.ItemDataRole.UserRole).pair == pair:
                self.available_list.setCurrentRow(i)
                return True
        return False

    def download_selected(self) -> None:
        item = self.available_list.currentItem()
        if item is None or self.task is not None:
            return
        entry: IndexEntry = item.data(Qt.ItemDataRole.UserRole)
        self.task = BackgroundTask(lambda progress, cancel: argos_packs.install_from_index(entry, progress, cancel), self)
        self.task.progress.connect(lambda p: set_progress(self.progress, p))
        self.task.succeeded.connect(lambda pair: self._installed_from_index(pair))
        self.task.failed.connect(lambda text: self._say(text, error=True))
        self.task.cancelled.connect(lambda: self._say(self.tr("Download cancelled; nothing was kept.")))
        self.task.finished.connect(self._download_done)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self._say(self.tr("Downloading {name}\u2026").format(name=f"{language_name(entry.from_code)} \u2192 "
                                                                     f"{language_name(entry.to_code)}"))
        self.task.start()
        self._update_buttons()

    def _installed_from_index(self, pair: tuple[str, str]) -> None:
        self.changed = True
        self._say(self.tr("Installed {pair}.").format(pair=f"{pair[0]}\u2192{pair[1]}"))

    def cancel_download(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self._say(self.tr("Cancelling\u2026"))

    def _download_done(self) -> None:
        self.task = None
        self.progress.setVisible(False)
        self.refresh_installed()

    # -- misc -------------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        busy = self.task is not None
        self.remove_button.setEnabled(not busy and self.installed_list.currentItem() is not None)
        self.download_button.setEnabled(not busy and self.available_list.currentItem() is not None)
        self.cancel_button.setVisible(busy)

    def _say(self, text: str, error: bool = False) -> None:
        say(self.message, text, error)

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
        super().reject()


def open_language_packs(parent: Optional[QWidget] = None) -> bool:
    """Show the language packs dialog modally; True when packs were installed or removed."""
    dialog = LanguagePacksDialog(parent)
    dialog.exec()
    return dialog.changed
