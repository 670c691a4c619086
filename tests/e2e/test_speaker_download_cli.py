"""`voicedesk models download-speaker` as a user runs it: a real process, the real test model served over real
HTTP on loopback (`testkit.file_server`, standing in for sherpa-onnx's GitHub release), Ctrl+C as a real SIGINT."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from testkit.file_server import FileServer
from voicedesk.models.speaker_download import URL_ENV

pytestmark = pytest.mark.timeout(120)
NAME = "campplus.onnx"


def _env(data_dir: Path, url: str) -> dict[str, str]:
    return {**os.environ, "VOICEDESK_DATA_DIR": str(data_dir), URL_ENV: url}


def voicedesk(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "voicedesk", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def _left(data_dir: Path) -> list[str]:
    folder = data_dir / "speaker-models"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_download_speaker_shows_progress_installs_and_models_list_says_so(speaker_model, tmp_path):
    data = tmp_path / "data"
    with FileServer({NAME: speaker_model.read_bytes()}) as server:
        env = _env(data, server.url_of(NAME))
        got = voicedesk("models", "download-speaker", env=env)
    assert got.returncode == 0, got.stderr
    progress = [line for line in got.stderr.splitlines() if line.startswith("Downloading the speaker model:")]
    assert len(progress) > 2 and progress[-1].startswith("Downloading the speaker model: 100%"), got.stderr
    assert f"of {speaker_model.stat().st_size / 1e6:.1f} MB" in progress[-1]
    assert got.stdout.strip() == f"Installed the speaker model: {data / 'speaker-models' / 'campplus.onnx'}"
    assert (data / "speaker-models" / "campplus.onnx").read_bytes() == speaker_model.read_bytes()

    listed = voicedesk("models", "list", env=env)                 # the server is gone: all local now
    row = next(line for line in listed.stdout.splitlines() if line.startswith("speaker"))
    assert "installed" in row and "not installed" not in row


def test_ctrl_c_midway_keeps_nothing(speaker_model, tmp_path):
    data = tmp_path / "data"
    with FileServer({NAME: speaker_model.read_bytes()}) as server:
        server.behaviour.trickle_bytes = 64 * 1024
        server.behaviour.trickle_delay_s = 0.02                   # about 10 s for the whole file
        proc = subprocess.Popen([sys.executable, "-m", "voicedesk", "models", "download-speaker"],
                                env=_env(data, server.url_of(NAME)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()
        try:
            first = lines.get(timeout=30)                          # "Downloading the speaker model: 0% ..."
            assert first.startswith("Downloading the speaker model:"), first
            proc.send_signal(signal.SIGINT)
            code = proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    time.sleep(0.1)                                                # the reader takes the last lines
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    stderr = "".join([first, *rest])
    assert code == 130, stderr
    assert "Traceback" not in stderr and "voicedesk: error: cancelled; nothing was kept" in stderr, stderr
    assert _left(data) == [], "no partial file and no model"


def test_an_unreachable_server_fails_fast_with_one_line(tmp_path):
    with FileServer({}) as gone:
        url = gone.url_of(NAME)
    started = time.monotonic()
    got = voicedesk("models", "download-speaker", env=_env(tmp_path / "data", url))
    assert time.monotonic() - started < 20
    errors = [line for line in got.stderr.splitlines() if line.startswith("voicedesk: error:")]
    assert got.returncode == 1 and len(errors) == 1 and "Traceback" not in got.stderr, got.stderr
    assert "Cannot reach 127.0.0.1" in errors[0] and "voicedesk models add-speaker FILE" in errors[0]
    assert _left(tmp_path / "data") == []
