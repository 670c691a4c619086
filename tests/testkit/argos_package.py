"""Tiny random-weight Argos Translate packages for tests, and an isolated Argos home to install them into.

No Argos language package can be downloaded here, so the suite builds its own in the real
`.argosmodel` format: a zip holding one folder with `metadata.json`, a CTranslate2 `model/`
(built from numpy arrays with `ctranslate2.specs.TransformerSpec`) and a `sentencepiece.model`
(trained on generated lines). The weights are random: output is gibberish by construction, so
tests assert routing, structure, order and errors, never wording.

Isolation: `argostranslate.settings` computes its directories once, at import time, from
`XDG_DATA_HOME` / `XDG_CONFIG_HOME` / `XDG_CACHE_HOME` (data, settings.json, downloads) and
`ARGOS_PACKAGES_DIR` (packages; env var or settings.json). `isolate_argos()` sets those variables
just for the first import, then also points the already-imported module's attributes at the
isolated home (package_data_dir, package_dirs, data_dir, ...) so it works whoever imported
argostranslate first, and clears argostranslate's caches of installed languages.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest

# Bump when the recipe changes so cached archives are rebuilt.
BUILD_VERSION = 1

DEFAULT_CACHE = Path(
    os.environ.get("VOICEDESK_TEST_ARGOS", Path.home() / ".cache" / "voicedesk" / "test-argos")
)

_LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "de": "German", "fr": "French", "it": "Italian"}


@dataclass(frozen=True)
class ModelShape:
    """Dimensions of the random Transformer; small so that a package builds in about a second."""

    layers: int = 2
    d_model: int = 32
    ffn: int = 64
    heads: int = 2
    vocab_size: int = 160
    training_lines: int = 400


def _generated_lines(seed: int, count: int) -> list[str]:
    """Pseudo-sentences of syllable words: enough variety for sentencepiece to learn a vocabulary."""
    rng = random.Random(seed)
    onsets = ["", "b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "qu", "tr"]
    vowels = ["a", "e", "i", "o", "u", "ei", "au", "ie"]
    codas = ["", "", "n", "s", "r", "l", "t"]
    lines = []
    for _ in range(count):
        words = []
        for _ in range(rng.randint(3, 12)):
            word = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(rng.randint(1, 3)))
            words.append(word.capitalize() if not words else word)
        lines.append(" ".join(words) + rng.choice([".", ".", "?", "!"]))
    return lines


def _train_sentencepiece(seed: int, shape: ModelShape) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_generated_lines(seed, shape.training_lines)),
        model_writer=model,
        vocab_size=shape.vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return model.getvalue()


def _random_transformer(vocabulary: list[str], shape: ModelShape, seed: int):
    """A TransformerSpec (pre-norm, shared vocabulary) filled with small random weights."""
    from ctranslate2.specs import TransformerSpec

    rng = np.random.default_rng(seed)
    d, ff, v = shape.d_model, shape.ffn, len(vocabulary)

    def weights(*dims: int) -> np.ndarray:
        return (rng.standard_normal(dims) * 0.2).astype(np.float32)

    def linear(spec, out_dim: int, in_dim: int) -> None:
        spec.weight = weights(out_dim, in_dim)
        spec.bias = np.zeros(out_dim, dtype=np.float32)

    def norm(spec) -> None:
        spec.gamma = np.ones(d, dtype=np.float32)
        spec.beta = np.zeros(d, dtype=np.float32)

    def ffn(spec) -> None:
        norm(spec.layer_norm)
        linear(spec.linear_0, ff, d)
        linear(spec.linear_1, d, ff)

    spec = TransformerSpec.from_config(shape.layers, shape.heads)
    spec.encoder.embeddings[0].weight = weights(v, d)
    norm(spec.encoder.layer_norm)
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)  # fused query/key/value
        linear(layer.self_attention.linear[1], d, d)
        ffn(layer.ffn)

    spec.decoder.embeddings.weight = weights(v, d)
    norm(spec.decoder.layer_norm)
    linear(spec.decoder.projection, v, d)
    # Random logits rarely pick </s>; a mild push keeps outputs a few tokens long instead of
    # running to the 256-token decoding limit (that would only slow the tests down).
    spec.decoder.projection.bias[vocabulary.index("</s>")] = 2.0
    for layer in spec.decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d, d)  # query
        linear(layer.attention.linear[1], 2 * d, d)  # fused key/value over the encoder output
        linear(layer.attention.linear[2], d, d)
        ffn(layer.ffn)

    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization="float32")
    return spec


def package_name(from_code: str, to_code: str) -> str:
    return f"translate-{from_code}_{to_code}-test{BUILD_VERSION}"


def build_package(from_code: str, to_code: str, cache_dir: Path = DEFAULT_CACHE, shape: ModelShape = ModelShape()) -> Path:
    """Path of a `.argosmodel` for from_code→to_code, built once into `cache_dir` and reused after."""
    import sentencepiece as spm

    cache_dir.mkdir(parents=True, exist_ok=True)
    name = package_name(from_code, to_code)
    archive = cache_dir / f"{name}.argosmodel"
    if archive.exists():
        return archive

    seed = sum(map(ord, from_code + to_code)) * 7919
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        root = Path(tmp) / name
        root.mkdir()
        sp_model = _train_sentencepiece(seed, shape)
        (root / "sentencepiece.model").write_bytes(sp_model)
        processor = spm.SentencePieceProcessor(model_proto=sp_model)
        vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
        (root / "model").mkdir()
        _random_transformer(vocabulary, shape, seed).save(str(root / "model"))
        metadata = {
            "package_version": "1.0",
            "argos_version": "1.0",
            "type": "translate",
            "from_code": from_code,
            "from_name": _LANGUAGE_NAMES.get(from_code, from_code),
            "to_code": to_code,
            "to_name": _LANGUAGE_NAMES.get(to_code, to_code),
            "links": [],
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2))
        (root / "README.md").write_text("Random-weight test package built by tests/testkit/argos_package.py.\n")

        partial = Path(tmp) / f"{name}.argosmodel"
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(root.rglob("*")):
                zf.write(path, path.relative_to(tmp).as_posix())
        # Atomic, so a concurrent run never sees half an archive.
        os.replace(partial, archive)
    return archive


_ARGOS_ENV = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "ARGOS_PACKAGES_DIR")


def _home_layout(home: Path) -> dict[str, Path]:
    return {
        "XDG_DATA_HOME": home / "data",
        "XDG_CONFIG_HOME": home / "config",
        "XDG_CACHE_HOME": home / "cache",
        "ARGOS_PACKAGES_DIR": home / "data" / "argos-translate" / "packages",
    }


def _point_settings_at(home: Path) -> None:
    """Aim an imported `argostranslate.settings` at `home` and forget every cached installed language."""
    from argostranslate import settings, translate

    layout = _home_layout(home)
    settings.data_dir = layout["XDG_DATA_HOME"] / "argos-translate"
    settings.config_dir = layout["XDG_CONFIG_HOME"] / "argos-translate"
    settings.settings_file = settings.config_dir / "settings.json"
    settings.cache_dir = layout["XDG_CACHE_HOME"] / "argos-translate"
    settings.downloads_dir = settings.cache_dir / "downloads"
    settings.package_data_dir = layout["ARGOS_PACKAGES_DIR"]
    settings.package_dirs = [settings.package_data_dir]
    settings.local_package_index = settings.data_dir / "index.json"
    for directory in (settings.data_dir, settings.config_dir, settings.downloads_dir, settings.package_data_dir):
        directory.mkdir(parents=True, exist_ok=True)
    if "argostranslate.sbd" in sys.modules:
        from minisbd import models as minisbd_models

        # sbd copied data_dir into MiniSBD's cache path when it was imported.
        minisbd_models.cache_dir = str(settings.data_dir / "minisbd")
    translate.installed_translates.clear()
    translate.get_installed_languages.cache_clear()


def isolate_argos(home: Path) -> None:
    """Make argostranslate read and write only under `home` (see the module docstring)."""
    home.mkdir(parents=True, exist_ok=True)
    if "argostranslate.settings" not in sys.modules:
        saved = {key: os.environ.get(key) for key in _ARGOS_ENV}
        os.environ.update({key: str(path) for key, path in _home_layout(home).items()})
        try:
            import argostranslate.sbd  # noqa: F401  (reads settings at import)
            import argostranslate.translate  # noqa: F401
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    _point_settings_at(home)


def install_package(archive: Path) -> None:
    """Install with argostranslate's own API into whatever home argostranslate points at now."""
    from argostranslate import package

    package.install_from_path(archive)


