"""Live streams that hold resources (issue 20, item 3), against a real uvicorn on loopback: a client that
goes quiet gives its stream slot back, with a close code that says why. (The per-stream audio bound is
tested on the buffer itself: tests/unit/server/test_socket_source_bound.py.)"""

from __future__ import annotations

import asyncio
import json

import pytest

from testkit.speech import load
from testkit.speech_server import pcm16, speech_server, ws_url

pytestmark = pytest.mark.timeout(120)
websockets = pytest.importorskip("websockets")

IDLE_S = 1.5


@pytest.fixture(scope="module")
def server(tiny_en_model):
    with speech_server(tiny_en_model, max_streams=1, stream_idle_s=IDLE_S) as running:
        yield running


def test_a_quiet_stream_is_closed_with_4408_and_its_slot_comes_back(server, speech):
    url = ws_url(server)
    audio = pcm16(load(speech["quilter_en"].path))

    async def quiet_client():
        events = []
        async with websockets.connect(url) as ws:
            await ws.send(json.dumps({"language": "en"}))
            for i in range(0, len(audio), 3200):              # the whole clip, then nothing more
                await ws.send(audio[i:i + 3200])
                await asyncio.sleep(0.02)
            try:
                async with asyncio.timeout(IDLE_S + 20):
                    async for message in ws:
                        events.append(json.loads(message))
            except (TimeoutError, websockets.ConnectionClosed):
                pass
            return ws.close_code, ws.close_reason, events

    code, reason, events = asyncio.run(quiet_client())
    assert code == 4408, (code, reason)
    assert f"{IDLE_S:g} s" in reason
    # what it said before going quiet is finished and delivered, as after a stop
    assert events[-1]["type"] == "run-ended"
    assert "quilter" in " ".join(e["text"] for e in events if e["type"] == "final").lower()

    async def next_client():
        async with websockets.connect(url) as ws:
            await ws.send(json.dumps({"language": "en"}))
            first = json.loads(await ws.recv())
            await ws.send(json.dumps({"type": "stop"}))
            async for _ in ws:
                pass
            return first, ws.close_code

    first, code = asyncio.run(next_client())
    assert first["type"] == "model-ready" and code == 1000      # not 1013: the quiet one's slot was given back
