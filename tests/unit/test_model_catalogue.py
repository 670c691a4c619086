"""The model list the window fills: the catalogue's own table, no heavy import, no test folders scanned."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from voicedesk.models.catalogue import _REPOS
from voicedesk.models.choices import MODEL_DIRS_ENV, find_local_models, model_search_dirs


def test_the_catalogue_copy_matches_faster_whispers_own_table():
    from faster_whisper.utils import _MODELS

    assert _REPOS == dict(_MODELS), "faster-whisper changed its model table: update voicedesk/models/catalogue.py"


def test_listing_the_installed_models_imports_no_faster_whisper(tmp_path):
    # a fresh interpreter: this one may have imported faster_whisper already
    probe = ("import sys\n"
             "from voicedesk.models.choices import find_local_models\n"
             "find_local_models(include_store=True)\n"
             "print(sorted(m for m in ('faster_whisper', 'ctranslate2', 'av') if m in sys.modules))\n")
    env = dict(os.environ, HF_HUB_CACHE=str(tmp_path / "hub"), VOICEDESK_DATA_DIR=str(tmp_path / "data"))
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_app_lists_the_test_models_only_when_told_to(monkeypatch, tmp_path):
    test_models = Path.home() / ".cache" / "voicedesk" / "test-models"
    monkeypatch.delenv(MODEL_DIRS_ENV, raising=False)
    monkeypatch.delenv("VOICEDESK_TEST_MODELS", raising=False)
    assert test_models not in model_search_dirs()

    model = tmp_path / "extra" / "tiny"
    model.mkdir(parents=True)
    for name in ("config.json", "model.bin", "tokenizer.json"):
        (model / name).write_text("{}")
    monkeypatch.setenv(MODEL_DIRS_ENV, os.pathsep.join([str(tmp_path / "missing"), str(tmp_path / "extra")]))
    assert [c.label for c in find_local_models(include_store=False)][-1:] == ["tiny"]
