"""Privacy: FileSource lets FFmpeg read local files only, whatever a playlist inside them lists.

A `.m3u8` or ffconcat playlist whose entries are http://127.0.0.1:PORT/x.wav URLs (a real HTTP
server on loopback that records every request) must not reach that server, and must fail with one
clear line. The last test shows the server *would* be reached with FFmpeg's network protocols allowed,
so these tests can tell.
"""

from __future__ import annotations

import io
import os
import wave
from pathlib import Path

import av
import numpy as np
import pytest

from testkit.loopback_http import LoopbackServer
from voicedesk.audio.file_source import OPEN_OPTIONS, FileSource
from voicedesk.audio.source import InputFileError


def _wav_bytes(seconds: float = 1.0) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16_000)
        t = np.arange(int(16_000 * seconds)) / 16_000
        w.writeframes((8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16).tobytes())
    return buf.getvalue()


@pytest.fixture
def server():
    data = _wav_bytes()

    def route(handler, method):
        handler.send_response(200)
        handler.send_header("Content-Type", "audio/wav")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        if method != "HEAD":
            handler.wfile.write(data)

    with LoopbackServer(route) as s:
        yield s


def _playlists(folder: Path, url: str) -> dict[str, Path]:
    hls = folder / "meeting.m3u8"
    hls.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n{url}/x.wav\n#EXTINF:1,\n{url}/y.ts\n"
                   f"#EXT-X-ENDLIST\n")
    concat = folder / "meeting.ffconcat"
    concat.write_text(f"ffconcat version 1.0\nfile '{url}/x.wav'\n")
    disguised = folder / "meeting.wav"                # the same playlist behind an audio file's name
    disguised.write_text(hls.read_text())
    return {"m3u8": hls, "ffconcat": concat, "disguised": disguised}


@pytest.mark.parametrize("kind", ["m3u8", "ffconcat", "disguised"])
def test_a_playlist_of_urls_makes_no_request_and_fails_with_one_line(tmp_path, server, kind):
    path = _playlists(tmp_path, server.url)[kind]
    source = FileSource(path, paced=False)

    assert source.duration is None or source.duration >= 0      # probing it makes no request either
    with pytest.raises(InputFileError) as failure:
        source.start()

    message = str(failure.value)
    assert path.name in message and "playlist" in message and "\n" not in message, message
    assert server.requests == []


def test_a_local_path_that_looks_like_a_url_is_read_as_the_local_file(tmp_path, server, monkeypatch):
    # `http:/127.0.0.1:PORT/x.wav` relative to the working folder is a real local file here
    port = server.url.rsplit(":", 1)[1]
    local = tmp_path / "http:" / f"127.0.0.1:{port}" / "x.wav"
    local.parent.mkdir(parents=True)
    local.write_bytes(_wav_bytes(0.5))
    monkeypatch.chdir(tmp_path)

    source = FileSource(f"http:/127.0.0.1:{port}/x.wav", paced=False)
    source.start()
    samples = 0
    while (block := source.read(1.0)) is not None and block.size:
        samples += block.size
    source.stop()

    assert samples == 8_000                               # 0.5 s of the local file, not the server's 1 s
    assert server.requests == []


def test_the_protocol_whitelist_alone_keeps_ffmpeg_off_the_network(tmp_path, server):
    """With the demuxers' own guards switched off, only `protocol_whitelist` stands between a playlist
    and the network: it must hold, and without it the same playlist does reach the server."""
    playlist = _playlists(tmp_path, server.url)["m3u8"]
    permissive = {"allowed_extensions": "ALL", "allowed_segment_extensions": "ALL", "extension_picky": "0"}

    with pytest.raises((av.FFmpegError, OSError)):
        with av.open(os.path.abspath(playlist), options={**permissive, "protocol_whitelist": OPEN_OPTIONS["protocol_whitelist"]}) as c:
            for _ in c.decode(audio=0):
                pass
    assert server.requests == []

    try:                                                   # control: network protocols allowed
        with av.open(os.path.abspath(playlist), options={**permissive, "protocol_whitelist": "file,http,tcp"},
                     timeout=5) as c:
            for _ in c.decode(audio=0):
                pass
    except (av.FFmpegError, OSError):
        pass
    assert server.requests, "the control should have reached the server; the test could not tell otherwise"
