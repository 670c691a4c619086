"""The session journal on real files: durable records, restore after an unclean end, torn lines, full disks."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from voicedesk import __version__
from voicedesk.engine.events import EngineError, FinalSegment, Lag, Partial, Translation
from voicedesk.engine.settings import EngineSettings
from voicedesk.session.journal import (
    FORMAT_VERSION, Journal, JournalError, JournalSink, delete_finished, discard, find_unfinished, journal_dir,
    read_info, recover,
)
from voicedesk.session.transcript import Session


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data ünïcode"
    monkeypatch.setenv("VOICEDESK_DATA_DIR", str(folder))
    return folder


def final(i: int, text: str | None = None) -> FinalSegment:
    return FinalSegment(i, text or f" sentence number {i}", start=2.0 * i, end=2.0 * i + 1.5, language="en",
                        emitted_at=2.0 * i + 2.0)


def translation(i: int) -> Translation:
    return Translation(i, f"Satz Nummer {i}", "en", "de", 2.0 * i, 2.0 * i + 1.5, emitted_at=2.0 * i + 2.5)


def test_journal_lives_in_the_data_folder_named_by_the_environment(data_dir: Path):
    journal = Journal.open_new(EngineSettings(model="tiny.en").with_values(translate_to="de"))
    try:
        assert journal.path.parent == journal_dir() == data_dir / "journal"
        header = json.loads(journal.path.read_text().splitlines()[0])
        assert header["type"] == "header"
        assert header["session_id"] == journal.session_id
        assert header["app_version"] == __version__
        assert header["settings"]["model"] == "tiny.en"
        assert header["settings"]["translate_to"] == "de"
        assert header["settings"]["beam_size"] == 5 and header["settings"]["vad_threshold"] == 0.5   # components too
        assert header["started_at"]
    finally:
        journal.close(clean=True)


def test_an_unclean_end_is_offered_for_restore_with_every_segment_and_translation_in_order():
    journal = Journal.open_new()
    journal.append(final(0))
    journal.append(translation(0))
    journal.append(Partial(1, "ignored", 2.0, 2.5, "en"))    # partials are not journaled
    journal.append(translation(2))                           # a translation may overtake its final
    journal.append(final(2, " the third one"))
    journal.append(final(1))
    journal.close(clean=False)

    [info] = find_unfinished()
    assert info.path == journal.path
    assert info.session_id == journal.session_id
    assert (info.segment_count, info.translation_count) == (3, 2)
    assert info.last_end == final(2).end and info.last_text == "the third one"

    segments = recover(journal.path)
    assert [s.segment_id for s in segments] == [0, 1, 2]
    assert [s.text for s in segments] == [final(0).text, final(1).text, " the third one"]
    assert [s.translation for s in segments] == ["Satz Nummer 0", None, "Satz Nummer 2"]
    assert segments[0].translation_language == "de"
    assert "ignored" not in journal.path.read_text()


def test_a_clean_close_is_not_offered_and_can_be_cleaned_up():
    journal = Journal.open_new()
    journal.append(final(0))
    journal.close(clean=True)
    journal.close(clean=True)   # idempotent

    assert find_unfinished() == []
    assert read_info(journal.path)[1] is True
    assert recover(journal.path)[0].text == final(0).text
    assert delete_finished() == 1
    assert not journal.path.exists()


def test_a_live_journal_is_not_offered_for_restore_until_its_writer_is_gone():
    journal = Journal.open_new()
    journal.append(final(0))
    assert find_unfinished() == []          # still open here, as in a second running instance
    journal.close(clean=False)
    assert [i.path for i in find_unfinished()] == [journal.path]


def test_a_session_without_any_final_is_not_offered():
    Journal.open_new().close(clean=False)
    assert find_unfinished() == []


def test_a_torn_last_line_from_a_kill_mid_write_is_ignored():
    journal = Journal.open_new()
    for i in range(3):
        journal.append(final(i))
    journal.close(clean=False)
    whole = json.dumps({"type": "final", "segment_id": 3, "text": " torn", "start": 6.0, "end": 7.0, "language": "en"})
    with open(journal.path, "ab") as handle:
        handle.write(whole.encode()[: len(whole) // 2])

    assert [s.segment_id for s in recover(journal.path)] == [0, 1, 2]
    assert find_unfinished()[0].segment_count == 3


def test_a_file_that_is_not_a_journal_is_refused_with_a_clear_error(data_dir: Path):
    folder = journal_dir()
    folder.mkdir(parents=True)
    stranger = folder / "notes.jsonl"
    stranger.write_text("hello\n")
    with pytest.raises(JournalError, match="not a voicedesk session journal"):
        recover(stranger)
    assert find_unfinished() == []


def test_the_sink_writes_the_journal_before_the_downstream_sees_the_event():
    journal = Journal.open_new()
    seen: list[tuple[object, list[int]]] = []

    def downstream(event):
        # what is on disk at the moment the UI would show the event
        seen.append((event, [s.segment_id for s in recover(journal.path)]))

    sink = JournalSink(journal, downstream)
    sink(final(0))
    sink(Lag(0.5))
    sink(final(1))
    journal.close(clean=True)

    assert [type(e) for e, _ in seen] == [FinalSegment, Lag, FinalSegment]
    assert seen[0][1] == [0] and seen[2][1] == [0, 1]


def test_a_folder_that_cannot_be_created_gives_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # a file where the data folder should be: fails for root too, unlike folder permissions
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VOICEDESK_DATA_DIR", str(blocker))
    with pytest.raises(JournalError) as info:
        Journal.open_new()
    message = str(info.value)
    assert "\n" not in message and str(blocker) in message


@contextlib.contextmanager
def tiny_tmpfs(where: Path, size_kib: int):
    """A real, tiny file system; mounting needs root and CAP_SYS_ADMIN (present on this project's machines)."""
    where.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(where)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip()}); the RLIMIT_FSIZE test covers failing writes")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


