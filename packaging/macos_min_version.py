"""The oldest macOS a .app runs on: the highest minimum that any Mach-O file inside it declares.

Wheels are built for a deployment target (numpy, onnxruntime, PyAV for macOS 14 on arm64, say);
the app cannot start on an older macOS however its Info.plist is set. The build reads each
binary's LC_BUILD_VERSION (or the older LC_VERSION_MIN_MACOSX) and writes the highest into
LSMinimumSystemVersion, so Finder refuses an older Mac with a clear message instead of a crash.
Standard library only (macholib, PyInstaller's Mach-O reader, is installed on macOS alone).
"""

from __future__ import annotations

import plistlib
import struct
from pathlib import Path
from typing import Iterator, Optional

LC_VERSION_MIN_MACOSX = 0x24
LC_BUILD_VERSION = 0x32
PLATFORM_MACOS = 1
_THIN = {b"\xcf\xfa\xed\xfe": 32, b"\xce\xfa\xed\xfe": 28}   # MH_MAGIC_64 / MH_MAGIC, little-endian: header size
_FAT = {b"\xca\xfe\xba\xbe": 20, b"\xca\xfe\xba\xbf": 32}    # FAT_MAGIC / FAT_MAGIC_64 (big-endian): arch entry size

Version = tuple[int, int, int]


def _decode(packed: int) -> Version:
    """xxxx.yy.zz packed in nibbles, as Mach-O load commands store versions."""
    return packed >> 16, (packed >> 8) & 0xFF, packed & 0xFF


def _thin_minimum(data: bytes, base: int) -> Optional[Version]:
    header = _THIN.get(data[base:base + 4])
    if header is None:
        return None
    ncmds = struct.unpack_from("<I", data, base + 16)[0]
    offset = base + header
    found: Optional[Version] = None
    for _ in range(ncmds):
        if offset + 8 > len(data):
            break
        cmd, size = struct.unpack_from("<II", data, offset)
        if cmd == LC_BUILD_VERSION and struct.unpack_from("<I", data, offset + 8)[0] == PLATFORM_MACOS:
            found = _decode(struct.unpack_from("<I", data, offset + 12)[0])
        elif cmd == LC_VERSION_MIN_MACOSX and found is None:
            found = _decode(struct.unpack_from("<I", data, offset + 8)[0])
        if size < 8:
            break   # a broken load command: stop rather than loop
        offset += size
    return found


def minimum_macos(data: bytes) -> Optional[Version]:
    """The macOS version a Mach-O file (thin or universal) needs; None for other files."""
    entry = _FAT.get(data[:4])
    if entry is None:
        return _thin_minimum(data, 0)
    count = struct.unpack_from(">I", data, 4)[0]
    if count > 64:
        return None   # Java .class files share the 0xCAFEBABE magic
    versions = []
    for i in range(count):
        at = 8 + i * entry
        offset = (struct.unpack_from(">Q", data, at + 8)[0] if entry == 32
                  else struct.unpack_from(">I", data, at + 8)[0])
        version = _thin_minimum(data, offset)
        if version is not None:
            versions.append(version)
    return max(versions) if versions else None


def _binaries(app: Path) -> Iterator[tuple[Path, bytes]]:
    for path in app.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as fh:
                magic = fh.read(4)
                if magic in _THIN or magic in _FAT:
                    yield path, magic + fh.read()


def app_minimum(app: Path) -> tuple[Version, Optional[Path]]:
    """The highest minimum macOS among the .app's binaries, and the file that sets it."""
    best: Version = (0, 0, 0)
    culprit: Optional[Path] = None
    for path, data in _binaries(app):
        version = minimum_macos(data)
        if version is not None and version > best:
            best, culprit = version, path
    return best, culprit


def show(version: Version) -> str:
    """10.13.0 -> "10.13", 14.0.0 -> "14.0": the form Info.plist uses."""
    major, minor, patch = version
    return f"{major}.{minor}" + (f".{patch}" if patch else "")


def set_minimum_system_version(app: Path) -> str:
    """Write LSMinimumSystemVersion into the .app's Info.plist from its binaries; the value written."""
    version, culprit = app_minimum(app)
    if culprit is None:
        raise ValueError(f"no Mach-O binary in {app} declares a minimum macOS version")
    plist = app / "Contents" / "Info.plist"
    with open(plist, "rb") as fh:
        info = plistlib.load(fh)
    info["LSMinimumSystemVersion"] = show(version)
    with open(plist, "wb") as fh:
        plistlib.dump(info, fh)
    return f"{show(version)} (from {culprit.relative_to(app)})"
