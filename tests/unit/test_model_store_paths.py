"""`WhisperModelStore.delete` removes only what the app put in its own folders (issue 20, item 2).

A name that is neither a catalogue name nor an installed model's (`..`, an absolute path, "", `base/../..`)
and a folder that is a symbolic link leading elsewhere must delete nothing and say why. Real folders on
disk: another app's model in the hub cache, partial downloads, and folders outside every base folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from voicedesk.models.resolve import ModelError
from voicedesk.models.safe_paths import path_inside
from voicedesk.models.whisper_store import STAGING_DIR, WhisperModelStore


@pytest.fixture
def store(tmp_path: Path) -> WhisperModelStore:
    return WhisperModelStore(hub_cache=tmp_path / "hub", data_dir=tmp_path / "data", bundled_dir=tmp_path / "bundled")


def _model_files(folder: Path) -> Path:
    """The files that make a folder a CTranslate2 Whisper model (contents do not matter to the store)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "model.bin", "tokenizer.json"):
        (folder / name).write_text(name)
    return folder


def _hub_repo(repo: Path) -> Path:
    """A complete hub-cache repository folder: refs/main naming a snapshot that holds the model files."""
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text("abc123")
    _model_files(repo / "snapshots" / "abc123")
    return repo


def _every_file(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def crowded(store: WhisperModelStore, tmp_path: Path) -> dict[str, Path]:
    """A hub cache shared with another app, partial downloads of base and tiny.en, and a folder elsewhere."""
    _hub_repo(store.hub_cache / "models--someone-else--their-model")
    (store.hub_cache / STAGING_DIR / "base").mkdir(parents=True)
    (store.hub_cache / STAGING_DIR / "base" / "model.bin.incomplete").write_bytes(b"x" * 100)
    (store.hub_cache / STAGING_DIR / "tiny.en").mkdir(parents=True)
    (store.hub_cache / STAGING_DIR / "tiny.en" / "model.bin.incomplete").write_bytes(b"x" * 100)
    _model_files(tmp_path / "some" / "dir")
    return {"hub": store.hub_cache, "elsewhere": tmp_path / "some"}


@pytest.mark.parametrize("name, why", [
    ("..", "is a path, not a model name"),
    ("ABSOLUTE", "is a path, not a model name"),
    ("", "No model name given"),
    ("base/../..", "is a path, not a model name"),
])
def test_a_name_that_is_not_a_model_deletes_nothing_and_says_why(store, crowded, name, why):
    name = str(crowded["elsewhere"] / "dir") if name == "ABSOLUTE" else name
    before = {key: _every_file(folder) for key, folder in crowded.items()}

    with pytest.raises(ModelError) as refused:
        store.delete(name)

    assert why in str(refused.value) and "nothing was deleted" in str(refused.value)
    assert {key: _every_file(folder) for key, folder in crowded.items()} == before
    # a real name still deletes, and only its own folders
    assert store.delete("base") and not (crowded["hub"] / STAGING_DIR / "base").exists()
    assert (crowded["hub"] / "models--someone-else--their-model" / "refs" / "main").is_file()
    assert (crowded["hub"] / STAGING_DIR / "tiny.en" / "model.bin.incomplete").is_file()


def test_a_staging_folder_that_links_elsewhere_is_not_followed(store, tmp_path):
    # <hub>/.voicedesk-incomplete is a link to someone's folder that happens to hold a "tiny.en"
    victim = tmp_path / "victim"
    (victim / "tiny.en").mkdir(parents=True)
    (victim / "tiny.en" / "thesis.txt").write_text("years of work")
    store.hub_cache.mkdir(parents=True)
    os.symlink(victim, store.hub_cache / STAGING_DIR)

    with pytest.raises(ModelError, match="leads outside .*nothing was deleted"):
        store.delete("tiny.en")
    assert (victim / "tiny.en" / "thesis.txt").read_text() == "years of work"
    assert store.partial_bytes("tiny.en") == 0          # nor counted as a partial download of ours
    store.discard_partial("tiny.en")
    assert (victim / "tiny.en" / "thesis.txt").is_file()


def test_a_model_folder_that_links_elsewhere_is_refused_and_the_rest_stays(store, tmp_path):
    # an installed tiny.en in the hub cache whose repository folder is a link to the user's own copy,
    # and a partial download that would be removed with it: all or nothing
    own_copy = _hub_repo(tmp_path / "my-models" / "tiny")
    store.hub_cache.mkdir(parents=True)
    os.symlink(own_copy, store.hub_cache / "models--Systran--faster-whisper-tiny.en")
    (store.hub_cache / STAGING_DIR / "tiny.en").mkdir(parents=True)
    (store.hub_cache / STAGING_DIR / "tiny.en" / "part").write_bytes(b"x")
    assert store.installed_path("tiny.en").source == "hub-cache"

    with pytest.raises(ModelError, match="leads outside .*nothing was deleted"):
        store.delete("tiny.en")
    assert (own_copy / "snapshots" / "abc123" / "model.bin").is_file()
    assert (store.hub_cache / STAGING_DIR / "tiny.en" / "part").is_file()


def test_an_app_folder_entry_that_links_elsewhere_is_refused(store, tmp_path):
    own_copy = _model_files(tmp_path / "my-models" / "base")
    store.app_models_dir.mkdir(parents=True)
    os.symlink(own_copy, store.app_models_dir / "base")
    assert store.installed_path("base").source == "app"

    with pytest.raises(ModelError, match="leads outside .*nothing was deleted"):
        store.delete("base")
    assert (own_copy / "model.bin").is_file() and (store.app_models_dir / "base").is_symlink()


def test_a_folder_the_user_added_is_never_deleted_by_name_but_the_apps_own_folder_is(store, tmp_path):
    folder = _model_files(tmp_path / "mine" / "whisper-ct2")
    store.add_local_folder(folder)

    with pytest.raises(ModelError, match="folder you added.*remove-folder"):
        store.delete("whisper-ct2")
    assert (folder / "model.bin").is_file()

    # a model in the app's own models folder is installed under its folder's name, and that name deletes it
    _model_files(store.app_models_dir / "whisper-ct2")
    assert store.delete("whisper-ct2") and not (store.app_models_dir / "whisper-ct2").exists()
    assert (folder / "model.bin").is_file()


def test_path_inside_resolves_before_comparing(tmp_path):
    base = tmp_path / "base"
    (base / "sub").mkdir(parents=True)
    os.symlink(tmp_path, base / "out")
    os.symlink(base / "sub", base / "in")

    assert path_inside(base, "sub") == (base / "sub").resolve()
    assert path_inside(base, "in") == (base / "sub").resolve()          # a link that stays inside is fine
    for parts in (("..",), ("",), (".",), ("sub", "..", ".."), (str(tmp_path),), ("out",), ("out", "base"),
                  ("a\0b",)):
        assert path_inside(base, *parts) is None, parts
