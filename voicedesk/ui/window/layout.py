"""The main window's widgets, layout and menus, as typed objects (the window connects them to what they do)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from voicedesk.ui.dialogs.about import show_about
from voicedesk.ui.window.banner import Banner
from voicedesk.ui.fit import fit_to_screen
from voicedesk.ui.logs import open_log_folder
from voicedesk.ui.window.overload import OverloadOffer
from voicedesk.ui.panes.transcript_view import TranscriptPanes, default_point_size
from voicedesk.ui.window.translate_targets import ENGINE_LABELS
from voicedesk.ui.panes.waveform import LevelMeter, WaveformView
from voicedesk.ui.window.choices import ChoicesNeeds, WindowChoices

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") as a string to translate


@dataclass(frozen=True, slots=True)
class WindowWidgets:
    """Every widget of the main window's body; the window connects their signals to what they do."""

    choices: WindowChoices          # the top row's dropdowns
    start_button: QPushButton
    banner: Banner                  # messages and their actions
    restore_banner: Banner          # the offer to restore an unfinished session: no later message hides it
    overload_offer: OverloadOffer
    waveform: WaveformView
    meter: LevelMeter
    file_row: QWidget               # shown while a file is transcribed
    file_label: QLabel
    file_progress: QProgressBar
    cancel_button: QPushButton
    panes: TranscriptPanes
    state_label: QLabel             # the status bar's parts
    lag_label: QLabel
    model_label: QLabel


@dataclass(frozen=True, slots=True)
class MenuSlots:
    """What the menu entries do (the window's methods)."""

    open_file: Callable[[], object]
    open_transcript: Callable[[], object]
    export: Callable[[], object]
    new_session: Callable[[], object]
    model_manager: Callable[[], object]
    language_packs: Callable[[], object]
    quit: Callable[[], object]
    engine_chosen: Callable[[], object]
    zoom: Callable[[int], object]          # steps larger (negative: smaller)
    toggle_session: Callable[[], object]


@dataclass(frozen=True, slots=True)
class WindowMenus:
    """The menus and the actions the window enables, checks or extends later."""

    edit_menu: QMenu                # Edit: voicedesk.ui.panes.editing and SettingsFeatures add theirs
    view_menu: QMenu                # View: ReadingMode, CaptionFeatures and LanguageMenu add theirs
    open_file_action: QAction
    open_transcript_action: QAction
    export_action: QAction
    new_session_action: QAction
    engine_menu: QMenu
    engine_actions: QActionGroup
    start_action: QAction
    space_shortcut: QShortcut       # Space only when the focused widget has no use for it (keyboard.SpaceGuard)


def build_widgets(window: QMainWindow, needs: ChoicesNeeds) -> WindowWidgets:
    """The window's widgets and layout; nothing is connected to the window here."""
    window.setWindowTitle("voicedesk")
    fit_to_screen(window, 1100, 720)
    central = QWidget()
    window.setCentralWidget(central)
    root = QVBoxLayout(central)

    banner = Banner()
    choices = WindowChoices(needs, banner)
    start_button = QPushButton(translate("MainWindow", "Start"))
    start_button.setToolTip(translate("MainWindow", "Start or stop listening (Space, Ctrl+R)"))
    font = QFont(start_button.font())
    font.setPointSize(font.pointSize() + 4)
    font.setBold(True)
    start_button.setFont(font)
    start_button.setMinimumSize(140, 56)
    top = QHBoxLayout()
    top.addWidget(choices, 1)
    top.addWidget(start_button)
    root.addLayout(top)

    root.addWidget(banner)
    restore_banner = Banner()
    root.addWidget(restore_banner)
    overload_offer = OverloadOffer()
    root.addWidget(overload_offer)

    wave_row = QHBoxLayout()
    waveform = WaveformView()
    meter = LevelMeter()
    meter.setFixedHeight(waveform.height())
    wave_row.addWidget(waveform, 1)
    wave_row.addWidget(meter)
    root.addLayout(wave_row)

    file_row = QWidget()
    file_layout = QHBoxLayout(file_row)
    file_layout.setContentsMargins(0, 0, 0, 0)
    file_label = QLabel()
    file_progress = QProgressBar()
    file_progress.setRange(0, 1000)
    cancel_button = QPushButton(translate("MainWindow", "Cancel"))
    cancel_button.setToolTip(translate("MainWindow", "Stop transcribing the file (what is done so far is kept)"))
    file_layout.addWidget(file_label)
    file_layout.addWidget(file_progress, 1)
    file_layout.addWidget(cancel_button)
    file_row.hide()
    root.addWidget(file_row)

    panes = TranscriptPanes()
    panes.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    root.addWidget(panes, 1)

    state_label = QLabel(translate("MainWindow", "Starting\u2026"))
    lag_label = QLabel()
    lag_label.setToolTip(translate("MainWindow", "How far transcription is behind the audio"))
    lag_label.hide()
    model_label = QLabel()
    window.statusBar().addWidget(state_label, 1)
    window.statusBar().addPermanentWidget(lag_label)
    window.statusBar().addPermanentWidget(model_label)
    return WindowWidgets(choices, start_button, banner, restore_banner, overload_offer, waveform, meter,
                         file_row, file_label, file_progress, cancel_button, panes, state_label, lag_label,
                         model_label)


