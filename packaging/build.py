"""The one build command: a one-folder, windowed voicedesk bundle, then this platform's installer.

    python packaging/build.py                       # dist/voicedesk/ (+ .app on macOS) and packages
    python packaging/build.py --embed-model DIR     # also ship a Whisper model (offline on first launch)
    python packaging/build.py --no-package          # the bundle only
    python packaging/build.py --formats deb         # Linux: only the .deb (of tar.gz, deb, appimage)

Outputs: dist/voicedesk/ (Linux, Windows), dist/voicedesk.app (macOS); then
Linux   dist/voicedesk-<version>-linux-<arch>.tar.gz, dist/voicedesk_<version>_<arch>.deb, and an AppImage
        when appimagetool is found; the bundle is trimmed first (bundle_trim.py) and build/size-report.md
        lists what was left out and what each removal saved;
Windows dist/voicedesk-<version>-setup.exe when Inno Setup's iscc is found;
macOS   dist/voicedesk-<version>-macos-<arch>.dmg.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bundle_data import BuildError, app_version  # noqa: E402

DIST = ROOT / "dist"
WORK = ROOT / "build"
NOTICE_NAME = "THIRD_PARTY_LICENSES.txt"


def bundle_dir(dist: Path = DIST) -> Path:
    """The one-folder bundle: dist/voicedesk (inside the .app on macOS, its Contents/MacOS is the exe folder)."""
    return dist / "voicedesk"


def executable(dist: Path = DIST) -> Path:
    """The built voicedesk executable (the console one on Windows, so that the CLI can print)."""
    if sys.platform == "win32":
        return bundle_dir(dist) / "voicedesk-cli.exe"
    return bundle_dir(dist) / "voicedesk"


def _arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)


def pyinstaller_env(platform: str = sys.platform) -> dict[str, str]:
    """What PyInstaller's environment adds on `platform`.

    macOS: PyInstaller only warns when it cannot sign the .app ("You will need to sign the bundle
    manually!") and the build would go on to ship an app macOS refuses; this makes it an error.
    """
    return {"PYINSTALLER_STRICT_BUNDLE_CODESIGN_ERROR": "1"} if platform == "darwin" else {}


def run_pyinstaller(env: dict[str, str], dist: Path, work: Path, clean: bool) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError as exc:
        raise BuildError("PyInstaller is not installed: pip install -e '.[build]'") from exc
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), str(HERE / "voicedesk.spec")]
    if clean:
        cmd.insert(3, "--clean")
    result = subprocess.run(cmd, env={**os.environ, **pyinstaller_env(), **env}, cwd=ROOT)
    if result.returncode != 0:
        raise BuildError(f"PyInstaller failed (exit {result.returncode}); its log is above")


def place_notices(dist: Path, notice: Path) -> None:
    """Put the licence notice (and voicedesk's own LICENSE, when present) beside the executable."""
    if sys.platform == "darwin":
        return  # the .app carries it in Contents/Resources/resources; the dmg adds nothing
    target = bundle_dir(dist)
    shutil.copy2(notice, target / NOTICE_NAME)
    for name in ("LICENSE", "LICENSE.txt", "COPYING"):
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, target / name)


def build_translations(out_dir: Path) -> Path:
    """The UI's translations (.qm), compiled from the committed .ts files into `out_dir`."""
    sys.path.insert(0, str(ROOT))
    from voicedesk.ui.i18n.build import release_all

    if not release_all(out_dir):
        raise BuildError("no translations were built: voicedesk/ui/i18n/*.ts are missing")
    return out_dir


def build(embed_model: Path | None = None, package: bool = True, clean: bool = False,
          dist: Path = DIST, work: Path = WORK, formats: Sequence[str] | None = None) -> Path:
    """Build the bundle (and packages); returns the bundle folder."""
    from bundle_data import model_datas
    from icons import make_icons
    from licenses import write_notice

    version = app_version(ROOT)
    started = time.monotonic()
    if embed_model is not None:
        model_datas(embed_model)  # fail now, with one line, rather than inside PyInstaller
    icons = make_icons(ROOT / "resources" / "voicedesk.svg", work / "icons")
    notice = work / NOTICE_NAME
    problems = write_notice(notice)
    if problems:
        raise BuildError("dependency licences need review: " + "; ".join(problems))
    env = {"VOICEDESK_ICON_DIR": str(icons.png_dir.parent), "VOICEDESK_NOTICE": str(notice),
           "VOICEDESK_TRANSLATIONS": str(build_translations(work / "i18n"))}
    if embed_model is not None:
        env["VOICEDESK_EMBED_MODEL"] = str(embed_model)
    trim_report = work / "trim.json"
    trim_report.unlink(missing_ok=True)
    env["VOICEDESK_TRIM_REPORT"] = str(trim_report)
    run_pyinstaller(env, dist, work, clean)
    removed: list = []
    if sys.platform.startswith("linux"):
        from bundle_trim import strip_symbols, unused_module_removals
        from size_report import load_removals

        # add the copyright files of the system libraries PyInstaller took (PortAudio, ...)
        write_notice(notice, bundle=bundle_dir(dist))
        shutil.copy2(notice, bundle_dir(dist) / "_internal" / "resources" / NOTICE_NAME)
        removed = load_removals(trim_report) + unused_module_removals() + strip_symbols(bundle_dir(dist))
    place_notices(dist, notice)
    finish_bundle(dist)
    print(f"bundle: {bundle_dir(dist)} ({time.monotonic() - started:.0f} s)")
    made: list[Path] = []
    if package:
        made = make_packages(version, icons, dist, work, formats)
        for path in made:
            print(f"package: {path}")
    if sys.platform.startswith("linux"):
        from bundle_trim import folder_size
        from size_report import format_report

        report = format_report(removed, folder_size(bundle_dir(dist)), made)
        (work / "size-report.md").write_text(report, encoding="utf-8")
        print(report)
    return bundle_dir(dist)


LINUX_FORMATS = ("tar.gz", "deb", "appimage")


def make_packages(version: str, icons, dist: Path, work: Path,
                  formats: Sequence[str] | None = None) -> list[Path]:
    """This platform's packages of the bundle; on Linux `formats` picks among LINUX_FORMATS (all by default)."""
    if sys.platform.startswith("linux"):
        from package_deb import DebError, make_deb
        from package_linux import make_appimage, make_tarball

        formats = LINUX_FORMATS if formats is None else formats
        made = []
        if "tar.gz" in formats:
            made.append(make_tarball(bundle_dir(dist), version, _arch(), icons.png, dist))
        if "deb" in formats:
            pngs = {int(p.stem.rsplit("-", 1)[1]): p for p in icons.png_dir.glob("voicedesk-*.png")}
            try:
                deb = make_deb(bundle_dir(dist), version, pngs, ROOT / "resources" / "voicedesk.svg", work, dist)
            except DebError as exc:
                raise BuildError(str(exc)) from exc
            print(f"deb: Depends: {', '.join(deb.depends)}; Recommends: {', '.join(deb.recommends)}")
            made.append(deb.path)
        if "appimage" in formats:
            appimage = make_appimage(bundle_dir(dist), version, _arch(), icons.png, work, dist)
            if appimage is None:
                print("AppImage skipped: appimagetool not found (set APPIMAGETOOL or put it on PATH)")
            else:
                made.append(appimage)
        return made
    if sys.platform == "darwin":
        from package_macos import make_dmg
        from signing import sign

        dmg = make_dmg(dist / "voicedesk.app", version, _arch(), dist)
        sign([dmg])
        return [dmg]
    if sys.platform == "win32":
        from package_windows import installer_required, make_installer
        from signing import sign

        setup = make_installer(bundle_dir(dist), version, dist, icons.ico)
        if setup is None:
            if installer_required():
                raise BuildError("Inno Setup's iscc not found, and CI needs the installer (set ISCC or put it on PATH)")
            print("installer skipped: Inno Setup's iscc not found (set ISCC or put it on PATH)")
            return []
        sign([setup])
        return [setup]
    return []


def finish_bundle(dist: Path) -> None:
    """Windows and macOS checks and fixes after PyInstaller, before anything is packaged or signed."""
    if sys.platform == "win32":
        from signing import sign
        from vc_runtime import align_runtime, check_runtime

        for change in align_runtime(bundle_dir(dist)):
            print(f"C++ runtime: {change}")
        versions = check_runtime(bundle_dir(dist))   # BuildError when the copies still differ
        print("C++ runtime: " + ", ".join(f"{name} {version}" for name, version in sorted(versions.items())))
        sign(sorted(bundle_dir(dist).glob("*.exe")))
    elif sys.platform == "darwin":
        from package_macos import finish_app

        minimum = finish_app(dist / "voicedesk.app", HERE / "macos" / "entitlements.plist")
        print(f"LSMinimumSystemVersion: {minimum}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the voicedesk bundle and this platform's installer.")
    parser.add_argument("--embed-model", type=Path, metavar="DIR",
                        help="a faster-whisper model folder to ship inside the app (models/<folder name>)")
    parser.add_argument("--no-package", action="store_true", help="build the bundle only")
    parser.add_argument("--clean", action="store_true", help="ignore PyInstaller's cache")
    parser.add_argument("--formats", metavar="LIST",
                        help=f"Linux: which packages, comma-separated, of {','.join(LINUX_FORMATS)} (default: all)")
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()] if args.formats else None
    unknown = sorted(set(formats or ()) - set(LINUX_FORMATS))
    if unknown:
        parser.error(f"unknown package format(s) {', '.join(unknown)}; choose from {', '.join(LINUX_FORMATS)}")
    try:
        build(args.embed_model, package=not args.no_package, clean=args.clean, formats=formats)
    except BuildError as exc:
        print(f"build: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
