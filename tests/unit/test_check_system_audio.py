"""packaging/check_system_audio.py on macOS, as far as it runs here: the verdicts, the tone it plays, and the
check itself with ScreenCaptureKit and afplay replaced (no Mac here).

The hosted macOS runners grant the screen-recording permission but play into a null output device, so
ScreenCaptureKit delivers no buffer at all; that must not fail the build. Buffers that arrive and cannot be
read (the AudioStreamBasicDescription bug) must.
"""

from __future__ import annotations

import wave
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from testkit.packaging_scripts import load_packaging_script

from voicedesk.audio import mac_system_audio

check = load_packaging_script("check_system_audio")


def test_the_tone_is_a_real_wav_of_the_asked_length(tmp_path):
    path = check.tone_wav(tmp_path / "tone.wav", seconds=0.5, frequency=440.0, rate=48_000)
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate(), wav.getnframes()) == (1, 2, 48_000, 24_000)
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    assert 16_000 < np.abs(samples).max() < 32_767
    crossings = np.count_nonzero(np.diff(np.signbit(samples)))
    assert crossings == pytest.approx(440, abs=4)   # 440 Hz: two sign changes a period, over half a second


@pytest.mark.parametrize("received, unreadable, captured_s, peak, status, words", [
    (0, 0, 0.0, 0.0, 0, "no audio output"),           # the hosted runner: a null output device
    (200, 200, 0.0, 0.0, 1, "none could be read"),    # buffers came, every one dropped
    (200, 0, 2.0, 0.25, 0, "peak 0.250"),
    (200, 0, 2.0, 0.0, 0, "not heard"),
    (200, 0, 0.0, 0.0, 0, "without samples"),
])
def test_the_macos_verdict(received, unreadable, captured_s, peak, status, words):
    got_status, message = check.macos_verdict(received, unreadable, captured_s, peak)
    assert got_status == status and words in message


class _Source:
    """ScreenCaptureSource as far as the check uses it; `buffer_kind` says what ScreenCaptureKit delivers:
    nothing (a null output device), unreadable buffers, or a 10 ms buffer a read. Each read takes a quarter
    of a second of `clock`, the check's own clock, so that the check's seconds pass without waiting."""

    def __init__(self, buffer_kind: str, clock: list[float]) -> None:
        self.kind = buffer_kind
        self.clock = clock
        self.buffers_received = self.buffers_unreadable = 0
        self.captured_seconds = 0.0
        self.stopped = False

    def start(self) -> None:
        pass

    def read(self, timeout: float):
        self.clock[0] += 0.25
        if self.kind == "none":
            # the real source hands out silence by the clock when no buffer comes
            return np.zeros(160, dtype=np.float32)
        self.buffers_received += 1
        if self.kind == "unreadable":
            self.buffers_unreadable += 1
            return np.zeros(160, dtype=np.float32)
        self.captured_seconds += 0.01
        return np.full(160, 0.25, dtype=np.float32)

    def stop(self) -> None:
        self.stopped = True


@pytest.fixture
def mac(monkeypatch):
    """check_macos with ScreenCaptureKit's source and afplay replaced; returns what was played and the source."""
    played: list[Path] = []
    made: list[_Source] = []
    clock = [0.0]
    monkeypatch.setattr(check, "time", SimpleNamespace(monotonic=lambda: clock[0]))

    class _Player:
        def terminate(self):
            pass

        def wait(self, timeout):
            return 0

    def play(path):
        assert Path(path).stat().st_size > 0   # the tone exists while it plays
        played.append(path)
        return _Player()

    def use(kind):
        monkeypatch.setattr(mac_system_audio, "available", lambda: True)
        monkeypatch.setattr(mac_system_audio, "ScreenCaptureSource",
                            lambda: made.append(_Source(kind, clock)) or made[-1])
        monkeypatch.setattr(check, "play_in_background", play, raising=False)
        return played, made

    return use


def test_a_runner_with_no_audio_output_does_not_fail_the_build(mac, monkeypatch, capsys):
    played, made = mac("none")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert check.check_macos() == 0
    out = capsys.readouterr().out
    assert "::warning::" in out and "not verified" in out
    assert len(played) == 1 and made[0].stopped   # a tone was played during the recording


def test_buffers_that_cannot_be_read_fail_the_check(mac, capsys):
    mac("unreadable")
    assert check.check_macos() == 1
    assert "none could be read" in capsys.readouterr().out


def test_audio_that_arrives_passes_the_check(mac, capsys):
    played, _ = mac("audio")
    assert check.check_macos() == 0
    assert "peak 0.250" in capsys.readouterr().out and played
