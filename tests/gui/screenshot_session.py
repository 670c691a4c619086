"""Save a screenshot of the real window mid-session under Xvfb: waveform moving, both panes filled, a partial showing.

Run: `.venv/bin/python tests/gui/screenshot_session.py [out.png] [--language es]` (default
artifacts/screenshot.png, in English; `--language es` shows the Spanish UI, as docs/screenshot_es.png).
It starts its own Xvfb display (unless DISPLAY is set), a PulseAudio virtual microphone fed with
real Spanish and German speech, and the multilingual base test model translating into English by
itself (no language pack). It prints `SCREENSHOT <path>` and the longest GUI-thread stall it measured.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from testkit.speech import speech_dir  # noqa: E402

SPEECH = speech_dir()
MODEL = Path(os.environ.get("VOICEDESK_TEST_MODELS", Path.home() / ".cache" / "voicedesk" / "test-models")) / "base"


def start_xvfb() -> subprocess.Popen | None:
    """A private X display for this run (None when one is already set)."""
    if os.environ.get("DISPLAY"):
        return None
    for number in range(90, 120):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    proc = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError("Xvfb did not start")
        time.sleep(0.05)
    os.environ["DISPLAY"] = f":{number}"
    return proc


def joined_speech(folder: Path) -> Path:
    """Real Spanish, then the German reading of multilingual.mp3, with pauses, as one 16 kHz WAV."""
    import wave

    import numpy as np
    from faster_whisper import decode_audio

    silence = np.zeros(16_000, np.float32)
    german = decode_audio(str(SPEECH / "multilingual.mp3"))[30 * 16_000:]
    parts = [silence, decode_audio(str(SPEECH / "arenas_es.wav")), silence, german, silence]
    pcm = (np.clip(np.concatenate(parts), -1, 1) * 32767).astype("<i2")
    out = folder / "talk.wav"
    with wave.open(str(out), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(16_000)
        f.writeframes(pcm.tobytes())
    return out


def main(out_path: Path, language: str = "en") -> int:
    xvfb = start_xvfb()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    from testkit.argos_package import argos_home_with
    from testkit.virtual_mic import VirtualMics, ensure_pulse_daemon

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    work = Path(tempfile.mkdtemp(prefix="voicedesk-shot-"))
    mics = VirtualMics()
    try:
        ensure_pulse_daemon()
        with argos_home_with(work / "argos", []):
            app = QApplication([sys.argv[0]])
            from voicedesk.ui.app import app_icon
            from voicedesk.ui.window.main_window import MainWindow, QuitAnswer
            from voicedesk.ui.stall import StallMeter

            app.setWindowIcon(app_icon())
            from voicedesk.ui.i18n import install_translators

            install_translators(app, language)   # as the app does at start-up, before the window is built
            mic = mics("Conference Mic")
            settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
            settings.setValue("model/spec", str(MODEL))
            settings.setValue("language/target", "en")
            settings.setValue("input/key", f"pulse:{mic.source}")
            window = MainWindow(settings=settings)
            window.resize(1200, 760)
            window.show()
            stall = StallMeter()
            talk = joined_speech(work)
            state = {"phase": "wait-ready", "deadline": time.monotonic() + 180, "shot": None}

            def step() -> None:
                now = time.monotonic()
                if now > state["deadline"]:
                    print(f"TIMEOUT in phase {state['phase']}", file=sys.stderr)
                    app.exit(1)
                    return
                phase = state["phase"]
                if phase == "wait-ready":
                    choices = window.widgets.choices
                    ready = choices.target_code == "en" and choices.current_input is not None \
                        and choices.current_input.pulse_source == mic.source \
                        and window.widgets.state_label.text() == window.tr("Ready")
                    if ready:
                        stall.start()
                        window.start_session()
                        state["phase"] = "wait-levels"
                elif phase == "wait-levels" and len(window.widgets.waveform.levels) > 10:
                    state["player"] = mics.play(mic, talk)
                    state["phase"] = "wait-text"
                elif phase == "wait-text":
                    if state["player"].poll() is not None:
                        # the talk ended between partials (a busy machine skips some): say it again
                        state["player"] = mics.play(mic, talk)
                    translated = [s for s in window.session.sentences() if s.translation]
                    if len(translated) >= 2 and window.widgets.panes.partial_text():
                        QTimer.singleShot(150, shoot)  # let the waveform repaint once more
                        state["phase"] = "shooting"
                        return
                QTimer.singleShot(50, step)

            def shoot() -> None:
                stall.stop()  # the screenshot itself blocks the loop: not part of the measurement
                out_path.parent.mkdir(parents=True, exist_ok=True)
                window.grab().save(str(out_path))
                if shutil.which("import"):
                    # the whole X screen as a user would see it (decorations aside: no window manager)
                    subprocess.run(["import", "-window", "root", str(out_path.with_name(out_path.stem + "-screen.png"))],
                                   capture_output=True, timeout=30)
                state["shot"] = out_path
                window.stop_session()
                QTimer.singleShot(100, finish)

            def finish() -> None:
                if window.is_running:
                    QTimer.singleShot(100, finish)
                    return
                print(f"STALL {stall.max_stall_ms:.1f} ms over {stall.ticks} ticks; gaps over 50 ms: {stall.long_gaps}")
                window.confirm_quit = lambda: QuitAnswer.QUIT   # no one here to answer "Export first?"
                window.close()
                QTimer.singleShot(0, app.quit)

            QTimer.singleShot(100, step)
            code = app.exec()
            if state["shot"] is None:
                return code or 1
            print(f"SCREENSHOT {state['shot']}")
            return 0
    finally:
        mics.close()
        shutil.rmtree(work, ignore_errors=True)
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)


if __name__ == "__main__":
    args = sys.argv[1:]
    language = args.pop(args.index("--language") + 1) if "--language" in args else "en"
    args = [a for a in args if a != "--language"]
    target = Path(args[0]) if args else ROOT / "artifacts" / "screenshot.png"
    raise SystemExit(main(target, language))
