"""A child process the tests SIGKILL mid-run, and what it printed: both sides of that scaffolding.

The child (`python -m testkit.<name>`, e.g. journal_child, edit_child) reports with `line_printer()`: one JSON
object per line on stdout, flushed, so the test sees each record as soon as it is written. The test runs it with
`kill_when(...)`, which reads those records until its condition holds and then SIGKILLs the child: no handler,
no flush, no clean close.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

TESTS = Path(__file__).resolve().parents[1]
READ_TIMEOUT_S = 120


def line_printer() -> Callable[[dict], None]:
    """The child's side: a thread-safe `say(record)` that prints one JSON object per line, flushed."""
    lock = threading.Lock()

    def say(record: dict) -> None:
        with lock:
            sys.stdout.write(json.dumps(record) + "\n")
            sys.stdout.flush()

    return say


@dataclass(frozen=True)
class KilledChild:
    """What a killed child printed: `shown` until the condition held, `late` after that but before the kill."""

    shown: list[dict]
    late: list[dict]
    returncode: int


def _lines(stream, out: queue.Queue) -> None:
    for line in stream:
        out.put(line)
    out.put(None)


def kill_when(module: str, args: Sequence[str], data_dir: Path, enough: Callable[[list[dict]], bool]) -> KilledChild:
    """Run `python -m <module> <args>` (tests/ on PYTHONPATH, VOICEDESK_DATA_DIR=data_dir), read its records until
    `enough(records)`, SIGKILL it, then take the records it printed before the kill that were not read yet."""
    env = dict(os.environ, VOICEDESK_DATA_DIR=str(data_dir),
               PYTHONPATH=os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")])))
    child = subprocess.Popen([sys.executable, "-m", module, *args],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=_lines, args=(child.stdout, lines), daemon=True)
    reader.start()
    shown: list[dict] = []
    try:
        while not enough(shown):
            line = lines.get(timeout=READ_TIMEOUT_S)
            assert line is not None, f"the child ended early: {child.wait()} {child.stderr.read()}"
            shown.append(json.loads(line))
        child.kill()
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(30)
    reader.join(10)
    late: list[dict] = []
    while True:
        line = lines.get_nowait() if not lines.empty() else None
        if line is None:
            break
        late.append(json.loads(line))
    return KilledChild(shown, late, child.returncode)
