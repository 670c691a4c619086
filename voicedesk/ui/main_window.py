"""The main window: builds the widgets, connects signals, and shows what the session core decides.

What a run is (start, stop, restart lighter, the file queue), the session's ids and times, the lost
microphone, the overload policy and restoring a journal live in the Qt-free
`voicedesk.session.coordinator`; the window feeds it the user's clicks and the engine's events and
paints its notices. The controller runs the engine on its own thread.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable, Optional

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from voicedesk.audio.inputs import InputChoice, input_present
from voicedesk.engine.events import (
    EngineError, EngineState, ErrorKind, FinalSegment, Lag, Partial, Progress, RunEnded, Settled, Status, Translation,
)
from voicedesk.engine.settings import EngineSettings
from voicedesk.session import notices as n
from voicedesk.session.coordinator import SessionCoordinator
from voicedesk.session.journal import JournalInfo
from voicedesk.session.transcript import Session, segment_events
from voicedesk.ui.accessibility import install_accessibility
from voicedesk.ui.controller import EngineController
from voicedesk.ui.export_dialog import ExportDialog
from voicedesk.ui.gui_thread import check_gui_thread, gui_only
from voicedesk.ui.i18n import shown
from voicedesk.ui.languages import language_name
from voicedesk.ui.off_thread import OffThread
from voicedesk.ui.questions import QuitAnswer, ask_discard, ask_quit
from voicedesk.ui.transcript_editing import install_editing
from voicedesk.ui.transcript_view import default_point_size
from voicedesk.ui.translate_targets import TargetsAnswer
from voicedesk.ui.window_choices import WindowChoices
from voicedesk.ui.window_layout import build_menus, build_widgets

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


def _unfinished_journals(chosen: Optional[Path] = None) -> list[JournalInfo]:
    """Journals of sessions that crashed or were killed, in the default and the chosen folder (run off the GUI thread)."""
    from voicedesk.session.journal import delete_finished, find_unfinished, journal_dir

    found: list[JournalInfo] = []
    for folder in dict.fromkeys(f for f in (journal_dir(), chosen) if f is not None and f.is_dir()):
        delete_finished(folder)
        found += find_unfinished(folder)
    return found


class MainWindow(WindowChoices, QMainWindow):
    """The window people use. `settings` and `controller` are injectable for tests."""

    def __init__(self, settings: Optional[QSettings] = None, controller: Optional[EngineController] = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings(APP_NAME, APP_NAME)
        self.controller = controller if controller is not None else EngineController()
        self.core = SessionCoordinator(self.controller, self._on_notice, self._chosen_settings, self._installed_models)
        self._off_thread = OffThread(self)
        self.welcome: Any = None        # the first-run welcome dialog while it is open
        self._closing = False           # a close waits for the run to end
        self._closed = False
        self._quit_answered = False     # the user answered the unexported-text question
        self._forget_on_close = False   # ... with "Quit without saving"
        self._forced_close = False
        self._state = EngineState.STOPPED
        self._model_ready_text = ""
        self._devices_listing = False
        self._wanted_target: Optional[str] = None   # remembered until the dropdown can offer it
        self._targets: Optional[TargetsAnswer] = None  # what the Translate-to list shows
        self._target_notice = ""                       # the last message about the target (said once)
        self._wanted_device: Optional[str] = None
        self._input_name = ""
        self._return_checking = False
        self._notice_handlers: dict[type, Callable[[Any], None]] = {
            n.Message: self._show_message, n.NoModel: lambda _: self._show_no_model(),
            n.RunStarted: self._on_run_started, n.RunStopping: self._on_run_stopping, n.RunOver: self._on_run_over,
            n.ReadyToClose: lambda _: QTimer.singleShot(0, self.close),
            n.OverloadOffered: lambda notice: self.overload_offer.offer(notice.plan),
            n.OverloadWithdrawn: lambda _: self.overload_offer.hide(),
            n.LighterChosen: self._on_lighter_chosen, n.WatchingLostInput: self._on_watching_lost_input,
            n.InputBack: self._on_input_back, n.RestoreOffered: self._on_restore_offered,
            n.DiscardPending: self._on_discard_pending, n.RestoreWithdrawn: lambda _: self.restore_banner.dismiss(),
            n.SessionReplaced: self._on_session_replaced,
            n.MessageWithdrawn: lambda m: self.banner.dismiss() if self.banner.text == shown(m.text) else None,
        }

        build_widgets(self)
        build_menus(self)
        install_accessibility(self)   # names, tab order, Space guard, announcements of finals
        self._connect_controller()
        install_editing(self)         # edit, split, merge, Find, typed text (after the controller's handlers)
        self._restore_settings()
        self._update_title()

        self._device_timer = QTimer(self)
        self._device_timer.setInterval(DEVICE_POLL_MS)
        self._device_timer.timeout.connect(lambda: self.refresh_devices(rescan=False))
        self._return_timer = QTimer(self)
        self._return_timer.setInterval(RETURN_POLL_MS)
        self._return_timer.timeout.connect(self._look_for_lost_input)
        # the engine publishes the lag only when it changes: a steady lag is re-checked every second
        self._lag_timer = QTimer(self)
        self._lag_timer.setInterval(1000)
        self._lag_timer.timeout.connect(self.core.tick)
        QTimer.singleShot(0, self._after_show)

    def _connect_controller(self) -> None:
        c = self.controller
        handlers = ((c.status, self._on_status), (c.partial, self._on_partial), (c.final, self._on_final), (c.settled, self._on_settled),
                    (c.translation, self._on_translation), (c.lag, self._on_lag), (c.progress, self._on_progress),
                    (c.error, self._on_error), (c.input_silence, self.core.on_event),
                    (c.run_ended, self._on_run_ended), (c.levels_ready, self._on_levels),
                    (c.session_started, self._on_session_started), (c.languages_ready, self._on_languages),
                    (c.targets_ready, self._on_targets), (c.model_ready, self._on_model_ready))
        for signal, handler in handlers:
            signal.connect(gui_only(f"MainWindow <- controller.{handler.__name__}", handler))

    def _after_show(self) -> None:
        """Work that may take a moment, started once the window is on screen."""
        self._fill_models(self.model_spec)          # now with the model manager's models
        self.controller.warm_up()
        self._request_targets()
        self.refresh_devices(rescan=False)
        self._device_timer.start()
        self._off_thread.call(lambda: _unfinished_journals(self.preferences.current.journal_path), self._on_unfinished)
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
        size = s.value("text/point_size")
        self.panes.set_point_size(int(size) if size else default_point_size())
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

    def _automatic_toggled(self, on: bool) -> None:
        self.preferences.remember(automatic_lighter=bool(on))

    # ------------------------------------------------------------------ current choices

    @property
    def session(self) -> Session:
        return self.core.session

    @property
    def is_running(self) -> bool:
        return self.core.running

    def engine_settings(self) -> EngineSettings:
        """What the next run uses: the dropdowns' choices, and the core's beam size."""
        return self.core.run_settings()

    # ------------------------------------------------------------------ session control

    def toggle_session(self) -> None:
        if self.is_running:
            self.stop_session()
        else:
            self.start_session()

    def start_session(self, choice: Optional[InputChoice] = None) -> bool:
        """Listen to `choice` (default: the dropdown's); False with a message when it cannot start."""
        return self.core.start_live(choice if choice is not None else self.current_input)

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
        for widget in (self.device_combo, self.refresh_button, self.language_combo, self.model_combo):
            widget.setEnabled(idle)
        for action in (self.open_file_action, self.open_transcript_action, self.new_session_action,
                       self.engine_menu.menuAction()):
            action.setEnabled(idle)   # the engine choice applies from the next run

    # ------------------------------------------------------------------ the core's notices

    def _on_notice(self, notice: n.Notice) -> None:
        check_gui_thread(f"MainWindow._on_notice({type(notice).__name__})")
        self._notice_handlers[type(notice)](notice)

    def _show_message(self, message: n.Message) -> None:
        actions = {
            n.Action.LOOK_AGAIN: (self.tr("Look again"), lambda: self.refresh_devices(rescan=True)),
            n.Action.CHOOSE_MODEL_FOLDER: (self.tr("Choose folder\u2026"), self.choose_model_folder),
        }
        self.banner.show_message(shown(message.text), message.level.value, actions.get(message.action))

    def _on_run_started(self, started: n.RunStarted) -> None:
        self._lag_timer.start()
        self._device_timer.stop()
        self.overload_offer.hide()
        self.banner.dismiss()
        self.waveform.reset()
        self.start_button.setText(self.tr("Stop"))
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self._set_idle_controls(False)
        if not started.live:
            self.file_label.setText(started.name)
            self.file_progress.setValue(0)
            self.file_row.show()
        self.state_label.setText(self.tr("Starting {name}\u2026").format(name=started.name))
        self._input_name = started.name
        self._update_model_label()
        self._update_title()

    def _on_run_stopping(self, _: n.RunStopping) -> None:
        self.start_button.setEnabled(False)
        self.start_button.setText(self.tr("Stopping\u2026"))
        self.cancel_button.setEnabled(False)
        self._update_title()

    def _on_run_over(self, _: n.RunOver) -> None:
        self._lag_timer.stop()
        self._state = EngineState.STOPPED
        self.panes.drop_partials()
        self.start_button.setText(self.tr("Start"))
        self.start_button.setEnabled(True)
        self._set_idle_controls(True)
        self.file_row.hide()
        self.lag_label.hide()
        self.meter.show_level(0.0)
        self._device_timer.start()
        self.state_label.setText(self.tr("Stopped"))
        self._update_model_label()
        self._update_title()

    def _on_lighter_chosen(self, chosen: n.LighterChosen) -> None:
        index = self.model_combo.findData(chosen.plan.model) if chosen.plan.model else -1
        if index >= 0:
            self.model_combo.setCurrentIndex(index)
            self.settings.setValue("model/spec", chosen.plan.model)

    def _on_watching_lost_input(self, watching: n.WatchingLostInput) -> None:
        if watching.choice is not None:
            self._return_timer.start()
        else:
            self._return_timer.stop()

    def _on_input_back(self, back: n.InputBack) -> None:
        self._wanted_device = back.choice.key
        self.refresh_devices(rescan=False)

    def _on_session_replaced(self, replaced: n.SessionReplaced) -> None:
        self.panes.clear()
        self.captions.clear()
        self.waveform.reset()
        for event in segment_events(replaced.segments):  # one row per sentence, as when live
            if isinstance(event, FinalSegment):
                self.panes.add_final(event)
            else:
                self.panes.add_translation(event)
        self.editing.show_marks()
        self._update_title()

    # ------------------------------------------------------------------ engine events (GUI thread)

    def _on_status(self, event: Status) -> None:
        self._state = event.state
        if event.state is EngineState.LOADING_MODEL:
            self._model_ready_text = ""
            self._update_model_label()
        self.state_label.setText(self.tr(STATE_TEXT.get(event.state, event.state.value)))
        self._update_title()

    def _on_model_ready(self, info: str) -> None:
        spec = self.model_spec or ""
        self._model_ready_text = info.replace(spec, Path(spec).name) if spec else info
        self._update_model_label()
        if not self.is_running:
            self._state = EngineState.STOPPED
            self.state_label.setText(self.tr("Ready"))
            self._update_title()

    def _on_run_ended(self, event: RunEnded) -> None:
        self.core.on_event(event)

    def _on_partial(self, event: Partial) -> None:
        if self.is_running and self.reading.shows(event):
            self.panes.show_partial(event)

    def _on_final(self, event: FinalSegment) -> None:
        # the controller has moved it into session ids and times, and journaled it
        self.core.on_event(event)
        if self.reading.shows(event):
            self.panes.add_final(event)

    def _on_settled(self, event: Settled) -> None:
        """A complete sentence decoded again: its row shows the settled text (an edit the user made stays)."""
        self.core.on_event(event)
        self.panes.show_sentences([s for s in self.session.sentences() if s.sentence_id == event.sentence_id])

    def _on_translation(self, event: Translation) -> None:
        self.core.on_event(event)
        self.panes.add_translation(event)

    def _on_levels(self) -> None:
        levels = self.controller.take_levels()
        if not levels or not self.is_running:
            return
        self.waveform.add_levels(levels)
        self.meter.show_level(levels[-1].rms)

    def _on_lag(self, event: Lag) -> None:
        log.debug("lag %.2f s", event.seconds)
        if event.seconds > LAG_SHOWN_ABOVE_S and self.is_running:
            self.lag_label.setText(self.tr("Behind by {seconds} s").format(seconds=f"{event.seconds:.1f}"))
            self.lag_label.show()
        else:
            self.lag_label.hide()
        self.core.on_event(event)

    def _on_progress(self, event: Progress) -> None:
        if event.duration > 0:
            self.file_progress.setValue(int(1000 * min(event.position / event.duration, 1.0)))

    def _on_error(self, event: EngineError) -> None:
        self.core.on_event(event)
        if event.kind is ErrorKind.MODEL and not self.is_running:
            self.state_label.setText(self.tr("No model"))

    def _on_session_started(self, name: str) -> None:
        if name:
            self._input_name = name
            self._update_model_label()

    def _update_model_label(self) -> None:
        model = self._model_ready_text or Path(self.model_spec or "").name or self.tr("no model")
        device = self._input_name
        self.model_label.setText(self.tr("Model: {model}").format(model=model) + (
            self.tr("  \u00b7  Input: {device}").format(device=device) if device and self.is_running else ""))

    def _update_title(self) -> None:
        if self.is_running:
            state = self.tr("Stopping") if self.core.stopping else self.tr(STATE_TEXT.get(self._state, "Running"))
        else:
            state = self.tr("Stopped") if self.panes.has_final_text else self.tr("Ready")
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
        folder = str(self.settings.value("files/folder") or Path.home())
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open audio or video file"), folder, self.tr(
            "Audio and video ({patterns});;All files (*)").format(patterns=MEDIA_PATTERNS))
        if path:
            self.settings.setValue("files/folder", str(Path(path).parent))
            self.open_file(path)

    def open_transcript_dialog(self) -> None:
        folder = str(self.settings.value("export/folder") or Path.home())
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open transcript"), folder,
                                              self.tr("voicedesk JSON (*.json)"))
        if path:
            self.open_transcript(path)

    def open_transcript(self, path: str) -> bool:
        """Show a transcript exported earlier as JSON (replaces the panes after asking)."""
        from voicedesk.session.export import ExportError, segments_from_json

        try:
            segments = segments_from_json(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ExportError, ValueError) as exc:
            self.banner.show_message(
                self.tr("Cannot open {name}: {reason}").format(name=Path(path).name, reason=shown(exc)), "error")
            return False
        if not self.new_session():
            return False
        self.core.adopt(segments)
        return True

    def export_dialog(self) -> bool:
        """Ask where and how, then export; True when the transcript was written."""
        if self.session.is_empty:
            self.banner.show_message(self.tr("Nothing to export yet: the transcript is empty."), "info")
            return False
        s = self.settings
        prefs = self.preferences.current
        dialog = ExportDialog(str(s.value("export/folder") or Path.home()), prefs.export_format, prefs.export_content,
                              self)
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
            self.banner.show_message(self.tr("{reason} The transcript is still here: export it somewhere else.").format(
                reason=shown(exc)), "error", (self.tr("Export\u2026"), self.export_dialog))
            return False
        self.settings.setValue("export/folder", str(Path(written).parent))
        self.preferences.remember(export_format=fmt, export_content=content)
        self.statusBar().showMessage(self.tr("Exported to {path}").format(path=written), 5000)
        return True

    def confirm_discard(self) -> bool:
        """Ask before throwing away text that was never exported."""
        return ask_discard(self)

    def new_session(self) -> bool:
        """Clear the panes and the session (asks first when text was not exported); False if kept."""
        if self.is_running:
            self.banner.show_message(self.tr("Stop listening before starting a new session."), "info")
            return False
        if self.session.has_unexported_changes and not self.confirm_discard():
            return False
        self.core.clear()
        self.banner.dismiss()
        return True

    # ------------------------------------------------------------------ sessions that did not end normally

    def _on_unfinished(self, result: Any) -> None:
        if isinstance(result, Exception):
            log.warning("looking for unfinished sessions failed: %s", result)
        elif not self._closed:
            self.core.recovery.offer(result)

    def _on_restore_offered(self, offered: n.RestoreOffered) -> None:
        info = offered.info
        last = info.last_text if len(info.last_text) <= 60 else info.last_text[:57] + "\u2026"
        self.restore_banner.show_message(self.tr(
            "The session of {when} did not end normally (%n sentence(s), last: \u201c{last}\u201d). Restore it?", "",
            info.segment_count).format(when=_when(info), last=last), "info",
            (self.tr("Restore"), self.restore_unfinished), (self.tr("Discard"), self.core.recovery.discard))

    def _on_discard_pending(self, pending: n.DiscardPending) -> None:
        self.restore_banner.show_message(self.tr("Discarded the session of {when}.").format(when=_when(pending.info)),
                                         "info", (self.tr("Undo"), self.core.recovery.undo))
        QTimer.singleShot(int(pending.undo_s * 1000), lambda: self.core.recovery.commit(pending))

    def restore_unfinished(self) -> bool:
        """Put the offered unfinished session back in the panes; it goes on in a new journal."""
        info = self.core.recovery.offered
        if info is None or self.is_running:
            return False
        if not self.session.is_empty and not self.new_session():
            self._on_restore_offered(n.RestoreOffered(info))   # kept: still on offer
            return False
        if not self.core.restore():
            return False
        self.statusBar().showMessage(self.tr("Restored %n sentence(s)", "", len(self.session.segments())), 5000)
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

        QMessageBox.about(self, self.tr("About voicedesk"), about_text())

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
            self.state_label.setText(self.tr("Finishing the last sentence before closing\u2026"))
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


def _when(info: JournalInfo) -> str:
    return info.started_at.replace("T", " ")[:16]
