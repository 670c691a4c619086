"""The speaker model in File -> Speech models, and the Label speakers banner that offers it: download with progress
and Cancel, add from a file, delete; the real test model over real HTTP on loopback (`testkit.file_server`,
standing in for sherpa-onnx's GitHub release), the real dialog offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from testkit.file_server import FileServer
from voicedesk.models.speaker_download import URL_ENV
from voicedesk.models.speaker_model import installed_speaker_model, speaker_models_dir
from voicedesk.models.whisper_store import WhisperModelStore

NAME = "campplus.onnx"


@pytest.fixture
def store(tmp_path) -> WhisperModelStore:
    return WhisperModelStore(hub_cache=tmp_path / "hub", data_dir=tmp_path / "data", bundled_dir=tmp_path / "bundled")


@pytest.fixture
def server(speaker_model, monkeypatch):
    with FileServer({NAME: speaker_model.read_bytes()}) as served:
        monkeypatch.setenv(URL_ENV, served.url_of(NAME))
        yield served


def _dialog(qtbot, store):
    from voicedesk.ui.dialogs.model_manager import ModelManagerDialog

    dialog = ModelManagerDialog(store=store)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _left(data_dir: Path) -> list[str]:
    folder = speaker_models_dir(data_dir)
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_the_speaker_row_downloads_with_progress(qtbot, store, server, speaker_model):
    from voicedesk.ui.dialogs.model_manager import SPEAKER_ROW

    dialog = _dialog(qtbot, store)
    assert dialog.select(SPEAKER_ROW) and dialog.status_of(SPEAKER_ROW) == ""
    assert dialog.add_file_button.isVisible() and not dialog.add_folder_button.isVisible()
    assert dialog.download_button.isEnabled() and not dialog.use_button.isEnabled()
    values = []
    dialog.progress.valueChanged.connect(values.append)

    qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30_000)

    assert dialog.status_of(SPEAKER_ROW) == "installed", dialog.message.text()
    assert "speaker model is ready" in dialog.message.text()
    assert values and max(values) == 1000
    assert installed_speaker_model(store.data_dir).read_bytes() == speaker_model.read_bytes()
    assert not dialog.download_button.isEnabled() and not dialog.use_button.isEnabled()
    assert dialog.delete_button.isEnabled()
    dialog.select("tiny.en")                      # the Whisper rows keep their own buttons
    assert dialog.add_folder_button.isVisible() and not dialog.add_file_button.isVisible()


def test_cancel_on_a_slow_server_keeps_nothing(qtbot, store, server):
    from voicedesk.ui.dialogs.model_manager import SPEAKER_ROW

    server.behaviour.trickle_bytes = 64 * 1024
    server.behaviour.trickle_delay_s = 0.02
    dialog = _dialog(qtbot, store)
    dialog.select(SPEAKER_ROW)

    qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.maximum() == 1000 and dialog.progress.value() > 0, timeout=15_000)
    assert dialog.cancel_button.isVisible() and not dialog.add_file_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=15_000)

    assert "cancelled" in dialog.message.text()
    assert dialog.status_of(SPEAKER_ROW) == "" and _left(store.data_dir) == []


def test_add_from_file_refuses_junk_then_installs_and_delete_removes(qtbot, store, speaker_model, tmp_path):
    from voicedesk.ui.dialogs.model_manager import SPEAKER_ROW

    dialog = _dialog(qtbot, store)
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"not a model" * 1000)

    assert not dialog.add_speaker_file(str(junk))
    assert "not a readable ONNX model" in dialog.message.text() and dialog.status_of(SPEAKER_ROW) == ""
    assert dialog.add_speaker_file(str(speaker_model))
    assert dialog.status_of(SPEAKER_ROW) == "installed" and dialog.selected_name() == SPEAKER_ROW
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert dialog.status_of(SPEAKER_ROW) == "" and installed_speaker_model(store.data_dir) is None


def test_the_label_speakers_banner_downloads_the_model(make_window, tiny_model, isolated_data_dir, speaker_model,
                                                       qtbot, monkeypatch):
    with FileServer({}) as gone:
        unreachable = gone.url_of(NAME)
    monkeypatch.setenv(URL_ENV, unreachable)
    window = make_window(model=tiny_model)
    window.speakers.action.trigger()
    banner = window.widgets.banner
    assert banner.action_button.isVisible() and banner.action_button.text() == "Download speaker model"

    # offline: the dialog says what to do in one line; closed, the banner offers the download again
    qtbot.mouseClick(banner.action_button, Qt.MouseButton.LeftButton)
    dialog = window.speakers.download_dialog
    qtbot.waitUntil(lambda: dialog.task is None, timeout=15_000)
    assert "Cannot reach 127.0.0.1" in dialog.message.text() and "add-speaker" in dialog.message.text()
    dialog.reject()
    assert banner.action_button.isVisible() and "speaker model" in banner.text

    with FileServer({NAME: speaker_model.read_bytes()}) as server:
        monkeypatch.setenv(URL_ENV, server.url_of(NAME))
        qtbot.mouseClick(banner.action_button, Qt.MouseButton.LeftButton)
        assert window.speakers.download_dialog is dialog and dialog.isVisible()
        qtbot.waitUntil(lambda: dialog.task is None, timeout=30_000)
    assert installed_speaker_model(isolated_data_dir) is not None, dialog.message.text()
    dialog.reject()
    assert banner.text == "", "installed: nothing more to say"
