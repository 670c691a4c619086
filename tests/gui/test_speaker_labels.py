"""View -> Label speakers in the real window: one click, remembered (and the number of speakers), the rows say who speaks (in words), and
without the speaker model the user is told how to add it and still gets the text."""

from __future__ import annotations

from testkit.speech import clips, join

RUN_TIMEOUT_MS = 180_000


def test_the_choice_is_one_click_remembered_and_reaches_the_next_run(make_window, gui_settings, tiny_model):
    window = make_window(model=tiny_model)
    assert not window.speakers.enabled and not window.engine_settings().speakers.enabled
    window.speakers.action.trigger()
    assert window.engine_settings().speakers.enabled and window.engine_settings().speakers.count == 0   # Auto
    window.speakers.choose_count(3)
    assert window.engine_settings().speakers.count == 3
    window.close()
    again = make_window(model=tiny_model, settings=gui_settings)
    assert again.speakers.action.isChecked() and again.engine_settings().speakers.enabled
    assert again.engine_settings().speakers.count == 3
    checked = [a.text() for a in again.speakers.count_menu.actions() if a.isChecked()]
    assert checked == ["3"], "the menu shows the number remembered"


def test_without_the_speaker_model_the_banner_says_how_to_add_it(make_window, tiny_model):
    window = make_window(model=tiny_model)
    window.speakers.action.trigger()
    assert "voicedesk models add-speaker" in window.widgets.banner.text


def test_a_corrupt_speaker_model_is_named_the_text_still_comes_and_the_banner_leads_to_the_speaker_model(
        make_window, tiny_model, isolated_data_dir, qtbot):
    from voicedesk.models.speaker_model import speaker_model_path
    from voicedesk.ui.dialogs.model_manager import SPEAKER_ROW, ModelManagerDialog

    broken = speaker_model_path(isolated_data_dir)
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_bytes(b"\x00not an onnx file" * 1000)        # a download cut short, a disk error
    window = make_window(model=tiny_model)
    window.speakers.action.trigger()
    assert window.open_file(str(clips()["jfk_en"].path))
    qtbot.waitUntil(lambda: not window.is_running, timeout=RUN_TIMEOUT_MS)
    assert "ask not what your country" in window.widgets.panes.source_text().lower()
    banner = window.widgets.banner
    assert str(broken) in banner.text and "without speaker labels" in banner.text, banner.text
    assert banner.level == "warning" and banner.action_button.text() == "Speaker model\u2026"
    assert window.widgets.state_label.text() != "No model", "the Whisper model is fine"
    banner.action_button.click()
    dialog = window.speakers.download_dialog
    assert isinstance(dialog, ModelManagerDialog) and dialog.selected_name() == SPEAKER_ROW
    assert dialog.task is None, "the file is there (to delete or replace): nothing is downloaded over it unasked"
    dialog.reject()


def test_a_file_of_two_voices_shows_each_speaker_where_the_speaker_changes(make_window, tiny_model, speaker_model,
                                                                            isolated_data_dir, qtbot, tmp_path):
    from voicedesk.models.speaker_model import install_speaker_model

    install_speaker_model(speaker_model, isolated_data_dir)
    two_voices = join(["jfk_en", "quilter_en"], tmp_path / "two_voices.wav", gap_s=1.5, lead_s=0.5)
    window = make_window(model=tiny_model)
    window.speakers.action.trigger()
    assert window.widgets.banner.text == "", "the model is installed: nothing to say"
    assert window.open_file(str(two_voices.path))
    qtbot.waitUntil(lambda: not window.is_running, timeout=RUN_TIMEOUT_MS)
    qtbot.waitUntil(lambda: "Speaker 2: " in window.widgets.panes.source_text(), timeout=10_000)
    lines = [line for line in window.widgets.panes.source_text().splitlines() if line.strip()]
    assert "Speaker 1: " in lines[0], "the first row names its speaker"
    named = [line for line in lines if "Speaker " in line]
    assert len(named) == 2, "a name only where the speaker changes"
    assert [s.speaker for s in window.session.sentences()][-1] == 2

    # the user names speaker 2 once, in the real dialog: every row, the journal and the export follow
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    from voicedesk.session.journal import recover_session

    def answer_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog), dialog
        assert dialog.textValue() == "Speaker 2"
        dialog.setTextValue("Ana")
        dialog.accept()

    naming = window.editing.speakers
    row = next(i for i, line in enumerate(lines) if "Speaker 2: " in line)
    QTimer.singleShot(0, answer_dialog)
    assert naming.rename_row_speaker(row)
    assert "Ana: " in window.widgets.panes.source_text() and "Speaker 2" not in window.widgets.panes.source_text()
    journal = window.controller.journal.path
    qtbot.waitUntil(lambda: journal is not None and recover_session(journal).speakers.name_map == {2: "Ana"},
                    timeout=10_000)
    written, _ = window.core.export(str(tmp_path / "named.txt"))
    assert "Ana: " in open(written, encoding="utf-8").read()

    # merging is one action from the line's menu: Speaker 1's lines become Ana's
    menu = window.editing.context_menu(window.widgets.panes.source_view.viewport().rect().topLeft())
    merge = next(a.menu() for a in menu.actions() if a.menu() is not None and a.text() == "Merge Speaker 1 into")
    assert [a.text() for a in merge.actions()] == ["Ana"]
    merge.actions()[0].trigger()
    assert {s.speaker for s in window.session.sentences()} == {2}
    assert window.widgets.panes.source_text().count("Ana: ") == 1 and "Speaker 1" not in window.widgets.panes.source_text()
    # and Edit -> Undo (Ctrl+Z) takes the merge back
    window.editing.undo_action.trigger()
    assert [s.speaker for s in window.session.sentences()][-1] == 2 and {s.speaker for s in window.session.sentences()} == {1, 2}
    assert "Speaker 1: " in window.widgets.panes.source_text() and "Ana: " in window.widgets.panes.source_text()
