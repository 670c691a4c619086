"""Hostile and odd input files through the real CLI (tiny.en): a result or a one-line error, never a crash or a hang.

The corpus is built here, in a temporary folder, from a real recording (jfk_en) with sox and
PyAV's FFmpeg encoders, plus broken files made by cutting and overwriting real ones.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import av
import numpy as np
import pytest

from testkit.speech import clips, load, wer, write_wav
from testkit.speech_mix import write_session

RATE = 16_000
TIMEOUT_S = 180          # a hang is a failure, not a slow test


@dataclass(frozen=True)
class Case:
    name: str                     # file name in the corpus
    expect: str                   # "speech": transcribed text; "empty": exit 0, no words; "error": one-line error
    error_words: tuple[str, ...] = ()   # words the error message must contain (lower case)


def _sox(src: Path, dst: Path, *opts: str) -> Path:
    subprocess.run(["sox", str(src), *opts, str(dst)], check=True, capture_output=True, timeout=60)
    return dst


def _encode(audio: np.ndarray, dst: Path, codec: str, fmt: Optional[str] = None, rate: int = 44_100,
            layout: str = "stereo", with_video: bool = False, audio_track: bool = True) -> Path:
    """Encode 16 kHz mono audio with FFmpeg (through PyAV): resampled, stereo, optionally beside a video."""
    src = av.AudioFrame.from_ndarray(audio.reshape(1, -1).astype(np.float32), format="flt", layout="mono")
    src.sample_rate = RATE
    duration = len(audio) / RATE
    with av.open(str(dst), "w", format=fmt) as out:
        video = None
        if with_video:
            video = out.add_stream("mpeg4", rate=10)
            video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        stream = out.add_stream(codec, rate=rate, layout=layout) if audio_track else None
        if stream is not None and codec == "vorbis":
            stream.codec_context.options = {"strict": "experimental"}   # FFmpeg's own Vorbis encoder
        if video is not None:
            for i in range(int(duration * 10)):
                image = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i % 255, np.uint8), format="rgb24")
                for packet in video.encode(image):
                    out.mux(packet)
        if stream is not None:
            resampler = av.AudioResampler(format=stream.codec_context.format.name, layout=layout, rate=rate)
            frames = resampler.resample(src) + resampler.resample(None)
            fifo = av.AudioFifo()
            for frame in frames:
                frame.pts = None
                fifo.write(frame)
            size = stream.codec_context.frame_size or 1024
            while fifo.samples:
                frame = fifo.read(min(size, fifo.samples)) if fifo.samples < size else fifo.read(size)
                for packet in stream.encode(frame):
                    out.mux(packet)
        for s in (stream, video):
            if s is not None:
                for packet in s.encode(None):
                    out.mux(packet)
    return dst


# What the CLI must make of each input. The files themselves are written by `build_corpus`.
CASES: list[Case] = [
    Case("good.wav", "speech"),
    Case("empty.wav", "error", ("empty",)),
    Case("header_only.wav", "error"),
    Case("truncated.wav", "speech"),             # the header promises 11 s, the data stops at 4 s
    Case("truncated_in_header.wav", "error"),
    Case("corrupt_header.wav", "error"),
    Case("zeroed_header.wav", "error"),
    Case("notes.wav", "error"),
    Case("notes.txt", "error"),
    Case("random.wav", "error"),
    Case("random.mp3", "error"),
    Case("json.m4a", "error"),
    Case("png.ogg", "error"),
    Case("speech_8k_mono.wav", "speech"),
    Case("speech_48k_stereo.wav", "speech"),
    Case("speech_24bit.wav", "speech"),
    Case("speech_8bit.wav", "speech"),
    Case("speech_float32.wav", "speech"),
    Case("speech.flac", "speech"),
    Case("speech.mp3", "speech"),
    Case("speech.ogg", "speech"),
    Case("speech.opus", "speech"),
    Case("speech.m4a", "speech"),
    Case("video_with_audio.mp4", "speech"),
    Case("video_only.mp4", "error", ("no audio",)),
    Case("mp3_named.wav", "speech"),
    Case("wav_named.mp3", "speech"),
    Case("silence.wav", "empty"),
    Case("tiny_clip.wav", "empty"),              # 10 ms of audio
    Case("a_folder.wav", "error", ("folder",)),
    Case("missing.wav", "error", ("not found",)),
]


def build_corpus(folder: Path) -> list[Case]:
    """Write every file of CASES into `folder` (missing.wav stays missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    jfk = load(clips()["jfk_en"].path)
    good = folder / "good.wav"
    write_wav(good, jfk)
    wav_bytes = good.read_bytes()
    rng = random.Random(7)

    def noise(n: int) -> bytes:
        return bytes(rng.randrange(256) for _ in range(n))

    raw = {
        "empty.wav": b"",
        "header_only.wav": wav_bytes[:44],
        "truncated.wav": wav_bytes[: 44 + 4 * RATE * 2],
        "truncated_in_header.wav": wav_bytes[:20],
        "corrupt_header.wav": noise(44) + wav_bytes[44:],
        "zeroed_header.wav": b"\0" * 44 + wav_bytes[44:],
        "notes.wav": ("This is a text file, not audio.\n" * 200).encode(),
        "notes.txt": ("plain text\n" * 50).encode(),
        "random.wav": noise(200_000),
        "random.mp3": noise(200_000),
        "json.m4a": b'{"not": "audio"}\n',
        "png.ogg": bytes.fromhex("89504e470d0a1a0a") + noise(5000),
    }
    for name, data in raw.items():
        (folder / name).write_bytes(data)
    made: dict[str, Callable[[Path], object]] = {
        "speech_8k_mono.wav": lambda p: _sox(good, p, "-r", "8000"),
        "speech_48k_stereo.wav": lambda p: _sox(good, p, "-r", "48000", "-c", "2"),
        "speech_24bit.wav": lambda p: _sox(good, p, "-b", "24"),
        "speech_8bit.wav": lambda p: _sox(good, p, "-b", "8"),
        "speech_float32.wav": lambda p: _sox(good, p, "-e", "floating-point", "-b", "32"),
        "speech.flac": lambda p: _sox(good, p),
        "speech.mp3": lambda p: _encode(jfk, p, "libmp3lame"),
        "speech.ogg": lambda p: _encode(jfk, p, "vorbis"),
        "speech.opus": lambda p: _encode(jfk, p, "libopus", fmt="ogg", rate=48_000),
        "speech.m4a": lambda p: _encode(jfk, p, "aac", fmt="mp4"),
        "video_with_audio.mp4": lambda p: _encode(jfk, p, "aac", with_video=True),
        "video_only.mp4": lambda p: _encode(jfk, p, "aac", with_video=True, audio_track=False),
        "mp3_named.wav": lambda p: _encode(jfk, p, "libmp3lame", fmt="mp3"),
        "wav_named.mp3": lambda p: shutil.copy(good, p),
        "silence.wav": lambda p: write_wav(p, np.zeros(10 * RATE, np.float32)),
        "tiny_clip.wav": lambda p: write_wav(p, jfk[:160]),
        "a_folder.wav": lambda p: p.mkdir(),
    }
    for name, make in made.items():
        make(folder / name)
    assert {c.name for c in CASES} == {"good.wav", "missing.wav", *raw, *made}
    return CASES


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "voicedesk", "transcribe", *args], capture_output=True, text=True,
                          timeout=TIMEOUT_S, cwd=cwd, env=dict(os.environ, PYTHONWARNINGS="ignore"))


