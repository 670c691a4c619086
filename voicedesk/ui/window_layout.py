"""The main window's widgets, layout and menus (the window connects them to the session core)."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from voicedesk.ui.banner import Banner
from voicedesk.ui.captions_menu import CaptionFeatures
from voicedesk.ui.fit import fit_to_screen
from voicedesk.ui.language_menu import LanguageMenu
from voicedesk.ui.overload import OverloadOffer
from voicedesk.ui.settings_menu import SettingsFeatures
from voicedesk.ui.transcript_view import TranscriptPanes, default_point_size
from voicedesk.ui.translate_targets import ENGINE_LABELS, TARGET_TIP
from voicedesk.ui.reading_mode import ReadingMode
from voicedesk.ui.waveform import LevelMeter, WaveformView

MainWindow = Any   # the window being built (voicedesk.ui.main_window imports this module, not the reverse)

CHOOSE_FOLDER = "__choose_folder__"   # the model dropdown's last entry
translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") as a string to translate


def build_widgets(window: MainWindow) -> None:
    """The window's widgets and layout, made attributes of the window; their signals go to its slots."""
    window.setWindowTitle("voicedesk")
    fit_to_screen(window, 1100, 720)
    central = QWidget()
    window.setCentralWidget(central)
    root = QVBoxLayout(central)

    window.device_combo = QComboBox()
    window.device_combo.setToolTip(translate("MainWindow", "The microphone (or system audio) to transcribe"))
    window.device_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    window.device_combo.setMinimumContentsLength(16)   # the top row fits a 1024 px screen at 150% text
    window.refresh_button = QToolButton()
    window.refresh_button.setText("\u27f3")
    window.refresh_button.setToolTip(translate("MainWindow", "Look for microphones again"))
    window.refresh_button.clicked.connect(lambda: window.refresh_devices(rescan=True))
    window.language_combo = QComboBox()
    window.language_combo.setToolTip(
        translate("MainWindow", "The language being spoken; Auto-detect decides per utterance"))
    window.language_combo.addItem(translate("MainWindow", "Auto-detect"), None)
    window.target_combo = QComboBox()
    window.target_combo.setToolTip(translate("TranslateTargets", TARGET_TIP))
    window.target_combo.addItem(translate("TranslateTargets", "None"), None)
    window.model_combo = QComboBox()
    window.model_combo.setToolTip(
        translate("MainWindow", "The Whisper speech model: larger is more accurate and slower"))
    for combo in (window.language_combo, window.target_combo, window.model_combo):
        # the width kept for them does not grow with their longest item (in Spanish, "Detección automática")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
    window.start_button = QPushButton(translate("MainWindow", "Start"))
    window.start_button.setToolTip(translate("MainWindow", "Start or stop listening (Space, Ctrl+R)"))
    font = QFont(window.start_button.font())
    font.setPointSize(font.pointSize() + 4)
    font.setBold(True)
    window.start_button.setFont(font)
    window.start_button.setMinimumSize(140, 56)
    window.start_button.clicked.connect(window.toggle_session)

    grid = QGridLayout()
    mic_label = QLabel(translate("MainWindow", "Microphone"))
    mic_label.setBuddy(window.device_combo)   # a screen reader reads the field as labelled by it
    grid.addWidget(mic_label, 0, 0)
    mic_row = QHBoxLayout()
    mic_row.addWidget(window.device_combo, 1)
    mic_row.addWidget(window.refresh_button)
    grid.addLayout(mic_row, 1, 0)
    for column, (label, combo) in enumerate(
        ((translate("MainWindow", "Spoken language"), window.language_combo),
         (translate("MainWindow", "Translate to"), window.target_combo),
         (translate("MainWindow", "Model"), window.model_combo)),
        start=1,
    ):
        title = QLabel(label)
        title.setBuddy(combo)
        grid.addWidget(title, 0, column)
        grid.addWidget(combo, 1, column)
    grid.setColumnStretch(0, 3)
    for column in (1, 2, 3):
        grid.setColumnStretch(column, 2)
    top = QHBoxLayout()
    top.addLayout(grid, 1)
    top.addWidget(window.start_button)
    root.addLayout(top)

    window.banner = Banner()
    root.addWidget(window.banner)
    # its own strip, so no later message (a missing microphone, say) hides the offer
    window.restore_banner = Banner()
    root.addWidget(window.restore_banner)
    window.overload_offer = OverloadOffer()
    window.overload_offer.apply_button.clicked.connect(window.core.apply_lighter)
    window.overload_offer.automatic.toggled.connect(window._automatic_toggled)
    root.addWidget(window.overload_offer)

    wave_row = QHBoxLayout()
    window.waveform = WaveformView()
    window.meter = LevelMeter()
    window.meter.setFixedHeight(window.waveform.height())
    wave_row.addWidget(window.waveform, 1)
    wave_row.addWidget(window.meter)
    root.addLayout(wave_row)

    window.file_row = QWidget()
    file_layout = QHBoxLayout(window.file_row)
    file_layout.setContentsMargins(0, 0, 0, 0)
    window.file_label = QLabel()
    window.file_progress = QProgressBar()
    window.file_progress.setRange(0, 1000)
    window.cancel_button = QPushButton(translate("MainWindow", "Cancel"))
    window.cancel_button.setToolTip(
        translate("MainWindow", "Stop transcribing the file (what is done so far is kept)"))
    window.cancel_button.clicked.connect(window.stop_session)
    file_layout.addWidget(window.file_label)
    file_layout.addWidget(window.file_progress, 1)
    file_layout.addWidget(window.cancel_button)
    window.file_row.hide()
    root.addWidget(window.file_row)

    window.panes = TranscriptPanes()
    window.panes.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    root.addWidget(window.panes, 1)

    window.state_label = QLabel(translate("MainWindow", "Starting\u2026"))
    window.lag_label = QLabel()
    window.lag_label.setToolTip(translate("MainWindow", "How far transcription is behind the audio"))
    window.lag_label.hide()
    window.model_label = QLabel()
    window.statusBar().addWidget(window.state_label, 1)
    window.statusBar().addPermanentWidget(window.lag_label)
    window.statusBar().addPermanentWidget(window.model_label)

    window.language_combo.currentIndexChanged.connect(window._language_changed)
    window.target_combo.currentIndexChanged.connect(window._target_changed)
    window.model_combo.activated.connect(window._model_activated)
    window.device_combo.currentIndexChanged.connect(window._device_changed)