@contextlib.contextmanager
def argos_home_with(home: Path, pairs: list[tuple[str, str]], cache_dir: Path = DEFAULT_CACHE) -> Iterator[Path]:
    """An isolated Argos home holding test packages for `pairs`; previous settings come back on exit."""
    from_settings = None
    if "argostranslate.settings" in sys.modules:
        from argostranslate import settings

        from_settings = {k: getattr(settings, k) for k in (
            "data_dir", "config_dir", "settings_file", "cache_dir", "downloads_dir",
            "package_data_dir", "package_dirs", "local_package_index", "intra_threads")}
    isolate_argos(home)
    from argostranslate import settings

    saved_threads = settings.intra_threads
    # Two cores shared with other test runs: one thread per translator is plenty for tiny models.
    settings.intra_threads = 1
    for from_code, to_code in pairs:
        install_package(build_package(from_code, to_code, cache_dir))
    try:
        yield settings.package_data_dir
    finally:
        settings.intra_threads = saved_threads
        if from_settings is not None:
            for key, value in from_settings.items():
                setattr(settings, key, value)
            if "argostranslate.sbd" in sys.modules:
                from minisbd import models as minisbd_models

                minisbd_models.cache_dir = str(settings.data_dir / "minisbd")
            from argostranslate import translate

            translate.installed_translates.clear()
            translate.get_installed_languages.cache_clear()


