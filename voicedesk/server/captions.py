"""Live captions for other apps: a hub that broadcasts the session's events, and the caption page.

`CaptionHub.publish(event)` is called on the engine's (or the GUI's) thread and never blocks: it turns
the event into JSON once, remembers what a newcomer needs to see (the last few sentences, the partial
being spoken), and hands the text to each connected client's bounded asyncio queue through its event
loop (`call_soon_threadsafe`). A client whose queue is full has fallen behind: it is dropped there and
then, and its connection is closed (aborted when even the close cannot be written), so a slow or
stuck reader costs the engine, the window and the other readers nothing.

Who is speaking (schema 4): a final's or settled sentence's message carries its `speaker` number and, beside
it, its `speaker_name` ("Speaker 2", or the name the user gave), and the `speakers` event (a file's labels,
at the end of its run) carries `speaker_names` for the numbers it gives. `set_speaker_names(mapping)` renames:
what newcomers get is relabelled, and readers are sent `{"type": "speaker-names", "names": {"2": "Ana"}}`
with every number known so far, so the page relabels the lines it shows.

`hub.router(security)` serves the caption page (`GET /captions`, static HTML made for an OBS Browser
Source: transparent, options in the query string; voicedesk/server/static/captions.html) and its feed
(`WS /v1/captions`, the broadcast), with the server's Host/Origin/key checks (`security.Security`).
`create_captions_app(config, hub)` is the server's app with no model, only /health and these routes:
what the desktop app's "Share captions" runs, without loading a second model.
"""

# no `from __future__ import annotations`: FastAPI reads the routes' annotations (Request, WebSocket),
# imported inside caption_router, at definition time
import asyncio
import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from importlib import resources
from typing import Any, Callable, Mapping, Optional

from voicedesk.engine.events import EngineState, Event, event_to_dict
from voicedesk.server.errors import CLOSE_GOING_AWAY, CLOSE_TRY_AGAIN_LATER
from voicedesk.session.speakers import main_speaker, speaker_name

log = logging.getLogger(__name__)

BROADCAST_TYPES = frozenset({"partial", "final", "settled", "translation", "status", "lag", "error", "run-ended",
                             "model-ready", "speakers"})
"""What the caption feed carries: not `level` (tens a second) nor `progress` (files read faster than real time)."""

QUEUE_SIZE = 256          # messages a client may have waiting before it counts as fallen behind
HISTORY_SENTENCES = 5     # sentences a new client is sent on connect
SEND_TIMEOUT_S = 10.0     # a single message that cannot be written for this long: the client is stuck
CLOSE_TIMEOUT_S = 2.0     # a dropped client's close frame gets this long, then the connection is aborted
CAPTIONS_PAGE = "captions.html"


@dataclass(eq=False)
class CaptionClient:
    """One connected reader: its queue lives on its server's event loop."""

    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue
    gone: asyncio.Event
    reason: str = ""
    dropped: bool = False   # fell behind (not: left, or the server stopping)
    sent: int = 0


