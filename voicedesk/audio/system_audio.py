"""System audio (what the speakers play) as an AudioSource, on Windows and Linux, through `soundcard`.

Windows: a WASAPI loopback stream of an output device; PortAudio (sounddevice) as bundled cannot open
one. Linux: the monitor source of a PulseAudio/PipeWire sink, which is the same idea there. Both come
from the `soundcard` library (BSD-3, pure Python over cffi, its own PyInstaller hook), so the code that
runs on Windows is the code that the tests run here against a real PulseAudio server. macOS has no
loopback: voicedesk.audio.mac_system_audio records through ScreenCaptureKit instead.

`soundcard`'s `record()` blocks, so a capture thread records 50 ms blocks into a bounded queue (what
PortAudio's callback does for the microphone), and `read` downmixes and resamples them to 16 kHz
(resample.py), on the reader's thread. A loopback that stops delivering, fails, or vanishes makes `read`
raise DeviceError, as a lost microphone does. Silence is not a failure here: WASAPI and PulseAudio both
deliver zeros while nothing plays.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Iterator, Optional

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.audio.capture_queue import CaptureQueue, resample_blocks
from voicedesk.audio.flow_watch import FlowWatch
from voicedesk.audio.pulse import list_pulse_sources
from voicedesk.audio.resample import StreamResampler
from voicedesk.audio.source import AudioSource, DeviceError
from voicedesk.i18n import reason_of, translate

log = logging.getLogger(__name__)

DEFAULT_LOOPBACK = "default"
"""The loopback of whatever output is the default when recording starts."""
CAPTURE_RATE = 48_000      # both backends convert to it in shared mode; resample.py takes it to 16 kHz
MAX_CHANNELS = 2


@dataclass(frozen=True)
class Loopback:
    """One output device whose sound can be recorded."""

    id: str              # the backend's id: a WASAPI endpoint id, or a PulseAudio monitor source name
    name: str            # the human name soundcard gives it
    is_default: bool     # the loopback of the default output


def _is_default(loopback_id: str, speaker_id: Optional[str]) -> bool:
    # WASAPI: a loopback has its speaker's endpoint id; PulseAudio: the monitor is "<sink>.monitor"
    return speaker_id is not None and loopback_id in (speaker_id, f"{speaker_id}.monitor")


def soundcard_module() -> ModuleType:
    """The soundcard module, or DeviceError saying why system audio cannot be recorded here."""
    if sys.platform.startswith("linux") and "soundcard" not in sys.modules and not list_pulse_sources():
        # soundcard connects when imported and would start a PulseAudio (autospawn) or fail on an assert
        # when none runs: it is imported only once a server answered (pulse.py asks without starting one)
        raise DeviceError(translate(
            "SystemAudio", "System audio is unavailable: no sound server (PulseAudio/PipeWire) is running"))
    try:
        import soundcard
    except Exception as exc:   # ImportError, OSError (no libpulse), RuntimeError (COM), AssertionError (server)
        raise DeviceError(translate("SystemAudio", "System audio is unavailable: {reason}").format(
            reason=reason_of(exc) or type(exc).__name__)) from exc
    return soundcard


@contextmanager
def com_apartment() -> Iterator[None]:
    """COM on this thread while WASAPI is used (Windows only; a no-op elsewhere).

    soundcard initialises COM on the thread that imports it only; a GUI thread that Qt made single-
    threaded refuses that (soundcard#83), and then other threads get CO_E_NOTINITIALIZED (0x800401F0).
    """
    if sys.platform != "win32":
        yield
        return
    import ctypes

    ole32 = ctypes.windll.ole32
    hr = ole32.CoInitializeEx(None, 0)   # COINIT_MULTITHREADED
    try:
        yield
    finally:
        if hr >= 0:   # S_OK or S_FALSE: ours to balance; RPC_E_CHANGED_MODE (negative): the thread's own
            ole32.CoUninitialize()


def list_loopbacks() -> list[Loopback]:
    """Every output whose sound can be recorded, default first; [] when there is none.

    Raises DeviceError when the sound system cannot be asked at all.
    """
    sc = soundcard_module()
    with com_apartment():
        try:
            speaker_id: Optional[str] = str(sc.default_speaker().id)
        except Exception as exc:   # no output device at all (a runner without audio)
            log.info("no default speaker: %s", exc)
            speaker_id = None
        try:
            microphones = sc.all_microphones(include_loopback=True)
            found = [Loopback(str(m.id), str(m.name), _is_default(str(m.id), speaker_id))
                     for m in microphones if m.isloopback]
        except Exception as exc:
            raise DeviceError(translate("SystemAudio", "Cannot list the outputs to record: {reason}").format(
                reason=reason_of(exc))) from exc
    return sorted(found, key=lambda lb: not lb.is_default)


def find_loopback(spec: str = DEFAULT_LOOPBACK) -> Loopback:
    """The loopback with id `spec` (DEFAULT_LOOPBACK: the default output's); DeviceError when there is none."""
    loopbacks = list_loopbacks()
    if not loopbacks:
        raise DeviceError(translate(
            "SystemAudio", "System audio cannot be recorded: the system lists no output device"))
    if spec == DEFAULT_LOOPBACK:
        return next((lb for lb in loopbacks if lb.is_default), loopbacks[0])
    for loopback in loopbacks:
        if loopback.id == spec:
            return loopback
    raise DeviceError(translate("SystemAudio", "The output '{name}' is gone (unplugged?)").format(name=spec))


class SystemAudioSource(AudioSource):
    """What an output plays, as 16 kHz mono float32 (an AudioSource); `loopback` is an id or DEFAULT_LOOPBACK."""

    realtime = True
    zero_audio_hint = None   # silence is normal here: nothing may be playing

    def __init__(
        self,
        loopback: str = DEFAULT_LOOPBACK,
        block_s: float = 0.05,
        *,
        buffer_s: float = 30.0,
        startup_timeout_s: float = 5.0,
        stall_timeout_s: float = 2.0,
        check_interval_s: float = 1.0,
        close_timeout_s: float = 3.0,
    ) -> None:
        if block_s <= 0:
            raise ValueError(f"block_s must be positive, got {block_s}")
        self.loopback_spec = loopback
        self.block_s = block_s
        self.name: str = translate("SystemAudio", "System audio")   # the loopback's own name once started
        self._blocks: CaptureQueue[np.ndarray] = CaptureQueue(maxsize=max(4, int(buffer_s / block_s)))
        self._flow = FlowWatch(startup_timeout_s, stall_timeout_s, check_interval_s)
        self._close_timeout = close_timeout_s
        self._loopback: Optional[Loopback] = None
        self._resampler: Optional[StreamResampler] = None
        self._thread: Optional[threading.Thread] = None
        self._opened = threading.Event()
        self._quit = threading.Event()
        self._error: Optional[BaseException] = None   # set by the capture thread, raised by the reader
        self._channels = 0
        self._stopping = False

    @property
    def samplerate(self) -> int:
        """The rate recorded at before resampling."""
        return CAPTURE_RATE

    @property
    def channels(self) -> int:
        """Channels recorded before the downmix (0 before start)."""
        return self._channels

    @property
    def loopback(self) -> Optional[Loopback]:
        """The output being recorded (None before start)."""
        return self._loopback

    @property
    def dropped_seconds(self) -> float:
        """Audio lost because the reader fell behind and the buffer was full."""
        return self._blocks.dropped / CAPTURE_RATE

    def start(self) -> None:
        """Open the loopback and start recording; DeviceError when it is missing or refuses."""
        if self._thread is not None:
            raise RuntimeError("SystemAudioSource already started")
        sc = soundcard_module()
        self._loopback = find_loopback(self.loopback_spec)
        self.name = self._loopback.name
        self._resampler = StreamResampler(CAPTURE_RATE, SAMPLE_RATE)
        self._thread = threading.Thread(target=self._capture, args=(sc, self._loopback), daemon=True,
                                        name="voicedesk-system-audio")
        self._thread.start()
        # the stream opens on the capture thread (COM and soundcard's recorder belong to one thread)
        self._opened.wait(self._flow.startup_timeout_s)
        if self._error is not None:
            self._thread.join(self._close_timeout)
            raise DeviceError(translate("SystemAudio", "Cannot record system audio from '{name}': {reason}").format(
                name=self.name, reason=reason_of(self._error))) from self._error
        self._flow.opened(time.monotonic())

    def read(self, timeout: float) -> Optional[np.ndarray]:
        """Everything recorded since the last read, at 16 kHz; None if nothing came within `timeout`."""
        if self._resampler is None:
            if self._stopping:
                return np.zeros(0, dtype=np.float32)
            raise RuntimeError("SystemAudioSource.read called before start")
        return self._blocks.read(timeout, resample_blocks(self._resampler), self._check)

    def stop(self) -> None:
        """Stop recording (never hangs the caller); later reads return an empty array."""
        self._stopping = True
        self._quit.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            # the recorder closes on its own thread after its current block (50 ms); a stuck one is left behind
            thread.join(self._close_timeout)
            if thread.is_alive():
                log.warning("the system audio recorder did not close within %.0f s; abandoning it",
                            self._close_timeout)
        self._resampler = None
        self._blocks.drain()

    # -- internals ------------------------------------------------------------------------

    def _capture(self, sc: ModuleType, loopback: Loopback) -> None:
        """The capture thread: open the loopback, record blocks into the queue until told to quit."""
        frames = max(1, int(CAPTURE_RATE * self.block_s))
        try:
            with com_apartment():
                microphone = self._microphone(sc, loopback)
                channels = min(MAX_CHANNELS, max(1, int(_channel_count(microphone))))
                with microphone.recorder(samplerate=CAPTURE_RATE, channels=channels, blocksize=frames) as recorder:
                    self._channels = channels
                    self._opened.set()
                    while not self._quit.is_set():
                        block = np.asarray(recorder.record(numframes=frames), dtype=np.float32)
                        self._blocks.put(block, len(block))
        except BaseException as exc:   # handed to the reader, who tells the user
            if not self._quit.is_set():
                log.info("system audio capture ended: %r", exc)
                self._error = exc
        finally:
            self._opened.set()

    @staticmethod
    def _microphone(sc: ModuleType, loopback: Loopback) -> Any:
        # by exact id: soundcard's get_microphone would fall back to a fuzzy name match (another device)
        for microphone in sc.all_microphones(include_loopback=True):
            if str(microphone.id) == loopback.id and microphone.isloopback:
                return microphone
        raise DeviceError(translate("SystemAudio", "The output '{name}' is gone (unplugged?)").format(
            name=loopback.name))

    def _check(self, now: float, got_data: bool) -> None:
        self._check_present(now)
        if got_data:
            self._flow.arrived(now)
        else:
            self._check_flowing(now)

    def _check_flowing(self, now: float) -> None:
        if self._stopping:
            return
        if self._error is not None:
            raise DeviceError(translate(
                "SystemAudio", "System audio from '{name}' stopped (the output was unplugged or changed?)").format(
                name=self.name)) from self._error
        if self._flow.no_audio(now) is not None:
            # both backends deliver zeros while nothing plays: no blocks at all means the output is gone
            raise DeviceError(translate(
                "SystemAudio", "System audio from '{name}' stopped delivering sound (unplugged?)").format(
                name=self.name))

    def _check_present(self, now: float) -> None:
        loopback = self._loopback
        if self._stopping or loopback is None or not sys.platform.startswith("linux"):
            return
        # PulseAudio moves a stream whose monitor vanished to another source without a word
        if self._flow.source_gone(loopback.id, now):
            raise DeviceError(translate("SystemAudio", "The output '{name}' is gone (unplugged?)").format(
                name=self.name))


def _channel_count(microphone: Any) -> int:
    channels = microphone.channels
    # soundcard gives PulseAudio's channel count, or a list of channel indices
    return len(channels) if isinstance(channels, (list, tuple)) else int(channels)
