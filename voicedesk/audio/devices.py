"""Input devices as PortAudio (through sounddevice) sees them."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Optional, Union

from voicedesk.audio.host_apis import is_windows_table, one_per_device
from voicedesk.audio.source import DeviceError
from voicedesk.i18n import translate


@dataclass(frozen=True)
class InputDevice:
    """One PortAudio device that can record."""

    index: int
    name: str
    host_api: str
    channels: int
    default_samplerate: float
    is_default: bool

    def label(self) -> str:
        """How a person reads it in a list: name and host API."""
        return f"{self.name} ({self.host_api})"


def sounddevice() -> ModuleType:
    """The sounddevice module, or a DeviceError when the system has no PortAudio library."""
    try:
        import sounddevice as sd
    except OSError as exc:
        # sounddevice raises OSError at import when libportaudio is not installed
        raise DeviceError(
            "Audio input is unavailable: the PortAudio library is missing (install libportaudio2)"
        ) from exc
    return sd


def refresh_devices() -> None:
    """Rescan devices (PortAudio lists them once, at start). Closes any open stream: call between sessions."""
    sd = sounddevice()
    # sounddevice has no public rescan; terminate + initialize is the documented workaround (sounddevice#125)
    sd._terminate()
    sd._initialize()


def _default_input_index(sd: ModuleType) -> Optional[int]:
    try:
        index = sd.default.device[0]
    except Exception:
        return None
    if index is None or index < 0:
        try:
            # `default.device` is -1 until set; PortAudio's own default lives in the host API
            index = sd.query_hostapis(sd.default.hostapi)["default_input_device"]
        except Exception:
            return None
    return index if index is not None and index >= 0 else None


def list_input_devices(every_host_api: bool = False) -> list[InputDevice]:
    """Every device with at least one input channel, in PortAudio's order; on Windows each device once
    (its best host API, voicedesk.audio.host_apis) unless `every_host_api`."""
    sd = sounddevice()
    try:
        devices = sd.query_devices()
        hostapis = sd.query_hostapis()
    except sd.PortAudioError as exc:
        raise DeviceError(translate(
            "Microphone", "Cannot list audio devices: {reason}").format(reason=exc)) from exc
    default = _default_input_index(sd)
    found = []
    for info in devices:
        if info["max_input_channels"] <= 0:
            continue
        found.append(
            InputDevice(
                index=int(info["index"]),
                name=str(info["name"]),
                host_api=str(hostapis[info["hostapi"]]["name"]),
                channels=int(info["max_input_channels"]),
                default_samplerate=float(info["default_samplerate"]),
                is_default=info["index"] == default,
            )
        )
    if not every_host_api and is_windows_table(found):
        found = one_per_device(found, {str(api["name"]): api.get("default_input_device") for api in hostapis})
    return found


def _available(devices: list[InputDevice]) -> str:
    return ", ".join(f"[{d.index}] {d.name}" for d in devices)


def find_input_device(spec: Union[int, str, None]) -> InputDevice:
    """The device at index `spec`, or named / partly named `spec` (any case), or the default for None."""
    devices = list_input_devices()
    if not devices:
        raise DeviceError(translate("Microphone", "No microphone found: the system lists no audio input device"))
    if spec is None:
        for device in devices:
            if device.is_default:
                return device
        return devices[0]
    if isinstance(spec, str) and spec.strip().isdigit():
        spec = int(spec.strip())
    if isinstance(spec, int):
        # a number names one host API's copy, also one the list shows under a better host API
        for device in list_input_devices(every_host_api=True):
            if device.index == spec:
                return device
        raise DeviceError(translate(
            "Microphone", "No input device number {spec}; available: {devices}").format(
            spec=spec, devices=_available(devices)))
    wanted = spec.strip().casefold()
    exact = [d for d in devices if d.name.casefold() == wanted]
    if exact:
        return exact[0]
    partial = [d for d in devices if wanted in d.name.casefold()]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise DeviceError(translate(
            "Microphone", "Several input devices match '{spec}': {devices}").format(
            spec=spec, devices=_available(partial)))
    raise DeviceError(translate(
        "Microphone", "No input device named '{spec}'; available: {devices}").format(
        spec=spec, devices=_available(devices)))