class CaptionHub:
    """Fans the session's events out to WebSocket clients; thread-safe, `publish` never blocks."""

    def __init__(self, queue_size: int = QUEUE_SIZE, history: int = HISTORY_SENTENCES,
                 show: Callable[[str], str] = str) -> None:
        """`show` turns the core's translatable text ("Speaker 2") into the reader's language: the app passes
        `voicedesk.ui.i18n.shown`; `voicedesk serve` keeps English."""
        self.queue_size = max(1, queue_size)
        self.history = max(0, history)
        self._show = show
        self._names: dict[int, str] = {}       # the user's names for speaker numbers
        self._speakers: set[int] = set()        # the numbers seen so far
        self._lock = threading.Lock()
        self._clients: list[CaptionClient] = []
        self._sentences: OrderedDict[int, list[str]] = OrderedDict()   # sentence id -> its messages
        self._partial: Optional[tuple[int, str]] = None                  # (segment id, message)
        self._status: Optional[str] = None
        self._published = 0
        self._dropped = 0

    # ---- any thread ----

    def publish(self, event: Event) -> None:
        """Broadcast one event of the session (events of other types than BROADCAST_TYPES are ignored)."""
        kind = getattr(event, "type", "")
        if kind not in BROADCAST_TYPES:
            return
        data = event_to_dict(event)
        with self._lock:
            self._name_speakers(data)
            text = _dumps(data)
            self._remember(event, kind, text)
            self._published += 1
            clients = list(self._clients)
        self._send_to(clients, [text])

    def set_speaker_names(self, names: Mapping[int, str]) -> None:
        """The user's names for speaker numbers (a number not named is "Speaker N"); replaces the previous ones.

        What newcomers get is relabelled, and every reader is sent the name of each number known so far."""
        with self._lock:
            numbers = self._speakers | set(self._names) | set(names)
            self._names = {int(n): str(name) for n, name in names.items()}
            for messages in self._sentences.values():
                messages[:] = [self._relabelled(m, {}) for m in messages]
            text = _dumps({"type": "speaker-names", "names": {str(n): self._name(n) for n in sorted(numbers)}})
            clients = list(self._clients)
        self._send_to(clients, [text])

    def clear(self) -> None:
        """The session was cleared: readers empty their lines, newcomers get nothing of the old one."""
        text = json.dumps({"type": "clear"})
        with self._lock:
            self._sentences.clear()
            self._partial = None
            clients = list(self._clients)
        self._send_to(clients, [text])

    @property
    def client_count(self) -> int:
        with self._lock:
            return len(self._clients)

    @property
    def dropped_count(self) -> int:
        """Clients dropped so far because they fell behind."""
        with self._lock:
            return self._dropped

    @property
    def published_count(self) -> int:
        with self._lock:
            return self._published

    def snapshot(self) -> list[str]:
        """The messages a newcomer gets first: the last sentences (finals, translation), the partial, the state."""
        with self._lock:
            return self._snapshot()

    def router(self, security: Any) -> Any:
        """A fastapi.APIRouter with the caption page and feed, behind `security`'s checks."""
        return caption_router(security, self)

    def close_all(self, reason: str = "the server is stopping") -> None:
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            self._call(client.loop, self._mark_gone, client, reason)

    # ---- the server's event loop ----

    def attach(self) -> CaptionClient:
        """A new client on the running loop, its queue already holding the current state."""
        loop = asyncio.get_running_loop()
        client = CaptionClient(loop=loop, queue=asyncio.Queue(self.queue_size), gone=asyncio.Event())
        with self._lock:
            for text in self._snapshot()[-self.queue_size:]:
                client.queue.put_nowait(text)
            self._clients.append(client)   # from here on, every publish reaches it after the snapshot
        return client

    def detach(self, client: CaptionClient) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)

    # ---- internals ----

    def _send_to(self, clients: list[CaptionClient], texts: list[str]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[CaptionClient]] = {}
        for client in clients:
            by_loop.setdefault(client.loop, []).append(client)
        for loop, group in by_loop.items():
            if not self._call(loop, self._deliver, group, texts):
                for client in group:
                    self.detach(client)   # its loop is gone

    @staticmethod
    def _call(loop: asyncio.AbstractEventLoop, fn: Any, *args: Any) -> bool:
        try:
            loop.call_soon_threadsafe(fn, *args)
            return True
        except RuntimeError:   # the loop was closed
            return False

    def _deliver(self, clients: list[CaptionClient], texts: list[str]) -> None:
        """On the clients' loop: queue the messages, drop whoever has no room left."""
        for client in clients:
            if client.gone.is_set():
                continue
            try:
                for text in texts:
                    client.queue.put_nowait(text)
            except asyncio.QueueFull:
                self._drop(client, f"fell behind by {client.queue.qsize()} messages")

    def _drop(self, client: CaptionClient, reason: str) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)
                self._dropped += 1
        client.dropped = True
        log.warning("caption client dropped: %s", reason)
        self._mark_gone(client, reason)

    @staticmethod
    def _mark_gone(client: CaptionClient, reason: str) -> None:
        if not client.gone.is_set():
            client.reason = reason
            client.gone.set()

    def _name(self, speaker: int) -> str:
        return self._show(speaker_name(speaker, self._names) or "")

    def _name_speakers(self, data: dict[str, Any]) -> None:
        """Add the names of the speakers a message carries (under the lock)."""
        speaker = data.get("speaker")
        if data["type"] in ("final", "settled") and isinstance(speaker, int):
            self._speakers.add(speaker)
            data["speaker_name"] = self._name(speaker)
        elif data["type"] == "speakers":
            numbers = sorted({int(n) for _segment, n in data.get("labels") or ()})
            self._speakers.update(numbers)
            data["speaker_names"] = {str(n): self._name(n) for n in numbers}

    def _relabelled(self, text: str, labels: Mapping[int, int]) -> str:
        """A remembered final or settled message with the speaker `labels` give it, and its speaker's name now."""
        if not text.startswith(('{"type":"final"', '{"type":"settled"')):
            return text
        data = json.loads(text)
        ids = [data["segment_id"]] if data["type"] == "final" else list(data.get("segment_ids") or ())
        speaker = main_speaker((labels.get(i), 1.0) for i in ids)
        if speaker is not None:
            data["speaker"] = speaker
        data.pop("speaker_name", None)
        self._name_speakers(data)
        return _dumps(data)

    def _remember(self, event: Any, kind: str, text: str) -> None:
        """Keep what a newcomer needs (under the lock)."""
        if kind == "final":
            sentence_id = int(event.sentence_id)
            if self._sentences and sentence_id < max(self._sentences):
                self._sentences.clear()     # ids went back: a new session
            self._sentences.setdefault(sentence_id, []).append(text)
            self._sentences.move_to_end(sentence_id)
            while len(self._sentences) > self.history:
                self._sentences.popitem(last=False)
            if self._partial is not None and self._partial[0] <= event.segment_id:
                self._partial = None
        elif kind == "settled":
            messages = self._sentences.get(int(event.sentence_id))
            if messages is not None:   # after the finals it replaces, before the sentence's translation
                kept = [m for m in messages if not m.startswith('{"type":"settled"')]
                at = next((i for i, m in enumerate(kept) if m.startswith('{"type":"translation"')), len(kept))
                messages[:] = kept[:at] + [text] + kept[at:]
        elif kind == "translation":
            ids = list(getattr(event, "segment_ids", ()) or (event.segment_id,))
            for sentence_id in ids:
                if sentence_id in self._sentences:
                    messages = self._sentences[sentence_id]
                    messages[:] = [m for m in messages if not m.startswith('{"type":"translation"')] + [text]
                    break
        elif kind == "speakers":
            labels = dict(event.labels)
            for messages in self._sentences.values():
                messages[:] = [self._relabelled(m, labels) for m in messages]
        elif kind == "partial":
            self._partial = (int(event.segment_id), text) if event.text.strip() else None
        elif kind == "run-ended" or (kind == "status" and event.state is EngineState.STOPPED):
            self._partial = None
        if kind == "status":
            self._status = text

    def _snapshot(self) -> list[str]:
        messages = [m for sentence in self._sentences.values() for m in sentence]
        if self._partial is not None:
            messages.append(self._partial[1])
        if self._status is not None:
            messages.append(self._status)
        return messages


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# ------------------------------------------------------------------ the web side (FastAPI)

