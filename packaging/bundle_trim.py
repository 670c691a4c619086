"""What the Linux bundle leaves out, and why (used by voicedesk.spec and build.py).

Three kinds of removal, each listed with its size in the build's size report:
- Qt plugins and Qt's own translations that voicedesk never loads (kept: the platforms a desktop
  uses, the theme plugins, SVG icons, and `qtbase_<lang>.qm` for every language voicedesk ships);
- system libraries that every Linux desktop has and that must match the system they run on
  (GTK and its stack, GLib, D-Bus, fontconfig/freetype, the core X11/xcb libraries): PyInstaller
  copies them from the build machine, and a copy that differs from the desktop's own breaks themes,
  fonts or input methods. The .deb depends on their packages instead;
- debug sections and local symbols of the shared libraries (`strip --strip-unneeded`), which
  build.py removes after PyInstaller.
Only Linux is trimmed: the Windows and macOS bundles are left as PyInstaller makes them.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

QT = "PySide6/Qt"

# plugin folders (or files) under PySide6/Qt/plugins that nothing in voicedesk loads, with the reason
UNUSED_QT_PLUGINS: dict[str, str] = {
    "egldeviceintegrations/*": "EGLFS device integrations (embedded boards without a window system)",
    "generic/*": "evdev/TUIO input for EGLFS and linuxfb (embedded); desktops deliver input through X11/Wayland",
    "platforms/libqeglfs.so": "EGLFS platform (embedded)",
    "platforms/libqlinuxfb.so": "framebuffer platform (embedded)",
    "platforms/libqminimalegl.so": "minimal EGL platform (testing)",
    "platforms/libqvkkhrdisplay.so": "Vulkan display platform (embedded)",
    "platforms/libqvnc.so": "VNC server platform",
    "networkinformation/*": "network reachability plugins: voicedesk does not use QtNetwork",
    "tls/*": "TLS backends of QtNetwork, which voicedesk does not use",
    "imageformats/libqgif.so": "GIF images: voicedesk shows none",
    "imageformats/libqicns.so": "macOS icon files, on Linux",
    "imageformats/libqjpeg.so": "JPEG images: voicedesk shows none (and it pulls in libjpeg)",
    "imageformats/libqtga.so": "TGA images: voicedesk shows none",
    "imageformats/libqtiff.so": "TIFF images: voicedesk shows none",
    "imageformats/libqwbmp.so": "WBMP images: voicedesk shows none",
    "imageformats/libqwebp.so": "WebP images: voicedesk shows none",
}

# Qt libraries only the removed plugins (or the unused QtNetwork module) load
UNUSED_QT_LIBRARIES: dict[str, str] = {
    "libQt6EglFSDeviceIntegration.so.6": "EGLFS (embedded), used only by the removed EGLFS plugins",
    "libQt6EglFsKmsSupport.so.6": "EGLFS (embedded), used only by the removed EGLFS plugins",
    "libQt6Network.so.6": "QtNetwork: voicedesk's network code is Python's (the server, model downloads)",
}

# System libraries left to the system: (file name pattern, Debian package that provides it, group)
SYSTEM_LIBRARIES: tuple[tuple[str, str, str], ...] = (
    # Qt's GTK 3 theme plugin stays in the bundle and loads the desktop's own GTK (native dialogs,
    # the GNOME palette); where GTK is missing, Qt falls back to its own theme
    ("libgtk-3.so.*", "libgtk-3-0 | libgtk-3-0t64", "GTK 3 stack"),
    ("libgdk-3.so.*", "libgtk-3-0 | libgtk-3-0t64", "GTK 3 stack"),
    ("libgdk_pixbuf-2.0.so.*", "libgdk-pixbuf-2.0-0", "GTK 3 stack"),
    ("libatk-1.0.so.*", "libatk1.0-0 | libatk1.0-0t64", "GTK 3 stack"),
    ("libatk-bridge-2.0.so.*", "libatk-bridge2.0-0 | libatk-bridge2.0-0t64", "GTK 3 stack"),
    ("libatspi.so.*", "libatspi2.0-0 | libatspi2.0-0t64", "GTK 3 stack"),
    ("libcairo.so.*", "libcairo2", "GTK 3 stack"),
    ("libcairo-gobject.so.*", "libcairo-gobject2", "GTK 3 stack"),
    ("libpango-1.0.so.*", "libpango-1.0-0", "GTK 3 stack"),
    ("libpangocairo-1.0.so.*", "libpangocairo-1.0-0", "GTK 3 stack"),
    ("libpangoft2-1.0.so.*", "libpangoft2-1.0-0", "GTK 3 stack"),
    ("libpixman-1.so.*", "libpixman-1-0", "GTK 3 stack"),
    ("libepoxy.so.*", "libepoxy0", "GTK 3 stack"),
    ("libharfbuzz.so.*", "libharfbuzz0b", "GTK 3 stack"),
    ("libfribidi.so.*", "libfribidi0", "GTK 3 stack"),
    ("libthai.so.*", "libthai0", "GTK 3 stack"),
    ("libdatrie.so.*", "libdatrie1", "GTK 3 stack"),
    ("libgraphite2.so.*", "libgraphite2-3", "GTK 3 stack"),
    ("libjpeg.so.*", "libjpeg62-turbo | libjpeg-turbo8", "GTK 3 stack"),
    ("libXcomposite.so.*", "libxcomposite1", "GTK 3 stack"),
    ("libXdamage.so.*", "libxdamage1", "GTK 3 stack"),
    ("libXi.so.*", "libxi6", "GTK 3 stack"),
    ("libXinerama.so.*", "libxinerama1", "GTK 3 stack"),
    ("libXcursor.so.*", "libxcursor1", "GTK 3 stack"),
    ("libXrandr.so.*", "libxrandr2", "GTK 3 stack"),
    # GLib: Qt's event loop runs on the desktop's GLib, like GTK's
    ("libglib-2.0.so.*", "libglib2.0-0 | libglib2.0-0t64", "GLib"),
    ("libgobject-2.0.so.*", "libglib2.0-0 | libglib2.0-0t64", "GLib"),
    ("libgio-2.0.so.*", "libglib2.0-0 | libglib2.0-0t64", "GLib"),
    ("libgmodule-2.0.so.*", "libglib2.0-0 | libglib2.0-0t64", "GLib"),
    ("libgthread-2.0.so.*", "libglib2.0-0 | libglib2.0-0t64", "GLib"),
    ("libpcre2-8.so.*", "libpcre2-8-0", "GLib"),
    ("libmount.so.*", "libmount1", "GLib"),
    ("libblkid.so.*", "libblkid1", "GLib"),
    ("libselinux.so.*", "libselinux1", "GLib"),
    # ALSA loads the desktop's own plugins (PulseAudio, PipeWire) at run time: they must match its version
    ("libasound.so.*", "libasound2 | libasound2t64", "ALSA"),
    # D-Bus (accessibility bus, portals) must be the system's, with what it links
    ("libdbus-1.so.*", "libdbus-1-3", "D-Bus"),
    ("libsystemd.so.*", "libsystemd0", "D-Bus"),
    ("libgcrypt.so.*", "libgcrypt20", "D-Bus"),
    ("libgpg-error.so.*", "libgpg-error0", "D-Bus"),
    ("liblz4.so.*", "liblz4-1", "D-Bus"),
    ("libcap.so.*", "libcap2", "D-Bus"),
    # fonts: a bundled fontconfig reads the desktop's config files and can reject them
    ("libfontconfig.so.*", "libfontconfig1", "fonts"),
    ("libfreetype.so.*", "libfreetype6", "fonts"),
    ("libpng16.so.*", "libpng16-16 | libpng16-16t64", "fonts"),
    ("libbrotlidec.so.*", "libbrotli1", "fonts"),
    ("libbrotlicommon.so.*", "libbrotli1", "fonts"),
    ("libexpat.so.*", "libexpat1", "fonts"),
    # the X11 and xcb core every X session has (Qt 6's extra xcb-util libraries stay bundled:
    # many desktops lack libxcb-cursor0, the classic "could not load the Qt platform plugin xcb")
    ("libX11.so.*", "libx11-6", "X11 core"),
    ("libX11-xcb.so.*", "libx11-xcb1", "X11 core"),
    ("libXau.so.*", "libxau6", "X11 core"),
    ("libXdmcp.so.*", "libxdmcp6", "X11 core"),
    ("libXext.so.*", "libxext6", "X11 core"),
    ("libXrender.so.*", "libxrender1", "X11 core"),
    ("libXfixes.so.*", "libxfixes3", "X11 core"),
    ("libxcb.so.*", "libxcb1", "X11 core"),
    ("libbsd.so.*", "libbsd0", "X11 core"),
    ("libmd.so.*", "libmd0", "X11 core"),
    # Kerberos came only with QtNetwork (GSSAPI proxy authentication)
    ("libgssapi_krb5.so.*", "libgssapi-krb5-2", "Kerberos (QtNetwork)"),
    ("libkrb5.so.*", "libkrb5-3", "Kerberos (QtNetwork)"),
    ("libk5crypto.so.*", "libk5crypto3", "Kerberos (QtNetwork)"),
    ("libkrb5support.so.*", "libkrb5support0", "Kerberos (QtNetwork)"),
    ("libcom_err.so.*", "libcom-err2", "Kerberos (QtNetwork)"),
    ("libkeyutils.so.*", "libkeyutils1", "Kerberos (QtNetwork)"),
)

# The .deb only recommends the GTK stack: it serves Qt's GTK theme plugin alone, which Qt skips when GTK is missing
RECOMMENDED_GROUPS = ("GTK 3 stack",)

# Python modules PyInstaller finds but voicedesk never imports at run time. (PySide6.QtOpenGL and
# QtOpenGLWidgets stay, though voicedesk draws without OpenGL: pyqtgraph imports them unconditionally.)
UNUSED_PYTHON_MODULES = (
    "PySide6.QtNetwork",
    # Xet-stored model files download over plain HTTPS without it (huggingface_hub's own fallback;
    # entry.py sets HF_HUB_DISABLE_XET so that the fallback is silent)
    "hf_xet",
)


@dataclass(frozen=True)
class Removal:
    """One file left out of the bundle: where it would have gone, its size, and why."""

    dest: str
    size: int
    group: str
    reason: str


def shipped_ui_languages(i18n_dir: Path) -> list[str]:
    """The UI languages voicedesk ships (voicedesk_<lang>.ts), whose Qt catalogues must stay."""
    return sorted(p.stem.split("_", 1)[1] for p in i18n_dir.glob("voicedesk_*.ts"))


def _qt_relative(dest: str) -> str | None:
    dest = dest.replace("\\", "/")
    return dest[len(QT) + 1:] if dest.startswith(QT + "/") else None


def why_removed(dest: str, languages: Sequence[str]) -> tuple[str, str] | None:
    """(group, reason) when the bundle file `dest` is left out, else None."""
    dest = dest.replace("\\", "/")
    name = dest.rsplit("/", 1)[-1]
    in_qt = _qt_relative(dest)
    if in_qt is not None:
        if in_qt.startswith("plugins/"):
            plugin = in_qt[len("plugins/"):]
            for pattern, reason in UNUSED_QT_PLUGINS.items():
                if fnmatch.fnmatch(plugin, pattern):
                    return "Qt plugins", reason
        if in_qt.startswith("translations/"):
            kept = {f"qtbase_{lang}.qm" for lang in languages}
            if name not in kept:
                return "Qt translations", "a language voicedesk's interface is not in (kept: " + ", ".join(sorted(kept)) + ")"
        if in_qt.startswith("lib/") and name in UNUSED_QT_LIBRARIES:
            return "Qt libraries", UNUSED_QT_LIBRARIES[name]
    if "/" not in dest:  # the system libraries PyInstaller puts at the top of _internal
        for pattern, package, group in SYSTEM_LIBRARIES:
            if fnmatch.fnmatch(name, pattern):
                return "system libraries: " + group, f"provided by the system ({package})"
    if name in UNUSED_QT_LIBRARIES:  # PyInstaller also links Qt libraries at the top level
        return "Qt libraries", UNUSED_QT_LIBRARIES[name]
    return None


def trim(toc: Iterable[tuple], languages: Sequence[str]) -> tuple[list[tuple], list[Removal]]:
    """Split a PyInstaller TOC (dest, source, typecode) into what is kept and what is left out."""
    kept: list[tuple] = []
    removed: list[Removal] = []
    for entry in toc:
        dest, source = entry[0], entry[1]
        why = why_removed(dest, languages)
        if why is None:
            kept.append(entry)
            continue
        size = os.path.getsize(source) if source and os.path.isfile(source) else 0
        removed.append(Removal(dest, size, *why))
    return kept, removed


def system_package(soname: str) -> tuple[str, bool] | None:
    """(Debian package, only recommended) for a system library the bundle leaves to the system; None when
    the table does not name it. Recommended: a library only an optional plugin loads (the GTK theme)."""
    for pattern, package, group in SYSTEM_LIBRARIES:
        if fnmatch.fnmatch(soname, pattern):
            return package, group in RECOMMENDED_GROUPS
    return None

def is_elf(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def folder_size(path: Path) -> int:
    """Bytes of the regular files under `path` (symlinks not followed), as `du -sb` counts file data."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            file = Path(root) / name
            if not file.is_symlink():
                total += file.stat().st_size
    return total


