"""Keys stay out of the logs: `?key=`, `voicedesk-key.KEY` and `Bearer KEY` are redacted in uvicorn's records,
and the WebSocket library's per-frame debug lines are never produced.

uvicorn logs a request's path with its query (the access log, and "WebSocket /v1/stream?key=..." on
`uvicorn.error`); the `websockets` library logs on `uvicorn.error` too, at DEBUG: the handshake's headers
(the key subprotocol among them) and every frame (what the client said and what it was told).
"""

from __future__ import annotations

import logging
import re

from voicedesk.server.security import KEY_QUERY_PARAM, KEY_SUBPROTOCOL_PREFIX

REDACTED = "[redacted]"
UVICORN_LOGGERS = ("uvicorn.error", "uvicorn.access")
_PATTERNS = (
    re.compile(rf"([?&]{re.escape(KEY_QUERY_PARAM)}=)[^&\s\"'#]*"),
    re.compile(rf"({re.escape(KEY_SUBPROTOCOL_PREFIX)})[^\s,;\"']*"),
    re.compile(r"(\bBearer\s+)[^\s,;\"']+", re.IGNORECASE),
)


def redact(text: str) -> str:
    """`text` with every key-bearing token's key replaced."""
    for pattern in _PATTERNS:
        text = pattern.sub(rf"\g<1>{REDACTED}", text)
    return text


class KeyRedactor(logging.Filter):
    """Rewrites a record's message with its keys redacted (the record is kept)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:           # a broken format string: leave it to the handler to report
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


_REDACTOR = KeyRedactor()


def install() -> None:
    """Redact keys in uvicorn's records, and keep frame-by-frame WebSocket logging off (idempotent).

    Filters on a logger see only the records made on that logger, which is where uvicorn makes them."""
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        if _REDACTOR not in logger.filters:
            logger.addFilter(_REDACTOR)
    ws_logger = logging.getLogger("uvicorn.error")
    if ws_logger.getEffectiveLevel() < logging.INFO:
        # `--verbose` turns DEBUG on for everything: not for a line per WebSocket frame
        ws_logger.setLevel(logging.INFO)
