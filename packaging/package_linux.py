"""Linux packages of a built bundle: a tar.gz with a menu entry installer, and an AppImage."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DESKTOP = ROOT / "resources" / "voicedesk.desktop"


def make_tarball(bundle: Path, version: str, arch: str, icon_png: Path, out_dir: Path) -> Path:
    """voicedesk-<version>-linux-<arch>.tar.gz: the bundle folder plus the .desktop file, icon and install.sh."""
    top = f"voicedesk-{version}"
    out = out_dir / f"{top}-linux-{arch}.tar.gz"
    extras = {
        "voicedesk.desktop": DESKTOP,
        "voicedesk.png": icon_png,
        "install.sh": HERE / "linux" / "install.sh",
    }
    # level 6: nearly the size of 9 at a fraction of the time on a few hundred MB of libraries
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=top)
        for name, path in extras.items():
            tar.add(path, arcname=f"{top}/{name}")
    return out


def make_appdir(bundle: Path, icon_png: Path, work: Path) -> Path:
    """An AppDir (the AppImage's content, runnable as it is through AppRun)."""
    appdir = work / "voicedesk.AppDir"
    if appdir.exists():
        shutil.rmtree(appdir)
    shutil.copytree(bundle, appdir / "usr" / "lib" / "voicedesk", symlinks=True)
    shutil.copy2(HERE / "linux" / "AppRun", appdir / "AppRun")
    os.chmod(appdir / "AppRun", 0o755)
    shutil.copy2(DESKTOP, appdir / "voicedesk.desktop")
    shutil.copy2(icon_png, appdir / "voicedesk.png")
    (appdir / ".DirIcon").symlink_to("voicedesk.png")
    return appdir


def appimagetool() -> str | None:
    """appimagetool from $APPIMAGETOOL or PATH (it is downloaded from GitHub in CI; not available offline)."""
    return os.environ.get("APPIMAGETOOL") or shutil.which("appimagetool") or shutil.which("appimagetool-x86_64.AppImage")


def make_appimage(bundle: Path, version: str, arch: str, icon_png: Path, work: Path, out_dir: Path) -> Path | None:
    """voicedesk-<version>-<arch>.AppImage, or None when appimagetool is not available."""
    tool = appimagetool()
    if tool is None:
        return None
    appdir = make_appdir(bundle, icon_png, work)
    out = out_dir / f"voicedesk-{version}-{arch}.AppImage"
    # APPIMAGE_EXTRACT_AND_RUN: appimagetool is itself an AppImage, and CI runners lack FUSE
    env = {**os.environ, "ARCH": {"arm64": "aarch64"}.get(arch, arch), "APPIMAGE_EXTRACT_AND_RUN": "1", "VERSION": version}
    subprocess.run([tool, "--no-appstream", str(appdir), str(out)], env=env, check=True)
    return out
