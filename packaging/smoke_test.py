"""Smoke-test a built bundle as a user runs it (CI on every platform; tests/e2e/test_bundle.py reuses it).

    python packaging/smoke_test.py --audio CLIP --model DIR [--dist dist] [--expect WORD ...]

1. The window app starts offscreen and shows its main window (VOICEDESK_SMOKE_TEST, see entry.py);
   its own process loads PortAudio, onnxruntime, ctranslate2 and av; and its window transcribes
   CLIP with the model folder DIR as File > Transcribe file... does.
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
from typing import Optional, Sequence, Union

RUN_TIMEOUT_S = 420   # the window's run: start-up, a cold model load and the clip, on a slow runner
NATIVE_LIBRARIES = ("portaudio", "onnxruntime", "ctranslate2", "av")


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
    """The environment of a first launch: offscreen Qt, settings/data/logs in a fresh folder.

    The XDG variables cover Linux; Windows asks the shell API for its folders and keeps QSettings
    in the registry, and macOS uses ~/Library, so the app's own overrides move data and settings.
    """
    env = dict(os.environ)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "APPDATA", "LOCALAPPDATA"):
        env[var] = str(home / var.lower())
    env["VOICEDESK_DATA_DIR"] = str(home / "voicedesk-data")            # voicedesk.paths.DATA_DIR_ENV
    env["VOICEDESK_SETTINGS_FILE"] = str(home / "voicedesk-settings.ini")  # voicedesk.ui.app.SETTINGS_FILE_ENV
    env["QT_QPA_PLATFORM"] = "offscreen"
    for var in ("VOICEDESK_SMOKE_TEST", "VOICEDESK_SMOKE_AUDIO", "VOICEDESK_SMOKE_MODEL"):
        env.pop(var, None)
    return env


def _run(cmd: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    # the app writes UTF-8 whatever the platform (voicedesk/cli.py): read it so, not in the locale's encoding
    # (cp1252 on Windows, which garbles a transcript's quotes and dashes or fails on the bytes it lacks)
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, encoding="utf-8", errors="replace",
                            timeout=RUN_TIMEOUT_S)
    if result.returncode != 0:
        raise SmokeFailure(f"{' '.join(cmd[:2])} exited {result.returncode}:\n{result.stderr[-4000:]}")
    return result


def open_window(gui: Union[Path, Sequence[str]], env: dict[str, str], workdir: Path,
                audio: Optional[Path] = None, model: Optional[Path] = None) -> dict:
    """Start the window app, let it show its window (and transcribe `audio` with `model` in it);
    returns its report plus `startup_s` (launch to shown). `gui` is the executable or a command line."""
    report = workdir / "smoke.json"
    smoke = {"VOICEDESK_SMOKE_TEST": str(report)}
    if audio is not None and model is not None:
        smoke.update(VOICEDESK_SMOKE_AUDIO=str(audio), VOICEDESK_SMOKE_MODEL=str(model))
    launched = time.time()
    _run([str(gui)] if isinstance(gui, Path) else list(gui), {**env, **smoke}, workdir)
    if not report.is_file():
        raise SmokeFailure("the app exited without reporting a window")
    info = json.loads(report.read_text(encoding="utf-8"))
    if not info["windows"]:
        raise SmokeFailure(f"no main window was shown: {info}")
    info["startup_s"] = round(info["shown_at"] - launched, 2)
    return info


def library_problems(info: dict) -> list[str]:
    """What the window app's process failed to load, from its report (empty when all loaded)."""
    libraries = info.get("libraries", {})
    problems = [f"{name}: {libraries[name]['error'] or 'no version'}" for name in NATIVE_LIBRARIES
                if name in libraries and not libraries[name].get("version")]
    problems += [f"{name}: not reported" for name in NATIVE_LIBRARIES if name not in libraries]
    portaudio = (libraries.get("portaudio") or {}).get("version") or ""
    if portaudio and "portaudio" not in portaudio.lower():
        problems.append(f"portaudio: unexpected version string {portaudio!r}")
    return problems


def window_transcript(info: dict) -> str:
    """The text the window's own engine transcribed; SmokeFailure when the run did not happen or finish."""
    run = info.get("transcription")
    if run is None:
        raise SmokeFailure("the window reported no transcription (VOICEDESK_SMOKE_AUDIO/MODEL not honoured)")
    if run.get("error") or not run.get("accepted") or not run.get("finished") or not run.get("text"):
        raise SmokeFailure(f"the window's transcription failed: {run}")
    return run["text"]


def missing_words(text: str, expect: Sequence[str]) -> list[str]:
    """The expected words that `text` lacks (case-insensitive)."""
    return [w for w in expect if w.lower() not in text.lower()]


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
            window = open_window(gui, env, work, audio, model)
            print(f"window: {window['windows'][0]['title']!r} shown {window['startup_s']} s after launch")
            for name, status in window.get("libraries", {}).items():
                print(f"library: {name} {status['version'] or status['error']}")
            problems = library_problems(window)
            if problems:
                raise SmokeFailure("the window app cannot load: " + "; ".join(problems))
            heard = window_transcript(window)
            print(f"window transcript: {heard}")
            text = transcribe(cli, audio, model, env, work)
            print(f"command-line transcript: {text.strip()}")
            for source, words in (("window", heard), ("command-line", text)):
                if missing_words(words, args.expect):
                    raise SmokeFailure(f"the {source} transcript lacks {missing_words(words, args.expect)}")
        except (SmokeFailure, subprocess.TimeoutExpired) as exc:
            print(f"smoke test failed: {exc}", file=sys.stderr)
            return 1
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
