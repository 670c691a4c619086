"""The Whisper model store without the network: catalogue, where models are found, user folders, the
recommendation and the hints. Uses the real tiny.en test model folder (linked, not copied)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from voicedesk.models.resolve import ModelError, cached_model_path, resolve_model
from voicedesk.models.catalogue import catalogue, model_info
from voicedesk.models.machine import MachineFacts, recommend
from voicedesk.models.messages import missing_model_message, missing_translation_message
from voicedesk.models.whisper_store import WhisperModelStore


@pytest.fixture
def store(tmp_path) -> WhisperModelStore:
    return WhisperModelStore(hub_cache=tmp_path / "hub", data_dir=tmp_path / "data", bundled_dir=tmp_path / "bundled")


def test_the_catalogue_lists_every_faster_whisper_size_with_a_size_and_a_hint():
    from faster_whisper.utils import available_models

    names = [m.name for m in catalogue()]
    assert {"tiny", "base", "small", "medium", "large-v3", "large-v3-turbo", "distil-large-v3", "tiny.en"} <= set(names)
    assert set(available_models()) - set(names) <= {"large", "turbo"}      # aliases are listed once
    assert all(m.disk_mb > 0 and m.hint for m in catalogue())
    sizes = [m.disk_mb for m in catalogue()]
    assert sizes == sorted(sizes)
    assert model_info("turbo").repo_id == model_info("large-v3-turbo").repo_id
    assert model_info("tiny.en").english_only and not model_info("tiny").english_only


def test_nothing_is_installed_in_an_empty_place(store):
    assert store.installed() == [] and not store.has_any_model()
    assert all(row.installed is None for row in store.status())


def test_bundled_and_app_folders_are_found_by_name(store, tiny_en_model):
    (store.bundled_dir).mkdir(parents=True)
    os.symlink(tiny_en_model, store.bundled_dir / "tiny.en")
    store.app_models_dir.mkdir(parents=True)
    os.symlink(tiny_en_model, store.app_models_dir / "base")

    assert store.installed_path("tiny.en").source == "bundled"
    assert store.installed_path("base").source == "app"
    assert store.installed_path("small") is None
    with pytest.raises(ModelError, match="bundled"):
        store.delete("tiny.en")


def test_a_folder_without_model_files_is_refused_with_what_is_missing(store, tmp_path):
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")

    with pytest.raises(ModelError) as failure:
        store.add_local_folder(folder)

    assert "model.bin" in str(failure.value) and "tokenizer.json" in str(failure.value)
    assert store.local_folders() == []


def test_an_added_folder_is_remembered_and_can_be_forgotten(store, tiny_en_model, tmp_path):
    added = store.add_local_folder(tiny_en_model)
    store.add_local_folder(tiny_en_model)                     # twice is once

    again = WhisperModelStore(hub_cache=tmp_path / "hub", data_dir=tmp_path / "data", bundled_dir=tmp_path / "b")
    assert again.local_folders() == [Path(tiny_en_model).resolve()]
    assert [m.source for m in again.installed()] == ["folder"] and again.installed()[0].path == added.path

    assert again.remove_local_folder(tiny_en_model)
    assert store.local_folders() == [] and not store.remove_local_folder(tiny_en_model)


def test_a_name_that_is_not_downloaded_resolves_to_the_command_that_gets_it(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    assert cached_model_path("base") is None
    with pytest.raises(ModelError) as failure:
        resolve_model("base")
    assert "voicedesk models download base" in str(failure.value)
    with pytest.raises(ModelError, match="Unknown model"):
        resolve_model("gigantic-v9")


def test_the_recommendation_follows_the_machine():
    assert recommend(MachineFacts(cores=16, memory_gb=32, cuda_devices=1)).name == "large-v3-turbo"
    assert recommend(MachineFacts(cores=16, memory_gb=32, cuda_devices=0)).name == "small"
    assert recommend(MachineFacts(cores=2, memory_gb=24, cuda_devices=0)).name == "base"
    assert recommend(MachineFacts(cores=1, memory_gb=1, cuda_devices=0)).name == "tiny"
    assert all(model_info(recommend(MachineFacts(c, m, g)).name) for c in (1, 4, 16) for m in (1, 8) for g in (0, 1))


def test_hints_name_the_exact_command():
    assert "voicedesk models download small" in missing_model_message("small")
    assert "voicedesk languages install es-en" in missing_translation_message("es", "en")
    through = missing_translation_message("es", "de")
    assert "es-de" in through and "es-en" in through and "en-de" in through
