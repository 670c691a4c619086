"""The main window's dropdowns: the input, the spoken language, Translate to, and the model.

A mixin of MainWindow: it fills and reads the four dropdowns, keeps what the user wanted until a
list can offer it, and loads the chosen model in the background.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable, Optional

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QComboBox, QFileDialog

from voicedesk.audio.inputs import InputChoice, find_choice, list_input_choices
from voicedesk.engine.settings import EngineSettings
from voicedesk.models.choices import ModelChoice, choice_for_folder, find_local_models
from voicedesk.models.folder import local_model_problem
from voicedesk.session.coordinator import SessionCoordinator
from voicedesk.ui.banner import Banner
from voicedesk.ui.controller import EngineController
from voicedesk.ui.i18n import shown
from voicedesk.ui.languages import named_languages
from voicedesk.ui.off_thread import OffThread
from voicedesk.ui.translate_targets import TargetsAnswer, TargetsRequest, fill_target_combo, target_notice
from voicedesk.ui.window_layout import CHOOSE_FOLDER

log = logging.getLogger(__name__)


class WindowChoices:
    """The dropdown side of MainWindow (which builds the widgets named here and owns the rest)."""

    settings: QSettings
    controller: EngineController
    core: SessionCoordinator
    banner: Banner
    device_combo: QComboBox
    language_combo: QComboBox
    target_combo: QComboBox
    model_combo: QComboBox
    engine_actions: Any
    preferences: Any                                   # SettingsFeatures (voicedesk.ui.settings_menu)
    welcome: Any
    _off_thread: OffThread
    _devices_listing: bool
    _wanted_device: Optional[str]
    _wanted_target: Optional[str]
    _targets: Optional[TargetsAnswer]
    _target_notice: str
    _model_ready_text: str
    is_running: bool                                   # MainWindow's property
    engine_settings: Callable[[], EngineSettings]
    _update_model_label: Callable[[], None]

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

    def _chosen_settings(self) -> EngineSettings:
        """The dropdowns' choices with the user's preferences and vocabulary (Edit menu)."""
        return self.preferences.apply(EngineSettings(model=self.model_spec or "", language=self.language_code,
                                                     translate_to=self.target_code,
                                                     translation_engine=self.translation_engine))

    def _installed_models(self) -> list[ModelChoice]:
        return [ModelChoice(self.model_combo.itemText(i), str(self.model_combo.itemData(i)))
                for i in range(self.model_combo.count()) if self.model_combo.itemData(i) not in (None, CHOOSE_FOLDER)]

    # ------------------------------------------------------------------ dropdowns

    def refresh_devices(self, rescan: bool = True) -> None:
        """List inputs on a background thread; `rescan` also asks PortAudio to look again (idle only)."""
        if self._devices_listing or (rescan and self.is_running):
            return
        self._devices_listing = True

        def work() -> list[InputChoice]:
            if rescan:
                try:
                    from voicedesk.audio.devices import refresh_devices

                    refresh_devices()
                except Exception as exc:  # listing below reports what the user needs
                    log.info("PortAudio rescan failed: %s", exc)
            return list_input_choices()

        self._off_thread.call(work, self._on_devices)

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
            name = shown(choice.label)   # "System audio (speakers)" comes from the core, in English
            label = self.tr("{name} (default)").format(name=name) if choice.is_default else name
            self.device_combo.addItem(label, choice)
            self.device_combo.setItemData(self.device_combo.count() - 1, choice.key, Qt.ItemDataRole.ToolTipRole)
        wanted = find_choice(choices, wanted_key)   # also a key saved the old way
        index = choices.index(wanted) if wanted is not None else None
        if index is None:
            index = next((i for i, c in enumerate(choices) if c.is_default), 0)
        if choices:
            self.device_combo.setCurrentIndex(index)
        self.device_combo.blockSignals(False)
        if not choices:
            self.device_combo.addItem(self.tr("No microphone found"), None)
            if not self.is_running:
                self.banner.show_message(self._no_microphone_text(), "warning",
                                         (self.tr("Look again"), lambda: self.refresh_devices(rescan=True)))
        elif self.banner.text == self._no_microphone_text():
            self.banner.dismiss()

    def _no_microphone_text(self) -> str:
        return self.tr("No microphone found. Connect one and press \u27f3, or open an audio file (File \u2192 Open).")

    def _device_changed(self) -> None:
        choice = self.current_input
        if choice is not None:
            self._wanted_device = choice.key

    def _on_languages(self, codes: list) -> None:
        current = self.language_code
        self.language_combo.blockSignals(True)
        self.language_combo.clear()
        self.language_combo.addItem(self.tr("Auto-detect"), None)
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
        if self.is_running:
            self.controller.set_translate_to(self.target_code)
        if self._targets is None:
            return
        notice = target_notice(self._targets, self.chosen_target, missing, Path(self.model_spec or "").name)
        if notice and (again or notice != self._target_notice):
            option = self._targets.option(self.chosen_target)
            packs = (self.tr("Language packs\u2026"), self.open_language_packs) if option and option.pack else None
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
        self.model_combo.addItem(self.tr("Choose folder\u2026"), CHOOSE_FOLDER)
        index = self.model_combo.findData(wanted) if wanted else -1
        self.model_combo.setCurrentIndex(index if index >= 0 else 0)

    def add_model_folder(self, folder: str, select: bool = True) -> bool:
        """Add a model folder the user picked; a folder that is not a model gets a message instead."""
        problem = local_model_problem(Path(folder).expanduser())
        if problem:
            self.banner.show_message(
                self.tr("{problem}. Choose a folder that holds a faster-whisper model.").format(problem=shown(problem)),
                "error", (self.tr("Choose folder\u2026"), self.choose_model_folder))
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
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a faster-whisper model folder"))
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
        if self.model_spec and not self.is_running:
            self.controller.load_model(self.engine_settings())

    def _show_no_model(self) -> None:
        self.banner.show_message(
            self.tr("No speech model found. Download one (File \u2192 Speech models) or choose a folder with a "
                    "faster-whisper model (config.json, model.bin)."),
            "warning", (self.tr("Choose folder\u2026"), self.choose_model_folder))
        from voicedesk.ui.welcome import open_welcome

        self.welcome = open_welcome(self, self.add_model_folder)

    def open_model_manager(self) -> None:
        from voicedesk.ui.model_manager_dialog import open_model_manager

        chosen = open_model_manager(self, model_in_use=lambda: self.core.model_in_use)
        self._fill_models(chosen or self.model_spec)
        if chosen:
            self.add_model_folder(chosen)

    def open_language_packs(self) -> None:
        from voicedesk.ui.language_packs_dialog import open_language_packs

        if open_language_packs(self):
            self._request_targets()
