"""Edit -> Preferences and Edit -> Vocabulary on the real window: saved, reset, and used by the next Start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from voicedesk.session.preferences import Preferences
from voicedesk.session.vocabulary_store import vocabulary_path
from voicedesk.ui.dialogs.preferences import PreferencesDialog

OPEN_TIMEOUT_MS = 120_000


def while_open(window, act) -> None:
    """Run `act(dialog)` once the Edit-menu dialog the next call opens is showing (its exec() blocks)."""

    def poll() -> None:
        dialog = window.preferences.dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, poll)
            return
        act(dialog)

    QTimer.singleShot(0, poll)


def press(qtbot, dialog, button: QDialogButtonBox.StandardButton) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)


def record_starts(window) -> list:
    """The EngineSettings each Start hands the real controller (which then runs them)."""
    seen = []
    start = window.controller.start

    def recording(settings, source_factory, numbering):
        seen.append(settings)
        start(settings, source_factory, numbering)

    window.controller.start = recording
    return seen


def test_saved_preferences_are_used_by_the_next_start_and_by_a_new_window(make_window, tiny_model, speech, qtbot,
                                                                          tmp_path, gui_settings):
    window = make_window(model=tiny_model)
    journals = tmp_path / "my journals"

    def edit(dialog) -> None:
        dialog.device_combo.setCurrentIndex(dialog.device_combo.findData("cpu"))
        dialog.compute_combo.setCurrentIndex(dialog.compute_combo.findData("int8"))
        dialog.beam_spin.setValue(2)
        dialog.partial_spin.setValue(0.5)
        dialog.vad_spin.setValue(0.6)
        dialog.end_silence_spin.setValue(0.8)
        dialog.automatic_check.setChecked(True)
        dialog.journal_edit.setText(str(journals))
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("vtt"))
        dialog.content_combo.setCurrentIndex(dialog.content_combo.findData("both"))
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)

    while_open(window, edit)
    assert window.preferences.open_preferences() is True
    assert gui_settings.value("engine/beam_size") in (2, "2")
    assert gui_settings.value("export/format") == "vtt" and gui_settings.value("export/content") == "both"
    assert window.widgets.overload_offer.automatic.isChecked() and window.core.automatic_lighter

    starts = record_starts(window)
    assert window.open_file(str(speech("jfk_en.flac")))
    qtbot.waitUntil(lambda: not window.is_running, timeout=OPEN_TIMEOUT_MS)
    (used,) = starts
    assert (used.device, used.compute_type, used.decoding.beam_size, used.streaming.partial_interval_s,
            used.gate.threshold, used.gate.end_silence_s) == ("cpu", "int8", 2, 0.5, 0.6, 0.8)
    assert used.model == str(tiny_model)                     # the dropdowns' choices are kept
    assert "country" in window.widgets.panes.source_text().lower()   # and the run with them transcribed
    assert list(journals.glob("*.jsonl")), "the session is journaled in the chosen folder"

    window.close()
    qtbot.waitUntil(lambda: window._closed, timeout=30_000)
    again = make_window(settings=gui_settings)
    settings = again.engine_settings()
    assert (settings.device, settings.decoding.beam_size, settings.gate.end_silence_s) == ("cpu", 2, 0.8)
    assert again.preferences.current.journal_folder == str(journals)


def test_reset_to_defaults_fills_the_form_and_cancel_keeps_what_was_saved(make_window, qtbot, gui_settings):
    window = make_window()
    window.preferences.save(Preferences(beam_size=3, end_silence_s=1.2, export_format="txt"))
    seen = {}

    def reset_then_cancel(dialog) -> None:
        seen["opened"] = dialog.edited()
        press(qtbot, dialog, QDialogButtonBox.StandardButton.RestoreDefaults)
        seen["reset"] = dialog.edited()
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)

    while_open(window, reset_then_cancel)
    assert window.preferences.open_preferences() is False
    assert (seen["opened"].beam_size, seen["opened"].end_silence_s, seen["opened"].export_format) == (3, 1.2, "txt")
    assert seen["reset"] == Preferences()
    assert window.engine_settings().decoding.beam_size == 3 and gui_settings.value("engine/end_silence_s") in (1.2, "1.2")

    def reset_then_ok(dialog) -> None:
        press(qtbot, dialog, QDialogButtonBox.StandardButton.RestoreDefaults)
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)

    while_open(window, reset_then_ok)
    assert window.preferences.open_preferences() is True
    assert window.engine_settings().decoding.beam_size == Preferences().beam_size
    assert window.preferences.current == Preferences()


def test_every_setting_is_labelled_and_explained(qtbot):
    dialog = PreferencesDialog(Preferences(), gpu=(False, "No CUDA GPU found"))
    qtbot.addWidget(dialog)
    fields = dialog.fields()
    assert len(fields) == 10
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy() is not None}
    for field in fields:
        assert field.accessibleName(), field
        assert len(field.accessibleDescription()) > 20, field     # its one-line explanation
        assert field in buddies or field is dialog.automatic_check, f"{field.accessibleName()} has no label"
    assert dialog.reset_button.text().replace("&", "") == "Reset to defaults"
    # Tab walks the form top to bottom, as it reads
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.device_combo.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.device_combo)
    reached = [dialog.device_combo]
    while len(reached) < 14:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert [w for w in reached if w in fields] == fields
    assert reached.index(dialog.journal_browse) == reached.index(dialog.journal_edit) + 1


def test_the_gpu_is_offered_only_when_ctranslate2_sees_one_and_says_why_not(qtbot):
    from voicedesk.session.preferences import gpu_status

    def cuda_item(dialog):
        return dialog.device_combo.model().item(dialog.device_combo.findData("cuda"))

    # as CTranslate2 itself answers on this machine
    usable, _ = gpu_status()
    real = PreferencesDialog(Preferences(device="cuda"))
    qtbot.addWidget(real)
    assert cuda_item(real).isEnabled() is usable
    # both answers, stated to the dialog as gpu_status() gives them (CI machines have no GPU)
    without = PreferencesDialog(Preferences(device="cuda"), gpu=(False, "No CUDA GPU found: Whisper runs on the CPU."))
    qtbot.addWidget(without)
    assert not cuda_item(without).isEnabled()
    assert "No CUDA GPU found" in cuda_item(without).toolTip()
    assert "No CUDA GPU found" in without.device_combo.accessibleDescription()
    assert without.edited().device == "auto"         # a saved GPU choice that cannot run falls back
    with_gpu = PreferencesDialog(Preferences(device="cuda"), gpu=(True, "1 CUDA device(s) found."))
    qtbot.addWidget(with_gpu)
    assert cuda_item(with_gpu).isEnabled() and with_gpu.edited().device == "cuda"


def test_a_journal_folder_that_cannot_be_used_keeps_the_dialog_open_with_the_reason(qtbot, tmp_path):
    dialog = PreferencesDialog(Preferences(), gpu=(False, ""))
    qtbot.addWidget(dialog)
    dialog.show()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    dialog.journal_edit.setText(str(blocker / "journal"))
    press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.isVisible() and dialog.result() == 0
    assert "is a file" in dialog.problem_label.text() and dialog.problem_label.isVisible()
    assert dialog.journal_edit.text() == str(blocker / "journal")      # nothing typed is lost
    dialog.journal_edit.setText(str(tmp_path / "journal"))
    press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert not dialog.isVisible() and dialog.preferences().journal_folder == str(tmp_path / "journal")


def test_the_vocabulary_is_edited_saved_as_a_file_and_given_to_the_next_start(make_window, tiny_model, qtbot):
    window = make_window(model=tiny_model)
    assert window.preferences.preferences_action.shortcut().toString() == "Ctrl+,"
    status = {}

    def edit(dialog) -> None:
        dialog.editor.setPlainText("# people\nZbigniew Kowalczyk\nQuorvex  # product\nquorvex\n")
        status["text"] = dialog.status_label.text()
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Save)

    while_open(window, edit)
    assert window.preferences.open_vocabulary() is True
    assert "2 term" in status["text"] and "Duplicates left out: 1." in status["text"]
    assert vocabulary_path().read_text(encoding="utf-8") == "Zbigniew Kowalczyk\nQuorvex\n"
    assert window.engine_settings().vocabulary.terms == ("Zbigniew Kowalczyk", "Quorvex")


def test_a_vocabulary_that_does_not_fit_the_prompt_says_which_terms_are_left_out(make_window, tiny_model, qtbot):
    window = make_window(model=tiny_model)
    names = [f"Brzęczyszczykiewicz{i}" for i in range(20)]
    status = {}

    def edit(dialog) -> None:
        dialog.editor.setPlainText("\n".join(names))
        status["text"] = dialog.status_label.text()
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)

    while_open(window, edit)
    assert window.preferences.open_vocabulary() is False
    assert "not used" in status["text"] and names[-1] in status["text"] and names[0] + "," not in status["text"]
    assert not vocabulary_path().exists() and window.engine_settings().vocabulary.terms == ()


def test_a_vocabulary_that_cannot_be_saved_keeps_the_text_and_says_why(make_window, qtbot, isolated_data_dir):
    isolated_data_dir.parent.mkdir(parents=True, exist_ok=True)
    isolated_data_dir.write_text("a file where the data folder should be")
    window = make_window()
    seen = {}

    def edit(dialog) -> None:
        dialog.editor.setPlainText("Quorvex\n")
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Save)
        seen["visible"], seen["status"], seen["text"] = (dialog.isVisible(), dialog.status_label.text(),
                                                         dialog.editor.toPlainText())
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)

    while_open(window, edit)
    assert window.preferences.open_vocabulary() is False
    assert seen["visible"] and seen["text"] == "Quorvex\n"
    assert "Cannot save the vocabulary" in seen["status"] and str(Path(isolated_data_dir)) in seen["status"]


def test_saving_preferences_after_an_export_keeps_the_format_the_export_used(make_window, qtbot, tmp_path,
                                                                             gui_settings):
    """The export and Preferences share the export defaults: each write goes through one owner, never stale."""
    from voicedesk.engine.events import FinalSegment

    window = make_window()
    window.controller.final.emit(FinalSegment(0, "We choose to go to the moon.", 0.0, 2.0, "en"))
    qtbot.waitUntil(lambda: not window.session.is_empty, timeout=5_000)
    assert window.export_to(str(tmp_path / "moon.vtt"), "vtt", "source")

    def change_the_beam(dialog) -> None:
        dialog.beam_spin.setValue(3)
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)

    while_open(window, change_the_beam)
    assert window.preferences.open_preferences()
    gui_settings.sync()
    assert gui_settings.value("export/format") == "vtt", "Preferences wrote an old export format back"
    assert window.preferences.current.export_format == "vtt"
    assert str(gui_settings.value("engine/beam_size")) == "3"


def test_the_overload_checkbox_and_preferences_agree_on_the_automatic_choice(make_window, qtbot, gui_settings):
    window = make_window()
    window.widgets.overload_offer.automatic.setChecked(True)
    assert window.preferences.current.automatic_lighter and window.core.automatic_lighter

    def change_the_beam(dialog) -> None:
        assert dialog.automatic_check.isChecked()
        dialog.beam_spin.setValue(4)
        press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)

    while_open(window, change_the_beam)
    assert window.preferences.open_preferences()
    gui_settings.sync()
    assert gui_settings.value("overload/automatic") in (True, "true")