JFK = clips()["jfk_en"].reference


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[Case]]:
    folder = tmp_path_factory.mktemp("bad-files")
    return folder, build_corpus(folder)


# Wording is checked loosely on purpose: this test is about every input giving a result or a clear
# error. tiny.en on these 11 s sometimes drops or loops one utterance (an engine fault seen on the
# Opus, 48 kHz stereo, 8-bit and 8 kHz files, not a decoding one: the decoded audio matches the
# original); a wrongly decoded file (wrong rate, noise, silence) scores near 1.0.
MAX_WER = 0.5


def _reference(case: Case) -> str:
    # the truncated file keeps only its first 4 s
    return "And so my fellow Americans, ask not" if case.name == "truncated.wav" else JFK


def _check_one(case: Case, done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    if case.expect == "error":
        assert done.returncode == 1, (case, done.stdout, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"voicedesk: error: {case.name}: "), done.stderr
        message = lines[0].lower()
        assert all(w in message for w in case.error_words), message
        assert done.stdout == ""
    else:
        assert done.returncode == 0, (case, done.stderr)
        assert done.stderr.strip() == "", done.stderr
        if case.expect == "speech":
            assert wer(_reference(case), done.stdout) <= MAX_WER, done.stdout
        else:
            assert done.stdout.strip() == "", done.stdout


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_each_input_alone_gives_a_result_or_a_one_line_error(corpus, tiny_en_model, case):
    folder, _ = corpus
    done = run_cli(case.name, "--model", tiny_en_model, cwd=folder)
    print(f"\n  exit {done.returncode}  {case.name:26s} {done.stderr.strip()}")
    _check_one(case, done)


def test_all_inputs_at_once_report_each_failure_and_transcribe_the_rest(corpus, tiny_en_model):
    folder, cases = corpus
    done = run_cli(*[c.name for c in cases], "--model", tiny_en_model, cwd=folder)

    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1
    errors = done.stderr.strip().splitlines()
    failing = [c.name for c in cases if c.expect == "error"]
    assert [line.split(": ")[2] for line in errors] == failing, done.stderr
    sections = done.stdout.split("==> ")[1:]
    assert [s.split(" <==")[0] for s in sections] == [c.name for c in cases if c.expect != "error"]
    for case, section in zip([c for c in cases if c.expect != "error"], sections):
        text = section.split("<==\n", 1)[1]
        if case.expect == "speech":
            # each section holds that file's own speech, not a neighbour's
            assert wer(_reference(case), text) <= MAX_WER, (case.name, text)
        if case.expect == "empty":
            assert text.strip() == "", (case.name, text)


@pytest.mark.slow
def test_a_twenty_minute_file_transcribes_without_live_pacing(tiny_en_model, tmp_path):
    utterances = write_session(tmp_path / "long.wav", 20 * 60, seed=3)
    done = run_cli("long.wav", "--model", tiny_en_model, "--format", "json", cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    import json

    segments = json.loads(done.stdout)["segments"]
    said = " ".join(s["text"] for s in segments)
    assert segments[-1]["end"] > utterances[-1].start         # it went to the end of the file
    assert wer(" ".join(u.reference for u in utterances), said) <= 0.35
