"""The live journal's lock, seen from another process: a second running copy must not offer it for
restore (nor delete it). The Windows half of voicedesk.session.file_lock (msvcrt) cannot run here; it
mirrors this POSIX behaviour and is kept small enough to check by reading."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from voicedesk.session import file_lock, journal

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from voicedesk.engine.events import FinalSegment
    from voicedesk.session.journal import Journal

    j = Journal.open_new(folder=Path(sys.argv[1]))
    j.append(FinalSegment(0, " still talking", start=0.0, end=1.5, language="en"))
    print(j.path, flush=True)
    sys.stdin.readline()                  # alive, journal open, until the parent says so
    if sys.argv[2] == "crash":
        import os
        os._exit(1)                       # no clean close: an unfinished journal, lock released by the OS
    j.close(clean=False)
""")


@pytest.fixture
def child(tmp_path):
    started = []

    def start(mode: str = "crash") -> tuple[subprocess.Popen, Path]:
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "journal"), mode],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        started.append(proc)
        line = proc.stdout.readline().strip()
        assert line, "the child did not open its journal"
        return proc, Path(line)

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def test_another_process_sees_a_live_journal_as_locked_and_does_not_offer_it(child, tmp_path):
    proc, path = child("crash")
    folder = tmp_path / "journal"

    assert file_lock.is_locked(path)
    assert journal.find_unfinished(folder) == []                    # a live session is not "unfinished"
    assert journal.delete_finished(folder) == 0 and path.exists()

    proc.communicate("go\n", timeout=30)                              # the other copy dies mid-session
    assert not file_lock.is_locked(path)
    assert [info.path for info in journal.find_unfinished(folder)] == [path]


def test_lock_api_on_an_open_file(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"")
    assert not file_lock.is_locked(path)
    assert not file_lock.is_locked(tmp_path / "missing.jsonl")

    fd = os.open(path, os.O_WRONLY | os.O_APPEND | file_lock.OPEN_FLAGS)
    try:
        assert file_lock.try_lock(fd)
        assert file_lock.is_locked(path)                              # this process's other opens see it too
        other = os.open(path, os.O_RDONLY | file_lock.OPEN_FLAGS)
        try:
            assert not file_lock.try_lock(other)                      # exclusive: nobody else can take it
        finally:
            os.close(other)
        assert file_lock.is_locked(path), "testing it must not release it"
        file_lock.unlock(fd)
        assert not file_lock.is_locked(path)
        assert file_lock.try_lock(fd)
    finally:
        os.close(fd)
    assert not file_lock.is_locked(path)                              # closing releases it


def test_the_journal_is_opened_binary_and_its_byte_count_matches_the_file(tmp_path):
    with journal.Journal.open_new(folder=tmp_path) as j:
        from voicedesk.engine.events import FinalSegment

        j.append(FinalSegment(0, " line one\nline two", start=0.0, end=1.0, language="en"))
        assert j._good_size == j.path.stat().st_size
        assert file_lock.is_locked(j.path)
    assert not file_lock.is_locked(j.path)
    assert b"\r\n" not in j.path.read_bytes()
