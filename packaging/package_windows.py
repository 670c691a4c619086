"""The Windows installer: Inno Setup compiles packaging/windows/voicedesk.iss around the bundle."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
_DEFAULT_ISCC = Path(r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe")


def iscc() -> str | None:
    """Inno Setup's compiler from $ISCC, PATH or its default install folder."""
    found = os.environ.get("ISCC") or shutil.which("iscc")
    if found:
        return found
    return str(_DEFAULT_ISCC) if _DEFAULT_ISCC.is_file() else None


def installer_required() -> bool:
    """True in CI (GitHub Actions and most others set CI=true): a missing installer is a failure there."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def installer_command(compiler: str, bundle: Path, version: str, out_dir: Path, icon: Path) -> list[str]:
    """The iscc command line; the icon comes from the build's work folder (icons.py)."""
    return [
        compiler, "/Q",
        f"/DAppVersion={version}", f"/DSourceDir={bundle.resolve()}", f"/DOutputDir={out_dir.resolve()}",
        f"/DIconFile={icon.resolve()}",
        str(HERE / "windows" / "voicedesk.iss"),
    ]


def make_installer(bundle: Path, version: str, out_dir: Path, icon: Path) -> Path | None:
    """dist/voicedesk-<version>-setup.exe, or None when Inno Setup is not installed."""
    compiler = iscc()
    if compiler is None:
        return None
    subprocess.run(installer_command(compiler, bundle, version, out_dir, icon), check=True)
    return out_dir / f"voicedesk-{version}-setup.exe"
