"""`voicedesk transcribe` as a user runs it: a real process, real files, real models."""

from __future__ import annotations

import json
import subprocess
import sys

import srt


def voicedesk(*args: str, timeout: float = 300, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "voicedesk", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def assert_one_line_error(proc: subprocess.CompletedProcess, *fragments: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("voicedesk: error:")]
    assert errors, proc.stderr
    for fragment in fragments:
        assert any(fragment.lower() in line.lower() for line in errors), (fragment, proc.stderr)


def test_transcribes_a_file_to_srt_on_stdout(tiny_en_model, speech):
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", tiny_en_model, "--format", "srt")
    assert proc.returncode == 0, proc.stderr
    cues = list(srt.parse(proc.stdout))
    assert cues and "country" in " ".join(c.content for c in cues).lower()
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:]))


def test_writes_the_format_its_output_suffix_names(tiny_en_model, speech, tmp_path):
    out = tmp_path / "jfk.vtt"
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", tiny_en_model, "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith("WEBVTT")


def test_events_are_json_lines_with_times_and_ids(tiny_en_model, speech):
    proc = voicedesk("transcribe", str(speech["quilter_en"].path), "--model", tiny_en_model, "--events", "--live")
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    kinds = {e["type"] for e in events}
    assert {"status", "partial", "final", "level"} <= kinds
    for e in events:
        assert "emitted_at" in e
    finals = [e for e in events if e["type"] == "final"]
    for e in finals:
        assert {"text", "start", "end", "segment_id"} <= e.keys()
        assert 0 <= e["start"] <= e["end"] <= 6.5
    assert [e["emitted_at"] for e in events] == sorted(e["emitted_at"] for e in events)
    # live pace: the last final cannot come before the audio was heard
    assert finals[-1]["emitted_at"] >= 5.0


def test_live_mode_prints_partial_lines_then_final_lines(tiny_en_model, speech):
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", tiny_en_model, "--live")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    partial = [i for i, line in enumerate(lines) if line.startswith("…")]
    final = [i for i, line in enumerate(lines) if line.startswith("[")]
    assert partial and final and partial[0] < final[-1]
    assert "country" in lines[final[-1]].lower()


def test_live_settled_mode_prints_final_lines_only(tiny_en_model, speech):
    proc = voicedesk("transcribe", str(speech["quilter_en"].path), "--model", tiny_en_model, "--live", "--settled")
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines and all(line.startswith("[") for line in lines), lines
    assert "gospel" in " ".join(lines).lower()


def test_missing_empty_and_non_audio_inputs_give_one_line_errors(tiny_en_model, tmp_path):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    text = tmp_path / "notes.mp3"
    text.write_text("this is not audio\n" * 50)
    for bad, fragment in ((tmp_path / "missing.wav", "not found"), (empty, "empty"), (text, "notes.mp3")):
        proc = voicedesk("transcribe", str(bad), "--model", tiny_en_model)
        assert_one_line_error(proc, fragment)


def test_with_several_inputs_the_good_ones_are_still_done(tiny_en_model, speech, tmp_path):
    corrupt = tmp_path / "corrupt.flac"
    corrupt.write_bytes(speech["jfk_en"].path.read_bytes()[:300])
    proc = voicedesk("transcribe", str(corrupt), str(speech["quilter_en"].path), "--model", tiny_en_model)
    assert proc.returncode == 1
    assert_one_line_error(proc, "corrupt.flac")
    assert "apostle" in proc.stdout.lower()


def test_unknown_model_and_bad_model_folder_are_reported(speech, tmp_path):
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", "gigantic-v9")
    assert_one_line_error(proc, "unknown model")
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", str(folder))
    assert_one_line_error(proc, "model.bin")


def test_uninstalled_language_pair_is_reported_before_any_work(tiny_en_model, speech, empty_argos_home):
    import os

    from testkit.argos_package import argos_env

    env = dict(os.environ, **argos_env(empty_argos_home))
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", tiny_en_model, "--language", "en",
                     "--translate-to", "de", env=env)
    assert_one_line_error(proc, "en→de")
    assert proc.stdout == ""


def test_translates_through_english_into_bilingual_subtitles(base_model, speech, argos_home, tmp_path):
    import os

    from testkit.argos_package import argos_env

    out = tmp_path / "es-de.srt"
    env = dict(os.environ, **argos_env(argos_home))
    proc = voicedesk("transcribe", str(speech["arenas_es"].path), "--model", base_model, "--language", "es",
                     "--translate-to", "de", "--output", str(out), env=env)
    assert proc.returncode == 0, proc.stderr
    cues = list(srt.parse(out.read_text(encoding="utf-8")))
    # the test pack's German is gibberish of any length: check the layout, not the wording
    lines = [line for c in cues for line in c.content.splitlines()]
    assert cues and any(len(c.content.splitlines()) == 2 for c in cues), [c.content for c in cues]
    assert "blanquecinas" in " ".join(lines) and "medio" in " ".join(lines)


def test_a_model_name_not_on_this_computer_that_cannot_be_fetched_names_the_command_to_get_it(speech, tmp_path):
    import os
    import socket

    # a closed port on loopback stands in for a hub that cannot be reached
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, HF_ENDPOINT=f"http://127.0.0.1:{port}", HF_HOME=str(tmp_path / "hf"),
               VOICEDESK_DATA_DIR=str(tmp_path / "data"))
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", "tiny", env=env, timeout=120)
    assert_one_line_error(proc, "voicedesk models download tiny")
    assert proc.stdout == ""
