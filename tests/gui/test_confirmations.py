"""What cannot be undone asks first, in the real window: quitting with unexported text, and deleting the
model a run is using. (Discarding an unfinished session can be undone: tests/gui/test_session_recovery.py.)

The questions are real modal QMessageBoxes, answered by clicking their buttons as a user would.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from voicedesk.models.whisper_store import WhisperModelStore
from voicedesk.session.journal import find_unfinished, journal_dir
from voicedesk.ui.window.main_window import MainWindow

REAL_CONFIRM_QUIT = MainWindow.confirm_quit   # before tests/gui/conftest.py answers it for every other test
RUN_TIMEOUT_MS = 120_000


def answer_next_question(button_text: str) -> list[str]:
    """Click `button_text` in the next modal message box; the question it asked is put in the list returned."""
    asked: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, click)
    return asked


def _window_with_unexported_text(make_window, tiny_model, speech, qtbot, monkeypatch):
    monkeypatch.setattr(MainWindow, "confirm_quit", REAL_CONFIRM_QUIT)
    window = make_window(model=tiny_model)
    assert window.open_file(str(speech("jfk_en.flac")))
    qtbot.waitUntil(lambda: not window.is_running, timeout=RUN_TIMEOUT_MS)
    assert window.session.has_unexported_changes
    qtbot.waitUntil(lambda: any(journal_dir().glob("*.jsonl")), timeout=10_000)
    return window


def test_fault6_quitting_with_unexported_text_asks_and_cancel_or_a_cancelled_export_keeps_the_window(
    make_window, tiny_model, speech, qtbot, monkeypatch, tmp_path
):
    window = _window_with_unexported_text(make_window, tiny_model, speech, qtbot, monkeypatch)
    asked = answer_next_question("Cancel")
    window.close()
    assert asked and "not exported" in asked[0]
    assert not window._closed and window.isVisible() and "country" in window.widgets.panes.source_text().lower()

    exports: list[bool] = []
    monkeypatch.setattr(window, "export_dialog", lambda: exports.append(False) or False)   # the user cancels it
    answer_next_question("Export\u2026")
    window.close()
    assert exports == [False] and not window._closed and window.isVisible()

    monkeypatch.setattr(window, "export_dialog", lambda: window.export_to(str(tmp_path / "talk.srt")))
    answer_next_question("Export\u2026")
    window.close()
    qtbot.waitUntil(lambda: window._closed, timeout=30_000)
    assert "country" in (tmp_path / "talk.srt").read_text().lower()
    assert find_unfinished() == [], "exported: nothing to offer next time"


def test_fault6_quit_without_saving_closes_and_leaves_nothing_to_restore(
    make_window, tiny_model, speech, qtbot, monkeypatch
):
    window = _window_with_unexported_text(make_window, tiny_model, speech, qtbot, monkeypatch)
    asked = answer_next_question("Quit without saving")
    window.close()
    qtbot.waitUntil(lambda: window._closed, timeout=30_000)
    assert asked
    assert list(journal_dir().glob("*.jsonl")) == [], "the user said not to keep it"


def test_a_window_with_everything_exported_closes_without_asking(make_window, tiny_model, speech, qtbot,
                                                                 monkeypatch, tmp_path):
    window = _window_with_unexported_text(make_window, tiny_model, speech, qtbot, monkeypatch)
    assert window.export_to(str(tmp_path / "talk.txt"))
    monkeypatch.setattr(window, "confirm_quit", lambda: (_ for _ in ()).throw(AssertionError("asked")))
    window.close()
    qtbot.waitUntil(lambda: window._closed, timeout=30_000)


def test_fault6_the_model_a_run_uses_cannot_be_deleted_until_the_run_ends(qtbot, tmp_path, tiny_model):
    from voicedesk.ui.dialogs.model_manager import ModelManagerDialog

    store = WhisperModelStore(hub_cache=tmp_path / "hub", data_dir=tmp_path / "data", bundled_dir=tmp_path / "bundled")
    installed = store.app_models_dir / "tiny.en"          # installed in the app's own models folder
    installed.mkdir(parents=True)
    for item in tiny_model.iterdir():
        if item.is_file():
            os.symlink(item, installed / item.name)        # deleting removes the links, never the test model
    in_use = [str(installed.resolve())]
    dialog = ModelManagerDialog(store=store, model_in_use=lambda: in_use[0])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.select("tiny.en") and dialog.delete_button.isEnabled()

    dialog.delete_button.click()
    assert "in use" in dialog.message.text() and "Stop it first" in dialog.message.text()
    assert store.installed_path("tiny.en") is not None, "nothing deleted under the running transcription"

    in_use[0] = None                                        # the run ended
    dialog.delete_button.click()
    assert store.installed_path("tiny.en") is None and "Deleted" in dialog.message.text()
    assert (tiny_model / "model.bin").is_file()
