"""Check system-audio capture on this machine: list the loopbacks, and record one for about two seconds.

    python packaging/check_system_audio.py

Run by the hosted workflow on its Windows, macOS and Linux runners before the build. Prints what it
found. Exit 0 when recording worked, or when the machine has nothing to record (hosted runners may have
no audio device: the output says so, as a workflow warning on GitHub); exit 1 when an existing loopback
cannot be opened or delivers nothing, or when what macOS delivers cannot be read. Windows and Linux: every
loopback soundcard lists (WASAPI loopback, sink monitors), the default one opened; macOS: ScreenCaptureKit,
while `afplay` plays a tone (ScreenCaptureKit sends nothing while nothing plays), whose permission a runner
may not grant (said, and exit 0). The hosted macOS runners grant it but play into a null output device, so
no buffer arrives there: that is said, and is not a failure.
"""

from __future__ import annotations

import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path
from typing import Callable, Optional

RECORD_S = 2.0
WARM_UP_S = 5.0
TONE_S = RECORD_S + WARM_UP_S + 5.0   # outlasts the recording: the player is stopped after it


def _record(source, seconds: float = RECORD_S, warm_up_s: float = WARM_UP_S,
            started: Optional[Callable[[], bool]] = None) -> tuple[int, float]:
    """(samples, peak) the started `source` delivers at 16 kHz in `seconds` after it started delivering:
    a new stream takes a second or two, and that wait (up to `warm_up_s`) is not counted. `started` says
    when it did; by default, at the first samples."""
    frames, peak = 0, 0.0
    deadline = time.monotonic() + warm_up_s
    while time.monotonic() < deadline:
        block = source.read(0.25)
        got = block is not None and len(block) > 0
        if started() if started is not None else got:
            if got:
                frames, peak = len(block), float(abs(block).max())
            break
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        block = source.read(0.25)
        if block is not None and len(block):
            frames += len(block)
            peak = max(peak, float(abs(block).max()))
    return frames, peak


def tone_wav(path: Path, seconds: float = TONE_S, frequency: float = 440.0, rate: int = 48_000) -> Path:
    """A sine tone at half scale, 16-bit mono WAV, for the Mac to play while its system audio is recorded."""
    count = int(seconds * rate)
    samples = (round(16_383 * math.sin(2 * math.pi * frequency * i / rate)) for i in range(count))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack(f"<{count}h", *samples))
    return path


def play_in_background(path: Path) -> Optional[subprocess.Popen]:
    """`afplay` (part of macOS) playing `path` through the default output; None where it cannot start."""
    player = shutil.which("afplay")
    if player is None:
        return None
    try:
        return subprocess.Popen([player, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None


def macos_verdict(received: int, unreadable: int, captured_s: float, peak: float) -> tuple[int, str]:
    """(exit status, what to print) from what ScreenCaptureKit delivered while the tone played."""
    if received == 0:
        return 0, ("ScreenCaptureKit delivered no audio buffer while a tone played: this machine has no audio "
                   "output to record (hosted macOS runners play into a null device), so capture was not verified")
    if captured_s <= 0 and unreadable:
        return 1, (f"FAILED: ScreenCaptureKit delivered {received} audio buffers and none could be read "
                   f"({unreadable} unreadable; the log says why)")
    if captured_s <= 0:
        return 0, f"ScreenCaptureKit delivered {received} audio buffers without samples: nothing to verify"
    heard = f"peak {peak:.3f}" if peak > 0 else "all zeros: the tone was not heard"
    skipped = f", {unreadable} unreadable buffers skipped" if unreadable else ""
    return 0, (f"ScreenCaptureKit delivered {captured_s:.1f} s of audio in {received} buffers ({heard}"
               f"{skipped})")


def _warn(message: str) -> None:
    # a workflow warning annotation on GitHub Actions, so that "not verified" is seen, not only logged
    print(f"::warning::{message}" if os.environ.get("GITHUB_ACTIONS") == "true" else f"warning: {message}")


def check_macos() -> int:
    from voicedesk.audio import mac_system_audio
    from voicedesk.audio.source import DeviceError

    if not mac_system_audio.available():
        print("system audio: ScreenCaptureKit audio unavailable (macOS older than 13, or pyobjc missing)")
        return 0
    source = mac_system_audio.ScreenCaptureSource()
    try:
        source.start()
    except DeviceError as exc:
        # a runner cannot click "Allow": a refused permission is what a user would see first, not a failure
        declined = mac_system_audio.start_problem(mac_system_audio.SCSTREAM_ERROR_DOMAIN,
                                                  mac_system_audio.USER_DECLINED, "")
        refused = str(exc) == str(declined)
        print(f"system audio: {'permission not granted on this machine' if refused else 'FAILED'}: {exc}")
        return 0 if refused else 1
    with tempfile.TemporaryDirectory() as tmp:
        player = play_in_background(tone_wav(Path(tmp) / "tone.wav"))
        print(f"system audio: {'playing a 440 Hz tone with afplay' if player else 'afplay not found: no tone'}")
        try:
            frames, peak = _record(source, started=lambda: source.buffers_received > 0)
        finally:
            source.stop()
            if player is not None:
                player.terminate()
                player.wait(5)
    print(f"system audio: the reader got {frames} samples (16 kHz, silence included) in {RECORD_S:.0f} s")
    status, message = macos_verdict(source.buffers_received, source.buffers_unreadable, source.captured_seconds,
                                    peak)
    if status == 0 and source.buffers_received == 0:
        _warn(f"system audio: {message}")
    else:
        print(f"system audio: {message}")
    return status


def check_loopbacks() -> int:
    from voicedesk.audio.source import DeviceError
    from voicedesk.audio.system_audio import DEFAULT_LOOPBACK, SystemAudioSource, list_loopbacks

    try:
        loopbacks = list_loopbacks()
    except DeviceError as exc:
        print(f"system audio: no sound system to ask on this machine ({exc}); nothing to check")
        return 0
    for loopback in loopbacks:
        print(f"loopback: {loopback.name!r} id={loopback.id!r}{' (default)' if loopback.is_default else ''}")
    if not loopbacks:
        print("system audio: this machine has no output device, so no loopback to record (normal on a runner)")
        return 0
    source = SystemAudioSource(DEFAULT_LOOPBACK)
    try:
        source.start()
        frames, _ = _record(source)
    except DeviceError as exc:
        print(f"system audio: FAILED to record {loopbacks[0].name!r}: {exc}")
        return 1
    finally:
        source.stop()
    print(f"system audio: {source.name!r} delivered {frames} samples (16 kHz) in {RECORD_S:.0f} s "
          f"({source.channels} channel(s) at {source.samplerate} Hz before resampling)")
    return 0 if frames > 0 else 1


def main() -> int:
    print(f"platform: {sys.platform}")
    return check_macos() if sys.platform == "darwin" else check_loopbacks()


if __name__ == "__main__":
    sys.exit(main())
