"""Journal files are opened binary where the platform has text mode (Windows' O_BINARY).

In text mode Windows writes each "\\n" as "\\r\\n", so the byte count the journal keeps to cut a
failed write off would land inside good records. Windows cannot exist here: the test puts an
`O_BINARY` onto the os module (0x8000, its value there), lets file_lock compute its flags again,
and checks the flag reaches every `os.open` of a journal. The bit is taken off before the real
open, since Linux gives 0x8000 another meaning.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Iterator

import pytest

from voicedesk.engine.events import FinalSegment
from voicedesk.session import file_lock
from voicedesk.session.journal import Journal, recover

WINDOWS_O_BINARY = 0x8000


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, int]]]:
    """Simulate Windows' os.O_BINARY; yields the (path, flags) of every os.open made meanwhile."""
    calls: list[tuple[str, int]] = []
    real_open = os.open
    simulated = 0 if hasattr(os, "O_BINARY") else WINDOWS_O_BINARY   # on Windows itself, the real flag stays

    def spy(path, flags, *args, **kwargs):
        calls.append((str(path), flags))
        return real_open(path, flags & ~simulated, *args, **kwargs)

    monkeypatch.setattr(os, "O_BINARY", WINDOWS_O_BINARY, raising=False)
    importlib.reload(file_lock)              # its flags are computed once, at import
    monkeypatch.setattr(os, "open", spy)
    yield calls
    monkeypatch.undo()
    importlib.reload(file_lock)              # back to this platform's flags for the other tests


def test_journal_files_are_opened_binary_where_the_platform_has_o_binary(opened, tmp_path: Path):
    assert file_lock.OPEN_FLAGS & WINDOWS_O_BINARY
    journal = Journal.open_new(folder=tmp_path)
    journal.append(FinalSegment(0, " Привет, мир\n", 0.0, 1.0, "ru"))
    assert file_lock.is_locked(journal.path)       # opens the file again, to test its lock
    journal.close(clean=False)

    journal_opens = [flags for path, flags in opened if path == str(journal.path)]
    assert len(journal_opens) == 2
    assert all(flags & WINDOWS_O_BINARY for flags in journal_opens)
    # the bytes on disk are the records' own: no "\r" added, the newline inside the text escaped by JSON
    data = journal.path.read_bytes()
    assert b"\r" not in data and data.count(b"\n") == 2
    assert [s.text for s in recover(journal.path)] == [" Привет, мир\n"]

