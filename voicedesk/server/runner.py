"""Running the app under uvicorn: in the foreground for `voicedesk serve`, or on a background thread
(`ServerThread`, used by the desktop app's caption sharing and by tests).

The listening socket is bound here, before uvicorn starts, so a port in use fails at once with one line,
and port 0 (any free port) is known before the first request. Engines are stopped and waited for before
the server returns: an interpreter that exits while CTranslate2 decodes on a daemon thread aborts.
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
import threading
import time
from typing import Any, Callable, Optional

import uvicorn

from voicedesk.server import log_hygiene
from voicedesk.server.config import ConfigError, ServerConfig, is_wildcard
from voicedesk.server.connection_guard import connection_cap, guarded_h11
from voicedesk.server.uvicorn_internals import QuietServer

log = logging.getLogger(__name__)

WS_MAX_MESSAGE_BYTES = 4 * 1024 * 1024     # a WebSocket message: ~2 min of 16 kHz PCM, base64 included
MAX_REQUEST_HEAD_BYTES = 16 * 1024         # request line and headers (h11's own limit, stated here)
# The listening socket's queue, and how many connections asyncio accepts in one go before any of them is
# handled (uvicorn's default, 2048, let a flood open hundreds of descriptors past the connection cap, and
# asyncio logs an error for each accept that then fails).
ACCEPT_BACKLOG = 32
GRACEFUL_SHUTDOWN_S = 10                    # whole seconds: uvicorn's Config takes an int


class ServerError(Exception):
    """The server could not start; the message is one line for the user."""


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: any free one); ServerError with one line on failure."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServerError(f"cannot listen on {host}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6 and is_wildcard(host):
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)   # "::" takes IPv4 too
        sock.bind(address)
        sock.listen(ACCEPT_BACKLOG)
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        hint = " (is another server running there? choose another --port)" if exc.errno in (98, 48, 10048) else ""
        raise ServerError(f"cannot listen on {host}:{port}: {reason}{hint}") from None
    sock.set_inheritable(True)
    return sock


def url_for(host: str, port: int) -> str:
    if is_wildcard(host):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _uvicorn_config(app: Any, config: ServerConfig) -> uvicorn.Config:
    """uvicorn's settings for `voicedesk serve` and the app's caption sharing alike (the same limits for both)."""
    log_hygiene.install()
    return uvicorn.Config(
        app, log_config=None, access_log=config.access_log, lifespan="off", proxy_headers=False,
        server_header=False, ws_max_size=WS_MAX_MESSAGE_BYTES, timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        ws_ping_interval=20.0, ws_ping_timeout=20.0,
        http=guarded_h11(config.header_timeout_s, connection_cap(config.max_connections)),
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD_BYTES, backlog=ACCEPT_BACKLOG,
    )


def _close_engines(app: Any) -> None:
    shared = getattr(app.state, "shared_model", None)
    if shared is not None:
        shared.close_all()
    hub = getattr(app.state, "caption_hub", None)
    if hub is not None and hasattr(hub, "close_all"):
        hub.close_all()


class ServerThread:
    """Serves `app` on a background thread: `start()` (raises ServerError), `.url`, `.port`, `stop()`."""

    def __init__(self, config: ServerConfig, app: Any) -> None:
        self.config = config
        self.app = app
        self._server: Optional[QuietServer] = None
        self._thread: Optional[threading.Thread] = None
        self._sock: Optional[socket.socket] = None
        self.port = config.port
        self.error: Optional[str] = None

    @property
    def url(self) -> str:
        return url_for(self.config.host, self.port)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 15.0) -> "ServerThread":
        try:
            self.config.validate()
        except ConfigError as exc:
            raise ServerError(str(exc)) from None
        self._sock = bind_socket(self.config.host, self.config.port)
        self.port = self._sock.getsockname()[1]
        self._server = QuietServer(_uvicorn_config(self.app, self.config))
        self._thread = threading.Thread(target=self._run, name="voicedesk-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise ServerError(f"the server did not start on {self.url}: {self.error or 'timed out'}")
            time.sleep(0.02)
        return self

    def _run(self) -> None:
        try:
            server, sock = self._server, self._sock
            assert server is not None and sock is not None, "start() sets both before it starts this thread"
            server.run(sockets=[sock])
        except BaseException as exc:    # SystemExit from uvicorn included: the thread ends, start() tells
            self.error = str(exc) or type(exc).__name__
            log.error("the server stopped: %s", self.error)

    def stop(self, timeout: float = GRACEFUL_SHUTDOWN_S + 5) -> None:
        """Stop serving (open streams are closed, their engines stopped); safe to call twice."""
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(5)
        _close_engines(self.app)
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        self._thread = None

    def __enter__(self) -> "ServerThread":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve_forever(config: ServerConfig, *, on_ready: Optional[Callable[[str], None]] = None,
                  out=None) -> int:
    """`voicedesk serve`: load the model, serve until Ctrl+C (or SIGTERM), stop cleanly. Returns the exit status."""
    from voicedesk.models.resolve import ModelError
    from voicedesk.server.app import create_app
    from voicedesk.server.shared_model import SharedModel

    out = out or sys.stderr

    def say(line: str) -> None:
        print(f"voicedesk: {line}", file=out, flush=True)

    try:
        config.validate()
    except ConfigError as exc:
        say(f"error: {exc}")
        return 2
    shared = SharedModel(config)
    try:
        say(f"loading model {config.model} ...")
        shared.load()
    except ModelError as exc:
        say(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    try:
        sock = bind_socket(config.host, config.port)
    except ServerError as exc:
        say(f"error: {exc}")
        return 1
    url = url_for(config.host, sock.getsockname()[1])
    app = create_app(config, shared)
    server = QuietServer(_uvicorn_config(app, config))

    def on_signal(signum, frame) -> None:
        if server.should_exit:
            server.force_exit = True          # a second Ctrl+C: do not wait for open connections
        server.should_exit = True

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    key_note = " (API key required)" if config.api_key else ""
    say(f"serving {shared.info} on {url}{key_note}: REST {url}/v1/audio/transcriptions, "
        f"WebSocket {url.replace('http', 'ws', 1)}/v1/stream (Ctrl+C to stop)")
    if on_ready is not None:
        on_ready(url)
    try:
        server.run(sockets=[sock])
    finally:
        try:
            shared.close_all()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            sock.close()
    say("server stopped")
    return 0
