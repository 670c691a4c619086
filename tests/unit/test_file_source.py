"""FileSource on real recordings and real broken files: 16 kHz mono blocks, paced or not, clear errors."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import av
import numpy as np
import pytest
from faster_whisper import decode_audio
from testkit.audio_compare import best_correlation, speech_clip

from voicedesk.audio import SAMPLE_RATE
from voicedesk.audio.file_source import FileSource
from voicedesk.audio.source import AudioSource, InputFileError


def _read_all(source: FileSource) -> list[np.ndarray]:
    blocks = []
    while True:
        block = source.read(timeout=1.0)
        if block is None:
            continue
        if block.size == 0:
            return blocks
        blocks.append(block)


def _encode(path: Path, seconds: float, codec: str, with_video: bool, freq: float = 440.0) -> Path:
    """A real file made by FFmpeg's encoders: a stereo 48 kHz sine, optionally beside a video track."""
    rate = 48_000
    t = np.arange(int(rate * seconds)) / rate
    tone = (0.4 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    stereo = np.stack([tone, tone])
    with av.open(str(path), "w") as out:
        video = None
        if with_video:
            video = out.add_stream("mpeg4", rate=10)
            video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        # every stream must exist before the first packet is muxed
        audio = out.add_stream(codec, rate=rate, layout="stereo")
        if video is not None:
            for _ in range(int(seconds * 10)):
                image = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
                for packet in video.encode(image):
                    out.mux(packet)
        for start in range(0, stereo.shape[1], 1024):
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(stereo[:, start : start + 1024]), format="fltp", layout="stereo"
            )
            frame.sample_rate, frame.pts = rate, start
            for packet in audio.encode(frame):
                out.mux(packet)
        for stream in (audio, video):
            if stream is not None:
                for packet in stream.encode(None):
                    out.mux(packet)
    return path


@pytest.mark.parametrize("clip", ["jfk_en.flac", "quilter_en.wav", "multilingual.mp3"])
def test_unpaced_source_delivers_the_whole_clip_as_16k_mono_blocks(clip):
    path = speech_clip(clip)
    source: AudioSource = FileSource(path, paced=False, block_s=0.25)
    assert source.realtime is False
    source.start()
    blocks = _read_all(source)
    source.stop()
    audio = np.concatenate(blocks)
    assert all(b.dtype == np.float32 and b.ndim == 1 for b in blocks)
    # every block but the last is exactly block_s long, like a device would hand out
    assert {len(b) for b in blocks[:-1]} == {4_000}
    assert 0 < len(blocks[-1]) <= 4_000
    assert isinstance(source, FileSource)
    assert len(audio) / SAMPLE_RATE == pytest.approx(source.duration, abs=0.05)
    # same samples as faster-whisper's own whole-file decoder
    reference = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    assert abs(len(audio) - len(reference)) <= SAMPLE_RATE // 100
    correlation, lag = best_correlation(audio, reference)
    assert correlation > 0.99 and lag <= 2


def test_duration_is_known_before_start_and_nothing_is_decoded_in_the_constructor(tmp_path):
    assert FileSource(speech_clip("jfk_en.flac"), paced=False).duration == pytest.approx(11.0, abs=0.01)
    # a missing file only fails when started
    missing = FileSource(tmp_path / "nope.wav", paced=False)
    assert missing.duration is None
    with pytest.raises(InputFileError):
        missing.start()


@pytest.mark.parametrize(
    ("name", "codec", "with_video"),
    [
        ("tone.m4a", "aac", False),
        ("tone.ogg", "libopus", False),
        ("clip.mp4", "aac", True),
        ("clip.mkv", "flac", True),
    ],
)
def test_compressed_audio_and_video_audio_tracks_decode_at_their_pitch(tmp_path, name, codec, with_video):
    path = _encode(tmp_path / name, seconds=1.5, codec=codec, with_video=with_video, freq=440.0)
    source = FileSource(path, paced=False)
    source.start()
    audio = np.concatenate(_read_all(source))
    assert len(audio) / SAMPLE_RATE == pytest.approx(1.5, abs=0.05)
    spectrum = np.abs(np.fft.rfft(audio))
    assert np.fft.rfftfreq(len(audio), 1 / SAMPLE_RATE)[np.argmax(spectrum)] == pytest.approx(440.0, abs=2.0)


