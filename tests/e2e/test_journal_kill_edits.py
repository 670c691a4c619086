"""SIGKILL a real engine after its reader edited a line: the journal restores the edited text, and every later final.

The child (`testkit.edit_child`) runs the real engine (tiny.en) on a paced file, journals its finals
through the app's JournalKeeper and edits the first line with the app's TranscriptEditor while the
engine goes on; the test kills it once the edit and a later final were journaled.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

from testkit.speech_mix import SENTENCES, espeak_clip, write_session
from voicedesk.session.journal import find_unfinished, recover

TESTS = Path(__file__).resolve().parents[1]


def _lines(stream, out: queue.Queue) -> None:
    for line in stream:
        out.put(line)
    out.put(None)


def test_an_edit_journaled_before_a_kill_comes_back_with_every_final(tiny_en_model, tmp_path):
    pool = [(espeak_clip(s), s, "en", "espeak-ng") for s in SENTENCES[:6]]
    audio = tmp_path / "session.wav"
    write_session(audio, 40, pool=pool, gap=(1.5, 1.5), long_pause_every=0)
    data = tmp_path / "data"
    env = dict(os.environ, VOICEDESK_DATA_DIR=str(data),
               PYTHONPATH=os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")])))
    child = subprocess.Popen([sys.executable, "-m", "testkit.edit_child", str(audio), "--model", tiny_en_model],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(child.stdout, lines), daemon=True).start()
    shown: list[dict] = []
    try:
        while not (any("edited" in r for r in shown) and sum("final" in r for r in shown) >= 2):
            line = lines.get(timeout=120)
            assert line is not None, f"the child ended early: {child.wait()} {child.stderr.read()}"
            shown.append(json.loads(line))
        child.kill()                                    # SIGKILL: no handler, no flush, no clean close
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(30)
    assert child.returncode == -9
    assert not any("done" in r for r in shown), "the session had ended before the kill"

    [info] = find_unfinished(data / "journal")
    recovered = {s.segment_id: s for s in recover(info.path)}
    edit = next(r for r in shown if "edited" in r)
    assert recovered[edit["edited"]].text == edit["text"] and edit["text"].startswith("EDITED ")
    assert recovered[edit["edited"]].edited
    for final in (r for r in shown if "final" in r and r["final"] != edit["edited"]):
        assert recovered[final["final"]].text == final["text"]
