"""Waiting in a test for something another thread does: poll until it holds, bounded in time."""

from __future__ import annotations

import time
from typing import Callable


def eventually(predicate: Callable[[], object], timeout_s: float, interval_s: float = 0.02) -> bool:
    """True as soon as `predicate()` holds, False once `timeout_s` passed without it (checked every `interval_s`)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval_s)
    return False
