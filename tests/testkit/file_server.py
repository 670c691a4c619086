"""A real HTTP server on 127.0.0.1 serving plain files at `/<name>`, as a release-asset host does (GitHub's
releases for the speaker model), with the misbehaviour switches of `loopback_http.Behaviour`."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from testkit.loopback_http import LoopbackServer, _Handler


class FileServer(LoopbackServer):
    """`FileServer({"model.onnx": data})` serves `data` at `<url>/model.onnx`; any other path answers 404."""

    def __init__(self, files: dict[str, bytes], lifetime_s: float = 120.0) -> None:
        self.files = dict(files)
        super().__init__(self._route_files, lifetime_s)

    def url_of(self, name: str) -> str:
        return f"{self.url}/{name}"

    def _route_files(self, handler: _Handler, method: str) -> None:
        name = unquote(urlsplit(handler.path).path).lstrip("/")
        if name in self.files:
            handler.send_file(name, self.files[name], method, {"Content-Type": "application/octet-stream"})
            return
        handler.send_not_found(method)