def unused_module_removals(modules: Sequence[str] = UNUSED_PYTHON_MODULES) -> list[Removal]:
    """What the Python modules left out weigh as installed (PyInstaller never collects them, so the
    spec cannot measure them)."""
    import importlib.util

    removals = []
    for module in modules:
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.origin:
            continue
        origin = Path(spec.origin)
        size = folder_size(origin.parent) if origin.name == "__init__.py" else origin.stat().st_size
        removals.append(Removal(module, size, "Python modules",
                                "left out: UNUSED_PYTHON_MODULES in bundle_trim.py says why"))
    return removals


def is_shared_library(path: Path) -> bool:
    name = path.name
    return (name.endswith(".so") or ".so." in name) and is_elf(path)


def load_segments_aligned(path: Path) -> bool:
    """Whether every PT_LOAD segment of a 64-bit little-endian ELF file has its file offset and
    address congruent modulo the page size, as the dynamic loader requires.

    strip can break this in libraries that auditwheel rewrote with patchelf (the "*.libs" folders
    of wheels): the loader then refuses them with "ELF load command address/offset not page-aligned".
    """
    import struct

    data = path.read_bytes()
    if len(data) < 64 or data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return False   # only ELF64 little-endian (x86_64, arm64) is checked, so only it is stripped
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for index in range(phnum):
        offset = phoff + index * phentsize
        if offset + 56 > len(data):
            return False
        p_type, _flags, p_offset, p_vaddr = struct.unpack_from("<IIQQ", data, offset)
        p_align, = struct.unpack_from("<Q", data, offset + 48)
        if p_type != 1:
            continue
        # glibc's checks (dl-load.c): congruent modulo the page size and modulo the segment's alignment
        if (p_vaddr - p_offset) % 4096 or (p_align > 1 and (p_vaddr - p_offset) % p_align):
            return False
    return True


