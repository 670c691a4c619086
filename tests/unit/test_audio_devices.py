"""Input device listing and lookup against the real PortAudio of this machine (devices via PulseAudio)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
import sounddevice as sd

from voicedesk.audio.devices import InputDevice, find_input_device, list_input_devices
from voicedesk.audio.source import DeviceError


def _run_isolated(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter, so PortAudio lists devices anew under `env`."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


def test_listing_matches_what_portaudio_reports_for_inputs(pulse_server):
    devices = list_input_devices()
    assert devices, "with a sound server running, PortAudio offers at least its 'pulse' device"
    raw = [d for d in sd.query_devices() if d["max_input_channels"] > 0]
    assert [d.index for d in devices] == [d["index"] for d in raw]
    for device, info in zip(devices, raw, strict=True):
        assert isinstance(device, InputDevice)
        assert device.name == info["name"]
        assert device.channels == info["max_input_channels"] > 0
        assert device.default_samplerate == info["default_samplerate"] > 0
        assert device.host_api == sd.query_hostapis(info["hostapi"])["name"]
    assert sum(d.is_default for d in devices) == 1


def test_input_device_is_frozen(pulse_server):
    device = list_input_devices()[0]
    with pytest.raises(AttributeError):
        device.name = "other"  # type: ignore[misc]


def test_devices_are_found_by_index_by_numeric_string_and_by_name_ignoring_case(pulse_server):
    pulse = find_input_device("PULSE")
    assert pulse.name == "pulse"
    assert find_input_device(pulse.index) == pulse
    assert find_input_device(str(pulse.index)) == pulse
    assert find_input_device("puls") == pulse


def test_none_means_the_default_input_device(pulse_server):
    default = find_input_device(None)
    assert default.is_default
    assert default.index == sd.query_hostapis(sd.default.hostapi)["default_input_device"]


def test_unknown_name_lists_the_devices_that_exist(pulse_server):
    with pytest.raises(DeviceError) as info:
        find_input_device("USB Podcast Microphone")
    message = str(info.value)
    assert "USB Podcast Microphone" in message
    assert all(f"[{d.index}] {d.name}" in message for d in list_input_devices())


def test_unknown_index_is_a_device_error(pulse_server):
    with pytest.raises(DeviceError, match="number 4242"):
        find_input_device(4242)


def test_a_substring_shared_by_several_devices_is_ambiguous(pulse_server):
    names = [d.name for d in list_input_devices()]
    # 'pulse' and 'default' share the letter 'l'; any shared letter works
    shared = next(c for c in "abcdefghijklmnopqrstuvwxyz" if sum(c in n.lower() for n in names) > 1)
    with pytest.raises(DeviceError, match="Several"):
        find_input_device(shared)


def test_without_any_input_device_the_error_says_so():
    # a real machine state: no sound server, so the ALSA pulse plugin offers PortAudio nothing
    result = _run_isolated(
        """
        from voicedesk.audio.devices import find_input_device, list_input_devices
        from voicedesk.audio.source import DeviceError
        assert list_input_devices() == [], list_input_devices()
        try:
            find_input_device(None)
        except DeviceError as exc:
            print("ERR", exc)
        """,
        PULSE_SERVER="unix:/nonexistent/native",
    )
    assert result.returncode == 0, result.stderr
    assert "ERR No microphone found" in result.stdout


def test_missing_portaudio_library_becomes_a_device_error():
    # PortAudio is installed here; the import failure sounddevice raises without it
    # (OSError at import) is simulated by an import hook in a separate interpreter.
    result = _run_isolated(
        """
        import sys
        class NoPortAudio:
            def find_spec(self, name, path=None, target=None):
                if name == "sounddevice":
                    raise OSError("PortAudio library not found")
        sys.meta_path.insert(0, NoPortAudio())
        from voicedesk.audio.devices import list_input_devices
        from voicedesk.audio.source import DeviceError
        try:
            list_input_devices()
        except DeviceError as exc:
            print("ERR", exc)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "ERR Audio input is unavailable" in result.stdout
    assert "libportaudio2" in result.stdout
