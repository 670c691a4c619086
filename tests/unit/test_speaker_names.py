"""Renaming and merging speakers: once, and every line, the journal and every export follow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from voicedesk.engine.events import FinalSegment, Settled, SpeakerLabels
from voicedesk.engine.settings import EngineSettings
from voicedesk.session.coordinator import SessionCoordinator
from voicedesk.session.editor import SpeakersChanged, TranscriptEditor
from voicedesk.session.export import render, segments_from_json, speaker_book_from_json
from voicedesk.session.journal import find_unfinished, recover, recover_session
from voicedesk.session.journal_keeper import JournalKeeper
from voicedesk.session.speakers import NO_SPEAKER_NAMES, SpeakerBook


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VOICEDESK_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


CALL = [
    FinalSegment(0, " Hello, is that the garage?", 0.0, 1.8, "en", speaker=1),
    FinalSegment(1, " Yes, speaking.", 2.1, 3.0, "en", speaker=2),
    FinalSegment(2, " My car will not start.", 4.6, 6.0, "en", speaker=3),
]


class Port:
    """The controller's side of the editor, as the app wires it: the keeper journals what the editor asks."""

    def __init__(self) -> None:
        self.keeper = JournalKeeper()

    def journal_revision(self, revision) -> None:
        self.keeper.revise(revision)

    def journal_speakers(self, book: SpeakerBook, restored=()) -> None:
        self.keeper.name_speakers(book, restored=restored)

    def translate_text(self, request) -> None: ...
    def start(self, *a) -> None: ...
    def stop(self) -> None: ...
    def close_journal(self, clean: bool) -> None: ...
    def discard_journal(self) -> None: ...
    def adopt_segments(self, segments, old_journal=None, speakers=None) -> None: ...


def editing_session() -> tuple[SessionCoordinator, TranscriptEditor, Port, list[Any]]:
    port = Port()
    told: list[Any] = []
    core = SessionCoordinator(port, told.append, lambda: EngineSettings(model="/models/base"))
    editor = TranscriptEditor(core, port, told.append)
    for event in CALL:
        port.keeper.record(event)
        core.on_event(event)
    return core, editor, port, told


def test_a_rename_names_every_line_of_that_speaker_in_every_export():
    core, editor, _, told = editing_session()
    assert editor.rename_speaker(2, "  Ana  ")
    notice = told[-1]
    assert isinstance(notice, SpeakersChanged) and notice.speakers.name_map == {2: "Ana"}
    assert len(notice.sentences) == 3
    snapshot = core.session.snapshot()
    assert render(snapshot, "txt").splitlines()[1] == "Ana: Yes, speaking."
    assert "Ana: Yes, speaking." in render(snapshot, "srt")
    assert "<v Ana>Yes, speaking." in render(snapshot, "vtt")
    assert " Ana " in render(snapshot, "rttm")
    data = json.loads(render(snapshot, "json"))
    assert [s.get("speaker_name") for s in data["sentences"]] == ["Speaker 1", "Ana", "Speaker 3"]
    assert core.session.has_unexported_changes
    assert not editor.rename_speaker(2, "Ana")                 # nothing changes: nothing journaled or told
    assert editor.rename_speaker(2, "")                        # back to the default name
    assert render(core.session.snapshot(), "txt").splitlines()[1] == "Speaker 2: Yes, speaking."


def test_a_merge_moves_the_lines_and_the_text_that_comes_later():
    core, editor, _, _ = editing_session()
    editor.rename_speaker(1, "Ben")
    editor.rename_speaker(3, "Carl")
    assert editor.merge_speakers(3, 1)
    assert [s.speaker for s in core.session.sentences()] == [1, 2, 1]
    assert core.session.speakers.name_map == {1: "Ben"}       # the merged speaker's own name goes
    assert core.session.speakers.event_names() == {1: "Ben", 3: "Ben"}   # for readers of the engine's numbers
    assert editor.speakers_heard() == [1, 2]
    # the engine still calls that voice 3: its later text, settled text and relabels go to speaker 1
    core.on_event(FinalSegment(3, " It just clicks.", 6.5, 7.5, "en", speaker=3))
    core.on_event(Settled(3, (3,), "It just clicks.", "en", 6.5, 7.5, speaker=3))
    core.on_event(SpeakerLabels(((1, 3),), speakers=3))
    assert [s.speaker for s in core.session.segments()] == [1, 1, 1, 1]
    assert not editor.merge_speakers(3, 1)                    # already one speaker
    assert "Ben: Hello, is that the garage?" in render(core.session.snapshot(), "txt")


