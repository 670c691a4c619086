"""System audio on macOS 13+ through ScreenCaptureKit (pyobjc), as an AudioSource.

macOS has no loopback device: since macOS 13 an SCStream with `capturesAudio` delivers the mix of
what the system plays, and `excludesCurrentProcessAudio` leaves out voicedesk's own sounds. The
stream needs the Screen & System Audio Recording permission; without it ScreenCaptureKit answers with
SCStreamErrorUserDeclined, and the user is told where to allow it. A display is part of every
content filter, so the video side is asked for at 2x2 pixels once a second, which costs nothing.

Audio arrives as CMSampleBuffers on a dispatch queue: each is copied into numpy (`pcm_to_array`, by the
buffer's own AudioStreamBasicDescription), queued, and downmixed and resampled on the reader's thread
(resample.py), like the microphone. pyobjc hands the AudioStreamBasicDescription over as a plain tuple
unless pyobjc-framework-CoreAudio registered its struct type, so it is read by position, which works for
both. ScreenCaptureKit sends no buffers at all while nothing plays: the reader gets zeros for that time,
measured by the clock (`SilenceFiller`), and only stream:didStopWithError: ends a recording. The
conversion, the silence and the choice of message are plain code tested on any system; the
ScreenCaptureKit calls themselves only run on a Mac.
"""

from __future__ import annotations

import logging
import platform
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.audio.capture_queue import CaptureQueue
from voicedesk.audio.resample import StreamResampler
from voicedesk.audio.source import AudioSource, DeviceError
from voicedesk.i18n import Text, translate

log = logging.getLogger(__name__)

SCSTREAM_ERROR_DOMAIN = "com.apple.ScreenCaptureKit.SCStreamErrorDomain"
USER_DECLINED = -3801           # SCStreamErrorUserDeclined: the permission is off
MISSING_ENTITLEMENTS = -3803    # SCStreamErrorMissingEntitlements: the same setting, as some versions say it
FLAG_IS_FLOAT = 0x1             # kAudioFormatFlagIsFloat
FLAG_IS_BIG_ENDIAN = 0x2        # kAudioFormatFlagIsBigEndian
FLAG_IS_NON_INTERLEAVED = 0x20  # kAudioFormatFlagIsNonInterleaved: one plane per channel
CAPTURE_RATE = 48_000
CAPTURE_CHANNELS = 2
MIN_MACOS = (13, 0)
START_TIMEOUT_S = 10.0          # the first start may wait for the user to answer the permission prompt
SILENCE_GAP_S = 0.5             # this long without a buffer (they come every ~10-20 ms) means nothing plays
MIN_SILENCE_S = 0.02            # silence is handed out in pieces of at least this, so that each resamples to samples

# AudioStreamBasicDescription, `{AudioStreamBasicDescription=dIIIIIIII}`: the fields in the order of
# CoreAudioBaseTypes.h. pyobjc returns it as a tuple in this order (a CoreAudio struct type, when that
# framework binding was imported elsewhere, is indexed the same way).
ASBD_FIELDS = ("mSampleRate", "mFormatID", "mFormatFlags", "mBytesPerPacket", "mFramesPerPacket",
               "mBytesPerFrame", "mChannelsPerFrame", "mBitsPerChannel", "mReserved")
_RATE, _FLAGS, _CHANNELS, _BITS = (ASBD_FIELDS.index(name) for name in
                                   ("mSampleRate", "mFormatFlags", "mChannelsPerFrame", "mBitsPerChannel"))


@dataclass(frozen=True)
class PcmFormat:
    """The parts of an AudioStreamBasicDescription that say how to read the bytes."""

    rate: float
    channels: int
    bits: int
    is_float: bool
    non_interleaved: bool
    big_endian: bool = False


