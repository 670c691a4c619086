"""A sound server that accepts the connection and then never answers must not hang its callers.

The "server" is a plain Unix socket listener that accepts and stays silent; PULSE_SERVER points
libpulse (through pulsectl) and pactl at it. Before the bound, listing sources blocked for libpulse's
own ~30 s protocol timeout, once a second, on the capture thread, so Stop waited for a force-close.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from voicedesk.audio import pulse
from voicedesk.audio.source import DeviceError

BOUND_S = 1.0
SLACK_S = 1.5          # thread start, a loaded 2-core machine


@pytest.fixture
def silent_server(tmp_path, monkeypatch):
    path = tmp_path / "native"
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(path))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            accepted.append(conn)          # read nothing, answer nothing

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    monkeypatch.setenv("PULSE_SERVER", f"unix:{path}")
    yield accepted
    stop.set()
    thread.join(2)
    for conn in accepted:
        conn.close()                       # libpulse sees the server go: the stuck query ends
    listener.close()
    inflight = pulse._inflight
    if inflight is not None:
        assert inflight.done.wait(10), "the abandoned query should end once the server is gone"


def _timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_listing_sources_returns_within_the_bound(silent_server):
    sources, elapsed = _timed(lambda: pulse.list_pulse_sources(timeout=BOUND_S))
    assert sources == []
    assert elapsed < BOUND_S + SLACK_S, f"took {elapsed:.1f} s"
    assert silent_server, "the query should have connected to the silent server"


def test_the_presence_check_says_unknown_not_gone_and_does_not_hang(silent_server):
    state, elapsed = _timed(lambda: pulse.pulse_source_state("mic", timeout=BOUND_S))
    assert state is None and elapsed < BOUND_S + SLACK_S
    assert pulse.pulse_source_exists("mic", timeout=BOUND_S) is False


def test_asking_every_second_does_not_pile_up_threads(silent_server):
    for _ in range(4):
        pulse.pulse_source_state("mic", timeout=0.3)
    stuck = [t for t in threading.enumerate() if t.name == "voicedesk-pulse-query"]
    assert len(stuck) <= 1


def test_finding_a_source_says_the_server_does_not_answer(silent_server, monkeypatch):
    monkeypatch.setattr(pulse, "DEFAULT_TIMEOUT_S", BOUND_S)
    started = time.monotonic()
    with pytest.raises(DeviceError, match="does not answer"):
        pulse.find_pulse_source("Desk Mic")
    assert time.monotonic() - started < BOUND_S + SLACK_S


def test_the_pactl_fallback_is_bounded_too(silent_server):
    if pulse.shutil.which("pactl") is None:
        pytest.skip("pactl is not installed")
    sources, elapsed = _timed(lambda: pulse._via_pactl(BOUND_S))
    assert sources == [] and elapsed < BOUND_S + SLACK_S
