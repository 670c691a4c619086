"""Every use of uvicorn's internals, in one place; tests/unit/test_upstream_internals.py checks each one.

- `uvicorn.protocols.http.h11_impl.H11Protocol`, subclassed by server/connection_guard.py (passed as
  `uvicorn.Config(http=...)`, uvicorn's documented way to choose the protocol class). uvicorn has no
  header timeout nor a connection cap that closes half-open connections, so the guard adds them. It
  overrides H11Protocol's `connection_made`, `data_received`, `on_response_complete` (uvicorn's own hook)
  and `connection_lost`, and reads the instance attributes `conn` (the h11 connection; its `their_state`
  is h11's IDLE until a request head is complete), `cycle` (`response_complete`), `connections` (the
  server's set of open protocols), `transport` and `loop`, only through the functions here.
- `uvicorn.Server.capture_signals` (a context manager `Server.run` enters; `install_signal_handlers` in
  uvicorn before 0.29): overridden so that whoever runs the server decides what Ctrl+C does.
- The asyncio transport under an ASGI `send` callable: ASGI has no "abort" message, and a WebSocket
  client that reads nothing would keep its socket for ever. Under uvicorn `send` is a method of the
  connection's protocol object, which holds `transport`; middleware wraps it in closures
  (`__closure__` cells), which are looked through. The `send` of a WebSocket is Starlette's private
  `WebSocket._send`.

Known to work: uvicorn 0.55.0 (pyproject.toml pins >=0.55,<0.56).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, Iterator, Optional

import uvicorn
from uvicorn.protocols.http import h11_impl
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["H11Protocol", "H11_IDLE", "QuietServer", "head_pending", "is_closing", "loop_of", "open_connections",
           "send_transport", "transport_of", "websocket_transport"]

H11_IDLE = h11_impl.h11.IDLE   # h11's state before a request head is complete (h11 as uvicorn imports it)


def head_pending(protocol: H11Protocol) -> bool:
    """Whether the connection waits for a request head: h11 leaves IDLE only once a whole head is parsed
    (a WebSocket upgrade included), and a kept-alive connection is back in IDLE once its response is done."""
    cycle = protocol.cycle
    return protocol.conn.their_state is H11_IDLE and (cycle is None or cycle.response_complete)


def open_connections(protocol: H11Protocol) -> list[Any]:
    """The server's connections (HTTP and WebSocket protocols alike) whose transport is not closing.

    Closed transports leave uvicorn's set a loop turn later: only the ones still open count.
    """
    return [c for c in protocol.connections if not is_closing(c)]


def is_closing(protocol: Any) -> bool:
    """Whether a uvicorn protocol object (of any kind) has no transport or one that is closing."""
    transport = getattr(protocol, "transport", None)   # any uvicorn protocol; one not yet connected has none
    return transport is None or transport.is_closing()


def transport_of(protocol: H11Protocol) -> asyncio.Transport:
    return protocol.transport


def loop_of(protocol: H11Protocol) -> asyncio.AbstractEventLoop:
    return protocol.loop


class QuietServer(uvicorn.Server):
    """uvicorn's server without its own signal handling: whoever runs it decides what Ctrl+C does."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    def install_signal_handlers(self) -> None:    # uvicorn before 0.29
        pass


def websocket_transport(websocket: Any) -> Optional[asyncio.Transport]:
    """The asyncio transport under a Starlette WebSocket served by uvicorn; None under any other server."""
    return send_transport(getattr(websocket, "_send", None))   # Starlette keeps the ASGI send as `_send`


def send_transport(send: Any, depth: int = 4) -> Optional[asyncio.Transport]:
    """The asyncio transport under an ASGI `send` callable (looked for `depth` closures deep), or None."""
    if send is None or depth < 0:
        return None
    transport = getattr(getattr(send, "__self__", None), "transport", None)   # a bound method of the protocol
    if transport is not None and hasattr(transport, "abort"):
        return transport
    for cell in getattr(send, "__closure__", None) or ():
        try:
            inner = cell.cell_contents
        except ValueError:       # an empty cell
            continue
        if callable(inner):
            found = send_transport(inner, depth - 1)
            if found is not None:
                return found
    return None
