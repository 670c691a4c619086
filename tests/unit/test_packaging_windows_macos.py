"""Windows and macOS build steps that run here on real bytes: PE versions, Mach-O minimums, retries, signing,
the Info.plist, where Inno Setup is, how the smoke test reads the app, and the Windows dependency pins.

The runners' tools (hdiutil, iscc, signtool, codesign) cannot exist on Linux: a small Python
script stands in for each where a test needs a command, and says so.
"""

from __future__ import annotations

import locale
import os
import plistlib
import struct
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from testkit.packaging_scripts import load_packaging_script

ROOT = Path(__file__).resolve().parents[2]
vc = load_packaging_script("vc_runtime")
macho = load_packaging_script("macos_min_version")
mac = load_packaging_script("package_macos")
win = load_packaging_script("package_windows")
signing = load_packaging_script("signing")


# ---------------------------------------------------------------- Windows PE file versions

def _pe(version: tuple[int, int, int, int], filler: bytes = b"") -> bytes:
    """A minimal PE image: MZ header, PE signature, then a VS_VERSIONINFO with its VS_FIXEDFILEINFO."""
    mz = bytearray(0x80)
    mz[:2] = b"MZ"
    struct.pack_into("<I", mz, 0x3C, 0x80)
    key = "VS_VERSION_INFO\0".encode("utf-16-le")
    head = struct.pack("<HHH", 0, 52, 0) + key
    head += b"\0" * ((-len(head)) % 4)
    major, minor, build, revision = version
    fixed = struct.pack("<13I", 0xFEEF04BD, 0x00010000, (major << 16) | minor, (build << 16) | revision,
                        (major << 16) | minor, (build << 16) | revision, 0x3F, 0, 0x40004, 2, 0, 0, 0)
    # the resource sits 4-byte aligned inside the image, as in a real .rsrc section
    return bytes(mz) + b"PE\0\0" + b"\0" * 20 + filler + head + fixed


def test_the_file_version_is_read_from_the_version_resource(tmp_path):
    dll = tmp_path / "msvcp140.dll"
    dll.write_bytes(_pe((14, 44, 35211, 0), filler=b"VS_VERSION_INFO not in UTF-16\0\0\0"))
    assert vc.file_version(dll) == (14, 44, 35211, 0)


@pytest.mark.parametrize("content, why", [(b"\x7fELF" + b"\0" * 100, "MZ"), (b"MZ" + b"\0" * 100, "PE header")])
def test_a_file_that_is_no_pe_image_is_named_in_the_error(tmp_path, content, why):
    path = tmp_path / "vcruntime140.dll"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=why):
        vc.file_version(path)


def _bundle(tmp_path: Path, copies: dict[str, tuple[int, int, int, int]]) -> Path:
    bundle = tmp_path / "voicedesk"
    for relative, version in copies.items():
        path = bundle / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_pe(version))
    return bundle


def test_older_runtime_copies_are_replaced_by_the_newest_and_then_agree(tmp_path):
    bundle = _bundle(tmp_path, {"_internal/msvcp140.dll": (14, 44, 35211, 0),
                                "_internal/PySide6/msvcp140.dll": (14, 36, 32532, 0),
                                "_internal/PySide6/MSVCP140_1.dll": (14, 36, 32532, 0),
                                "_internal/vcruntime140.dll": (14, 44, 35211, 0)})
    with pytest.raises(vc.RuntimeMismatch, match="msvcp140.dll"):
        vc.check_runtime(bundle)
    changes = vc.align_runtime(bundle)
    assert changes == [f"{Path('_internal/PySide6/msvcp140.dll')}: 14.36.32532.0 -> 14.44.35211.0"]
    assert vc.file_version(bundle / "_internal" / "PySide6" / "msvcp140.dll") == (14, 44, 35211, 0)
    assert vc.check_runtime(bundle) == {"msvcp140.dll": "14.44.35211.0", "msvcp140_1.dll": "14.36.32532.0",
                                        "vcruntime140.dll": "14.44.35211.0"}


def test_a_runtime_copy_without_a_version_stops_the_check_with_its_name(tmp_path):
    bundle = _bundle(tmp_path, {"_internal/vcruntime140.dll": (14, 44, 35211, 0)})
    (bundle / "_internal" / "vcruntime140_1.dll").write_bytes(b"MZ" + b"\0" * 100)
    with pytest.raises(vc.RuntimeMismatch, match="vcruntime140_1.dll"):
        vc.check_runtime(bundle)


# ---------------------------------------------------------------- macOS minimum version

