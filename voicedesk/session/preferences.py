"""The user's preferences (Edit -> Preferences) as data: defaults, bounds, storage keys, and the engine settings they make.

Qt-free: the UI stores `to_stored()` in QSettings and reads it back with `from_stored()`, which
never fails: a value that is missing, garbled or out of range becomes the default or the nearest
bound, and says so. `apply_to` turns them into the EngineSettings of the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Mapping, Optional

from voicedesk.engine.settings import EngineSettings, offered_on, run_settings
from voicedesk.i18n import Text, translate
from voicedesk.setting import Surface

DEVICES = ("auto", "cpu", "cuda")
COMPUTE_TYPES = ("default", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32")
EXPORT_FORMATS = ("srt", "vtt", "txt", "json")
EXPORT_CONTENTS = ("source", "translation", "both")

_ENGINE = EngineSettings()
_OFFERED = offered_on(Surface.PREFERENCES)
# (low, high) for each number, from the setting's definition; a stored value outside is brought to the nearest bound
BOUNDS: dict[str, tuple[float, float]] = {name: s.spec.bounds for name, s in _OFFERED.items() if s.spec.bounds}
HELP: dict[str, Text] = {name: s.spec.help for name, s in _OFFERED.items()}   # the form's line under each field


@dataclass(frozen=True)
class Preferences:
    device: str = _ENGINE.device
    compute_type: str = _ENGINE.compute_type
    vad_threshold: float = _OFFERED["vad_threshold"].default
    end_silence_s: float = _OFFERED["end_silence_s"].default
    beam_size: int = _OFFERED["beam_size"].default
    partial_interval_s: float = _OFFERED["partial_interval_s"].default
    automatic_lighter: bool = False       # take a lighter setting without asking when the computer cannot keep up
    journal_folder: str = ""              # "": the user data folder's journal/
    export_format: str = "srt"            # what the Export dialog proposes first
    export_content: str = "source"

    @property
    def journal_path(self) -> Optional[Path]:
        """The chosen journal folder, or None for the default one."""
        return Path(self.journal_folder).expanduser() if self.journal_folder.strip() else None

    def apply_to(self, settings: EngineSettings) -> EngineSettings:
        """The engine settings of the next run: the window's choices with these preferences."""
        return run_settings(replace(settings, device=self.device, compute_type=self.compute_type),
                            {name: getattr(self, name) for name in _OFFERED})

    def to_stored(self) -> dict[str, Any]:
        """Key -> value for QSettings."""
        return {STORAGE_KEYS[f.name]: getattr(self, f.name) for f in fields(self)}


# QSettings keys; the automatic choice and export defaults share the keys the window already used for them
STORAGE_KEYS = {
    "device": "engine/device",
    "compute_type": "engine/compute_type",
    "vad_threshold": "engine/vad_threshold",
    "end_silence_s": "engine/end_silence_s",
    "beam_size": "engine/beam_size",
    "partial_interval_s": "engine/partial_interval_s",
    "automatic_lighter": "overload/automatic",
    "journal_folder": "journal/folder",
    "export_format": "export/format",
    "export_content": "export/content",
}
CHOICES = {"device": DEVICES, "compute_type": COMPUTE_TYPES, "export_format": EXPORT_FORMATS,
           "export_content": EXPORT_CONTENTS}


def from_stored(stored: Mapping[str, Any]) -> tuple[Preferences, tuple[str, ...]]:
    """Preferences from stored values (strings from an INI file, or typed); what could not be used, for the log."""
    defaults = Preferences()
    values: dict[str, Any] = {}
    problems: list[str] = []
    for f in fields(Preferences):
        raw = stored.get(STORAGE_KEYS[f.name])
        if raw is None or (raw == "" and f.name != "journal_folder"):
            continue
        default = getattr(defaults, f.name)
        value = _parse(raw, default)
        if value is None:
            problems.append(f"{STORAGE_KEYS[f.name]}={raw!r} is not understood: the default {default!r} is used")
            continue
        if f.name in CHOICES and value not in CHOICES[f.name]:
            problems.append(f"{STORAGE_KEYS[f.name]}={raw!r} is not one of {CHOICES[f.name]}: the default is used")
            continue
        if f.name in BOUNDS:
            low, high = BOUNDS[f.name]
            bounded = type(default)(min(max(value, low), high))
            if bounded != value:
                problems.append(f"{STORAGE_KEYS[f.name]}={value} is outside {low}..{high}: {bounded} is used")
            value = bounded
        values[f.name] = value
    return Preferences(**values), tuple(problems)


def _parse(raw: Any, default: Any) -> Any:
    """`raw` as the type of `default`, or None when it is not one."""
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        return True if text in ("true", "1", "yes") else False if text in ("false", "0", "no") else None
    if isinstance(default, (int, float)):
        try:
            number = float(raw)
        except (TypeError, ValueError):
            return None
        if number != number or number in (float("inf"), float("-inf")):
            return None
        if isinstance(default, int):
            return int(round(number)) if number == int(number) else None
        return number
    return str(raw).strip()


def journal_folder_problem(folder: str) -> Optional[Text]:
    """Why sessions cannot be journaled in `folder` (None when they can; "" is the default folder)."""
    if not folder.strip():
        return None
    path = Path(folder).expanduser()
    if not path.is_absolute():
        return translate("Preferences", "Give the journal folder as a full path (it starts with / or a drive).")
    existing = path
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent   # a folder that does not exist yet is made inside the nearest one that does
    if not existing.is_dir():
        return translate("Preferences", "{path} is a file, not a folder.").format(path=str(existing))
    import os

    if not os.access(existing, os.W_OK | os.X_OK):
        return translate("Preferences", "voicedesk cannot write in {path}: choose a folder of yours.").format(
            path=str(existing))
    return None


def gpu_status() -> tuple[bool, Text]:
    """(a CUDA device can run Whisper, one line saying why not); CTranslate2 is asked, nothing is loaded."""
    try:
        import ctranslate2

        count = ctranslate2.get_cuda_device_count()
    except Exception as exc:  # a broken CUDA install only means the GPU is not offered
        return False, translate("Preferences", "CTranslate2 cannot use CUDA here: {reason}").format(reason=str(exc))
    if count > 0:
        return True, translate("Preferences", "{count} CUDA device(s) found.").format(count=count)
    return False, translate("Preferences", "No CUDA GPU found (CTranslate2 sees none): Whisper runs on the CPU.")


def compute_types(device: str) -> tuple[str, ...]:
    """The compute types CTranslate2 supports on `device` ("auto": those of the device it would pick)."""
    try:
        import ctranslate2

        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        supported = set(ctranslate2.get_supported_compute_types(device))
    except Exception:   # no CUDA runtime: the CPU's list is the safe answer
        supported = {"int8", "int8_float32", "float32"}
    return ("default",) + tuple(t for t in COMPUTE_TYPES if t in supported)
