"""The Debian package of a built bundle: voicedesk_<version>_<arch>.deb, built with dpkg-deb.

Layout (what apt installs, and removes again):
    /opt/voicedesk/                      the PyInstaller bundle, as built (self-contained, so in /opt)
    /usr/bin/voicedesk                   a link to /opt/voicedesk/voicedesk: the window, and the CLI
    /usr/share/applications/voicedesk.desktop
    /usr/share/icons/hicolor/<n>x<n>/apps/voicedesk.png, scalable/apps/voicedesk.svg
    /usr/share/metainfo/org.voicedesk.voicedesk.metainfo.xml   (software centres)
    /usr/share/man/man1/voicedesk.1.gz
    /usr/share/doc/voicedesk/{copyright,changelog.gz}
    /usr/share/lintian/overrides/voicedesk                      (why a bundle breaks some Debian rules)
No maintainer scripts: dpkg's triggers refresh the menu and icon caches, and the user's settings,
models and journals live in their home folder, which neither an upgrade nor a removal touches.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from typing import Sequence

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))   # bundle_trim, also when a test loads this file by path
PACKAGE = "voicedesk"
INSTALL_DIR = Path("opt") / PACKAGE
METAINFO = HERE / "linux" / "org.voicedesk.voicedesk.metainfo.xml"
MAINTAINER = "voicedesk contributors <voicedesk@users.noreply.github.com>"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# lintian's rules that a self-contained bundle breaks on purpose, with the reason (each occurs: checked
# by tests/e2e/test_deb.py, which runs lintian)
LINTIAN_OVERRIDES = {
    "dir-or-file-in-opt": "a self-contained PyInstaller bundle (its own Python, Qt and libraries) lives in "
                          "/opt, apart from the system's libraries",
    "custom-library-search-path": "the wheels' libraries find each other through RUNPATH=$ORIGIN inside the bundle",
    "embedded-library": "the Python packages' own builds of their libraries (FFmpeg in PyAV, zlib, ...), "
                        "which their extensions were linked against",
    "library-not-linked-against-libc": "libraries built by the wheels' maintainers",
    "shared-library-lacks-prerequisites": "libraries built by the wheels' maintainers",
    "unstripped-binary-or-object": "libraries that auditwheel rewrote with patchelf (numpy's OpenBLAS): strip "
                                   "would break their segment alignment, so bundle_trim.py keeps them as built",
}


class DebError(Exception):
    """The .deb could not be built (message says why)."""


@dataclass(frozen=True)
class DebPackage:
    path: Path
    version: str
    architecture: str
    depends: tuple[str, ...]
    recommends: tuple[str, ...]


def debian_architecture() -> str:
    """dpkg's name for this machine's architecture (amd64, arm64)."""
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        import platform

        machine = platform.machine().lower()
        return {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)


def debian_version(version: str) -> str:
    """A Debian version from voicedesk's (PEP 440: 1.2.0rc1 sorts before 1.2.0 only as 1.2.0~rc1)."""
    return re.sub(r"(\d)(a|b|rc|dev)", r"\1~\2", version.replace(".dev", "~dev"))


def elf_requirements(bundle: Path) -> tuple[str | None, set[str]]:
    """What the bundle's ELF files ask of the system: the newest GLIBC_x.y symbol version (libc6's lower
    bound) and every library they name as NEEDED."""
    from bundle_trim import is_elf

    newest: tuple[int, ...] = ()
    needed: set[str] = set()
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p)]
    for start in range(0, len(files), 200):
        result = subprocess.run(["objdump", "-p", "-T", *map(str, files[start:start + 200])],
                                capture_output=True, text=True)
        for found in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", result.stdout):
            newest = max(newest, tuple(int(x) for x in found.split(".")))
        needed.update(re.findall(r"^\s+NEEDED\s+(\S+)$", result.stdout, flags=re.MULTILINE))
    return (".".join(map(str, newest)) if newest else None), needed


