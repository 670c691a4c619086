"""`voicedesk transcribe --vocabulary FILE`: a real process, a real model, names synthesized with espeak-ng."""

from __future__ import annotations

import subprocess
import sys

from testkit.speech import espeak_clip


def voicedesk(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "voicedesk", *args], capture_output=True, text=True, timeout=timeout)


def test_the_vocabulary_file_makes_the_names_come_out_right(base_model, tmp_path):
    clip = espeak_clip("Ask Siobhan Nkemelu about the Varkstrom contract.", tmp_path / "names.wav")
    vocabulary = tmp_path / "names.txt"
    vocabulary.write_text("# people\nSiobhan Nkemelu\n# products\nVarkstrom\nvarkstrom\n", encoding="utf-8")
    plain = voicedesk("transcribe", str(clip), "--model", base_model, "--language", "en")
    hinted = voicedesk("transcribe", str(clip), "--model", base_model, "--language", "en",
                       "--vocabulary", str(vocabulary))
    assert plain.returncode == 0 and hinted.returncode == 0, hinted.stderr
    assert "Nkemelu" not in plain.stdout and "Varkstrom" not in plain.stdout, plain.stdout
    assert "Nkemelu" in hinted.stdout and "Varkstrom" in hinted.stdout, hinted.stdout
    assert "voicedesk: vocabulary: Duplicates left out: 1." in hinted.stderr


def test_a_vocabulary_file_that_cannot_be_read_is_one_line_and_nothing_runs(tiny_en_model, speech, tmp_path):
    missing = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", tiny_en_model,
                        "--vocabulary", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.strip().splitlines() == [f"voicedesk: error: No vocabulary file at {tmp_path / 'nope.txt'}"]
    binary = tmp_path / "model.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", tiny_en_model, "--vocabulary", str(binary))
    assert proc.returncode == 2 and "not a UTF-8 text file" in proc.stderr and proc.stdout == ""


def test_a_vocabulary_longer_than_the_prompt_says_which_terms_are_not_used(tiny_en_model, speech, tmp_path):
    vocabulary = tmp_path / "long.txt"
    vocabulary.write_text("".join(f"Brzęczyszczykiewicz{i}\n" for i in range(30)), encoding="utf-8")
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", tiny_en_model,
                     "--vocabulary", str(vocabulary))
    assert proc.returncode == 0, proc.stderr
    assert "country" in proc.stdout.lower()
    notes = [line for line in proc.stderr.splitlines() if "longer than Whisper's prompt" in line]
    assert len(notes) == 1 and "Brzęczyszczykiewicz29" in notes[0]
