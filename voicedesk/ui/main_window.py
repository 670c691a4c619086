"""The main window: input and language choice, Start/Stop, live waveform, transcript panes, export."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Callable, Optional

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from voicedesk.engine.events import (
    EngineError,
    EngineState,
    ErrorKind,
    FinalSegment,
    Lag,
    Partial,
    Progress,
    Status,
    Translation,
)
from voicedesk.engine.models import local_model_problem
from voicedesk.engine.settings import EngineSettings
from voicedesk.session.journal import JournalInfo
from voicedesk.session.transcript import Session, segment_events
from voicedesk.ui.banner import Banner
from voicedesk.ui.controller import EngineController
from voicedesk.ui.export_dialog import ExportDialog
from voicedesk.ui.inputs import InputChoice, list_input_choices
from voicedesk.ui.languages import language_name, named_languages
from voicedesk.ui.model_choices import ModelChoice, choice_for_folder, find_local_models
from voicedesk.ui.overload import LagWatch, LighterPlan, OverloadOffer, lighter_plan
from voicedesk.ui.transcript_view import TranscriptPanes
from voicedesk.ui.translate_targets import (
    ENGINE_LABELS,
    TARGET_TIP,
    TargetsAnswer,
    TargetsRequest,
    fill_target_combo,
    target_notice,
)
from voicedesk.ui.waveform import LevelMeter, WaveformView

log = logging.getLogger(__name__)

APP_NAME = "voicedesk"
CHOOSE_FOLDER = "__choose_folder__"
MEDIA_FILTER = "Audio and video (*.wav *.flac *.mp3 *.ogg *.opus *.m4a *.aac *.wma *.mp4 *.mkv *.webm *.mov *.avi);;All files (*)"
STATE_TEXT = {
    EngineState.LOADING_MODEL: "Loading model\u2026",
    EngineState.LISTENING: "Listening",
    EngineState.SPEECH: "Hearing speech",
    EngineState.TRANSCRIBING: "Transcribing",
    EngineState.STOPPED: "Stopped",
}
LAG_SHOWN_ABOVE_S = 1.5
DEVICE_POLL_MS = 4000
RETURN_POLL_MS = 1000   # how often a lost microphone is looked for


class _Background(QObject):
    """Runs a function on a daemon thread and hands its result back on the GUI thread."""

    done = Signal(object, object)  # (callback, result)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.done.connect(self._deliver)  # a bound slot of a GUI-thread object: queued, runs here

    def call(self, fn: Callable[[], Any], callback: Callable[[Any], None]) -> None:
        def work() -> None:
            try:
                result = fn()
            except Exception as exc:  # handed back: the callback decides what the user sees
                result = exc
            try:
                self.done.emit(callback, result)
            except RuntimeError:  # the window was closed and deleted meanwhile: nobody to tell
                pass

        threading.Thread(target=work, daemon=True).start()

    def _deliver(self, callback: Callable[[Any], None], result: Any) -> None:
        callback(result)


def _input_present(choice: InputChoice) -> bool:
    """Whether the input is offered again (sound server query: run off the GUI thread)."""
    if choice.pulse_source:
        from voicedesk.audio.pulse import pulse_source_exists

        return pulse_source_exists(choice.pulse_source)
    return any(c.key == choice.key for c in list_input_choices())


def _unfinished_journals() -> list[JournalInfo]:
    """Journals of sessions that crashed or were killed (file reads: run off the GUI thread)."""
    from voicedesk.session.journal import delete_finished, find_unfinished, journal_dir

    if not journal_dir().is_dir():
        return []
    delete_finished()
    return find_unfinished()


class MainWindow(QMainWindow):
    """The window people use. `settings` and `controller` are injectable for tests."""

    def __init__(self, settings: Optional[QSettings] = None, controller: Optional[EngineController] = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings(APP_NAME, APP_NAME)
        self.controller = controller if controller is not None else EngineController()
        self.session = Session()
        self._background = _Background(self)
        self._active = False            # a run (microphone or file) is in progress
        self._stopping = False
        self.welcome: Any = None        # the first-run welcome dialog while it is open
        self._closing = False
        self._closed = False
        self._file_source: Any = None
        self._state = EngineState.STOPPED
        self._model_ready_text = ""
        self._devices_listing = False
        self._wanted_target: Optional[str] = None   # remembered until the dropdown can offer it
        self._targets: Optional[TargetsAnswer] = None  # what the Translate-to list shows
        self._target_notice = ""                       # the last message about the target (said once)
        self._wanted_device: Optional[str] = None
        self._input_name = ""
        self._file_queue: list[str] = []
        self._run_input: Optional[InputChoice] = None   # the microphone of the run in progress
        self.lost_input: Optional[InputChoice] = None   # a microphone that vanished mid-session
        self._lost_seen_gone = False
        self._return_checking = False
        self.lag_watch = LagWatch()
        self._beam_size = EngineSettings().beam_size   # lowered when the computer cannot keep up
        self._lighter: Optional[LighterPlan] = None     # the plan on offer
        self._restart_with: Optional[tuple[LighterPlan, InputChoice]] = None
        # ids and times restart with each run; shifting them keeps one continuous session
        self._id_offset = 0
        self._time_offset = 0.0
        self._next_id = 0
        self._time_end = 0.0
        self._run_audio_end = 0.0

        self._build_widgets()
        self._build_menus()
        self._connect_controller()
        self._restore_settings()
        self._update_title()

        self._device_timer = QTimer(self)
        self._device_timer.setInterval(DEVICE_POLL_MS)
        self._device_timer.timeout.connect(lambda: self.refresh_devices(rescan=False))
        self._return_timer = QTimer(self)
        self._return_timer.setInterval(RETURN_POLL_MS)
        self._return_timer.timeout.connect(self._look_for_lost_input)
        # the engine publishes the lag only when it changes: a steady lag is re-checked every second
        self._last_lag = 0.0
        self._lag_timer = QTimer(self)
        self._lag_timer.setInterval(1000)
        self._lag_timer.timeout.connect(self._check_lag)
        QTimer.singleShot(0, self._after_show)

    # ------------------------------------------------------------------ construction

    def _build_widgets(self) -> None:
        self.setWindowTitle(APP_NAME)
        self.resize(1100, 720)
        central = QWidget()
        self.setCentralWidget(central)
        root = QVBoxLayout(central)

        self.device_combo = QComboBox()
        self.device_combo.setToolTip("The microphone (or system audio) to transcribe")
        self.device_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.device_combo.setMinimumContentsLength(22)
        self.refresh_button = QToolButton()
        self.refresh_button.setText("\u27f3")
        self.refresh_button.setToolTip("Look for microphones again")
        self.refresh_button.clicked.connect(lambda: self.refresh_devices(rescan=True))
        self.language_combo = QComboBox()
        self.language_combo.setToolTip("The language being spoken; Auto-detect decides per utterance")
        self.language_combo.addItem("Auto-detect", None)
        self.target_combo = QComboBox()
        self.target_combo.setToolTip(TARGET_TIP)
        self.target_combo.addItem("None", None)
        self.model_combo = QComboBox()
        self.model_combo.setToolTip("The Whisper speech model: larger is more accurate and slower")
        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Start or stop listening (Space, Ctrl+R)")
        font = QFont(self.start_button.font())
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.start_button.setFont(font)
        self.start_button.setMinimumSize(140, 56)
        self.start_button.clicked.connect(self.toggle_session)

        grid = QGridLayout()
        grid.addWidget(QLabel("Microphone"), 0, 0)
        mic_row = QHBoxLayout()
        mic_row.addWidget(self.device_combo, 1)
        mic_row.addWidget(self.refresh_button)
        grid.addLayout(mic_row, 1, 0)
        for column, (label, combo) in enumerate(
            (("Spoken language", self.language_combo), ("Translate to", self.target_combo), ("Model", self.model_combo)),
            start=1,
        ):
            grid.addWidget(QLabel(label), 0, column)
            grid.addWidget(combo, 1, column)
        grid.setColumnStretch(0, 3)
        for column in (1, 2, 3):
            grid.setColumnStretch(column, 2)
        top = QHBoxLayout()
        top.addLayout(grid, 1)
        top.addWidget(self.start_button)
        root.addLayout(top)

        self.banner = Banner()
        root.addWidget(self.banner)
        # its own strip, so no later message (a missing microphone, say) hides the offer
        self.restore_banner = Banner()
        root.addWidget(self.restore_banner)
        self.unfinished: Optional[JournalInfo] = None   # the journal the restore strip offers
        self.overload_offer = OverloadOffer()
        self.overload_offer.apply_button.clicked.connect(self.apply_lighter_setting)
        self.overload_offer.automatic.toggled.connect(
            lambda on: self.settings.setValue("overload/automatic", bool(on)))
        root.addWidget(self.overload_offer)

        wave_row = QHBoxLayout()
        self.waveform = WaveformView()
        self.meter = LevelMeter()
        self.meter.setFixedHeight(self.waveform.height())
        wave_row.addWidget(self.waveform, 1)
        wave_row.addWidget(self.meter)
        root.addLayout(wave_row)

        self.file_row = QWidget()
        file_layout = QHBoxLayout(self.file_row)
        file_layout.setContentsMargins(0, 0, 0, 0)
        self.file_label = QLabel()
        self.file_progress = QProgressBar()
        self.file_progress.setRange(0, 1000)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop transcribing the file (what is done so far is kept)")
        self.cancel_button.clicked.connect(self.stop_session)
        file_layout.addWidget(self.file_label)
        file_layout.addWidget(self.file_progress, 1)
        file_layout.addWidget(self.cancel_button)
        self.file_row.hide()
        root.addWidget(self.file_row)

        self.panes = TranscriptPanes()
        self.panes.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        root.addWidget(self.panes, 1)

        self.state_label = QLabel("Starting\u2026")
        self.lag_label = QLabel()
        self.lag_label.setToolTip("How far transcription is behind the audio")
        self.lag_label.hide()
        self.model_label = QLabel()
        self.statusBar().addWidget(self.state_label, 1)
        self.statusBar().addPermanentWidget(self.lag_label)
        self.statusBar().addPermanentWidget(self.model_label)

        self.language_combo.currentIndexChanged.connect(self._language_changed)
        self.target_combo.currentIndexChanged.connect(self._target_changed)
        self.model_combo.activated.connect(self._model_activated)
        self.device_combo.currentIndexChanged.connect(self._device_changed)

    def _action(self, menu, text: str, slot: Callable[[], Any], shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.open_file_action = self._action(
            file_menu, "&Open audio or video file\u2026", self.open_file_dialog, QKeySequence.StandardKey.Open,
            "Transcribe a recording into the panes")
        self.open_transcript_action = self._action(
            file_menu, "Open &transcript\u2026", self.open_transcript_dialog, "Ctrl+Shift+O",
            "Show a transcript exported earlier as JSON")
        self.export_action = self._action(
            file_menu, "&Export\u2026", self.export_dialog, "Ctrl+E", "Save the transcript as SRT, VTT, TXT or JSON")
        self.new_session_action = self._action(
            file_menu, "&New session", self.new_session, QKeySequence.StandardKey.New, "Start again with empty panes")
        file_menu.addSeparator()
        self._action(file_menu, "Speech &models\u2026", self.open_model_manager, "Ctrl+M",
                     "Download, add or delete Whisper models")
        self._action(file_menu, "&Language packs\u2026", self.open_language_packs, "Ctrl+L",
                     "Install or remove Argos Translate language packs")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("&Edit")
        self._action(edit_menu, "&Copy", self.panes.copy, QKeySequence.StandardKey.Copy,
                     "Copy the selection, or the whole pane when nothing is selected")
        self._action(edit_menu, "Select &all", self.panes.select_all, QKeySequence.StandardKey.SelectAll)
        self._action(edit_menu, "C&lear", self.new_session, None, "Clear both panes (asks first if not exported)")
        edit_menu.addSeparator()
        self.engine_menu = edit_menu.addMenu("&Translation engine")
        self.engine_actions = QActionGroup(self)
        for choice, text, tip in ENGINE_LABELS:
            action = self._action(self.engine_menu, text, self._engine_chosen, None, tip)
            action.setCheckable(True)
            action.setData(choice.value)
            self.engine_actions.addAction(action)

        view_menu = bar.addMenu("&View")
        self._action(view_menu, "&Larger text", lambda: self._zoom(1), QKeySequence.StandardKey.ZoomIn)
        self._action(view_menu, "&Smaller text", lambda: self._zoom(-1), QKeySequence.StandardKey.ZoomOut)

        session_menu = bar.addMenu("&Session")
        self.start_action = self._action(session_menu, "&Start / Stop", self.toggle_session, "Ctrl+R")
        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        space.activated.connect(self.toggle_session)

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "Open &log folder", self.open_log_folder)
        self._action(help_menu, "&About voicedesk", self.show_about)

    def _connect_controller(self) -> None:
        c = self.controller
        c.status.connect(self._on_status)
        c.partial.connect(self._on_partial)
        c.final.connect(self._on_final)
        c.translation.connect(self._on_translation)
        c.lag.connect(self._on_lag)
        c.progress.connect(self._on_progress)
        c.error.connect(self._on_error)
        c.levels_ready.connect(self._on_levels)
        c.session_started.connect(self._on_session_started)
        c.languages_ready.connect(self._on_languages)
        c.targets_ready.connect(self._on_targets)
        c.model_info.connect(self._on_model_info)

    def _after_show(self) -> None:
        """Work that may take a moment, started once the window is on screen."""
        self._fill_models(self.model_spec)          # now with the model manager's models
        self.controller.warm_up()
        self._request_targets()
        self.refresh_devices(rescan=False)
        self._device_timer.start()
        self._background.call(_unfinished_journals, self._on_unfinished)
        if self.model_spec:
            self.controller.load_model(self.engine_settings())
        else:
            self._show_no_model()

    # ------------------------------------------------------------------ settings

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = s.value("panes/splitter")
        if splitter is not None:
            self.panes.splitter.restoreState(splitter)
        self.overload_offer.automatic.setChecked(s.value("overload/automatic") in (True, "true"))
        size = s.value("text/point_size")
        self.panes.set_point_size(int(size) if size else max(self.panes.point_size() + 2, 11))
        self._wanted_target = s.value("language/target") or None
        engine = s.value("translation/engine") or "auto"
        for action in self.engine_actions.actions():
            action.setChecked(action.data() == engine)
        if self.engine_actions.checkedAction() is None:
            self.engine_actions.actions()[0].setChecked(True)
        self._wanted_device = s.value("input/key") or None
        spoken = s.value("language/spoken") or None
        if spoken:
            self.language_combo.addItem(language_name(spoken), spoken)
            self.language_combo.setCurrentIndex(self.language_combo.count() - 1)
        self._fill_models(s.value("model/spec") or None, include_store=False)

    def _save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("panes/splitter", self.panes.splitter.saveState())
        s.setValue("text/point_size", self.panes.point_size())
        s.setValue("language/spoken", self.language_code or "")
        s.setValue("language/target", self.chosen_target or self._wanted_target or "")
        s.setValue("translation/engine", self.translation_engine)
        choice = self.current_input
        if choice is not None:
            s.setValue("input/key", choice.key)
        s.setValue("model/spec", self.model_spec or "")
        s.sync()

    # ------------------------------------------------------------------ current choices

    @property
    def language_code(self) -> Optional[str]:
        return self.language_combo.currentData()

    @property
    def chosen_target(self) -> Optional[str]:
        """The language picked in Translate to, whether or not it can be translated now."""
        return self.target_combo.currentData()

    @property
    def target_code(self) -> Optional[str]:
        """The language translated into: the chosen one when what it needs is installed, else None."""
        option = self._targets.option(self.chosen_target) if self._targets is not None else None
        return option.code if option is not None and option.ready else None

    @property
    def translation_engine(self) -> str:
        action = self.engine_actions.checkedAction()
        return str(action.data()) if action is not None else "auto"

    @property
    def model_spec(self) -> Optional[str]:
        data = self.model_combo.currentData()
        return None if data in (None, CHOOSE_FOLDER) else str(data)

    @property
    def current_input(self) -> Optional[InputChoice]:
        data = self.device_combo.currentData()
        return data if isinstance(data, InputChoice) else None

    @property
    def is_running(self) -> bool:
        return self._active

    def engine_settings(self) -> EngineSettings:
        return EngineSettings(
            model=self.model_spec or "",
            language=self.language_code,
            translate_to=self.target_code,
            translation_engine=self.translation_engine,
            beam_size=self._beam_size,
        )

    # ------------------------------------------------------------------ dropdowns

    def refresh_devices(self, rescan: bool = True) -> None:
        """List inputs on a background thread; `rescan` also asks PortAudio to look again (idle only)."""
        if self._devices_listing or (rescan and self._active):
            return
        self._devices_listing = True

        def work() -> list[InputChoice]:
            if rescan and not self._active:
                try:
                    from voicedesk.audio.devices import refresh_devices

                    refresh_devices()
                except Exception as exc:  # listing below reports what the user needs
                    log.info("PortAudio rescan failed: %s", exc)
            return list_input_choices()

        self._background.call(work, self._on_devices)

    def _on_devices(self, result: Any) -> None:
        self._devices_listing = False
        if isinstance(result, Exception):
            log.warning("listing inputs failed: %s", result)
            result = []
        choices: list[InputChoice] = result
        current = self.current_input
        wanted_key = current.key if current is not None else self._wanted_device
        old_keys = [self.device_combo.itemData(i).key for i in range(self.device_combo.count())
                    if isinstance(self.device_combo.itemData(i), InputChoice)]
        if [c.key for c in choices] == old_keys:
            return
        self.device_combo.blockSignals(True)
        self.device_combo.clear()
        for choice in choices:
            label = choice.label + (" (default)" if choice.is_default else "")
            self.device_combo.addItem(label, choice)
            self.device_combo.setItemData(self.device_combo.count() - 1, choice.key, Qt.ItemDataRole.ToolTipRole)
        index = next((i for i, c in enumerate(choices) if c.key == wanted_key), None)
        if index is None:
            index = next((i for i, c in enumerate(choices) if c.is_default), 0)
        if choices:
            self.device_combo.setCurrentIndex(index)
        self.device_combo.blockSignals(False)
        if not choices:
            self.device_combo.addItem("No microphone found", None)
            if not self._active:
                self.banner.show_message(
                    "No microphone found. Connect one and press \u27f3, or open an audio file (File \u2192 Open).",
                    "warning", ("Look again", lambda: self.refresh_devices(rescan=True)))
        elif self.banner.text.startswith("No microphone"):
            self.banner.dismiss()

    def _device_changed(self) -> None:
        choice = self.current_input
        if choice is not None:
            self._wanted_device = choice.key

    def _on_languages(self, codes: list) -> None:
        current = self.language_code
        self.language_combo.blockSignals(True)
        self.language_combo.clear()
        self.language_combo.addItem("Auto-detect", None)
        for code, name in named_languages(codes):
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(current), 0))
        self.language_combo.blockSignals(False)

    def _language_changed(self) -> None:
        self._wanted_target = self.chosen_target or self._wanted_target
        self._request_targets()

    def _request_targets(self) -> None:
        """Ask for the Translate-to options of the current language, model and engine (answered off-thread)."""
        self.controller.request_targets(TargetsRequest(
            self.language_code, self.model_spec or "", self.translation_engine,
            self.chosen_target or self._wanted_target))

    def _engine_chosen(self) -> None:
        self.settings.setValue("translation/engine", self.translation_engine)
        self._request_targets()

    def _on_targets(self, answer: TargetsAnswer) -> None:
        request = answer.request
        if (request.source, request.model, request.engine) != (
                self.language_code, self.model_spec or "", self.translation_engine):
            return  # an answer for a choice the user has since changed
        wanted = self.chosen_target or self._wanted_target
        self._targets = answer
        offered = fill_target_combo(self.target_combo, answer, wanted)
        self._apply_target(missing=None if offered else wanted)

    def _target_changed(self) -> None:
        self._wanted_target = self.chosen_target
        self._apply_target(again=True)

    def _apply_target(self, missing: Optional[str] = None, again: bool = False) -> None:
        """Tell the running engine the target, and the user what a target that cannot translate needs
        (once: a list refreshed for another reason does not repeat it, unless `again`, the user's own pick)."""
        if self._active:
            self.controller.set_translate_to(self.target_code)
        if self._targets is None:
            return
        notice = target_notice(self._targets, self.chosen_target, missing, Path(self.model_spec or "").name)
        if notice and (again or notice != self._target_notice):
            option = self._targets.option(self.chosen_target)
            packs = ("Language packs\u2026", self.open_language_packs) if option and option.pack else None
            self.banner.show_message(notice, "warning", packs)
        elif not notice and self._target_notice and self.banner.text == self._target_notice:
            self.banner.dismiss()  # what it said is no longer true
        self._target_notice = notice

    def _fill_models(self, wanted: Optional[str], include_store: bool = True) -> None:
        self.model_combo.clear()
        for choice in find_local_models(include_store=include_store):
            self.model_combo.addItem(choice.label, choice.spec)
            self.model_combo.setItemData(self.model_combo.count() - 1, choice.spec, Qt.ItemDataRole.ToolTipRole)
        if wanted and self.model_combo.findData(wanted) < 0 and local_model_problem(Path(wanted)) is None:
            self.add_model_folder(wanted, select=False)
        self.model_combo.addItem("Choose folder\u2026", CHOOSE_FOLDER)
        index = self.model_combo.findData(wanted) if wanted else -1
        self.model_combo.setCurrentIndex(index if index >= 0 else 0)

    def add_model_folder(self, folder: str, select: bool = True) -> bool:
        """Add a model folder the user picked; a folder that is not a model gets a message instead."""
        problem = local_model_problem(Path(folder).expanduser())
        if problem:
            self.banner.show_message(f"{problem}. Choose a folder that holds a faster-whisper model.", "error",
                                     ("Choose folder\u2026", self.choose_model_folder))
            return False
        choice = choice_for_folder(folder)
        index = self.model_combo.findData(choice.spec)
        if index < 0:
            index = max(self.model_combo.findData(CHOOSE_FOLDER), 0)
            self.model_combo.insertItem(index, choice.label, choice.spec)
        if select:
            self.model_combo.setCurrentIndex(index)
            self._model_changed()
        return True

    def choose_model_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a faster-whisper model folder")
        if folder:
            self.add_model_folder(folder)

    def _model_activated(self) -> None:
        if self.model_combo.currentData() == CHOOSE_FOLDER:
            previous = self.settings.value("model/spec") or None
            index = self.model_combo.findData(previous) if previous else 0
            self.model_combo.setCurrentIndex(max(index, 0) if self.model_combo.count() > 1 else -1)
            self.choose_model_folder()
            return
        self._model_changed()

    def _model_changed(self) -> None:
        self.settings.setValue("model/spec", self.model_spec or "")
        self._model_ready_text = ""
        self._update_model_label()
        self._request_targets()  # an English-only model cannot translate speech
        if self.model_spec and not self._active:
            self.controller.load_model(self.engine_settings())

    def _show_no_model(self) -> None:
        self.banner.show_message(
            "No speech model found. Download one (File \u2192 Speech models) or choose a folder with a "
            "faster-whisper model (config.json, model.bin).",
            "warning", ("Choose folder\u2026", self.choose_model_folder))
        from voicedesk.ui.welcome import open_welcome

        self.welcome = open_welcome(self, self.add_model_folder)

    def open_model_manager(self) -> None:
        from voicedesk.ui.model_manager_dialog import open_model_manager

        chosen = open_model_manager(self)
        self._fill_models(chosen or self.model_spec)
        if chosen:
            self.add_model_folder(chosen)

    def open_language_packs(self) -> None:
        from voicedesk.ui.language_packs_dialog import open_language_packs

        if open_language_packs(self):
            self._request_targets()

    # ------------------------------------------------------------------ session control

    def toggle_session(self) -> None:
        if self._active:
            self.stop_session()
        else:
            self.start_session()

    def start_session(self, choice: Optional[InputChoice] = None) -> bool:
        """Listen to `choice` (default: the dropdown's); False with a message when it cannot start."""
        if self._active:
            return False
        choice = choice if choice is not None else self.current_input
        if not self.model_spec:
            self._show_no_model()
            return False
        if choice is None:
            self.banner.show_message("No microphone to listen to. Connect one and press \u27f3, or open a file.",
                                     "warning", ("Look again", lambda: self.refresh_devices(rescan=True)))
            return False
        self._forget_lost_input()
        self._begin_run(choice.label)
        self._run_input = choice
        self.controller.start(self.engine_settings(), choice.open, self._id_offset, self._time_offset)
        return True

    def open_files(self, paths: list[str]) -> None:
        """Transcribe files one after another into the panes (`voicedesk a.wav b.mp3`)."""
        self._file_queue.extend(paths)
        if not self._active:
            self._open_next_file()

    def _open_next_file(self) -> None:
        while self._file_queue and not self._active and not self._closing:
            if self.open_file(self._file_queue.pop(0)):
                return

    def open_file(self, path: str) -> bool:
        """Transcribe a file into the panes (as fast as it decodes), with progress and Cancel."""
        if self._active:
            return False
        if not self.model_spec:
            self._show_no_model()
            return False
        from voicedesk.audio.file_source import FileSource

        self._forget_lost_input()
        source = FileSource(path, paced=False)
        self._file_source = source
        self._begin_run(Path(path).name)
        self.file_label.setText(Path(path).name)
        self.file_progress.setValue(0)
        self.file_row.show()
        self.controller.start(self.engine_settings(), lambda: source, self._id_offset, self._time_offset)
        return True

    def stop_session(self) -> None:
        """Ask the run to end; the utterance in progress still becomes final text."""
        if not self._active or self._stopping:
            return
        self._stopping = True
        self.start_button.setEnabled(False)
        self.start_button.setText("Stopping\u2026")
        self.cancel_button.setEnabled(False)
        self.controller.stop()

    def _begin_run(self, name: str) -> None:
        self.lag_watch.reset()
        self._last_lag = 0.0
        self._lag_timer.start()
        self.overload_offer.hide()
        self._active = True
        self._stopping = False
        self._id_offset = self._next_id
        self._time_offset = self._time_end
        self._run_audio_end = 0.0
        self.banner.dismiss()
        self.waveform.reset()
        self.panes.sentence_settings = self.engine_settings()
        self.start_button.setText("Stop")
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        for widget in (self.device_combo, self.refresh_button, self.language_combo, self.model_combo):
            widget.setEnabled(False)
        for action in (self.open_file_action, self.open_transcript_action, self.new_session_action,
                       self.engine_menu.menuAction()):
            action.setEnabled(False)   # the engine choice applies from the next run
        self._device_timer.stop()
        self.state_label.setText(f"Starting {name}\u2026")
        self._input_name = name
        self._update_model_label()
        self._update_title()

    def _end_run(self) -> None:
        self._lag_timer.stop()
        self._run_input = None
        self._active = False
        self._stopping = False
        self._file_source = None
        self.panes.drop_partials()
        self._time_end = max(self._time_end, self._time_offset + self._run_audio_end)
        self.start_button.setText("Start")
        self.start_button.setEnabled(True)
        for widget in (self.device_combo, self.refresh_button, self.language_combo, self.model_combo):
            widget.setEnabled(True)
        for action in (self.open_file_action, self.open_transcript_action, self.new_session_action,
                       self.engine_menu.menuAction()):
            action.setEnabled(True)
        self.file_row.hide()
        self.lag_label.hide()
        self.meter.show_level(0.0)
        self._device_timer.start()
        self._update_title()
        if self._closing:
            QTimer.singleShot(0, self.close)
        elif self._restart_with is not None:
            QTimer.singleShot(0, self._restart_lighter)
        elif self._file_queue:
            QTimer.singleShot(0, self._open_next_file)

    # ------------------------------------------------------------------ engine events (GUI thread)

    def _on_status(self, event: Status) -> None:
        if event.state is EngineState.STOPPED:
            if self._active and event.detail != "model ready":
                self._state = event.state
                self._end_run()
                self.state_label.setText("Stopped")
            elif not self._active:
                self._state = event.state
                if event.detail == "model ready":
                    self.state_label.setText("Ready")
                elif event.detail == "no model":
                    self.state_label.setText("No model")
                else:
                    self.state_label.setText("Stopped")
        else:
            self._state = event.state
            text = STATE_TEXT.get(event.state, event.state.value)
            if event.state is EngineState.LOADING_MODEL:
                self._model_ready_text = ""
                self._update_model_label()
            self.state_label.setText(text)
        self._update_title()

    def _on_partial(self, event: Partial) -> None:
        if self._active:
            self.panes.show_partial(event)

    def _on_final(self, event: FinalSegment) -> None:
        # the controller has shifted it into session ids and times, and journaled it
        self.session.apply(event)
        self.panes.add_final(event)
        self._next_id = max(self._next_id, event.segment_id + 1)
        self._time_end = max(self._time_end, event.end)

    def _on_translation(self, event: Translation) -> None:
        self.session.apply(event)
        self.panes.add_translation(event)

    def _on_levels(self) -> None:
        levels = self.controller.take_levels()
        if not levels or not self._active:
            return
        self.waveform.add_levels(levels)
        self.meter.show_level(levels[-1].rms)
        self._run_audio_end = max(self._run_audio_end, levels[-1].end)

    def _on_lag(self, event: Lag) -> None:
        log.debug("lag %.2f s", event.seconds)
        if event.seconds > LAG_SHOWN_ABOVE_S and self._active:
            self.lag_label.setText(f"Behind by {event.seconds:.1f} s")
            self.lag_label.show()
        else:
            self.lag_label.hide()
        self._last_lag = event.seconds
        self._check_lag()

    def _check_lag(self) -> None:
        # live inputs only: a file is read as fast as it decodes, so its lag means nothing
        if self._active and not self._stopping and self._run_input is not None \
                and self.lag_watch.feed(self._last_lag):
            self._on_overload()

    # ------------------------------------------------------------------ overload: a lighter setting

    def _installed_models(self) -> list[ModelChoice]:
        return [ModelChoice(self.model_combo.itemText(i), str(self.model_combo.itemData(i)))
                for i in range(self.model_combo.count()) if self.model_combo.itemData(i) not in (None, CHOOSE_FOLDER)]

    def _on_overload(self) -> None:
        plan = lighter_plan(self.engine_settings(), self._installed_models())
        log.warning("transcription stays behind real time; lighter setting: %s", plan)
        if plan is None:
            return  # already the lightest: the lag label says how far behind it is
        self._lighter = plan
        if self.overload_offer.automatic.isChecked():
            self.apply_lighter_setting()
        else:
            self.overload_offer.offer(plan)

    def apply_lighter_setting(self) -> None:
        """Stop (the finals in progress are flushed), then listen again on the same input, lighter."""
        plan, self._lighter = self._lighter, None
        self.overload_offer.hide()
        if plan is None or not self._active or self._run_input is None:
            return
        self._restart_with = (plan, self._run_input)
        self.stop_session()

    def _restart_lighter(self) -> None:
        if self._restart_with is None:
            return
        (plan, choice), self._restart_with = self._restart_with, None
        if plan.model is not None:
            index = self.model_combo.findData(plan.model)
            if index >= 0:
                self.model_combo.setCurrentIndex(index)
                self.settings.setValue("model/spec", plan.model)
        if plan.beam_size is not None:
            self._beam_size = plan.beam_size
        if self.start_session(choice):
            self.banner.show_message(f"Switched to {plan.description} to keep up; the transcript is kept.", "info")

    def _on_progress(self, event: Progress) -> None:
        self._run_audio_end = max(self._run_audio_end, event.position)
        if event.duration > 0:
            self.file_progress.setValue(int(1000 * min(event.position / event.duration, 1.0)))

    def _on_error(self, event: EngineError) -> None:
        log.warning("engine error (%s): %s", event.kind.value, event.message)
        message = event.message.rstrip(". ") + "."
        keep = " What was transcribed so far is kept." if self.panes.has_final_text else ""
        if event.kind is ErrorKind.DEVICE and self._run_input is not None and self._active:
            # a microphone vanished mid-session: wait for it to come back, or for the user's choice
            self.lost_input, self._lost_seen_gone = self._run_input, False
            self._return_timer.start()
            self.banner.show_message(
                f"{message}{keep} Listening resumes when \u201c{self.lost_input.label}\u201d is back, "
                "or choose another microphone and press Start.",
                "error", ("Look again", lambda: self.refresh_devices(rescan=True)))
        elif event.kind is ErrorKind.DEVICE:
            self.banner.show_message(f"{message}{keep} Choose another microphone and press Start.",
                                     "error", ("Look again", lambda: self.refresh_devices(rescan=True)))
        elif event.kind is ErrorKind.MODEL:
            self.banner.show_message(message, "error", ("Choose folder\u2026", self.choose_model_folder))
        elif event.kind is ErrorKind.TRANSLATION:
            self.banner.show_message(f"{message} Transcription goes on without it.", "warning")
        else:
            self.banner.show_message(f"{message}{keep}", "error")

    # ------------------------------------------------------------------ a microphone that comes back

    def _forget_lost_input(self) -> None:
        self.lost_input = None
        self._return_timer.stop()

    def _look_for_lost_input(self) -> None:
        choice = self.lost_input
        if choice is None or self._return_checking:
            return
        self._return_checking = True
        self._background.call(lambda: _input_present(choice), lambda present: self._on_lost_input_checked(choice, present))

    def _on_lost_input_checked(self, choice: InputChoice, present: Any) -> None:
        self._return_checking = False
        if choice is not self.lost_input or isinstance(present, Exception):
            return
        if not present:
            self._lost_seen_gone = True
            return
        # only after it was seen gone: a source that flickers while closing is not a return
        if not self._lost_seen_gone or self._active or self._closing:
            return
        self._forget_lost_input()
        self._wanted_device = choice.key
        if self.start_session(choice):
            self.refresh_devices(rescan=False)
            self.banner.show_message(f"\u201c{choice.label}\u201d is back: listening again.", "info")

    def _on_session_started(self, name: str) -> None:
        if name:
            self._input_name = name

    def _on_model_info(self, info: str) -> None:
        if info:
            spec = self.model_spec or ""
            self._model_ready_text = info.replace(spec, Path(spec).name) if spec else info
            self._update_model_label()

    def _update_model_label(self) -> None:
        model = self._model_ready_text or Path(self.model_spec or "").name or "no model"
        device = self._input_name
        self.model_label.setText(f"Model: {model}" + (f"  \u00b7  Input: {device}" if device and self._active else ""))

    def _update_title(self) -> None:
        if self._active:
            state = "Stopping" if self._stopping else STATE_TEXT.get(self._state, "Running")
        else:
            state = "Stopped" if self.panes.has_final_text else "Ready"
        self.setWindowTitle(f"{APP_NAME} \u2014 {state}")

    # ------------------------------------------------------------------ files and export

    def open_file_dialog(self) -> None:
        folder = str(self.settings.value("files/folder") or Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Open audio or video file", folder, MEDIA_FILTER)
        if path:
            self.settings.setValue("files/folder", str(Path(path).parent))
            self.open_file(path)

    def open_transcript_dialog(self) -> None:
        folder = str(self.settings.value("export/folder") or Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Open transcript", folder, "voicedesk JSON (*.json)")
        if path:
            self.open_transcript(path)

    def open_transcript(self, path: str) -> bool:
        """Show a transcript exported earlier as JSON (replaces the panes after asking)."""
        from voicedesk.session.export import ExportError, segments_from_json

        try:
            segments = segments_from_json(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ExportError, ValueError) as exc:
            self.banner.show_message(f"Cannot open {Path(path).name}: {exc}", "error")
            return False
        if not self.new_session():
            return False
        self._show_segments(Session.from_segments(segments))
        self.controller.adopt_segments(self.session.segments())  # journaled with the first new text
        return True

    def _show_segments(self, session: Session) -> None:
        """Make `session` the window's session and put its segments in the (empty) panes."""
        self.session = session
        for event in segment_events(self.session.segments()):  # one row per sentence, as when live
            if isinstance(event, FinalSegment):
                self.panes.add_final(event)
                self._next_id = max(self._next_id, event.segment_id + 1)
                self._time_end = max(self._time_end, event.end)
            else:
                self.panes.add_translation(event)
        self._update_title()

    # ------------------------------------------------------------------ crash recovery

    def _on_unfinished(self, result: Any) -> None:
        if isinstance(result, Exception):
            log.warning("looking for unfinished sessions failed: %s", result)
            return
        if not result or self._closed:
            return
        info: JournalInfo = result[-1]  # the latest; older ones are offered at later launches
        self.unfinished = info
        when = info.started_at.replace("T", " ")[:16]
        last = info.last_text if len(info.last_text) <= 60 else info.last_text[:57] + "\u2026"
        count = f"{info.segment_count} sentence{'s' if info.segment_count != 1 else ''}"
        self.restore_banner.show_message(
            f"The session of {when} did not end normally ({count}, last: \u201c{last}\u201d). Restore it?",
            "info", ("Restore", self.restore_unfinished), ("Discard", self.discard_unfinished))

    def restore_unfinished(self) -> bool:
        """Put the offered unfinished session back in the panes; it goes on in a new journal."""
        from voicedesk.session.journal import JournalError, recover

        info, self.unfinished = self.unfinished, None
        self.restore_banner.dismiss()
        if info is None or self._active:
            return False
        try:
            segments = recover(info.path)
        except JournalError as exc:
            self.banner.show_message(str(exc), "error")
            return False
        if not self.session.is_empty and not self.new_session():
            return False
        session = Session()
        for event in segment_events(segments):  # as events, so the restored text counts as not yet exported
            session.apply(event)
        self._show_segments(session)
        # new runs continue after the restored ids (the controller shifts them by _next_id)
        self.controller.adopt_segments(segments, old_journal=info.path)
        self.statusBar().showMessage(f"Restored {len(segments)} sentences", 5000)
        return True

    def discard_unfinished(self) -> None:
        """The user does not want the offered session back."""
        from voicedesk.session.journal import discard

        info, self.unfinished = self.unfinished, None
        self.restore_banner.dismiss()
        if info is not None:
            discard(info.path)

    def export_dialog(self) -> None:
        if self.session.is_empty:
            self.banner.show_message("Nothing to export yet: the transcript is empty.", "info")
            return
        s = self.settings
        dialog = ExportDialog(str(s.value("export/folder") or Path.home()), str(s.value("export/format") or "srt"),
                              str(s.value("export/content") or "source"), self)
        if dialog.exec() == ExportDialog.DialogCode.Accepted:
            path, fmt, content = dialog.choice()
            if path:
                self.export_to(path, fmt, content)

    def export_to(self, path: str, fmt: Optional[str] = None, content: str = "source") -> bool:
        """Write the session to `path`; a failure is shown in the banner and the transcript stays."""
        from voicedesk.session.export import ExportError, export, format_from_path

        try:
            fmt = fmt or format_from_path(path)
            snapshot = self.session.snapshot()
            written = export(snapshot, path, fmt, content)
        except ExportError as exc:
            self.banner.show_message(f"{exc} The transcript is still here: export it somewhere else.", "error",
                                     ("Export\u2026", self.export_dialog))
            return False
        self.session.mark_exported(snapshot.revision)
        if not self._active:  # mid-run, a final may already be on its way into this journal
            self.controller.close_journal(clean=True)   # exported: nothing left to restore
        self.settings.setValue("export/folder", str(Path(written).parent))
        self.settings.setValue("export/format", fmt)
        self.settings.setValue("export/content", content)
        self.statusBar().showMessage(f"Exported to {written}", 5000)
        return True

    def confirm_discard(self) -> bool:
        """Ask before throwing away text that was never exported."""
        answer = QMessageBox.question(
            self, "Discard transcript?",
            "The transcript has text that was not exported. Discard it and start a new session?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def new_session(self) -> bool:
        """Clear the panes and the session (asks first when text was not exported); False if kept."""
        if self._active:
            self.banner.show_message("Stop listening before starting a new session.", "info")
            return False
        if self.session.has_unexported_changes and not self.confirm_discard():
            return False
        self.session.clear()
        self.controller.discard_journal()
        self.panes.clear()
        self.waveform.reset()
        self._next_id = 0
        self._time_end = 0.0
        self.banner.dismiss()
        self._update_title()
        return True

    # ------------------------------------------------------------------ help, view

    def _zoom(self, steps: int) -> None:
        self.panes.zoom(steps)
        self.settings.setValue("text/point_size", self.panes.point_size())

    def open_log_folder(self) -> None:
        from voicedesk.ui.logs import log_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def show_about(self) -> None:
        from voicedesk.ui.about import about_text

        QMessageBox.about(self, "About voicedesk", about_text())

    # ------------------------------------------------------------------ closing

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._active:
            # finish cleanly: the utterance in progress becomes final, then the window closes
            self._closing = True
            event.ignore()
            self.stop_session()
            self.state_label.setText("Finishing the last sentence before closing\u2026")
            QTimer.singleShot(15_000, self._force_close)
            return
        if not self._closed:
            self._closed = True
            self._device_timer.stop()
            self._return_timer.stop()
            self._lag_timer.stop()
            self._save_settings()
            self.controller.shutdown()
        event.accept()

    def _force_close(self) -> None:
        if self._active:
            log.warning("the engine did not stop within 15 s; closing anyway")
            self._active = False
            self.close()
