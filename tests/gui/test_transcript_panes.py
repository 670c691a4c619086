"""The transcript/translation panes as real Qt widgets: partials in place, rows aligned, auto-scroll."""

from __future__ import annotations

import pytest

from voicedesk.engine.events import FinalSegment, Partial, Translation
from voicedesk.ui.panes.transcript_view import TranscriptPanes, format_timestamp


@pytest.fixture
def panes(qtbot):
    widget = TranscriptPanes()
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _block_tops(panes: TranscriptPanes) -> list[tuple[float, float]]:
    tops = []
    for view_a, view_b in [(panes.source_view, panes.translation_view)]:
        doc_a, doc_b = view_a.document(), view_b.document()
        for i in range(doc_a.blockCount()):
            a = doc_a.documentLayout().blockBoundingRect(doc_a.findBlockByNumber(i)).top()
            b = doc_b.documentLayout().blockBoundingRect(doc_b.findBlockByNumber(i)).top()
            tops.append((a, b))
    return tops


def test_a_final_replaces_its_partial_in_place_in_normal_text(panes):
    panes.add_final(FinalSegment(0, "First sentence.", 0.0, 1.0, "en"))
    panes.show_partial(Partial(1, "and then some", 3.0, 3.5, "en"))   # after a pause that ends the sentence
    panes.show_partial(Partial(1, "and then something else", 3.0, 4.1, "en"))

    doc = panes.source_view.document()
    assert doc.blockCount() == 2
    partial_block = doc.findBlockByNumber(1)
    assert partial_block.text().endswith("and then something else")
    assert partial_block.begin().fragment().isValid()
    fragments = [it.fragment() for it in _iter_fragments(partial_block)]
    assert fragments[-1].charFormat().fontItalic()

    panes.add_final(FinalSegment(1, "And then something else.", 3.0, 4.3, "en"))

    assert doc.blockCount() == 2
    final_block = doc.findBlockByNumber(1)
    assert final_block.text() == f"[{format_timestamp(3.0)}]  And then something else."
    assert not [it.fragment() for it in _iter_fragments(final_block)][-1].charFormat().fontItalic()
    assert panes.partial_text() == ""


def _iter_fragments(block):
    it = block.begin()
    while not it.atEnd():
        yield it
        it += 1


def test_a_late_partial_does_not_overwrite_a_final(panes):
    panes.add_final(FinalSegment(3, "Done.", 0.0, 1.0, "en"))
    panes.show_partial(Partial(3, "do", 0.0, 0.5, "en"))
    assert panes.source_text().endswith("Done.")


def test_each_translation_sits_level_with_its_source_segment(panes):
    long_text = " ".join(["a long sentence that wraps over several lines in a narrow pane"] * 4)
    panes.add_final(FinalSegment(0, long_text, 0.0, 5.0, "en"))
    panes.add_final(FinalSegment(1, "Short.", 5.0, 6.0, "en"))
    panes.add_translation(Translation(1, "Kurz.", "en", "de", 5.0, 6.0))
    panes.add_final(FinalSegment(2, "Another one.", 6.0, 7.0, "en"))
    panes.add_translation(Translation(0, "Kurz auch.", "en", "de", 0.0, 5.0))

    assert panes.translation_view.document().blockCount() == 3
    assert panes.translation_view.document().findBlockByNumber(1).text().endswith("Kurz.")
    for source_top, translation_top in _block_tops(panes):
        assert source_top == pytest.approx(translation_top, abs=1.0)


def test_translation_for_an_unknown_segment_is_ignored(panes):
    panes.add_translation(Translation(7, "nowhere", "en", "de"))
    assert panes.translation_text() == ""


def test_auto_scroll_follows_the_live_edge_and_pauses_while_the_user_reads_above(panes, qtbot):
    for i in range(60):
        panes.add_final(FinalSegment(i, f"Sentence number {i}.", float(i), i + 0.9, "en"))
    bar = panes.source_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    assert bar.value() == bar.maximum()

    bar.setValue(0)  # the user scrolls up to read
    assert not panes.following
    panes.add_final(FinalSegment(60, "More text.", 60.0, 61.0, "en"))
    panes.show_partial(Partial(61, "and more", 61.0, 62.0, "en"))
    assert bar.value() == 0
    assert panes.translation_view.verticalScrollBar().value() == 0

    bar.setValue(bar.maximum())  # back at the bottom: follow again
    assert panes.following
    panes.add_final(FinalSegment(61, "Even more text.", 61.0, 62.0, "en"))
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    assert "Even more text." in panes.source_text().splitlines()[-1]


