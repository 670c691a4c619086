"""The .deb, installed the way a user installs it: `apt-get install ./voicedesk_*.deb`, then used, upgraded and removed.

Needs root (apt), Debian's dpkg-deb and lintian (tests/system_packages.sh), and the .deb that the
`built_dist` fixture builds when VOICEDESK_TEST_BUNDLE=1 (tests/run.sh). It changes this machine's
package database while it runs, and removes the package again at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testkit.bundle_build import ROOT, TINY_EN
from testkit.packaging_scripts import load_packaging_script
from testkit.speech import clips, wer

smoke = load_packaging_script("smoke_test")
package_deb = load_packaging_script("package_deb")

PACKAGE = "voicedesk"
COMMAND = Path("/usr/bin/voicedesk")
INSTALL_DIR = Path("/opt/voicedesk")
APT_TIMEOUT_S = 600
MAX_WER = 0.35   # tiny.en on an 11 s clip: the point is "the installed app transcribes"
APT_ENV = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the .deb is a Linux package")


def _apt(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(["apt-get", "-y", "-q", *args], env=APT_ENV, capture_output=True, text=True,
                            timeout=APT_TIMEOUT_S)
    assert result.returncode == 0, f"apt-get {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _installed_version() -> str | None:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status} ${Version}", PACKAGE], capture_output=True, text=True)
    status = result.stdout.split()
    return status[-1] if result.returncode == 0 and status[:3] == ["install", "ok", "installed"] else None


@pytest.fixture(scope="module")
def deb(built_dist: Path) -> Path:
    debs = sorted(built_dist.glob(f"{PACKAGE}_*.deb"))
    if not debs:
        if os.environ.get("VOICEDESK_TEST_BUNDLE") == "1":
            pytest.fail(f"the build made no .deb in {built_dist}")
        pytest.skip(f"no .deb in {built_dist}: python packaging/build.py --formats deb, or VOICEDESK_TEST_BUNDLE=1")
    if os.geteuid() != 0:
        pytest.skip("installing a .deb needs root")
    return debs[-1]


@pytest.fixture(scope="module")
def installed(deb: Path):
    """The .deb installed by apt (which fetches its Depends); removed again after the module's tests."""
    assert _installed_version() is None, "voicedesk is already installed on this machine: remove it first"
    _apt("install", str(deb.resolve()))
    yield deb
    if _installed_version() is not None:
        _apt("purge", PACKAGE)


@pytest.fixture
def user_env(tmp_path: Path) -> dict[str, str]:
    return smoke.isolated_env(tmp_path / "home")


def test_lintian_reports_no_errors(deb):
    if shutil.which("lintian") is None:
        pytest.fail("lintian is missing: tests/system_packages.sh installs it")
    result = subprocess.run(["lintian", "--fail-on", "error", "--tag-display-limit", "0", str(deb)],
                            capture_output=True, text=True, timeout=APT_TIMEOUT_S)
    errors = [line for line in result.stdout.splitlines() if line.startswith("E:")]
    assert errors == [] and result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_the_installed_command_transcribes_a_clip_with_a_model_folder(installed, user_env, tmp_path):
    assert COMMAND.resolve() == (INSTALL_DIR / "voicedesk").resolve()
    clip = clips()["jfk_en"]
    text = smoke.transcribe(COMMAND, clip.path, TINY_EN, user_env, tmp_path)
    assert wer(clip.reference, text) <= MAX_WER, text


def test_the_installed_command_opens_the_window_on_an_x_display(installed, user_env, tmp_path):
    from testkit.desktop import accessible_desktop, missing_tools

    assert not missing_tools(), f"install {missing_tools()} (tests/system_packages.sh)"
    with accessible_desktop() as desktop:
        env = {**user_env, "DISPLAY": desktop["DISPLAY"], "QT_QPA_PLATFORM": "xcb",
               "DBUS_SESSION_BUS_ADDRESS": desktop["DBUS_SESSION_BUS_ADDRESS"]}
        info = smoke.open_window(COMMAND, env, tmp_path)
    assert info["platform"] == "xcb"
    assert [w["class"] for w in info["windows"]] == ["MainWindow"]
    assert smoke.library_problems(info) == [], info["libraries"]
    print(f"installed .deb: window shown {info['startup_s']} s after launch (first start after install)")


