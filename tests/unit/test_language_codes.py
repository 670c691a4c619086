"""Language codes from the package index and the command line pass one check before they reach a path or a
label (issue 20, item 4): on Windows a code with a path separator wrote the download outside its folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicedesk.models import argos_packs
from voicedesk.models.argos_files import is_language_code
from voicedesk.models.argos_index import IndexEntry, parse_index
from voicedesk.models.progress import DownloadError

BAD_CODES = ["../../x", "..\\..\\x", "<b>y</b>", "es\n", "e s", "", "EN", "es.en", "C:", "x" * 12]


def test_the_language_code_pattern():
    assert all(map(is_language_code, ["en", "es", "zt", "pb", "haw", "zh-Hant", "pt-BR"]))
    assert not any(map(is_language_code, BAD_CODES + [None, 3, ["en"]]))


@pytest.mark.parametrize("bad", BAD_CODES)
def test_index_entries_with_a_bad_code_are_dropped(bad):
    def item(src: str, dst: str) -> dict:
        return {"type": "translate", "from_code": src, "to_code": dst, "package_version": "1.0",
                "links": ["https://example.org/p.argosmodel"]}

    entries = parse_index([item("es", "en"), item(bad, "en"), item("en", bad)])
    assert [(e.from_code, e.to_code) for e in entries] == [("es", "en")]


@pytest.mark.parametrize("bad", ["..\\..\\..\\x", "../../../x", "<b>y</b>"])
def test_an_entry_built_elsewhere_with_a_bad_code_is_not_downloaded(tmp_path, no_network, bad):
    entry = IndexEntry(bad, "en", "", "", "1.0", ("https://example.org/p.argosmodel",))
    folder = tmp_path / "downloads" / "argos"

    with pytest.raises(DownloadError, match="not language codes") as refused:
        argos_packs.download_pack(entry, target_dir=folder)

    assert "\n" not in str(refused.value)
    assert no_network == []                                    # refused before any connection
    assert sorted(tmp_path.rglob("*")) == []                   # and before any folder or file was made


def test_the_index_version_cannot_put_a_separator_in_the_file_name():
    entry = IndexEntry("es", "en", "", "", "../../..\\x 1.0", ("https://example.org/p.argosmodel",))
    assert "/" not in entry.file_name and "\\" not in entry.file_name and ".." not in entry.file_name
    assert Path(entry.file_name).name == entry.file_name
    assert IndexEntry("es", "en", "", "", "1.0", ()).file_name == "translate-es_en-1_0.argosmodel"

