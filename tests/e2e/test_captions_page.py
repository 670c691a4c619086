"""The caption page in a real browser while a real session runs, and the feed's guards.

A real uvicorn on 127.0.0.1 serves the caption app (no model: what View > Share captions runs); a real
Engine replays jfk_en.flac at speaking pace with tiny.en and publishes into the hub; headless Chromium
opens /captions and the test reads the page's DOM over the DevTools protocol as the words arrive.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import threading
import time

import pytest

from testkit.headless_browser import HeadlessChromium
from voicedesk.audio.file_source import FileSource
from voicedesk.engine.events import FinalSegment, Partial, Settled, SpeakerLabels
from voicedesk.engine.engine import Engine
from voicedesk.engine.settings import EngineSettings
from voicedesk.server.captions import CaptionHub, create_captions_app
from voicedesk.server.config import ServerConfig
from voicedesk.server.runner import ServerThread

LINES_JS = """JSON.stringify({
  state: document.body.dataset.state,
  background: getComputedStyle(document.body).backgroundColor,
  fontSize: getComputedStyle(document.body).fontSize,
  lines: [...document.querySelectorAll('#captions .line')].map(l => ({
    sentence: l.dataset.sentence, text: l.querySelector('.source').innerText,
    pending: l.querySelector('.pending').innerText}))
})"""


@pytest.fixture
def caption_server():
    hub = CaptionHub()
    config = ServerConfig(host="127.0.0.1", port=0)
    server = ServerThread(config, create_captions_app(config, hub)).start()
    try:
        yield hub, server
    finally:
        server.stop()


def test_spoken_words_appear_on_the_caption_page_as_they_are_said(caption_server, tiny_en_model, speech, tmp_path):
    hub, server = caption_server
    url = f"{server.url}/captions?show=source&lines=3&size=36&color=%23ffffff"
    with HeadlessChromium(url) as browser:
        browser.wait_for("document.body && document.body.dataset.state === 'connected'")   # to /v1/captions
        assert hub.client_count == 1

        events: list = []

        def sink(event) -> None:
            events.append(event)
            hub.publish(event)

        engine = Engine(EngineSettings(model=tiny_en_model, cpu_threads=2, language="en"), sink)
        engine.load_model_blocking()
        engine.start(FileSource(speech["jfk_en"].path, paced=True))
        seen: list[dict] = []
        try:
            deadline = time.monotonic() + 45
            while time.monotonic() < deadline:
                page = json.loads(browser.evaluate(LINES_JS))
                seen.append(page)
                # done once the run has ended and the page shows its last settled sentences: those reach the page
                # through the hub and the socket a moment after the engine's run ends (later on a busy machine)
                finished = not engine.running
                settled_now = [e.text.strip().lower() for e in list(events) if isinstance(e, Settled)][-3:]
                shown_now = [line["text"].lower() for line in page["lines"]]
                if finished and settled_now and shown_now == settled_now and not any(
                        line["pending"] for line in page["lines"]):
                    break
                time.sleep(0.1)
            assert engine.wait(30)
        finally:
            engine.close()
        browser.screenshot(tmp_path / "captions.png")

    last = seen[-1]
    shown = " ".join(line["text"] for line in last["lines"]).lower()
    assert "country" in shown, f"the page shows: {shown!r}"
    finals = [e for e in events if isinstance(e, FinalSegment)]
    settled = [e for e in events if isinstance(e, Settled)]
    assert finals and settled, "the engine made no finals, or settled none"
    # what the page shows last is the end of the session's settled text, one line per sentence
    tail = " ".join(s.text.strip() for s in settled).lower()
    assert tail.endswith(shown.split()[-1]), (shown, tail)
    assert [line["text"].lower() for line in last["lines"]] == [s.text.strip().lower() for s in settled][-3:]
    assert len(last["lines"]) <= 3
    assert [line["sentence"] for line in last["lines"]] == sorted({line["sentence"] for line in last["lines"]},
                                                                     key=int)
    # partials showed up while speaking, in the line their final then settled in
    assert any(isinstance(e, Partial) for e in events)
    assert any(line["pending"] for page in seen for line in page["lines"]), "no partial text was ever shown"
    # made for OBS: transparent, and the query string's size
    assert last["background"] == "rgba(0, 0, 0, 0)"
    assert last["fontSize"] == "36px"
    assert (tmp_path / "captions.png").stat().st_size > 1000


def test_the_page_opened_later_gets_the_current_lines_and_a_foreign_origin_is_refused(caption_server):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    hub, server = caption_server
    hub.publish(FinalSegment(segment_id=0, text="Ask not what your country can do for you.", start=0.0, end=3.0,
                             language="en"))
    hub.publish(Partial(segment_id=1, text="ask what you can do", start=3.5, end=4.5, language="en"))
    feed = server.url.replace("http://", "ws://") + "/v1/captions"

    # a newcomer gets the state first
    with connect(feed, subprotocols=["voicedesk"], open_timeout=10) as ws:
        assert ws.subprotocol == "voicedesk"
        first = [json.loads(ws.recv(timeout=5)) for _ in range(2)]
        assert [m["type"] for m in first] == ["final", "partial"]
        assert first[0]["v"] == 4 and "country" in first[0]["text"]

    # a page of another site may not read the captions (any web page can open a WebSocket to 127.0.0.1)
    # refused at the handshake (HTTP 403): the page cannot even tell that a server is there
    with pytest.raises(InvalidStatus) as refused:
        connect(feed, origin="http://evil.example", open_timeout=10)
    assert refused.value.response.status_code == 403
    # the server's own pages may, under any loopback name
    port = server.port
    with connect(feed, origin=f"http://localhost:{port}", open_timeout=10) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "final"
    # and so does a real browser on the page itself
    with HeadlessChromium(f"{server.url}/captions") as browser:
        shown = browser.wait_for("(document.getElementById('captions') || {}).innerText")
        assert "country" in shown and "ask what you can do" in shown


SPEAKERS_JS = """JSON.stringify([...document.querySelectorAll('#captions .line')].map(l => ({
  speaker: l.querySelector('.source .speaker').innerText, text: l.querySelector('.source .settled').innerText,
  pending: l.querySelector('.pending').innerText})))"""


def _final(seg, text, sentence=-1, speaker=None):
    return FinalSegment(segment_id=seg, text=text, start=float(seg), end=seg + 1.0, language="en",
                        sentence_id=sentence, speaker=speaker)


def test_with_speakers_1_the_page_says_who_is_speaking_where_it_changes_and_follows_renames(caption_server):
    hub, server = caption_server
    hub.publish(_final(0, "Good morning, everyone.", speaker=1))
    hub.publish(_final(1, "Thanks for coming.", speaker=1))
    with HeadlessChromium(f"{server.url}/captions?show=source&lines=3&speakers=1") as browser:
        browser.wait_for("document.querySelectorAll('#captions .line').length === 2")   # the snapshot

        def lines() -> list:
            return [(line["speaker"].strip(), line["text"] or line["pending"]) for line in
                    json.loads(browser.evaluate(SPEAKERS_JS))]

        # the top line says who speaks; the next one, by the same speaker, does not repeat it
        assert lines() == [("Speaker 1:", "Good morning, everyone."), ("", "Thanks for coming.")]
        # a new sentence's partial has no speaker yet; its final names speaker 2, and the line says so
        hub.publish(Partial(segment_id=2, text="Glad to", start=2.0, end=2.5, language="en"))
        browser.wait_for("document.querySelector('#captions').innerText.includes('Glad to')")
        assert lines()[-1] == ("", "Glad to")
        hub.publish(_final(2, "Glad to be here.", speaker=2))
        browser.wait_for("document.querySelector('#captions').innerText.includes('Speaker 2')")
        assert lines()[-2:] == [("", "Thanks for coming."), ("Speaker 2:", "Glad to be here.")]
        # renamed in the app: the page relabels what it shows, and settled text keeps the name
        hub.set_speaker_names({2: "Ana"})
        browser.wait_for("document.querySelector('#captions').innerText.includes('Ana:')")
        hub.publish(Settled(2, (2,), "Glad to be here!", "en", 2.0, 3.0, speaker=2))
        browser.wait_for("document.querySelector('#captions').innerText.includes('here!')")
        assert lines()[-1] == ("Ana:", "Glad to be here!")
        # an event without a speaker breaks nothing; a file's labels, sent at the end of its run, name it later
        hub.publish(_final(3, "Who said that?"))
        browser.wait_for("document.querySelector('#captions').innerText.includes('Who said')")
        assert lines()[-1] == ("", "Who said that?")
        hub.publish(SpeakerLabels(labels=((3, 1),), speakers=2))
        browser.wait_for("document.querySelector('#captions').innerText.includes('Speaker 1: Who said')")
        assert lines() == [("Speaker 1:", "Thanks for coming."), ("Ana:", "Glad to be here!"),
                           ("Speaker 1:", "Who said that?")]

    # without the option (the default) no speaker is shown
    with HeadlessChromium(f"{server.url}/captions?show=source&lines=3") as browser:
        browser.wait_for("document.querySelectorAll('#captions .line').length === 3")
        shown = browser.evaluate("document.getElementById('captions').innerText")
        assert "Who said that?" in shown and "Glad to be here!" in shown
        assert "Speaker" not in shown and "Ana" not in shown


def _stuck_client(port: int) -> socket.socket:
    """A WebSocket client that completes the handshake and then never reads: tiny receive window."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /v1/captions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    sock.settimeout(10)
    assert sock.recv(12) == b"HTTP/1.1 101"
    return sock


