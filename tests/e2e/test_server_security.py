"""The server's defences, tried from outside against a real uvicorn on loopback: the key (401), foreign
Origins and Hosts (403; WebSockets refused at the handshake), upload size (413), stream count (1013), garbage on
the socket, a refused non-loopback bind, and Ctrl+C on `voicedesk serve`."""

from __future__ import annotations

import asyncio
import json
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from testkit.speech import load
from testkit.speech_server import closed_with, pcm16, speech_server, stream_audio, ws_url

pytestmark = pytest.mark.timeout(300)
openai = pytest.importorskip("openai")
websockets = pytest.importorskip("websockets")

KEY = "s3cret-Key_123"
ALLOWED = "https://captions.example"


@pytest.fixture(scope="module")
def server(tiny_en_model):
    with speech_server(tiny_en_model, api_key=KEY, max_streams=1, max_upload_mb=0.25,
                       allowed_origins=(ALLOWED,)) as running:
        yield running


def host(server) -> str:
    return f"127.0.0.1:{server.port}"


def api(server, key=KEY):
    return openai.OpenAI(base_url=server.url + "/v1", api_key=key, max_retries=0)


def health_ok(server) -> bool:
    return httpx.get(server.url + "/health", timeout=10).json()["status"] == "ok"


def stop_message() -> str:
    return json.dumps({"type": "stop"})


def handshake_refused(url: str, **connect) -> tuple[int, dict]:
    """Open a WebSocket that the server must refuse at the handshake: (HTTP status, JSON error body)."""
    async def attempt():
        try:
            ws = await websockets.connect(url, open_timeout=30, **connect)
        except websockets.InvalidStatus as exc:
            return exc.response.status_code, json.loads(exc.response.body or b"{}")
        await ws.close()
        raise AssertionError(f"the handshake was accepted: {url} {connect}")

    return asyncio.run(attempt())


# --- the key ---------------------------------------------------------------------------------------------


def test_wrong_or_missing_key_is_401_and_the_right_key_works(server, speech):
    with pytest.raises(openai.AuthenticationError) as err:
        api(server, key="wrong").models.list()
    assert err.value.status_code == 401 and "key" in err.value.message.lower()
    with open(speech["quilter_en"].path, "rb") as f, pytest.raises(openai.AuthenticationError):
        api(server, key="wrong").audio.transcriptions.create(model="whisper-1", file=f)
    bare = httpx.get(server.url + "/v1/models", timeout=10)
    assert bare.status_code == 401 and bare.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in bare.json()["error"]["message"]
    assert [m.id for m in api(server).models.list().data][0] == "tiny.en"
    with open(speech["quilter_en"].path, "rb") as f:
        assert "quilter" in api(server).audio.transcriptions.create(model="whisper-1", file=f).text.lower()
    assert health_ok(server)               # /health needs no key


def test_websocket_key_by_header_query_or_subprotocol(server):
    url = ws_url(server)
    status, body = handshake_refused(url)
    assert status == 401 and "key" in body["error"]["message"].lower()
    status, body = handshake_refused(url + "?key=wrong")
    assert (status, body["error"]["message"]) == (401, "Wrong API key")
    for how in ({"additional_headers": {"Authorization": f"Bearer {KEY}"}},
                {"subprotocols": [f"voicedesk-key.{KEY}"]},
                {"subprotocols": ["voicedesk", f"voicedesk-key.{KEY}"]}):
        code, reason, events = asyncio.run(closed_with(url, first=stop_message(), **how))
        assert code == 1000 and events[-1]["type"] == "run-ended", (how, code, reason)
    code, _, events = asyncio.run(closed_with(url + f"?key={KEY}", first=stop_message()))
    assert code == 1000 and events[0]["type"] == "model-ready"

    async def protocol_echoed():
        async with websockets.connect(url, subprotocols=["voicedesk", f"voicedesk-key.{KEY}"]) as ws:
            return ws.subprotocol

    assert asyncio.run(protocol_echoed()) == "voicedesk"    # the key is not sent back


# --- Origin and Host -------------------------------------------------------------------------------------