def format_from_asbd(asbd: Any) -> PcmFormat:
    """A PcmFormat from an AudioStreamBasicDescription as pyobjc returns it: a 9-tuple (ASBD_FIELDS order)."""
    try:
        fields = tuple(asbd)
    except TypeError:
        fields = ()
    if len(fields) != len(ASBD_FIELDS):
        raise ValueError(f"not an AudioStreamBasicDescription ({len(ASBD_FIELDS)} fields): {asbd!r}")
    flags = int(fields[_FLAGS])
    return PcmFormat(
        rate=float(fields[_RATE]),
        channels=max(1, int(fields[_CHANNELS])),
        bits=int(fields[_BITS]),
        is_float=bool(flags & FLAG_IS_FLOAT),
        non_interleaved=bool(flags & FLAG_IS_NON_INTERLEAVED),
        big_endian=bool(flags & FLAG_IS_BIG_ENDIAN),
    )


def pcm_to_array(data: bytes, fmt: PcmFormat) -> np.ndarray:
    """PCM bytes as (frames, channels) float32 in [-1, 1]: planes one after another, or interleaved."""
    order = ">" if fmt.big_endian else "<"
    if fmt.is_float and fmt.bits in (32, 64):
        dtype = np.dtype(f"{order}f{fmt.bits // 8}")
    elif not fmt.is_float and fmt.bits in (16, 32):
        dtype = np.dtype(f"{order}i{fmt.bits // 8}")
    else:
        raise ValueError(f"unsupported PCM format: {fmt}")
    whole = len(data) - len(data) % (dtype.itemsize * fmt.channels)
    samples = np.frombuffer(data[:whole], dtype=dtype)
    if fmt.is_float:
        values = samples.astype(np.float32)
    else:
        values = samples.astype(np.float32) / float(-np.iinfo(dtype).min)
    if fmt.non_interleaved:
        return np.ascontiguousarray(values.reshape(fmt.channels, -1).T)
    return values.reshape(-1, fmt.channels)


def start_problem(domain: Optional[str], code: Optional[int], reason: str) -> Text:
    """What the user reads when ScreenCaptureKit refuses: where the permission is, or what it said."""
    if domain == SCSTREAM_ERROR_DOMAIN and code in (USER_DECLINED, MISSING_ENTITLEMENTS):
        return translate(
            "SystemAudio",
            "macOS does not let voicedesk record system audio. Open System Settings \u2192 Privacy & Security "
            "\u2192 Screen & System Audio Recording, turn on voicedesk, then quit and open voicedesk again.")
    return translate("SystemAudio", "System audio could not start: {reason}").format(reason=reason)


def macos_version_supported(version: str) -> bool:
    """Whether a macOS version string ("14.4.1") has ScreenCaptureKit audio (13.0 and later)."""
    try:
        parts = tuple(int(p) for p in version.split(".")[:2])
    except ValueError:
        return False
    return bool(parts) and parts + (0,) * (2 - len(parts)) >= MIN_MACOS


def available() -> bool:
    """Whether this Mac can record system audio (macOS 13+ and the pyobjc binding present)."""
    if not macos_version_supported(platform.mac_ver()[0]):
        return False
    try:
        import ScreenCaptureKit  # noqa: F401
    except ImportError:
        return False
    return True


class SilenceFiller:
    """How much silence the reader adds so that the audio keeps pace with `clock`.

    ScreenCaptureKit sends no buffers while nothing plays. `due` is told, each turn of the reader, how many
    seconds of audio arrived since the last turn, and answers the seconds of zeros that go before them: none
    while buffers keep coming; once none came for `gap_s`, all the time since the last audio, and from then
    on the time that passes, until audio comes again (the part of the gap it has not covered yet goes
    before it).
    """

    def __init__(self, gap_s: float = SILENCE_GAP_S, clock: Callable[[], float] = time.monotonic,
                 min_s: float = MIN_SILENCE_S) -> None:
        self._gap = gap_s
        self._clock = clock
        self._min = min_s
        self._until = clock()     # audio (heard or filled) covers the time up to here
        self._silent = False

    def start(self) -> None:
        """The stream starts now: from here on every second is audio or silence."""
        self._until = self._clock()
        self._silent = False

    def due(self, arrived_s: float) -> float:
        """Seconds of zeros to put before the `arrived_s` seconds of audio that came since the last call."""
        now = self._clock()
        lag = now - self._until - arrived_s
        if arrived_s > 0:
            fill = lag if lag > 0 and (self._silent or lag >= self._gap) else 0.0
            self._until, self._silent = now, False
            return fill
        if lag >= self._gap or (self._silent and lag >= self._min):
            self._until, self._silent = now, True
            return lag
        return 0.0


