"""Fixing the transcript in the real window: a real file transcribed by tiny.en, then edited, split, merged,
searched, journaled and exported; typed text translated with test-built Argos packs (random weights:
their output is gibberish by construction, so only its presence and its place are checked)."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from voicedesk.session.journal import recover

pytest_plugins = ["testkit.argos_package"]

TIMEOUT_MS = 120_000


def transcribed(make_window, tiny_model, speech, qtbot, settings=None):
    window = make_window(model=tiny_model, settings=settings)
    assert window.open_file(str(speech("jfk_en.flac")))
    qtbot.waitUntil(lambda: not window.is_running, timeout=TIMEOUT_MS)
    assert window.session.sentences(), "tiny.en heard nothing in jfk_en.flac"
    return window


def row_point(view, row: int, column: int = 0) -> QPoint:
    """Viewport coordinates of a character of row `row` (the time stamp's first one by default)."""
    block = view.document().findBlockByNumber(row)
    cursor = view.textCursor()
    cursor.setPosition(block.position() + column)
    return view.cursorRect(cursor).center()


def action_named(menu, text: str):
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def test_a_final_edited_in_place_shows_is_journaled_and_goes_into_every_export(
        make_window, tiny_model, speech, qtbot, tmp_path):
    window = transcribed(make_window, tiny_model, speech, qtbot)
    view = window.widgets.panes.source_view
    first = window.session.sentences()[0]

    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_point(view, 0))
    editor = window.editing.line_editor
    assert editor.isVisible() and editor.text() == first.text
    editor.clear()
    qtbot.keyClicks(editor, "And so, my fellow Martians, ask not.")
    qtbot.keyClick(editor, Qt.Key.Key_Return)

    assert not editor.isVisible()
    assert "fellow Martians, ask not." in view.document().findBlockByNumber(0).text()
    edited = window.session.sentences()[0]
    assert edited.text == "And so, my fellow Martians, ask not." and edited.edited
    assert (edited.start, edited.end) == (first.start, first.end)

    # durable: the journal holds the edit (written on the controller's thread)
    qtbot.waitUntil(lambda: window.controller.journal.path is not None, timeout=10_000)
    qtbot.waitUntil(lambda: any(s.edited for s in recover(window.controller.journal.path)), timeout=10_000)
    assert "Martians" in " ".join(s.text for s in recover(window.controller.journal.path))

    for fmt in ("txt", "srt", "vtt", "json"):
        out = tmp_path / f"edited.{fmt}"
        assert window.export_to(str(out), fmt)
        assert "Martians" in out.read_text(encoding="utf-8"), fmt
    assert json.loads((tmp_path / "edited.json").read_text())["sentences"][0]["edited"] is True

    # Esc drops what was typed
    assert window.editing.edit_row(0)
    qtbot.keyClicks(editor, "lost")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert window.session.sentences()[0].text == "And so, my fellow Martians, ask not."


def test_split_here_merge_with_next_and_undo_from_the_context_menu_and_the_keyboard(
        make_window, tiny_model, speech, qtbot):
    window = transcribed(make_window, tiny_model, speech, qtbot)
    view = window.widgets.panes.source_view
    before = [s.text for s in window.session.sentences()]
    rows = view.document().blockCount()
    words = before[0].split()
    assert len(words) >= 4

    # right-click between the 2nd and 3rd words of the first line: "Split here"
    prefix = len(window.widgets.panes.prefix(0))
    column = prefix + len(" ".join(words[:2])) + 1
    menu = window.editing.context_menu(row_point(view, 0, column))
    action_named(menu, "Split here").trigger()
    texts = [s.text for s in window.session.sentences()]
    assert texts[:2] == [" ".join(words[:2]), " ".join(words[2:])]
    assert view.document().blockCount() == rows + 1
    assert view.document().findBlockByNumber(1).text().endswith(" ".join(words[2:]))
    first, second = window.session.sentences()[:2]
    assert first.end == second.start and first.start < first.end < second.end

    # Merge with next, from the keyboard: the caret on row 0, Edit menu action
    cursor = view.textCursor()
    cursor.setPosition(view.document().findBlockByNumber(0).position())
    view.setTextCursor(cursor)
    view.setFocus()
    window.editing.merge_action.trigger()
    assert [s.text for s in window.session.sentences()] == before
    assert view.document().blockCount() == rows

    # Ctrl+Z takes back the merge (one level)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.text for s in window.session.sentences()][:2] == [" ".join(words[:2]), " ".join(words[2:])]
    assert not window.editing.editor.can_undo


