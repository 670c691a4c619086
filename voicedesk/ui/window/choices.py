"""The top row's dropdowns: the input (with ⟳), the spoken language, Translate to, and the model.

`WindowChoices` owns the four dropdowns, what they offer, what the user wanted until a list can offer
it, and their stored keys. It lists inputs off the GUI thread, asks for the Translate-to options of
the current language, model and engine, and adds model folders. The window hears what it must act on
through two signals: `model_chosen` (load it ahead of the next Start) and `target_changed` (tell a
running engine). It receives only what it uses (`ChoicesNeeds`), never the window.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QGridLayout, QHBoxLayout, QLabel, QToolButton, QWidget

from voicedesk.audio.inputs import InputChoice, find_choice, list_input_choices
from voicedesk.models.choices import ModelChoice, choice_for_folder, find_local_models
from voicedesk.models.folder import local_model_problem
from voicedesk.ui.window.banner import Banner
from voicedesk.ui.i18n import shown
from voicedesk.ui.languages import language_name, named_languages
from voicedesk.ui.off_thread import OffThread
from voicedesk.ui.stored_keys import INPUT_KEY, MODEL_SPEC, SPOKEN_LANGUAGE, TARGET_LANGUAGE
from voicedesk.ui.window.translate_targets import (
    TARGET_TIP, TargetsAnswer, TargetsRequest, fill_target_combo, target_notice,
)

log = logging.getLogger(__name__)

CHOOSE_FOLDER = "__choose_folder__"   # the model dropdown's last entry
translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") as a string to translate


@dataclass(frozen=True)
class ChoicesNeeds:
    """What the dropdowns use from outside: their stored keys, and four questions and requests."""

    settings: QSettings
    is_running: Callable[[], bool]                         # a run keeps its input, language and model
    engine: Callable[[], str]                              # the translation engine (Edit menu)
    request_targets: Callable[[TargetsRequest], None]      # answered with `show_targets`, off the GUI thread
    model_in_use: Callable[[], Optional[str]]              # the model manager does not delete it


class WindowChoices(QWidget):
    """The dropdowns of the window's top row (see the module doc)."""

    model_chosen = Signal(str)      # the user picked a model (its spec, stored already)
    target_changed = Signal(object)  # the language translated into now (a code, or None)

    def __init__(self, needs: ChoicesNeeds, banner: Banner, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._needs = needs
        self.banner = banner           # says what a choice cannot do, and why
        self._off_thread = OffThread(self)
        self._devices_listing = False
        self._wanted_device: Optional[str] = None
        self._wanted_target: Optional[str] = None      # remembered until the dropdown can offer it
        self._targets: Optional[TargetsAnswer] = None  # what the Translate-to list shows
        self._target_notice = ""                       # the last message about the target (said once)
        self._build()

    def _build(self) -> None:
        self.device_combo = QComboBox()
        self.device_combo.setToolTip(translate("MainWindow", "The microphone (or system audio) to transcribe"))
        self.device_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.device_combo.setMinimumContentsLength(16)   # the top row fits a 1024 px screen at 150% text
        self.refresh_button = QToolButton()
        self.refresh_button.setText("\u27f3")
        self.refresh_button.setToolTip(translate("MainWindow", "Look for microphones again"))
        self.language_combo = QComboBox()
        self.language_combo.setToolTip(
            translate("MainWindow", "The language being spoken; Auto-detect decides per utterance"))
        self.language_combo.addItem(translate("MainWindow", "Auto-detect"), None)
        self.target_combo = QComboBox()
        self.target_combo.setToolTip(translate("TranslateTargets", TARGET_TIP))
        self.target_combo.addItem(translate("TranslateTargets", "None"), None)
        self.model_combo = QComboBox()
        self.model_combo.setToolTip(
            translate("MainWindow", "The Whisper speech model: larger is more accurate and slower"))
        for combo in (self.language_combo, self.target_combo, self.model_combo):
            # the width kept for them does not grow with their longest item (in Spanish, "Detección automática")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        mic_label = QLabel(translate("MainWindow", "Microphone"))
        mic_label.setBuddy(self.device_combo)   # a screen reader reads the field as labelled by it
        grid.addWidget(mic_label, 0, 0)
        mic_row = QHBoxLayout()
        mic_row.addWidget(self.device_combo, 1)
        mic_row.addWidget(self.refresh_button)
        grid.addLayout(mic_row, 1, 0)
        for column, (label, combo) in enumerate(
            ((translate("MainWindow", "Spoken language"), self.language_combo),
             (translate("MainWindow", "Translate to"), self.target_combo),
             (translate("MainWindow", "Model"), self.model_combo)),
            start=1,
        ):
            title = QLabel(label)
            title.setBuddy(combo)
            grid.addWidget(title, 0, column)
            grid.addWidget(combo, 1, column)
        grid.setColumnStretch(0, 3)
        for column in (1, 2, 3):
            grid.setColumnStretch(column, 2)

        self.refresh_button.clicked.connect(lambda: self.refresh_devices(rescan=True))
        self.language_combo.currentIndexChanged.connect(self._language_changed)
        self.target_combo.currentIndexChanged.connect(self._target_changed)
        self.model_combo.activated.connect(self._model_activated)
        self.device_combo.currentIndexChanged.connect(self._device_changed)

    # ------------------------------------------------------------------ what is chosen

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
    def model_spec(self) -> Optional[str]:
        data = self.model_combo.currentData()
        return None if data in (None, CHOOSE_FOLDER) else str(data)

    @property
    def current_input(self) -> Optional[InputChoice]:
        data = self.device_combo.currentData()
        return data if isinstance(data, InputChoice) else None

    def installed_models(self) -> list[ModelChoice]:
        return [ModelChoice(self.model_combo.itemText(i), str(self.model_combo.itemData(i)))
                for i in range(self.model_combo.count()) if self.model_combo.itemData(i) not in (None, CHOOSE_FOLDER)]

    def set_idle(self, idle: bool) -> None:
        """A run keeps its input, language and model: their dropdowns wait for it to end."""
        for widget in (self.device_combo, self.refresh_button, self.language_combo, self.model_combo):
            widget.setEnabled(idle)

    # ------------------------------------------------------------------ stored choices (this class owns the keys)

    def restore(self) -> None:
        """What was chosen at the last quit; inputs and Translate-to options are listed later."""
        s = self._needs.settings
        self._wanted_target = s.value(TARGET_LANGUAGE) or None
        self._wanted_device = s.value(INPUT_KEY) or None
        spoken = s.value(SPOKEN_LANGUAGE) or None
        if spoken:
            self.language_combo.addItem(language_name(spoken), spoken)
            self.language_combo.setCurrentIndex(self.language_combo.count() - 1)
        self.fill_models(s.value(MODEL_SPEC) or None, include_store=False)

    def save(self) -> None:
        s = self._needs.settings
        s.setValue(SPOKEN_LANGUAGE, self.language_code or "")
        s.setValue(TARGET_LANGUAGE, self.chosen_target or self._wanted_target or "")
        choice = self.current_input
        if choice is not None:
            s.setValue(INPUT_KEY, choice.key)
        s.setValue(MODEL_SPEC, self.model_spec or "")

    # ------------------------------------------------------------------ inputs

    def want_device(self, key: str) -> None:
        """Select the input with `key` the next time the list has it (a microphone that came back)."""
        self._wanted_device = key

    def refresh_devices(self, rescan: bool = True) -> None:
        """List inputs on a background thread; `rescan` also asks PortAudio to look again (idle only)."""
        if self._devices_listing or (rescan and self._needs.is_running()):
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

    def _on_devices(self, result: object) -> None:
        self._devices_listing = False
        if isinstance(result, Exception):
            log.warning("listing inputs failed: %s", result)
            result = []
        choices: list[InputChoice] = result  # type: ignore[assignment]
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
            if not self._needs.is_running():
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

    # ------------------------------------------------------------------ languages and Translate to

    def show_languages(self, codes: list) -> None:
        """The model's languages (from the controller)."""
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
        self.request_targets()

    def request_targets(self) -> None:
        """Ask for the Translate-to options of the current language, model and engine (answered off-thread)."""
        self._needs.request_targets(TargetsRequest(
            self.language_code, self.model_spec or "", self._needs.engine(),
            self.chosen_target or self._wanted_target))

    def show_targets(self, answer: TargetsAnswer) -> None:
        """The Translate-to options (from the controller); an answer to an outdated question is dropped."""
        request = answer.request
        if (request.source, request.model, request.engine) != (
                self.language_code, self.model_spec or "", self._needs.engine()):
            return  # an answer for a choice the user has since changed
        wanted = self.chosen_target or self._wanted_target
        self._targets = answer
        offered = fill_target_combo(self.target_combo, answer, wanted)
        self._apply_target(missing=None if offered else wanted)

    def _target_changed(self) -> None:
        self._wanted_target = self.chosen_target
        self._apply_target(again=True)

    def _apply_target(self, missing: Optional[str] = None, again: bool = False) -> None:
        """Tell the window the target, and the user what a target that cannot translate needs
        (once: a list refreshed for another reason does not repeat it, unless `again`, the user's own pick)."""
        self.target_changed.emit(self.target_code)
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

    def open_language_packs(self) -> None:
        from voicedesk.ui.dialogs.language_packs import open_language_packs

        if open_language_packs(self.window()):
            self.request_targets()

    # ------------------------------------------------------------------ models

    def fill_models(self, wanted: Optional[str], include_store: bool = True) -> None:
        """List the installed models (and `wanted`, a folder not among them), selecting `wanted`."""
        self.model_combo.clear()
        for choice in find_local_models(include_store=include_store):
            self.model_combo.addItem(choice.label, choice.spec)
            self.model_combo.setItemData(self.model_combo.count() - 1, choice.spec, Qt.ItemDataRole.ToolTipRole)
        if wanted and self.model_combo.findData(wanted) < 0 and local_model_problem(Path(wanted)) is None:
            self.add_model_folder(wanted, select=False)
        self.model_combo.addItem(self.tr("Choose folder\u2026"), CHOOSE_FOLDER)
        index = self.model_combo.findData(wanted) if wanted else -1
        self.model_combo.setCurrentIndex(index if index >= 0 else 0)

    def select_model(self, spec: str) -> None:
        """Show `spec` as the model (the core chose it) and keep it, when the list has it."""
        index = self.model_combo.findData(spec) if spec else -1
        if index >= 0:
            self.model_combo.setCurrentIndex(index)
            self._needs.settings.setValue(MODEL_SPEC, spec)

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
        folder = QFileDialog.getExistingDirectory(self.window(), self.tr("Choose a faster-whisper model folder"))
        if folder:
            self.add_model_folder(folder)

    def _model_activated(self) -> None:
        if self.model_combo.currentData() == CHOOSE_FOLDER:
            previous = self._needs.settings.value(MODEL_SPEC) or None
            index = self.model_combo.findData(previous) if previous else 0
            self.model_combo.setCurrentIndex(max(index, 0) if self.model_combo.count() > 1 else -1)
            self.choose_model_folder()
            return
        self._model_changed()

    def _model_changed(self) -> None:
        self._needs.settings.setValue(MODEL_SPEC, self.model_spec or "")
        self.request_targets()  # an English-only model cannot translate speech
        self.model_chosen.emit(self.model_spec or "")

    def say_no_model(self) -> None:
        self.banner.show_message(
            self.tr("No speech model found. Download one (File \u2192 Speech models) or choose a folder with a "
                    "faster-whisper model (config.json, model.bin)."),
            "warning", (self.tr("Choose folder\u2026"), self.choose_model_folder))

    def open_model_manager(self) -> None:
        from voicedesk.ui.dialogs.model_manager import open_model_manager

        chosen = open_model_manager(self.window(), model_in_use=self._needs.model_in_use)
        self.fill_models(chosen or self.model_spec)
        if chosen:
            self.add_model_folder(chosen)
