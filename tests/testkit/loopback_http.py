"""Real HTTP servers on 127.0.0.1 that stand in for the model hub and the Argos package index.

They run `http.server` in a daemon thread, bind to loopback only, and stop by themselves after
`lifetime_s` even if a test forgets to. Behaviour switches (cut a transfer halfway, trickle bytes
slowly, corrupt a file, answer 503) let tests drive the failure paths of the real download code.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import unquote, urlsplit

FAKE_COMMIT = "0123456789abcdef0123456789abcdef01234567"


@dataclass
class Behaviour:
    """Switches a test flips to make the server misbehave."""

    cut_after: dict[str, int] = field(default_factory=dict)   # file name -> bytes sent before the connection drops
    cut_once: bool = True              # after one cut, serve that file normally (so a resume can finish)
    fail_after_cut: bool = False       # after a cut, answer 503 to everything (the server "went away")
    trickle_bytes: int = 0             # when > 0: send the body in pieces of this size ...
    trickle_delay_s: float = 0.0       # ... with this pause between them
    corrupt: set[str] = field(default_factory=set)           # file names whose bytes are altered (same size)
    failed: bool = False


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    range: Optional[str]


class LoopbackServer:
    """A ThreadingHTTPServer on 127.0.0.1:<free port> running `handler_factory`'s routes."""

    def __init__(self, route: Callable[["_Handler", str], None], lifetime_s: float = 120.0) -> None:
        self.requests: list[Request] = []
        self.behaviour = Behaviour()
        self._route = route
        server = self

        class Handler(_Handler):
            owner = server

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._timer = threading.Timer(lifetime_s, self.stop)
        self._timer.daemon = True
        self._stopped = False

    def __enter__(self) -> "LoopbackServer":
        self._thread.start()
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._timer.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    owner: LoopbackServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def _handle(self, method: str) -> None:
        owner = self.owner
        owner.requests.append(Request(method, self.path, self.headers.get("Range")))
        if owner.behaviour.failed:
            self.send_json({"error": "service unavailable"}, status=503, method=method)
            return
        owner._route(self, method)

    # -- answers --------------------------------------------------------------------------------
    def send_json(self, data, status: int = 200, method: str = "GET", headers: Optional[dict] = None) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)

    def send_not_found(self, method: str) -> None:
        self.send_json({"error": "not found"}, status=404, method=method, headers={"X-Error-Code": "EntryNotFound"})

    def send_file(self, name: str, data: bytes, method: str, headers: dict[str, str]) -> None:
        """Send `data` honouring Range, and the behaviour switches (cut, trickle, corrupt)."""
        b = self.owner.behaviour
        if name in b.corrupt:
            data = bytes(x ^ 0x5A for x in data[:64]) + data[64:]
        start = 0
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes=") and method == "GET":
            start = int(rng[6:].split("-")[0] or 0)
        status = 206 if start else 200
        self.send_response(status)
        self.send_header("Content-Length", str(len(data) - start))
        self.send_header("Accept-Ranges", "bytes")
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if method == "HEAD":
            return
        body = memoryview(data)[start:]
        cut = b.cut_after.get(name)
        if cut is not None and start < cut:
            self.wfile.write(body[: cut - start])
            self.wfile.flush()
            if b.cut_once:
                b.cut_after.pop(name, None)
            if b.fail_after_cut:
                b.failed = True
            self.close_connection = True
            self.connection.shutdown(2)      # the "network" drops mid-transfer
            return
        piece = b.trickle_bytes or len(body) or 1
        try:
            for offset in range(0, len(body), piece):
                self.wfile.write(body[offset: offset + piece])
                if b.trickle_bytes:
                    self.wfile.flush()
                    time.sleep(b.trickle_delay_s)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True     # the client gave up (Cancel): fine


def _git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class FakeHub(LoopbackServer):
    """The Hugging Face hub routes `snapshot_download` uses, serving model folders as repositories.

    - GET /api/models/{repo}/revision/{rev}      repo info with the commit sha
    - GET /api/models/{repo}/tree/{commit}        the file list (size, git oid, LFS sha256)
    - HEAD/GET /{repo}/resolve/{rev}/{file}      the file, with X-Repo-Commit, ETag and size headers
    Files of 1 MB and more are served as LFS files (ETag = SHA-256), like the real hub.
    """

    def __init__(self, repos: dict[str, Path], lifetime_s: float = 120.0) -> None:
        self.repos = {repo: self._load(folder) for repo, folder in repos.items()}
        super().__init__(self._route_hub, lifetime_s)

    @staticmethod
    def _load(folder: Path) -> dict[str, dict]:
        files = {}
        for path in sorted(Path(folder).iterdir()):
            if not path.is_file() or path.name.startswith("."):
                continue
            data = path.read_bytes()
            entry = {"data": data, "size": len(data), "oid": _git_blob_sha1(data)}
            if len(data) >= 1_000_000:
                entry["sha256"] = hashlib.sha256(data).hexdigest()
            files[path.name] = entry
        return files

    def _route_hub(self, handler: _Handler, method: str) -> None:
        path = unquote(urlsplit(handler.path).path)
        for repo, files in self.repos.items():
            api = f"/api/models/{repo}/"
            if path.startswith(api + "revision/"):
                siblings = [{"rfilename": name} for name in files]
                handler.send_json({"id": repo, "modelId": repo, "sha": FAKE_COMMIT, "siblings": siblings,
                                   "private": False}, method=method)
                return
            if path.startswith(api + "tree/"):
                tree = []
                for name, f in files.items():
                    item = {"type": "file", "path": name, "size": f["size"], "oid": f["oid"]}
                    if "sha256" in f:
                        item["lfs"] = {"oid": f["sha256"], "size": f["size"], "pointerSize": 134}
                    tree.append(item)
                handler.send_json(tree, method=method)
                return
            prefix = f"/{repo}/resolve/"
            if path.startswith(prefix):
                _, name = path[len(prefix):].split("/", 1)
                f = files.get(name)
                if f is None:
                    handler.send_not_found(method)
                    return
                etag = f.get("sha256") or f["oid"]
                handler.send_file(name, f["data"], method, {"X-Repo-Commit": FAKE_COMMIT, "ETag": f'"{etag}"'})
                return
        handler.send_not_found(method)


class FakeArgosIndex(LoopbackServer):
    """An Argos package index (`/index.json`) and the `.argosmodel` files it links to (`/packages/NAME`)."""

    def __init__(self, packages: dict[str, Path], index_entries: Callable[[str], list[dict]], lifetime_s: float = 120.0):
        self.packages = {name: Path(path).read_bytes() for name, path in packages.items()}
        self._entries = index_entries
        super().__init__(self._route_index, lifetime_s)

    def _route_index(self, handler: _Handler, method: str) -> None:
        path = unquote(urlsplit(handler.path).path)
        if path == "/index.json":
            handler.send_json(self._entries(self.url), method=method)
            return
        if path.startswith("/packages/"):
            name = path[len("/packages/"):]
            if name in self.packages:
                handler.send_file(name, self.packages[name], method, {"Content-Type": "application/zip"})
                return
        handler.send_not_found(method)
