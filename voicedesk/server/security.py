"""Who may talk to the server: the API key, the Host header and the browser's Origin, checked in one place.

The same rules serve HTTP routes and WebSocket handshakes:

- **Host** (against DNS rebinding): the Host header must name this computer by loopback
  (127.0.0.1, localhost, [::1], any port), or the address the server is bound to. On a wildcard bind
  (0.0.0.0, ::) any IP literal and this machine's own names are accepted (a key is required there anyway).
- **Origin** (any web page may open a WebSocket to 127.0.0.1): a request that carries an Origin header
  (i.e. comes from a browser) must come from the server's own pages (same host names, same port) or
  from an origin allowed with `--allow-origin`. Non-browser clients send no Origin and are not affected.
- **Key**: when the server has an API key (always, off loopback), every route but /health needs it:
  `Authorization: Bearer KEY`, or `?key=KEY` (browsers and OBS cannot set headers), or on a WebSocket
  the subprotocol `voicedesk-key.KEY` (browsers cannot set an Authorization header on a WebSocket).

Use from a router (the caption hub does the same)::

    router = APIRouter(dependencies=[Depends(security.require_http)])    # HTTP routes
    @router.websocket("/v1/...")
    async def feed(websocket: WebSocket):
        if not await security.accept_websocket(websocket):               # refused at the handshake
            return
        ...

A refused WebSocket is refused at the handshake, with the HTTP status and JSON error an HTTP request gets
(401 key, 403 Origin/Host). A browser page sees only a failed connection, as if nothing listened on the
port: a page of another site cannot tell that the server is there (an accepted socket closed with a
readable 4403 would tell it). Non-browser clients read the status and the message.
"""

from __future__ import annotations

import hmac
import ipaddress
import socket
from dataclasses import dataclass
from typing import Mapping, Optional
from urllib.parse import urlsplit

from fastapi import Request       # FastAPI reads the dependencies' annotations from this module's globals

from voicedesk.server.config import ServerConfig, is_loopback, is_wildcard
from voicedesk.server.errors import CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED, ApiError

KEY_SUBPROTOCOL_PREFIX = "voicedesk-key."
PLAIN_SUBPROTOCOL = "voicedesk"          # offered beside the key protocol, it is the one echoed back
KEY_QUERY_PARAM = "key"


@dataclass(frozen=True)
class Refusal:
    status: int           # for HTTP
    close_code: int       # for a WebSocket
    code: str             # machine-readable, as in OpenAI's error objects
    message: str          # one line for the user


_NOT_IN_A_HOST = frozenset("@/\\?#%") | frozenset(" \t\r\n")


def _split_host(value: str) -> tuple[str, Optional[int]]:
    """("127.0.0.1", 8765) from "127.0.0.1:8765"; IPv6 literals in brackets; the port None when absent.

    ("", None) for anything that is not host[:port]: a Host header with userinfo (`evil@127.0.0.1`),
    a path or a query is nobody's own address, whatever a URL parser makes of it."""
    value = value.strip()
    if _NOT_IN_A_HOST.intersection(value):
        return "", None
    try:
        parts = urlsplit("//" + value)
        host, port = parts.hostname, parts.port
    except ValueError:
        return "", None
    return (host or "").lower(), port