def test_a_full_disk_reports_once_keeps_every_event_and_catches_up_when_space_returns(tmp_path: Path):
    with tiny_tmpfs(tmp_path / "disk", 64) as disk:
        journal = Journal.open_new(folder=disk / "journal")
        try:
            filler = disk / "filler"
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
            with contextlib.suppress(OSError):     # take every free block
                while os.write(fd, b"\0" * 4096):
                    pass
            os.close(fd)
            received: list[object] = []
            sink = JournalSink(journal, received.append)

            big = "x" * 3000                      # a few records are sure to need a new block
            for i in range(6):
                sink(final(i, big))
                sink(translation(i))

            errors = [e for e in received if isinstance(e, EngineError)]
            assert len(errors) == 1, errors
            assert not errors[0].fatal and "disk is full" in errors[0].message and "\n" not in errors[0].message
            # the session in memory lost nothing
            assert [e.segment_id for e in received if isinstance(e, FinalSegment)] == list(range(6))
            assert len([e for e in received if isinstance(e, Translation)]) == 6
            assert journal.backlog > 0
            # every line on disk is whole (no half record from the failed writes)
            for line in journal.path.read_bytes().splitlines():
                json.loads(line)

            filler.unlink()
            assert journal.append(final(6, big)) is True
            assert journal.backlog == 0
            journal.close(clean=False)
            segments = recover(journal.path)
            assert [s.segment_id for s in segments] == list(range(7))
            assert all(s.translation for s in segments[:6])
        finally:
            journal.close(clean=False)   # an open file would keep the tmpfs busy


