"""Hostile uploads against a real uvicorn on loopback (issue 20, item 3): audio that claims or decodes to
hours, FFmpeg formats that are not audio files, a queue that must refuse before reading, and the copies a
waiting upload holds."""

from __future__ import annotations

import concurrent.futures
import io
import os
import socket
import struct
import tempfile
import time
from pathlib import Path

import av
import httpx
import numpy as np
import pytest

from testkit.speech import load, write_wav
from testkit.speech_server import speech_server

pytestmark = pytest.mark.timeout(300)

MAX_AUDIO_MINUTES = 0.1                   # 6 s, so that real clips can be too long
QUICK_S = 1.0                             # "a clear 4xx in under a second"

# FFmpeg's `sbg` demuxer (SBaGen binaural-beat scripts): a few bytes that declare 999 hours of sound
SBG_SCRIPT = b"-SE\nalpha: 100+1.5/100\nNOW alpha\n+999:00:00 == alpha\n"


def wav_header_claiming(rate: int, data: bytes) -> bytes:
    """A valid 8-bit mono WAV whose header says `rate` samples a second (1 Hz: 100 kB is 27.8 hours)."""
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate, 1, 8)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def mkv_whose_header_understates(audio: np.ndarray, claimed_s: float) -> bytes:
    """Real speech in Matroska (PCM) whose Duration element is rewritten to `claimed_s`: what a header that
    lies looks like; FFmpeg believes it, and only decoding tells the real length."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="matroska") as container:
        stream = container.add_stream("pcm_s16le", rate=16000, layout="mono")
        pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
        for i in range(0, len(pcm), 1600):
            frame = av.AudioFrame.from_ndarray(pcm[i:i + 1600][None, :], format="s16", layout="mono")
            frame.sample_rate = 16000
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    data = bytearray(out.getvalue())
    at = data.index(b"\x44\x89\x88")         # EBML Duration, an 8-byte float, in milliseconds here
    data[at + 3:at + 11] = struct.pack(">d", claimed_s * 1000)
    with av.open(io.BytesIO(bytes(data))) as check:
        assert check.duration / av.time_base == pytest.approx(claimed_s)
    return bytes(data)


def post(server, name: str, data: bytes, timeout: float = 60) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = httpx.post(server.url + "/v1/audio/transcriptions", files={"file": (name, data)},
                          data={"model": "whisper-1"}, timeout=timeout)
    return response, time.monotonic() - started


@pytest.fixture(scope="module")
def short_server(tiny_en_model):
    with speech_server(tiny_en_model, max_streams=1, max_audio_minutes=MAX_AUDIO_MINUTES) as running:
        yield running


def test_formats_that_are_not_audio_files_are_never_probed(short_server):
    with av.open(io.BytesIO(SBG_SCRIPT), mode="r") as unrestricted:     # what FFmpeg makes of it, left alone
        assert unrestricted.format.name == "sbg" and unrestricted.duration / av.time_base >= 999 * 3600
    response, took = post(short_server, "beats.sbg", SBG_SCRIPT)
    print(f"sbg script ({len(SBG_SCRIPT)} bytes): {response.status_code} in {took:.3f} s")
    assert response.status_code == 400 and took < QUICK_S
    error = response.json()["error"]
    assert error["code"] == "invalid_file" and "beats.sbg" in error["message"]


def test_a_header_that_claims_hours_is_refused_before_decoding(short_server):
    claim = wav_header_claiming(1, b"\x80" * 100_000)       # 100 kB at 1 Hz: 27.8 hours
    response, took = post(short_server, "one-hertz.wav", claim)
    print(f"1 Hz WAV ({len(claim)} bytes): {response.status_code} in {took:.3f} s")
    assert response.status_code == 413 and took < QUICK_S
    error = response.json()["error"]
    assert error["code"] == "audio_too_long" and "27.8 h" in error["message"]
    assert "--max-audio-minutes" in error["message"] and "\n" not in error["message"]


def test_a_header_that_understates_is_caught_while_decoding(short_server, speech):
    jfk = load(speech["jfk_en"].path)                          # 11 s of speech, the limit is 6 s
    response, _ = post(short_server, "lying.mkv", mkv_whose_header_understates(jfk, claimed_s=1.0))
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "audio_too_long"
    # and audio within the limit still goes through, in the same container
    quilter = load(speech["quilter_en"].path)[: 16000 * 5]
    response, _ = post(short_server, "honest.mkv", mkv_whose_header_understates(quilter, claimed_s=5.0))
    assert response.status_code == 200 and "quilter" in response.json()["text"].lower()


# --- the queue -------------------------------------------------------------------------------------------


def raw_upload_head(port: int, length: int) -> socket.socket:
    """A POST whose head is sent and whose body never comes."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(f"POST /v1/audio/transcriptions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
              f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {length}\r\n\r\n".encode())
    return s


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_full_queue_answers_503_before_the_body_is_read(tiny_en_model):
    with speech_server(tiny_en_model, max_streams=1) as server:
        jobs = server.app.state.jobs
        capacity = jobs.running + jobs.waiting                # 1 decoding + 4 waiting
        held = [raw_upload_head(server.port, 1_000_000) for _ in range(capacity)]
        try:
            wait_for(lambda: jobs.in_flight == capacity)     # each holds its place while its body is awaited
            extra = raw_upload_head(server.port, 1_000_000)
            with extra:
                extra.settimeout(QUICK_S)
                started = time.monotonic()
                answer = b""
                while not answer.endswith(b"}}"):               # the JSON error ends the response
                    chunk = extra.recv(4096)
                    assert chunk, answer
                    answer += chunk
                took = time.monotonic() - started
            print(f"503 with no body sent, after {took:.3f} s")
            assert answer.startswith(b"HTTP/1.1 503") and b"server_busy" in answer
        finally:
            for s in held:
                s.close()
        wait_for(lambda: jobs.in_flight == 0)                 # a client that goes away gives its place back
        assert httpx.get(server.url + "/health", timeout=10).status_code == 200


