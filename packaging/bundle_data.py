"""What the PyInstaller spec adds by hand: the app version, the macOS Info.plist and an embedded Whisper model."""

from __future__ import annotations

import plistlib
import re
from pathlib import Path

MODELS_DEST = "models"   # paths.bundled_models_dir() is <bundle data folder>/models


class BuildError(Exception):
    """The build cannot go on (message is one line, for the person building)."""


def app_version(root: Path) -> str:
    """voicedesk.__version__, read without importing the package."""
    text = (root / "voicedesk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if not match:
        raise BuildError("voicedesk/__init__.py has no __version__")
    return match.group(1)


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows version resources and Info.plist need ("0.1.0rc1" -> (0, 1, 0, 0))."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:3]]
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def mac_info_plist(root: Path, version: str) -> dict:
    """The Info.plist keys voicedesk.app gets (BUNDLE's info_plist): packaging/macos/Info.plist and the version."""
    with open(root / "packaging" / "macos" / "Info.plist", "rb") as fh:
        info = plistlib.load(fh)
    info.update(CFBundleShortVersionString=version, CFBundleVersion=version)
    return info


def model_datas(folder: Path) -> list[tuple[str, str]]:
    """PyInstaller `datas` entries that put a faster-whisper model folder at models/<folder name>/."""
    from voicedesk.models.resolve import local_model_problem

    folder = folder.expanduser().resolve()
    problem = local_model_problem(folder)
    if problem:
        raise BuildError(f"cannot embed the model: {problem}")
    dest = f"{MODELS_DEST}/{folder.name}"
    return [
        (str(path), str(Path(dest, path.parent.relative_to(folder)).as_posix()))
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    ]
