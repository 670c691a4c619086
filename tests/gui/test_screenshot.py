"""The README screenshot: the real window under Xvfb mid-session, saved to artifacts/screenshot.png."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from voicedesk.ui.panes.waveform import SPEECH_COLOUR

ROOT = Path(__file__).resolve().parents[2]


def test_a_screenshot_of_a_live_session_is_saved_with_waveform_and_both_panes(tmp_path):
    assert shutil.which("Xvfb"), "apt-get install xvfb (tests/system_packages.sh; CONTRIBUTING.md 'Xvfb')"
    out = ROOT / "artifacts" / "screenshot.png"
    out.unlink(missing_ok=True)
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    run = subprocess.run([sys.executable, str(Path(__file__).with_name("screenshot_session.py")), str(out)],
                         capture_output=True, text=True, timeout=400, env=env)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    assert f"SCREENSHOT {out}" in run.stdout
    print(next(line for line in run.stdout.splitlines() if line.startswith("STALL")))
    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600
    # the waveform band shows speech in its colour
    band = [image.pixelColor(x, y).rgb() for x in range(0, image.width(), 6) for y in range(90, 200, 4)]
    assert band.count(SPEECH_COLOUR.rgb()) > 20
