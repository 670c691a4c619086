"""The server's configuration as data: one frozen dataclass, built from `voicedesk serve` flags or by the app."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from typing import Optional

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_MAX_UPLOAD_MB = 25          # what OpenAI's audio API takes
DEFAULT_MAX_AUDIO_MINUTES = 60.0    # per upload: 25 MB of 64 kbit/s MP3 is ~55 min; a longer one is refused
DEFAULT_STREAM_IDLE_S = 60.0        # a live client sends audio all the time (silence too): a minute of nothing is stuck
DEFAULT_HEADER_TIMEOUT_S = 10.0     # a client has this long to send a request's head (slowloris)
DEFAULT_MAX_CONNECTIONS = 100       # open connections at once (HTTP and WebSocket); fewer if the file limit is low
API_KEY_ENV = "VOICEDESK_API_KEY"
LOOPBACK_NAMES = ("localhost",)


class ConfigError(ValueError):
    """A configuration the server refuses to run with; the message is one line for the user."""


def default_max_streams(cores: Optional[int] = None) -> int:
    """Live streams that fit this machine: one per core (measured: 2 cores held 4 base or 8 tiny.en streams)."""
    cores = cores if cores is not None else (os.cpu_count() or 1)
    return max(1, cores)


def is_loopback(host: str) -> bool:
    """True for addresses only this computer can reach: 127.0.0.0/8, ::1 and `localhost`."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """True for the addresses that mean "every interface" (0.0.0.0, ::)."""
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_unspecified
    except ValueError:
        return False


@dataclass(frozen=True)
class ServerConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT                   # 0: any free port (tests, the app's caption sharing)
    model: str = "base"                        # a catalogue name or a CTranslate2 model folder
    device: str = "auto"                       # auto | cpu | cuda
    compute_type: str = "default"
    cpu_threads: int = 0                       # CTranslate2 threads for the shared model (0: automatic)
    api_key: Optional[str] = None              # required to bind anything but loopback; checked whenever set
    max_streams: int = field(default_factory=default_max_streams)   # concurrent WebSocket streams (and REST decodes)
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB
    allowed_origins: tuple[str, ...] = ()      # browser origins besides the server's own that may open WebSockets
    access_log: bool = False                   # log every request (off: requests are nobody's business)
    max_audio_minutes: float = DEFAULT_MAX_AUDIO_MINUTES   # per upload: by its header before decoding, and while decoding
    stream_idle_s: float = DEFAULT_STREAM_IDLE_S           # a live stream that sends nothing this long is closed (4408)
    header_timeout_s: float = DEFAULT_HEADER_TIMEOUT_S
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    speaker_model: str = ""                    # for speaker labels (diarized_json); "": the installed one

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def max_audio_s(self) -> float:
        return self.max_audio_minutes * 60.0

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def validate(self) -> "ServerConfig":
        """Raise ConfigError for a configuration that must not run (the message says what to do); else self."""
        if not self.host.strip():
            raise ConfigError("--host is empty")
        if not self.loopback and not self.api_key:
            raise ConfigError(f"refusing to listen on {self.host} without an API key (--api-key-file, "
                              f"${API_KEY_ENV} or --api-key): any computer that reaches it could use it "
                              f"(without --host the server listens on {DEFAULT_HOST} only)")
        if self.api_key is not None and (not self.api_key.strip() or any(c.isspace() for c in self.api_key)):
            raise ConfigError("the API key must be non-empty and contain no spaces")
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"--port must be between 0 and 65535, got {self.port}")
        if self.max_streams < 1:
            raise ConfigError(f"--max-streams must be at least 1, got {self.max_streams}")
        if self.max_upload_mb <= 0:
            raise ConfigError(f"--max-upload-mb must be positive, got {self.max_upload_mb:g}")
        for origin in self.allowed_origins:
            if origin != "*" and origin != "null" and "://" not in origin:
                raise ConfigError(f"--allow-origin takes an origin such as https://example.org, got '{origin}'")
            if origin in ("*", "null") and not self.api_key:
                # '*' is every web page; 'null' is any sandboxed frame or local file, which any page can make
                raise ConfigError(f"--allow-origin '{origin}' would let any web page use this server; name the "
                                  f"pages' origins (https://example.org), or also set an API key")
        for name, value in (("--max-audio-minutes", self.max_audio_minutes),
                            ("--stream-idle-timeout", self.stream_idle_s), ("header_timeout_s", self.header_timeout_s)):
            if not value > 0:
                raise ConfigError(f"{name} must be positive, got {value:g}")
        if self.max_connections < 1:
            raise ConfigError(f"max_connections must be at least 1, got {self.max_connections}")
        return self
