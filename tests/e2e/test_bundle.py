"""The built PyInstaller bundle, run as a user runs it: the window opens, and the CLI inside it transcribes.

Runs when VOICEDESK_TEST_BUNDLE=1 (builds the bundle first, with tiny.en embedded, about 2-4 minutes:
the `built_dist` fixture in conftest.py) or when a bundle is already built in dist/ (or VOICEDESK_BUNDLE_DIR
points at one). Without either there is nothing to test, and the tests say so as a skip. A bundle left in
dist/ by an older build is tested as it is: rebuild after changing the code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from testkit.bundle_build import ROOT, TINY_EN
from testkit.packaging_scripts import load_packaging_script
from testkit.speech import clips, wer

MODEL = TINY_EN
DESKTOP_VARS = ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "QT_QPA_PLATFORM", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON",
                "NO_AT_BRIDGE")
MAX_WER = 0.35   # tiny.en on an 11 s clip; the point is "it transcribes", accuracy is tested elsewhere

smoke = load_packaging_script("smoke_test")


@pytest.fixture(scope="module")
def bundle(built_dist: Path) -> tuple[Path, Path]:
    gui, cli = smoke.executables(built_dist)
    if not (gui.is_file() and cli.is_file()):
        pytest.skip(f"no bundle in {built_dist}: build one (python packaging/build.py) or set VOICEDESK_TEST_BUNDLE=1")
    return gui, cli


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return smoke.isolated_env(tmp_path / "home")


def test_bundled_app_opens_its_main_window_offscreen(bundle, env, tmp_path):
    gui, _ = bundle
    info = smoke.open_window(gui, env, tmp_path)
    assert info["platform"] == "offscreen"
    assert [w["class"] for w in info["windows"]] == ["MainWindow"], info
    window = info["windows"][0]
    assert window["title"].startswith("voicedesk")
    assert window["width"] >= 400 and window["height"] >= 300

    from PySide6.QtGui import QImage

    shot = QImage(info["screenshot"])
    assert (shot.width(), shot.height()) == (window["width"], window["height"])
    # a painted window has text, frames and widgets: many distinct colours, not one flat fill
    colours = {shot.pixel(x, y) for x in range(0, shot.width(), 7) for y in range(0, shot.height(), 7)}
    assert len(colours) > 8
    print(f"window shown {info['startup_s']} s after launch")


def test_bundled_window_loads_its_native_libraries_and_transcribes_with_its_own_engine(bundle, env, tmp_path):
    gui, _ = bundle
    assert MODEL.is_dir(), f"missing test model {MODEL} (python tests/fetch_test_models.py)"
    clip = clips()["jfk_en"]
    # the report of the window app's own process: what a missing PortAudio/onnxruntime/ctranslate2/FFmpeg
    # would only show later as a banner, and a transcription through the window's controller
    info = smoke.open_window(gui, env, tmp_path, clip.path, MODEL)
    assert smoke.library_problems(info) == [], info["libraries"]
    assert info["libraries"]["portaudio"]["version"].startswith("PortAudio V")
    text = smoke.window_transcript(info)
    assert wer(clip.reference, text) <= MAX_WER, text
    assert Path(info["transcription"]["model"]) == MODEL.resolve()


def test_bundled_cli_transcribes_a_real_clip_with_a_model_outside_the_bundle(bundle, env, tmp_path):
    _, cli = bundle
    assert MODEL.is_dir(), f"missing test model {MODEL} (python tests/fetch_test_models.py)"
    assert smoke.data_dir(cli).resolve() not in MODEL.resolve().parents
    clip = clips()["jfk_en"]
    out = smoke.transcribe(cli, clip.path, MODEL, env, tmp_path, fmt="json")

    from voicedesk.session.export import segments_from_json

    segments = segments_from_json(out)
    assert segments and all(s.end > s.start for s in segments)
    assert segments[-1].end <= 12.0  # the clip is 11 s long: times are the clip's own
    hypothesis = " ".join(s.text for s in segments)
    assert wer(clip.reference, hypothesis) <= MAX_WER, hypothesis


def test_bundle_finds_its_resources_inside_itself_and_user_files_in_the_user_folders(bundle, env, tmp_path):
    _, cli = bundle
    result = subprocess.run([str(cli), "--print-paths"], env=env, capture_output=True, text=True,
                            timeout=smoke.RUN_TIMEOUT_S, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-4000:]
    described = json.loads(result.stdout)
    assert described.pop("frozen") == "True"
    paths = {key: Path(value).resolve() for key, value in described.items()}
    data = smoke.data_dir(cli).resolve()
    assert paths["resource_dir"] == data / "resources"
    assert paths["bundled_models_dir"] == data / "models"
    assert (paths["resource_dir"] / "voicedesk.svg").is_file()
    for key in ("user_data_dir", "user_log_dir", "user_cache_dir"):
        assert data not in paths[key].parents, (key, paths[key])
    # the smoke test's isolation: the app's own override on every system (Windows asks the shell API)
    assert paths["user_data_dir"] == Path(env["VOICEDESK_DATA_DIR"]).resolve()
    if sys.platform.startswith("linux"):
        assert paths["user_log_dir"].is_relative_to(Path(env["XDG_STATE_HOME"]).resolve())


def test_bundle_carries_what_pyinstaller_misses_on_its_own(bundle):
    _, cli = bundle
    data = smoke.data_dir(cli)
    # a macOS .app links its data files into the data folder: follow the links
    names = {name for _, _, files in os.walk(data, followlinks=True) for name in files}
    assert any(n.startswith("silero_vad") and n.endswith(".onnx") for n in names), "faster-whisper's VAD model"
    assert any("portaudio" in n.lower() and _is_library(n) for n in names), "PortAudio"
    assert any("ctranslate2" in n.lower() and _is_library(n) for n in names), "CTranslate2's library"
    assert any("onnxruntime" in n.lower() and _is_library(n) for n in names), "ONNX Runtime's library"
    platforms = {n for n in names if any(p in n for p in ("qoffscreen", "qxcb", "qwindows", "qcocoa"))}
    assert any("qoffscreen" in n for n in platforms) and len(platforms) >= 2, platforms
    notice = (data / "resources" / "THIRD_PARTY_LICENSES.txt").read_text(encoding="utf-8")
    for component in ("PySide6", "minisbd", "faster-whisper", "ctranslate2", "onnxruntime", "sounddevice",
                      "GNU LESSER GENERAL PUBLIC LICENSE", "GNU AFFERO GENERAL PUBLIC LICENSE"):
        assert component in notice, component


def test_a_model_embedded_at_build_time_transcribes_from_inside_the_bundle(bundle, env, tmp_path):
    _, cli = bundle
    models = smoke.data_dir(cli) / "models"
    embedded = sorted(p for p in models.iterdir() if p.is_dir()) if models.is_dir() else []
    if not embedded:
        pytest.skip("this bundle embeds no model (python packaging/build.py --embed-model DIR to test it)")
    clip = clips()["jfk_en"]
    # by name, as a user would on first launch: found inside the bundle with no download (env has no hub cache)
    text = smoke.transcribe(cli, clip.path, embedded[0].name, env, tmp_path)
    assert wer(clip.reference, text) <= MAX_WER, text


def _is_library(name: str) -> bool:
    return name.endswith((".so", ".dll", ".dylib", ".pyd")) or ".so." in name


def test_every_qt_plugin_the_app_loads_from_source_is_in_the_bundle_and_loads_from_it(bundle, env, tmp_path):
    """The trimmed bundle (packaging/bundle_trim.py) keeps what the app really loads on a desktop:
    the app from source and the bundled app start on the same X display with the accessibility
    bus, and each reports the plugins its process mapped."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the loaded plugins are read from /proc (Linux); other bundles are not trimmed")
    from testkit.desktop import accessible_desktop, missing_tools

    assert not missing_tools(), f"install {missing_tools()} (tests/system_packages.sh)"
    gui, _ = bundle
    with accessible_desktop() as desktop:
        on_desktop = {**env, **{k: v for k, v in desktop.items() if k in DESKTOP_VARS}}
        for folder in ("source", "bundled"):
            (tmp_path / folder).mkdir()
        source = smoke.open_window([sys.executable, str(ROOT / "packaging" / "entry.py")], on_desktop,
                                   tmp_path / "source")
        bundled = smoke.open_window(gui, on_desktop, tmp_path / "bundled")
    assert source["platform"] == bundled["platform"] == "xcb"
    assert "platforms/libqxcb.so" in source["qt_plugins"]
    plugins = smoke.data_dir(gui) / "PySide6" / "Qt" / "plugins"
    missing = [p for p in source["qt_plugins"] if not (plugins / p).is_file()]
    assert missing == [], f"plugins the app loads but the bundle lacks: {missing}"
    assert set(source["qt_plugins"]) <= set(bundled["qt_plugins"]), bundled["qt_plugins"]


