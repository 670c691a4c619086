"""One Whisper model for the whole server, loaded once, shared by every request and stream.

Each REST request and each WebSocket stream runs its own `voicedesk.engine.engine.Engine` with this
model injected as its decoder: the engine code is the app's and the CLI's, nothing is reimplemented.
`WhisperAsr` may be shared across threads (its encoder-window setting is thread-local; CTranslate2
queues concurrent decodes). OpenAI's model names (`whisper-1`, `gpt-4o-transcribe`, ...) map to it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Optional

from voicedesk.engine.asr import Decoder, WhisperAsr
from voicedesk.engine.events import EventSink
from voicedesk.engine.engine import Engine
from voicedesk.engine.settings import EngineSettings, UserSetting, offered_on
from voicedesk.server.config import ServerConfig
from voicedesk.setting import Surface, check_value

log = logging.getLogger(__name__)

# The names OpenAI clients send; each means "the model this server has".
OPENAI_MODEL_NAMES = (
    "whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "gpt-4o-mini-transcribe-2025-12-15",
    "gpt-transcribe", "gpt-4o-transcribe-diarize",
)
ENGINE_CLOSE_TIMEOUT_S = 30.0
# What a request or stream may change of the engine's settings (the model and its device are the server's),
# with the range each takes from its definition (engine/settings.py): a client must not make one stream cost the
# whole machine. The translation engine is a choice, checked by its own parser.
TUNABLE: dict[str, UserSetting] = offered_on(Surface.SERVER)


class SharedModel:
    """The loaded model, the engines running on it, and the names it answers to."""

    def __init__(self, config: ServerConfig, decoder: Optional[Decoder] = None) -> None:
        self.config = config
        self._decoder = decoder
        self._lock = threading.Lock()
        self._engines: set[Engine] = set()
        self._closing = False

    # --- the model ---------------------------------------------------------------------------

    def load(self) -> None:
        """Load the model (blocking; raises voicedesk.models.resolve.ModelError with a one-line message)."""
        if self._decoder is not None:
            return
        asr = WhisperAsr(self.base_settings())
        asr.load()
        self._decoder = asr

    @property
    def loaded(self) -> bool:
        return self._decoder is not None

    @property
    def decoder(self) -> Decoder:
        if self._decoder is None:
            raise RuntimeError("SharedModel.load() first")
        return self._decoder

    @property
    def name(self) -> str:
        """The model's own id: a catalogue name as given, or a model folder's name ("tiny.en")."""
        spec = self.config.model
        path = Path(spec).expanduser()
        if path.is_absolute() or spec.startswith(".") or "/" in spec or "\\" in spec:
            return path.resolve().name or spec
        return spec

    @property
    def info(self) -> str:
        """"tiny.en (cpu, int8)": what the model is and where it runs."""
        asr = self._decoder
        if isinstance(asr, WhisperAsr) and asr.model is not None:
            return f"{self.name} ({asr.device}, {asr.compute_type})"
        return self.name

    @property
    def multilingual(self) -> bool:
        return self._decoder is None or bool(self._decoder.multilingual)   # not loaded yet: assume it is

    def model_ids(self) -> list[str]:
        return [self.name] + [n for n in OPENAI_MODEL_NAMES if n != self.name]

    def accepts(self, requested: Optional[str]) -> bool:
        """Whether a request naming `requested` gets this model: its own name, OpenAI's names, or none given."""
        if requested is None or not requested.strip():
            return True
        name = requested.strip()
        return name in self.model_ids() or name.lower() in ("default", "voicedesk")

    def translation_problem(self, settings: EngineSettings) -> Optional[str]:
        """A one-line reason why `settings.translation.target` cannot work with this model and the installed packs."""
        from voicedesk.engine.translation.plan import translation_problem
        from voicedesk.engine.translation.routes import installed_pairs

        return translation_problem(settings.translation.target, settings.language, settings.translation.engine,
                                   multilingual=self.multilingual, model_name=self.name, load_pairs=installed_pairs)

    # --- engines -----------------------------------------------------------------------------

    def base_settings(self, **overrides: Any) -> EngineSettings:
        """Engine settings with the server's model and device, and `overrides` (already checked)."""
        c = self.config
        settings = EngineSettings(model=c.model, device=c.device, compute_type=c.compute_type, cpu_threads=c.cpu_threads)
        return settings.with_values(speaker_model=c.speaker_model).with_values(**overrides)

    def open_engine(self, settings: EngineSettings, sink: EventSink, decoder: Optional[Decoder] = None) -> Engine:
        """A new engine on the shared model (or `decoder`, a wrapper of it); `close_engine` it when done."""
        with self._lock:
            if self._closing:
                raise RuntimeError("the server is shutting down")
            engine = Engine(settings, sink, decoder=decoder or self.decoder)
            self._engines.add(engine)
        return engine

    def close_engine(self, engine: Engine) -> None:
        """Stop the engine's run if one goes on, wait for it, and release its threads (idempotent)."""
        with self._lock:
            if engine not in self._engines:
                return
            self._engines.discard(engine)
        try:
            engine.close()
        except Exception as exc:  # closing must never raise into a route
            log.warning("closing an engine failed: %s", exc)

    @property
    def active_engines(self) -> int:
        with self._lock:
            return len(self._engines)

    def close_all(self, timeout: float = ENGINE_CLOSE_TIMEOUT_S) -> None:
        """At shutdown: stop every engine and wait (bounded). An interpreter that exits while CTranslate2
        decodes on a daemon thread aborts, so the server never leaves before its engines are done."""
        with self._lock:
            self._closing = True
            engines = list(self._engines)
        for engine in engines:
            engine.stop()
        for engine in engines:
            if not engine.wait(timeout):
                log.warning("an engine did not stop within %.0f s", timeout)
        for engine in engines:
            self.close_engine(engine)
        with self._lock:
            self._closing = False         # a server started again on this model may open engines again


def tunable_overrides(options: Any) -> dict[str, Any]:
    """Validated engine setting overrides from a client's `options` object; raises ValueError (one line).

    Unknown keys are ignored (other servers' options, newer clients)."""
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise ValueError("options must be a JSON object")
    out: dict[str, Any] = {}
    for key, value in options.items():
        if key == "translation_engine":
            from voicedesk.engine.translation.plan import parse_choice

            out[key] = parse_choice(check_value(f"options.{key}", str, None, value)).value
        elif key in TUNABLE:
            out[key] = TUNABLE[key].check(value, f"options.{key}")
    return out
