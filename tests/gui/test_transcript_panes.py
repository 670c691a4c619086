"""The transcript/translation panes as real Qt widgets: partials in place, rows aligned, auto-scroll."""

from __future__ import annotations

import pytest

from voicedesk.engine.events import FinalSegment, Partial, Translation
from voicedesk.ui.transcript_view import TranscriptPanes, format_timestamp


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
    panes.show_partial(Partial(1, "and then some", 1.5, 2.0, "en"))
    panes.show_partial(Partial(1, "and then something else", 1.5, 2.6, "en"))

    doc = panes.source_view.document()
    assert doc.blockCount() == 2
    partial_block = doc.findBlockByNumber(1)
    assert partial_block.text().endswith("and then something else")
    assert partial_block.begin().fragment().isValid()
    fragments = [it.fragment() for it in _iter_fragments(partial_block)]
    assert fragments[-1].charFormat().fontItalic()

    panes.add_final(FinalSegment(1, "And then something else.", 1.5, 2.8, "en"))

    assert doc.blockCount() == 2
    final_block = doc.findBlockByNumber(1)
    assert final_block.text() == f"[{format_timestamp(1.5)}]  And then something else."
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
