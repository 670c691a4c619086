"""Ctrl+C in `voicedesk transcribe --live`: the run stops cleanly and what was heard so far is written."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time

import pytest
import srt

pytestmark = pytest.mark.timeout(180)


def test_ctrl_c_during_a_live_run_writes_what_was_transcribed_and_exits_130(tiny_en_model, speech, tmp_path):
    out = tmp_path / "out.srt"
    proc = subprocess.Popen(
        [sys.executable, "-m", "voicedesk", "transcribe", str(speech["jfk_en"].path), "--live",
         "--model", tiny_en_model, "--output", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True)
    reader.start()
    try:
        # the user presses Ctrl+C once the first final line is up (or after a few seconds of speech)
        deadline = time.monotonic() + 60
        heard = 0.0
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                if heard and time.monotonic() - heard > 4:
                    break
                continue
            heard = heard or time.monotonic()
            if line.startswith("["):
                break
        assert proc.poll() is None, "the run ended before Ctrl+C"
        proc.send_signal(signal.SIGINT)
        stderr = proc.stderr.read()
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    assert code == 130, stderr
    assert "terminate called" not in stderr and "Traceback" not in stderr, stderr
    said = [line for line in stderr.splitlines() if line.strip()]
    assert len(said) == 1 and "interrupted" in said[0] and str(out) in said[0], stderr
    cues = list(srt.parse(out.read_text(encoding="utf-8")))
    assert cues and "americans" in cues[0].content.lower(), [c.content for c in cues]
    # stopped early: the end of the clip (11 s) was never heard
    assert cues[-1].end.total_seconds() < 10.0
