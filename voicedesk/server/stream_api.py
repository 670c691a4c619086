"""WS /v1/stream: live audio in, the engine's events out, in the schema of `voicedesk transcribe --events`.

The protocol:

1. The client's first message is a JSON config (every key optional)::

       {"language": "en" | "auto", "translate_to": "en", "model": "whisper-1", "sample_rate": 16000,
        "levels": false, "options": {"beam_size": 5, "end_silence_s": 0.5, "translation_engine": "auto", ...}}

   A client that starts with audio straight away gets the defaults.
2. Then audio: binary frames of 16-bit little-endian mono PCM (16 kHz unless `sample_rate` says otherwise),
   or JSON `{"audio": "<base64 of the same PCM>"}` (`audio_data` too, as AssemblyAI's realtime API takes it).
3. Events come back as JSON text frames: model-ready first, then status, partial, final, translation, lag,
   error (level only with `"levels": true`). A malformed message gets a non-fatal error event; the stream goes on.
4. `{"type": "stop"}` (or AssemblyAI's `{"terminate_session": true}`) ends the audio: the utterance in
   progress is finished as a final, every event is delivered, the last is run-ended, then the server closes
   with 1000. A client that just disconnects stops its engine. A client that sends nothing for
   `--stream-idle-timeout` seconds (60 by default) is treated as if it had said stop, and closed with 4408.

Each stream runs its own `Engine` on the shared model, fed by a `SocketSource`. The event loop only moves
bytes: the engine's events reach it through a queue, and a client that reads too slowly is dropped
(close 1013) rather than slowing the engine; partial refreshes are skipped first.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import threading
from typing import Any, Optional

import numpy as np
from fastapi import APIRouter, WebSocket

from voicedesk.audio import SAMPLE_RATE
from voicedesk.audio.source import AudioSource
from voicedesk.engine.engine import Engine
from voicedesk.engine.events import (
    AudioLevel, EngineError, ErrorKind, Event, ModelReady, Partial, Progress, RunEnded, event_to_dict,
)
from voicedesk.server.config import DEFAULT_STREAM_IDLE_S
from voicedesk.server.errors import (
    CLOSE_IDLE_TIMEOUT, CLOSE_INTERNAL_ERROR, CLOSE_INVALID_PAYLOAD, CLOSE_NORMAL, CLOSE_POLICY_VIOLATION,
    CLOSE_TRY_AGAIN_LATER,
)
from voicedesk.server.languages import language_code
from voicedesk.server.limits import StreamSlots
from voicedesk.server.security import Security, close_reason
from voicedesk.server.shared_model import SharedModel, tunable_overrides

log = logging.getLogger(__name__)

FIRST_MESSAGE_TIMEOUT_S = 30.0
MAX_BUFFER_S = 30.0            # audio waiting for the engine (1.92 MB); beyond it the socket is read no further
MAX_READ_S = 0.1               # the most one read() hands the engine, as a microphone's blocks (the engine's
                               # speech queue counts blocks: ~2 min of audio at most, whatever the client sends)
SKIP_PARTIALS_AT = 200         # events waiting for a slow client: partial refreshes are skipped from here
MAX_EVENT_BACKLOG = 2000       # ... and the client is dropped from here
STOP_TYPES = {"stop", "terminate", "terminatesession", "terminate_session", "end", "eos"}
CONFIG_KEYS = {"language", "translate_to", "model", "sample_rate", "options", "levels", "type"}


class SocketSource(AudioSource):
    """An AudioSource fed from a WebSocket: the event loop `feed`s samples, the engine's capture thread reads them.

    realtime: the audio arrives at the pace it is spoken. `end()` says no more audio will come: reads then
    drain what is buffered and return an empty array, so the engine finishes the last utterance as a final.

    The audio waits in one contiguous float32 buffer, whatever the frames it came in (one numpy array per
    frame made a 2-byte frame cost ~60 times its size), and at most `capacity_s` of it: `feed` takes what
    fits and says how much. The per-stream bound is therefore 4 bytes a sample, MAX_BUFFER_S = 30 s:
    1.92 MB, plus bytearray's over-allocation (an eighth).
    """

    realtime = True

    def __init__(self, name: str = "websocket", capacity_s: float = MAX_BUFFER_S) -> None:
        self.name = name
        self.capacity = max(1, int(capacity_s * SAMPLE_RATE))      # samples
        self._buffer = bytearray()                                  # float32 samples, oldest first
        self._samples = 0
        self._cond = threading.Condition()
        self._ended = False
        self._stopped = False

    def start(self) -> None:
        pass

    def feed(self, samples: np.ndarray) -> int:
        """Buffer as many of `samples` as fit; the count taken (all of them once the source has ended or
        stopped: they are dropped, there is nothing to wait for)."""
        with self._cond:
            if self._ended or self._stopped:
                return len(samples)
            n = min(len(samples), self.capacity - self._samples)
            if n > 0:
                block = np.ascontiguousarray(samples[:n], dtype=np.float32)
                self._buffer += block.data.cast("B")
                self._samples += n
                self._cond.notify()
            return max(0, n)

    def end(self) -> None:
        with self._cond:
            self._ended = True
            self._cond.notify_all()

    @property
    def buffered_s(self) -> float:
        with self._cond:
            return self._samples / SAMPLE_RATE

    @property
    def buffered_bytes(self) -> int:
        with self._cond:
            return len(self._buffer)

    def read(self, timeout: float) -> Optional[np.ndarray]:
        with self._cond:
            if not self._samples and not (self._ended or self._stopped):
                self._cond.wait(timeout)
            if self._stopped:
                return np.zeros(0, np.float32)
            if not self._samples:
                return np.zeros(0, np.float32) if self._ended else None
            n = min(self._samples, int(MAX_READ_S * SAMPLE_RATE))
            out = np.frombuffer(self._buffer, np.float32, count=n).copy()   # the view ends here: resizable again
            del self._buffer[: 4 * n]          # from the front: CPython moves its start, copies nothing
            self._samples -= n
        return out

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._buffer = bytearray()
            self._samples = 0
            self._cond.notify_all()


class PcmDecoder:
    """16-bit little-endian PCM bytes -> 16 kHz float32, across frames that may split a sample in two."""

    def __init__(self, sample_rate: int) -> None:
        from voicedesk.audio.resample import StreamResampler

        self._carry = b""
        self._resampler = StreamResampler(sample_rate) if sample_rate != SAMPLE_RATE else None

    def __call__(self, data: bytes) -> np.ndarray:
        data = self._carry + data
        whole = len(data) - len(data) % 2
        self._carry = data[whole:]
        samples = np.frombuffer(data[:whole], dtype="<i2").astype(np.float32) / 32768.0
        if self._resampler is not None:
            samples = self._resampler.process(samples)
        return samples

    def flush(self) -> np.ndarray:
        return self._resampler.flush() if self._resampler is not None else np.zeros(0, np.float32)


class ConfigError(ValueError):
    pass


def parse_config(message: dict[str, Any], shared: SharedModel):
    """(EngineSettings, sample_rate, levels) from the client's config object; ConfigError with one line."""
    try:
        language = language_code(_opt_str(message, "language"))
        model = _opt_str(message, "model")
        if not shared.accepts(model):
            raise ConfigError(f"unknown model '{model}': this server has {', '.join(shared.model_ids())}")
        target = _opt_str(message, "translate_to")
        target = target.strip().lower() if target and target.strip().lower() not in ("", "none", "off") else None
        rate = message.get("sample_rate", SAMPLE_RATE)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 8000 <= rate <= 192000:
            raise ConfigError("sample_rate must be a number between 8000 and 192000")
        levels = message.get("levels", False)
        if not isinstance(levels, bool):
            raise ConfigError("levels must be true or false")
        overrides = tunable_overrides(message.get("options"))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    settings = shared.base_settings(language=language, translate_to=target, **overrides)
    problem = shared.translation_problem(settings)
    if problem:
        raise ConfigError(problem)
    return settings, int(rate), levels


