"""Argos language packs: the package index and downloads against a real HTTP server on loopback.

No Argos package can be downloaded here, so `FakeArgosIndex` serves an index.json and a real
`.argosmodel` built by tests/testkit/argos_package.py (random weights). Installing, listing and
removing go through argostranslate itself, in an isolated Argos home.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from testkit.argos_package import build_package
from testkit.loopback_http import FakeArgosIndex
from voicedesk.engine.translation.routes import TranslationError, installed_pairs
from voicedesk.models import argos_packs
from voicedesk.models.argos_index import INDEX_URL_ENV, cached_index, fetch_index
from voicedesk.models.progress import DownloadCancelled, DownloadError, NetworkUnavailable

pytest_plugins = ["testkit.argos_package"]


def _entry(url: str, name: str, data: bytes, sha256: str | None) -> dict:
    item = {"type": "translate", "from_code": "es", "to_code": "en", "from_name": "Spanish", "to_name": "English",
            "package_version": "1.9", "argos_version": "1.9", "links": [f"{url}/packages/{name}"]}
    if sha256:
        item["sha256"] = sha256
    return item


@pytest.fixture
def es_en_archive() -> Path:
    return build_package("es", "en")


@pytest.fixture
def index_server(es_en_archive, monkeypatch):
    """Serves index.json listing es→en (with its true SHA-256) plus a non-translate entry it must skip."""
    data = es_en_archive.read_bytes()
    checksum = {"value": hashlib.sha256(data).hexdigest()}

    def entries(url: str) -> list[dict]:
        return [_entry(url, "es_en.argosmodel", data, checksum["value"]),
                {"type": "sbd", "from_code": "es", "links": [f"{url}/packages/sbd"]}]

    with FakeArgosIndex({"es_en.argosmodel": es_en_archive}, entries) as server:
        server.checksum = checksum
        monkeypatch.setenv(INDEX_URL_ENV, f"{server.url}/index.json")
        yield server


@pytest.fixture
def index_cache(tmp_path) -> Path:
    return tmp_path / "argos-index.json"


def test_the_index_is_cached_so_browsing_works_offline_afterwards(index_server, index_cache):
    online = fetch_index(cache_file=index_cache)
    assert not online.from_cache
    assert [e.pair for e in online.entries] == ["es-en"]          # the sbd entry is not a translation
    assert online.entries[0].sha256 == index_server.checksum["value"]

    index_server.stop()                                            # the network goes away
    offline = fetch_index(cache_file=index_cache, timeout=2)
    assert offline.from_cache and offline.entries == online.entries
    assert "Cannot reach the Argos package index" in offline.problem
    assert cached_index(index_cache).entries == online.entries


def test_no_network_and_no_cached_index_is_one_clear_error_not_a_recursion(index_cache, no_network):
    with pytest.raises(NetworkUnavailable) as failure:
        fetch_index("https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json",
                    cache_file=index_cache, timeout=2)
    assert "no copy of the package list" in str(failure.value) and "\n" not in str(failure.value)
    assert len(no_network) == 1, "one attempt, no retry loop"


def test_download_from_the_index_reports_progress_and_installs_the_pack(index_server, index_cache, empty_argos_home, tmp_path):
    entry = fetch_index(cache_file=index_cache).find("es", "en")
    events = []

    pair = argos_packs.install_from_index(entry, events.append, target_dir=tmp_path / "dl")

    assert pair == ("es", "en")
    assert ("es", "en") in installed_pairs()
    assert events and events[-1].done == events[-1].total == len(index_server.packages["es_en.argosmodel"])
    assert list((tmp_path / "dl").iterdir()) == [], "the downloaded archive is removed after install"


def test_a_wrong_checksum_is_refused_and_nothing_is_installed(index_server, index_cache, empty_argos_home, tmp_path):
    index_server.checksum["value"] = "0" * 64
    entry = fetch_index(cache_file=index_cache).find("es", "en")

    with pytest.raises(DownloadError, match="checksum"):
        argos_packs.install_from_index(entry, target_dir=tmp_path / "dl")

    assert installed_pairs() == []
    assert list((tmp_path / "dl").iterdir()) == []


def test_a_corrupt_zip_is_refused_with_a_clear_message(index_server, index_cache, empty_argos_home, tmp_path):
    index_server.checksum["value"] = None            # the index gives no checksum: the zip's own CRCs must catch it
    data = bytearray(index_server.packages["es_en.argosmodel"])
    middle = len(data) // 2
    data[middle: middle + 64] = bytes(b ^ 0xFF for b in data[middle: middle + 64])
    index_server.packages["es_en.argosmodel"] = bytes(data)
    entry = fetch_index(cache_file=index_cache).find("es", "en")

    with pytest.raises(TranslationError, match="damaged|not a language pack") as failure:
        argos_packs.install_from_index(entry, target_dir=tmp_path / "dl")

    assert "\n" not in str(failure.value)
    assert installed_pairs() == []


def test_cancel_stops_a_slow_download_and_removes_the_partial_file(index_server, index_cache, empty_argos_home, tmp_path):
    index_server.behaviour.trickle_bytes = 4096
    index_server.behaviour.trickle_delay_s = 0.01
    entry = fetch_index(cache_file=index_cache).find("es", "en")
    cancel = threading.Event()

    def progress(p):
        if p.done >= 16_384:
            cancel.set()

    with pytest.raises(DownloadCancelled):
        argos_packs.install_from_index(entry, progress, cancel, target_dir=tmp_path / "dl")

    assert list((tmp_path / "dl").iterdir()) == []
    assert installed_pairs() == []


def test_a_connection_cut_halfway_leaves_no_file_and_no_pack(index_server, index_cache, empty_argos_home, tmp_path):
    size = len(index_server.packages["es_en.argosmodel"])
    index_server.behaviour.cut_after = {"es_en.argosmodel": size // 2}
    entry = fetch_index(cache_file=index_cache).find("es", "en")

    with pytest.raises(DownloadError, match="broke off") as failure:
        argos_packs.install_from_index(entry, target_dir=tmp_path / "dl")

    assert "\n" not in str(failure.value)
    assert list((tmp_path / "dl").iterdir()) == []
    assert installed_pairs() == []


def test_install_from_file_list_reachable_pairs_through_english_and_uninstall(empty_argos_home):
    argos_packs.install_file(build_package("es", "en"))
    argos_packs.install_file(build_package("en", "de"))

    assert [p.pair for p in argos_packs.installed_packs()] == ["en-de", "es-en"]
    labels = [p.label for p in argos_packs.reachable_pairs()]
    assert "es → de (through en)" in labels and "es → en" in labels

    removed = argos_packs.uninstall("en_de")
    assert removed.pair == "en-de" and not removed.path.exists()
    assert installed_pairs() == [("es", "en")]
    assert all(not p.via for p in argos_packs.reachable_pairs())
    with pytest.raises(TranslationError, match="No en→de language pack is installed"):
        argos_packs.uninstall("en-de")


def test_a_file_that_is_not_a_pack_is_refused_before_argos_sees_it(empty_argos_home, tmp_path):
    not_zip = tmp_path / "notes.argosmodel"
    not_zip.write_text("hello")
    with pytest.raises(TranslationError, match="not a zip archive"):
        argos_packs.install_file(not_zip)
    assert installed_pairs() == []
