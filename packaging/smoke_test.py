"""Smoke-test a built bundle as a user runs it (CI on every platform; tests/e2e/test_bundle.py reuses it).

    python packaging/smoke_test.py --audio CLIP --model DIR [--dist dist] [--expect WORD ...]

1. The window app starts offscreen and shows its main window (VOICEDESK_SMOKE_TEST, see entry.py).
2. The command-line app transcribes CLIP with the model folder DIR (outside the bundle).
Standard library only, so it runs with any Python.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN_TIMEOUT_S = 300


class SmokeFailure(Exception):
    """The bundle did not do what a user needs (message says what)."""


def executables(dist: Path) -> tuple[Path, Path]:
    """(window app, command-line app) of a bundle built into `dist`."""
    if sys.platform == "darwin":
        exe = dist / "voicedesk.app" / "Contents" / "MacOS" / "voicedesk"
        return exe, exe
    if sys.platform == "win32":
        return dist / "voicedesk" / "voicedesk.exe", dist / "voicedesk" / "voicedesk-cli.exe"
    return dist / "voicedesk" / "voicedesk", dist / "voicedesk" / "voicedesk"


def data_dir(exe: Path) -> Path:
    """The bundle's data folder (sys._MEIPASS): _internal beside the exe; in a macOS .app,
    Contents/Frameworks, where PyInstaller links the data files it keeps in Contents/Resources."""
    if sys.platform == "darwin":
        return exe.parent.parent / "Frameworks"
    return exe.parent / "_internal"


def isolated_env(home: Path) -> dict[str, str]:
    """The environment of a first launch: offscreen Qt, settings/data/logs in a fresh folder."""
    env = dict(os.environ)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "APPDATA", "LOCALAPPDATA"):
        env[var] = str(home / var.lower())
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("VOICEDESK_SMOKE_TEST", None)
    return env


def _run(cmd: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    if result.returncode != 0:
        raise SmokeFailure(f"{' '.join(cmd[:2])} exited {result.returncode}:\n{result.stderr[-4000:]}")
    return result


def open_window(gui: Path, env: dict[str, str], workdir: Path) -> dict:
    """Start the window app, let it show its window; returns its report plus `startup_s` (launch to shown)."""
    report = workdir / "smoke.json"
    launched = time.time()
    _run([str(gui)], {**env, "VOICEDESK_SMOKE_TEST": str(report)}, workdir)
    if not report.is_file():
        raise SmokeFailure("the app exited without reporting a window")
    info = json.loads(report.read_text(encoding="utf-8"))
    if not info["windows"]:
        raise SmokeFailure(f"no main window was shown: {info}")
    info["startup_s"] = round(info["shown_at"] - launched, 2)
    return info


def transcribe(cli: Path, audio: Path, model: Path, env: dict[str, str], workdir: Path, fmt: str = "txt") -> str:
    """What `voicedesk transcribe AUDIO --model MODEL --format FMT` writes on stdout."""
    return _run([str(cli), "transcribe", str(audio), "--model", str(model), "--format", fmt], env, workdir).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=Path("dist"))
    parser.add_argument("--audio", type=Path, required=True)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--expect", nargs="*", default=[], help="words the transcript must contain")
    args = parser.parse_args(argv)
    gui, cli = executables(args.dist.resolve())
    audio, model = args.audio.resolve(), args.model.expanduser().resolve()
    missing = [str(p) for p in (gui, cli, audio, model) if not p.exists()]
    if missing:
        print(f"smoke test failed: not found: {', '.join(missing)}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = isolated_env(work)
        try:
            window = open_window(gui, env, work)
            print(f"window: {window['windows'][0]['title']!r} shown {window['startup_s']} s after launch")
            text = transcribe(cli, audio, model, env, work)
            print(f"transcript: {text.strip()}")
            missing = [w for w in args.expect if w.lower() not in text.lower()]
            if missing:
                raise SmokeFailure(f"transcript lacks {missing}")
        except (SmokeFailure, subprocess.TimeoutExpired) as exc:
            print(f"smoke test failed: {exc}", file=sys.stderr)
            return 1
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
