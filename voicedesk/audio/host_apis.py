"""One entry per microphone on Windows, where PortAudio lists each device once per host API.

PortAudio on Windows offers the same microphone through MME, DirectSound, WASAPI and WDM-KS, so a plain
list shows it three or four times, and MME cuts names at 31 characters (its MAXPNAMELEN of 32 with the
NUL). The copies are matched by name (a 31-character MME name by prefix) and the best one is kept:
WASAPI first (the system's own shared mode, full names), then DirectSound, MME, WDM-KS. WDM-KS names
come from the driver's kernel filters ("Microphone Array 1 (Realtek HD Audio Mic input)") and match
nothing else, so its entries are offered only when no other host API lists an input. The "Microsoft
Sound Mapper" and "Primary Sound Capture Driver" stand for the default device: the default is marked on
the real device instead. Pure: no sounddevice here.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Mapping, Optional, Protocol, Sequence, TypeVar


class _Device(Protocol):
    """What is read of a device: read-only, so frozen dataclasses (InputDevice) match."""

    @property
    def index(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def host_api(self) -> str: ...
    @property
    def is_default(self) -> bool: ...


class _DataclassDevice(_Device, Protocol):
    """A device that is a dataclass, so `dataclasses.replace` can mark the default on a copy."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]


D = TypeVar("D", bound=_DataclassDevice)

WASAPI = "Windows WASAPI"
DIRECTSOUND = "Windows DirectSound"
MME = "MME"
WDM_KS = "Windows WDM-KS"
HOST_API_ORDER = (WASAPI, DIRECTSOUND, MME, WDM_KS)
"""The Windows host APIs, best first."""
MME_NAME_LIMIT = 31
DEFAULT_STAND_INS = frozenset({"Microsoft Sound Mapper - Input", "Primary Sound Capture Driver"})


def is_windows_table(devices: Sequence[_Device]) -> bool:
    """Whether these devices come from PortAudio's Windows host APIs."""
    return any(d.host_api in HOST_API_ORDER for d in devices)


def same_device(a: str, b: str) -> bool:
    """Whether two host APIs' names are one device: equal, or a 31-character MME name that starts the other."""
    if a.strip().casefold() == b.strip().casefold():
        return True
    short, long = sorted((a, b), key=len)
    # what MME shows for the long name (its cut may end in a space that is kept or dropped)
    cut = long[:MME_NAME_LIMIT].rstrip().casefold()
    return len(long) > MME_NAME_LIMIT and short.rstrip().casefold() == cut


def _rank(device: _Device) -> int:
    return HOST_API_ORDER.index(device.host_api) if device.host_api in HOST_API_ORDER else len(HOST_API_ORDER)


def one_per_device(devices: Sequence[D],
                   default_by_api: Optional[Mapping[str, Optional[int]]] = None) -> list[D]:
    """Each device once, from the best host API, in the order that host API lists them.

    `default_by_api` maps a host API's name to its default input device index (PortAudio's
    `default_input_device`); the default of the best host API that has one marks the default entry.
    """
    candidates = [d for d in devices if d.name.strip() not in DEFAULT_STAND_INS]
    if any(d.host_api != WDM_KS for d in candidates):
        candidates = [d for d in candidates if d.host_api != WDM_KS]
    default_index = _default_index(devices, default_by_api or {})
    groups: list[list[D]] = []
    for device in sorted(candidates, key=lambda d: (_rank(d), d.index)):
        group = next((g for g in groups if same_device(g[0].name, device.name)), None)
        if group is None:
            groups.append([device])
        else:
            group.append(device)
    # the best copy of each device (a dataclass such as voicedesk.audio.devices.InputDevice), default marked
    return [dataclasses.replace(group[0], is_default=any(d.index == default_index for d in group))
            for group in groups]


def _default_index(devices: Sequence[_Device], default_by_api: Mapping[str, Optional[int]]) -> Optional[int]:
    """The default input as the best host API names it (a stand-in is not a device: the next API is asked)."""
    names = {d.index: d.name.strip() for d in devices}
    for api in HOST_API_ORDER:
        index = default_by_api.get(api)
        if index is not None and index >= 0 and index in names and names[index] not in DEFAULT_STAND_INS:
            return index
    return next((d.index for d in devices if d.is_default and d.name.strip() not in DEFAULT_STAND_INS), None)
