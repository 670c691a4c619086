"""A real browser for tests: Debian's `chromium`, headless, driven over the DevTools protocol.

`HeadlessChromium(url)` starts the browser on `url` with its own profile folder and a DevTools port
the browser picks (`--remote-debugging-port=0`, read back from `DevToolsActivePort`), and attaches to
the page's DevTools WebSocket with the `websockets` sync client. `evaluate(js)` runs an expression in
the page and returns its value; `screenshot(path)` saves a PNG. Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Optional

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def find_browser() -> Optional[str]:
    return next((path for path in map(shutil.which, BROWSERS) if path), None)


class HeadlessChromium:
    def __init__(self, url: str, window: tuple[int, int] = (1280, 320), start_timeout_s: float = 30.0) -> None:
        from websockets.sync.client import connect

        browser = find_browser()
        assert browser, "apt-get install chromium (tests/system_packages.sh; CONTRIBUTING.md 'Chromium')"
        self._profile = Path(tempfile.mkdtemp(prefix="voicedesk-chromium-"))
        self._log_path = self._profile.with_suffix(".log")
        self._log = open(self._log_path, "wb")     # a file, not a pipe: chromium logs a lot and must never block
        self.process = subprocess.Popen(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--disable-component-update",
             "--disable-dev-shm-usage", f"--user-data-dir={self._profile}", "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", f"--window-size={window[0]},{window[1]}", url],
            stdout=subprocess.DEVNULL, stderr=self._log)
        self._ids = itertools.count(1)
        self._stack = contextlib.ExitStack()
        try:
            port = self._devtools_port(start_timeout_s)
            target = self._page_target(port, url, start_timeout_s)
            self._ws = self._stack.enter_context(
                connect(target["webSocketDebuggerUrl"], max_size=None, open_timeout=start_timeout_s))
        except BaseException:
            self.close()
            raise

    def _devtools_port(self, timeout_s: float) -> int:
        marker = self._profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited ({self.process.returncode}): {self._stderr()}")
            if marker.is_file():
                lines = marker.read_text().split()
                if lines:
                    return int(lines[0])
            time.sleep(0.05)
        raise TimeoutError("chromium did not open its DevTools port")

    def _page_target(self, port: int, url: str, timeout_s: float) -> dict:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as reply:
                targets = json.load(reply)
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return next((t for t in pages if t.get("url", "").startswith(url.split("#")[0])), pages[0])
            time.sleep(0.1)
        raise TimeoutError("chromium shows no page")

    def _stderr(self) -> str:
        try:
            return self._log_path.read_bytes()[-2000:].decode(errors="replace")
        except OSError:
            return ""

    def call(self, method: str, params: Optional[dict] = None, timeout_s: float = 10.0) -> dict:
        """One DevTools command; its result (events arriving in between are skipped)."""
        ident = next(self._ids)
        self._ws.send(json.dumps({"id": ident, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"DevTools {method} did not answer")
            message = json.loads(self._ws.recv(timeout=left))
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"DevTools {method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout_s: float = 20.0, interval_s: float = 0.1) -> Any:
        """Poll `expression` until it is truthy (a page still loading counts as falsy); its value."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                value = self.evaluate(expression)
            except RuntimeError:
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"the page never made true: {expression}")
            time.sleep(interval_s)

    def screenshot(self, path: Path, transparent: bool = True) -> Path:
        if transparent:   # headless paints white under a transparent page unless told otherwise
            self.call("Emulation.setDefaultBackgroundColorOverride", {"color": {"r": 0, "g": 0, "b": 0, "a": 0}})
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            self._stack.close()
        except Exception:
            pass
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log.close()
        self._log_path.unlink(missing_ok=True)
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> "HeadlessChromium":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
