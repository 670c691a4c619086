"""The server's Host / Origin / key rules and its bind rule, as pure functions (no server, no model)."""

from __future__ import annotations

import pytest

from voicedesk.server.config import ConfigError, ServerConfig, default_max_streams, is_loopback
from voicedesk.server.security import KEY_SUBPROTOCOL_PREFIX, Security, close_reason


def check(security, host="127.0.0.1:8765", origin=None, auth=None, query=None, protocols=()):
    headers = {"host": host} if host is not None else {}
    if origin is not None:
        headers["origin"] = origin
    if auth is not None:
        headers["authorization"] = auth
    return security.check(headers, query or {}, subprotocols=tuple(protocols))


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8765", "localhost:8765", "LOCALHOST", "[::1]:8765",
                                  "[::1]", "127.1.2.3:9"])
def test_loopback_hosts_pass(host):
    assert check(Security(ServerConfig()), host=host) is None


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", "", None,
                                  "localhost.evil.example:8765", "10.0.0.5:8765"])
def test_other_hosts_are_refused_on_loopback(host):
    refusal = check(Security(ServerConfig()), host=host)
    assert refusal is not None and refusal.status == 403 and refusal.close_code == 4403


def test_the_bound_address_is_a_good_host_and_a_wildcard_bind_takes_ip_literals():
    lan = Security(ServerConfig(host="192.168.1.20", api_key="k"))
    assert check(lan, host="192.168.1.20:8765", auth="Bearer k") is None
    assert check(lan, host="192.168.1.21:8765", auth="Bearer k") is not None
    everywhere = Security(ServerConfig(host="0.0.0.0", api_key="k"))
    assert check(everywhere, host="10.1.2.3:8765", auth="Bearer k") is None
    assert check(everywhere, host="rebind.example:8765", auth="Bearer k") is not None


@pytest.mark.parametrize("origin, ok", [
    (None, True),                                   # not a browser
    ("http://127.0.0.1:8765", True),                # the server's own page
    ("http://localhost:8765", True),                # the same page under its other loopback name
    ("http://[::1]:8765", True),
    ("http://127.0.0.1:3000", False),               # another local web app
    ("http://evil.example", False),
    ("https://127.0.0.1:8765", True),               # same host and port (TLS in front of the server)
    ("null", False),                                # file:// pages, sandboxed frames
    ("https://captions.example", True),             # allowed by flag
    ("https://captions.example/", True),
    ("HTTPS://CAPTIONS.EXAMPLE", True),
    ("https://captions.example:444", False),
])
def test_origins(origin, ok):
    security = Security(ServerConfig(allowed_origins=("https://captions.example",)))
    refusal = check(security, origin=origin)
    assert (refusal is None) is ok, (origin, refusal)
    if refusal is not None:
        assert refusal.close_code == 4403 and "--allow-origin" in refusal.message


def test_allow_any_origin_and_null_only_by_flag():
    assert check(Security(ServerConfig(allowed_origins=("*",))), origin="http://evil.example") is None
    assert check(Security(ServerConfig(allowed_origins=("null",))), origin="null") is None


def test_key_by_header_query_or_subprotocol():
    security = Security(ServerConfig(api_key="s3cret"))
    assert check(security).close_code == 4401
    assert "Authorization" in check(security).message
    assert check(security, auth="Bearer s3cret") is None
    assert check(security, auth="bearer s3cret") is None
    assert check(security, auth="Basic s3cret") is not None
    assert check(security, auth="Bearer s3cre") .message == "Wrong API key"
    assert check(security, query={"key": "s3cret"}) is None
    assert check(security, protocols=["voicedesk", KEY_SUBPROTOCOL_PREFIX + "s3cret"]) is None
    assert check(security, protocols=[KEY_SUBPROTOCOL_PREFIX + "nope"]).status == 401
    # any one place holding the right key is enough
    assert check(security, auth="Bearer nope", query={"key": "s3cret"}) is None
    # Host and Origin come first: a key does not excuse a foreign page
    assert check(security, auth="Bearer s3cret", origin="http://evil.example").close_code == 4403
    # no key configured on loopback: none needed
    assert check(Security(ServerConfig())) is None


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                            ("[::1]", True), ("127.0.0.2", True), ("0.0.0.0", False),
                                            ("::", False), ("192.168.1.2", False), ("example.org", False)])
def test_loopback_detection(host, loopback):
    assert is_loopback(host) is loopback


def test_binding_beyond_loopback_needs_a_key():
    ServerConfig().validate()
    ServerConfig(host="localhost").validate()
    for host in ("0.0.0.0", "::", "192.168.1.2"):
        with pytest.raises(ConfigError, match="--api-key"):
            ServerConfig(host=host).validate()
        ServerConfig(host=host, api_key="k").validate()
    with pytest.raises(ConfigError):
        ServerConfig(api_key="has space").validate()
    with pytest.raises(ConfigError):
        ServerConfig(max_streams=0).validate()
    with pytest.raises(ConfigError):
        ServerConfig(allowed_origins=("example.org",)).validate()


def test_default_stream_limit_fits_the_cores():
    assert default_max_streams(1) == 1 and default_max_streams(2) == 2 and default_max_streams(16) == 16


def test_close_reasons_fit_a_close_frame():
    assert len(close_reason("é" * 200).encode()) <= 123
    assert close_reason("short\nreason") == "short reason"
