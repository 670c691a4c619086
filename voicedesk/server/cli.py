"""`voicedesk serve`: the local speech server (OpenAI-compatible REST, live WebSocket streams)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Mapping, Optional

from voicedesk.server.config import (
    API_KEY_ENV, DEFAULT_HOST, DEFAULT_MAX_AUDIO_MINUTES, DEFAULT_MAX_UPLOAD_MB, DEFAULT_PORT, DEFAULT_STREAM_IDLE_S,
    ConfigError, ServerConfig, default_max_streams,
)


def add_subcommand(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "serve", help="serve speech recognition to other programs (OpenAI-compatible REST, live WebSocket)",
        description="Serve the live engine on one shared model: POST /v1/audio/transcriptions and "
                    "/v1/audio/translations (OpenAI's audio API: point an OpenAI client's base URL at "
                    "http://HOST:PORT/v1), WS /v1/stream (live PCM in, engine events out), GET /v1/models, "
                    "GET /health. Listens on 127.0.0.1 only unless --host says otherwise; any other "
                    "address needs --api-key.")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default {DEFAULT_HOST}: this computer only); anything else needs --api-key")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT}; 0: any free port)")
    p.add_argument("--model", default="base",
                   help="Whisper model: a size name (tiny, base, small, ..., *.en) or a local CTranslate2 model folder "
                        "(default: base). OpenAI names such as whisper-1 map to it")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--compute-type", default="default", help="CTranslate2 compute type (default: int8 on CPU, float16 on CUDA)")
    p.add_argument("--threads", type=int, default=0, help="CPU threads for Whisper (0: automatic)")
    keys = p.add_mutually_exclusive_group()
    keys.add_argument("--api-key-file", metavar="FILE",
                      help="require the key in FILE's first line (Authorization: Bearer KEY, ?key=KEY, or the WebSocket "
                           "subprotocol voicedesk-key.KEY); a key is required to listen on anything but loopback. "
                           f"Or set {API_KEY_ENV}")
    keys.add_argument("--api-key", metavar="KEY",
                      help="the key itself; other users of this computer can read it in the process list: "
                           f"prefer --api-key-file or {API_KEY_ENV}")
    p.add_argument("--max-streams", type=int, default=default_max_streams(), metavar="N",
                   help=f"live streams at once, and uploads decoded at once (default here: {default_max_streams()}, "
                        "one per two cores)")
    p.add_argument("--max-upload-mb", type=float, default=DEFAULT_MAX_UPLOAD_MB, metavar="N",
                   help=f"largest upload in MB (default {DEFAULT_MAX_UPLOAD_MB:g})")
    p.add_argument("--max-audio-minutes", type=float, default=DEFAULT_MAX_AUDIO_MINUTES, metavar="N",
                   help=f"longest upload in minutes of audio, by its header and while decoding "
                        f"(default {DEFAULT_MAX_AUDIO_MINUTES:g})")
    p.add_argument("--stream-idle-timeout", type=float, default=DEFAULT_STREAM_IDLE_S, metavar="SECONDS",
                   help=f"close a live stream that sends nothing for this long, with code 4408 "
                        f"(default {DEFAULT_STREAM_IDLE_S:g})")
    p.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                   help="let web pages from ORIGIN (e.g. https://example.org) use the WebSockets and the API; repeatable")
    p.add_argument("--access-log", action="store_true", help="log every request on stderr")
    p.add_argument("--speaker-model", metavar="FILE", default="",
                   help="the speaker model for response_format=diarized_json (default: the installed one, "
                        "voicedesk models download-speaker or add-speaker FILE)")
    p.add_argument("--verbose", "-v", action="store_true", help="log details on stderr")
    return p


class OneLineFormatter(logging.Formatter):
    """Log records as single lines: no tracebacks on the terminal (they are for --verbose)."""

    def __init__(self, verbose: bool) -> None:
        super().__init__("voicedesk: %(levelname)s %(name)s: %(message)s")
        self.verbose = verbose

    def format(self, record: logging.LogRecord) -> str:
        if self.verbose:
            return super().format(record)
        record = logging.makeLogRecord(record.__dict__)
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None and str(record.exc_info[1]) not in message:
            message = f"{message}: {record.exc_info[1]}"
        record.msg, record.args, record.exc_info, record.exc_text, record.stack_info = (
            " ".join(message.split()), None, None, None, None)
        return super().format(record)


def api_key_from(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> Optional[str]:
    """The key from --api-key, --api-key-file or $VOICEDESK_API_KEY (in that order); ConfigError with one line."""
    if args.api_key is not None:
        return args.api_key
    if args.api_key_file is not None:
        path = Path(args.api_key_file).expanduser()
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read --api-key-file {path}: {getattr(exc, 'strerror', None) or exc}") from None
        key = lines[0].strip() if lines else ""
        if not key:
            raise ConfigError(f"--api-key-file {path} is empty: write the key on its first line")
        return key
    return environ.get(API_KEY_ENV, "").strip() or None


def config_from(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> ServerConfig:
    return ServerConfig(
        host=args.host, port=args.port, model=args.model, device=args.device, compute_type=args.compute_type,
        cpu_threads=args.threads, api_key=api_key_from(args, environ), max_streams=args.max_streams,
        max_upload_mb=args.max_upload_mb, allowed_origins=tuple(args.allow_origin), access_log=args.access_log,
        max_audio_minutes=args.max_audio_minutes, stream_idle_s=args.stream_idle_timeout,
        speaker_model=args.speaker_model,
    )


def run(args: argparse.Namespace) -> int:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter(args.verbose))
    level = logging.DEBUG if args.verbose else logging.WARNING
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if args.access_log:
        logging.getLogger("uvicorn.access").setLevel(logging.INFO)
    from voicedesk.server.runner import serve_forever

    try:
        config = config_from(args)
    except ConfigError as exc:
        print(f"voicedesk: error: {exc}", file=sys.stderr, flush=True)
        return 2
    try:
        return serve_forever(config)
    except KeyboardInterrupt:
        print("voicedesk: interrupted", file=sys.stderr, flush=True)
        return 130
