"""Linux packages around a bundle: the tar.gz and its install.sh, and the AppImage's AppDir.

A two-file stand-in replaces the 500 MB bundle (the real one is exercised in tests/e2e/test_bundle.py):
what is tested here is the packaging around it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from testkit.packaging_scripts import load_packaging_script

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux packages")

ROOT = Path(__file__).resolve().parents[2]




@pytest.fixture(scope="module")
def package_linux():
    return load_packaging_script("package_linux")


@pytest.fixture
def fake_bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "dist" / "voicedesk"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "data.txt").write_text("bundled data\n")
    exe = bundle / "voicedesk"
    # prints its arguments and a file beside it, as the real executable finds _internal beside itself
    exe.write_text('#!/bin/sh\necho "args: $*"\ncat "$(dirname "$(readlink -f "$0")")/_internal/data.txt"\n')
    exe.chmod(0o755)
    return bundle


@pytest.fixture
def icon(tmp_path: Path) -> Path:
    path = tmp_path / "voicedesk-256.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    return path


def test_the_tarball_holds_the_bundle_with_its_menu_entry_icon_and_installer(package_linux, fake_bundle, icon, tmp_path):
    out = package_linux.make_tarball(fake_bundle, "9.8.7", "x86_64", icon, tmp_path)
    assert out.name == "voicedesk-9.8.7-linux-x86_64.tar.gz"
    with tarfile.open(out) as tar:
        members = {m.name: m for m in tar.getmembers()}
    for name in ("voicedesk", "_internal/data.txt", "voicedesk.desktop", "voicedesk.png", "install.sh"):
        assert f"voicedesk-9.8.7/{name}" in members, name
    assert members["voicedesk-9.8.7/voicedesk"].mode & 0o111
    assert members["voicedesk-9.8.7/install.sh"].mode & 0o111


def test_install_sh_adds_a_working_command_and_menu_entry_for_the_user_and_removes_them(
        package_linux, fake_bundle, icon, tmp_path):
    out = package_linux.make_tarball(fake_bundle, "1.0", "x86_64", icon, tmp_path)
    with tarfile.open(out) as tar:
        tar.extractall(tmp_path / "unpacked", filter="tar")
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}
    subprocess.run(["sh", str(tmp_path / "unpacked" / "voicedesk-1.0" / "install.sh")], env=env, check=True,
                   capture_output=True)
    command = home / ".local" / "bin" / "voicedesk"
    ran = subprocess.run([str(command), "transcribe", "x.wav"], capture_output=True, text=True, check=True)
    assert ran.stdout.splitlines() == ["args: transcribe x.wav", "bundled data"]
    entry = (home / ".local" / "share" / "applications" / "voicedesk.desktop").read_text()
    assert f'Exec="{home}/.local/opt/voicedesk/voicedesk"' in entry.splitlines()
    assert (home / ".local" / "share" / "icons" / "hicolor" / "256x256" / "apps" / "voicedesk.png").is_file()

    subprocess.run(["sh", str(home / ".local" / "opt" / "voicedesk" / "install.sh"), "--remove"], env=env,
                   check=True, capture_output=True)
    assert not command.exists() and not command.is_symlink()
    assert not (home / ".local" / "opt" / "voicedesk").exists()
    assert not (home / ".local" / "share" / "applications" / "voicedesk.desktop").exists()


def test_the_appdir_runs_the_bundle_through_apprun_from_anywhere(package_linux, fake_bundle, icon, tmp_path):
    appdir = package_linux.make_appdir(fake_bundle, icon, tmp_path / "work")
    assert (appdir / "voicedesk.desktop").is_file() and (appdir / "voicedesk.png").is_file()
    assert os.readlink(appdir / ".DirIcon") == "voicedesk.png"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = elsewhere / "voicedesk-link"
    link.symlink_to(appdir / "AppRun")  # AppImage runtimes start AppRun through a mount point
    ran = subprocess.run([str(link), "--version"], capture_output=True, text=True, check=True, cwd=elsewhere)
    assert ran.stdout.splitlines() == ["args: --version", "bundled data"]


def test_without_appimagetool_the_appimage_is_skipped_not_failed(package_linux, fake_bundle, icon, tmp_path, monkeypatch):
    monkeypatch.delenv("APPIMAGETOOL", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    assert package_linux.make_appimage(fake_bundle, "1.0", "x86_64", icon, tmp_path, tmp_path) is None
