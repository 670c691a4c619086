"""The sound server's own sources (PulseAudio or PipeWire), by human name, and recording from one.

PortAudio sees a PulseAudio/PipeWire system as two ALSA devices, `pulse` and `default`;
the real microphones and the monitors of outputs ("system audio") live one level down.
The ALSA pulse plugin reads `PULSE_SOURCE` from the environment when a stream is opened,
which is how a PortAudio stream on `pulse` records from a chosen source.

Every question to the sound server is bounded in time: a server that accepts the connection but
stops answering must not hold up the capture thread (which asks once a second whether its source is
still there) nor Stop. libpulse's blocking calls have no timeout of their own short of its ~30 s
protocol timeout, and pulsectl's `connect(timeout=)` waits out the whole timeout even after
connecting (24.12), so the pulsectl query runs on a helper thread that the caller waits for at most
`timeout` seconds. A query that outlives that is left to finish (or fail) on its own; later callers
wait on it instead of starting another, so a stuck server costs one thread, not one per second.
`pactl` runs with a subprocess timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Optional

from voicedesk.audio.source import DeviceError
from voicedesk.i18n import translate

PULSE_ENV = "PULSE_SOURCE"
PORTAUDIO_DEVICE = "pulse"
"""The PortAudio (ALSA plugin) device through which a pulse source is recorded."""
DEFAULT_TIMEOUT_S = 2.0
"""How long one question to the sound server may take; a local server answers in milliseconds."""

# os.environ is process-wide: two streams opening at once must not see each other's choice
_env_lock = threading.Lock()


@dataclass(frozen=True)
class PulseSource:
    """One source of the sound server: a microphone, or the monitor of an output."""

    name: str
    description: str
    is_monitor: bool
    is_default: bool
    channels: int
    samplerate: int


def _via_pulsectl() -> Optional[list[PulseSource]]:
    """Sources through libpulse; None when the binding is unusable, [] when no server answers."""
    try:
        import pulsectl
    except (ImportError, OSError):
        return None
    try:
        with pulsectl.Pulse("voicedesk", connect=False) as pulse:
            # no autospawn: asking for a list must not start a sound server. No timeout either:
            # pulsectl 24.12 then polls for the whole timeout even after connecting, while a
            # plain connect to a local socket fails at once when no server listens.
            pulse.connect(autospawn=False)
            default = pulse.server_info().default_source_name
            return [
                PulseSource(
                    name=src.name,
                    description=src.description or src.name,
                    is_monitor=src.monitor_of_sink != 0xFFFFFFFF or src.name.endswith(".monitor"),
                    is_default=src.name == default,
                    channels=int(src.channel_count),
                    samplerate=int(src.sample_spec.rate),
                )
                for src in pulse.source_list()
            ]
    except pulsectl.PulseError:
        return []


class SoundServerTimeout(Exception):
    """The sound server accepted the connection but did not answer in time."""


class _Query:
    """One pulsectl listing on its own thread; callers wait for `done` with their own deadline."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Optional[list[PulseSource]] = None
        self.error: Optional[BaseException] = None

    def run(self) -> None:
        try:
            self.result = _via_pulsectl()
        except BaseException as exc:  # handed to the waiting caller, as if it had made the call itself
            self.error = exc
        finally:
            self.done.set()


_query_lock = threading.Lock()
_inflight: Optional[_Query] = None


def _via_pulsectl_bounded(timeout: float) -> Optional[list[PulseSource]]:
    """`_via_pulsectl()` within `timeout` seconds; raises SoundServerTimeout when it takes longer."""
    global _inflight
    with _query_lock:
        query = _inflight
        if query is None or query.done.is_set():
            query = _inflight = _Query()
            threading.Thread(target=query.run, name="voicedesk-pulse-query", daemon=True).start()
    if not query.done.wait(max(0.0, timeout)):
        raise SoundServerTimeout(f"The sound server did not answer within {timeout:g} s")
    if query.error is not None:
        raise query.error
    return query.result


