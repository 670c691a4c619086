"""`voicedesk transcribe --speakers` as a user runs it: a real process, the real Whisper and speaker models, a real
two-person phone call (conversation_en, with reference turns)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def voicedesk(*args: str, data_dir: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "VOICEDESK_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "voicedesk", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture()
def with_speaker_model(tmp_path: Path, speaker_model: Path) -> Path:
    """A data folder where the speaker model was added the way a user adds it."""
    data = tmp_path / "data"
    proc = voicedesk("models", "add-speaker", str(speaker_model), data_dir=data)
    assert proc.returncode == 0, proc.stderr
    return data


def test_a_two_person_call_gets_its_two_speakers_in_rttm_and_text(base_model, speech, with_speaker_model):
    # the count given: on this telephone call the two voices are too close for Auto (README: Speaker labels)
    call = str(speech["conversation_en"].path)
    rttm = voicedesk("transcribe", call, "--model", base_model, "--threads", "2", "--speakers", "2", "--format",
                     "rttm", data_dir=with_speaker_model)
    assert rttm.returncode == 0, rttm.stderr
    lines = [line.split() for line in rttm.stdout.splitlines()]
    assert lines and all(fields[0] == "SPEAKER" and len(fields) == 10 for fields in lines)
    assert {fields[7] for fields in lines} == {"Speaker_1", "Speaker_2"}
    assert sum(float(fields[4]) for fields in lines) > 15.0, "most of the call's speech is labelled"

    # the first speaker named, the second left as it is
    text = voicedesk("transcribe", call, "--model", base_model, "--threads", "2", "--speakers", "2",
                     "--speaker-names", "Ana,", data_dir=with_speaker_model)
    assert text.returncode == 0, text.stderr
    starts = {line.split(":")[0] for line in text.stdout.splitlines() if ": " in line}
    assert starts == {"Ana", "Speaker 2"}


def test_speaker_names_without_speakers_is_a_usage_error(base_model, speech, tmp_path):
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", base_model, "--speaker-names", "Ana",
                     data_dir=tmp_path / "data")
    assert proc.returncode == 2 and "add --speakers" in proc.stderr and "Traceback" not in proc.stderr


def test_one_voice_gets_one_label_in_auto(base_model, speech, with_speaker_model):
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", base_model, "--threads", "2",
                     "--speakers", data_dir=with_speaker_model)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Speaker 1: ") and "Speaker 2" not in proc.stdout


def test_rttm_turns_leave_out_a_speakers_pauses(base_model, speech, with_speaker_model):
    # JFK pauses about a second inside his sentences ("And so, my fellow Americans, | ask not | what your country
    # can do for you"): diarization references mark speech, and a turn that covers the pauses scores them as
    # false alarm
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", base_model, "--threads", "2",
                     "--speakers", "--format", "rttm", data_dir=with_speaker_model)
    assert proc.returncode == 0, proc.stderr
    turns = [(float(p[3]), float(p[3]) + float(p[4])) for p in (line.split() for line in proc.stdout.splitlines())]
    pauses = [b_start - a_end for (_, a_end), (b_start, _) in zip(turns, turns[1:])]
    assert len(turns) >= 3 and min(pauses) > 0.4, turns
    assert sum(end - start for start, end in turns) < turns[-1][1] - turns[0][0] - 2.0


def test_events_say_which_final_each_speaker_said(base_model, speech, with_speaker_model):
    proc = voicedesk("transcribe", str(speech["conversation_en"].path), "--model", base_model, "--threads", "2",
                     "--speakers", "2", "--events", data_dir=with_speaker_model)
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    finals = {e["segment_id"] for e in events if e["type"] == "final"}
    [labels] = [e for e in events if e["type"] == "speakers"]
    assert labels["v"] == 4 and labels["speakers"] == 2
    assert {segment for segment, _ in labels["labels"]} == finals
    assert events.index(labels) < next(i for i, e in enumerate(events) if e["type"] == "run-ended")


def test_without_the_speaker_model_the_user_is_told_how_to_add_it(tiny_en_model, speech, tmp_path):
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", tiny_en_model, "--speakers",
                     data_dir=tmp_path / "empty")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "voicedesk models add-speaker" in proc.stderr


def test_rttm_without_speaker_labels_is_a_usage_error(tiny_en_model, speech, tmp_path):
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", tiny_en_model, "--format", "rttm",
                     data_dir=tmp_path / "data")
    assert proc.returncode == 2 and "--speakers" in proc.stderr and "Traceback" not in proc.stderr


def test_a_corrupt_speaker_model_loses_no_text(tiny_en_model, speech, tmp_path, speaker_model):
    data = tmp_path / "data"
    assert voicedesk("models", "add-speaker", str(speaker_model), data_dir=data).returncode == 0
    installed = next(data.rglob("*.onnx"))
    installed.write_bytes(installed.read_bytes()[:1000])          # cut short on disk after it was added
    proc = voicedesk("transcribe", str(speech["jfk_en"].path), "--model", tiny_en_model, "--speakers",
                     data_dir=data)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "country" in proc.stdout.lower(), "the transcript is all there"
    assert "speaker" in proc.stderr.lower()