def test_drop_partials_removes_only_provisional_rows(panes):
    panes.add_final(FinalSegment(0, "Kept.", 0.0, 1.0, "en"))
    panes.show_partial(Partial(1, "provisional", 1.0, 2.0, "en"))
    panes.drop_partials()
    assert panes.source_text() == f"[{format_timestamp(0.0)}]  Kept."
    assert panes.translation_view.document().blockCount() == 1


def test_text_size_changes_within_limits(panes):
    panes.set_point_size(12)
    panes.zoom(2)
    assert panes.point_size() == 14
    panes.set_point_size(1000)
    assert panes.point_size() == 40


def test_the_panes_stack_on_a_narrow_window_and_stand_side_by_side_on_a_wide_one(panes, qtbot):
    from PySide6.QtCore import Qt

    panes.resize(500, 600)
    qtbot.waitUntil(lambda: panes.splitter.orientation() == Qt.Orientation.Vertical)
    panes.resize(1000, 600)
    qtbot.waitUntil(lambda: panes.splitter.orientation() == Qt.Orientation.Horizontal)


def _italic_fragments(panes: TranscriptPanes) -> list[str]:
    doc = panes.source_view.document()
    return [it.fragment().text() for i in range(doc.blockCount())
            for it in _iter_fragments(doc.findBlockByNumber(i)) if it.fragment().charFormat().fontItalic()]


def test_a_sentence_said_in_three_finals_is_one_row_in_both_panes_with_its_translation_level(panes):
    panes.add_final(FinalSegment(0, "Before.", 0.0, 1.0, "en"))
    panes.add_final(FinalSegment(1, "So what I", 2.0, 3.0, "en"))
    panes.add_final(FinalSegment(2, "wanted to say", 3.4, 4.2, "en", sentence_id=1))
    panes.add_final(FinalSegment(3, "is this.", 4.6, 5.5, "en", sentence_id=1))
    panes.add_translation(Translation(1, "Was ich sagen wollte, ist dies.", "en", "de", 2.0, 5.5,
                                      segment_ids=(1, 2, 3)))
    panes.add_final(FinalSegment(4, "After.", 6.0, 7.0, "en"))

    source, target = panes.source_view.document(), panes.translation_view.document()
    assert source.blockCount() == target.blockCount() == 3
    assert source.findBlockByNumber(1).text() == f"[{format_timestamp(2.0)}]  So what I wanted to say is this."
    assert target.findBlockByNumber(1).text().endswith("Was ich sagen wollte, ist dies.")
    assert target.findBlockByNumber(2).text() == ""
    for source_top, translation_top in _block_tops(panes):
        assert source_top == pytest.approx(translation_top, abs=1.0)


def test_a_partial_that_continues_an_open_sentence_leaves_no_grey_row(panes):
    panes.add_final(FinalSegment(0, "So what I", 0.0, 1.0, "en"))
    panes.show_partial(Partial(1, "wanted to", 1.3, 1.8, "en", sentence_id=0))
    doc = panes.source_view.document()
    # the engine says it continues sentence 0: shown grey after it, not as a row of its own
    assert doc.blockCount() == 1
    assert _italic_fragments(panes) == [" wanted to"]
    assert panes.partial_text() == "wanted to"

    panes.add_final(FinalSegment(1, "wanted to say this.", 1.3, 2.5, "en", sentence_id=0))
    assert doc.blockCount() == panes.translation_view.document().blockCount() == 1
    assert doc.findBlockByNumber(0).text() == f"[{format_timestamp(0.0)}]  So what I wanted to say this."
    assert _italic_fragments(panes) == [] and panes.partial_text() == ""


def test_a_partial_row_goes_when_its_final_turns_out_to_continue_the_sentence_above(panes):
    # the row above looked finished (it ends in "."), so the partial got a row of its own
    panes.add_final(FinalSegment(0, "I met him at 3 p.m.", 0.0, 1.0, "en"))
    panes.show_partial(Partial(1, "on the dot", 1.2, 1.6, "en"))
    assert panes.source_view.document().blockCount() == 2

    panes.add_final(FinalSegment(1, "on the dot.", 1.2, 1.8, "en", sentence_id=0))
    assert panes.source_view.document().blockCount() == panes.translation_view.document().blockCount() == 1
    assert panes.source_text().endswith("I met him at 3 p.m. on the dot.")
    assert _italic_fragments(panes) == []