def test_the_settled_reading_mode_shows_settled_sentences_and_never_the_words_still_being_guessed(caption_server):
    hub, server = caption_server
    with HeadlessChromium(f"{server.url}/captions?show=source&settled=1") as browser:
        browser.wait_for("document.body && document.body.dataset.state === 'connected'")
        hub.publish(FinalSegment(segment_id=0, text="And so, my fellow Americans,", start=0.0, end=2.0, language="en",
                                 sentence_id=0))
        hub.publish(Partial(segment_id=1, text="ask not what your", start=2.0, end=3.0, language="en"))
        hub.publish(FinalSegment(segment_id=1, text="ask not what your country can do for you", start=2.0, end=4.5,
                                 language="en", sentence_id=0))
        hub.publish(Settled(0, (0, 1), "And so, my fellow Americans, ask not what your country can do for you.",
                            "en", 0.0, 4.5))
        browser.wait_for("document.querySelector('#captions .line') !== null")
        page = json.loads(browser.evaluate(LINES_JS))
        # the provisional finals and the partial were never drawn: the first line drawn is the settled sentence
        assert [line["text"] for line in page["lines"]] == [
            "And so, my fellow Americans, ask not what your country can do for you."]
        assert not any(line["pending"] for line in page["lines"])
        hub.publish(Partial(segment_id=2, text="My fellow citizens", start=6.0, end=7.0, language="en"))
        hub.publish(Settled(2, (2,), "My fellow citizens of the world.", "en", 6.0, 8.0))
        browser.wait_for("document.querySelector('#captions').innerText.includes('citizens of the world')")
        page = json.loads(browser.evaluate(LINES_JS))
        assert [line["text"] for line in page["lines"]][-1] == "My fellow citizens of the world."


