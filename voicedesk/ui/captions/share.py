"""View > Share captions: the caption server inside the app, and the status-bar strip that says so.

`CaptionSharing` runs the server's caption app (`voicedesk.server.captions`: the page for OBS or a
browser and its WebSocket feed, no model) on 127.0.0.1 on a background thread, and publishes the
session's events into its hub. Starting (imports, binding, uvicorn coming up) and stopping (closing the
readers' connections) happen off the GUI thread; `publish` never blocks (the hub drops a reader that
falls behind). The port is remembered, so an OBS source keeps working from one launch to the next; when
it is taken, any free port is used and the strip shows the new address.

`SharingIndicator` is the status-bar strip shown while sharing is on: "Sharing captions at URL", Copy
and Stop. Sharing binds loopback only, so only programs on this computer can read the captions.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any, Mapping, Optional

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from voicedesk.ui.i18n import shown
from voicedesk.ui.off_thread import OffThread
from voicedesk.ui.stored_keys import SHARE_PORT

if TYPE_CHECKING:   # the server is imported when sharing starts: FastAPI and uvicorn load slowly
    from voicedesk.server.captions import CaptionHub
    from voicedesk.server.runner import ServerThread

log = logging.getLogger(__name__)

DEFAULT_PORT = 8766          # beside `voicedesk serve`'s 8765, so both can run at once
HOST = "127.0.0.1"           # loopback only: no key is needed, and nothing outside this computer can connect


class CaptionSharing(QObject):
    """Starts and stops the caption server; `publish(event)` from the GUI thread (or any)."""

    started = Signal(str)     # the page's address
    stopped = Signal()
    failed = Signal(str)      # one line for the user

    def __init__(self, settings: QSettings, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.hub: Optional[CaptionHub] = None          # while sharing
        self._server: Optional[ServerThread] = None
        self._starting = False
        self._wanted = False          # stop() while starting: the server that comes up goes at once
        self._stopping: Optional[threading.Thread] = None
        self._off_thread = OffThread(self)
        self.page_url = ""
        self.speaker_names: dict[int, str] = {}        # the session's, for every hub this starts

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def busy(self) -> bool:
        return self._starting

    def start(self) -> None:
        if self._server is not None or self._starting:
            return
        self._starting = True
        self._wanted = True
        port = _int(self.settings.value(SHARE_PORT), DEFAULT_PORT)
        previous = self._stopping

        def start() -> tuple[Any, Any]:
            if previous is not None:
                previous.join(30)      # the last server lets go of the port first
            return _start_server(port)

        self._off_thread.call(start, self._on_started)

    def _on_started(self, result: Any) -> None:
        self._starting = False
        if isinstance(result, Exception):
            log.warning("caption sharing did not start: %s", result)
            self.failed.emit(shown(result) or type(result).__name__)
            return
        self.hub, self._server = result
        if not self._wanted:
            self.stop()
            return
        if self.speaker_names:
            self.hub.set_speaker_names(self.speaker_names)
        self.settings.setValue(SHARE_PORT, self._server.port)
        self.page_url = f"{self._server.url}/captions"
        log.info("sharing captions at %s", self.page_url)
        self.started.emit(self.page_url)

    def publish(self, event: Any) -> None:
        hub = self.hub
        if hub is not None:
            hub.publish(event)

    def clear(self) -> None:
        if self.hub is not None:
            self.hub.clear()

    def set_speaker_names(self, names: Mapping[int, str]) -> None:
        """The session's names for speaker numbers: the shared page relabels its lines."""
        self.speaker_names = dict(names)
        hub = self.hub
        if hub is not None:
            hub.set_speaker_names(self.speaker_names)

    def stop(self, wait: bool = False) -> None:
        """Stop sharing: readers are closed, the port is freed (on a background thread unless `wait`)."""
        self._wanted = False
        if wait and self._stopping is not None:
            self._stopping.join(30)
        server, hub = self._server, self.hub
        self._server = self.hub = None
        self.page_url = ""
        if server is None:
            return

        def finish() -> None:
            try:
                if hub is not None:
                    hub.close_all("sharing was turned off")
                server.stop()
            except Exception:
                log.exception("stopping the caption server failed")

        if wait:
            finish()
        else:
            self._stopping = threading.Thread(target=finish, name="voicedesk-share-stop", daemon=True)
            self._stopping.start()
        self.stopped.emit()


def _start_server(port: int) -> tuple[Any, Any]:
    """Off the GUI thread: import the server, bind (the remembered port, else any free one), start."""
    from voicedesk.server.captions import CaptionHub, create_captions_app
    from voicedesk.server.config import ServerConfig
    from voicedesk.server.runner import ServerError, ServerThread

    hub = CaptionHub(show=shown)      # "Speaker 2" in the UI's language
    for candidate in dict.fromkeys((port, 0)):
        config = ServerConfig(host=HOST, port=candidate)
        server = ServerThread(config, create_captions_app(config, hub))
        try:
            return hub, server.start()
        except ServerError as exc:
            if candidate == 0:
                raise
            log.info("port %d is taken (%s); using another", candidate, exc)
    raise AssertionError("unreachable")


class SharingIndicator(QWidget):
    """The status-bar strip: where the captions are shared, Copy, Stop."""

    stop_requested = Signal()

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.url = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setOpenExternalLinks(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.copy_button = QToolButton()
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the caption page's address (for an OBS Browser Source)"))
        self.copy_button.clicked.connect(self.copy)
        self.stop_button = QToolButton()
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop sharing captions"))
        self.stop_button.clicked.connect(self.stop_requested)
        layout.addWidget(self.label)
        layout.addWidget(self.copy_button)
        layout.addWidget(self.stop_button)
        self.hide()

    def show_url(self, url: str) -> None:
        self.url = url
        self.label.setText("\u25cf " + self.tr("Sharing captions at {url}").format(url=f'<a href="{url}">{url}</a>'))
        self.label.setToolTip(self.tr("Programs on this computer (OBS, a browser) can show the live captions from "
                                      "this address; nothing outside this computer can connect"))
        self.setAccessibleName(self.tr("Sharing captions at {url}").format(url=url))
        self.show()

    def copy(self) -> None:
        if self.url:
            QGuiApplication.clipboard().setText(self.url)

    def clear(self) -> None:
        self.url = ""
        self.label.clear()
        self.hide()


def _int(value: Any, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 0 < number < 65536 else default