def control_file(version: str, arch: str, installed_kib: int, depends: Sequence[str],
                 recommends: Sequence[str]) -> str:
    fields = [
        ("Package", PACKAGE),
        ("Version", version),
        ("Architecture", arch),
        ("Maintainer", MAINTAINER),
        ("Installed-Size", str(installed_kib)),
        ("Depends", ", ".join(depends)),
        ("Recommends", ", ".join(recommends)),
        ("Section", "sound"),
        ("Priority", "optional"),
        ("Description", "live, offline speech transcription and translation\n"
         " voicedesk shows what is being said, and its translation, while it is\n"
         " spoken, from a microphone or the system audio, or from a file. Speech\n"
         " recognition (Whisper, through faster-whisper) and translation (Argos\n"
         " Translate) run on this computer: nothing leaves it.\n"
         " .\n"
         " Transcripts export as SRT or WebVTT subtitles or as text. Captions also\n"
         " reach an always-on-top overlay, OBS or a browser, and other programs\n"
         " through a local server."),
    ]
    return "".join(f"{key}: {value}\n" for key, value in fields if value)


def copyright_file(year: int) -> str:
    """A machine-readable (DEP-5) copyright file: voicedesk's licence, and where the bundle's notices are."""
    return (
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: voicedesk\n"
        "Comment: The bundle in /opt/voicedesk carries Python, Qt (PySide6), faster-whisper,\n"
        " CTranslate2, ONNX Runtime, PyAV/FFmpeg, Argos Translate and other libraries.\n"
        " Their licences and copyright notices are in\n"
        " /opt/voicedesk/THIRD_PARTY_LICENSES.txt.\n"
        "\n"
        "Files: *\n"
        f"Copyright: 2025-{year} voicedesk contributors\n"
        "License: GPL-3+\n"
        " This program is free software: you can redistribute it and/or modify\n"
        " it under the terms of the GNU General Public License as published by\n"
        " the Free Software Foundation, either version 3 of the License, or\n"
        " (at your option) any later version.\n"
        " .\n"
        " On Debian systems, the complete text of the GNU General Public License\n"
        " version 3 can be found in `/usr/share/common-licenses/GPL-3'.\n"
    )


def changelog_entry(version: str, when: float) -> str:
    return (f"{PACKAGE} ({version}) unstable; urgency=medium\n\n"
            f"  * voicedesk {version}: see the release notes at the project's home page.\n\n"
            f" -- {MAINTAINER}  {formatdate(when, localtime=False)}\n")