def test_foreign_origin_is_refused_on_the_socket_and_the_api(server):
    url = ws_url(server) + f"?key={KEY}"
    # refused at the handshake: a page of another site sees a failed connection, as if no server were there
    status, body = handshake_refused(url, origin="http://evil.example")
    assert status == 403 and "--allow-origin" in body["error"]["message"]
    # another local page (another port) is another origin too
    assert handshake_refused(url, origin="http://127.0.0.1:1")[0] == 403
    for own in (f"http://127.0.0.1:{server.port}", f"http://localhost:{server.port}", ALLOWED):
        code, reason, _ = asyncio.run(closed_with(url, first=stop_message(), origin=own))
        assert code == 1000, (own, code, reason)
    response = httpx.get(server.url + "/v1/models", headers={"Authorization": f"Bearer {KEY}",
                                                              "Origin": "http://evil.example"}, timeout=10)
    assert response.status_code == 403 and response.json()["error"]["code"] == "origin_not_allowed"


def test_bad_host_is_refused_against_dns_rebinding(server):
    headers = {"Authorization": f"Bearer {KEY}"}
    for bad in (f"evil.example:{server.port}", "attacker.test", "", f"evil@127.0.0.1:{server.port}",
                f"127.0.0.1:{server.port}/x", "127.0.0.1?"):
        response = httpx.get(server.url + "/health", headers={**headers, "Host": bad}, timeout=10)
        assert response.status_code in (400, 403), bad
    # userinfo names a host that is not the one connected to: refused, not read as 127.0.0.1
    response = httpx.get(server.url + "/v1/models", headers={**headers, "Host": f"evil@127.0.0.1:{server.port}"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "host_not_allowed"
    response = httpx.get(server.url + "/v1/models", headers={**headers, "Host": f"rebind.example:{server.port}"})
    assert response.status_code == 403 and "DNS rebinding" in response.json()["error"]["message"]
    for good in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", f"[::1]:{server.port}", "localhost"):
        assert httpx.get(server.url + "/v1/models", headers={**headers, "Host": good}).status_code == 200, good
    # the same over a WebSocket: the browser connects to 127.0.0.1 but names the attacker's host
    status, body = handshake_refused(f"ws://rebind.example:{server.port}/v1/stream?key={KEY}",
                                     host="127.0.0.1", port=server.port)
    assert status == 403 and "Host" in body["error"]["message"]
    # and a handshake whose Host carries userinfo (written by hand: clients build Host from the URL)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
        raw.sendall(f"GET /v1/stream?key={KEY} HTTP/1.1\r\nHost: evil@127.0.0.1:{server.port}\r\n"
                    "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n".encode())
        assert raw.recv(4096).startswith(b"HTTP/1.1 403")


# --- sizes and counts ------------------------------------------------------------------------------------


def test_oversized_upload_is_413(server, speech):
    with open(speech["jfk_en"].path, "rb") as f, pytest.raises(openai.APIStatusError) as err:
        api(server).audio.transcriptions.create(model="whisper-1", file=f)       # 1.1 MB > 0.25 MB
    assert err.value.status_code == 413 and "--max-upload-mb" in err.value.message

    # without a Content-Length (chunked), the limit holds while reading
    def body():
        yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.wav\"\r\n\r\n"
        for _ in range(40):
            yield b"\0" * 16384
        yield b"\r\n--b--\r\n"

    response = httpx.post(server.url + "/v1/audio/transcriptions", content=body(), timeout=30,
                          headers={"Authorization": f"Bearer {KEY}", "Content-Type": "multipart/form-data; boundary=b"})
    assert response.status_code == 413
    assert health_ok(server)


def test_too_many_streams_get_1013_and_the_slot_comes_back(server, speech):
    url = ws_url(server) + f"?key={KEY}"

    async def scenario():
        async with websockets.connect(url) as first:
            await first.send(json.dumps({"language": "en"}))
            assert json.loads(await first.recv())["type"] == "model-ready"
            code, reason, events = await closed_with(url, first=json.dumps({}))
            await first.send(stop_message())
            async for _ in first:
                pass
        return code, reason, events

    code, reason, events = asyncio.run(scenario())
    assert code == 1013 and "too many streams" in reason
    assert events and events[0]["type"] == "error" and "too many streams" in events[0]["message"]
    audio = load(speech["quilter_en"].path)
    result = asyncio.run(stream_audio(url, audio, {"language": "en"}, pace=3.0))
    assert result.close_code == 1000 and "quilter" in result.text.lower()


# --- garbage ---------------------------------------------------------------------------------------------


def test_garbage_frames_get_json_errors_and_the_stream_goes_on(server, speech):
    url = ws_url(server) + f"?key={KEY}"
    audio = pcm16(load(speech["quilter_en"].path))

    async def scenario():
        events = []
        async with websockets.connect(url) as ws:
            await ws.send(json.dumps({"language": "en"}))
            for garbage in ("not json at all", "[1, 2, 3]", json.dumps({"what": "ever"}),
                            json.dumps({"audio": "@@@ not base64 @@@"}), json.dumps({"audio": 42})):
                await ws.send(garbage)
            await ws.send(b"\x01")                         # half a sample: kept until the next frame
            await ws.send(audio[1:])                       # the rest, shifted back into step by the carried byte
            await ws.send(stop_message())
            async for message in ws:
                events.append(json.loads(message))
            return events, ws.close_code

    events, code = asyncio.run(scenario())
    errors = [e for e in events if e["type"] == "error"]
    assert len(errors) == 5 and not any(e["fatal"] for e in errors), errors
    assert all(e["message"] and "\n" not in e["message"] for e in errors)
    assert code == 1000 and events[-1]["type"] == "run-ended"
    assert "quilter" in " ".join(e["text"] for e in events if e["type"] == "final").lower()
    assert health_ok(server)


def test_a_garbage_first_message_closes_with_a_reason_and_the_server_stays_up(server):
    code, reason, events = asyncio.run(closed_with(ws_url(server) + f"?key={KEY}", first="hello?"))
    assert code == 1007 and "config" in reason
    assert events[-1]["type"] == "error" and events[-1]["fatal"]
    code, reason, events = asyncio.run(closed_with(ws_url(server) + f"?key={KEY}", first=json.dumps({"language": 7})))
    assert code == 1007 and "language" in reason
    assert health_ok(server)


# --- the command -----------------------------------------------------------------------------------------


def serve(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "voicedesk", "serve", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_non_loopback_bind_without_a_key_is_refused(tiny_en_model):
    for host in ("0.0.0.0", "::", "192.0.2.10"):
        proc = serve("--host", host, "--port", "0", "--model", tiny_en_model)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode != 0, host
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and "--api-key" in lines[0] and "Traceback" not in err, err


def test_ctrl_c_stops_the_server_cleanly_with_a_stream_open(tiny_en_model, speech):
    proc = serve("--port", "0", "--model", tiny_en_model)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            match = re.search(r" on (http://127\.0\.0\.1:\d+)", line)
            url = match.group(1) if match else None
        assert url, "the server did not say where it listens"
        audio = pcm16(load(speech["jfk_en"].path))

        async def scenario():
            async with websockets.connect(url.replace("http", "ws") + "/v1/stream") as ws:
                await ws.send(json.dumps({"language": "en"}))
                for i in range(0, 32000 * 4, 3200):           # 4 s of speech, in real time
                    await ws.send(audio[i:i + 3200])
                    await asyncio.sleep(0.1)
                proc.send_signal(signal.SIGINT)               # Ctrl+C while a stream is open and speech decodes
                events = []
                try:
                    async for message in ws:
                        events.append(json.loads(message))
                except websockets.ConnectionClosed:
                    pass
                return ws.close_code, events

        code, events = asyncio.run(scenario())
        assert code in (1000, 1001, 1012), code
        assert proc.wait(timeout=40) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    err = "".join(rest)
    assert "Traceback" not in err and "terminate called" not in err, err
    assert err.strip().splitlines()[-1] == "voicedesk: server stopped", err