def test_undo_takes_a_merge_back_in_the_window_and_in_the_journal(data_dir: Path):
    core, editor, port, told = editing_session()
    editor.rename_speaker(3, "Carl")
    assert editor.merge_speakers(3, 1)
    assert [s.speaker for s in core.session.sentences()] == [1, 2, 1]
    assert editor.can_undo and editor.undo()
    assert [s.speaker for s in core.session.sentences()] == [1, 2, 3]
    assert core.session.speakers.name_map == {3: "Carl"}, "the merged speaker's name comes back too"
    assert isinstance(told[-1], SpeakersChanged) and [s.speaker for s in told[-1].sentences] == [1, 2, 3]
    assert not editor.can_undo, "one level"
    # the engine's later text for voice 3 stays speaker 3's
    core.on_event(FinalSegment(3, " It just clicks.", 6.5, 7.5, "en", speaker=3))
    assert [s.speaker for s in core.session.segments()] == [1, 2, 3, 3]
    # a crash now: the journal restores the lines as they are shown, not as the undone merge left them
    path = port.keeper.path
    port.keeper.close(clean=False)
    recovered = recover_session(path)
    assert [s.speaker for s in recovered.segments()] == [1, 2, 3]
    assert recovered.speakers.name_map == {3: "Carl"}


def test_undo_takes_back_a_rename_and_an_edit_after_it_takes_the_undo_slot():
    core, editor, _, _ = editing_session()
    assert editor.rename_speaker(2, "Ana") and editor.undo()
    assert core.session.speakers.name_map == {}
    assert editor.merge_speakers(2, 1)
    assert editor.edit(core.session.sentences()[0].sentence_id, "Hello, is this the garage?")
    assert editor.undo()                      # the edit, not the merge
    assert [s.speaker for s in core.session.sentences()] == [1, 1, 3]


def test_names_and_merges_survive_the_journal_and_a_restore(data_dir: Path):
    core, editor, port, _ = editing_session()
    editor.rename_speaker(2, "Ana")
    editor.merge_speakers(3, 1)
    path = port.keeper.path
    assert path is not None
    port.keeper.close(clean=False)      # as a crash leaves it: no clean end, so it is offered for restore
    recovered = recover_session(path)
    assert recovered.speakers.name_map == {2: "Ana"}
    assert [s.speaker for s in recover(path)] == [1, 2, 1]
    # the app's restore: the session takes the book, and the engine side carries it into a fresh journal
    adopted: list[tuple] = []

    class RestorePort(Port):
        def adopt_segments(self, segments, old_journal=None, speakers=NO_SPEAKER_NAMES) -> None:
            adopted.append((old_journal, speakers))
            self.keeper.adopt(segments, durable_now=True, speakers=speakers)

    restored_port = RestorePort()
    restored = SessionCoordinator(restored_port, lambda notice: None, lambda: EngineSettings(model="/models/base"))
    restored.recovery.offer(find_unfinished())
    assert restored.restore()
    assert restored.session.speakers.name_map == {2: "Ana"}
    assert adopted == [(path, recovered.speakers)]
    assert "Ana: Yes, speaking." in render(restored.session.snapshot(), "txt")
    assert restored_port.keeper.path is not None and restored_port.keeper.path != path
    again = recover_session(restored_port.keeper.path)
    assert again.speakers == recovered.speakers
    assert [s.speaker for s in again.segments()] == [1, 2, 1]


def test_a_json_export_gives_its_names_back_when_opened():
    core, editor, _, _ = editing_session()
    editor.rename_speaker(2, "Ana")
    text = render(core.session.snapshot(), "json")
    assert speaker_book_from_json(text).name_map == {2: "Ana"}
    assert [s.speaker for s in segments_from_json(text)] == [1, 2, 3]
    assert speaker_book_from_json("not json").is_empty


def test_a_book_record_that_does_not_parse_is_skipped():
    assert SpeakerBook.from_record({"type": "speaker_book", "names": {"x": "Ana"}}) is None
    book = SpeakerBook().renamed(2, "Ana").merged_into(3, 2)
    assert SpeakerBook.from_record(json.loads(json.dumps(book.to_record()))) == book
    assert book.resolve(3) == 2 and book.resolve(5) == 5 and book.resolve(None) is None
