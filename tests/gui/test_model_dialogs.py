"""The model manager, the language packs dialog and the first-run welcome, each on its own, offscreen,
against loopback HTTP servers standing in for the model hub and the Argos index (no internet here)."""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent

from testkit.argos_package import build_package
from testkit.loopback_http import FakeArgosIndex, FakeHub
from voicedesk.models.argos_index import INDEX_URL_ENV
from voicedesk.models.machine import Recommendation
from voicedesk.models.whisper_store import WhisperModelStore

pytest_plugins = ["testkit.argos_package"]
REPO = "Systran/faster-whisper-tiny.en"


@pytest.fixture
def store(tmp_path, monkeypatch) -> WhisperModelStore:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    return WhisperModelStore(hub_cache=tmp_path / "hub", data_dir=tmp_path / "data", bundled_dir=tmp_path / "bundled")


@pytest.fixture
def hub(tiny_model, monkeypatch):
    with FakeHub({REPO: tiny_model}) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        yield server


def test_model_manager_downloads_with_progress_then_uses_the_model(qtbot, store, hub):
    from voicedesk.ui.dialogs.model_manager import ModelManagerDialog

    dialog = ModelManagerDialog(store=store)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.select("tiny.en") and dialog.status_of("tiny.en") == ""
    values = []
    dialog.progress.valueChanged.connect(values.append)

    qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=60_000)

    assert dialog.status_of("tiny.en") == "installed", dialog.message.text()
    assert values and max(values) == 1000
    assert dialog.use_button.isEnabled()
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen_spec == str(store.installed_path("tiny.en").path)


def test_model_manager_cancel_on_a_slow_server_keeps_the_window_responsive(qtbot, store, hub):
    from voicedesk.ui.dialogs.model_manager import ModelManagerDialog

    hub.behaviour.trickle_bytes = 64 * 1024
    hub.behaviour.trickle_delay_s = 0.05
    dialog = ModelManagerDialog(store=store)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select("tiny.en")
    ticks = []
    timer = QTimer(dialog)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)

    qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.maximum() == 1000 and dialog.progress.value() > 0, timeout=30_000)
    before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) > before + 5, timeout=10_000)     # the GUI thread keeps running
    assert dialog.task is not None and dialog.cancel_button.isVisible()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30_000)

    assert "cancelled" in dialog.message.text()
    assert store.installed_path("tiny.en") is None and store.partial_bytes("tiny.en") == 0
    assert dialog.status_of("tiny.en") == ""


def test_model_manager_says_what_is_wrong_with_a_folder_and_adds_a_good_one(qtbot, store, tmp_path, tiny_model):
    from voicedesk.ui.dialogs.model_manager import ModelManagerDialog

    dialog = ModelManagerDialog(store=store)
    qtbot.addWidget(dialog)
    (tmp_path / "empty").mkdir()

    assert not dialog.add_folder(str(tmp_path / "empty"))
    assert "missing config.json" in dialog.message.text()
    assert dialog.add_folder(str(tiny_model))
    assert dialog.status_of(str(tiny_model.resolve())) == "your folder"


def test_welcome_without_network_says_so_and_takes_a_folder(qtbot, store, tmp_path, tiny_model):
    from voicedesk.ui.dialogs.welcome import NO_NETWORK_TEXT, WelcomeDialog

    dialog = WelcomeDialog(store=store, recommendation=Recommendation("base", "test machine"), probe=lambda: False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.online is False, timeout=10_000)
    assert dialog.network_label.text() == NO_NETWORK_TEXT and dialog.network_label.isVisible()

    (tmp_path / "empty").mkdir()
    assert not dialog.use_folder(str(tmp_path / "empty"))
    assert "not a faster-whisper model folder" in dialog.message.text() and dialog.isVisible()
    assert dialog.use_folder(str(tiny_model))
    assert dialog.chosen_spec == str(tiny_model.resolve()) and store.has_any_model()


def test_welcome_downloads_the_recommended_model(qtbot, store, hub):
    from voicedesk.models.hub import endpoint_reachable
    from voicedesk.ui.dialogs.welcome import WelcomeDialog, maybe_show_welcome

    dialog = WelcomeDialog(store=store, recommendation=Recommendation("tiny.en", "test machine"),
                           probe=endpoint_reachable)                    # HF_ENDPOINT is the loopback hub
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.online is True, timeout=10_000)
    assert not dialog.network_label.isVisible()

    qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=60_000)

    assert dialog.chosen_spec == str(store.installed_path("tiny.en").path)
    assert maybe_show_welcome(store=store) is None                        # a model exists: no welcome


def test_language_packs_drop_a_file_download_from_the_index_and_remove(qtbot, empty_argos_home, tmp_path, monkeypatch):
    from voicedesk.ui.dialogs.language_packs import LanguagePacksDialog

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))        # the saved index and downloads
    en_de = build_package("en", "de")

    def entries(url):
        return [{"type": "translate", "from_code": "en", "to_code": "de", "from_name": "English",
                 "to_name": "German", "package_version": "1.0", "links": [f"{url}/packages/en_de.argosmodel"],
                 "sha256": hashlib.sha256(en_de.read_bytes()).hexdigest()}]

    with FakeArgosIndex({"en_de.argosmodel": en_de}, entries) as index:
        monkeypatch.setenv(INDEX_URL_ENV, f"{index.url}/index.json")
        dialog = LanguagePacksDialog()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.available_list.count() == 1, timeout=20_000)

        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(build_package("es", "en")))])
        drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier)
        dialog.dropEvent(drop)
        assert dialog.installed_pairs() == ["es-en"]

        assert dialog.select_available("en-de")
        qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.task is None and "en-de" in dialog.installed_pairs(), timeout=30_000)
    assert "es → de (through en)" in dialog.reach_label.text()
    assert "installed" in dialog.available_list.item(0).text()

    dialog.load_index()                                                   # the index server is gone now
    qtbot.waitUntil(lambda: dialog.index_task is None, timeout=20_000)
    assert "saved earlier" in dialog.index_label.text() and dialog.available_list.count() == 1

    dialog.installed_list.setCurrentRow(dialog.installed_pairs().index("en-de"))
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.installed_pairs() == ["es-en"] and dialog.changed