def strip_symbols(bundle: Path) -> list[Removal]:
    """`strip --strip-unneeded` every shared library of the bundle; one Removal per file that got smaller.

    Debug sections and local symbols go; the dynamic symbol table, which loading and linking use,
    stays (ctranslate2's extension alone carries 66 MB of DWARF data). The executables are left
    alone: PyInstaller appends the app's archive to them, which strip would cut off. A stripped copy
    whose segments the loader would refuse is thrown away and the library kept as it was.
    """
    strip = shutil.which("strip")
    if strip is None:
        return []
    saved: list[Removal] = []
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink() or not path.is_file() or not is_shared_library(path):
            continue
        if not load_segments_aligned(path):
            continue
        stripped = path.with_name(path.name + ".stripped")
        result = subprocess.run([strip, "--strip-unneeded", "--preserve-dates", "-o", str(stripped), str(path)],
                                capture_output=True, text=True)
        before = path.stat().st_size
        if result.returncode != 0 or not stripped.is_file() or not load_segments_aligned(stripped) \
                or stripped.stat().st_size >= before:
            stripped.unlink(missing_ok=True)
            continue
        os.chmod(stripped, path.stat().st_mode)
        os.replace(stripped, path)
        saved.append(Removal(str(path.relative_to(bundle)), before - path.stat().st_size,
                             "debug and local symbols", "strip --strip-unneeded"))
    return saved