def page_html() -> str:
    """The caption page, shipped as package data."""
    return resources.files("voicedesk.server").joinpath("static").joinpath(CAPTIONS_PAGE).read_text(encoding="utf-8")


PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",          # the page's address may hold the key: never pass it on
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                                "connect-src 'self'; base-uri 'none'; form-action 'none'"),
}


async def serve_client(websocket: Any, hub: CaptionHub) -> None:
    """Send the hub's messages to one accepted WebSocket until it leaves, falls behind or gets stuck."""
    client = hub.attach()

    async def pump() -> None:
        while True:
            text = await client.queue.get()
            try:
                await asyncio.wait_for(websocket.send_text(text), SEND_TIMEOUT_S)
            except asyncio.TimeoutError:
                hub._drop(client, f"a message could not be written for {SEND_TIMEOUT_S:.0f} s")
                return
            client.sent += 1

    async def listen() -> None:
        while True:
            message = await websocket.receive()
            if message.get("type") == "websocket.disconnect":
                return

    sender, listener = asyncio.ensure_future(pump()), asyncio.ensure_future(listen())
    waiter = asyncio.ensure_future(client.gone.wait())
    try:
        await asyncio.wait([sender, listener, waiter], return_when=asyncio.FIRST_COMPLETED)
    finally:
        await _cancel_all([sender, listener, waiter])
        hub.detach(client)
    if not client.gone.is_set():
        return    # the client left, or the connection broke: nothing to close
    if client.dropped:
        await close_or_abort(websocket, CLOSE_TRY_AGAIN_LATER, "too slow: fell behind the live captions")
    else:
        await close_or_abort(websocket, CLOSE_GOING_AWAY, client.reason or "captions stopped")