def _action(window: QMainWindow, menu: QMenu, text: str, slot: Callable[[], object],
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None, tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def build_menus(window: QMainWindow, slots: MenuSlots, panes: TranscriptPanes) -> WindowMenus:
    """The menu bar and the shortcuts; the Edit and View menus get more entries from the window's features."""
    w, do = window, slots
    bar = w.menuBar()
    file_menu = bar.addMenu(translate("MainWindow", "&File"))
    open_file_action = _action(w, file_menu, translate("MainWindow", "&Open audio or video file\u2026"),
                               do.open_file, QKeySequence.StandardKey.Open,
                               translate("MainWindow", "Transcribe a recording into the panes"))
    open_transcript_action = _action(w, file_menu, translate("MainWindow", "Open &transcript\u2026"),
                                     do.open_transcript, "Ctrl+Shift+O",
                                     translate("MainWindow", "Show a transcript exported earlier as JSON"))
    export_action = _action(w, file_menu, translate("MainWindow", "&Export\u2026"), do.export, "Ctrl+E",
                            translate("MainWindow", "Save the transcript as SRT, VTT, TXT or JSON"))
    new_session_action = _action(w, file_menu, translate("MainWindow", "&New session"), do.new_session,
                                 QKeySequence.StandardKey.New, translate("MainWindow", "Start again with empty panes"))
    file_menu.addSeparator()
    _action(w, file_menu, translate("MainWindow", "Speech &models\u2026"), do.model_manager, "Ctrl+M",
            translate("MainWindow", "Download, add or delete Whisper models"))
    _action(w, file_menu, translate("MainWindow", "&Language packs\u2026"), do.language_packs, "Ctrl+L",
            translate("MainWindow", "Install or remove Argos Translate language packs"))
    file_menu.addSeparator()
    _action(w, file_menu, translate("MainWindow", "&Quit"), do.quit, QKeySequence.StandardKey.Quit)

    edit_menu = bar.addMenu(translate("MainWindow", "&Edit"))
    _action(w, edit_menu, translate("MainWindow", "&Copy"), panes.copy, QKeySequence.StandardKey.Copy,
            translate("MainWindow", "Copy the selection, or the whole pane when nothing is selected"))
    _action(w, edit_menu, translate("MainWindow", "Select &all"), panes.select_all,
            QKeySequence.StandardKey.SelectAll)
    _action(w, edit_menu, translate("MainWindow", "C&lear"), do.new_session, None,
            translate("MainWindow", "Clear both panes (asks first if not exported)"))
    edit_menu.addSeparator()
    engine_menu = edit_menu.addMenu(translate("MainWindow", "&Translation engine"))
    engine_actions = QActionGroup(w)
    for choice, text, tip in ENGINE_LABELS:
        action = _action(w, engine_menu, translate("TranslateTargets", text), do.engine_chosen, None,
                         translate("TranslateTargets", tip))
        action.setCheckable(True)
        action.setData(choice.value)
        engine_actions.addAction(action)

    view_menu = bar.addMenu(translate("MainWindow", "&View"))
    larger = _action(w, view_menu, translate("MainWindow", "&Larger text"), lambda: do.zoom(1),
                     QKeySequence.StandardKey.ZoomIn)
    larger.setShortcuts([*larger.shortcuts(), QKeySequence("Ctrl+=")])   # "+" needs Shift on most keyboards
    _action(w, view_menu, translate("MainWindow", "&Smaller text"), lambda: do.zoom(-1),
            QKeySequence.StandardKey.ZoomOut)
    _action(w, view_menu, translate("MainWindow", "&Reset text size"),
            lambda: do.zoom(default_point_size() - panes.point_size()), "Ctrl+0")

    session_menu = bar.addMenu(translate("MainWindow", "&Session"))
    start_action = _action(w, session_menu, translate("MainWindow", "&Start / Stop"), do.toggle_session, "Ctrl+R")
    space_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), w)
    space_shortcut.activated.connect(do.toggle_session)

    help_menu = bar.addMenu(translate("MainWindow", "&Help"))
    _action(w, help_menu, translate("MainWindow", "Open &log folder"), open_log_folder)
    _action(w, help_menu, translate("MainWindow", "&About voicedesk"), lambda: show_about(w))
    return WindowMenus(edit_menu, view_menu, open_file_action, open_transcript_action, export_action,
                       new_session_action, engine_menu, engine_actions, start_action, space_shortcut)
