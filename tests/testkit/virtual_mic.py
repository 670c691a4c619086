"""Real virtual microphones on a PulseAudio server, fed with real recordings (see CONTRIBUTING.md).

Each microphone is a null sink (the "speaker" a test plays into) plus a remap source on
its monitor (the microphone the app records from), with a human description. Names carry
a random suffix because several test runs share one sound server on this machine.

Register with `pytest_plugins = ["testkit.virtual_mic"]` to get the fixtures
`pulse_server` (session) and `virtual_mics` (function; a factory that cleans up).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Union

import pytest

_PACTL_TIMEOUT = 10.0


@dataclass(frozen=True)
class VirtualMic:
    """One virtual microphone: play into `sink`, record from `source`."""

    description: str
    sink: str
    source: str
    sink_module: int
    source_module: int


def _pactl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=_PACTL_TIMEOUT)


def pulse_running() -> bool:
    """Whether a PulseAudio (or PipeWire-pulse) server answers."""
    return shutil.which("pactl") is not None and _pactl("info").returncode == 0


def ensure_pulse_daemon(timeout: float = 20.0) -> None:
    """Start a PulseAudio daemon unless one answers; it is left running (other test runs may share it).

    A daemon that stopped answering (seen once after a burst of module unloads and reloads) is killed
    and started again, so one bad moment of the sound server does not fail every later test.
    """
    if pulse_running():
        return
    for tool in ("pulseaudio", "pactl", "paplay"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"'{tool}' is missing: apt-get install pulseaudio pulseaudio-utils")
    deadline = time.monotonic() + timeout
    attempt = 0
    while time.monotonic() < deadline:
        if attempt:
            # still no answer: a hung or half-dead daemon holds the socket; replace it
            subprocess.run(["pulseaudio", "--kill"], capture_output=True, timeout=10)
            time.sleep(0.5)
        # as root PulseAudio warns that it is not meant to run so; it works for tests
        subprocess.run(["pulseaudio", "-D", "--exit-idle-time=-1", "--disallow-exit"],
                       capture_output=True, text=True, timeout=timeout)
        attempt += 1
        settle = time.monotonic() + 5.0
        while time.monotonic() < min(settle, deadline):
            if pulse_running():
                return
            time.sleep(0.1)
    raise RuntimeError("PulseAudio did not start (pulseaudio -D gave no server)")


def _refresh_portaudio_if_stale() -> None:
    """PortAudio lists devices once; if it did so before the server ran, `pulse` is missing: rescan."""
    if "sounddevice" not in sys.modules:
        return
    from voicedesk.audio.devices import list_input_devices, refresh_devices

    if not any(d.name == "pulse" for d in list_input_devices()):
        refresh_devices()


def _load_module(*args: str) -> int:
    result = _pactl("load-module", *args)
    if result.returncode != 0:
        raise RuntimeError(f"pactl load-module {' '.join(args)} failed: {result.stderr.strip()}")
    return int(result.stdout.strip())


def create_virtual_mic(description: str, rate: int = 16_000, channels: int = 1) -> VirtualMic:
    """Load a null sink + remap source pair; the source shows `description` as its human name."""
    if "'" in description or '"' in description:
        raise ValueError("description must not contain quotes")
    slug = re.sub(r"[^a-z0-9]+", "_", description.lower()).strip("_") or "mic"
    tag = f"vd_{slug}_{uuid.uuid4().hex[:8]}"
    sink, source = f"{tag}_spk", f"{tag}_mic"
    sink_module = _load_module(
        "module-null-sink",
        f"sink_name={sink}",
        f"rate={rate}",
        f"channels={channels}",
        # PulseAudio's module arguments take a quoted value; the proplist inside takes the inner quotes
        f"sink_properties=\"device.description='{description} (speaker)'\"",
    )
    try:
        source_module = _load_module(
            "module-remap-source",
            f"master={sink}.monitor",
            f"source_name={source}",
            f"source_properties=\"device.description='{description}'\"",
        )
    except Exception:
        _pactl("unload-module", str(sink_module))
        raise
    return VirtualMic(description, sink, source, sink_module, source_module)


def replug(mic: VirtualMic) -> VirtualMic:
    """Bring an unplugged microphone back under the same sink and source names (a device that returns)."""
    sink_module = _load_module(
        "module-null-sink",
        f"sink_name={mic.sink}",
        "rate=16000",
        "channels=1",
        f"sink_properties=\"device.description='{mic.description} (speaker)'\"",
    )
    try:
        source_module = _load_module(
            "module-remap-source",
            f"master={mic.sink}.monitor",
            f"source_name={mic.source}",
            f"source_properties=\"device.description='{mic.description}'\"",
        )
    except Exception:
        _pactl("unload-module", str(sink_module))
        raise
    return VirtualMic(mic.description, mic.sink, mic.source, sink_module, source_module)


def unplug(mic: VirtualMic) -> None:
    """Remove the microphone (as if unplugged): its source first, then its speaker; idempotent."""
    _pactl("unload-module", str(mic.source_module))
    _pactl("unload-module", str(mic.sink_module))


def play_into(mic: VirtualMic, wav: Union[str, Path]) -> subprocess.Popen[bytes]:
    """Start playing `wav` into the microphone (returns at once; wait() on the process to finish)."""
    return subprocess.Popen(
        ["paplay", f"--device={mic.sink}", str(wav)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


@pytest.fixture(scope="session")
def pulse_server() -> Iterator[None]:
    """A running PulseAudio server for the whole test session."""
    ensure_pulse_daemon()
    _refresh_portaudio_if_stale()
    yield


class VirtualMics:
    """Factory handed to tests: makes microphones and players, and removes them afterwards."""

    def __init__(self) -> None:
        self._mics: list[VirtualMic] = []
        self._players: list[subprocess.Popen[bytes]] = []

    def __call__(self, description: str, rate: int = 16_000, channels: int = 1) -> VirtualMic:
        mic = create_virtual_mic(description, rate, channels)
        self._mics.append(mic)
        return mic

    def play(self, mic: VirtualMic, wav: Union[str, Path]) -> subprocess.Popen[bytes]:
        player = play_into(mic, wav)
        self._players.append(player)
        return player

    def unplug(self, mic: VirtualMic) -> None:
        """Remove `mic` now, mid-test (cleanup later tolerates it being gone)."""
        unplug(mic)

    def replug(self, mic: VirtualMic) -> VirtualMic:
        """Bring `mic` back with the same names (removed after the test like the others)."""
        back = replug(mic)
        self._mics.append(back)
        return back

    def close(self) -> None:
        for player in self._players:
            if player.poll() is None:
                player.terminate()
                player.wait(timeout=5)
        for mic in self._mics:
            unplug(mic)


@pytest.fixture
def virtual_mics(pulse_server: None) -> Iterator[VirtualMics]:
    """`mic = virtual_mics("Desk Mic")`, `virtual_mics.play(mic, wav)`; all removed after the test."""
    # the server may have gone since the session began (a daemon autospawned by some client exits when
    # idle): start one again rather than fail every later test
    ensure_pulse_daemon()
    factory = VirtualMics()
    try:
        yield factory
    finally:
        factory.close()
