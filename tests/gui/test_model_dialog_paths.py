"""File → Speech models and File → Language packs with folders and packs that must not be trusted (issue 20,
items 2 and 4): deleting a model whose folder is a link elsewhere deletes nothing and says why; a pack's
codes never render as rich text in the dialog's labels. Real dialogs, offscreen, real files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6 import QtGui

from testkit.argos_package import build_package, install_package
from testkit.argos_repack import repack
from voicedesk.models.whisper_store import WhisperModelStore

pytest_plugins = ["testkit.argos_package"]


def test_deleting_a_model_whose_folder_links_elsewhere_deletes_nothing_and_says_why(qtbot, tmp_path):
    from voicedesk.ui.dialogs.model_manager import ModelManagerDialog

    # tiny.en "installed" in the hub cache through a link to the user's own copy of a hub repository
    own = tmp_path / "my copy <b>of</b> tiny"
    (own / "refs").mkdir(parents=True)
    (own / "refs" / "main").write_text("abc123")
    (own / "snapshots" / "abc123").mkdir(parents=True)
    for name in ("config.json", "model.bin", "tokenizer.json"):
        (own / "snapshots" / "abc123" / name).write_text(name)
    store = WhisperModelStore(hub_cache=tmp_path / "hub", data_dir=tmp_path / "data", bundled_dir=tmp_path / "bundled")
    store.hub_cache.mkdir()
    os.symlink(own, store.hub_cache / "models--Systran--faster-whisper-tiny.en")
    dialog = ModelManagerDialog(store=store)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.select("tiny.en") and dialog.status_of("tiny.en") == "installed"

    dialog.delete_button.click()

    message = dialog.message.text()
    assert "leads outside" in message and "nothing was deleted" in message, message
    assert dialog.message.textFormat() == Qt.TextFormat.PlainText      # the folder's "<b>" is text, not markup
    assert (own / "snapshots" / "abc123" / "model.bin").is_file()
    assert dialog.status_of("tiny.en") == "installed"


@pytest.fixture
def markup_pack(tmp_path) -> Path:
    return repack(build_package("en", "de"), tmp_path / "markup.argosmodel", folder="translate-markup",
                  from_code="<b>y</b>")


def test_pack_codes_never_render_as_rich_text(qtbot, empty_argos_home, markup_pack, tmp_path, monkeypatch):
    from voicedesk.ui.dialogs.language_packs import LanguagePacksDialog

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    install_package(build_package("es", "en"))
    install_package(markup_pack)          # put there by argostranslate's own installer, bypassing ours
    dialog = LanguagePacksDialog(fetch_on_open=False)
    qtbot.addWidget(dialog)
    dialog.show()

    assert dialog.installed_pairs() == ["es-en"]                      # the "<b>y</b>" pack is not listed
    assert "<b>" not in dialog.reach_label.text()

    assert dialog.install_files([str(markup_pack)]) == 0              # and installing it again is refused
    message = dialog.message.text()
    assert "not language codes" in message and "<b>y</b>" in message, message
    assert QtGui.Qt.mightBeRichText(message)                             # would render as markup in an AutoText label
    for label in (dialog.message, dialog.reach_label, dialog.index_label):
        assert label.textFormat() == Qt.TextFormat.PlainText
