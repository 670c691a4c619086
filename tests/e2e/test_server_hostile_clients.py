"""`voicedesk serve` (and the app's caption sharing) in their own processes, under hostile clients (issue 20,
item 3), on loopback only.

- Slowloris: each server runs under a 256-file limit (macOS's default, and what a `ulimit -n 256` shell
  gives) while this process holds 300 connections that never finish their request head. A new client must
  still be answered, and the server's log must stay small. The header timeout and the connection cap are
  then tried one at a time on an in-process server with small settings.
- Keys: never in the log, `--verbose` and `--access-log` included; given by file or environment, never in
  the process list.
- Flags that would let any web page in are refused with a message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator, Optional

import httpx
import pytest

from voicedesk.server.captions import CaptionHub, create_captions_app
from voicedesk.server.config import ServerConfig
from voicedesk.server.runner import ServerThread

try:
    import resource          # POSIX: the open-file limit the slowloris test sets on the server
except ImportError:
    resource = None

pytestmark = pytest.mark.timeout(180)

FILE_LIMIT = 256
HALF_OPEN = 300
LOG_BUDGET = 2048        # bytes the server may write to stderr during the attack (before the fix: megabytes)

CAPTIONS_SERVER = """
import sys
from voicedesk.server.captions import CaptionHub, create_captions_app
from voicedesk.server.config import ServerConfig
from voicedesk.server.runner import ServerThread
config = ServerConfig(host="127.0.0.1", port=0)
server = ServerThread(config, create_captions_app(config, CaptionHub())).start()
print(f"voicedesk: sharing captions on {server.url}", file=sys.stderr, flush=True)
sys.stdin.read()          # until the test closes our stdin
server.stop()
"""


class ServerProcess:
    """A server in its own process: its URL, and everything it wrote on stderr so far."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.stderr = bytearray()
        self.url: Optional[str] = None
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
            self.stderr.extend(chunk)

    def wait_for_url(self, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            match = re.search(rb" on (http://127\.0\.0\.1:\d+)", self.stderr)
            if match:
                self.url = match.group(1).decode()
                return self.url
            time.sleep(0.05)
        raise AssertionError(f"the server did not start: {bytes(self.stderr[-2000:]).decode(errors='replace')}")

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


def _limit_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))


def serve_command(model: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "voicedesk", "serve", "--port", "0", "--model", model, "--threads", "1", *args]


@contextlib.contextmanager
def server_process(kind: str, model: str, *args: str, env: Optional[dict] = None,
                   file_limit: bool = True) -> Iterator[ServerProcess]:
    """`voicedesk serve` (kind "serve", with `args`) or the caption sharing server, started and stopped."""
    command = serve_command(model, *args) if kind == "serve" else [sys.executable, "-c", CAPTIONS_SERVER]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, preexec_fn=_limit_files if file_limit and resource else None)
    server = ServerProcess(proc)
    try:
        server.wait_for_url()
        yield server
    finally:
        if proc.poll() is None:
            if kind == "serve":
                proc.send_signal(signal.SIGINT)
            else:
                proc.stdin.close()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def half_open(port: int, count: int) -> list[socket.socket]:
    """`count` connections that each send the start of a request head and then nothing."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            sockets.append(s)
    except BaseException:
        for s in sockets:
            s.close()
        raise
    return sockets


def read_response(s: socket.socket) -> bytes:
    """One whole HTTP response (head and Content-Length body) from a raw socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096) or b"!"           # b"!": closed early; the assertion that follows says so
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    while len(body) < length:
        body += s.recv(4096)
    return head + b"\r\n\r\n" + body


def closed_by_server(s: socket.socket, wait: float = 0.0) -> bool:
    s.settimeout(wait or 0.001)
    try:
        return s.recv(1) == b""
    except socket.timeout:
        return False
    except OSError:
        return True          # reset


@pytest.mark.skipif(resource is None, reason="needs a POSIX open-file limit")
@pytest.mark.parametrize("kind", ["serve", "share-captions"])
def test_300_half_open_connections_do_not_lock_out_a_new_client_and_the_log_stays_small(kind, tiny_en_model):
    with server_process(kind, tiny_en_model) as server:
        before = len(server.stderr)
        attack = half_open(server.port, HALF_OPEN)
        try:
            started = time.monotonic()
            response = httpx.get(server.url + "/health", timeout=10)
            answered_s = time.monotonic() - started
            assert response.status_code == 200 and response.json()["status"] == "ok"
            time.sleep(0.5)                  # anything the flood makes the server log has been written
            logged = bytes(server.stderr[before:])
        finally:
            for s in attack:
                s.close()
        print(f"{kind}: /health answered in {answered_s:.3f} s with {HALF_OPEN} half-open connections; "
              f"{len(logged)} bytes logged")
        assert len(logged) <= LOG_BUDGET, logged[-2000:].decode(errors="replace")
        assert server.proc.poll() is None
    assert b"Traceback" not in server.stderr


@pytest.fixture
def small_server():
    """The caption app in this process with a 1 s header timeout and at most 8 connections."""
    config = ServerConfig(host="127.0.0.1", port=0, header_timeout_s=1.0, max_connections=8)
    server = ServerThread(config, create_captions_app(config, CaptionHub())).start()
    try:
        yield server
    finally:
        server.stop()


