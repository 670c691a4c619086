"""The third-party licence notice: every run-time dependency listed, every licence reviewed."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit.packaging_scripts import load_packaging_script

ROOT = Path(__file__).resolve().parents[2]




@pytest.fixture(scope="module")
def licenses():
    return load_packaging_script("licenses")


@pytest.fixture(scope="module")
def components(licenses):
    return licenses.collect()


def test_every_runtime_dependency_is_listed_with_its_version_and_a_known_licence(licenses, components):
    listed = {licenses._key(c.name): c for c in components}
    dists = licenses.runtime_distributions()
    assert len(dists) >= 10
    for dist in dists:
        component = listed[licenses._key(dist.metadata["Name"])]
        assert component.version == dist.version
        assert component.license and component.license != "UNKNOWN", component.name


def test_all_dependency_licences_have_been_reviewed_for_the_bundle(licenses, components):
    # fails when a new dependency brings a licence nobody has checked against GPL-3.0-or-later
    assert licenses.policy_problems(components) == []


def test_an_unreviewed_licence_is_reported(licenses):
    odd = licenses.Component("closedlib", "1.0", "Proprietary", "")
    fine = licenses.Component("openlib", "1.0", "MIT OR Apache-2.0", "")
    assert licenses.policy_problems([odd, fine]) == ["closedlib 1.0: licence 'Proprietary' not reviewed"]


def test_minisbd_is_bundled_under_the_agpl_which_decides_voicedesks_own_licence(licenses, components):
    # argos-translate-lt imports minisbd unconditionally; README's licence section depends on this fact
    minisbd = next(c for c in components if licenses._key(c.name) == "minisbd")
    assert "Affero" in minisbd.license or "AGPL" in minisbd.license
    assert any("GNU AFFERO GENERAL PUBLIC LICENSE" in text for _, text in minisbd.texts)


def test_the_notice_carries_the_full_lgpl_for_qt_and_each_shipped_licence_file(licenses, components, tmp_path):
    out = tmp_path / "THIRD_PARTY_LICENSES.txt"
    assert licenses.write_notice(out) == []
    notice = out.read_text(encoding="utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in notice and "Version 3, 29 June 2007" in notice
    assert "PySide6" in notice and "Qt (in PySide6-Essentials)" in notice
    for component in components:
        assert component.name in notice
        for _, text in component.texts:
            assert text[:200] in notice