# es→en, en→de and en→es: es→de exists only through English; de→anything does not exist.
DEFAULT_PAIRS = [("es", "en"), ("en", "de"), ("en", "es")]


@pytest.fixture(scope="session")
def argos_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An isolated Argos home with test packages es→en, en→de, en→es installed; yields the package dir."""
    with argos_home_with(tmp_path_factory.mktemp("argos-home"), DEFAULT_PAIRS) as packages:
        yield packages


@pytest.fixture
def empty_argos_home(tmp_path: Path) -> Iterator[Path]:
    """An isolated Argos home with no package at all (restores the previous home afterwards)."""
    with argos_home_with(tmp_path / "argos-empty", []) as packages:
        yield packages


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Block every outgoing connection in-process; returns the list of attempted addresses.

    Stands in for the network this app must work without: any attempt is recorded and fails.
    """
    import socket

    attempts: list[object] = []

    def refuse_connect(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"test blocked a network connection to {address!r}")

    def refuse_create_connection(address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"test blocked a network connection to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse_connect)
    monkeypatch.setattr(socket, "create_connection", refuse_create_connection)
    return attempts


def argos_env(home_or_packages: Path) -> dict[str, str]:
    """Environment variables that point a child process's argostranslate at an isolated home.

    Takes the home, or the package dir the fixtures yield (`<home>/data/argos-translate/packages`).
    """
    home = Path(home_or_packages)
    if home.name == "packages":
        home = home.parents[2]
    return {name: str(path) for name, path in _home_layout(home).items()}
