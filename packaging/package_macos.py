"""The macOS disk image: voicedesk.app beside a link to /Applications, compressed with hdiutil."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


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
        subprocess.run(["hdiutil", "create", "-volname", f"voicedesk {version}", "-srcfolder", str(stage),
                        "-fs", "HFS+", "-format", "UDZO", "-ov", str(out)], check=True)
    return out
