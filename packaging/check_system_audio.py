"""Check system-audio capture on this machine: list the loopbacks, and record one for about two seconds.

    python packaging/check_system_audio.py

Run by the hosted workflow on its Windows, macOS and Linux runners before the build. Prints what it
found. Exit 0 when recording worked, or when the machine has nothing to record (hosted runners may have
no audio device: the output says so); exit 1 when an existing loopback cannot be opened or delivers
nothing. Windows and Linux: every loopback soundcard lists (WASAPI loopback, sink monitors), the default
one opened; macOS: ScreenCaptureKit, whose permission a runner may not grant (said, and exit 0).
"""

from __future__ import annotations

import sys
import time

RECORD_S = 2.0


def _record(source, seconds: float = RECORD_S, warm_up_s: float = 5.0) -> int:
    """Samples (16 kHz) the started `source` delivers in `seconds` after its first block (a new stream
    takes a second or two to deliver: that wait is not counted, up to `warm_up_s`)."""
    frames = 0
    deadline = time.monotonic() + warm_up_s
    while time.monotonic() < deadline:
        block = source.read(0.25)
        if block is not None and len(block):
            frames = len(block)
            break
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        block = source.read(0.25)
        if block is not None:
            frames += len(block)
    return frames


def check_macos() -> int:
    from voicedesk.audio.mac_system_audio import ScreenCaptureSource, available, start_problem
    from voicedesk.audio.source import DeviceError

    if not available():
        print("system audio: ScreenCaptureKit audio unavailable (macOS older than 13, or pyobjc missing)")
        return 0
    source = ScreenCaptureSource()
    try:
        source.start()
    except DeviceError as exc:
        # a runner cannot click "Allow": a refused permission is what a user would see first, not a failure
        refused = str(exc) == str(start_problem("com.apple.ScreenCaptureKit.SCStreamErrorDomain", -3801, ""))
        print(f"system audio: {'permission not granted on this machine' if refused else 'FAILED'}: {exc}")
        return 0 if refused else 1
    try:
        frames = _record(source)
    finally:
        source.stop()
    print(f"system audio: ScreenCaptureKit delivered {frames} samples (16 kHz) in {RECORD_S:.0f} s")
    return 0 if frames > 0 else 1


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
        frames = _record(source)
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
