"""The bundle smoke test's window report, from the source tree: the same entry.py the bundle runs.

A bundle is built only by packaging/build.py (tests/e2e/test_bundle.py runs the same checks on it);
here `python packaging/entry.py` starts the real window offscreen, lets its own controller
transcribe a real clip as File > Transcribe file... does, and reports what its process loaded.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from testkit.packaging_scripts import load_packaging_script
from testkit.speech import clips, wer

ROOT = Path(__file__).resolve().parents[2]
MODEL = Path(os.environ.get("VOICEDESK_TEST_MODELS", Path.home() / ".cache" / "voicedesk" / "test-models")) / "tiny.en"
MAX_WER = 0.35   # tiny.en on an 11 s clip: the point is "it transcribes"

smoke = load_packaging_script("smoke_test")


def test_the_window_reports_its_libraries_and_transcribes_a_clip_with_its_own_engine(tmp_path):
    assert MODEL.is_dir(), f"missing test model {MODEL} (python tests/fetch_test_models.py)"
    clip = clips()["jfk_en"]
    env = smoke.isolated_env(tmp_path / "home")
    info = smoke.open_window([sys.executable, str(ROOT / "packaging" / "entry.py")], env, tmp_path, clip.path, MODEL)

    assert [w["class"] for w in info["windows"]] == ["MainWindow"]
    assert smoke.library_problems(info) == []
    assert info["libraries"]["portaudio"]["version"].startswith("PortAudio V")
    import ctranslate2

    assert info["libraries"]["ctranslate2"]["version"] == ctranslate2.__version__
    text = smoke.window_transcript(info)
    assert wer(clip.reference, text) <= MAX_WER, text
    run = info["transcription"]
    assert Path(run["model"]) == MODEL.resolve() and run["banner"] == ""
    # exported through the window's File > Export, the same text; the settings went to the isolated file
    assert Path(run["exported"]).read_text(encoding="utf-8").split() == text.split()
    assert str(MODEL.resolve()) in Path(env["VOICEDESK_SETTINGS_FILE"]).read_text(encoding="utf-8")
