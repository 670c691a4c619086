"""The Windows installer: Inno Setup compiles packaging/windows/voicedesk.iss around the bundle."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Mapping, Optional

HERE = Path(__file__).resolve().parent
# where Windows keeps programs: Inno Setup 6 installs 32-bit (Program Files (x86)), 7 may install 64-bit
PROGRAM_FOLDER_VARS = ("ProgramFiles(x86)", "ProgramFiles", "ProgramW6432")
PROGRAM_FOLDER_DEFAULTS = (r"C:\Program Files (x86)", r"C:\Program Files")


def _version_key(folder: Path) -> tuple[int, ...]:
    # "Inno Setup 7" -> (7,), "Inno Setup 6.4" -> (6, 4); a folder without a number sorts first
    return tuple(int(n) for n in re.findall(r"\d+", folder.name))


def installed_iscc(program_folders: list[Path], install_folders: list[Path] = ()) -> Optional[Path]:
    """ISCC.exe of the newest Inno Setup: in a folder "Inno Setup <version>" of any of `program_folders`
    ("Inno Setup 6", "Inno Setup 7", ...), or in one of `install_folders` (where the registry says one is)."""
    candidates = list(install_folders)
    for folder in program_folders:
        try:
            candidates += [c for c in folder.glob("Inno Setup*") if c.is_dir()]
        except OSError:
            continue
    found = []
    for candidate in candidates:
        compiler = next((c for c in (candidate / "ISCC.exe", candidate / "iscc.exe") if c.is_file()), None)
        if compiler is not None:
            found.append((_version_key(candidate), compiler))
    return max(found, key=lambda item: item[0])[1] if found else None


def registered_install_folders() -> list[Path]:
    """Where the Windows registry says an Inno Setup is installed (its uninstall entries); [] elsewhere."""
    try:
        import winreg
    except ImportError:
        return []
    uninstall = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"
    folders = []
    for root, path in ((winreg.HKEY_LOCAL_MACHINE, uninstall),
                       (winreg.HKEY_LOCAL_MACHINE, uninstall.replace("SOFTWARE", r"SOFTWARE\WOW6432Node")),
                       (winreg.HKEY_CURRENT_USER, uninstall)):
        try:
            with winreg.OpenKey(root, path) as key:
                names = [winreg.EnumKey(key, i) for i in range(winreg.QueryInfoKey(key)[0])]
                for name in (n for n in names if n.startswith("Inno Setup")):
                    with winreg.OpenKey(key, name) as entry:
                        folders.append(Path(winreg.QueryValueEx(entry, "InstallLocation")[0]))
        except OSError:
            continue
    return folders


def program_folders(environ: Mapping[str, str] = os.environ) -> list[Path]:
    """The Program Files folders of this machine, from the environment and Windows's defaults, each once."""
    folders = [environ[var] for var in PROGRAM_FOLDER_VARS if environ.get(var)] + list(PROGRAM_FOLDER_DEFAULTS)
    return [Path(f) for f in dict.fromkeys(folders)]


def iscc(environ: Mapping[str, str] = os.environ) -> str | None:
    """Inno Setup's compiler from $ISCC, PATH, or wherever an Inno Setup (any version) is installed."""
    found = environ.get("ISCC") or shutil.which("iscc", path=environ.get("PATH"))
    if found:
        return found
    compiler = installed_iscc(program_folders(environ), registered_install_folders())
    return str(compiler) if compiler is not None else None


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
