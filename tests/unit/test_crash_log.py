"""voicedesk.crash_log in real child processes: a crash leaves its trace in the log folder.

Each child finds its log folder the way the app does (platformdirs, through XDG_STATE_HOME here), so
nothing is written outside tmp_path. A child is needed: faulthandler and the exception hooks are
process-wide, and a segfault ends the process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from voicedesk.crash_log import CRASH_FILE, OUTPUT_FILE


def run_child(code: str, tmp_path: Path, **kwargs) -> tuple[subprocess.CompletedProcess, Path]:
    """Run `code` in a fresh interpreter whose user log folder lies in tmp_path; returns (result, log folder)."""
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    env.pop("PYTHONFAULTHANDLER", None)   # the trace must come from crash_log, not from the interpreter's own
    kwargs.setdefault("capture_output", True)
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], text=True, timeout=120, env=env, **kwargs)
    return proc, tmp_path / "state" / "voicedesk" / "log"


def test_a_segfault_leaves_every_threads_stack_in_crash_log(tmp_path):
    proc, logs = run_child("""
        import faulthandler
        from voicedesk import crash_log

        crash_log.install()

        def deep_inside_native_code():
            faulthandler._sigsegv()   # what a bug in Qt, CTranslate2 or PortAudio does

        deep_inside_native_code()
        """, tmp_path)
    assert proc.returncode != 0
    text = (logs / CRASH_FILE).read_text(encoding="utf-8")
    assert "Segmentation fault" in text, text
    assert "deep_inside_native_code" in text       # the Python stack that led to the crash
    assert text.startswith("--- ") and "started, pid" in text.splitlines()[0]


def test_uncaught_exceptions_in_a_thread_and_in_the_main_thread_are_logged_with_their_tracebacks(tmp_path):
    proc, logs = run_child("""
        import threading
        from voicedesk import crash_log

        crash_log.install()
        crash_log.add_listener(lambda line: print("LISTENER", line, flush=True))

        def decode():
            raise RuntimeError("worker failed: Ωμέγα")

        worker = threading.Thread(target=decode, name="asr-worker")
        worker.start()
        worker.join()
        print("main thread still running", flush=True)

        def start_window():
            raise ValueError("main failed")

        start_window()
        """, tmp_path)
    assert proc.returncode == 1                      # Python's exit status for an uncaught exception, as before
    assert "main thread still running" in proc.stdout
    # the listener (the window's banner) gets one line per error, never a traceback
    assert [line for line in proc.stdout.splitlines() if line.startswith("LISTENER")] == [
        "LISTENER RuntimeError: worker failed: Ωμέγα", "LISTENER ValueError: main failed"]
    text = (logs / CRASH_FILE).read_text(encoding="utf-8")
    assert "Uncaught exception in thread asr-worker" in text
    assert "Uncaught exception in the main thread" in text
    assert text.count("Traceback (most recent call last)") == 2
    for fragment in ('in decode', "RuntimeError: worker failed: Ωμέγα", "in start_window", "ValueError: main failed"):
        assert fragment in text, fragment
    # stderr still gets Python's own report (a terminal, or a CLI's 2> file)
    assert "ValueError: main failed" in proc.stderr


def test_a_keyboard_interrupt_is_no_crash(tmp_path):
    proc, logs = run_child("""
        from voicedesk import crash_log

        crash_log.install()
        raise KeyboardInterrupt
        """, tmp_path)
    assert proc.returncode != 0 and "KeyboardInterrupt" in proc.stderr
    assert "Uncaught exception" not in (logs / CRASH_FILE).read_text(encoding="utf-8")


def test_a_windows_windowed_builds_missing_streams_go_to_output_log(tmp_path):
    # A windowed Windows build starts with sys.stdout/sys.stderr = None; Windows cannot exist here,
    # so the child sets them to None itself before the entry point's call.
    proc, logs = run_child("""
        import sys
        sys.stdout = sys.stderr = None
        from voicedesk import crash_log

        crash_log.install()
        print("progress: 50%")
        print("a library's warning", file=sys.stderr)
        """, tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = (logs / OUTPUT_FILE).read_text(encoding="utf-8")
    assert "progress: 50%" in text and "a library's warning" in text


def test_a_window_started_with_output_to_dev_null_keeps_it_in_output_log(tmp_path):
    # a macOS app started from the Finder has stdout/stderr on /dev/null (so does a desktop launcher at times)
    proc, logs = run_child("""
        import os, sys
        from voicedesk import crash_log

        crash_log.install(window=True)
        print("from Python", flush=True)
        os.write(2, b"from native code\\n")     # Qt's warnings, C++'s "terminate called ..."
        """, tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, capture_output=False)
    assert proc.returncode == 0
    text = (logs / OUTPUT_FILE).read_text(encoding="utf-8")
    assert "from Python" in text and "from native code" in text


def test_a_command_line_sent_to_dev_null_stays_there(tmp_path):
    # `voicedesk transcribe x.mp3 > /dev/null` means it: only the window's lost output is kept
    proc, logs = run_child("""
        from voicedesk import crash_log

        crash_log.install()
        print("discarded on purpose", flush=True)
        """, tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, capture_output=False)
    assert proc.returncode == 0, proc.stderr
    assert (logs / CRASH_FILE).is_file()
    assert not (logs / OUTPUT_FILE).exists()


def test_an_unwritable_log_folder_changes_nothing(tmp_path):
    if os.geteuid() == 0:
        blocker = tmp_path / "state"
        blocker.write_text("a file where the folder should be")   # root ignores permissions, not this
    else:
        (tmp_path / "state").mkdir(mode=0o500)
    proc, _ = run_child("""
        import sys
        sys.stdout = None
        from voicedesk import crash_log

        print(crash_log.install(), file=sys.stderr)
        print("still printable")
        raise SystemExit(3)
        """, tmp_path)
    assert proc.returncode == 3
    assert proc.stderr.strip() == "None"


@pytest.mark.parametrize("size, rotated", [(10, False), (2_000_000, True)])
def test_a_crash_log_grown_too_large_is_moved_aside_at_start(tmp_path, size, rotated):
    logs = tmp_path / "state" / "voicedesk" / "log"
    logs.mkdir(parents=True)
    (logs / CRASH_FILE).write_bytes(b"x" * size)
    proc, _ = run_child("from voicedesk import crash_log; crash_log.install()", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (logs / (CRASH_FILE + ".1")).exists() is rotated
    assert (logs / CRASH_FILE).stat().st_size < 1000 if rotated else (logs / CRASH_FILE).stat().st_size > size
