"""Limits on what a language pack may unpack to, read from the zip's directory alone."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from voicedesk.models import argos_files
from voicedesk.models.argos_files import (
    EXPANSION_FLOOR_BYTES,
    MAX_EXPANSION,
    MAX_MEMBERS,
    MAX_UNPACKED_BYTES,
    TranslationError,
    check_archive,
    unpacked_size_problem,
)


def _member(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.file_size = size
    return info


def test_a_real_sized_pack_passes():
    # a typical Argos pack: ~100 MB of weights that hardly compress
    members = [_member("p/metadata.json", 400), _member("p/model/model.bin", 95_000_000),
               _member("p/sentencepiece.model", 800_000)]
    assert unpacked_size_problem(members, archive_bytes=88_000_000) is None


def test_more_than_the_absolute_limit_is_refused_even_when_it_does_not_compress():
    members = [_member(f"p/part{i}", MAX_UNPACKED_BYTES // 2) for i in range(3)]
    problem = unpacked_size_problem(members, archive_bytes=MAX_UNPACKED_BYTES, name="big.argosmodel")
    assert problem and "big.argosmodel" in problem and "GB" in problem and "\n" not in problem


def test_a_high_expansion_is_refused_above_the_floor_only():
    archive = 4 << 20
    assert unpacked_size_problem([_member("p/x", archive * MAX_EXPANSION)], archive) is None
    bomb = unpacked_size_problem([_member("p/x", 4 << 30)], archive)     # 4 MB -> 4 GB
    assert bomb and "zip bomb" in bomb
    ratio = unpacked_size_problem([_member("p/x", archive * MAX_EXPANSION + 1)], archive)
    assert ratio and "zip bomb" in ratio
    # a tiny archive of text (metadata, vocabularies) may expand a lot: it cannot hurt
    assert unpacked_size_problem([_member("p/vocab.txt", EXPANSION_FLOOR_BYTES)], 1_000) is None


def test_too_many_members_are_refused():
    members = [_member(f"p/{i}", 0) for i in range(MAX_MEMBERS + 1)]
    assert "files" in unpacked_size_problem(members, archive_bytes=10_000_000)


def test_check_archive_refuses_a_bomb_without_inflating_it(tmp_path: Path):
    bomb = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("p/metadata.json", '{"from_code": "es", "to_code": "en"}')
        with archive.open("p/model.bin", "w") as member:
            for _ in range(8):
                member.write(bytes(1 << 20))

    started = time.monotonic()
    with pytest.raises(TranslationError, match="zip bomb") as failure:
        check_archive(bomb)
    assert time.monotonic() - started < 0.5
    assert "\n" not in str(failure.value)
    with pytest.raises(TranslationError, match="zip bomb"):       # the installer itself refuses it too
        argos_files.install_package_file(bomb)
