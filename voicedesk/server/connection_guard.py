"""Slowloris defences that uvicorn lacks: a deadline for a request's head, and a cap on open connections.

uvicorn arms a timer only once a response is done (keep-alive); a connection that never finishes its
request head is kept for ever, and every one costs a file descriptor. Hundreds of them exhaust the process's
file limit, new clients are no longer accepted, and asyncio logs an accept error again and again.

`guarded_h11(header_timeout_s, max_connections)` is uvicorn's own h11 protocol (passed as `http=` to
uvicorn.Config, its documented way to choose the protocol class) with two additions:

- **Header timeout.** From the moment a connection opens, and again after each response on a kept-alive
  connection, the client has `header_timeout_s` to send a complete request head; else the connection is
  closed. Trickling a byte at a time does not reset it (uvicorn's keep-alive timer is reset by any data).
- **Connection cap.** When a new connection would make more than `max_connections` (HTTP and WebSocket,
  uvicorn's own count), the connection that has waited longest for a request head is closed to make room:
  a half-open connection is the cheapest to lose and the likeliest to be an attack, so a new client that
  sends its request straight away is still answered. When every connection is busy, the new one is closed.
  The cap is at most a quarter of the open-file limit, and the runner keeps the listening backlog small:
  asyncio accepts a whole backlog's worth of connections before any of them reaches this code.

It relies on uvicorn's internals (H11Protocol's hooks and state); it reaches them only through
server/uvicorn_internals.py, whose test (tests/unit/test_upstream_internals.py) fails on an upgrade that changes them.
"""

from __future__ import annotations

import asyncio
import time
from typing import Optional

from voicedesk.server.uvicorn_internals import H11Protocol, head_pending, loop_of, open_connections, transport_of

FD_SHARE_FOR_CONNECTIONS = 0.25    # of the process's open-file limit: the rest is for accepts not yet handled,
                                   # models, uploads, threads


def connection_cap(configured: int) -> int:
    """`configured`, lowered to a quarter of the open-file limit: connections must never exhaust the process's files
    (a `ulimit -n 256` shell, macOS's default of 256)."""
    try:
        import resource
    except ImportError:          # Windows: no such per-process limit on sockets
        return configured
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return configured
    return max(8, min(configured, int(soft * FD_SHARE_FOR_CONNECTIONS)))


class _GuardedH11Protocol(H11Protocol):
    header_timeout_s: float = 10.0
    max_connections: int = 100

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._head_deadline: Optional[asyncio.TimerHandle] = None
        self.waiting_since: Optional[float] = None
        super().connection_made(transport)
        self._wait_for_head()
        self._make_room()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if not self._waiting_for_head():
            self._stop_waiting()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._waiting_for_head() and not transport_of(self).is_closing():
            self._wait_for_head()          # kept alive: the next request's head has the same deadline

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    # ---------------------------------------------------------------------------------------------

    def _waiting_for_head(self) -> bool:
        return head_pending(self)

    def _wait_for_head(self) -> None:
        self._stop_waiting()
        self.waiting_since = time.monotonic()
        self._head_deadline = loop_of(self).call_later(self.header_timeout_s, self._head_timed_out)

    def _stop_waiting(self) -> None:
        self.waiting_since = None
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_timed_out(self) -> None:
        self._head_deadline = None
        if self._waiting_for_head():
            self._drop()

    def _drop(self) -> None:
        self.waiting_since = None
        transport = transport_of(self)
        if not transport.is_closing():
            transport.close()             # nothing to answer: the client has not asked anything yet

    def _make_room(self) -> None:
        open_ = open_connections(self)
        excess = len(open_) - self.max_connections
        if excess <= 0:
            return
        # open_ holds WebSocket protocols too, which have no `waiting_since`
        idle = sorted((c for c in open_ if getattr(c, "waiting_since", None) is not None and c is not self),
                      key=lambda c: c.waiting_since)
        for victim in idle[:excess]:
            victim._drop()
        if excess > len(idle):
            self._drop()                   # every other connection is busy with a request or a stream


def guarded_h11(header_timeout_s: float, max_connections: int) -> type[H11Protocol]:
    """uvicorn's h11 protocol class with this header timeout and connection cap (for `uvicorn.Config(http=...)`)."""
    return type("GuardedH11Protocol", (_GuardedH11Protocol,),
                {"header_timeout_s": float(header_timeout_s), "max_connections": int(max_connections)})