def temp_bytes(folder: Path) -> int:
    """Bytes of temporary files in `folder`: those with a name, and those this process holds open without one."""
    seen: dict[int, int] = {}
    for path in folder.iterdir():
        info = path.stat()
        seen[info.st_ino] = info.st_size
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith(str(folder)):
                info = os.stat(f"/proc/self/fd/{fd}")
                seen[info.st_ino] = info.st_size
        except OSError:
            continue
    return sum(seen.values())


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files through /proc")
def test_waiting_uploads_hold_one_copy_each(tiny_en_model, speech, tmp_path, monkeypatch):
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))      # the server's temporary files, in this process
    jfk = load(speech["jfk_en"].path)
    long_wav = tmp_path / "long.wav"
    write_wav(long_wav, np.concatenate([jfk] * 4))            # 44 s, 1.4 MB: spooled to disk, not memory
    data = long_wav.read_bytes()
    with speech_server(tiny_en_model, max_streams=1) as server, concurrent.futures.ThreadPoolExecutor(3) as pool:
        jobs, shared = server.app.state.jobs, server.app.state.shared_model
        first = pool.submit(post, server, "first.wav", data, 120)
        wait_for(lambda: shared.active_engines == 1, timeout=30)      # the first one decodes
        waiting = [pool.submit(post, server, f"waiting-{i}.wav", data, 120) for i in range(2)]
        wait_for(lambda: jobs.queued == 2, timeout=30)         # both received, waiting behind the first
        held = temp_bytes(folder)
        print(f"3 uploads of {len(data)} bytes in flight hold {held} bytes of temporary files")
        assert held <= 3 * len(data) * 1.1, held
        for future in [first, *waiting]:
            response, _ = future.result(timeout=120)
            assert response.status_code == 200 and "country" in response.json()["text"].lower()
    assert temp_bytes(folder) == 0
