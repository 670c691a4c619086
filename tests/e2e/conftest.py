"""The built bundle and .deb, shared by the packaging tests (one build per test run)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from testkit.bundle_build import build_for_tests, bundle_dist


@pytest.fixture(scope="session")
def built_dist() -> Path:
    """dist/ with the bundle (and on Debian the .deb), built now when VOICEDESK_TEST_BUNDLE=1 (tests/run.sh sets it)."""
    dist = bundle_dist()
    if os.environ.get("VOICEDESK_TEST_BUNDLE") == "1":
        print(build_for_tests()[-3000:])   # ends with the size report
    return dist
