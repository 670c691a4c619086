"""The CLI writes UTF-8 whatever the platform's encoding: `voicedesk transcribe x.mp3 > out.txt` on Windows.

Windows gives a redirected stdout its ANSI code page (cp1252 in Western Europe and the Americas), where a
Cyrillic or Chinese word cannot be written. Windows cannot exist here; `PYTHONIOENCODING=cp1252` gives
the child process the same stdout and stderr encoding.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def test_non_latin_text_reaches_a_redirected_output_as_utf8_under_cp1252(tiny_en_model, speech, tmp_path):
    # non-Latin names: with several inputs the text output heads each transcript with the file's name,
    # and an error names the file on stderr
    clip = tmp_path / "Кеннеди 演讲.flac"
    shutil.copy(speech["jfk_en"].path, clip)
    broken = tmp_path / "повреждённый.mp3"
    broken.write_text("not audio")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "VOICEDESK_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run([sys.executable, "-m", "voicedesk", "transcribe", str(broken), str(clip),
                           "--model", tiny_en_model], capture_output=True, timeout=300, env=env)

    stdout, stderr = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")   # strict: UTF-8 or fail
    assert "Traceback" not in stderr and "UnicodeEncodeError" not in stderr, stderr
    assert proc.returncode == 1, stderr                 # one input failed, the other was transcribed
    assert f"==> {clip} <==" in stdout, stdout
    assert "country" in stdout.lower()                  # the transcript follows its heading
    errors = [line for line in stderr.splitlines() if line.startswith("voicedesk: error:")]
    assert len(errors) == 1 and str(broken) in errors[0], stderr


def test_the_encoding_cp1252_really_cannot_write_these_names():
    # guards the test above: if cp1252 could encode the names, it would prove nothing
    for name in ("Кеннеди 演讲.flac", "повреждённый.mp3"):
        try:
            name.encode("cp1252")
        except UnicodeEncodeError:
            continue
        raise AssertionError(f"{name} is writable in cp1252")
