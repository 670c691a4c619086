"""Every dialog and the main window, on 1280x800 and 1024x768 screens at 100% and 150% text size:
no wrapped line is squeezed under the next, no button or label is cut, no window is larger than the
screen. Each screen size is a child process (tests/gui/dialog_fit.py): Qt's offscreen platform takes
its screen's size when it starts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

SCRIPT = Path(__file__).with_name("dialog_fit.py")
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "dialogs"


@pytest.mark.parametrize("width, height", [(1280, 800), (1024, 768)])
def test_every_window_fits_its_text_and_the_screen_at_100_and_150_percent_text(width, height, tmp_path):
    run = subprocess.run([sys.executable, str(SCRIPT), str(width), str(height), str(SHOTS)],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    report = json.loads(next(line for line in run.stdout.splitlines() if line.startswith("FIT "))[4:])
    assert report["screen"] == [width, height]
    assert report["problems"] == []
    # the welcome as a user sees it, kept for the README and the closing note
    assert len(report["shots"]) == 2
    for shot in report["shots"]:
        image = QImage(shot)
        assert not image.isNull() and image.width() <= width and image.height() <= height