def test_the_menu_entry_icons_and_software_centre_metadata_are_in_place(installed):
    desktop_file = Path("/usr/share/applications/voicedesk.desktop")
    check = subprocess.run(["desktop-file-validate", str(desktop_file)], capture_output=True, text=True)
    assert check.returncode == 0 and "error" not in check.stdout.lower(), check.stdout + check.stderr
    entry = dict(line.split("=", 1) for line in desktop_file.read_text().splitlines() if "=" in line)
    assert shutil.which(entry["Exec"].split()[0]) == str(COMMAND)
    icons = Path("/usr/share/icons/hicolor")
    assert (icons / "scalable" / "apps" / f"{entry['Icon']}.svg").is_file()
    for size in (16, 32, 48, 128, 256):
        assert (icons / f"{size}x{size}" / "apps" / f"{entry['Icon']}.png").is_file(), size
    metainfo = Path("/usr/share/metainfo/org.voicedesk.voicedesk.metainfo.xml")
    assert f"<launchable type=\"desktop-id\">{desktop_file.name}</launchable>" in metainfo.read_text()
    if shutil.which("appstreamcli"):
        result = subprocess.run(["appstreamcli", "validate", "--no-net", "--pedantic", str(metainfo)],
                                capture_output=True, text=True)
        assert "E:" not in result.stdout, result.stdout


def test_an_upgrade_keeps_the_users_data_and_a_removal_leaves_only_it(installed, user_env, tmp_path):
    # the user's own files, where the app keeps them: settings, a downloaded model, a session journal
    smoke.transcribe(COMMAND, clips()["jfk_en"].path, TINY_EN, user_env, tmp_path)   # a real run writes its logs
    data = Path(user_env["VOICEDESK_DATA_DIR"])
    settings = Path(user_env["VOICEDESK_SETTINGS_FILE"])
    settings.write_text("[ui]\nlanguage=es\n", encoding="utf-8")
    model = data / "models" / "my-model"
    shutil.copytree(TINY_EN, model)
    journal = data / "journal" / "2026-11-29-session.jsonl"
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_text('{"type": "final", "text": "kept"}\n', encoding="utf-8")
    kept = [settings, journal, *sorted(p for p in model.rglob("*") if p.is_file())]
    user_files = {p: p.read_bytes() for p in kept}
    logs = sorted(p for p in Path(user_env["XDG_STATE_HOME"]).rglob("*") if p.is_file())
    assert logs, "the run wrote no log in the user's folders"

    # a newer package of the same bundle (fast compression: it is installed once and removed)
    old_version = _installed_version()
    newer = package_deb.make_deb(INSTALL_DIR, f"{old_version}+1", _icon_pngs(), ROOT / "resources" / "voicedesk.svg",
                                 tmp_path / "work", tmp_path, compression="gzip", level=1)
    owned_before = _owned_files()
    _apt("install", str(newer.path))
    assert _installed_version() == f"{old_version}+1"
    assert {p: p.read_bytes() for p in user_files} == user_files
    text = smoke.transcribe(COMMAND, clips()["jfk_en"].path, model, user_env, tmp_path)
    assert wer(clips()["jfk_en"].reference, text) <= MAX_WER, text

    owned = _owned_files()
    assert owned == owned_before
    _apt("remove", PACKAGE)
    assert _installed_version() is None
    left = [p for p in owned if os.path.lexists(p) and not Path(p).is_dir()]
    assert left == [], left[:20]
    assert not INSTALL_DIR.exists() and not COMMAND.exists()
    assert {p: p.read_bytes() for p in user_files} == user_files
    assert all(p.is_file() for p in logs)


def _owned_files() -> list[str]:
    return subprocess.run(["dpkg-query", "-L", PACKAGE], capture_output=True, text=True, check=True).stdout.split("\n")


def _icon_pngs() -> dict[int, Path]:
    return {int(p.stem.rsplit("-", 1)[1]): p for p in (ROOT / "build" / "icons" / "png").glob("voicedesk-*.png")}