def _action(window: MainWindow, menu: QMenu, text: str, slot: Callable[[], Any], shortcut: Any = None,
            tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def build_menus(window: MainWindow) -> None:
    """The menu bar and the shortcuts."""
    w = window
    bar = w.menuBar()
    file_menu = bar.addMenu(translate("MainWindow", "&File"))
    w.open_file_action = _action(w, file_menu, translate("MainWindow", "&Open audio or video file\u2026"),
                                 w.open_file_dialog, QKeySequence.StandardKey.Open,
                                 translate("MainWindow", "Transcribe a recording into the panes"))
    w.open_transcript_action = _action(w, file_menu, translate("MainWindow", "Open &transcript\u2026"),
                                       w.open_transcript_dialog, "Ctrl+Shift+O",
                                       translate("MainWindow", "Show a transcript exported earlier as JSON"))
    w.export_action = _action(w, file_menu, translate("MainWindow", "&Export\u2026"), w.export_dialog, "Ctrl+E",
                              translate("MainWindow", "Save the transcript as SRT, VTT, TXT or JSON"))
    w.new_session_action = _action(w, file_menu, translate("MainWindow", "&New session"), w.new_session,
                                   QKeySequence.StandardKey.New, translate("MainWindow", "Start again with empty panes"))
    file_menu.addSeparator()
    _action(w, file_menu, translate("MainWindow", "Speech &models\u2026"), w.open_model_manager, "Ctrl+M",
            translate("MainWindow", "Download, add or delete Whisper models"))
    _action(w, file_menu, translate("MainWindow", "&Language packs\u2026"), w.open_language_packs, "Ctrl+L",
            translate("MainWindow", "Install or remove Argos Translate language packs"))
    file_menu.addSeparator()
    _action(w, file_menu, translate("MainWindow", "&Quit"), w.close, QKeySequence.StandardKey.Quit)

    edit_menu = bar.addMenu(translate("MainWindow", "&Edit"))
    w.edit_menu = edit_menu     # voicedesk.ui.transcript_editing adds Find and the line edits
    _action(w, edit_menu, translate("MainWindow", "&Copy"), w.panes.copy, QKeySequence.StandardKey.Copy,
            translate("MainWindow", "Copy the selection, or the whole pane when nothing is selected"))
    _action(w, edit_menu, translate("MainWindow", "Select &all"), w.panes.select_all,
            QKeySequence.StandardKey.SelectAll)
    _action(w, edit_menu, translate("MainWindow", "C&lear"), w.new_session, None,
            translate("MainWindow", "Clear both panes (asks first if not exported)"))
    edit_menu.addSeparator()
    w.engine_menu = edit_menu.addMenu(translate("MainWindow", "&Translation engine"))
    w.engine_actions = QActionGroup(w)
    for choice, text, tip in ENGINE_LABELS:
        action = _action(w, w.engine_menu, translate("TranslateTargets", text), w._engine_chosen, None,
                         translate("TranslateTargets", tip))
        action.setCheckable(True)
        action.setData(choice.value)
        w.engine_actions.addAction(action)
    w.preferences = SettingsFeatures(w, edit_menu)   # Vocabulary..., Preferences... (Ctrl+,), and applying them

    view_menu = bar.addMenu(translate("MainWindow", "&View"))
    larger = _action(w, view_menu, translate("MainWindow", "&Larger text"), lambda: w._zoom(1),
                     QKeySequence.StandardKey.ZoomIn)
    larger.setShortcuts([*larger.shortcuts(), QKeySequence("Ctrl+=")])   # "+" needs Shift on most keyboards
    _action(w, view_menu, translate("MainWindow", "&Smaller text"), lambda: w._zoom(-1),
            QKeySequence.StandardKey.ZoomOut)
    _action(w, view_menu, translate("MainWindow", "&Reset text size"),
            lambda: w._zoom(default_point_size() - w.panes.point_size()), "Ctrl+0")
    w.reading = ReadingMode(w, view_menu, w.settings)   # View -> Settled text only (no partials)
    w.reading.changed.connect(lambda on: w.panes.drop_partials() if on else None)
    w.captions = CaptionFeatures(w, view_menu)     # Caption overlay (Ctrl+Shift+C), its options, Share captions
    w.language_menu = LanguageMenu(w, view_menu, w.settings)   # View -> Language (from the next start)

    session_menu = bar.addMenu(translate("MainWindow", "&Session"))
    w.start_action = _action(w, session_menu, translate("MainWindow", "&Start / Stop"), w.toggle_session, "Ctrl+R")
    # Space only when the focused widget has no use for it (voicedesk.ui.keyboard.SpaceGuard)
    w.space_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), w)
    w.space_shortcut.activated.connect(w.toggle_session)

    help_menu = bar.addMenu(translate("MainWindow", "&Help"))
    _action(w, help_menu, translate("MainWindow", "Open &log folder"), w.open_log_folder)
    _action(w, help_menu, translate("MainWindow", "&About voicedesk"), w.show_about)
