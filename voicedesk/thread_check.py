"""Catch code that runs on the wrong thread: the window's widgets and the session core belong to one thread.

A Qt signal connected to a plain Python callable runs it on a thread Qt chooses, not the GUI thread, and a
widget touched from there crashes the app now and then (a segfault, seen when the silent-microphone notice
reached the banner from the engine's thread). The owners call `report(where)` when they find themselves off
their thread. Production logs it once per place; with `VOICEDESK_STRICT_THREADS=1` (the test suite sets it)
every report is also kept, with its stack, and the suite fails the test that made it.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback

log = logging.getLogger(__name__)

STRICT_ENV = "VOICEDESK_STRICT_THREADS"

_lock = threading.Lock()
_kept: list[str] = []
_logged: set[str] = set()


def strict() -> bool:
    return os.environ.get(STRICT_ENV, "") == "1"


def report(where: str) -> None:
    """`where` (a widget method, the core's notice path) ran off its owner's thread."""
    thread = threading.current_thread().name
    text = f"{where} ran on thread {thread!r}, not its owner's"
    with _lock:
        first = where not in _logged
        _logged.add(where)
        if strict():
            _kept.append(text + "\n" + "".join(traceback.format_stack(limit=12)))
    if first or strict():
        log.error("%s (a widget touched off the GUI thread can crash the app)", text, stack_info=strict())


def take_reports() -> list[str]:
    """The reports kept since the last call (strict mode only), oldest first."""
    with _lock:
        kept, _kept[:] = list(_kept), []
    return kept


class ThreadOwner:
    """The thread that built an object; `check(where)` reports a call made on any other (Qt-free)."""

    def __init__(self) -> None:
        self.ident = threading.get_ident()

    def check(self, where: str) -> None:
        if threading.get_ident() != self.ident:
            report(where)