def test_a_request_head_trickled_byte_by_byte_is_cut_off_at_the_header_timeout(small_server):
    port = small_server.port
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        deadline = time.monotonic() + 8.0
        cut = False
        while time.monotonic() < deadline:
            try:
                s.sendall(b"a")          # a byte every 0.2 s: uvicorn's keep-alive timer would restart each time
            except OSError:
                cut = True
                break
            if closed_by_server(s, wait=0.2):
                cut = True
                break
        assert cut, "the server kept a connection whose request head never ended"
    finally:
        s.close()
    # a kept-alive connection gets the same deadline for its next request head
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert read_response(s).startswith(b"HTTP/1.1 200")
        s.sendall(b"GET /health HTTP/1.1\r\n")
        assert closed_by_server(s, wait=5.0)
    assert httpx.get(small_server.url + "/health", timeout=5).status_code == 200


def test_the_connection_cap_drops_the_longest_waiting_half_open_ones_first(small_server):
    attack = half_open(small_server.port, 20)
    try:
        # a new client that asks at once is answered; the oldest idle connections made room for it
        assert httpx.get(small_server.url + "/health", timeout=5).status_code == 200
        time.sleep(0.3)
        dropped = [closed_by_server(s) for s in attack]
        assert sum(dropped) >= 12, dropped                   # at most 8 open, the new client's included
        assert dropped == sorted(dropped, reverse=True), dropped   # the longest waiting went first
    finally:
        for s in attack:
            s.close()


# --- keys -------------------------------------------------------------------------------------------------

KEY = "k3y-0f-the-T3st-9f2c"
WRONG = "wr0ng-k3y-77ab"


def stream_briefly(url: str, audio: bytes, **connect) -> int:
    """A short live stream: config, 1 s of speech, stop; the close code."""
    import websockets

    async def run() -> int:
        async with websockets.connect(url, **connect) as ws:
            await ws.send(json.dumps({"language": "en"}))
            for i in range(0, 32000, 3200):
                await ws.send(audio[i:i + 3200])
            await ws.send(json.dumps({"type": "stop"}))
            async for _ in ws:
                pass
            return ws.close_code

    return asyncio.run(run())


def handshake_status(url: str) -> int:
    import websockets

    async def run() -> int:
        try:
            async with websockets.connect(url):
                return 101
        except websockets.InvalidStatus as exc:
            return exc.response.status_code

    return asyncio.run(run())


def command_line(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads the process list through /proc")
def test_keys_stay_out_of_the_verbose_log_and_the_process_list(tiny_en_model, speech):
    from testkit.speech import load
    from testkit.speech_server import pcm16

    audio = pcm16(load(speech["jfk_en"].path))
    env = {**os.environ, "VOICEDESK_API_KEY": KEY}
    with server_process("serve", tiny_en_model, "--verbose", "--access-log", env=env, file_limit=False) as server:
        assert KEY.encode() not in command_line(server.proc.pid)
        ws = server.url.replace("http://", "ws://") + "/v1/stream"
        assert httpx.get(f"{server.url}/v1/models?key={KEY}", timeout=10).status_code == 200
        assert httpx.get(f"{server.url}/v1/models", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
        assert httpx.get(f"{server.url}/v1/models?key={WRONG}", timeout=10).status_code == 401
        assert stream_briefly(f"{ws}?key={KEY}", audio) == 1000
        assert stream_briefly(ws, audio, subprotocols=["voicedesk", f"voicedesk-key.{KEY}"]) == 1000
        assert handshake_status(f"{ws}?key={WRONG}") == 401
        time.sleep(0.3)
    log = bytes(server.stderr).decode(errors="replace")
    assert "[redacted]" in log                          # the requests were logged ...
    assert KEY not in log and WRONG not in log, log     # ... without their keys
    # nor every frame of the streams (what was said, and the handshake's headers) under --verbose
    assert not re.search(r"^voicedesk: DEBUG uvicorn\.error: [<>] ", log, re.MULTILINE), log[-3000:]
    assert "Traceback" not in log


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads the process list through /proc")
def test_the_key_can_come_from_a_file(tiny_en_model, tmp_path):
    key_file = tmp_path / "server.key"
    key_file.write_text(KEY + "\n")
    key_file.chmod(0o600)
    with server_process("serve", tiny_en_model, "--api-key-file", str(key_file), file_limit=False) as server:
        assert KEY.encode() not in command_line(server.proc.pid)
        assert httpx.get(f"{server.url}/v1/models", timeout=10).status_code == 401
        assert httpx.get(f"{server.url}/v1/models", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    for bad, says in ((tmp_path / "missing.key", "cannot read"), (tmp_path / "empty.key", "empty")):
        if bad.name == "empty.key":
            bad.write_text("\n")
        done = subprocess.run(serve_command(tiny_en_model, "--api-key-file", str(bad)), capture_output=True,
                              text=True, timeout=60)
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert done.returncode == 2 and len(lines) == 1, done.stderr
        assert "--api-key-file" in lines[0] and says in lines[0] and "Traceback" not in done.stderr


@pytest.mark.parametrize("origin", ["*", "null"])
def test_any_web_page_is_not_let_in_without_a_key(tiny_en_model, origin):
    done = subprocess.run(serve_command(tiny_en_model, "--allow-origin", origin), capture_output=True, text=True,
                          timeout=60, env={k: v for k, v in os.environ.items() if k != "VOICEDESK_API_KEY"})
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert f"--allow-origin '{origin}'" in lines[0] and "any web page" in lines[0] and "key" in lines[0]
