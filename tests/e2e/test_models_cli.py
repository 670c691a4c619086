"""`voicedesk models ...` and `voicedesk languages ...` as a user runs them: real processes, real files,
and loopback HTTP servers standing in for the model hub and the Argos index (no internet here)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from testkit.argos_package import argos_env, build_package
from testkit.loopback_http import FakeArgosIndex, FakeHub
from voicedesk.models.catalogue import model_info

pytest_plugins = ["testkit.argos_package"]


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """An environment whose hub cache, app data and Argos home all live in this test's folder."""
    e = dict(os.environ)
    e.pop("HF_HUB_OFFLINE", None)
    e.update(argos_env(tmp_path / "argos"))
    e.update({"HF_HUB_CACHE": str(tmp_path / "hub"), "XDG_DATA_HOME": str(tmp_path / "argos" / "data"),
              "XDG_CACHE_HOME": str(tmp_path / "argos" / "cache")})
    return e


def voicedesk(env, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    # models_cli has its own entry until cli.py dispatches to it
    return subprocess.run([sys.executable, "-m", "voicedesk.models_cli", *args], env=env, capture_output=True,
                          text=True, timeout=timeout)


def _one_error_line(proc) -> str:
    errors = [line for line in proc.stderr.splitlines() if line.startswith("voicedesk: error:")]
    assert len(errors) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return errors[0]


def test_models_download_list_and_delete(env, tiny_en_model):
    with FakeHub({"Systran/faster-whisper-tiny.en": Path(tiny_en_model)}) as hub:
        env["HF_ENDPOINT"] = hub.url
        got = voicedesk(env, "models", "download", "tiny.en")
    assert got.returncode == 0, got.stderr
    # progress lines end at 100% of the whole model (how many lines before that depends on chunking)
    progress = [line for line in got.stderr.splitlines() if line.startswith("Downloading tiny.en:")]
    assert progress and progress[-1].startswith("Downloading tiny.en: 100%")
    size_mb = sum(f.stat().st_size for f in Path(tiny_en_model).iterdir() if f.is_file()) / 1e6
    assert f"of {size_mb:.1f} MB" in progress[-1], progress[-1]
    assert "tiny.en is ready" in got.stdout

    listed = voicedesk(env, "models", "list")
    rows = {line.split()[0]: line for line in listed.stdout.splitlines()[1:] if line.strip()}
    assert "installed" in rows["tiny.en"] and "installed" not in rows["base"]

    assert voicedesk(env, "models", "delete", "tiny.en").returncode == 0
    again = voicedesk(env, "models", "delete", "tiny.en")
    assert again.returncode == 1 and "is not downloaded" in _one_error_line(again)


def test_models_download_without_a_reachable_hub_fails_with_one_line(env):
    with FakeHub({}) as gone:
        env["HF_ENDPOINT"] = gone.url                      # closed right after: nothing listens there
    proc = voicedesk(env, "models", "download", "base")
    assert proc.returncode == 1
    assert "Cannot reach the model hub" in _one_error_line(proc)


def test_models_add_folder_validates_and_recommend_names_a_catalogue_model(env, tiny_en_model, tmp_path):
    (tmp_path / "empty").mkdir()
    bad = voicedesk(env, "models", "add-folder", str(tmp_path / "empty"))
    assert bad.returncode == 1 and "missing config.json, model.bin, tokenizer.json" in _one_error_line(bad)

    good = voicedesk(env, "models", "add-folder", tiny_en_model)
    assert good.returncode == 0 and "Added" in good.stdout
    assert str(Path(tiny_en_model).resolve()) in voicedesk(env, "models", "list").stdout

    rec = voicedesk(env, "models", "recommend")
    assert rec.returncode == 0 and model_info(rec.stdout.strip()) is not None
    assert f"voicedesk models download {rec.stdout.strip()}" in rec.stderr


def test_languages_install_from_file_and_index_list_remove_and_browse_offline(env):
    archive = build_package("es", "en")
    data = archive.read_bytes()

    def entries(url):
        return [{"type": "translate", "from_code": "en", "to_code": "de", "from_name": "English", "to_name": "German",
                 "package_version": "1.0", "links": [f"{url}/packages/en_de.argosmodel"],
                 "sha256": hashlib.sha256(build_package("en", "de").read_bytes()).hexdigest()},
                {"type": "translate", "from_code": "es", "to_code": "en", "from_name": "Spanish",
                 "to_name": "English", "package_version": "1.0", "links": [f"{url}/packages/x"],
                 "sha256": hashlib.sha256(data).hexdigest()}]

    installed = voicedesk(env, "languages", "install", str(archive))
    assert installed.returncode == 0 and "Installed es→en" in installed.stdout, installed.stderr

    with FakeArgosIndex({"en_de.argosmodel": build_package("en", "de")}, entries) as index:
        env["VOICEDESK_ARGOS_INDEX_URL"] = f"{index.url}/index.json"
        fetched = voicedesk(env, "languages", "install", "en-de")
    assert fetched.returncode == 0, fetched.stderr
    assert "Downloading en-de: 100%" in fetched.stderr

    listed = voicedesk(env, "languages", "list").stdout
    assert "es → de (through en)" in listed and "en-de" in listed

    offline = voicedesk(env, "languages", "available")          # the index server is gone: the saved copy
    assert offline.returncode == 0
    assert "Cannot reach the Argos package index" in offline.stderr
    assert "en-de" in offline.stdout and "installed" in offline.stdout

    removed = voicedesk(env, "languages", "remove", "en-de")
    assert removed.returncode == 0
    assert "through en" not in voicedesk(env, "languages", "list").stdout
    missing = voicedesk(env, "languages", "remove", "en-de")
    assert missing.returncode == 1 and "No en→de language pack is installed" in _one_error_line(missing)


@pytest.mark.parametrize("name", ["..", "ABSOLUTE", "", "base/../..", "SYMLINK"])
def test_models_delete_refuses_what_is_not_a_model_name_and_deletes_nothing(env, tmp_path, name):
    # A hub cache shared with another app, a partial download of base, and a folder outside every base
    # folder; for SYMLINK the staging folder is a link to that outside folder, which holds a "tiny.en".
    hub = Path(env["HF_HUB_CACHE"])
    other_app = hub / "models--someone-else--their-model" / "refs"
    other_app.mkdir(parents=True)
    (other_app / "main").write_text("abc")
    elsewhere = tmp_path / "some" / "dir"
    (elsewhere / "tiny.en").mkdir(parents=True)
    (elsewhere / "tiny.en" / "notes.txt").write_text("mine")
    if name == "SYMLINK":
        os.symlink(elsewhere, hub / ".voicedesk-incomplete")
    else:
        (hub / ".voicedesk-incomplete" / "base").mkdir(parents=True)
        (hub / ".voicedesk-incomplete" / "base" / "model.bin.incomplete").write_bytes(b"x" * 1000)
    before = sorted(p for p in tmp_path.rglob("*") if "argos" not in p.parts)
    arg = {"ABSOLUTE": str(elsewhere), "SYMLINK": "tiny.en"}.get(name, name)

    proc = voicedesk(env, "models", "delete", arg)

    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    line = _one_error_line(proc)
    assert "nothing was deleted" in line and "Deleted" not in proc.stdout
    assert ("leads outside" if name == "SYMLINK" else "model name") in line, line
    assert sorted(p for p in tmp_path.rglob("*") if "argos" not in p.parts) == before
