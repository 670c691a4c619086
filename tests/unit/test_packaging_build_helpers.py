"""Build helpers: the version the installers stamp, the embedded-model option, the icons, the macOS keys."""

from __future__ import annotations

import os
import plistlib
from pathlib import Path

import pytest
from testkit.packaging_scripts import load_packaging_script

import voicedesk

ROOT = Path(__file__).resolve().parents[2]
MODEL = Path(os.environ.get("VOICEDESK_TEST_MODELS", Path.home() / ".cache" / "voicedesk" / "test-models")) / "tiny.en"




@pytest.fixture(scope="module")
def bundle_data():
    return load_packaging_script("bundle_data")


def test_the_build_stamps_the_package_version(bundle_data):
    assert bundle_data.app_version(ROOT) == voicedesk.__version__


@pytest.mark.parametrize("version, numbers", [("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)),
                                              ("2.0.1rc3", (2, 0, 1, 0)), ("3.4.5+local7", (3, 4, 5, 0))])
def test_windows_and_macos_get_four_version_numbers(bundle_data, version, numbers):
    assert bundle_data.numeric_version(version) == numbers


def test_an_embedded_model_lands_in_the_bundled_models_folder_file_by_file(bundle_data):
    assert MODEL.is_dir(), f"missing test model {MODEL} (python tests/fetch_test_models.py)"
    datas = bundle_data.model_datas(MODEL)
    shipped = {Path(src).name: dest for src, dest in datas}
    expected = {p.name for p in MODEL.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert set(shipped) == expected and "model.bin" in shipped
    assert set(shipped.values()) == {f"models/{MODEL.name}"}


def test_embedding_a_folder_that_is_no_model_stops_the_build_with_one_line(bundle_data, tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(bundle_data.BuildError) as caught:
        bundle_data.model_datas(tmp_path)
    message = str(caught.value)
    assert "\n" not in message and "model.bin" in message


def test_icons_are_rendered_at_every_size_for_every_platform(tmp_path, qapp):
    # `qapp`: the build script makes a QGuiApplication when none exists, and a QWidget made later in the same
    # process (a GUI test run after this one) would abort; pytest-qt's QApplication serves both
    icons = load_packaging_script("icons")
    from PIL import Image

    made = icons.make_icons(ROOT / "resources" / "voicedesk.svg", tmp_path)
    for size in icons.PNG_SIZES:
        with Image.open(made.png_dir / f"voicedesk-{size}.png") as png:
            assert png.size == (size, size)
            assert png.getextrema()[3] == (0, 255)  # transparent corners, opaque body
    with Image.open(made.ico) as ico:
        assert {(256, 256), (48, 48), (16, 16)} <= set(ico.info["sizes"])
    with Image.open(made.icns) as icns:
        assert icns.size[0] >= 512
    assert made.png == made.png_dir / "voicedesk-256.png"


def test_the_macos_app_declares_why_it_needs_the_microphone():
    with open(ROOT / "packaging" / "macos" / "Info.plist", "rb") as fh:
        info = plistlib.load(fh)
    assert info["NSMicrophoneUsageDescription"].strip()
    with open(ROOT / "packaging" / "macos" / "entitlements.plist", "rb") as fh:
        assert plistlib.load(fh)["com.apple.security.device.audio-input"] is True


def test_the_build_compiles_the_ui_translations_that_the_bundle_ships(tmp_path):
    build = load_packaging_script("build")
    folder = build.build_translations(tmp_path / "i18n")
    assert sorted(p.name for p in folder.iterdir()) == ["voicedesk_en.qm", "voicedesk_es.qm"]
    spec = (ROOT / "packaging" / "voicedesk.spec").read_text(encoding="utf-8")
    # beside voicedesk/ui/i18n/__init__.py in the bundle, where the app looks for them
    assert '"voicedesk/ui/i18n")' in spec and "VOICEDESK_TRANSLATIONS" in spec