def _write(path: Path, text: str | bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    os.chmod(path, mode)


def _gzip_n(data: str) -> bytes:
    """gzip -9n: no name or time stamp inside, so the same input gives the same bytes."""
    return gzip.compress(data.encode("utf-8"), compresslevel=9, mtime=0)


def _normalise_modes(root: Path) -> None:
    """Directories and programs 755, other files (shared libraries too) 644: Debian's policy."""
    for path in root.rglob("*"):
        if path.is_symlink():
            continue
        if path.is_dir():
            os.chmod(path, 0o755)
        elif path.name.endswith(".so") or ".so." in path.name:
            os.chmod(path, 0o644)
        else:
            os.chmod(path, 0o755 if path.stat().st_mode & 0o111 else 0o644)


def _md5sums(root: Path) -> str:
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.relative_to(root).parts[:1]:
            digest = hashlib.md5(path.read_bytes()).hexdigest()  # dpkg's format, not a security check
            lines.append(f"{digest}  {path.relative_to(root).as_posix()}")
    return "\n".join(lines) + "\n"


def stage(bundle: Path, version: str, arch: str, icon_pngs: dict[int, Path], svg: Path,
          depends: Sequence[str], recommends: Sequence[str], staging: Path) -> Path:
    """Lay out the package's files under `staging` (replaced); returns it."""
    if staging.exists():
        shutil.rmtree(staging)
    app_dir = staging / INSTALL_DIR
    # byte-code caches: the frozen app never reads them, and dpkg would not own the ones it left behind
    shutil.copytree(bundle, app_dir, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    (staging / "usr" / "bin").mkdir(parents=True)
    (staging / "usr" / "bin" / PACKAGE).symlink_to(f"/{INSTALL_DIR.as_posix()}/{PACKAGE}")
    share = staging / "usr" / "share"
    _write(share / "applications" / f"{PACKAGE}.desktop", (ROOT / "resources" / "voicedesk.desktop").read_text())
    for size, png in sorted(icon_pngs.items()):
        if size in ICON_SIZES:
            _write(share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{PACKAGE}.png", png.read_bytes())
    _write(share / "icons" / "hicolor" / "scalable" / "apps" / f"{PACKAGE}.svg", svg.read_bytes())
    now = time.time()
    metainfo = METAINFO.read_text(encoding="utf-8").replace("@VERSION@", version)
    metainfo = metainfo.replace("@DATE@", time.strftime("%Y-%m-%d", time.gmtime(now)))
    _write(share / "metainfo" / METAINFO.name, metainfo)
    manual = (HERE / "linux" / f"{PACKAGE}.1").read_text(encoding="utf-8")
    _write(share / "man" / "man1" / f"{PACKAGE}.1.gz", _gzip_n(manual))
    doc = share / "doc" / PACKAGE
    _write(doc / "copyright", copyright_file(time.gmtime(now).tm_year))
    _write(doc / "changelog.gz", _gzip_n(changelog_entry(version, now)))
    overrides = "".join(f"# {why}\n{PACKAGE}: {tag}\n" for tag, why in LINTIAN_OVERRIDES.items())
    _write(share / "lintian" / "overrides" / PACKAGE, overrides)
    _normalise_modes(staging)
    from bundle_trim import folder_size

    installed_kib = folder_size(staging) // 1024
    control = staging / "DEBIAN"
    control.mkdir()
    _write(control / "control", control_file(version, arch, installed_kib, depends, recommends))
    _write(control / "md5sums", _md5sums(staging))
    return staging


def build_deb(staging: Path, out: Path, compression: str = "xz", level: int = 6) -> Path:
    """dpkg-deb --build `staging` into `out`, owned by root whoever builds it."""
    if shutil.which("dpkg-deb") is None:
        raise DebError("dpkg-deb is not installed (apt install dpkg): the .deb was not built")
    out.unlink(missing_ok=True)
    cmd = ["dpkg-deb", "--root-owner-group", f"-Z{compression}", f"-z{level}", "--build", str(staging), str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise DebError(f"dpkg-deb failed: {result.stderr.strip()[-2000:]}")
    return out


LIBC_FAMILY = ("libc.so.", "libm.so.", "libdl.so.", "libpthread.so.", "librt.so.", "libresolv.so.",
               "libutil.so.", "ld-linux")


def dpkg_owner(soname: str) -> str | None:
    """The installed package that provides the library `soname` on this (build) machine, if any."""
    result = subprocess.run(["dpkg-query", "-S", f"*/{soname}"], capture_output=True, text=True)
    for line in result.stdout.splitlines():
        package, _, path = line.partition(": ")
        if path.startswith(("/lib", "/usr/lib")) and "diversion" not in package:
            return package.split(":")[0].split(",")[0].strip()
    return None


def package_relations(bundle: Path) -> tuple[str | None, list[str], list[str]]:
    """(newest GLIBC version, Depends, Recommends) for the libraries the bundle links and does not carry.

    Only direct needs: the packages of those libraries bring their own dependencies. bundle_trim's
    table names the package (with the t64 alternative where Ubuntu renamed it); else the package that
    provides the library on the build machine.
    """
    from bundle_trim import system_package

    glibc, needed = elf_requirements(bundle)
    carried = {p.name for p in bundle.rglob("*")}
    depends: set[str] = set()
    recommends: set[str] = set()
    for soname in sorted(needed - carried):
        if soname.startswith(LIBC_FAMILY):
            continue
        known = system_package(soname)
        if known is not None:
            (recommends if known[1] else depends).add(known[0])
            continue
        owner = dpkg_owner(soname)
        if owner is None:
            print(f"deb: no package provides {soname} here; it is not in Depends")
        else:
            depends.add(owner)
    return glibc, sorted(depends), sorted(recommends - depends)


def make_deb(bundle: Path, version: str, icon_pngs: dict[int, Path], svg: Path,
             work: Path, out_dir: Path, compression: str = "xz", level: int = 6) -> DebPackage:
    """dist/voicedesk_<version>_<arch>.deb from the (trimmed) bundle."""
    arch = debian_architecture()
    deb_version = debian_version(version)
    glibc, depends, recommends = package_relations(bundle)
    depends = [f"libc6 (>= {glibc})" if glibc else "libc6"] + depends
    staging = stage(bundle, deb_version, arch, icon_pngs, svg, depends, recommends, work / "deb")
    out = build_deb(staging, out_dir / f"{PACKAGE}_{deb_version}_{arch}.deb", compression, level)
    shutil.rmtree(staging, ignore_errors=True)
    return DebPackage(out, deb_version, arch, tuple(depends), tuple(recommends))
