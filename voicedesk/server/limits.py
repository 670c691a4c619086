"""How much the server takes on at once: live streams (refused beyond the limit) and REST decodes (queued)."""

from __future__ import annotations

import asyncio
import threading

from voicedesk.server.errors import ApiError


class StreamSlots:
    """A fixed number of live streams; one more is refused at once (a stream is open-ended, it cannot queue)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._used = 0
        self._lock = threading.Lock()

    def try_acquire(self) -> bool:
        with self._lock:
            if self._used >= self.capacity:
                return False
            self._used += 1
            return True

    def release(self) -> None:
        with self._lock:
            self._used = max(0, self._used - 1)

    @property
    def in_use(self) -> int:
        with self._lock:
            return self._used


class JobQueue:
    """At most `running` uploads decode at once; up to `waiting` more wait their turn; beyond that, 503.

    An upload is bounded work, so it waits rather than being refused; the queue is bounded so a flood of
    requests cannot pile up temp files and memory without end.
    """

    def __init__(self, running: int, waiting: int) -> None:
        self.running = running
        self.waiting = waiting
        self._semaphore = asyncio.Semaphore(running)
        self._queued = 0

    async def __aenter__(self) -> "JobQueue":
        if self._semaphore.locked() and self._queued >= self.waiting:
            raise ApiError(503, f"The server is busy ({self.running} transcriptions running, {self._queued} waiting); "
                                f"try again later", "server_busy", headers={"Retry-After": "5"})
        self._queued += 1
        try:
            await self._semaphore.acquire()
        finally:
            self._queued -= 1
        return self

    async def __aexit__(self, *exc) -> None:
        self._semaphore.release()

    @property
    def queued(self) -> int:
        return self._queued