def _macho(commands: list[tuple[int, bytes]]) -> bytes:
    """A thin 64-bit Mach-O: mach_header_64, then the load commands (cmd, cmdsize, body)."""
    body = b"".join(struct.pack("<II", cmd, 8 + len(data)) + data for cmd, data in commands)
    return struct.pack("<IiiIIIII", 0xFEEDFACF, 0x0100000C, 0, 6, len(commands), len(body), 0, 0) + body


def _build_version(platform: int, minos: tuple[int, int, int]) -> tuple[int, bytes]:
    major, minor, patch = minos
    return macho.LC_BUILD_VERSION, struct.pack("<IIII", platform, (major << 16) | (minor << 8) | patch, 15 << 16, 0)


def _fat(*slices: bytes) -> bytes:
    """A universal binary: fat header and arch entries (big-endian), each slice 4 KiB aligned."""
    offset, entries, images = 4096, b"", b""
    for image in slices:
        entries += struct.pack(">iiIII", 0x0100000C, 0, offset, len(image), 12)
        images += image + b"\0" * ((-len(image)) % 4096)
        offset += len(image) + (-len(image)) % 4096
    head = struct.pack(">II", 0xCAFEBABE, len(slices)) + entries
    return head + b"\0" * (4096 - len(head)) + images


def test_the_minimum_comes_from_the_macos_build_version_not_other_platforms():
    data = _macho([(0x19, b"\0" * 64), _build_version(2, (17, 0, 0)), _build_version(1, (14, 0, 0))])
    assert macho.minimum_macos(data) == (14, 0, 0)


def test_older_binaries_declare_it_with_version_min_macosx():
    data = _macho([(macho.LC_VERSION_MIN_MACOSX, struct.pack("<II", (10 << 16) | (13 << 8), 0))])
    assert macho.minimum_macos(data) == (10, 13, 0)


def test_a_universal_binary_needs_the_highest_of_its_slices():
    data = _fat(_macho([_build_version(1, (11, 0, 0))]), _macho([_build_version(1, (10, 9, 0))]))
    assert macho.minimum_macos(data) == (11, 0, 0)


def test_files_that_are_no_mach_o_have_no_minimum():
    assert macho.minimum_macos(b"#!/bin/sh\necho hi\n") is None
    assert macho.minimum_macos(struct.pack(">II", 0xCAFEBABE, 0x41) + b"\0" * 64) is None  # a Java class file


def test_the_app_info_plist_gets_the_highest_minimum_of_its_binaries(tmp_path):
    app = tmp_path / "voicedesk.app"
    (app / "Contents" / "Frameworks" / "numpy").mkdir(parents=True)
    (app / "Contents" / "MacOS").mkdir()
    (app / "Contents" / "MacOS" / "voicedesk").write_bytes(_macho([_build_version(1, (10, 13, 0))]))
    (app / "Contents" / "Frameworks" / "numpy" / "_core.so").write_bytes(_macho([_build_version(1, (14, 0, 0))]))
    (app / "Contents" / "Frameworks" / "libportaudio.dylib").write_bytes(
        _fat(_macho([_build_version(1, (11, 0, 0))])))
    with open(app / "Contents" / "Info.plist", "wb") as fh:
        plistlib.dump({"CFBundleExecutable": "voicedesk", "LSMinimumSystemVersion": "11.0"}, fh)
    written = macho.set_minimum_system_version(app)
    assert written.startswith("14.0 (from ") and "_core.so" in written
    with open(app / "Contents" / "Info.plist", "rb") as fh:
        info = plistlib.load(fh)
    assert info == {"CFBundleExecutable": "voicedesk", "LSMinimumSystemVersion": "14.0"}


# ---------------------------------------------------------------- Info.plist, codesign

def test_the_app_says_why_it_asks_for_the_microphone_and_for_system_audio():
    # without NSScreenCaptureUsageDescription macOS refuses ScreenCaptureKit (system audio) outright;
    # without NSMicrophoneUsageDescription it denies the microphone silently
    bundle_data = load_packaging_script("bundle_data")
    info = bundle_data.mac_info_plist(ROOT, "1.2.3")
    for key in ("NSScreenCaptureUsageDescription", "NSMicrophoneUsageDescription"):
        assert isinstance(info.get(key), str) and "voicedesk" in info[key], key
    assert (info["CFBundleShortVersionString"], info["CFBundleVersion"]) == ("1.2.3", "1.2.3")
    # ... and it is what the spec hands to BUNDLE
    spec = (ROOT / "packaging" / "voicedesk.spec").read_text(encoding="utf-8")
    assert "info = mac_info_plist(ROOT, VERSION)" in spec and "info_plist=info" in spec


