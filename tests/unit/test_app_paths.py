"""voicedesk.paths: the same answers whatever the working directory, from source and from a bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from voicedesk import paths

ROOT = Path(__file__).resolve().parents[2]


def test_from_source_resources_are_the_checkout_resources_whatever_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert not paths.is_frozen()
    assert paths.install_root() == ROOT
    assert (paths.resource_dir() / "voicedesk.svg").is_file()
    assert paths.bundled_models_dir() == ROOT / "models"


def test_inside_a_bundle_resources_and_models_come_from_the_bundle_data_folder(tmp_path, monkeypatch):
    # PyInstaller's bootloader sets these two attributes; the real bundle is exercised in tests/e2e/test_bundle.py
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.is_frozen()
    assert paths.resource_dir() == tmp_path / "resources"
    assert paths.bundled_models_dir() == tmp_path / "models"
    assert paths.describe()["frozen"] == "True"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG variables are how Linux places user folders")
def test_user_folders_follow_the_platform_conventions(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert paths.user_data_dir() == tmp_path / "data" / "voicedesk"
    assert paths.user_log_dir().is_relative_to(tmp_path / "state" / "voicedesk")
    assert paths.user_cache_dir() == tmp_path / "cache" / "voicedesk"
    assert not any(p.exists() for p in (paths.user_data_dir(), paths.user_log_dir(), paths.user_cache_dir()))


def test_describe_names_every_location():
    described = paths.describe()
    for name in ("resource_dir", "bundled_models_dir", "user_data_dir", "user_log_dir", "user_cache_dir"):
        assert Path(described[name]).is_absolute(), name
