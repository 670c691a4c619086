"""The server's small guards without a server: the connection guard's hold on uvicorn's internals, the
connection cap under a low file limit, key redaction in log records, and the origin rule."""

from __future__ import annotations

import inspect
import logging

import pytest
from uvicorn.protocols.http import h11_impl
from uvicorn.protocols.http.h11_impl import H11Protocol

from voicedesk.server import connection_guard, log_hygiene, uvicorn_internals
from voicedesk.server.config import ConfigError, ServerConfig


def test_uvicorn_still_has_what_the_connection_guard_relies_on():
    # the only uvicorn internals voicedesk uses; an upgrade that changes them must fail here, not in the field
    for method in ("connection_made", "data_received", "on_response_complete", "connection_lost"):
        assert callable(getattr(H11Protocol, method)), method
    init = inspect.getsource(H11Protocol.__init__)
    for attribute in ("self.conn", "self.connections", "self.loop", "self.cycle", "self.transport"):
        assert attribute in init, attribute
    assert "h11.Connection" in init and h11_impl.h11.IDLE is uvicorn_internals.H11_IDLE
    guarded = connection_guard.guarded_h11(2.5, 7)
    assert issubclass(guarded, H11Protocol) and (guarded.header_timeout_s, guarded.max_connections) == (2.5, 7)


def test_the_connection_cap_fits_the_file_limit(monkeypatch):
    resource = pytest.importorskip("resource")
    monkeypatch.setattr(resource, "getrlimit", lambda kind: (256, 4096))
    assert connection_guard.connection_cap(100) == 64                  # a quarter of 256
    monkeypatch.setattr(resource, "getrlimit", lambda kind: (65536, 65536))
    assert connection_guard.connection_cap(100) == 100
    monkeypatch.setattr(resource, "getrlimit", lambda kind: (16, 16))
    assert connection_guard.connection_cap(100) == 8                   # never none at all


@pytest.mark.parametrize("line", [
    '127.0.0.1:5 - "GET /v1/models?key=SECRET HTTP/1.1" 200',
    '127.0.0.1:5 - "WebSocket /v1/stream?language=en&key=SECRET" [accepted]',
    "< Sec-WebSocket-Protocol: voicedesk, voicedesk-key.SECRET",
    "< Authorization: Bearer SECRET",
])
def test_keys_are_redacted_wherever_they_travel(line):
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, "%s", (line,), None)
    assert log_hygiene.KeyRedactor().filter(record)
    message = record.getMessage()
    assert "SECRET" not in message and "[redacted]" in message
    assert message.replace("[redacted]", "SECRET") == line             # nothing else changed


def test_any_origin_needs_a_key():
    for origin in ("*", "null"):
        with pytest.raises(ConfigError, match="any web page"):
            ServerConfig(allowed_origins=(origin,)).validate()
        ServerConfig(allowed_origins=(origin,), api_key="k").validate()