def test_a_partial_guessed_as_a_continuation_moves_to_its_own_row_when_it_starts_a_sentence(panes):
    panes.add_final(FinalSegment(0, "So what I", 0.0, 1.0, "en"))
    panes.show_partial(Partial(1, "next thing", 1.2, 1.6, "en", sentence_id=0))   # the engine's early guess
    panes.add_final(FinalSegment(1, "Next thing.", 1.2, 1.8, "en"))  # the engine says: a new sentence

    doc = panes.source_view.document()
    assert [doc.findBlockByNumber(i).text() for i in range(doc.blockCount())] == [
        f"[{format_timestamp(0.0)}]  So what I", f"[{format_timestamp(1.2)}]  Next thing."]
    assert panes.translation_view.document().blockCount() == 2
    assert _italic_fragments(panes) == []


def test_after_a_long_pause_a_partial_gets_its_own_row_and_its_final_overwrites_it(panes):
    panes.add_final(FinalSegment(0, "So what I", 0.0, 1.0, "en"))
    panes.show_partial(Partial(1, "much later", 4.0, 4.5, "en"))   # past the pause that ends a turn
    assert panes.source_view.document().blockCount() == 2
    panes.add_final(FinalSegment(1, "Much later.", 4.0, 4.8, "en"))
    assert panes.source_view.document().blockCount() == 2
    assert panes.source_text().splitlines()[-1] == f"[{format_timestamp(4.0)}]  Much later."


def test_drop_partials_clears_a_grey_tail_too(panes):
    panes.add_final(FinalSegment(0, "So what I", 0.0, 1.0, "en"))
    panes.show_partial(Partial(1, "wanted", 1.2, 1.6, "en"))
    panes.drop_partials()
    assert panes.source_text() == f"[{format_timestamp(0.0)}]  So what I"
    assert panes.partial_text() == ""


def test_a_full_stop_then_a_short_pause_shows_the_partial_as_the_sentence_going_on(panes):
    # Whisper ends every stretch of audio with a full stop; the engine believes it only after a pause
    panes.add_final(FinalSegment(0, "And so my fellow Americans.", 0.0, 2.0, "en"))
    panes.show_partial(Partial(1, "ask not", 2.6, 3.0, "en", sentence_id=0))
    assert panes.source_view.document().blockCount() == 1 and _italic_fragments(panes) == [" ask not"]
    panes.add_final(FinalSegment(1, "Ask not!", 2.6, 3.2, "en", sentence_id=0))
    assert panes.source_text() == f"[{format_timestamp(0.0)}]  And so my fellow Americans. Ask not!"


def test_a_settled_sentence_replaces_its_provisional_row_which_was_marked_without_colour(make_window, qtbot):
    """Provisional finals carry a dotted underline; the settled text (schema 3) replaces them in place, plain."""
    from voicedesk.engine.events import Settled

    window = make_window()
    window.controller.final.emit(FinalSegment(0, "She called his name", 0.0, 1.6, "en"))
    window.controller.final.emit(FinalSegment(1, "many", 2.1, 2.5, "en", sentence_id=0))
    qtbot.waitUntil(lambda: "many" in window.widgets.panes.source_text(), timeout=5_000)
    block = window.widgets.panes.source_view.document().findBlockByNumber(0)
    text_format = [it.fragment() for it in _iter_fragments(block)][-1].charFormat()
    assert text_format.underlineStyle() == text_format.UnderlineStyle.DotLine and not text_format.fontItalic()

    window.controller.settled.emit(Settled(0, (0, 1), "She called his name many times.", "en", 0.0, 3.0, words=(
        ("She", 0.0, 0.3), ("called", 0.3, 0.7), ("his", 0.7, 0.9), ("name", 0.9, 1.5), ("many", 2.1, 2.4),
        ("times.", 2.4, 2.9))))
    qtbot.waitUntil(lambda: "many times." in window.widgets.panes.source_text(), timeout=5_000)
    doc = window.widgets.panes.source_view.document()
    assert doc.blockCount() == 1
    block = doc.findBlockByNumber(0)
    assert block.text().endswith("She called his name many times.")
    settled_format = [it.fragment() for it in _iter_fragments(block)][-1].charFormat()
    assert settled_format.underlineStyle() == settled_format.UnderlineStyle.NoUnderline
    assert [s.text for s in window.session.sentences()] == ["She called his name many times."]