def test_find_searches_both_panes_with_next_previous_and_a_count(
        argos_home, make_window, tiny_model, speech, qtbot, gui_settings):
    gui_settings.setValue("language/spoken", "en")
    gui_settings.setValue("language/target", "de")
    window = make_window(model=tiny_model, settings=gui_settings)
    qtbot.waitUntil(lambda: window.widgets.choices.target_code == "de", timeout=TIMEOUT_MS)
    window.open_file(str(speech("jfk_en.flac")))
    qtbot.waitUntil(lambda: not window.is_running and all(s.translation for s in window.session.sentences()),
                    timeout=TIMEOUT_MS)
    bar = window.editing.find_bar
    source = window.widgets.panes.source_text().lower()
    expected = source.count("country")
    assert expected >= 2, source

    qtbot.keyClick(window.widgets.panes.source_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.isVisible() and bar.query.hasFocus()
    qtbot.keyClicks(bar.query, "country")
    assert bar.match_count == expected and bar.count_label.text() == f"1 of {expected}"
    view, row, text = bar.current
    assert view is window.widgets.panes.source_view and text.lower() == "country"
    assert window.widgets.panes.source_view.textCursor().selectedText().lower() == "country"

    qtbot.keyClick(bar.query, Qt.Key.Key_Return)
    assert bar.count_label.text() == f"2 of {expected}"
    qtbot.keyClick(bar.query, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count_label.text() == f"1 of {expected}"
    qtbot.keyClick(bar.query, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count_label.text() == f"{expected} of {expected}", "previous goes round to the last"

    # the translation pane is searched too: a word of its (gibberish) translation
    word = max(window.widgets.panes.translation_view.document().findBlockByNumber(0).text().split()[1:], key=len)
    bar.query.setText(word)
    assert any(v is window.widgets.panes.translation_view for v, _ in bar._matches)
    bar.query.setText("zzzz-not-said")
    assert bar.count_label.text() == "No matches" and bar.current is None
    qtbot.keyClick(bar.query, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_typed_text_is_translated_added_as_a_typed_line_and_a_missing_pack_is_named(
        argos_home, make_window, tiny_model, speech, qtbot, gui_settings, tmp_path):
    gui_settings.setValue("language/spoken", "en")
    gui_settings.setValue("language/target", "fr")          # no en→fr pack is installed
    window = make_window(model=tiny_model, settings=gui_settings)
    qtbot.waitUntil(lambda: window.widgets.choices.target_combo.findData("fr") >= 0 and window.widgets.choices.chosen_target == "fr",
                    timeout=TIMEOUT_MS)
    box = window.editing.typed
    qtbot.keyClicks(box.line, "Where is the station?")
    qtbot.keyClick(box.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "en-fr" in box.status.text(), timeout=TIMEOUT_MS)
    assert "voicedesk languages install en-fr" in box.status.text()
    assert box.line.text() == "Where is the station?", "the text comes back into the box"
    assert window.session.is_empty

    window.widgets.choices.target_combo.setCurrentIndex(window.widgets.choices.target_combo.findData("de"))
    # typed while a file is being transcribed: it goes in beside the heard lines
    window.open_file(str(speech("jfk_en.flac")))
    qtbot.keyClick(box.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(s.typed for s in window.session.sentences()), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not window.is_running, timeout=TIMEOUT_MS)
    [typed] = [s for s in window.session.sentences() if s.typed]
    assert typed.text == "Where is the station?" and typed.translation and typed.translation_language == "de"
    assert box.line.text() == "" and not box.status.isVisible()
    row = window.widgets.panes.sentence_row(typed.sentence_id)
    assert "(typed)" in window.widgets.panes.source_view.document().findBlockByNumber(row).text()
    assert typed.translation in window.widgets.panes.translation_view.document().findBlockByNumber(row).text()

    qtbot.waitUntil(lambda: window.controller.journal.path is not None, timeout=10_000)
    path: Path = window.controller.journal.path
    qtbot.waitUntil(lambda: any(s.typed and s.translation for s in recover(path)), timeout=10_000)

    out = tmp_path / "with-typed.txt"
    assert window.export_to(str(out), "txt", "both")
    assert "[typed] Where is the station?" in out.read_text(encoding="utf-8")


def test_an_opened_transcript_shows_its_marks_and_an_edit_no_pack_can_translate_stays_outdated(
        empty_argos_home, make_window, tiny_model, qtbot, tmp_path):
    from voicedesk.engine.events import FinalSegment, Translation
    from voicedesk.session.edits import typed_line
    from voicedesk.session.export import export
    from voicedesk.session.transcript import Session

    earlier = Session()
    earlier.apply(FinalSegment(0, "Good morning everyone.", 0.0, 2.0, "en"))
    earlier.apply(Translation(0, "Bonjour à tous.", "en", "fr", 0.0, 2.0, engine="argos"))
    earlier.revise(typed_line(1, 3.0, "Thank you", "en", "Merci", "fr", "argos").segments)
    path = tmp_path / "earlier.json"
    export(earlier, path, "json", "both")

    window = make_window(model=tiny_model)
    assert window.open_transcript(str(path))
    source, translation = window.widgets.panes.source_view.document(), window.widgets.panes.translation_view.document()
    assert "(typed) Thank you" in source.findBlockByNumber(1).text()
    assert "(outdated)" not in translation.findBlockByNumber(0).text()

    assert window.editing.editor.edit(0, "Good morning, everybody.")
    # no pack translates en→fr here: the old translation stays, marked, and the banner says which pack
    qtbot.waitUntil(lambda: "marked outdated" in window.widgets.banner.text, timeout=TIMEOUT_MS)
    assert "en-fr" in window.widgets.banner.text
    assert "(outdated) Bonjour à tous." in translation.findBlockByNumber(0).text()
    assert window.session.sentences()[0].translation_outdated