class Security:
    """The key, Host and Origin rules of one server (see the module doc)."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self._key = config.api_key.encode() if config.api_key else None
        bound = config.host.strip().strip("[]").lower()
        self._hosts = {"127.0.0.1", "localhost", "::1", bound}
        self._wildcard = is_wildcard(config.host)
        if self._wildcard:
            for name in (socket.gethostname(), socket.getfqdn()):
                if name:
                    self._hosts.update({name.lower(), f"{name.lower()}.local"})
        self._origins = {o.rstrip("/").lower() for o in config.allowed_origins}

    @property
    def key_required(self) -> bool:
        return self._key is not None

    # --- the rules ---------------------------------------------------------------------------------

    def host_allowed(self, host_header: Optional[str]) -> bool:
        if not host_header:
            return False           # HTTP/1.1 requires Host; a client without one is no browser anyway
        host, _ = _split_host(host_header)
        if not host:
            return False
        if host in self._hosts or is_loopback(host):
            return True
        if self._wildcard:
            try:
                ipaddress.ip_address(host)
                return True
            except ValueError:
                return False
        return False

    def origin_allowed(self, origin: Optional[str], host_header: Optional[str], scheme: str = "http") -> bool:
        """No Origin (not a browser), the server's own pages, or an origin allowed by flag."""
        if origin is None:
            return True
        origin = origin.strip().rstrip("/").lower()
        if "*" in self._origins or origin in self._origins:
            return True
        if origin == "null" or "://" not in origin:
            return False
        parts = urlsplit(origin)
        try:
            origin_port = parts.port
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        host, host_port = _split_host(host_header or "")
        default = 443 if parts.scheme == "https" else 80
        own_port = host_port if host_port is not None else (443 if scheme in ("https", "wss") else 80)
        if (origin_port or default) != own_port:
            return False
        origin_host = parts.hostname.lower()
        # a page of this server, under whichever of its names the browser used
        return origin_host == host or (is_loopback(origin_host) and is_loopback(host))

    def key_ok(self, headers: Mapping[str, str], query: Mapping[str, str], subprotocols: tuple[str, ...] = ()) -> bool:
        if self._key is None:
            return True
        candidates = []
        auth = headers.get("authorization", "")
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            candidates.append(value.strip())
        if query.get(KEY_QUERY_PARAM):
            candidates.append(query[KEY_QUERY_PARAM])
        candidates += [p[len(KEY_SUBPROTOCOL_PREFIX):] for p in subprotocols if p.startswith(KEY_SUBPROTOCOL_PREFIX)]
        # compare_digest on every candidate: the time taken does not tell how much of a key matched
        ok = False
        for candidate in candidates:
            ok |= hmac.compare_digest(candidate.encode(), self._key)
        return ok

    def check(self, headers: Mapping[str, str], query: Mapping[str, str], *, scheme: str = "http",
              subprotocols: tuple[str, ...] = (), need_key: bool = True) -> Optional[Refusal]:
        """The first rule a request breaks, or None when it may go on."""
        host = headers.get("host")
        if not self.host_allowed(host):
            return Refusal(403, CLOSE_FORBIDDEN, "host_not_allowed",
                           f"Host '{host or ''}' is not this server (refused against DNS rebinding); "
                           f"use http://127.0.0.1 or localhost")
        origin = headers.get("origin")
        if not self.origin_allowed(origin, host, scheme):
            return Refusal(403, CLOSE_FORBIDDEN, "origin_not_allowed",
                           f"Origin '{origin}' may not use this server; start it with --allow-origin {origin} "
                           f"to allow that page")
        if need_key and not self.key_ok(headers, query, subprotocols):
            given = bool(headers.get("authorization") or query.get(KEY_QUERY_PARAM)
                         or any(p.startswith(KEY_SUBPROTOCOL_PREFIX) for p in subprotocols))
            return Refusal(401, CLOSE_UNAUTHORIZED, "invalid_api_key",
                           "Wrong API key" if given else
                           "This server needs its API key: 'Authorization: Bearer KEY', ?key=KEY, "
                           f"or the WebSocket subprotocol {KEY_SUBPROTOCOL_PREFIX}KEY")
        return None

    # --- HTTP -------------------------------------------------------------------------------------

    async def require_http(self, request: Request) -> None:
        """FastAPI dependency: raises ApiError (401/403) for a request that may not go on."""
        self._raise_if_refused(request, need_key=True)

    async def require_http_no_key(self, request: Request) -> None:
        """Host and Origin only (for /health and pages meant to be opened without a key)."""
        self._raise_if_refused(request, need_key=False)

    def _raise_if_refused(self, request, need_key: bool) -> None:
        refusal = self.check(request.headers, request.query_params, scheme=request.url.scheme, need_key=need_key)
        if refusal is not None:
            headers = {"WWW-Authenticate": "Bearer"} if refusal.status == 401 else None
            raise ApiError(refusal.status, refusal.message, refusal.code, headers=headers)

    # --- WebSocket --------------------------------------------------------------------------------

    @staticmethod
    def offered_subprotocols(websocket) -> tuple[str, ...]:
        return tuple(websocket.scope.get("subprotocols") or ())

    def check_websocket(self, websocket) -> Optional[Refusal]:
        return self.check(websocket.headers, websocket.query_params, scheme=websocket.url.scheme,
                          subprotocols=self.offered_subprotocols(websocket))

    def subprotocol(self, websocket) -> Optional[str]:
        """The subprotocol to accept with: a browser that offered some fails the handshake if none is echoed.

        `voicedesk` when offered (so the key protocol is not sent back), else the first one offered."""
        offered = self.offered_subprotocols(websocket)
        if not offered:
            return None
        if PLAIN_SUBPROTOCOL in offered:
            return PLAIN_SUBPROTOCOL
        plain = [p for p in offered if not p.startswith(KEY_SUBPROTOCOL_PREFIX)]
        return plain[0] if plain else offered[0]

    async def accept_websocket(self, websocket) -> bool:
        """Accept the handshake when every rule passes (True); else refuse the handshake itself (False)."""
        refusal = self.check_websocket(websocket)
        if refusal is None:
            await websocket.accept(subprotocol=self.subprotocol(websocket))
            return True
        await deny_websocket(websocket, refusal)
        return False


async def deny_websocket(websocket, refusal: Refusal) -> None:
    """Answer the handshake with an HTTP error instead of switching protocols (ASGI's WebSocket Denial
    Response, which uvicorn offers); a server without it answers a bare 403."""
    from voicedesk.server.errors import error_response

    headers = {"WWW-Authenticate": "Bearer"} if refusal.status == 401 else None
    try:
        if "websocket.http.response" in websocket.scope.get("extensions", {}):
            await websocket.send_denial_response(error_response(refusal.status, refusal.message, refusal.code,
                                                                headers=headers))
        else:
            await websocket.close(code=refusal.close_code)      # before accept: HTTP 403
    except Exception:
        pass                  # the client went away first


def close_reason(text: str) -> str:
    """A close reason fits in 123 bytes of UTF-8."""
    data = " ".join(text.split()).encode("utf-8")
    if len(data) <= 123:
        return data.decode("utf-8")
    return data[:120].decode("utf-8", "ignore") + "..."