class _SilenceDue(Exception):
    """Ends a read that found no buffers when silence is due (raised by the reader's check)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def _error_parts(error: Any) -> tuple[Optional[str], Optional[int], str]:
    if error is None:
        return None, None, ""
    try:
        return str(error.domain()), int(error.code()), str(error.localizedDescription())
    except Exception:
        return None, None, str(error)


def sample_buffer_to_array(sample_buffer: Any) -> Optional[tuple[np.ndarray, float]]:
    """The samples of one audio CMSampleBuffer and their rate; None for a buffer without audio."""
    import CoreMedia

    block = CoreMedia.CMSampleBufferGetDataBuffer(sample_buffer)
    description = CoreMedia.CMSampleBufferGetFormatDescription(sample_buffer)
    if block is None or description is None:
        return None
    # the struct itself (deref_result_pointer), as a tuple: not a pointer to unwrap
    asbd = CoreMedia.CMAudioFormatDescriptionGetStreamBasicDescription(description)
    length = int(CoreMedia.CMBlockBufferGetDataLength(block))
    if asbd is None or length <= 0:
        return None
    status, data = CoreMedia.CMBlockBufferCopyDataBytes(block, 0, length, None)
    if status != 0 or data is None:
        raise OSError(f"CMBlockBufferCopyDataBytes failed ({status})")
    fmt = format_from_asbd(asbd)
    return pcm_to_array(bytes(data), fmt), fmt.rate


# Objective-C classes made by pyobjc, which has no type stubs: their methods (alloc, init) are not known to mypy
_classes: Optional[tuple[type[Any], type[Any]]] = None


def _objc_classes() -> tuple[type[Any], type[Any]]:
    """The stream output and delegate classes (an Objective-C class is defined once per process)."""
    global _classes
    if _classes is None:
        import objc
        import ScreenCaptureKit
        from Foundation import NSObject

        audio_type = ScreenCaptureKit.SCStreamOutputTypeAudio

        # pyobjc's metaclass takes `protocols=`; mypy sees an untyped base and object's __init_subclass__
        class VoicedeskAudioOutput(NSObject, protocols=[objc.protocolNamed("SCStreamOutput")]):  # type: ignore[call-arg]
            def stream_didOutputSampleBuffer_ofType_(self, stream: Any, sample_buffer: Any, kind: int) -> None:
                if kind == audio_type:
                    self.owner._on_buffer(sample_buffer)

        class VoicedeskStreamDelegate(NSObject, protocols=[objc.protocolNamed("SCStreamDelegate")]):  # type: ignore[call-arg]
            def stream_didStopWithError_(self, stream: Any, error: Any) -> None:
                self.owner._on_stopped(error)

        _classes = (VoicedeskAudioOutput, VoicedeskStreamDelegate)
    return _classes


class ScreenCaptureSource(AudioSource):
    """What the Mac plays (its own sounds left out), as 16 kHz mono float32: an AudioSource."""

    realtime = True
    zero_audio_hint = None   # silence is normal: nothing may be playing

    def __init__(self, *, buffer_s: float = 30.0, silence_gap_s: float = SILENCE_GAP_S, close_timeout_s: float = 3.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.name = translate("SystemAudio", "System audio")
        # ScreenCaptureKit delivers ~10 ms buffers: room for `buffer_s` seconds of them
        # blocks with their rate; what is dropped is counted in seconds
        self._blocks: CaptureQueue[tuple[np.ndarray, float]] = CaptureQueue(maxsize=max(16, int(buffer_s * 100)))
        self._filler = SilenceFiller(silence_gap_s, clock)
        self._close_timeout = close_timeout_s
        self._stream: Any = None
        self._output: Any = None
        self._delegate: Any = None
        self._resampler: Optional[StreamResampler] = None
        self._error: Optional[Text] = None     # set on ScreenCaptureKit's queues, raised by the reader
        self._stopping = False
        self._format = (float(CAPTURE_RATE), CAPTURE_CHANNELS)   # of the last buffer: the silence gets the same
        self._dropped_seen = 0.0
        # what ScreenCaptureKit delivered (packaging/check_system_audio.py tells "no buffers" from "unreadable")
        self.buffers_received = 0
        self.buffers_unreadable = 0
        self.captured_seconds = 0.0

    @property
    def dropped_seconds(self) -> float:
        """Audio lost because the reader fell behind and the buffer was full."""
        return self._blocks.dropped

    def start(self) -> None:
        """Ask for the display and start the audio stream; DeviceError (with the permission to enable) on refusal."""
        if self._stream is not None:
            raise RuntimeError("ScreenCaptureSource already started")
        if not available():
            raise DeviceError(translate("SystemAudio", "System audio needs macOS 13 or later"))
        import CoreMedia
        import ScreenCaptureKit as SCK

        content = self._shareable_content(SCK)
        displays = list(content.displays() or [])
        if not displays:
            raise DeviceError(translate("SystemAudio", "System audio could not start: macOS lists no display"))
        content_filter = SCK.SCContentFilter.alloc().initWithDisplay_excludingWindows_(displays[0], [])
        config = SCK.SCStreamConfiguration.alloc().init()
        config.setCapturesAudio_(True)
        config.setExcludesCurrentProcessAudio_(True)   # the app's own sounds are not what the user says
        config.setSampleRate_(CAPTURE_RATE)
        config.setChannelCount_(CAPTURE_CHANNELS)
        config.setWidth_(2)
        config.setHeight_(2)
        config.setMinimumFrameInterval_(CoreMedia.CMTimeMake(1, 1))
        output_class, delegate_class = _objc_classes()
        self._output, self._delegate = output_class.alloc().init(), delegate_class.alloc().init()
        self._output.owner = self._delegate.owner = self
        stream = SCK.SCStream.alloc().initWithFilter_configuration_delegate_(content_filter, config, self._delegate)
        ok, error = stream.addStreamOutput_type_sampleHandlerQueue_error_(
            self._output, SCK.SCStreamOutputTypeAudio, _dispatch_queue(), None)
        if not ok:
            raise DeviceError(start_problem(*_error_parts(error)))
        self._wait_for(stream.startCaptureWithCompletionHandler_)
        self._stream = stream
        self._filler.start()

    def read(self, timeout: float) -> Optional[np.ndarray]:
        """Everything captured since the last read, at 16 kHz, with zeros for the time nothing played;
        None if nothing (not even silence) is due within `timeout`."""
        if self._stream is None:
            if self._stopping:
                return np.zeros(0, dtype=np.float32)
            raise RuntimeError("ScreenCaptureSource.read called before start")
        try:
            return self._blocks.read(timeout, self._resample, self._check)
        except _SilenceDue as due:
            rate, channels = self._format
            out = self._resampler_for(rate).process(np.zeros((round(due.seconds * rate), channels), np.float32))
            return out if out.size else None

    def stop(self) -> None:
        """Stop the stream (never hangs the caller); later reads return an empty array."""
        self._stopping = True
        stream, self._stream = self._stream, None
        if stream is not None:
            done = threading.Event()
            stream.stopCaptureWithCompletionHandler_(lambda error: done.set())
            if not done.wait(self._close_timeout):
                log.warning("ScreenCaptureKit did not stop within %.0f s", self._close_timeout)
        self._resampler = None

    # -- internals (ScreenCaptureKit's queues call the _on_ methods) -----------------------

    def _shareable_content(self, SCK: Any) -> Any:
        answer: dict[str, Any] = {}
        done = threading.Event()

        def handler(content: Any, error: Any) -> None:
            answer["content"], answer["error"] = content, error
            done.set()

        SCK.SCShareableContent.getShareableContentWithCompletionHandler_(handler)
        if not done.wait(START_TIMEOUT_S):
            raise DeviceError(start_problem(None, None, "no answer from ScreenCaptureKit"))
        if answer.get("content") is None:
            raise DeviceError(start_problem(*_error_parts(answer.get("error"))))
        return answer["content"]

    def _wait_for(self, start_call: Any) -> None:
        answer: dict[str, Any] = {}
        done = threading.Event()

        def handler(error: Any) -> None:
            answer["error"] = error
            done.set()

        start_call(handler)
        if not done.wait(START_TIMEOUT_S):
            raise DeviceError(start_problem(None, None, "no answer from ScreenCaptureKit"))
        if answer.get("error") is not None:
            raise DeviceError(start_problem(*_error_parts(answer["error"])))

    def _check(self, now: float, got_data: bool) -> None:
        if self._stopping:
            return
        if self._error is not None:   # stream:didStopWithError: the one way a recording fails
            raise DeviceError(self._error)
        if not got_data:
            # no buffers is not a dead stream: ScreenCaptureKit sends none while nothing plays
            silence = self._filler.due(self._newly_dropped())
            if silence > 0:
                raise _SilenceDue(silence)

    def _newly_dropped(self) -> float:
        # audio dropped from a full queue did arrive: it is not silence to fill
        dropped = self._blocks.dropped
        newly, self._dropped_seen = dropped - self._dropped_seen, dropped
        return newly

    def _resampler_for(self, rate: float) -> StreamResampler:
        if self._resampler is None or self._resampler.in_rate != rate:
            self._resampler = StreamResampler(rate, SAMPLE_RATE)
        return self._resampler

    def _resample(self, pieces: list[tuple[np.ndarray, float]]) -> np.ndarray:
        rate = pieces[0][1]
        blocks = [p[0] for p in pieces]
        self._format = (rate, blocks[0].shape[1] if blocks[0].ndim == 2 else 1)
        arrived = sum(len(block) for block in blocks) / rate
        silence = self._filler.due(arrived + self._newly_dropped())
        if silence > 0:   # the gap before this sound, not yet filled
            blocks.insert(0, np.zeros((round(silence * rate),) + blocks[0].shape[1:], np.float32))
        return self._resampler_for(rate).process(np.concatenate(blocks))

    def _on_buffer(self, sample_buffer: Any) -> None:
        self.buffers_received += 1
        try:
            converted = sample_buffer_to_array(sample_buffer)
        except Exception as exc:   # an unreadable buffer is skipped, not a reason to stop
            self.buffers_unreadable += 1
            if self.buffers_unreadable == 1:   # ~100 a second when the format is the problem: logged once
                log.warning("skipping unreadable audio buffers: %s", exc)
            return
        if converted is None:   # a buffer without audio data
            return
        seconds = len(converted[0]) / converted[1]
        self.captured_seconds += seconds
        self._blocks.put(converted, seconds)

    def _on_stopped(self, error: Any) -> None:
        if not self._stopping:
            domain, code, reason = _error_parts(error)
            self._error = start_problem(domain, code, reason or "the stream stopped")


def _dispatch_queue() -> Any:
    """A serial queue for the sample buffers (None lets ScreenCaptureKit pick one when libdispatch is absent)."""
    try:
        import dispatch
    except ImportError:
        return None
    return dispatch.dispatch_queue_create(b"voicedesk.system-audio", None)