def test_a_stuck_client_is_dropped_and_never_slows_the_publisher(caption_server):
    from websockets.sync.client import connect

    hub, server = caption_server
    feed = server.url.replace("http://", "ws://") + "/v1/captions"
    count = 1500
    text = "word " * 3200                     # 16 kB a message, 24 MB in all: far more than the system buffers
                                              # (tcp_wmem's 4 MB) and the client's queue (256 messages) hold
    received: list[int] = []
    healthy_done = threading.Event()

    with connect(feed, open_timeout=10, max_size=None) as healthy:
        def read_all() -> None:
            try:
                while len(received) < count:
                    message = json.loads(healthy.recv(timeout=30))
                    if message["type"] == "partial":
                        received.append(message["segment_id"])
            finally:
                healthy_done.set()

        reader = threading.Thread(target=read_all, daemon=True)
        reader.start()
        stuck = _stuck_client(server.port)
        deadline = time.monotonic() + 10
        while hub.client_count < 2:
            assert time.monotonic() < deadline
            time.sleep(0.01)

        worst = 0.0
        started = time.perf_counter()
        for i in range(count):
            t0 = time.perf_counter()
            hub.publish(Partial(segment_id=i, text=text, start=0.0, end=1.0, language="en"))
            worst = max(worst, time.perf_counter() - t0)
            time.sleep(0.002)                  # about as fast as a busy session's events, many times over
        publishing = time.perf_counter() - started

        assert healthy_done.wait(30), f"the healthy client got {len(received)} of {count}"
        reader.join(5)

    # the publisher never waited on anyone
    assert worst < 0.05, f"one publish took {worst * 1000:.1f} ms"
    assert publishing < count * 0.002 + 5.0
    # the stuck client was dropped; the healthy one got every message, in order
    assert hub.dropped_count == 1
    assert received == list(range(count))
    # and its connection was cut: what the system had buffered, then the end
    stuck.settimeout(10)
    ended_at = time.monotonic() + 20
    try:
        while stuck.recv(1 << 16):
            assert time.monotonic() < ended_at, "the stuck client's connection stayed open"
    except (ConnectionResetError, BrokenPipeError):
        pass
    finally:
        stuck.close()
    deadline = time.monotonic() + 10
    while hub.client_count:
        assert time.monotonic() < deadline, "a client is still attached"
        time.sleep(0.05)


def test_with_a_key_the_feed_needs_it_and_the_page_passes_it_without_showing_it():
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    key = "caption-key-7f3a"
    hub = CaptionHub()
    config = ServerConfig(host="127.0.0.1", port=0, api_key=key)
    with ServerThread(config, create_captions_app(config, hub)) as server:
        hub.publish(FinalSegment(segment_id=0, text="We choose to go to the moon.", start=0.0, end=2.0, language="en"))
        feed = server.url.replace("http://", "ws://") + "/v1/captions"
        with pytest.raises(InvalidStatus) as refused:
            connect(feed, open_timeout=10)
        assert refused.value.response.status_code == 401
        with connect(feed, subprotocols=["voicedesk", f"voicedesk-key.{key}"], open_timeout=10) as ws:
            assert ws.subprotocol == "voicedesk"          # the key is never echoed back
            assert json.loads(ws.recv(timeout=5))["type"] == "final"

        with HeadlessChromium(f"{server.url}/captions#key={key}") as browser:
            shown = browser.wait_for("(document.getElementById('captions') || {}).innerText")
            assert "moon" in shown
            assert key not in browser.evaluate("document.documentElement.outerHTML")
