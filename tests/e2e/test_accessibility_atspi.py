"""The real app as a screen reader sees it: started under Xvfb with the AT-SPI accessibility bus, read by
Debian's pyatspi (what Orca uses) while it transcribes real speech. The main controls have their names,
roles and labels; each final line is announced politely from the transcript; Tab walks the controls in
reading order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from testkit.desktop import SYSTEM_PYTHON, accessible_desktop, missing_tools
from testkit.speech import speech_dir

ROOT = Path(__file__).resolve().parents[2]
READER = ROOT / "tests" / "testkit" / "atspi_reader.py"
TEST_MODELS = Path(os.environ.get("VOICEDESK_TEST_MODELS", Path.home() / ".cache" / "voicedesk" / "test-models"))
TABS = 7
POLITE = 1   # QAccessible::AnnouncementPoliteness::Polite, as AT-SPI's detail1


def _named(tree: list[dict], role: str, name: str) -> list[dict]:
    return [node for node in tree if node["role"] == role and node["name"] == name]


def test_a_screen_reader_reads_names_hears_finals_and_tabs_in_order(tmp_path):
    assert missing_tools() == [], "run tests/system_packages.sh"
    model = TEST_MODELS / "tiny.en"
    assert (model / "model.bin").is_file(), "run tests/fetch_test_models.py"
    settings = tmp_path / "voicedesk.ini"
    settings.write_text(f"[model]\nspec={model}\n", encoding="utf-8")

    with accessible_desktop() as env:
        env.update(VOICEDESK_SETTINGS_FILE=str(settings), VOICEDESK_DATA_DIR=str(tmp_path / "data"),
                   VOICEDESK_MODEL_DIRS=str(TEST_MODELS), LANG="C.UTF-8", LANGUAGE="en")
        reader = subprocess.Popen([str(SYSTEM_PYTHON), str(READER), "voicedesk", str(TABS)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert reader.stdout is not None and reader.stdout.readline().strip() == "READY"
        # listening from before the app starts: no announcement can be missed
        app = subprocess.Popen([sys.executable, "-m", "voicedesk", str(speech_dir() / "jfk_en.flac")], env=env,
                               cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            out, err = reader.communicate(timeout=120)
        finally:
            app.terminate()
            app.wait(15)
    line = next((line for line in out.splitlines() if line.startswith("ATSPI ")), None)
    assert line is not None, out[-2000:] + err[-3000:]
    seen = json.loads(line[len("ATSPI "):])
    assert "timeout" not in seen and "focus_error" not in seen, seen
    tree = seen["tree"]

    # names and roles of the main controls, as Orca would speak them
    assert _named(tree, "push button", "Start")
    assert _named(tree, "push button", "Look for microphones again")   # not its glyph
    for label in ("Microphone", "Spoken language", "Translate to", "Model"):
        assert [n for n in tree if n["role"] == "combo box" and n["labelled_by"] == [label]], label
    transcript = _named(tree, "text", "Transcript")
    assert transcript and transcript[0]["description"]
    assert _named(tree, "text", "Translation")
    waveform = [n for n in tree if n["name"] == "Input waveform"]
    assert waveform and waveform[0]["description"] in ("Speech", "Silence", "No input")
    assert [n for n in tree if n["name"] == "Input level" and n["description"]]

    # each final is announced, politely, from the transcript; its words are in the transcript
    announced = seen["announcements"]
    assert announced, "no announcement reached AT-SPI"
    text = " ".join(a["text"] for a in announced)
    assert "country" in text.lower()
    for announcement in announced:
        assert announcement["politeness"] == POLITE
        assert announcement["source"]["name"] == "Transcript"
        assert announcement["text"] in " ".join(seen["transcript"].split())

    # the window gives the focus to the microphone dropdown; Tab walks the top row, then the panes
    order = [(f["role"], f["labelled_by"][0] if f["labelled_by"] else f["name"]) for f in seen["focus"]]
    assert order[:TABS + 1] == [
        ("combo box", "Microphone"), ("push button", "Look for microphones again"),
        ("combo box", "Spoken language"), ("combo box", "Translate to"), ("combo box", "Model"),
        ("push button", "Start"), ("text", "Transcript"), ("text", "Translation"),
    ]
