"""The bundle's entry point: the `voicedesk` command (window by default, `transcribe` headless).

Two switches for support and for the bundle smoke test, neither visible in normal use:
- (`voicedesk --print-paths`, handled by the CLI, prints where this copy finds its files.)
- `VOICEDESK_SMOKE_TEST=<file.json>` starts the real app, waits until its main window is shown
  and painted, writes what was shown (and a screenshot beside the file), waits until its start-up
  work is done, closes the window and exits. The report also says which native libraries the
  app's own process loads (PortAudio's version, onnxruntime, ctranslate2, av).
  With `VOICEDESK_SMOKE_AUDIO=<clip>` and `VOICEDESK_SMOKE_MODEL=<model folder>` the window first
  transcribes the clip as File > Transcribe file... does (the window's own controller and engine),
  exports the text beside the report, and puts it in the report.
"""

import json
import os
import sys
import threading
import time
from pathlib import Path

SMOKE_TIMEOUT_MS = 60_000
SMOKE_SETTLE_MS = 1_000   # let the first paint and the after-show work run before the screenshot
SMOKE_IDLE_TIMEOUT_MS = 60_000
SMOKE_RUN_TIMEOUT_MS = 300_000   # a cold model load plus the clip, on a slow runner


def _give_windowed_app_streams() -> None:
    # A windowed build on Windows starts with no stdout/stderr (None): libraries that print
    # progress (tqdm in model downloads, logging's last resort) would raise on the first write.
    # crash_log gives them output.log in the log folder (devnull if it cannot be written), and makes
    # a crash leave its traceback there: a windowed app has no console to show it in.
    from voicedesk import crash_log

    crash_log.install()


def _loaded_qt_plugins() -> list[str]:
    """The Qt plugins this process has loaded, as `<kind>/<file>` (Linux: from /proc/self/maps; else [])."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    loaded = set()
    for line in maps.splitlines():
        parts = Path(line.split(maxsplit=5)[-1]).parts if line.count(" ") >= 5 else ()
        if "plugins" in parts and len(parts) > parts.index("plugins") + 2:
            start = parts.index("plugins") + 1
            loaded.add("/".join(parts[start:start + 2]))
    return sorted(loaded)


def _arm_smoke_test(report: Path) -> None:
    """Create the QApplication that run_app will reuse, and a timer that reports on its window."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    audio, model = os.environ.get("VOICEDESK_SMOKE_AUDIO"), os.environ.get("VOICEDESK_SMOKE_MODEL")
    if model:
        _remember_model(model, report)
    clock = QElapsedTimer()
    clock.start()
    poll = QTimer(app)
    first_seen: list[float] = []

    def shown() -> list:
        return [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]

    def finish() -> None:
        from voicedesk.native_libraries import report_as_dict

        windows = shown()
        info = {"platform": app.platformName(), "shown_at": first_seen[0] if first_seen else None, "windows": [
            {"class": type(w).__name__, "title": w.windowTitle(), "width": w.width(), "height": w.height()}
            for w in windows
        ], "libraries": report_as_dict(), "qt_plugins": _loaded_qt_plugins()}
        if windows:
            shot = report.with_suffix(".png")
            if windows[0].grab().save(str(shot)):
                info["screenshot"] = str(shot)
        if audio and windows:
            transcribe(windows[0], info)
            return
        report.write_text(json.dumps(info, indent=2), encoding="utf-8")
        close_when_idle(windows, clock.elapsed())

    def transcribe(window, info: dict) -> None:
        # what File > Transcribe file... does once the user has picked the file
        started, accepted = clock.elapsed(), window.open_file(audio)

        def wait() -> None:
            if accepted and window.is_running and clock.elapsed() - started < SMOKE_RUN_TIMEOUT_MS:
                QTimer.singleShot(200, wait)
                return
            try:
                info["transcription"] = _transcription(window, accepted, (clock.elapsed() - started) / 1000, report)
            except Exception as exc:   # noqa: BLE001 - a report that says so, never a hang
                info["transcription"] = {"error": f"{type(exc).__name__}: {exc}"}
            report.write_text(json.dumps(info, indent=2), encoding="utf-8")
            close_now([window])   # a run has come and gone: the start-up work is long over

        wait()

    def close_when_idle(windows: list, since_ms: int) -> None:
        # Close the way a user does: after the start-up work (model load, device scan) has
        # finished. Threads Python did not start (Qt's) are not start-up work.
        busy = [t for t in threading.enumerate()
                if t is not threading.main_thread() and not isinstance(t, threading._DummyThread)]
        if busy and clock.elapsed() - since_ms < SMOKE_IDLE_TIMEOUT_MS:
            QTimer.singleShot(100, lambda: close_when_idle(windows, since_ms))
            return
        close_now(windows)

    def close_now(windows: list) -> None:
        for w in windows:
            w.close()  # the window's own shutdown (workers, settings), as when the user closes it
        app.quit()

    def check() -> None:
        if shown():
            first_seen.append(time.time())  # wall clock, so the caller can measure from its launch
        if first_seen or clock.elapsed() > SMOKE_TIMEOUT_MS:
            poll.stop()
            QTimer.singleShot(SMOKE_SETTLE_MS, finish)

    poll.timeout.connect(check)
    poll.start(100)


def _transcription(window, accepted: bool, seconds: float, report: Path) -> dict:
    """What the window's file run produced; its text exported beside the report (File > Export)."""
    segments = window.session.segments()
    result = {"accepted": accepted, "finished": not window.is_running, "seconds": seconds,
              "model": window.widgets.choices.model_spec, "text": " ".join(s.text.strip() for s in segments),
              "segments": len(segments), "banner": window.widgets.banner.text}
    if segments:   # exported, the window closes without asking about unsaved text
        result["exported"] = window.core.export(str(report.with_suffix(".txt")), "txt")[0]
    return result


def _remember_model(model: str, report: Path) -> None:
    """Start the window with `model` chosen, as if the user had picked that folder last time."""
    from PySide6.QtCore import QSettings

    from voicedesk.ui.app import SETTINGS_FILE_ENV

    if not os.environ.get(SETTINGS_FILE_ENV):
        os.environ[SETTINGS_FILE_ENV] = str(report.with_suffix(".ini"))   # never the user's own settings
    settings = QSettings(os.environ[SETTINGS_FILE_ENV], QSettings.Format.IniFormat)
    settings.setValue("model/spec", str(Path(model).resolve()))   # the dropdown keeps folders resolved
    settings.sync()


def main() -> int:
    _give_windowed_app_streams()
    if sys.platform.startswith("linux"):
        # the Linux bundle leaves hf_xet out (packaging/bundle_trim.py): download Xet-stored files over HTTPS
        os.environ.setdefault("HF_HUB_DISABLE_XET", "1")
    smoke = os.environ.get("VOICEDESK_SMOKE_TEST")
    if smoke and not sys.argv[1:]:
        _arm_smoke_test(Path(smoke))
    from voicedesk.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen app must not re-run itself in spawned children
    raise SystemExit(main())
