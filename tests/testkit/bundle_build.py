"""The bundle the packaging tests run: where it is, and the one build of it per test run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TINY_EN = Path(os.environ.get("VOICEDESK_TEST_MODELS", Path.home() / ".cache" / "voicedesk" / "test-models")) / "tiny.en"
BUILD_TIMEOUT_S = 1500


def bundle_dist() -> Path:
    """dist/, or the folder VOICEDESK_BUNDLE_DIR names."""
    return Path(os.environ.get("VOICEDESK_BUNDLE_DIR", ROOT / "dist"))


def build_for_tests() -> str:
    """Build the bundle into dist/ with tiny.en embedded, and on Debian its .deb; returns the build's output.

    One build covers every packaging test: tiny.en embedded (used by name), a model folder outside the
    bundle (by path), and the .deb (`--formats deb`: the tar.gz holds the same bundle).
    """
    packages = ["--formats", "deb"] if shutil.which("dpkg-deb") else ["--no-package"]
    result = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), *packages,
                             "--embed-model", str(TINY_EN)],
                            cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    if result.returncode != 0:
        raise AssertionError(f"build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result.stdout
