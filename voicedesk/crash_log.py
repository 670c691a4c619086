"""Traces of a crash in the log folder, for an app that may have no console (a windowed build).

- A hard crash (a segfault or abort inside Qt, CTranslate2, ONNX Runtime or PortAudio): `faulthandler`
  writes every thread's Python stack to `crash.log`. The file stays open for the life of the
  process, because a crashing process can no longer open one.
- An uncaught exception, in the main thread, a Qt slot or any other thread: its traceback goes to
  `crash.log` and to the `voicedesk.crash` logger (so also to the app's own log file once the window
  has set it up), and each listener (the window's banner) gets one line for the user.
- A windowed app's stdout and stderr, which go nowhere (None in a windowed Windows build, /dev/null
  for a macOS app started from the Finder), go to `output.log`: what libraries print is kept too.

No Qt here: the window registers its listener with `add_listener`.
"""

from __future__ import annotations

import datetime as _dt
import faulthandler
import logging
import os
import stat
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import Callable, Optional, TextIO

CRASH_FILE = "crash.log"
OUTPUT_FILE = "output.log"
MAX_BYTES = 1_000_000     # a larger file is moved aside to `<name>.1` at the next start
SUMMARY_CHARS = 160       # the one line a listener gets

log = logging.getLogger("voicedesk.crash")

Listener = Callable[[str], None]


class _State:
    """What `install` set up; module-level because hooks and faulthandler are process-wide."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.folder: Optional[Path] = None
        self.crash_file: Optional[TextIO] = None      # kept open: faulthandler writes to its descriptor
        self.output_file: Optional[TextIO] = None
        self.previous_hook = sys.excepthook
        self.previous_thread_hook = threading.excepthook
        self.listeners: list[Listener] = []


_state = _State()


def install(folder: Optional[Path] = None, *, window: bool = False) -> Optional[Path]:
    """Make crashes leave a trace in `folder` (the user's log folder by default); returns the crash file.

    Safe to call again (the window's start calls it after the bundle's entry point did): the second
    call only adds what `window=True` asks for, catching output that goes to /dev/null. None when the
    folder cannot be written; the app then runs as before, with nowhere-going streams sent to devnull.
    """
    with _state.lock:
        if _state.crash_file is None:
            _state.folder = _open_crash_file(folder)
        if _state.folder is not None:
            _capture_lost_streams(_state.folder, window)
        _give_missing_streams_devnull()
        return _state.folder / CRASH_FILE if _state.folder is not None else None


def add_listener(listener: Listener) -> None:
    """Call `listener(one_line)` after each uncaught exception is logged (from the thread that raised it)."""
    with _state.lock:
        _state.listeners.append(listener)


def remove_listener(listener: Listener) -> None:
    with _state.lock:
        if listener in _state.listeners:
            _state.listeners.remove(listener)


def summary(exc: BaseException) -> str:
    """One short line naming an exception, for the user (the traceback is in the log)."""
    text = " ".join(str(exc).split())
    line = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return line if len(line) <= SUMMARY_CHARS else line[: SUMMARY_CHARS - 1] + "…"


# --- set-up ------------------------------------------------------------------------------


def _open_crash_file(folder: Optional[Path]) -> Optional[Path]:
    if folder is None:
        from voicedesk.paths import user_log_dir

        folder = user_log_dir()
    from voicedesk import __version__

    try:
        folder.mkdir(parents=True, exist_ok=True)
        crash = _open_log(folder / CRASH_FILE)
    except OSError:
        return None
    try:
        # the header dates the stacks faulthandler may write below it (it writes no time of its own)
        crash.write(f"--- {_now()} voicedesk {__version__} started, pid {os.getpid()} ---\n")
        crash.flush()
    except OSError:   # a full disk: no trace can be kept, and the app must still start
        crash.close()
        return None
    faulthandler.enable(file=crash, all_threads=True)
    handler = logging.StreamHandler(crash)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    log.addHandler(handler)
    _state.crash_file = crash
    _state.previous_hook, _state.previous_thread_hook = sys.excepthook, threading.excepthook
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
    return folder


def _open_log(path: Path) -> TextIO:
    """Open `path` for appending (line-buffered UTF-8), moving a file grown past MAX_BYTES aside first."""
    try:
        if path.stat().st_size > MAX_BYTES:
            os.replace(path, path.with_name(path.name + ".1"))
    except OSError:
        pass   # missing, or held open by another running copy (Windows): append to it as it is
    return open(path, "a", encoding="utf-8", errors="backslashreplace", buffering=1)


def _capture_lost_streams(folder: Path, window: bool) -> None:
    """Send stdout/stderr that go nowhere to output.log, the Python objects and the descriptors below them."""
    lost = [name for name in ("stdout", "stderr")
            if getattr(sys, name) is None or (window and _goes_nowhere(getattr(sys, name)))]
    if not lost:
        return
    if _state.output_file is None:
        try:
            out = _open_log(folder / OUTPUT_FILE)
            out.write(f"--- {_now()} pid {os.getpid()} ---\n")
        except OSError:
            return
        _state.output_file = out
    out = _state.output_file
    for name in lost:
        setattr(sys, name, out)
        # native code (Qt's warnings, C++ "terminate called ..." before an abort) writes to fd 1/2 itself
        try:
            os.dup2(out.fileno(), 1 if name == "stdout" else 2)
        except OSError:
            pass


def _goes_nowhere(stream: TextIO) -> bool:
    """True when `stream` writes to /dev/null (POSIX; a Windows console is a character device too)."""
    if os.name != "posix":
        return False
    try:
        here, null = os.fstat(stream.fileno()), os.stat(os.devnull)
    except (OSError, ValueError, AttributeError):
        return False   # not a real file (pytest's capture, a StringIO): someone reads it
    return stat.S_ISCHR(here.st_mode) and here.st_rdev == null.st_rdev


def _give_missing_streams_devnull() -> None:
    # Libraries that print (tqdm in model downloads, logging's last resort) raise on a None stream.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))


def _now() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


# --- hooks -------------------------------------------------------------------------------


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: Optional[TracebackType]) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        _state.previous_hook(exc_type, exc, tb)   # Ctrl+C in a terminal is no crash
        return
    _record("the main thread", exc_type, exc, tb)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        _state.previous_thread_hook(args)
        return
    name = args.thread.name if args.thread is not None else "a thread"
    _record(f"thread {name}", args.exc_type, args.exc_value, args.exc_traceback)


def _record(where: str, exc_type: type[BaseException], exc: BaseException, tb: Optional[TracebackType]) -> None:
    """Log the traceback, print it on stderr as Python would (unless logging did), then tell the listeners."""
    try:
        log.critical("Uncaught exception in %s", where, exc_info=(exc_type, exc, tb))
        if not _root_prints_to_stderr() and sys.stderr is not _state.output_file:
            _state.previous_hook(exc_type, exc, tb)   # a terminal, or a CLI's `2> errors.txt`
        line = summary(exc)
        with _state.lock:
            listeners = list(_state.listeners)
        for listener in listeners:
            try:
                listener(line)
            except Exception:   # a closed window's listener: the traceback is logged already
                pass
    except Exception:
        # the hook itself must never fail silently: fall back to Python's own report
        _state.previous_hook(exc_type, exc, tb)


def _root_prints_to_stderr() -> bool:
    # (logging's last resort never runs here: the crash logger has a handler of its own)
    return any(isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
               and getattr(h, "stream", None) is sys.stderr for h in logging.getLogger().handlers)