def _opt_str(message: dict[str, Any], key: str) -> Optional[str]:
    value = message.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{key} must be a string")
    return value


def _error(message: str, fatal: bool = False) -> dict[str, Any]:
    return event_to_dict(EngineError(ErrorKind.INPUT, message, fatal=fatal))


class StreamSession:
    """One WebSocket stream: its config, its engine, and the two loops that move bytes each way."""

    def __init__(self, websocket, shared: SharedModel, idle_s: float = DEFAULT_STREAM_IDLE_S) -> None:
        self.ws = websocket
        self.shared = shared
        self.idle_s = idle_s              # nothing received this long: the stream ends (close 4408)
        self.idle = False
        self.loop = asyncio.get_running_loop()
        self.outbox: asyncio.Queue = asyncio.Queue()
        self.slow = asyncio.Event()
        self.levels = False
        self.gone = False                 # the client disconnected
        self.stopping = False             # the client asked to stop
        self.fatal: Optional[str] = None
        self.skipped_partials = 0
        self.engine: Optional[Engine] = None
        self.source: Optional[SocketSource] = None
        self.pcm: Optional[PcmDecoder] = None

    # --- engine → loop ----------------------------------------------------------------------------

    def sink(self, event: Event) -> None:
        """The engine's dispatcher thread: hand the event to the loop, never block."""
        try:
            self.loop.call_soon_threadsafe(self._offer, event)
        except RuntimeError:
            pass                          # the loop is gone (server stopped)

    def _offer(self, event: Event) -> None:
        if isinstance(event, Progress) or (isinstance(event, AudioLevel) and not self.levels):
            return
        if isinstance(event, EngineError) and event.fatal and self.fatal is None:
            self.fatal = event.message
        backlog = self.outbox.qsize()
        if backlog >= SKIP_PARTIALS_AT and isinstance(event, (Partial, AudioLevel)):
            self.skipped_partials += 1
            return
        if backlog >= MAX_EVENT_BACKLOG and not isinstance(event, RunEnded):
            if not self.slow.is_set():
                self.slow.set()
                if self.engine is not None:
                    self.engine.stop()
            return
        self.outbox.put_nowait(event_to_dict(event))

    # --- the stream ---------------------------------------------------------------------------------

    async def run(self) -> None:
        first = await self._first_message()
        if first is None:
            return
        config, audio = first
        try:
            settings, rate, self.levels = parse_config(config, self.shared)
        except ConfigError as exc:
            await self._send(_error(f"invalid stream config: {exc}", fatal=True))
            await self._close(CLOSE_INVALID_PAYLOAD, f"invalid config: {exc}")
            return
        self.pcm = PcmDecoder(rate)
        self.source = SocketSource()
        await self._send(event_to_dict(ModelReady(self.shared.info)))
        try:
            self.engine = self.shared.open_engine(settings, self.sink)
        except RuntimeError as exc:           # the server is shutting down
            await self._close(CLOSE_TRY_AGAIN_LATER, str(exc))
            return
        finished = False
        try:
            self.engine.start(self.source)
            if audio is not None:
                await self._handle(audio)
            receiver = asyncio.create_task(self._receive_loop())
            try:
                await self._send_loop()
            finally:
                receiver.cancel()
                await asyncio.gather(receiver, return_exceptions=True)
            finished = True
        finally:
            engine, self.engine = self.engine, None
            if finished:
                await asyncio.to_thread(self.shared.close_engine, engine)
            else:      # cancelled while the server stops: never block the loop, never leave the engine running
                self.source.stop()
                engine.stop()
                threading.Thread(target=self.shared.close_engine, args=(engine,), daemon=True).start()
        if self.gone:
            return
        if self.slow.is_set():
            await self._close(CLOSE_TRY_AGAIN_LATER, "events were read too slowly; stream dropped")
        elif self.fatal:
            await self._close(CLOSE_INTERNAL_ERROR, self.fatal)
        elif self.idle:
            await self._close(CLOSE_IDLE_TIMEOUT, f"nothing received for {self.idle_s:g} s: stream closed "
                                                  f"(send audio, silence included, or {{\"type\": \"stop\"}})")
        else:
            await self._close(CLOSE_NORMAL, "stopped")

    async def _first_message(self):
        """(config dict, first audio message or None); None when the stream is over before it began."""
        wait = min(FIRST_MESSAGE_TIMEOUT_S, self.idle_s)
        try:
            message = await asyncio.wait_for(self.ws.receive(), wait)
        except asyncio.TimeoutError:
            await self._close(CLOSE_POLICY_VIOLATION, f"no config or audio within {wait:g} s")
            return None
        if message["type"] == "websocket.disconnect":
            self.gone = True
            return None
        if message.get("bytes") is not None:
            return {}, message
        try:
            data = json.loads(message.get("text") or "")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            await self._send(_error("the first message must be a JSON config object (or audio)", fatal=True))
            await self._close(CLOSE_INVALID_PAYLOAD, "the first message must be a JSON config object")
            return None
        kind = str(data.get("type", "")).strip().lower()
        if kind in STOP_TYPES or data.get("terminate_session") is True:
            return {}, message            # stopped before it began: the defaults, and a clean end at once
        if ("audio" in data or "audio_data" in data) and not (CONFIG_KEYS - {"type"}) & set(data):
            return {}, message
        return data, None

    async def _receive_loop(self) -> None:
        try:
            while not self.stopping:
                try:
                    message = await asyncio.wait_for(self.ws.receive(), self.idle_s)
                except asyncio.TimeoutError:
                    # a stream holds one of --max-streams slots: a client that went quiet gives it back.
                    # What it said is still finished and delivered, then the socket closes with 4408.
                    log.info("stream idle for %g s: closing it", self.idle_s)
                    self.idle = True
                    self._stop()
                    break
                if message["type"] == "websocket.disconnect":
                    self.gone = True
                    break
                await self._handle(message)
        except Exception as exc:          # the socket broke
            log.debug("stream receive ended: %s", exc)
            self.gone = True
        if self.gone and self.engine is not None:
            self.engine.stop()

    async def _handle(self, message: dict[str, Any]) -> None:
        data = message.get("bytes")
        if data is None:
            text = message.get("text") or ""
            try:
                obj = json.loads(text)
            except ValueError:
                await self._send(_error("not JSON and not binary audio: message ignored"))
                return
            if not isinstance(obj, dict):
                await self._send(_error("expected a JSON object: message ignored"))
                return
            kind = str(obj.get("type", "")).strip().lower()
            if kind in STOP_TYPES or obj.get("terminate_session") is True:
                self._stop()
                return
            encoded = obj.get("audio", obj.get("audio_data"))
            if encoded is None:
                await self._send(_error(f"unknown message{' type ' + repr(kind) if kind else ''}: ignored "
                                        f"(send audio, or {{\"type\": \"stop\"}})"))
                return
            try:
                data = base64.b64decode(encoded, validate=True) if isinstance(encoded, str) else None
            except (binascii.Error, ValueError):
                data = None
            if data is None:
                await self._send(_error("audio must be base64 of 16-bit little-endian PCM: message ignored"))
                return
        pcm, source = self.pcm, self.source
        assert pcm is not None and source is not None, "run() sets both before it reads a message"
        samples = pcm(data)
        while True:
            samples = samples[source.feed(samples):]
            if not len(samples) or self.gone or self.engine is None:
                return
            await asyncio.sleep(0.05)     # the engine is behind: read the socket no further for now

    def _stop(self) -> None:
        if self.stopping:
            return
        self.stopping = True
        if self.pcm is not None and self.source is not None:
            self.source.feed(self.pcm.flush())
        if self.source is not None:
            self.source.end()             # the engine reads what is left, then finishes the last utterance

    async def _send_loop(self) -> None:
        while True:
            getter = asyncio.ensure_future(self.outbox.get())
            slow = asyncio.ensure_future(self.slow.wait())
            done, _ = await asyncio.wait({getter, slow}, return_when=asyncio.FIRST_COMPLETED)
            if slow in done:
                getter.cancel()
                return
            slow.cancel()
            event = getter.result()
            if not self.gone:
                await self._send(event)
            if event.get("type") == "run-ended":
                return

    async def _send(self, event: dict[str, Any]) -> None:
        if self.gone:
            return
        try:
            await self.ws.send_text(json.dumps(event, ensure_ascii=False))
        except Exception as exc:
            log.debug("stream send failed: %s", exc)
            self.gone = True
            if self.engine is not None:
                self.engine.stop()

    async def _close(self, code: int, reason: str) -> None:
        try:
            await self.ws.close(code=code, reason=close_reason(reason))
        except Exception:
            pass


def router(shared: SharedModel, security: Security, slots: StreamSlots) -> APIRouter:
    # FastAPI reads the route's annotation (WebSocket) from this module's globals: imported at the top
    api = APIRouter()

    @api.websocket("/v1/stream")
    async def stream(websocket: WebSocket):
        if not await security.accept_websocket(websocket):
            return
        if not slots.try_acquire():
            # 1013 Try Again Later: the WebSocket counterpart of 503
            await _refuse_busy(websocket, slots.capacity)
            return
        try:
            await StreamSession(websocket, shared, shared.config.stream_idle_s).run()
        finally:
            slots.release()

    return api


async def _refuse_busy(websocket, capacity: int) -> None:
    try:
        await websocket.send_text(json.dumps(_error(f"too many streams: all {capacity} are in use; try again later",
                                                    fatal=True)))
        await websocket.close(code=CLOSE_TRY_AGAIN_LATER,
                              reason=close_reason(f"too many streams ({capacity} in use); try again later"))
    except Exception:
        pass


