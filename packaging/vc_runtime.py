"""The Microsoft C++ runtime copies inside a Windows bundle: one version, the newest, everywhere.

PySide6 ships its own msvcp140.dll, PyInstaller collects another from the build machine, and a
DLL that loads first decides which copy the process keeps. onnxruntime >= 1.21 fails with
"DLL initialization routine failed" when an older msvcp140 got there first. Microsoft's runtime
is backward compatible (a newer copy serves binaries built with an older toolset), so the
build copies the newest one over the older ones, then checks that every copy agrees.

The file version comes from the PE's VS_VERSIONINFO resource (VS_FIXEDFILEINFO), read with
the standard library only: PyInstaller's own pefile is installed on Windows alone.
"""

from __future__ import annotations

import shutil
from fnmatch import fnmatchcase as fnmatch
import struct
import sys
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:   # run by build.py, or loaded by a test
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from bundle_data import BuildError  # noqa: E402

# msvcp140.dll, msvcp140_1.dll, msvcp140_2.dll, msvcp140_atomic_wait.dll, vcruntime140.dll, vcruntime140_1.dll, ...
RUNTIME_PATTERNS = ("msvcp140*.dll", "vcruntime140*.dll", "concrt140*.dll")
_VERSION_KEY = "VS_VERSION_INFO\0".encode("utf-16-le")
_FIXED_SIGNATURE = 0xFEEF04BD

Version = tuple[int, int, int, int]


class RuntimeMismatch(BuildError):
    """The bundle's C++ runtime copies disagree (message lists them)."""


def file_version(path: Path) -> Version:
    """The (major, minor, build, revision) file version of a Windows PE file (.dll, .exe)."""
    data = path.read_bytes()
    if data[:2] != b"MZ" or len(data) < 0x40:
        raise ValueError(f"{path.name} is not a Windows executable (no MZ header)")
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe:pe + 4] != b"PE\0\0":
        raise ValueError(f"{path.name} is not a Windows executable (no PE header)")
    start = data.find(_VERSION_KEY, pe)
    while start >= 0:
        # VS_VERSIONINFO: wLength, wValueLength, wType, szKey, padding to 4 bytes, VS_FIXEDFILEINFO
        fixed = (start + len(_VERSION_KEY) + 3) & ~3
        if fixed + 52 <= len(data) and struct.unpack_from("<I", data, fixed)[0] == _FIXED_SIGNATURE:
            ms, ls = struct.unpack_from("<II", data, fixed + 8)
            return ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF
        start = data.find(_VERSION_KEY, start + 2)
    raise ValueError(f"{path.name} has no version resource")


def runtime_copies(bundle: Path) -> dict[str, list[Path]]:
    """Every copy of each C++ runtime DLL in `bundle`, by lower-case file name."""
    copies: dict[str, list[Path]] = {}
    for path in bundle.rglob("*"):
        # Windows names are case-blind (PySide6 ships MSVCP140_1.dll): match the lower-case name
        name = path.name.lower()
        if any(fnmatch(name, pattern) for pattern in RUNTIME_PATTERNS) and path.is_file():
            copies.setdefault(name, []).append(path)
    for paths in copies.values():
        paths.sort()
    return copies


def _versions(paths: list[Path]) -> dict[Path, Version]:
    try:
        return {path: file_version(path) for path in paths}
    except (OSError, ValueError) as exc:
        raise RuntimeMismatch(f"cannot read a C++ runtime version: {exc}") from exc


def _show(version: Version) -> str:
    return ".".join(map(str, version))


def align_runtime(bundle: Path) -> list[str]:
    """Copy the newest copy of each runtime DLL over its older copies; one line per replaced file."""
    changes = []
    for paths in runtime_copies(bundle).values():
        versions = _versions(paths)
        newest = max(paths, key=lambda p: versions[p])
        for path in paths:
            if versions[path] < versions[newest]:
                shutil.copy2(newest, path)
                changes.append(f"{path.relative_to(bundle)}: {_show(versions[path])} -> {_show(versions[newest])}")
    return changes


def check_runtime(bundle: Path) -> dict[str, str]:
    """The one version of each runtime DLL in `bundle`; RuntimeMismatch when copies disagree."""
    found: dict[str, str] = {}
    problems = []
    for name, paths in runtime_copies(bundle).items():
        versions = _versions(paths)
        if len(set(versions.values())) > 1:
            listed = ", ".join(f"{p.relative_to(bundle)} {_show(v)}" for p, v in versions.items())
            problems.append(f"{name}: {listed}")
        found[name] = _show(max(versions.values()))
    if problems:
        raise RuntimeMismatch("C++ runtime copies differ: " + "; ".join(problems))
    return found
