"""The server's configuration as data: one frozen dataclass, built from `voicedesk serve` flags or by the app."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from typing import Optional

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_MAX_UPLOAD_MB = 25          # what OpenAI's audio API takes
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

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def validate(self) -> "ServerConfig":
        """Raise ConfigError for a configuration that must not run (the message says what to do); else self."""
        if not self.host.strip():
            raise ConfigError("--host is empty")
        if not self.loopback and not self.api_key:
            raise ConfigError(f"refusing to listen on {self.host} without --api-key: any computer that reaches it "
                              f"could use it (without --host the server listens on {DEFAULT_HOST} only)")
        if self.api_key is not None and (not self.api_key.strip() or any(c.isspace() for c in self.api_key)):
            raise ConfigError("--api-key must be non-empty and contain no spaces")
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"--port must be between 0 and 65535, got {self.port}")
        if self.max_streams < 1:
            raise ConfigError(f"--max-streams must be at least 1, got {self.max_streams}")
        if self.max_upload_mb <= 0:
            raise ConfigError(f"--max-upload-mb must be positive, got {self.max_upload_mb:g}")
        for origin in self.allowed_origins:
            if origin != "*" and origin != "null" and "://" not in origin:
                raise ConfigError(f"--allow-origin takes an origin such as https://example.org, got '{origin}'")
        return self
