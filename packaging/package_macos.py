"""The macOS disk image: voicedesk.app beside a link to /Applications, compressed with hdiutil."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:   # run by build.py, or loaded by a test
    sys.path.insert(0, str(HERE))
from bundle_data import BuildError  # noqa: E402

HDIUTIL_ATTEMPTS = 5
HDIUTIL_PAUSE_S = 10.0
# hdiutil on hosted runners fails now and then while something (Spotlight, XProtect) holds the image
TRANSIENT = ("Resource busy", "resource temporarily unavailable")


def run_with_retries(cmd: Sequence[str], attempts: int = HDIUTIL_ATTEMPTS, pause_s: float = HDIUTIL_PAUSE_S,
                     transient: Sequence[str] = TRANSIENT, sleep: Callable[[float], None] = time.sleep) -> int:
    """Run `cmd`; again after a pause while it fails with a transient error. The number of attempts made."""
    for attempt in range(1, attempts + 1):
        result = subprocess.run(list(cmd), capture_output=True, text=True)
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        if result.returncode == 0:
            return attempt
        output = result.stdout + result.stderr
        if attempt == attempts or not any(t.lower() in output.lower() for t in transient):
            raise BuildError(f"{Path(cmd[0]).name} failed (exit {result.returncode}, attempt {attempt} of "
                             f"{attempts}): {output.strip().splitlines()[-1] if output.strip() else 'no output'}")
        print(f"{Path(cmd[0]).name}: transient failure, trying again in {pause_s:.0f} s ({attempt}/{attempts})")
        sleep(pause_s)
    raise AssertionError("not reached")


def make_dmg(app: Path, version: str, arch: str, out_dir: Path) -> Path:
    """dist/voicedesk-<version>-macos-<arch>.dmg holding the .app (drag it onto Applications)."""
    out = out_dir / f"voicedesk-{version}-macos-{arch}.dmg"
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "voicedesk"
        stage.mkdir()
        # ditto keeps the .app's symlinks, extended attributes and code signature intact
        subprocess.run(["ditto", str(app), str(stage / app.name)], check=True)
        (stage / "Applications").symlink_to("/Applications")
        notice = app / "Contents" / "Resources" / "resources" / "THIRD_PARTY_LICENSES.txt"
        if notice.is_file():
            shutil.copy2(notice, stage / notice.name)
        out.unlink(missing_ok=True)
        run_with_retries(["hdiutil", "create", "-volname", f"voicedesk {version}", "-srcfolder", str(stage),
                          "-fs", "HFS+", "-format", "UDZO", "-ov", str(out)])
    return out


def codesign(args: Sequence[str], what: str) -> None:
    """Run codesign with `args`; BuildError with its own words when it fails."""
    result = subprocess.run(["codesign", *args], capture_output=True, text=True)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        output = (result.stderr + result.stdout).strip()
        raise BuildError(f"codesign could not {what} (exit {result.returncode}): "
                         f"{output.splitlines()[-1] if output else 'no output'}")


def finish_app(app: Path, entitlements: Path) -> str:
    """After PyInstaller: LSMinimumSystemVersion from the bundled binaries, then the .app sealed again.

    Changing Info.plist breaks the ad-hoc signature PyInstaller gave the .app (Apple silicon runs
    no unsigned code), so it is signed again: ad hoc, or by VOICEDESK_SIGN_COMMAND when set. Then
    `codesign --verify --deep --strict` checks the whole .app: a signature that does not hold fails the
    build here, not on the user's Mac. Returns the minimum macOS written, for the build's log.
    """
    from macos_min_version import set_minimum_system_version
    from signing import sign

    try:
        written = set_minimum_system_version(app)
    except ValueError as exc:
        raise BuildError(str(exc)) from exc
    if not sign([app]):
        codesign(["--force", "--sign", "-", "--entitlements", str(entitlements), str(app)], f"sign {app.name}")
    codesign(["--verify", "--deep", "--strict", "--verbose=2", str(app)], f"verify the signature of {app.name}")
    return written
