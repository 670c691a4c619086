"""The place where a release build signs what it ships; off until a certificate exists.

Set VOICEDESK_SIGN_COMMAND to a command line; the build runs it once per file with the file's
path appended, on the executables before they are packaged and on the installer or disk image
after. For example:

    Windows  VOICEDESK_SIGN_COMMAND='signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /a'
    macOS    VOICEDESK_SIGN_COMMAND='codesign --force --timestamp --options runtime
             --entitlements packaging/macos/entitlements.plist --sign "Developer ID Application: NAME (TEAM)"'

Without it nothing is signed: Windows SmartScreen and macOS Gatekeeper warn on first launch
(README.md, "Installing a release", says what the user sees and how to go on).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:   # run by build.py, or loaded by a test
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from bundle_data import BuildError  # noqa: E402

SIGN_COMMAND_ENV = "VOICEDESK_SIGN_COMMAND"


class SigningFailed(BuildError):
    """The signing command failed on a file (message says which)."""


def sign_command() -> str | None:
    """The configured signing command line, or None when signing is off."""
    return os.environ.get(SIGN_COMMAND_ENV, "").strip() or None


def _quoted(path: Path) -> str:
    # the command is a shell line the release manager wrote; only the path is ours to quote
    return subprocess.list2cmdline([str(path)]) if sys.platform == "win32" else shlex.quote(str(path))


def sign(paths: list[Path]) -> bool:
    """Sign each of `paths` with the configured command; False (nothing done) when signing is off."""
    command = sign_command()
    if command is None:
        return False
    for path in paths:
        result = subprocess.run(f"{command} {_quoted(path)}", shell=True)
        if result.returncode != 0:
            raise SigningFailed(f"signing {path.name} failed (exit {result.returncode}): {command}")
    return True