def test_the_trimmed_bundle_keeps_the_interface_languages_and_leaves_the_desktop_libraries_to_the_system(bundle):
    if not sys.platform.startswith("linux"):
        pytest.skip("only the Linux bundle is trimmed")
    _, cli = bundle
    data = smoke.data_dir(cli)
    translations = data / "PySide6" / "Qt" / "translations"
    # Qt's own catalogue for every language voicedesk ships (OK/Cancel/Discard in Spanish), nothing else
    assert (translations / "qtbase_es.qm").is_file()
    assert (data / "voicedesk" / "ui" / "i18n" / "voicedesk_es.qm").is_file()
    assert not (translations / "qtbase_de.qm").exists()
    names = {p.name for p in data.iterdir()}
    # GTK, GLib and fontconfig come from the desktop (the .deb depends on them); Qt's GTK theme plugin stays
    assert not any(n.startswith(("libgtk-3", "libglib-2.0", "libfontconfig")) for n in names), sorted(names)
    assert (data / "PySide6" / "Qt" / "plugins" / "platformthemes" / "libqgtk3.so").is_file()
    # what many desktops lack stays bundled: Qt 6's xcb-cursor, and PortAudio
    assert any(n.startswith("libxcb-cursor") for n in names) and any(n.startswith("libportaudio") for n in names)