def test_paced_source_releases_audio_at_the_pace_of_the_clock():
    source = FileSource(speech_clip("quilter_en.wav"), paced=True, block_s=0.1)
    assert source.realtime is True
    source.start()
    t0 = time.monotonic()
    delivered = 0
    while time.monotonic() - t0 < 1.5:
        block = source.read(timeout=0.5)
        if block is not None:
            delivered += len(block)
            elapsed = time.monotonic() - t0
            # never ahead of the clock (one block of slack for the start instant) ...
            assert delivered <= (elapsed + 0.1) * SAMPLE_RATE + 1
    elapsed = time.monotonic() - t0
    source.stop()
    # ... and not far behind it (loose: the machine is shared)
    assert delivered >= (elapsed - 0.5) * SAMPLE_RATE
    assert delivered < 5.8 * SAMPLE_RATE


def test_paced_read_returns_none_when_the_next_block_is_not_due_yet():
    source = FileSource(speech_clip("quilter_en.wav"), paced=True, block_s=0.5)
    source.start()
    first = source.read(timeout=2.0)
    assert first is not None and len(first) == 8_000
    # the next block is ~0.5 s away: a zero timeout must not hand it out early
    assert source.read(timeout=0.0) is None
    source.stop()


def test_unpaced_read_never_waits_for_a_clock():
    source = FileSource(speech_clip("jfk_en.flac"), paced=False, block_s=0.1)
    source.start()
    blocks = []
    while (block := source.read(timeout=0.0)) is not None and block.size:
        blocks.append(block)
    assert block is not None, "an unpaced source returned None (it waited for a clock)"
    assert sum(map(len, blocks)) == 11 * SAMPLE_RATE


def test_stop_wakes_a_paced_read_that_is_waiting():
    source = FileSource(speech_clip("quilter_en.wav"), paced=True, block_s=3.0)
    source.start()
    result: list = []
    reader = threading.Thread(target=lambda: result.append(source.read(timeout=10.0)))
    reader.start()
    time.sleep(0.2)
    source.stop()
    reader.join(timeout=5.0)
    assert not reader.is_alive()
    assert result[0] is not None and result[0].size == 0


def _assert_clear(error: InputFileError, path: Path) -> None:
    message = str(error)
    assert "\n" not in message and "Traceback" not in message
    assert path.name in message


def test_missing_file_is_reported_by_name(tmp_path):
    path = tmp_path / "interview.wav"
    with pytest.raises(InputFileError, match="not found") as info:
        FileSource(path, paced=False).start()
    _assert_clear(info.value, path)


def test_empty_file_is_reported_as_empty(tmp_path):
    path = tmp_path / "empty.flac"
    path.write_bytes(b"")
    with pytest.raises(InputFileError, match="empty") as info:
        FileSource(path, paced=False).start()
    _assert_clear(info.value, path)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("noise.wav", np.random.default_rng(7).integers(0, 256, 8_000, dtype=np.uint8).tobytes()),
        ("notes.txt", b"Meeting notes\nnot audio at all\n" * 20),
        ("notes.wav", b"Meeting notes\nnot audio at all\n" * 20),
    ],
)
def test_non_audio_files_fail_at_start_with_a_one_line_message(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError) as info:
        FileSource(path, paced=False).start()
    _assert_clear(info.value, path)


def test_wav_cut_inside_its_header_is_rejected(tmp_path):
    path = tmp_path / "cut.wav"
    path.write_bytes(speech_clip("quilter_en.wav").read_bytes()[:30])
    with pytest.raises(InputFileError) as info:
        FileSource(path, paced=False).start()
    _assert_clear(info.value, path)


def test_truncated_flac_delivers_what_it_has_then_reports_where_it_breaks(tmp_path):
    data = speech_clip("jfk_en.flac").read_bytes()
    path = tmp_path / "cut.flac"
    path.write_bytes(data[: len(data) // 2])
    source = FileSource(path, paced=False)
    source.start()
    delivered = 0
    with pytest.raises(InputFileError, match="truncated") as info:
        while True:
            block = source.read(timeout=1.0)
            assert block is not None and block.size, "the truncated file ended without an error"
            delivered += len(block)
    _assert_clear(info.value, path)
    # audio before the cut is not thrown away
    assert 2 * SAMPLE_RATE < delivered < 11 * SAMPLE_RATE


def test_file_with_only_a_video_track_has_no_audio(tmp_path):
    path = tmp_path / "silent.mp4"
    with av.open(str(path), "w") as out:
        video = out.add_stream("mpeg4", rate=10)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        for _ in range(5):
            image = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            for packet in video.encode(image):
                out.mux(packet)
        for packet in video.encode(None):
            out.mux(packet)
    with pytest.raises(InputFileError, match="No audio") as info:
        FileSource(path, paced=False).start()
    _assert_clear(info.value, path)