def test_pyinstaller_may_not_leave_the_app_unsigned_on_macos():
    build = load_packaging_script("build")
    assert build.pyinstaller_env("darwin") == {"PYINSTALLER_STRICT_BUNDLE_CODESIGN_ERROR": "1"}
    assert build.pyinstaller_env("win32") == build.pyinstaller_env("linux") == {}


def _fake_codesign(tmp_path: Path, verify_exit: int) -> Path:
    """Stands in for codesign (macOS only) on PATH: logs its arguments; `--verify` exits `verify_exit`."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "codesign"
    script.write_text(f"#!{sys.executable}\n"
                      "import sys\n"
                      f"open({str(tmp_path / 'codesign.log')!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n"
                      "if '--verify' in sys.argv:\n"
                      "    print('voicedesk.app: a sealed resource is missing or invalid', file=sys.stderr)\n"
                      f"    sys.exit({verify_exit})\n")
    script.chmod(0o755)
    return folder


def _app(tmp_path: Path) -> Path:
    app = tmp_path / "voicedesk.app"
    (app / "Contents" / "MacOS").mkdir(parents=True)
    (app / "Contents" / "MacOS" / "voicedesk").write_bytes(_macho([_build_version(1, (14, 0, 0))]))
    with open(app / "Contents" / "Info.plist", "wb") as fh:
        plistlib.dump({"CFBundleExecutable": "voicedesk"}, fh)
    return app


@pytest.mark.parametrize("verify_exit", [0, 1])
def test_the_ad_hoc_signature_is_verified_and_a_broken_one_fails_the_build(tmp_path, monkeypatch, verify_exit):
    monkeypatch.delenv(signing.SIGN_COMMAND_ENV, raising=False)
    monkeypatch.setenv("PATH", f"{_fake_codesign(tmp_path, verify_exit)}{os.pathsep}{os.environ['PATH']}")
    app, entitlements = _app(tmp_path), tmp_path / "entitlements.plist"
    if verify_exit:
        with pytest.raises(mac.BuildError, match="verify the signature.*sealed resource"):
            mac.finish_app(app, entitlements)
    else:
        assert mac.finish_app(app, entitlements).startswith("14.0")
    calls = (tmp_path / "codesign.log").read_text().splitlines()
    assert calls[0] == f"--force --sign - --entitlements {entitlements} {app}"
    assert calls[1] == f"--verify --deep --strict --verbose=2 {app}"


# ---------------------------------------------------------------- hdiutil retries

def _flaky_command(tmp_path: Path, failures: int, message: str) -> list[str]:
    """Stands in for hdiutil (macOS only): fails `failures` times with `message`, then succeeds."""
    script = tmp_path / "flaky.py"
    script.write_text(
        "import sys, pathlib\n"
        f"count = pathlib.Path({str(tmp_path / 'count')!r})\n"
        "n = int(count.read_text()) if count.exists() else 0\n"
        "count.write_text(str(n + 1))\n"
        f"if n < {failures}:\n"
        f"    print({message!r}, file=sys.stderr); sys.exit(1)\n"
        "print('created: image.dmg')\n")
    return [sys.executable, str(script)]


def test_hdiutil_is_tried_again_while_the_image_is_busy(tmp_path):
    pauses: list[float] = []
    cmd = _flaky_command(tmp_path, 2, "hdiutil: create failed - Resource busy")
    assert mac.run_with_retries(cmd, attempts=5, pause_s=3, sleep=pauses.append) == 3
    assert pauses == [3, 3]


def test_a_lasting_or_other_failure_stops_the_build_with_hdiutils_words(tmp_path):
    pauses: list[float] = []
    (tmp_path / "busy").mkdir()
    busy = _flaky_command(tmp_path / "busy", 9, "hdiutil: create failed - Resource busy")
    with pytest.raises(mac.BuildError, match="attempt 3 of 3.*Resource busy"):
        mac.run_with_retries(busy, attempts=3, pause_s=1, sleep=pauses.append)
    assert pauses == [1, 1]
    (tmp_path / "full").mkdir()
    full = _flaky_command(tmp_path / "full", 9, "hdiutil: create failed - No space left on device")
    with pytest.raises(mac.BuildError, match="attempt 1 of 3.*No space left"):
        mac.run_with_retries(full, attempts=3, pause_s=1, sleep=pauses.append)
    assert pauses == [1, 1]   # not retried


# ---------------------------------------------------------------- signing hook, Inno Setup

def _recorder(tmp_path: Path, exit_code: int = 0) -> str:
    """Stands in for signtool/codesign (not on Linux): appends each path it gets to a log."""
    script = tmp_path / "fake sign.py"
    script.write_text("import sys\n"
                      f"open({str(tmp_path / 'signed.log')!r}, 'a').write(sys.argv[-1] + '\\n')\n"
                      f"sys.exit({exit_code})\n")
    return f'"{sys.executable}" "{script}" --flag'


def test_nothing_is_signed_unless_a_signing_command_is_set(tmp_path, monkeypatch):
    monkeypatch.delenv(signing.SIGN_COMMAND_ENV, raising=False)
    assert signing.sign([tmp_path / "voicedesk.exe"]) is False


def test_the_signing_command_gets_each_file_even_with_spaces_in_its_path(tmp_path, monkeypatch):
    monkeypatch.setenv(signing.SIGN_COMMAND_ENV, _recorder(tmp_path))
    files = [tmp_path / "dist dir" / "voicedesk.exe", tmp_path / "voicedesk-0.1.0-setup.exe"]
    assert signing.sign(files) is True
    assert (tmp_path / "signed.log").read_text().splitlines() == [str(f) for f in files]


def test_a_failing_signature_stops_the_build(tmp_path, monkeypatch):
    monkeypatch.setenv(signing.SIGN_COMMAND_ENV, _recorder(tmp_path, exit_code=3))
    with pytest.raises(signing.SigningFailed, match="voicedesk.exe failed \\(exit 3\\)"):
        signing.sign([tmp_path / "voicedesk.exe"])


def test_the_installer_takes_its_icon_from_the_builds_work_folder(tmp_path):
    icon = tmp_path / "work" / "icons" / "voicedesk.ico"
    cmd = win.installer_command("iscc", tmp_path / "dist" / "voicedesk", "1.2.3", tmp_path / "dist", icon)
    assert f"/DIconFile={icon.resolve()}" in cmd and "/DAppVersion=1.2.3" in cmd
    assert cmd[-1].endswith("voicedesk.iss") and Path(cmd[-1]).is_file()


def test_a_missing_inno_setup_fails_the_build_in_ci_and_is_skipped_locally(tmp_path, monkeypatch, capsys):
    build = load_packaging_script("build")
    icons = load_packaging_script("icons").IconSet(tmp_path, tmp_path / "a.png", tmp_path / "a.ico", tmp_path / "a.icns")
    monkeypatch.delenv("ISCC", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))          # no iscc on PATH; its default folder is Windows-only
    monkeypatch.setattr(sys, "platform", "win32")      # the Windows branch, which cannot run here otherwise
    monkeypatch.setenv("CI", "true")
    with pytest.raises(build.BuildError, match="iscc not found"):
        build.make_packages("1.0", icons, tmp_path, tmp_path)
    monkeypatch.delenv("CI")
    assert build.make_packages("1.0", icons, tmp_path, tmp_path) == []
    assert "installer skipped" in capsys.readouterr().out


def _install(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ISCC.exe").write_bytes(b"MZ")
    return folder / "ISCC.exe"


def test_inno_setup_is_found_whichever_version_and_program_folder(tmp_path):
    x86, x64 = tmp_path / "Program Files (x86)", tmp_path / "Program Files"
    assert win.installed_iscc([x86, x64]) is None
    six = _install(x86 / "Inno Setup 6")
    assert win.installed_iscc([x86, x64]) == six
    (x64 / "Inno Setup 7").mkdir(parents=True)          # a folder without its compiler is no install
    assert win.installed_iscc([x86, x64]) == six
    seven = _install(x64 / "Inno Setup 7")
    assert win.installed_iscc([x86, x64]) == seven      # the newest of those installed
    custom = _install(tmp_path / "tools" / "innosetup")
    assert win.installed_iscc([], [custom.parent]) == custom   # where the registry says it is


def test_iscc_comes_from_the_environment_first_then_the_program_folders(tmp_path, monkeypatch):
    x64 = tmp_path / "Program Files"
    seven = _install(x64 / "Inno Setup 7")
    env = {"PATH": str(tmp_path / "empty"), "ProgramFiles": str(x64), "ProgramFiles(x86)": str(tmp_path / "none")}
    assert win.iscc(env) == str(seven)
    assert win.iscc({**env, "ISCC": "D:/tools/ISCC.exe"}) == "D:/tools/ISCC.exe"
    assert win.program_folders(env)[:2] == [tmp_path / "none", x64]


# ---------------------------------------------------------------- Windows dependency pins

def _requirements(platform: str) -> dict[str, Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = {}
    for line in data["project"]["dependencies"]:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"sys_platform": platform}):
            found.setdefault(requirement.name.lower(), []).append(requirement)
    return found


def _allows(requirements: list[Requirement], version: str) -> bool:
    return all(r.specifier.contains(version, prereleases=True) for r in requirements)


@pytest.mark.parametrize("platform", ["win32", "linux"])
def test_soundcard_is_one_that_runs_with_numpy_2(platform):
    # 0.4.4 and 0.4.5 call numpy.fromstring (removed in numpy 2) in every WASAPI record; 0.4.6 is on PyPI
    soundcard = _requirements(platform)["soundcard"]
    assert not _allows(soundcard, "0.4.5") and _allows(soundcard, "0.4.6")


def test_windows_keeps_the_pkg_resources_that_its_ctranslate2_imports():
    # ctranslate2 4.6.0 and 4.6.1 run `import pkg_resources` on Windows; setuptools 82 no longer has it
    windows = _requirements("win32")
    if any(_allows(windows["ctranslate2"], v) for v in ("4.6.0", "4.6.1")):
        assert "setuptools" in windows and not _allows(windows["setuptools"], "82.0.0")
        assert _allows(windows["setuptools"], "81.0.0")
    assert "setuptools" not in _requirements("linux")   # the pin is Windows's alone


# ---------------------------------------------------------------- the smoke test's verdicts

smoke = load_packaging_script("smoke_test")


def test_the_smoke_test_reads_the_apps_output_as_utf8_whatever_the_locale(tmp_path, monkeypatch):
    # the app writes UTF-8 (voicedesk/cli.py); Windows's locale encoding is cp1252, here it is made so
    monkeypatch.setattr(locale, "getencoding", lambda: "cp1252")
    monkeypatch.setattr(locale, "getpreferredencoding", lambda do_setlocale=True: "cp1252")
    text = "\u201cask not\u201d \u2014 na\u00efve \u041a\u0435\u043d\u043d\u0435\u0434\u0438 \u6f14\u8bb2"
    cmd = [sys.executable, "-c", f"import sys; sys.stdout.buffer.write({text!r}.encode('utf-8'))"]
    assert smoke._run(cmd, dict(os.environ), tmp_path).stdout == text


def test_the_smoke_test_isolates_data_and_settings_through_the_apps_own_overrides(tmp_path):
    from voicedesk.paths import DATA_DIR_ENV
    from voicedesk.ui.app import SETTINGS_FILE_ENV

    env = smoke.isolated_env(tmp_path)
    assert Path(env[DATA_DIR_ENV]).is_relative_to(tmp_path)
    assert Path(env[SETTINGS_FILE_ENV]).is_relative_to(tmp_path)   # not the Windows registry


def _report(**libraries) -> dict:
    ok = {"portaudio": {"version": "PortAudio V19.7.0-devel, revision 147dd72", "error": None},
          "onnxruntime": {"version": "1.20.1", "error": None}, "ctranslate2": {"version": "4.6.0", "error": None},
          "av": {"version": "14.0.1", "error": None}}
    return {"libraries": {**ok, **libraries}}


def test_a_library_the_window_app_cannot_load_fails_the_smoke_test_with_its_error():
    assert smoke.library_problems(_report()) == []
    broken = _report(onnxruntime={"version": None, "error": "ImportError: DLL load failed while importing "
                                  "onnxruntime_pybind11_state: A dynamic link library (DLL) initialization routine failed."})
    assert smoke.library_problems(broken) == [f"onnxruntime: {broken['libraries']['onnxruntime']['error']}"]
    del broken["libraries"]["av"]
    assert "av: not reported" in smoke.library_problems(broken)


def test_the_window_transcript_must_exist_and_be_finished():
    with pytest.raises(smoke.SmokeFailure, match="no transcription"):
        smoke.window_transcript({})
    with pytest.raises(smoke.SmokeFailure, match="failed"):
        smoke.window_transcript({"transcription": {"accepted": True, "finished": False, "text": "partial"}})
    run = {"accepted": True, "finished": True, "text": "ask what you can do for your country"}
    assert smoke.window_transcript({"transcription": run}) == run["text"]
    assert smoke.missing_words(run["text"], ["Country", "moon"]) == ["moon"]
