"""The bundle's entry point: the `voicedesk` command (window by default, `transcribe` headless).

Two switches for support and for the bundle smoke test, neither visible in normal use:
- (`voicedesk --print-paths`, handled by the CLI, prints where this copy finds its files.)
- `VOICEDESK_SMOKE_TEST=<file.json>` starts the real app, waits until its main window is shown
  and painted, writes what was shown (and a screenshot beside the file), waits until its start-up
  work is done, closes the window and exits.
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


def _give_windowed_app_streams() -> None:
    # A windowed build on Windows starts with no stdout/stderr (None): libraries that print
    # progress (tqdm in model downloads, logging's last resort) would raise on the first write.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))


def _arm_smoke_test(report: Path) -> None:
    """Create the QApplication that run_app will reuse, and a timer that reports on its window."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    clock = QElapsedTimer()
    clock.start()
    poll = QTimer(app)
    first_seen: list[float] = []

    def shown() -> list:
        return [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]

    def finish() -> None:
        windows = shown()
        info = {"platform": app.platformName(), "shown_at": first_seen[0] if first_seen else None, "windows": [
            {"class": type(w).__name__, "title": w.windowTitle(), "width": w.width(), "height": w.height()}
            for w in windows
        ]}
        if windows:
            shot = report.with_suffix(".png")
            if windows[0].grab().save(str(shot)):
                info["screenshot"] = str(shot)
        report.write_text(json.dumps(info, indent=2), encoding="utf-8")
        close_when_idle(windows, clock.elapsed())

    def close_when_idle(windows: list, since_ms: int) -> None:
        # Close the way a user does: after the start-up work (model load, device scan) has
        # finished. Threads Python did not start (Qt's) are not start-up work.
        busy = [t for t in threading.enumerate()
                if t is not threading.main_thread() and not isinstance(t, threading._DummyThread)]
        if busy and clock.elapsed() - since_ms < SMOKE_IDLE_TIMEOUT_MS:
            QTimer.singleShot(100, lambda: close_when_idle(windows, since_ms))
            return
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


def main() -> int:
    _give_windowed_app_streams()
    smoke = os.environ.get("VOICEDESK_SMOKE_TEST")
    if smoke and not sys.argv[1:]:
        _arm_smoke_test(Path(smoke))
    from voicedesk.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen app must not re-run itself in spawned children
    raise SystemExit(main())
