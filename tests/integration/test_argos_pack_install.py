"""Installing a language pack never replaces another pair's pack, never leaves half a pack, and never lets
a pack's language codes (`../../x`, `<b>y</b>`) reach a path or a label (issue 20, item 4).

Real random-weight packs built by testkit, doctored by testkit.argos_repack, installed into an isolated
Argos home; argostranslate itself then lists and loads what was installed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testkit.argos_package import build_package, install_package, package_name
from testkit.argos_repack import damage_last_member, repack
from voicedesk.models import argos_packs
from voicedesk.models.argos_files import INSTALLING_PREFIX, TranslationError, install_package_file

pytest_plugins = ["testkit.argos_package"]


def _metadata(packages: Path, folder: str) -> dict:
    return json.loads((packages / folder / "metadata.json").read_text())


def _leftovers(packages: Path) -> list[Path]:
    """Temporary unpack folders left next to or inside the package folder."""
    return [p for where in (packages, packages.parent) for p in where.iterdir() if p.name.startswith(INSTALLING_PREFIX)]


def test_a_pack_never_replaces_an_installed_pack_of_another_pair(empty_argos_home, tmp_path):
    packages = empty_argos_home
    argos_packs.install_file(build_package("en", "es"))
    en_es = package_name("en", "es")
    # a de→en pack whose folder is named like the installed en→es one (mislabelled, or made to do this)
    impostor = repack(build_package("de", "en"), tmp_path / "de_en.argosmodel", folder=en_es)

    with pytest.raises(TranslationError) as refused:
        argos_packs.install_file(impostor)

    message = str(refused.value)
    assert "already holds the en→es language pack" in message and "de→en" in message and "\n" not in message
    assert [p.pair for p in argos_packs.installed_packs()] == ["en-es"]
    assert _metadata(packages, en_es)["from_code"] == "en" and _metadata(packages, en_es)["to_code"] == "es"
    assert _leftovers(packages) == []
    # the same pair again is an update: it goes in through the same temporary folder and rename
    assert argos_packs.install_file(build_package("en", "es")) == ("en", "es")
    assert [p.pair for p in argos_packs.installed_packs()] == ["en-es"] and _leftovers(packages) == []


def test_a_pack_that_fails_to_unpack_leaves_nothing_behind(empty_argos_home, tmp_path):
    # the zip directory is fine (metadata readable), a member fails its CRC while unpacking
    damaged = damage_last_member(build_package("es", "en"), tmp_path / "damaged.argosmodel")

    with pytest.raises(TranslationError, match="damaged.argosmodel is damaged") as refused:
        install_package_file(damaged)

    assert "\n" not in str(refused.value)
    assert list(empty_argos_home.iterdir()) == [] and _leftovers(empty_argos_home) == []
    assert argos_packs.installed_packs() == []


@pytest.mark.parametrize("field, code", [("from_code", "../../x"), ("to_code", "<b>y</b>"),
                                         ("from_code", "..\\..\\x"), ("to_code", "es\n")])
def test_a_pack_whose_codes_are_not_language_codes_is_refused(empty_argos_home, tmp_path, field, code):
    doctored = repack(build_package("es", "en"), tmp_path / "doctored.argosmodel", **{field: code})

    with pytest.raises(TranslationError, match="not language codes") as refused:
        argos_packs.install_file(doctored)

    assert ascii(code) in str(refused.value) and "\n" not in str(refused.value)
    assert list(empty_argos_home.iterdir()) == [] and argos_packs.installed_packs() == []
    assert not (tmp_path / "x").exists() and not (empty_argos_home.parent / "x").exists()


def test_a_pack_with_bad_codes_installed_by_another_tool_is_not_listed(empty_argos_home, tmp_path):
    argos_packs.install_file(build_package("es", "en"))
    install_package(repack(build_package("en", "de"), tmp_path / "markup.argosmodel", folder="markup",
                           from_code="<b>y</b>", to_code="en"))        # argostranslate's own installer

    assert [p.pair for p in argos_packs.installed_packs()] == ["es-en"]
    assert [p.label for p in argos_packs.reachable_pairs()] == ["es → en"]
