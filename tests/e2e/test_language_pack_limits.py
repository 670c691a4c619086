"""`voicedesk languages install FILE` refuses a zip bomb before unpacking anything (a real process).

The archive is a well-formed language pack (one folder, metadata.json) whose model.bin is megabytes
of zeros that deflate to kilobytes: the same shape as a 4 MB file that unpacks to 4 GB, scaled down
so that the test writes little. It must be refused from the zip's directory alone, with one line,
and leave nothing in the Argos package folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from testkit.argos_package import argos_env, build_package, package_name
from testkit.argos_repack import repack

UNPACKED_MB = 24


def zip_bomb(path: Path, unpacked_mb: int = UNPACKED_MB) -> Path:
    top = "translate-es_en-1_0"
    metadata = {"package_version": "1.0", "argos_version": "1.9", "from_code": "es", "to_code": "en",
                "from_name": "Spanish", "to_name": "English", "type": "translate"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(f"{top}/metadata.json", json.dumps(metadata))
        with archive.open(f"{top}/model/model.bin", "w") as member:
            zeros = bytes(1 << 20)
            for _ in range(unpacked_mb):
                member.write(zeros)
    return path


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    e = dict(os.environ)
    e.update(argos_env(tmp_path / "argos"))
    return e


def _languages(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "voicedesk.models_cli", "languages", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def _error_line(proc: subprocess.CompletedProcess) -> str:
    errors = [line for line in proc.stderr.splitlines() if line.startswith("voicedesk: error:")]
    assert len(errors) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return errors[0]


def test_a_pack_cannot_replace_another_pair_or_bring_codes_that_are_not_language_codes(env, tmp_path):
    assert _languages(env, "install", str(build_package("en", "es"))).returncode == 0
    # a de→en pack in the installed en→es pack's folder: it used to replace en→es silently
    impostor = repack(build_package("de", "en"), tmp_path / "translate-de_en-1_0.argosmodel",
                      folder=package_name("en", "es"))
    markup = repack(build_package("de", "en"), tmp_path / "translate-x_en-1_0.argosmodel", folder="translate-x_en",
                    from_code="<b>y</b>")
    escape = repack(build_package("de", "en"), tmp_path / "translate-y_en-1_0.argosmodel", folder="translate-y_en",
                    from_code="../../x")

    replaced = _languages(env, "install", str(impostor))
    assert replaced.returncode == 1 and "already holds the en→es language pack" in _error_line(replaced)
    for doctored, code in ((markup, "<b>y</b>"), (escape, "../../x")):
        refused = _languages(env, "install", str(doctored))
        line = _error_line(refused)
        assert refused.returncode == 1 and "not language codes" in line and repr(code) in line, line

    listed = _languages(env, "list")
    assert listed.returncode == 0 and "en-es" in listed.stdout
    assert "de" not in listed.stdout.split() and "<b>" not in listed.stdout
    assert [p.name for p in Path(env["ARGOS_PACKAGES_DIR"]).iterdir()] == [package_name("en", "es")]


def test_a_zip_bomb_is_refused_with_one_line_and_nothing_is_installed(env, tmp_path):
    bomb = zip_bomb(tmp_path / "translate-es_en-1_0.argosmodel")
    assert bomb.stat().st_size < 200_000                      # kilobytes on disk ...
    with zipfile.ZipFile(bomb) as archive:                    # ... megabytes once unpacked
        assert sum(i.file_size for i in archive.infolist()) >= UNPACKED_MB << 20

    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "voicedesk.models_cli", "languages", "install", str(bomb)],
                          env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started

    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("voicedesk: error:")]
    assert len(errors) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "zip bomb" in errors[0] and bomb.name in errors[0], errors[0]
    packages = Path(env["ARGOS_PACKAGES_DIR"])
    assert not packages.exists() or not any(packages.iterdir()), list(packages.iterdir())
    assert "es→en" not in subprocess.run(
        [sys.executable, "-m", "voicedesk.models_cli", "languages", "list"], env=env, capture_output=True,
        text=True, timeout=120).stdout
    assert elapsed < 60, f"refusing took {elapsed:.1f} s"
