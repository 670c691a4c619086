"""The native libraries voicedesk cannot work without, as this copy loads them (bundle smoke test, bug reports).

A bundle that lost PortAudio, ONNX Runtime, CTranslate2 or FFmpeg (PyAV) still opens its window:
the missing piece shows up later as a banner. Importing each one here, in the app's own process,
turns that into a report a test can check.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass
from typing import Optional

# Python packages that carry native code: each reports its own __version__ once imported
_MODULES = ("onnxruntime", "ctranslate2", "av")


@dataclass(frozen=True)
class LibraryStatus:
    name: str
    version: Optional[str]   # None when it could not be loaded
    error: Optional[str]     # why not, in the library's own words


def _portaudio() -> LibraryStatus:
    try:
        import sounddevice   # loads the PortAudio library at import: OSError when it is missing

        return LibraryStatus("portaudio", sounddevice.get_portaudio_version()[1], None)
    except Exception as exc:   # noqa: BLE001 - any failure to load is the answer, not a crash
        return LibraryStatus("portaudio", None, f"{type(exc).__name__}: {exc}")


def _module(name: str) -> LibraryStatus:
    try:
        module = importlib.import_module(name)
        return LibraryStatus(name, str(getattr(module, "__version__", "unknown")), None)
    except Exception as exc:   # noqa: BLE001 - ImportError, OSError from a DLL, ...
        return LibraryStatus(name, None, f"{type(exc).__name__}: {exc}")


def library_report() -> list[LibraryStatus]:
    """PortAudio's version string and each native Python package's version, or why it failed to load."""
    return [_portaudio(), *(_module(name) for name in _MODULES)]


def report_as_dict() -> dict[str, dict[str, Optional[str]]]:
    """library_report() keyed by name, for JSON."""
    return {status.name: {k: v for k, v in asdict(status).items() if k != "name"} for status in library_report()}
