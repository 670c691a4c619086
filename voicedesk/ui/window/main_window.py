"""The main window: builds the widgets, connects signals, and shows what the session core decides.

What a run is (start, stop, restart lighter, the file queue), the session's ids and times, the lost
microphone, the overload policy and restoring a journal live in the Qt-free
`voicedesk.session.coordinator`; the window feeds it the user's clicks and the engine's events and
paints its notices. The controller runs the engine on its own thread.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, QTimer
from PySide6.QtWidgets import QFileDialog, QMainWindow

from voicedesk.audio.inputs import InputChoice, input_present
from voicedesk.engine.events import (
    EngineError, EngineState, ErrorKind, FinalSegment, Lag, Partial, Progress, RunEnded, Settled, Status, Translation,
)
from voicedesk.engine.settings import EngineSettings
from voicedesk.session import notices as n
from voicedesk.session.coordinator import SessionCoordinator
from voicedesk.session.transcript import Session, segment_events
from voicedesk.ui import stored_keys as keys
from voicedesk.ui.window.accessibility import install_accessibility
from voicedesk.ui.captions.menu import CaptionFeatures
from voicedesk.ui.controller import EngineController
from voicedesk.ui.dialogs.export import ExportDialog
from voicedesk.ui.gui_thread import check_gui_thread, gui_only
from voicedesk.ui.i18n import shown
from voicedesk.ui.window.language_menu import LanguageMenu
from voicedesk.ui.off_thread import OffThread
from voicedesk.ui.dialogs.questions import QuitAnswer, ask_discard, ask_quit
from voicedesk.ui.panes.reading_mode import ReadingMode
from voicedesk.ui.window.recovery_offer import RecoveryOffer
from voicedesk.ui.window.settings_menu import SettingsFeatures, SettingsNeeds
from voicedesk.ui.window.speakers import SpeakerLabelsFeature
from voicedesk.ui.panes.editing import TranscriptEditing
from voicedesk.ui.panes.transcript_view import default_point_size
from voicedesk.ui.window.choices import ChoicesNeeds
from voicedesk.ui.window.layout import MenuSlots, build_menus, build_widgets

if TYPE_CHECKING:
    from voicedesk.ui.dialogs.welcome import WelcomeDialog

log = logging.getLogger(__name__)

APP_NAME = "voicedesk"
STATE_TEXT = {
    EngineState.LOADING_MODEL: QT_TRANSLATE_NOOP("MainWindow", "Loading model\u2026"),
    EngineState.LISTENING: QT_TRANSLATE_NOOP("MainWindow", "Listening"),
    EngineState.SPEECH: QT_TRANSLATE_NOOP("MainWindow", "Hearing speech"),
    EngineState.TRANSCRIBING: QT_TRANSLATE_NOOP("MainWindow", "Transcribing"),
    EngineState.STOPPED: QT_TRANSLATE_NOOP("MainWindow", "Stopped"),
}
LAG_SHOWN_ABOVE_S = 1.5
DEVICE_POLL_MS = 4000
RETURN_POLL_MS = 1000   # how often a lost microphone is looked for
CLOSE_WAIT_MS = 15_000  # a close waits this long for the run to finish its last sentence
MEDIA_PATTERNS = "*.wav *.flac *.mp3 *.ogg *.opus *.m4a *.aac *.wma *.mp4 *.mkv *.webm *.mov *.avi"


class MainWindow(QMainWindow):
    """The window people use: `widgets`, `menus` and the features it connects. `settings` and `controller` are
    injectable for tests."""

    def __init__(self, settings: Optional[QSettings] = None, controller: Optional[EngineController] = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings(APP_NAME, APP_NAME)
        self.controller = controller if controller is not None else EngineController()
        self.core = SessionCoordinator(self.controller, self._on_notice, self._chosen_settings,
                                       lambda: self.widgets.choices.installed_models())
        self._off_thread = OffThread(self)
        self.welcome: Optional[WelcomeDialog] = None   # the first-run welcome dialog while it is open
        self._closing = False           # a close waits for the run to end
        self._closed = False
        self._quit_answered = False     # the user answered the unexported-text question
        self._forget_on_close = False   # ... with "Quit without saving"
        self._forced_close = False
        self._state = EngineState.STOPPED
        self._model_ready_text = ""
        self._input_name = ""
        self._return_checking = False
        self._notice_handlers: dict[type, Callable[[Any], None]] = {
            n.Message: self._show_message, n.NoModel: lambda _: self._show_no_model(),
            n.RunStarted: self._on_run_started, n.RunStopping: self._on_run_stopping, n.RunOver: self._on_run_over,
            n.ReadyToClose: lambda _: QTimer.singleShot(0, self.close),
            n.OverloadOffered: lambda notice: self.widgets.overload_offer.offer(notice.plan),
            n.OverloadWithdrawn: lambda _: self.widgets.overload_offer.hide(),
            n.LighterChosen: self._on_lighter_chosen, n.WatchingLostInput: self._on_watching_lost_input,
            n.InputBack: self._on_input_back, n.RestoreOffered: lambda offered: self.recovery.offered(offered),
            n.DiscardPending: lambda pending: self.recovery.discard_pending(pending),
            n.RestoreWithdrawn: lambda _: self.widgets.restore_banner.dismiss(),
            n.SessionReplaced: self._on_session_replaced,
            n.MessageWithdrawn: self._on_message_withdrawn,
        }
        self._build()
        self._restore_settings()
        self._update_title()

        self._device_timer = QTimer(self)
        self._device_timer.setInterval(DEVICE_POLL_MS)
        self._device_timer.timeout.connect(lambda: self.widgets.choices.refresh_devices(rescan=False))
        self._return_timer = QTimer(self)
        self._return_timer.setInterval(RETURN_POLL_MS)
        self._return_timer.timeout.connect(self._look_for_lost_input)
        # the engine publishes the lag only when it changes: a steady lag is re-checked every second
        self._lag_timer = QTimer(self)
        self._lag_timer.setInterval(1000)
        self._lag_timer.timeout.connect(self.core.tick)
        QTimer.singleShot(0, self._after_show)

    def _build(self) -> None:
        """The widgets, the menus and the features, each given only what it uses."""
        self.widgets = build_widgets(self, ChoicesNeeds(
            self.settings, lambda: self.is_running, lambda: self.translation_engine, self.controller.request_targets,
            lambda: self.core.model_in_use))
        choices = self.widgets.choices
        self.menus = build_menus(self, MenuSlots(
            self.open_file_dialog, self.open_transcript_dialog, self.export_dialog, self.new_session,
            choices.open_model_manager, choices.open_language_packs, self.close, self._engine_chosen, self._zoom,
            self.toggle_session), self.widgets.panes)
        # Edit -> Vocabulary..., Preferences... (Ctrl+,)
        self.preferences = SettingsFeatures(self, self.menus.edit_menu, SettingsNeeds(
            self.settings, self.core, self.widgets.overload_offer.automatic, self.controller.journal,
            lambda: choices.model_spec, self._settings_changed))
        self.reading = ReadingMode(self, self.menus.view_menu, self.settings)   # View -> Settled text only
        self.speakers = SpeakerLabelsFeature(self, self.menus.view_menu, self.settings, self.core, self.widgets.panes,
                                             self.widgets.banner)               # View -> Label speakers
        # View -> Caption overlay, its options, Share captions
        self.captions = CaptionFeatures(self, self.menus.view_menu, self.settings, self.controller, self.reading,
                                        self.widgets.banner)
        self.language_menu = LanguageMenu(self, self.menus.view_menu, self.settings)   # from the next start
        # names, tab order, Space guard, announcements of finals
        self.accessibility = install_accessibility(self, self.widgets, self.controller.settled)
        self._connect_widgets()
        self._connect_controller()
        # edit, split, merge, Find, typed text (after the controller's handlers)
        self.editing = TranscriptEditing(self, self.widgets, self.menus.edit_menu, self.core, self.controller)
        self.editing.speakers.names_changed.connect(lambda book: self.captions.set_speaker_names(book.event_names()))
        self.recovery = RecoveryOffer(self.widgets.restore_banner, self.core, self.new_session,
                                      lambda text: self.statusBar().showMessage(text, 5000), lambda: self._closed, self)

    def _connect_widgets(self) -> None:
        w = self.widgets
        w.start_button.clicked.connect(self.toggle_session)
        w.cancel_button.clicked.connect(self.stop_session)
        w.overload_offer.apply_button.clicked.connect(self.core.apply_lighter)
        w.overload_offer.automatic.toggled.connect(lambda on: self.preferences.remember(automatic_lighter=bool(on)))
        w.choices.model_chosen.connect(self._on_model_chosen)
        w.choices.target_changed.connect(lambda code: self.is_running and self.controller.set_translate_to(code))
        self.reading.changed.connect(lambda on: w.panes.drop_partials() if on else None)

    def _connect_controller(self) -> None:
        c = self.controller
        handlers = ((c.status, self._on_status), (c.partial, self._on_partial), (c.final, self._on_final), (c.settled, self._on_settled),
                    (c.translation, self._on_translation), (c.lag, self._on_lag), (c.progress, self._on_progress),
                    (c.error, self._on_error), (c.input_silence, self.core.on_event),
                    (c.run_ended, self._on_run_ended), (c.levels_ready, self._on_levels),
                    (c.session_started, self._on_session_started), (c.model_ready, self._on_model_ready),
                    (c.languages_ready, self.widgets.choices.show_languages),
                    (c.targets_ready, self.widgets.choices.show_targets), (c.speakers, self.speakers.on_labels))
        for signal, handler in handlers:
            signal.connect(gui_only(f"MainWindow <- controller.{handler.__name__}", handler))

    def _after_show(self) -> None:
        """Work that may take a moment, started once the window is on screen."""
        choices = self.widgets.choices
        choices.fill_models(choices.model_spec)          # now with the model manager's models
        self.controller.warm_up()
        choices.request_targets()
        choices.refresh_devices(rescan=False)
        self._device_timer.start()
        self.recovery.look(self.preferences.current.journal_path)
        if choices.model_spec:
            self.controller.load_model(self.engine_settings())
        else:
            self._show_no_model()

    # ------------------------------------------------------------------ settings

    def _restore_settings(self) -> None:
        s, w = self.settings, self.widgets
        geometry = s.value(keys.WINDOW_GEOMETRY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = s.value(keys.PANES_SPLITTER)
        if splitter is not None:
            w.panes.splitter.restoreState(splitter)
        size = s.value(keys.TEXT_POINT_SIZE)
        w.panes.set_point_size(int(size) if size else default_point_size())
        engine = s.value(keys.TRANSLATION_ENGINE) or "auto"
        for action in self.menus.engine_actions.actions():
            action.setChecked(action.data() == engine)
        if self.menus.engine_actions.checkedAction() is None:
            self.menus.engine_actions.actions()[0].setChecked(True)
        w.choices.restore()

    def _save_settings(self) -> None:
        s = self.settings
        s.setValue(keys.WINDOW_GEOMETRY, self.saveGeometry())
        s.setValue(keys.PANES_SPLITTER, self.widgets.panes.splitter.saveState())
        s.setValue(keys.TEXT_POINT_SIZE, self.widgets.panes.point_size())
        s.setValue(keys.TRANSLATION_ENGINE, self.translation_engine)
        self.widgets.choices.save()
        s.sync()

    # ------------------------------------------------------------------ current choices

    @property
    def session(self) -> Session:
        return self.core.session

    @property
    def is_running(self) -> bool:
        return self.core.running

    @property
    def translation_engine(self) -> str:
        action = self.menus.engine_actions.checkedAction()
        return str(action.data()) if action is not None else "auto"

    def engine_settings(self) -> EngineSettings:
        """What the next run uses: the dropdowns' choices, and the core's beam size."""
        return self.core.run_settings()

    def _chosen_settings(self) -> EngineSettings:
        """The dropdowns' choices with the user's preferences and vocabulary (Edit menu)."""
        c = self.widgets.choices
        return self.preferences.apply(EngineSettings(model=c.model_spec or "", language=c.language_code).with_values(
            translate_to=c.target_code, translation_engine=self.translation_engine, speaker_labels=self.speakers.enabled,
            speaker_count=self.speakers.count))

    def _engine_chosen(self) -> None:
        self.settings.setValue(keys.TRANSLATION_ENGINE, self.translation_engine)
        self.widgets.choices.request_targets()

    def _on_model_chosen(self, spec: str) -> None:
        self._model_ready_text = ""
        self._update_model_label()
        if spec and not self.is_running:
            self.controller.load_model(self.engine_settings())

    def _settings_changed(self, saved: str, from_next_start: str) -> None:
        """Say when a changed setting applies, and load the model with it ahead of the next Start when idle."""
        if self.is_running:
            self.statusBar().showMessage(from_next_start, 8000)
        else:
            self.statusBar().showMessage(saved, 5000)
            if self.widgets.choices.model_spec:
                self.controller.load_model(self.engine_settings())

    def _show_no_model(self) -> None:
        from voicedesk.ui.dialogs.welcome import open_welcome

        self.widgets.choices.say_no_model()
        self.welcome = open_welcome(self, self.widgets.choices.add_model_folder)

    # ------------------------------------------------------------------ session control

    def toggle_session(self) -> None:
        if self.is_running:
            self.stop_session()
        else:
            self.start_session()

    def start_session(self, choice: Optional[InputChoice] = None) -> bool:
        """Listen to `choice` (default: the dropdown's); False with a message when it cannot start."""
        return self.core.start_live(choice if choice is not None else self.widgets.choices.current_input)

    def open_files(self, paths: list[str]) -> None:
        """Transcribe files one after another into the panes (`voicedesk a.wav b.mp3`)."""
        self.core.open_files(paths)

    def open_file(self, path: str) -> bool:
        """Transcribe a file into the panes (as fast as it decodes), with progress and Cancel."""
        return self.core.open_file(path)

    def stop_session(self) -> None:
        """Ask the run to end; the utterance in progress still becomes final text."""
        self.core.stop()

    def _set_idle_controls(self, idle: bool) -> None:
        self.widgets.choices.set_idle(idle)
        m = self.menus
        for action in (m.open_file_action, m.open_transcript_action, m.new_session_action, m.engine_menu.menuAction()):
            action.setEnabled(idle)   # the engine choice applies from the next run

    # ------------------------------------------------------------------ the core's notices

    def _on_notice(self, notice: n.Notice) -> None:
        check_gui_thread(f"MainWindow._on_notice({type(notice).__name__})")
        self._notice_handlers[type(notice)](notice)

    def _show_message(self, message: n.Message) -> None:
        actions = {
            n.Action.LOOK_AGAIN: (self.tr("Look again"), lambda: self.widgets.choices.refresh_devices(rescan=True)),
            n.Action.CHOOSE_MODEL_FOLDER: (self.tr("Choose folder\u2026"), self.widgets.choices.choose_model_folder),
            n.Action.GET_SPEAKER_MODEL: (self.tr("Speaker model\u2026"), self.speakers.download_model),
        }
        self.widgets.banner.show_message(shown(message.text), message.level.value, actions.get(message.action))

    def _on_message_withdrawn(self, withdrawn: n.MessageWithdrawn) -> None:
        if self.widgets.banner.text == shown(withdrawn.text):
            self.widgets.banner.dismiss()

    def _on_run_started(self, started: n.RunStarted) -> None:
        self._lag_timer.start()
        self._device_timer.stop()
        self.widgets.overload_offer.hide()
        self.widgets.banner.dismiss()
        self.widgets.waveform.reset()
        self.widgets.start_button.setText(self.tr("Stop"))
        self.widgets.start_button.setEnabled(True)
        self.widgets.cancel_button.setEnabled(True)
        self._set_idle_controls(False)
        if not started.live:
            self.widgets.file_label.setText(started.name)
            self.widgets.file_progress.setValue(0)
            self.widgets.file_row.show()
        self.widgets.state_label.setText(self.tr("Starting {name}\u2026").format(name=started.name))
        self._input_name = started.name
        self._update_model_label()
        self._update_title()

    def _on_run_stopping(self, _: n.RunStopping) -> None:
        self.widgets.start_button.setEnabled(False)
        self.widgets.start_button.setText(self.tr("Stopping\u2026"))
        self.widgets.cancel_button.setEnabled(False)
        self._update_title()

    def _on_run_over(self, _: n.RunOver) -> None:
        self._lag_timer.stop()
        self._state = EngineState.STOPPED
        self.widgets.panes.drop_partials()
        self.widgets.start_button.setText(self.tr("Start"))
        self.widgets.start_button.setEnabled(True)
        self._set_idle_controls(True)
        self.widgets.file_row.hide()
        self.widgets.lag_label.hide()
        self.widgets.meter.show_level(0.0)
        self._device_timer.start()
        self.widgets.state_label.setText(self.tr("Stopped"))
        self._update_model_label()
        self._update_title()

    def _on_lighter_chosen(self, chosen: n.LighterChosen) -> None:
        self.widgets.choices.select_model(chosen.plan.model or "")

    def _on_watching_lost_input(self, watching: n.WatchingLostInput) -> None:
        if watching.choice is not None:
            self._return_timer.start()
        else:
            self._return_timer.stop()

    def _on_input_back(self, back: n.InputBack) -> None:
        self.widgets.choices.want_device(back.choice.key)
        self.widgets.choices.refresh_devices(rescan=False)

    def _on_session_replaced(self, replaced: n.SessionReplaced) -> None:
        self.widgets.panes.clear()
        self.widgets.panes.speaker_names = self.core.session.speakers.event_names()
        self.captions.clear()
        self.captions.set_speaker_names(self.core.session.speakers.event_names())
        self.widgets.waveform.reset()
        for event in segment_events(replaced.segments):  # one row per sentence, as when live
            if isinstance(event, FinalSegment):
                self.widgets.panes.add_final(event)
            else:
                self.widgets.panes.add_translation(event)
        self.editing.show_marks()
        self._update_title()

    # ------------------------------------------------------------------ engine events (GUI thread)

    def _on_status(self, event: Status) -> None:
        self._state = event.state
        if event.state is EngineState.LOADING_MODEL:
            self._model_ready_text = ""
            self._update_model_label()
        self.widgets.state_label.setText(self.tr(STATE_TEXT.get(event.state, event.state.value)))
        self._update_title()

    def _on_model_ready(self, info: str) -> None:
        spec = self.widgets.choices.model_spec or ""
        self._model_ready_text = info.replace(spec, Path(spec).name) if spec else info
        self._update_model_label()
        if not self.is_running:
            self._state = EngineState.STOPPED
            self.widgets.state_label.setText(self.tr("Ready"))
            self._update_title()

    def _on_run_ended(self, event: RunEnded) -> None:
        self.core.on_event(event)

    def _on_partial(self, event: Partial) -> None:
        if self.is_running and self.reading.shows(event):
            self.widgets.panes.show_partial(event)

    def _on_final(self, event: FinalSegment) -> None:
        # the controller has moved it into session ids and times, and journaled it
        self.core.on_event(event)
        if self.reading.shows(event):
            self.widgets.panes.add_final(event)

    def _on_settled(self, event: Settled) -> None:
        """A complete sentence decoded again: its row shows the settled text (an edit the user made stays)."""
        self.core.on_event(event)
        self.widgets.panes.show_sentences([s for s in self.session.sentences() if s.sentence_id == event.sentence_id])

    def _on_translation(self, event: Translation) -> None:
        self.core.on_event(event)
        self.widgets.panes.add_translation(event)

    def _on_levels(self) -> None:
        levels = self.controller.take_levels()
        if not levels or not self.is_running:
            return
        self.widgets.waveform.add_levels(levels)
        self.widgets.meter.show_level(levels[-1].rms)

    def _on_lag(self, event: Lag) -> None:
        log.debug("lag %.2f s", event.seconds)
        if event.seconds > LAG_SHOWN_ABOVE_S and self.is_running:
            self.widgets.lag_label.setText(self.tr("Behind by {seconds} s").format(seconds=f"{event.seconds:.1f}"))
            self.widgets.lag_label.show()
        else:
            self.widgets.lag_label.hide()
        self.core.on_event(event)

    def _on_progress(self, event: Progress) -> None:
        if event.duration > 0:
            self.widgets.file_progress.setValue(int(1000 * min(event.position / event.duration, 1.0)))

    def _on_error(self, event: EngineError) -> None:
        self.core.on_event(event)
        if event.kind is ErrorKind.MODEL and event.fatal and not self.is_running:
            self.widgets.state_label.setText(self.tr("No model"))

    def _on_session_started(self, name: str) -> None:
        if name:
            self._input_name = name
            self._update_model_label()

    def _update_model_label(self) -> None:
        model = self._model_ready_text or Path(self.widgets.choices.model_spec or "").name or self.tr("no model")
        device = self._input_name
        self.widgets.model_label.setText(self.tr("Model: {model}").format(model=model) + (
            self.tr("  \u00b7  Input: {device}").format(device=device) if device and self.is_running else ""))

    def _update_title(self) -> None:
        if self.is_running:
            state = self.tr("Stopping") if self.core.stopping else self.tr(STATE_TEXT.get(self._state, "Running"))
        else:
            state = self.tr("Stopped") if self.widgets.panes.has_final_text else self.tr("Ready")
        self.setWindowTitle(f"{APP_NAME} \u2014 {state}")

    # ------------------------------------------------------------------ a microphone that comes back

    def _look_for_lost_input(self) -> None:
        choice = self.core.lost_input
        if choice is None or self._return_checking:
            return
        self._return_checking = True
        self._off_thread.call(lambda: input_present(choice), lambda present: self._on_lost_input_checked(choice, present))

    def _on_lost_input_checked(self, choice: InputChoice, present: Any) -> None:
        self._return_checking = False
        if isinstance(present, Exception):
            log.info("looking for %s failed: %s", choice.label, present)
            return
        self.core.lost_input_checked(choice, bool(present))

    # ------------------------------------------------------------------ files, transcripts, export

    def open_file_dialog(self) -> None:
        folder = str(self.settings.value(keys.FILES_FOLDER) or Path.home())
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open audio or video file"), folder, self.tr(
            "Audio and video ({patterns});;All files (*)").format(patterns=MEDIA_PATTERNS))
        if path:
            self.settings.setValue(keys.FILES_FOLDER, str(Path(path).parent))
            self.open_file(path)

    def open_transcript_dialog(self) -> None:
        folder = str(self.settings.value(keys.EXPORT_FOLDER) or Path.home())
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open transcript"), folder,
                                              self.tr("voicedesk JSON (*.json)"))
        if path:
            self.open_transcript(path)

    def open_transcript(self, path: str) -> bool:
        """Show a transcript exported earlier as JSON (replaces the panes after asking)."""
        from voicedesk.session.export import ExportError, segments_from_json, speaker_book_from_json

        try:
            text = Path(path).read_text(encoding="utf-8")
            segments = segments_from_json(text)
        except (OSError, UnicodeDecodeError, ExportError, ValueError) as exc:
            self.widgets.banner.show_message(
                self.tr("Cannot open {name}: {reason}").format(name=Path(path).name, reason=shown(exc)), "error")
            return False
        if not self.new_session():
            return False
        self.core.adopt(segments, speaker_book_from_json(text))
        return True

    def export_dialog(self) -> bool:
        """Ask where and how, then export; True when the transcript was written."""
        if self.session.is_empty:
            self.widgets.banner.show_message(self.tr("Nothing to export yet: the transcript is empty."), "info")
            return False
        s = self.settings
        prefs = self.preferences.current
        dialog = ExportDialog(str(s.value(keys.EXPORT_FOLDER) or Path.home()), prefs.export_format,
                              prefs.export_content, self)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return False
        path, fmt, content = dialog.choice()
        return bool(path) and self.export_to(path, fmt, content)

    def export_to(self, path: str, fmt: Optional[str] = None, content: str = "source") -> bool:
        """Write the session to `path`; a failure is shown in the banner and the transcript stays."""
        from voicedesk.session.export import ExportError

        try:
            written, fmt = self.core.export(path, fmt, content)
        except ExportError as exc:
            self.widgets.banner.show_message(self.tr(
                "{reason} The transcript is still here: export it somewhere else.").format(
                reason=shown(exc)), "error", (self.tr("Export\u2026"), self.export_dialog))
            return False
        self.settings.setValue(keys.EXPORT_FOLDER, str(Path(written).parent))
        self.preferences.remember(export_format=fmt, export_content=content)
        self.statusBar().showMessage(self.tr("Exported to {path}").format(path=written), 5000)
        return True

    def confirm_discard(self) -> bool:
        """Ask before throwing away text that was never exported."""
        return ask_discard(self)

    def new_session(self) -> bool:
        """Clear the panes and the session (asks first when text was not exported); False if kept."""
        if self.is_running:
            self.widgets.banner.show_message(self.tr("Stop listening before starting a new session."), "info")
            return False
        if self.session.has_unexported_changes and not self.confirm_discard():
            return False
        self.core.clear()
        self.widgets.banner.dismiss()
        return True

    # ------------------------------------------------------------------ view

    def _zoom(self, steps: int) -> None:
        self.widgets.panes.zoom(steps)
        self.settings.setValue(keys.TEXT_POINT_SIZE, self.widgets.panes.point_size())

    # ------------------------------------------------------------------ closing

    def confirm_quit(self) -> QuitAnswer:
        """Ask before quitting with text that was never exported."""
        return ask_quit(self)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._closed:
            event.accept()
            return
        if not self._quit_answered and self.session.has_unexported_changes:
            answer = self.confirm_quit()
            if answer is QuitAnswer.CANCEL or (answer is QuitAnswer.EXPORT and not self.export_dialog()):
                event.ignore()
                return
            self._quit_answered = True
            self._forget_on_close = answer is QuitAnswer.QUIT
        if self._forced_close:
            self.core.finish()
        elif not self.core.request_close():
            # finish cleanly: the utterance in progress becomes final, then the window closes (ReadyToClose)
            self._closing = True
            event.ignore()
            self.widgets.state_label.setText(self.tr("Finishing the last sentence before closing\u2026"))
            QTimer.singleShot(CLOSE_WAIT_MS, self._force_close)
            return
        self._closed = True
        for timer in (self._device_timer, self._return_timer, self._lag_timer):
            timer.stop()
        self._save_settings()
        self.captions.shutdown()        # the overlay closes, caption sharing stops
        if self._forget_on_close:
            self.core.forget_unsaved()   # queued before the shutdown: the journal goes, nothing is offered later
        self.controller.shutdown()
        event.accept()

    def _force_close(self) -> None:
        if not self._closed and self.is_running:
            log.warning("the engine did not stop within %d s; closing anyway", CLOSE_WAIT_MS // 1000)
            self._forced_close = True
            self.close()

