"""Translation in the real window with real argostranslate and test-built (random-weight) packages.

The packages are built by testkit.argos_package in the real .argosmodel format; their output is
gibberish by construction, so these tests check routing, placement and messages, never wording.
"""

from __future__ import annotations

pytest_plugins = ["testkit.argos_package"]

TIMEOUT_MS = 120_000


def _choose(combo, code) -> None:
    index = combo.findData(code)
    assert index >= 0, f"{code!r} not offered: {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def test_translate_to_lists_reachable_languages_and_each_translation_sits_beside_its_sentence(
    argos_home, make_window, tiny_model, speech, qtbot
):
    window = make_window(model=tiny_model)
    qtbot.waitUntil(lambda: window.widgets.choices.language_combo.findData("en") >= 0, timeout=TIMEOUT_MS)
    _choose(window.widgets.choices.language_combo, "en")
    from voicedesk.engine.translation import reachable_targets

    def offered() -> set:
        """The targets that translate now (those that need a pack say so, and are left out here)."""
        combo = window.widgets.choices.target_combo
        return {combo.itemData(i) for i in range(combo.count()) if "needs pack" not in combo.itemText(i)}

    # the dropdown's ready targets mirror what the installed packages (en→de, en→es) reach from English
    expected = {None, *reachable_targets("en")}
    assert {"de", "es"} <= expected and "fr" not in expected
    qtbot.waitUntil(lambda: offered() == expected, timeout=TIMEOUT_MS)
    _choose(window.widgets.choices.target_combo, "de")

    window.open_file(str(speech("jfk_en.flac")))
    qtbot.waitUntil(lambda: not window.is_running, timeout=TIMEOUT_MS)
    sentences = window.session.sentences()   # one row per sentence, translated as a whole
    assert sentences and all(s.translation and s.translation_language == "de" for s in sentences)
    source_doc = window.widgets.panes.source_view.document()
    target_doc = window.widgets.panes.translation_view.document()
    assert source_doc.blockCount() == target_doc.blockCount() == len(sentences)
    for i in range(source_doc.blockCount()):
        assert target_doc.findBlockByNumber(i).text().strip(), f"row {i} has no translation"
        top_s = source_doc.documentLayout().blockBoundingRect(source_doc.findBlockByNumber(i)).top()
        top_t = target_doc.documentLayout().blockBoundingRect(target_doc.findBlockByNumber(i)).top()
        assert abs(top_s - top_t) <= 1.0


def test_a_remembered_target_with_no_installed_package_is_reported_and_transcription_still_works(
    empty_argos_home, make_window, tiny_model, gui_settings, speech, qtbot
):
    gui_settings.setValue("language/spoken", "en")
    gui_settings.setValue("language/target", "de")
    window = make_window(model=tiny_model)
    qtbot.waitUntil(lambda: "Translation to German is not available" in window.widgets.banner.text, timeout=TIMEOUT_MS)
    assert window.widgets.choices.target_code is None

    window.open_file(str(speech("jfk_en.flac")))
    qtbot.waitUntil(lambda: not window.is_running, timeout=TIMEOUT_MS)
    assert "country" in window.widgets.panes.source_text().lower()
    assert window.widgets.panes.translation_text().strip() == ""