async def _cancel_all(tasks: list) -> None:
    """Cancel and wait. Cancelled again while still running: before Python 3.12, `wait_for` swallows a
    cancellation that arrives as its inner call completes, and the task then waits on in its loop."""
    pending = [task for task in tasks if not task.done()]
    while pending:
        for task in pending:
            task.cancel()
        _done, still = await asyncio.wait(pending, timeout=0.1)
        pending = list(still)
    for task in tasks:
        if not task.cancelled():
            task.exception()   # retrieved: no "exception was never retrieved" noise


async def close_or_abort(websocket: Any, code: int, reason: str) -> None:
    """Close, and let go of the connection within about CLOSE_TIMEOUT_S whatever the client does.

    A client that reads nothing never lets the close frame through, and the server would keep its socket
    until the client goes away: once the close frame has reached the system (or could not), the
    connection is aborted. A client that still reads gets the close frame and its code before the end.
    """
    from voicedesk.server.uvicorn_internals import websocket_transport

    loop = asyncio.get_running_loop()
    deadline = loop.time() + CLOSE_TIMEOUT_S
    transport = websocket_transport(websocket)   # ASGI has no "abort": the socket's own transport can
    try:
        await asyncio.wait_for(websocket.close(code=code, reason=reason), CLOSE_TIMEOUT_S)
    except asyncio.TimeoutError:
        pass
    except Exception:   # already closed, or the connection broke
        return
    if transport is None:
        return          # not uvicorn: its own close timeout applies
    while transport.get_write_buffer_size() > 0 and loop.time() < deadline:
        await asyncio.sleep(0.05)
    transport.abort()


def caption_router(security: Any, hub: CaptionHub) -> Any:
    """`GET /captions` (the page) and `WS /v1/captions` (the feed), behind `security`'s checks.

    The page holds nothing secret and is served on Host/Origin checks alone, so an OBS source can open it
    with the key in the fragment (`/captions#key=KEY`, never sent over HTTP); the feed needs the key
    whenever the server has one (the page offers it as the subprotocol `voicedesk-key.KEY`).
    """
    from fastapi import APIRouter, Request, WebSocket
    from fastapi.responses import HTMLResponse

    api = APIRouter()
    html = page_html()

    @api.get("/captions", response_class=HTMLResponse, include_in_schema=False)
    async def captions_page(request: Request) -> HTMLResponse:
        await security.require_http_no_key(request)     # Host and Origin: raises ApiError 403
        return HTMLResponse(html, headers=PAGE_HEADERS)

    @api.websocket("/v1/captions")
    async def captions_feed(websocket: WebSocket) -> None:
        if not await security.accept_websocket(websocket):   # refused at the handshake: HTTP 401/403
            return
        await serve_client(websocket, hub)

    return api


def create_captions_app(config: Any, hub: CaptionHub) -> Any:
    """The server's app with no model: /health and the captions only (the desktop app's "Share captions")."""
    from voicedesk.server.app import create_app

    return create_app(config, None, captions=hub)