def test_writes_refused_by_a_file_size_limit_leave_the_journal_readable(tmp_path: Path):
    # RLIMIT_FSIZE makes the kernel refuse writes past a size (EFBIG): a real failing write
    # without privileges. It runs in a child so the limit does not touch this test process.
    script = textwrap.dedent(
        """
        import json, resource, signal, sys
        from voicedesk.engine.events import FinalSegment
        from voicedesk.session.journal import Journal, JournalError, recover
        journal = Journal.open_new(folder=sys.argv[1])
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        errors, results = [], []
        for i in range(20):
            try:
                results.append(journal.append(FinalSegment(i, " words " * 20, i, i + 0.5, "en")))
            except JournalError as exc:
                errors.append(str(exc))
                results.append(None)
        journal.close(clean=False)
        print(json.dumps({"errors": errors, "results": results, "backlog": journal.backlog,
                          "recovered": [s.segment_id for s in recover(journal.path)]}))
        """
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "j")], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert len(out["errors"]) == 1 and "too large" in out["errors"][0]
    first_failure = out["results"].index(None)
    assert first_failure > 0 and all(out["results"][:first_failure])
    assert out["results"][first_failure + 1:] == [False] * (19 - first_failure)
    assert out["recovered"] == list(range(first_failure))


def test_a_restored_session_carried_into_a_new_journal_keeps_its_translations():
    old = Journal.open_new()
    for i in range(3):
        old.append(final(i))
    old.append(translation(1))
    old.close(clean=False)
    restored = recover(old.path)

    new = Journal.open_new()
    new.append_segments(restored)
    new.append(final(3))
    new.close(clean=False)
    discard(old.path)

    assert [i.path for i in find_unfinished()] == [new.path]
    again = recover(new.path)
    assert again[:3] == restored
    assert [s.segment_id for s in again] == [0, 1, 2, 3]


# --- sentences (format 2) and journals of format 1 ----------------------------------------


def sentence_final(i: int, sentence_id: int, text: str) -> FinalSegment:
    return FinalSegment(i, text, start=2.0 * i, end=2.0 * i + 1.5, language="en", sentence_id=sentence_id)


def sentence_translation(ids: tuple[int, ...], text: str) -> Translation:
    return Translation(ids[0], text, "en", "de", 2.0 * ids[0], 2.0 * ids[-1] + 1.5, segment_ids=ids,
                       engine="argos")


PAUSED = [sentence_final(0, 0, " And so, my fellow Americans,"),
          sentence_final(1, 0, " ask not what your country can do for you."),
          sentence_final(2, 2, " Thank you.")]
PAUSED_DE = sentence_translation((0, 1), "Und so, meine amerikanischen Mitbürger, fragt nicht, was euer Land "
                                         "für euch tun kann.")


def records_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_records_are_schema_2_events_and_a_sentence_comes_back_with_its_translation_on_its_first_segment():
    journal = Journal.open_new()
    for event in PAUSED:
        journal.append(event)
    journal.append(PAUSED_DE)
    journal.close(clean=False)

    header, *records = records_of(journal.path)
    assert header["format"] == FORMAT_VERSION == 2
    assert all(r["v"] == 4 for r in records)
    assert [r["sentence_id"] for r in records if r["type"] == "final"] == [0, 0, 2]
    [written] = [r for r in records if r["type"] == "translation"]
    assert written["segment_ids"] == [0, 1] and written["engine"] == "argos"

    segments = recover(journal.path)
    assert [(s.segment_id, s.sentence_id) for s in segments] == [(0, 0), (1, 0), (2, 2)]
    assert [s.translation for s in segments] == [PAUSED_DE.text, None, None]
    assert segments[0].translation_engine == "argos"
    sentences = Session.from_segments(segments).sentences()
    assert [s.segment_ids for s in sentences] == [(0, 1), (2,)]

    [info] = find_unfinished()
    assert (info.segment_count, info.sentence_count, info.translation_count) == (3, 2, 1)


def test_a_sentence_translation_journaled_before_its_finals_restores_onto_the_first_one():
    journal = Journal.open_new()
    journal.append(PAUSED[1])
    journal.append(PAUSED_DE)             # the translator overtook the first final
    journal.append(PAUSED[0])
    journal.close(clean=False)

    segments = recover(journal.path)
    assert [(s.segment_id, s.sentence_id, s.translation) for s in segments] == [
        (0, 0, PAUSED_DE.text), (1, 0, None)]


