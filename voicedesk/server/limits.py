"""How much the server takes on at once: live streams (refused beyond the limit) and REST uploads (queued)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import AsyncIterator, Iterator

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
    """Uploads in flight: at most `running` decode at once, and up to `waiting` more are being received or
    wait their turn; one more is answered 503 at once.

    The count starts before the body is read (`admit`), so a refused upload costs neither the reading nor a
    temporary copy, and the uploads held at once are bounded: `running + waiting` bodies, one copy each.
    """

    def __init__(self, running: int, waiting: int) -> None:
        self.running = running
        self.waiting = waiting
        self.capacity = running + waiting
        self._semaphore = asyncio.Semaphore(running)
        self._in_flight = 0
        self._queued = 0

    @contextlib.contextmanager
    def admit(self) -> Iterator[None]:
        """Hold a place for one upload, from before its body is read to its answer; ApiError 503 when full."""
        if self._in_flight >= self.capacity:
            raise ApiError(503, f"The server is busy ({self._in_flight} uploads in progress, {self.running} "
                                f"transcribed at once); try again later", "server_busy", headers={"Retry-After": "5"})
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Wait until fewer than `running` uploads decode, then decode (an admitted upload only)."""
        self._queued += 1
        try:
            await self._semaphore.acquire()
        finally:
            self._queued -= 1
        try:
            yield
        finally:
            self._semaphore.release()

    @property
    def in_flight(self) -> int:
        """Uploads admitted and not yet answered: being received, waiting, or decoding."""
        return self._in_flight

    @property
    def queued(self) -> int:
        """Uploads received and waiting for their turn to decode."""
        return self._queued
