"""Links in the Argos package index are fetched only over https (plain http only on loopback).

urllib would happily open `file://` (read any local file and install it as a pack) and `ftp://`;
an index that lists such links, or a server that redirects to them, must not make the app do so.
Real HTTP servers on 127.0.0.1 stand in for the index (no internet here).
"""

from __future__ import annotations

import threading

import pytest

from testkit.argos_package import build_package
from testkit.loopback_http import FakeArgosIndex, LoopbackServer
from voicedesk.models import argos_packs
from voicedesk.models.argos_files import TranslationError
from voicedesk.models.argos_index import IndexEntry, fetch_index, url_problem
from voicedesk.models.progress import DownloadError

pytest_plugins = ["testkit.argos_package"]


def _entry(links: list[str]) -> dict:
    return {"type": "translate", "from_code": "es", "to_code": "en", "from_name": "Spanish", "to_name": "English",
            "package_version": "1.9", "links": links}


@pytest.fixture
def ftp_listener():
    """A TCP listener standing in for an FTP server: records whether anyone connected."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.2)
    connected = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            connected.append(True)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1], connected
    stop.set()
    thread.join(2)
    listener.close()


def test_url_rule():
    assert url_problem("https://example.org/x.argosmodel") is None
    assert url_problem("http://127.0.0.1:8000/x") is None and url_problem("http://localhost/x") is None
    assert url_problem("http://[::1]:9/x") is None
    for refused in ("http://example.org/x", "file:///etc/passwd", "ftp://127.0.0.1/x", "data:,hello",
                    "/etc/passwd", "https:///nohost"):
        assert url_problem(refused), refused


def test_file_and_ftp_links_in_the_index_are_refused_and_nothing_is_installed(
        empty_argos_home, tmp_path, ftp_listener):
    archive = build_package("es", "en")            # a real pack: if file:// were opened, it would install
    ftp_port, ftp_connections = ftp_listener
    links = [archive.resolve().as_uri(), f"ftp://127.0.0.1:{ftp_port}/es_en.argosmodel"]
    with FakeArgosIndex({}, lambda url: [_entry(links)]) as index:
        listing = fetch_index(f"{index.url}/index.json", cache_file=tmp_path / "index.json")
        entry = listing.find("es", "en")
        assert entry is not None and entry.links == () and entry.refused_links == tuple(links)

        with pytest.raises(DownloadError) as failure:
            argos_packs.install_from_index(entry, target_dir=tmp_path / "downloads")
    message = str(failure.value)
    assert "only https links" in message and "\n" not in message
    assert argos_packs.installed_packs() == []
    assert not ftp_connections
    assert not any((tmp_path / "downloads").glob("*"))


def test_an_entry_built_elsewhere_is_checked_too(empty_argos_home, tmp_path):
    archive = build_package("es", "en")
    entry = IndexEntry("es", "en", "Spanish", "English", "1.9", links=(archive.resolve().as_uri(),))
    with pytest.raises(DownloadError, match="only https links"):
        argos_packs.download_pack(entry, target_dir=tmp_path / "downloads")
    assert argos_packs.installed_packs() == []


@pytest.mark.parametrize("target", ["file", "ftp"])
def test_a_redirect_to_a_local_file_or_ftp_is_refused(empty_argos_home, tmp_path, ftp_listener, target):
    archive = build_package("es", "en")
    ftp_port, ftp_connections = ftp_listener
    location = archive.resolve().as_uri() if target == "file" else f"ftp://127.0.0.1:{ftp_port}/es_en.argosmodel"

    def route(handler, method):
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with LoopbackServer(route) as server:
        entry = IndexEntry("es", "en", "Spanish", "English", "1.9", links=(f"{server.url}/packages/es_en",))
        with pytest.raises(DownloadError) as failure:
            argos_packs.install_from_index(entry, target_dir=tmp_path / "downloads")
    assert "redirect refused" in str(failure.value) and "\n" not in str(failure.value)
    assert argos_packs.installed_packs() == []
    assert not ftp_connections


def test_http_on_loopback_still_works_next_to_refused_links(empty_argos_home, tmp_path):
    archive = build_package("es", "en")
    with FakeArgosIndex({"es_en.argosmodel": archive},
                        lambda url: [_entry(["ftp://127.0.0.1:1/x", f"{url}/packages/es_en.argosmodel"])]) as index:
        entry = fetch_index(f"{index.url}/index.json", cache_file=tmp_path / "index.json").find("es", "en")
        assert argos_packs.install_from_index(entry, target_dir=tmp_path / "downloads") == ("es", "en")
    assert [p.pair for p in argos_packs.installed_packs()] == ["es-en"]


def test_an_index_address_that_is_not_https_is_not_fetched(tmp_path):
    index_file = tmp_path / "index.json"
    index_file.write_text("[]")
    with pytest.raises(Exception) as failure:
        fetch_index(index_file.as_uri(), cache_file=tmp_path / "cache.json")
    assert "only https" in str(failure.value)
    assert not (tmp_path / "cache.json").exists()


def test_translation_error_is_still_what_a_bad_pack_raises(empty_argos_home, tmp_path):
    not_zip = tmp_path / "x.argosmodel"
    not_zip.write_text("no")
    with pytest.raises(TranslationError):
        argos_packs.install_file(not_zip)