def test_a_torn_sentence_translation_is_ignored_and_its_finals_still_restore():
    journal = Journal.open_new()
    for event in PAUSED[:2]:
        journal.append(event)
    journal.close(clean=False)
    whole = json.dumps({"type": "translation", "v": 2, "segment_id": 0, "text": "Und so", "source_language": "en",
                        "target_language": "de", "segment_ids": [0, 1], "engine": "argos"})
    with open(journal.path, "ab") as handle:
        handle.write(whole.encode()[: len(whole) - 7])

    segments = recover(journal.path)
    assert [(s.segment_id, s.sentence_id, s.translation) for s in segments] == [(0, 0, None), (1, 0, None)]


VERSION_1_JOURNAL = """\
{"type":"header","format":1,"session_id":"5f0c8a2e9d4b4c6f8e1a2b3c4d5e6f70","started_at":"2025-03-02T10:15:04+01:00","app_version":"0.1.0","settings":{"model":"base","translate_to":"de"}}
{"type":"final","segment_id":0,"text":" Ask not what your country can do for you.","start":0.0,"end":3.0,"language":"en","emitted_at":3.4}
{"type":"translation","segment_id":0,"text":"Fragt nicht, was euer Land für euch tun kann.","source_language":"en","target_language":"de","start":0.0,"end":3.0,"emitted_at":4.1}
{"type":"translation","segment_id":2,"text":"Wir freuen uns.","source_language":"en","target_language":"de","start":8.0,"end":10.0,"emitted_at":9.0}
{"type":"final","segment_id":1,"text":" Mr. Quilter is the apostle of the middle classes.","start":4.0,"end":7.5,"language":"en","emitted_at":7.9}
{"type":"final","segment_id":2,"text":" We are glad to welcome his gospel.","start":8.0,"end":10.0,"language":"en","emitted_at":10.6}
{"type":"final","segment_id":3,"text":" torn by the k
"""


def test_a_journal_written_by_version_1_still_restores_one_sentence_per_final(data_dir: Path):
    folder = journal_dir()
    folder.mkdir(parents=True)
    old = folder / "session-20250302-101504-5f0c8a2e.jsonl"
    old.write_text(VERSION_1_JOURNAL, encoding="utf-8")

    [info] = find_unfinished()
    assert info.path == old and info.settings == {"model": "base", "translate_to": "de"}
    assert (info.segment_count, info.sentence_count, info.translation_count) == (3, 3, 2)
    assert info.last_text == "We are glad to welcome his gospel."

    segments = recover(old)
    assert [(s.segment_id, s.sentence_id) for s in segments] == [(0, 0), (1, 1), (2, 2)]
    assert [s.translation for s in segments] == [
        "Fragt nicht, was euer Land für euch tun kann.", None, "Wir freuen uns."]
    assert all(s.translation_engine is None for s in segments)


def test_a_restored_version_1_session_carried_into_a_new_journal_is_written_as_format_2(data_dir: Path):
    folder = journal_dir()
    folder.mkdir(parents=True)
    old = folder / "session-20250302-101504-5f0c8a2e.jsonl"
    old.write_text(VERSION_1_JOURNAL, encoding="utf-8")

    new = Journal.open_new()
    new.append_segments(recover(old))
    new.close(clean=False)

    records = records_of(new.path)
    assert records[0]["format"] == 2 and all(r["v"] == 4 for r in records[1:])
    assert [r["segment_ids"] for r in records if r["type"] == "translation"] == [[0], [2]]
    assert recover(new.path) == recover(old)


def test_a_restored_sentence_carried_into_a_new_journal_keeps_one_translation_covering_all_its_finals():
    old = Journal.open_new()
    for event in [PAUSED_DE] + PAUSED:
        old.append(event)
    old.close(clean=False)
    restored = recover(old.path)

    new = Journal.open_new()
    assert new.append_segments(restored) is True
    new.close(clean=False)

    records = records_of(new.path)[1:]
    assert [(r["type"], r["segment_id"]) for r in records] == [
        ("final", 0), ("final", 1), ("translation", 0), ("final", 2)]   # a sentence's finals, then its translation
    assert records[2]["segment_ids"] == [0, 1] and records[2]["engine"] == "argos"
    assert (records[2]["start"], records[2]["end"]) == (0.0, 3.5)
    assert recover(new.path) == restored
