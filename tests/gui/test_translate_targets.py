"""The Translate-to list in the real window: what each target needs, the model's languages, the engine choice.

Argos packages are the suite's test-built ones (es→en, en→de, en→es, see testkit.argos_package);
the Whisper models are the real tiny.en (English-only) and base (multilingual) test models.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from voicedesk.engine.events import FinalSegment, Translation
from voicedesk.engine.translation.plan import english_only_model_message
from voicedesk.models.choices import is_multilingual_model, vocabulary_size
from voicedesk.ui.window.translate_targets import TargetsRequest, build_options

TIMEOUT_MS = 120_000
INSTALLED = [("es", "en"), ("en", "de"), ("en", "es")]


# ---- pure helpers ----

def test_the_vocabulary_tells_a_multilingual_model_from_an_english_only_one(base_model, tiny_en_model, tmp_path):
    assert vocabulary_size(Path(base_model)) == 51865 and is_multilingual_model(base_model)
    assert vocabulary_size(Path(tiny_en_model)) == 51864 and not is_multilingual_model(tiny_en_model)
    # a folder with only tokenizer.json (no vocabulary.txt) still answers, and the folder's name is not trusted
    for model, multilingual in ((base_model, True), (tiny_en_model, False)):
        folder = tmp_path / ("looks.en" if multilingual else "looks-multilingual")
        folder.mkdir()
        (folder / "tokenizer.json").write_bytes((Path(model) / "tokenizer.json").read_bytes())
        assert is_multilingual_model(str(folder)) is multilingual
    # catalogue names, and hub snapshots with no vocabulary file, go by the name
    assert not is_multilingual_model("tiny.en") and is_multilingual_model("small")
    assert not is_multilingual_model(str(tmp_path / "models--Systran--faster-whisper-base.en" / "snapshots" / "x"))


def test_a_wanted_target_nothing_reaches_is_listed_with_the_pack_it_needs():
    request = TargetsRequest(source=None, model="base", wanted="fr")
    options = {o.code: o for o in build_options(request, multilingual=True, pairs=INSTALLED)}
    assert options["en"].ready and options["en"].hint == "no download"
    assert options["de"].ready and options["de"].hint == "installed"
    assert not options["fr"].ready and options["fr"].hint == "needs pack en-fr"
    # an English-only model never offers English (it hears only English), wanted or not
    english_only = build_options(TargetsRequest("en", "tiny.en", wanted="en"), multilingual=False, pairs=INSTALLED)
    assert "en" not in {o.code for o in english_only}


# ---- the real window ----

def _items(window) -> list[str]:
    return [window.widgets.choices.target_combo.itemText(i) for i in range(window.widgets.choices.target_combo.count())]


def _settle(window, qtbot) -> None:
    """Wait for the model load to end: a process that exits while CTranslate2 loads one aborts."""
    qtbot.waitUntil(lambda: window.widgets.state_label.text() == "Ready", timeout=TIMEOUT_MS)


@pytest.fixture
def cached_index(tmp_path, monkeypatch) -> Path:
    """A cached Argos package index (as File → Language packs leaves it) listing en→fr; never the network."""
    path = tmp_path / "argos-index.json"
    path.write_text(json.dumps([{
        "type": "translate", "from_code": "en", "to_code": "fr", "from_name": "English", "to_name": "French",
        "package_version": "1.9", "links": ["https://example.invalid/translate-en_fr-1_9.argosmodel"]}]))
    monkeypatch.setattr("voicedesk.models.argos_index.default_cache_file", lambda: path)
    return path


def test_a_multilingual_model_offers_english_with_no_download_and_an_english_only_one_does_not(
    argos_home, make_window, base_model, tiny_en_model, gui_settings, qtbot, tmp_path
):
    window = make_window(model=Path(base_model))
    qtbot.waitUntil(lambda: "English \u2014 no download" in _items(window), timeout=TIMEOUT_MS)
    assert {"German \u2014 installed", "Spanish \u2014 installed"} <= set(_items(window))
    assert _items(window)[0] == "None"

    # switching to tiny.en (as the user would) recomputes the list: no English, the packs stay
    window.widgets.choices.model_combo.setCurrentIndex(window.widgets.choices.model_combo.findData(str(Path(tiny_en_model).resolve())))
    window.widgets.choices._model_changed()
    qtbot.waitUntil(lambda: not any(t.startswith("English") for t in _items(window)), timeout=TIMEOUT_MS)
    assert "German \u2014 installed" in _items(window)
    _settle(window, qtbot)


def test_english_remembered_with_an_english_only_model_says_why_plainly(
    argos_home, make_window, tiny_en_model, gui_settings, qtbot
):
    gui_settings.setValue("language/target", "en")
    window = make_window(model=Path(tiny_en_model))
    expected = english_only_model_message("tiny.en")
    qtbot.waitUntil(lambda: window.widgets.banner.text == expected, timeout=TIMEOUT_MS)
    assert window.widgets.choices.target_code is None and window.engine_settings().translation.target is None
    _settle(window, qtbot)


def test_picking_a_target_that_needs_a_pack_says_what_to_install_and_keeps_translation_off(
    argos_home, cached_index, make_window, base_model, qtbot, monkeypatch
):
    window = make_window(model=Path(base_model))
    qtbot.waitUntil(lambda: "French \u2014 needs pack en-fr" in _items(window), timeout=TIMEOUT_MS)
    # ready targets come first, the ones that need a pack after them
    items = _items(window)
    assert items.index("French \u2014 needs pack en-fr") > items.index("Spanish \u2014 installed")

    window.widgets.choices.target_combo.setCurrentIndex(items.index("French \u2014 needs pack en-fr"))
    assert "voicedesk languages install en-fr" in window.widgets.banner.text
    assert window.widgets.choices.chosen_target == "fr"
    assert window.widgets.choices.target_code is None and window.engine_settings().translation.target is None

    # a ready target turns translation on, and the message goes
    window.widgets.choices.target_combo.setCurrentIndex(_items(window).index("German \u2014 installed"))
    assert window.widgets.choices.target_code == "de" and window.engine_settings().translation.target == "de"
    assert not window.widgets.banner.isVisible()

    # back to French: the banner's action opens File → Language packs
    window.widgets.choices.target_combo.setCurrentIndex(_items(window).index("French \u2014 needs pack en-fr"))
    assert "voicedesk languages install en-fr" in window.widgets.banner.text and window.widgets.choices.target_code is None
    opened = []
    monkeypatch.setattr("voicedesk.ui.dialogs.language_packs.open_language_packs",
                        lambda parent=None: opened.append(parent) or False)
    assert window.widgets.banner.action_button.text() == "Language packs\u2026"
    qtbot.mouseClick(window.widgets.banner.action_button, Qt.MouseButton.LeftButton)
    assert opened == [window]
    _settle(window, qtbot)


def test_the_translation_engine_choice_is_a_menu_that_persists_and_reaches_the_engine_settings(
    argos_home, make_window, base_model, gui_settings, qtbot
):
    window = make_window(model=Path(base_model))
    qtbot.waitUntil(lambda: "English \u2014 no download" in _items(window), timeout=TIMEOUT_MS)
    labels = [a.text().replace("&", "") for a in window.menus.engine_menu.actions()]
    assert labels == ["Auto", "Whisper", "Argos"] and window.translation_engine == "auto"

    argos = next(a for a in window.menus.engine_menu.actions() if a.data() == "argos")
    argos.trigger()
    assert window.engine_settings().translation.engine == "argos"
    assert gui_settings.value("translation/engine") == "argos"
    # Argos translates text only: Whisper's speech→English is no longer on offer
    qtbot.waitUntil(lambda: "English \u2014 no download" not in _items(window), timeout=TIMEOUT_MS)

    _settle(window, qtbot)
    window.close()
    qtbot.waitUntil(lambda: window._closed, timeout=30_000)
    again = make_window(model=Path(base_model))
    assert again.translation_engine == "argos"
    _settle(again, qtbot)


def test_a_restored_session_shows_one_row_per_sentence_with_its_translation(make_window, qtbot):
    from voicedesk.session.journal import Journal, journal_dir

    journal = Journal.open_new({"model": "tiny.en"}, folder=journal_dir())
    for event in (
        FinalSegment(0, "So what I", 0.0, 1.0, "en"),
        FinalSegment(1, "wanted to say", 1.4, 2.2, "en", sentence_id=0),
        FinalSegment(2, "is this.", 2.6, 3.5, "en", sentence_id=0),
        Translation(0, "Was ich sagen wollte, ist dies.", "en", "de", 0.0, 3.5, segment_ids=(0, 1, 2)),
        FinalSegment(3, "Next one.", 6.0, 7.0, "en"),
    ):
        journal.append(event)
    journal._close_fd()  # as a crash leaves it
    window = make_window()
    qtbot.waitUntil(lambda: window.widgets.restore_banner.isVisible(), timeout=TIMEOUT_MS)
    assert window.recovery.restore()

    source, target = window.widgets.panes.source_view.document(), window.widgets.panes.translation_view.document()
    assert source.blockCount() == target.blockCount() == 2
    assert source.findBlockByNumber(0).text().endswith("So what I wanted to say is this.")
    assert target.findBlockByNumber(0).text().endswith("Was ich sagen wollte, ist dies.")
    assert target.findBlockByNumber(1).text() == ""
    _settle(window, qtbot)
