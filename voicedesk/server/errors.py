"""Errors as the client sees them: JSON in OpenAI's shape, the right status code, one line, never a traceback.

    {"error": {"message": "...", "type": "invalid_request_error", "param": null, "code": "..."}}

`ApiError` is raised anywhere below a route (and by `security`); `install(app)` turns it, FastAPI's own
validation errors and anything unexpected into such a response. Unexpected exceptions are logged as one
line (with the traceback only at DEBUG level) and answered 500.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

log = logging.getLogger(__name__)

# WebSocket close codes (RFC 6455 and the 4000-4999 range left to applications)
CLOSE_NORMAL = 1000
CLOSE_GOING_AWAY = 1001
CLOSE_UNSUPPORTED_DATA = 1003
CLOSE_INVALID_PAYLOAD = 1007
CLOSE_POLICY_VIOLATION = 1008
CLOSE_INTERNAL_ERROR = 1011
CLOSE_TRY_AGAIN_LATER = 1013        # too many streams, or the client reads events too slowly
CLOSE_UNAUTHORIZED = 4401           # missing or wrong key (a handshake is refused with 401 where the server can)
CLOSE_FORBIDDEN = 4403              # foreign Origin or Host (likewise 403)
CLOSE_IDLE_TIMEOUT = 4408           # a stream sent nothing for --stream-idle-timeout seconds (as HTTP 408)

_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
          404: "not_found_error", 413: "invalid_request_error", 415: "invalid_request_error",
          422: "invalid_request_error", 429: "rate_limit_error", 503: "server_overloaded"}


class ApiError(Exception):
    """A request the server refuses; `message` is one line for the client."""

    def __init__(self, status: int, message: str, code: Optional[str] = None, param: Optional[str] = None,
                 headers: Optional[dict[str, str]] = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param
        self.headers = headers or {}


def error_body(status: int, message: str, code: Optional[str] = None, param: Optional[str] = None) -> dict[str, Any]:
    kind = _TYPES.get(status, "invalid_request_error" if status < 500 else "server_error")
    return {"error": {"message": one_line(message), "type": kind,
                      "param": param, "code": code}}


def one_line(text: str, limit: int = 500) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def error_response(status: int, message: str, code: Optional[str] = None, param: Optional[str] = None,
                   headers: Optional[dict[str, str]] = None):
    from fastapi.responses import JSONResponse

    return JSONResponse(error_body(status, message, code, param), status_code=status, headers=headers)


def install(app) -> None:
    """Register the handlers and the catch-all middleware on a FastAPI app."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.exceptions import HTTPException as FastAPIHTTPException

    async def api_error(request, exc: ApiError):
        return error_response(exc.status, exc.message, exc.code, exc.param, exc.headers)

    async def http_error(request, exc: FastAPIHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else "request refused"
        code = "not_found" if exc.status_code == 404 else None
        return error_response(exc.status_code, detail, code, headers=getattr(exc, "headers", None))

    async def validation_error(request, exc: RequestValidationError):
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
        return error_response(400, f"{where}: {first.get('msg', 'invalid request')}" if where else "invalid request",
                              "invalid_request", where or None)

    from starlette.exceptions import HTTPException as StarletteHTTPException

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_middleware(CatchAll)


class CatchAll:
    """Pure ASGI middleware: an exception that escaped a route becomes a JSON 500 (or a 1011 close), logged
    as one line. Starlette's own error middleware would answer too, but then re-raise for the server to log
    a traceback on the terminal."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message) -> None:
            nonlocal started
            if message["type"] in ("http.response.start", "websocket.accept", "websocket.close",
                                   "websocket.http.response.start"):
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # the one place where anything unexpected ends
            log.error("%s %s failed: %s", scope.get("method", "WS"), scope.get("path", ""),
                      one_line(str(exc) or type(exc).__name__))
            log.debug("details", exc_info=True)
            if started:
                return
            if scope["type"] == "websocket":
                try:
                    await send({"type": "websocket.close", "code": CLOSE_INTERNAL_ERROR, "reason": "internal error"})
                except Exception:
                    pass
                return
            response = error_response(500, "internal server error", "internal_error")
            try:
                await response(scope, receive, send)
            except Exception:
                pass
