"""The real speech server (uvicorn on 127.0.0.1, port 0) for tests and benchmarks, and a WebSocket client
that streams a clip at real-time pace the way a live caller would."""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

import numpy as np

SAMPLE_RATE = 16_000


@contextmanager
def speech_server(model_dir: str, shared=None, **config: Any) -> Iterator[Any]:
    """A running server on a free loopback port (yields the ServerThread: `.url`, `.app`, `.port`).

    `shared` reuses an already loaded SharedModel (another config, the same model)."""
    from voicedesk.server.app import create_app
    from voicedesk.server.config import ServerConfig
    from voicedesk.server.runner import ServerThread
    from voicedesk.server.shared_model import SharedModel

    config.setdefault("cpu_threads", 2)
    cfg = ServerConfig(host="127.0.0.1", port=0, model=model_dir, **config)
    if shared is None:
        shared = SharedModel(cfg)
        shared.load()
    server = ServerThread(cfg, create_app(cfg, shared)).start()
    try:
        yield server
    finally:
        server.stop()


def ws_url(server: Any, path: str = "/v1/stream") -> str:
    return server.url.replace("http://", "ws://", 1) + path


def pcm16(audio: np.ndarray) -> bytes:
    """float32 [-1, 1] -> 16-bit little-endian PCM bytes."""
    return (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()


@dataclass
class StreamResult:
    events: list[dict] = field(default_factory=list)     # each with "_t": seconds since the first audio was sent
    close_code: Optional[int] = None
    close_reason: str = ""
    audio_end: float = 0.0                                # when the last audio chunk was sent (same clock)
    started_at: float = 0.0                               # time.monotonic() of the first audio chunk

    def of(self, kind: str) -> list[dict]:
        return [e for e in self.events if e.get("type") == kind]

    @property
    def text(self) -> str:
        return " ".join(e["text"] for e in self.of("final"))


async def stream_audio(url: str, audio: np.ndarray, config: Optional[dict] = None, *, pace: float = 1.0,
                       chunk_s: float = 0.1, as_json: bool = False, sample_rate: int = SAMPLE_RATE,
                       tail_silence_s: float = 0.0, connect: Optional[dict] = None,
                       timeout: float = 120.0) -> StreamResult:
    """Send `config`, then `audio` in chunks at `pace` × real time, then {"type": "stop"}; collect every event
    until the server closes. `as_json` sends {"audio": base64} messages instead of binary frames."""
    import base64

    import websockets

    result = StreamResult()
    if tail_silence_s:
        audio = np.concatenate([audio, np.zeros(int(tail_silence_s * sample_rate), np.float32)])
    data = pcm16(audio)
    step = int(chunk_s * sample_rate) * 2
    async with websockets.connect(url, max_size=None, open_timeout=30, **(connect or {})) as ws:
        if config is not None:
            await ws.send(json.dumps(config))

        async def receive() -> None:
            try:
                async for message in ws:
                    event = json.loads(message)
                    event["_t"] = time.monotonic() - result.started_at if result.started_at else 0.0
                    result.events.append(event)
            except websockets.ConnectionClosed:
                pass

        reader = asyncio.create_task(receive())
        result.started_at = time.monotonic()
        for i in range(0, len(data), step):
            chunk = data[i:i + step]
            if as_json:
                await ws.send(json.dumps({"audio": base64.b64encode(chunk).decode()}))
            else:
                await ws.send(chunk)
            due = result.started_at + (i + len(chunk)) / 2 / sample_rate / pace
            await asyncio.sleep(max(0.0, due - time.monotonic()))
        result.audio_end = time.monotonic() - result.started_at
        await ws.send(json.dumps({"type": "stop"}))
        await asyncio.wait_for(reader, timeout)
        result.close_code, result.close_reason = ws.close_code, ws.close_reason or ""
    return result


async def closed_with(url: str, *, first: Optional[str | bytes] = None, timeout: float = 30.0,
                      **connect: Any) -> tuple[Optional[int], str, list[dict]]:
    """Connect, optionally send one message, and read until the server closes: (code, reason, events)."""
    import websockets

    events: list[dict] = []
    ws = await websockets.connect(url, open_timeout=30, **connect)
    try:
        if first is not None:
            try:
                await ws.send(first)
            except websockets.ConnectionClosed:
                pass                      # closed already: what it sent before closing is still read below
        async def read() -> None:
            async for message in ws:
                events.append(json.loads(message))

        await asyncio.wait_for(read(), timeout)
    except websockets.ConnectionClosed:
        pass
    finally:
        try:
            await ws.close()
        except websockets.ConnectionClosed:
            pass
    return ws.close_code, ws.close_reason or "", events