def _via_pactl(timeout: float) -> list[PulseSource]:
    """Sources through `pactl -f json` (PulseAudio 16+ and PipeWire's pactl), both calls within `timeout`."""
    pactl = shutil.which("pactl")
    if pactl is None:
        return []
    deadline = time.monotonic() + timeout
    try:
        listing = subprocess.run(
            [pactl, "-f", "json", "list", "sources"], capture_output=True, text=True, timeout=timeout
        )
        info = subprocess.run([pactl, "-f", "json", "info"], capture_output=True, text=True,
                              timeout=max(0.05, deadline - time.monotonic()))
        if listing.returncode != 0:
            return []
        sources = json.loads(listing.stdout)
        default = json.loads(info.stdout).get("default_source_name") if info.returncode == 0 else None
    except (subprocess.TimeoutExpired, OSError, ValueError):
        return []
    found = []
    for src in sources:
        props = src.get("properties", {})
        spec = str(src.get("sample_specification", "")).split()  # e.g. "s16le 1ch 16000Hz"
        channels = next((int(p[:-2]) for p in spec if p.endswith("ch") and p[:-2].isdigit()), 0)
        rate = next((int(p[:-2]) for p in spec if p.endswith("Hz") and p[:-2].isdigit()), 0)
        found.append(
            PulseSource(
                name=src["name"],
                description=src.get("description") or props.get("device.description") or src["name"],
                is_monitor=props.get("device.class") == "monitor" or src["name"].endswith(".monitor"),
                is_default=src["name"] == default,
                channels=channels,
                samplerate=rate,
            )
        )
    return found


def _sources(timeout: float) -> list[PulseSource]:
    """The listing, or SoundServerTimeout; [] at once when no server runs (or not on Linux)."""
    if not sys.platform.startswith("linux"):
        return []
    deadline = time.monotonic() + timeout
    found = _via_pulsectl_bounded(timeout)
    if found is not None:
        return found
    return _via_pactl(max(0.05, deadline - time.monotonic()))


def list_pulse_sources(timeout: float = DEFAULT_TIMEOUT_S) -> list[PulseSource]:
    """Every source the sound server offers; [] at once when none runs (or not on Linux), and [] after
    `timeout` seconds when a server is there but does not answer."""
    try:
        return _sources(timeout)
    except SoundServerTimeout:
        return []


def find_pulse_source(spec: str, sources: Optional[list[PulseSource]] = None) -> PulseSource:
    """The source named `spec`, or whose description is/contains it (case-insensitive)."""
    if sources is None:
        try:
            sources = _sources(DEFAULT_TIMEOUT_S)
        except SoundServerTimeout as exc:
            raise DeviceError(translate(
                "Microphone",
                "The sound server (PulseAudio/PipeWire) does not answer, so its sources cannot be used")) from exc
    if not sources:
        raise DeviceError(translate(
            "Microphone", "No sound server (PulseAudio/PipeWire) is running, so its sources cannot be used"))
    for src in sources:
        if src.name == spec:
            return src
    wanted = spec.strip().casefold()
    exact = [s for s in sources if s.description.casefold() == wanted]
    if exact:
        return exact[0]
    partial = [s for s in sources if wanted in s.description.casefold()]
    if len(partial) == 1:
        return partial[0]
    names = ", ".join(f"'{s.description}'" for s in (partial or sources))
    if partial:
        raise DeviceError(translate(
            "Microphone", "Several sound sources match '{spec}': {names}").format(spec=spec, names=names))
    raise DeviceError(translate(
        "Microphone", "No sound source named '{spec}'; available: {names}").format(spec=spec, names=names))


def pulse_source_state(name: str, timeout: float = DEFAULT_TIMEOUT_S) -> Optional[bool]:
    """Whether the server still offers the source `name`: False when it or the server is gone,
    None when a server is there but did not answer within `timeout` seconds (nobody knows)."""
    try:
        return any(src.name == name for src in _sources(timeout))
    except SoundServerTimeout:
        return None


def pulse_source_exists(name: str, timeout: float = DEFAULT_TIMEOUT_S) -> bool:
    """Whether the server still offers the source `name` (False when the server is gone or silent)."""
    return pulse_source_state(name, timeout) is True


@contextmanager
def pulse_source_env(name: Optional[str]) -> Iterator[None]:
    """Hold PULSE_SOURCE=`name` (unchanged for None) while a stream on the `pulse` device is opened."""
    with _env_lock:
        if name is None:
            yield
            return
        previous = os.environ.get(PULSE_ENV)
        os.environ[PULSE_ENV] = name
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop(PULSE_ENV, None)
            else:
                os.environ[PULSE_ENV] = previous
