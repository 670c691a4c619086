"""What the Linux bundle leaves out and what the .deb declares instead (packaging/bundle_trim.py, package_deb.py).

The rules run here on names; tests/e2e/test_bundle.py and test_deb.py check the real bundle and package.
"""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import numpy
import pytest

from testkit.packaging_scripts import load_packaging_script

ROOT = Path(__file__).resolve().parents[2]
trim = load_packaging_script("bundle_trim")
package_deb = load_packaging_script("package_deb")
size_report = load_packaging_script("size_report")


def test_qt_keeps_the_catalogues_of_the_languages_voicedesk_ships_and_drops_the_others():
    languages = trim.shipped_ui_languages(ROOT / "voicedesk" / "ui" / "i18n")
    assert "es" in languages
    assert trim.why_removed("PySide6/Qt/translations/qtbase_es.qm", languages) is None
    assert trim.why_removed("PySide6/Qt/translations/qtbase_de.qm", languages)[0] == "Qt translations"
    assert trim.why_removed("PySide6/Qt/translations/qt_es.qm", languages)[0] == "Qt translations"


@pytest.mark.parametrize("plugin", ["platforms/libqxcb.so", "platforms/libqwayland.so", "platforms/libqoffscreen.so",
                                    "platformthemes/libqgtk3.so", "platformthemes/libqxdgdesktopportal.so",
                                    "iconengines/libqsvgicon.so", "imageformats/libqsvg.so",
                                    "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
                                    "xcbglintegrations/libqxcb-glx-integration.so",
                                    "wayland-shell-integration/libxdg-shell.so"])
def test_the_plugins_a_desktop_uses_stay(plugin):
    assert trim.why_removed(f"PySide6/Qt/plugins/{plugin}", ["es"]) is None


@pytest.mark.parametrize("plugin", ["platforms/libqeglfs.so", "platforms/libqvnc.so", "generic/libqevdevmouseplugin.so",
                                    "tls/libqopensslbackend.so", "imageformats/libqjpeg.so"])
def test_embedded_and_network_plugins_go(plugin):
    assert trim.why_removed(f"PySide6/Qt/plugins/{plugin}", ["es"])[0] == "Qt plugins"


def test_desktop_libraries_are_left_to_the_system_but_what_desktops_lack_stays_bundled():
    assert trim.why_removed("libgtk-3.so.0", [])[0] == "system libraries: GTK 3 stack"
    assert trim.why_removed("libglib-2.0.so.0", [])[0] == "system libraries: GLib"
    assert trim.why_removed("libfontconfig.so.1", [])[0] == "system libraries: fonts"
    for kept in ("libxcb-cursor.so.0", "libportaudio.so.2", "libjack.so.0", "libpython3.11.so.1.0",
                 "libssl.so.3", "libstdc++.so.6", "libxkbcommon.so.0"):
        assert trim.why_removed(kept, []) is None, kept
    # a library of the same name inside a package folder is the package's own build: never touched
    assert trim.why_removed("av.libs/libasound-c7818c60.so.2.0.0", []) is None


def test_the_deb_depends_on_the_desktop_libraries_and_only_recommends_gtk():
    assert trim.system_package("libglib-2.0.so.0") == ("libglib2.0-0 | libglib2.0-0t64", False)
    assert trim.system_package("libasound.so.2") == ("libasound2 | libasound2t64", False)
    assert trim.system_package("libgtk-3.so.0") == ("libgtk-3-0 | libgtk-3-0t64", True)
    assert trim.system_package("libportaudio.so.2") is None


def test_a_library_the_table_does_not_name_is_found_through_dpkg():
    # libc6 is on every Debian system, this one included
    assert package_deb.dpkg_owner("libc.so.6") == "libc6"
    assert package_deb.dpkg_owner("libno-such-library.so.9") is None


def test_a_real_library_passes_the_loaders_alignment_check_and_a_shifted_copy_fails(tmp_path):
    library = Path(numpy.__file__).parent / "_core" / next(
        p.name for p in (Path(numpy.__file__).parent / "_core").iterdir() if p.name.startswith("_multiarray_umath"))
    assert trim.load_segments_aligned(library)
    data = bytearray(library.read_bytes())
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for index in range(phnum):
        at = phoff + index * phentsize
        if struct.unpack_from("<I", data, at)[0] == 1:   # the first PT_LOAD: move its file offset by 16 bytes
            offset, = struct.unpack_from("<Q", data, at + 8)
            struct.pack_into("<Q", data, at + 8, offset + 16)
            break
    shifted = tmp_path / "shifted.so"
    shifted.write_bytes(bytes(data))
    assert not trim.load_segments_aligned(shifted)
    assert not trim.load_segments_aligned(ROOT / "README.md")


def test_stripping_drops_debug_data_and_the_library_still_loads_and_runs(tmp_path):
    import ctypes
    import shutil

    if shutil.which("strip") is None or shutil.which("gcc") is None:
        pytest.fail("binutils' strip and gcc are needed (tests/system_packages.sh installs binutils)")
    source = tmp_path / "answer.c"
    source.write_text("static int twice(int x) { return 2 * x; }\nint answer(void) { return twice(21); }\n")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    library = bundle / "libanswer.so"
    subprocess.run(["gcc", "-g", "-O0", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    before = library.stat().st_size
    (bundle / "notes.txt").write_text("not a library")

    saved = trim.strip_symbols(bundle)

    assert [r.dest for r in saved] == ["libanswer.so"] and saved[0].size == before - library.stat().st_size > 0
    assert b".debug_info" not in library.read_bytes()
    assert trim.load_segments_aligned(library)
    assert ctypes.CDLL(str(library)).answer() == 42


def test_debian_versions_sort_prereleases_first():
    assert package_deb.debian_version("1.2.0") == "1.2.0"
    assert package_deb.debian_version("1.2.0rc1") == "1.2.0~rc1"
    assert package_deb.debian_version("1.2.0.dev3") == "1.2.0~dev3"
    versions = ["1.2.0", "1.2.0~rc1"]
    check = subprocess.run(["dpkg", "--compare-versions", versions[1], "lt", versions[0]])
    assert check.returncode == 0


def test_the_control_file_names_the_package_and_its_relations():
    control = package_deb.control_file("0.1.0", "amd64", 400_000, ["libc6 (>= 2.35)", "libglib2.0-0"],
                                       ["libgtk-3-0"])
    fields = dict(line.split(": ", 1) for line in control.splitlines() if ": " in line and not line.startswith(" "))
    assert fields["Package"] == "voicedesk" and fields["Architecture"] == "amd64"
    assert fields["Depends"] == "libc6 (>= 2.35), libglib2.0-0" and fields["Recommends"] == "libgtk-3-0"
    assert fields["Installed-Size"] == "400000"
    assert control.endswith("\n") and "\n .\n" in control   # a paragraph break in the long description


def test_the_size_report_adds_up_each_kind_of_removal(tmp_path):
    removals = [trim.Removal("a.so", 3 * 1024 * 1024, "debug and local symbols", "strip"),
                trim.Removal("b.so", 1024 * 1024, "debug and local symbols", "strip"),
                trim.Removal("PySide6/Qt/translations/qt_de.qm", 1024 * 1024, "Qt translations", "language")]
    report = size_report.format_report(removals, 100 * 1024 * 1024)
    assert "| debug and local symbols | 2 | 4.0 | a.so (3.0) |" in report
    assert "| **total** | 3 | 5.0 | |" in report
    assert "| bundle, unpacked | 100.0 |" in report and "| bundle before removals | 105.0 |" in report
