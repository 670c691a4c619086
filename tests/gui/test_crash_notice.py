"""A bug that raises inside the running window: one line in the banner, the traceback in the log folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# The real start-up (run_app) in a child process, since it installs process-wide exception hooks. The
# event loop runs with a slot that raises twice; the banner's messages are printed as they are shown.
SCRIPT = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from voicedesk.ui import app as vapp
from voicedesk.ui.window import banner

show = banner.Banner.show_message
def spy(self, message, *args, **kwargs):
    print("BANNER", repr(str(message)), flush=True)
    if "Open log folder" in str(args):
        print("ACTION Open log folder", flush=True)
    if "went wrong" in message:
        QTimer.singleShot(500, lambda: os._exit(0))   # time for a second banner, if there were one
    return show(self, message, *args, **kwargs)
banner.Banner.show_message = spy

def broken_slot():
    raise ValueError("a bug in a slot")

run = QApplication.exec
def exec_with_a_bug(*_):
    QTimer.singleShot(0, broken_slot)
    QTimer.singleShot(0, broken_slot)        # the same bug again, as a repaint would raise it
    QTimer.singleShot(60_000, lambda: os._exit(2))
    return run()
QApplication.exec = exec_with_a_bug
vapp.run_app([sys.argv[0]])
"""


def test_an_exception_in_a_slot_shows_one_line_once_and_logs_its_traceback(tmp_path: Path):
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "VOICEDESK_DATA_DIR": str(tmp_path / "data"),
           "VOICEDESK_SETTINGS_FILE": str(tmp_path / "settings.ini")}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]

    crashes = [line for line in proc.stdout.splitlines() if line.startswith("BANNER") and "went wrong" in line]
    assert len(crashes) == 1, proc.stdout
    assert "ValueError: a bug in a slot" in crashes[0] and "Traceback" not in crashes[0]
    assert "\\n" not in crashes[0]                       # one line (repr shows any newline as \\n)
    assert "ACTION Open log folder" in proc.stdout

    logs = tmp_path / "state" / "voicedesk" / "log"
    for name in ("voicedesk.log", "crash.log"):         # the app's log, and the crash file beside it
        text = (logs / name).read_text(encoding="utf-8")
        assert "Uncaught exception in the main thread" in text, name
        assert "in broken_slot" in text and "ValueError: a bug in a slot" in text, name
