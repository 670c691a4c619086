"""A microphone (or any PortAudio input, or a sound-server source) as an AudioSource."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Optional, Union

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.audio.capture_queue import CaptureQueue, resample_blocks
from voicedesk.audio.devices import InputDevice, find_input_device, sounddevice
from voicedesk.audio.flow_watch import FlowWatch, NoAudio
from voicedesk.audio.pulse import PORTAUDIO_DEVICE, find_pulse_source, pulse_source_env
from voicedesk.audio.resample import StreamResampler
from voicedesk.audio.source import AudioSource, DeviceError
from voicedesk.audio.zero_audio import microphone_privacy_hint
from voicedesk.i18n import translate

log = logging.getLogger(__name__)

StreamFactory = Callable[..., Any]
"""Builds an input stream; called with `sounddevice.InputStream`'s keyword arguments."""

PA_INVALID_CHANNEL_COUNT = -9998
PA_INVALID_SAMPLE_RATE = -9997
MAX_CHANNELS = 2
FALLBACK_RATES = (48_000, 44_100, 16_000)


def _pa_code(exc: BaseException) -> Optional[int]:
    args: tuple[Any, ...] = getattr(exc, "args", ())
    return args[1] if len(args) > 1 and isinstance(args[1], int) else None


def _close_stream(stream: Any, timeout: float) -> None:
    """Abort and close `stream` on a helper thread, waiting at most `timeout` seconds."""

    def close() -> None:
        try:
            # abort, not stop: input has nothing to drain, and stop waits for the callback thread
            stream.abort()
            stream.close()
        except Exception as exc:
            # a vanished device can fail to close; nothing is left to release
            log.debug("closing the input stream failed: %s", exc)

    # PortAudio's ALSA backend can block forever here when the device stalled (seen with a
    # suspended PulseAudio source: its callback thread spins and abort waits for it)
    closer = threading.Thread(target=close, name="voicedesk-close-input", daemon=True)
    closer.start()
    closer.join(timeout)
    if closer.is_alive():
        log.warning("the input stream did not close within %.0f s; abandoning it", timeout)


class MicrophoneSource(AudioSource):
    """Records a device at its own rate and channel count (capped to 2), delivered as 16 kHz mono float32.

    The PortAudio callback only copies each block into a bounded queue; downmix and
    resampling happen in `read`, on the reader's thread. With `pulse_source` set, the
    stream opens on PortAudio's `pulse` device with PULSE_SOURCE naming that source.
    A device that stops, errors, goes silent (no callbacks) or vanishes makes `read`
    raise `DeviceError`.
    """

    realtime = True

    def __init__(
        self,
        device: Union[int, str, None] = None,
        pulse_source: Optional[str] = None,
        block_s: float = 0.05,
        *,
        samplerate: Optional[int] = None,
        stream_factory: Optional[StreamFactory] = None,
        buffer_s: float = 30.0,
        startup_timeout_s: float = 5.0,
        stall_timeout_s: float = 2.0,
        check_interval_s: float = 1.0,
        close_timeout_s: float = 3.0,
    ) -> None:
        if block_s <= 0:
            raise ValueError(f"block_s must be positive, got {block_s}")
        self.device_spec = device
        self.pulse_source_spec = pulse_source
        self.block_s = block_s
        self.name = "default microphone" if device is None else str(device)
        if pulse_source is not None:
            self.name = pulse_source
        self._requested_rate = samplerate
        self._factory = stream_factory
        self._blocks: CaptureQueue[np.ndarray] = CaptureQueue(maxsize=max(4, int(buffer_s / block_s)))
        self._flow = FlowWatch(startup_timeout_s, stall_timeout_s, check_interval_s)
        self._close_timeout = close_timeout_s
        self._stream: Any = None
        self._resampler: Optional[StreamResampler] = None
        self._pulse_name: Optional[str] = None
        self._pulse_monitor = False
        self._device: Optional[InputDevice] = None
        self._samplerate = 0
        self._channels = 0
        # written by the PortAudio thread, read by the reader: plain ints/bools are enough under the GIL
        self._overflows = 0
        self._finished = False
        self._stopping = False

    # -- public ---------------------------------------------------------------------------

    @property
    def samplerate(self) -> int:
        """The rate the device actually records at (0 before start)."""
        return self._samplerate

    @property
    def channels(self) -> int:
        """Channels recorded before the downmix (0 before start)."""
        return self._channels

    @property
    def device(self) -> Optional[InputDevice]:
        """The PortAudio device in use (None before start)."""
        return self._device

    @property
    def dropped_seconds(self) -> float:
        """Audio lost because the reader fell behind and the buffer was full."""
        return self._blocks.dropped / self._samplerate if self._samplerate else 0.0

    @property
    def zero_audio_hint(self) -> Optional[str]:
        """Where to look when this input gives only exact zeros (None for a monitor: silence there is normal)."""
        return None if self._pulse_monitor else microphone_privacy_hint()

    @property
    def overflows(self) -> int:
        """Times PortAudio itself reported lost input (input overflow)."""
        return self._overflows

    def start(self) -> None:
        """Open and start the stream; DeviceError when the device is missing or refuses."""
        if self._stream is not None:
            raise RuntimeError("MicrophoneSource already started")
        sd = sounddevice()
        device_spec = self.device_spec
        if self.pulse_source_spec is not None:
            source = find_pulse_source(self.pulse_source_spec)
            self._pulse_name = source.name
            self.name = source.description
            self._pulse_monitor = source.is_monitor
            if device_spec is None:
                device_spec = PORTAUDIO_DEVICE
        device = find_input_device(device_spec)
        self._device = device
        if self._pulse_name is None:
            self.name = device.name
        channels = min(MAX_CHANNELS, max(1, device.channels))
        rates = [r for r in (self._requested_rate, int(device.default_samplerate), *FALLBACK_RATES) if r]
        rates = list(dict.fromkeys(rates))
        self._stream = self._open(sd, device, rates, channels)
        self._flow.opened(time.monotonic())

    def read(self, timeout: float) -> Optional[np.ndarray]:
        """Everything recorded since the last read, at 16 kHz; None if nothing came within `timeout`."""
        if self._stream is None or self._resampler is None:
            if self._stopping:
                return np.zeros(0, dtype=np.float32)
            raise RuntimeError("MicrophoneSource.read called before start")
        return self._blocks.read(timeout, resample_blocks(self._resampler), self._check)

    def stop(self) -> None:
        """Stop and close the stream (never hangs the caller); later reads return an empty array."""
        self._stopping = True
        stream, self._stream = self._stream, None
        if stream is not None:
            _close_stream(stream, self._close_timeout)
        self._resampler = None
        self._blocks.drain()

    # -- internals ------------------------------------------------------------------------

    def _open(self, sd: Any, device: InputDevice, rates: list[int], channels: int) -> Any:
        factory = self._factory or sd.InputStream
        last_error: Optional[BaseException] = None
        for rate in rates:
            for chans in dict.fromkeys((channels, 1)):
                try:
                    with pulse_source_env(self._pulse_name):
                        # the ALSA pulse plugin reads PULSE_SOURCE while the stream opens
                        stream = factory(
                            device=device.index,
                            samplerate=rate,
                            channels=chans,
                            dtype="float32",
                            blocksize=max(1, int(rate * self.block_s)),
                            callback=self._callback,
                            finished_callback=self._on_finished,
                        )
                        stream.start()
                except sd.PortAudioError as exc:
                    last_error = exc
                    code = _pa_code(exc)
                    if code == PA_INVALID_CHANNEL_COUNT:
                        continue
                    if code == PA_INVALID_SAMPLE_RATE:
                        break  # next rate
                    raise DeviceError(translate("Microphone", "Cannot open microphone '{name}': {reason}").format(
                        name=self.name, reason=exc.args[0])) from exc
                self._samplerate = rate
                self._channels = chans
                self._resampler = StreamResampler(rate, SAMPLE_RATE)
                return stream
        raise DeviceError(translate(
            "Microphone", "Microphone '{name}' accepts none of the sample rates {rates}").format(
            name=self.name, rates=", ".join(map(str, rates)))) from last_error

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        # PortAudio thread: copy and hand over, nothing else
        if status and status.input_overflow:
            self._overflows += 1
        self._blocks.put(indata.copy(), frames)

    def _on_finished(self) -> None:
        self._finished = True

    def _check(self, now: float, got_data: bool) -> None:
        # checked even while audio flows: the server may already feed us from another source
        self._check_source_present(now)
        if got_data:
            self._flow.arrived(now)
        else:
            # only once what was recorded has been handed out: a stream that ended loses none of it
            self._check_stream(now)

    def _check_stream(self, now: float) -> None:
        if self._stopping:
            return
        if self._finished or (self._stream is not None and not self._stream.active):
            raise DeviceError(translate(
                "Microphone", "Microphone '{name}' stopped (unplugged or taken by another program?)").format(
                name=self.name))
        no_audio = self._flow.no_audio(now)
        if no_audio is NoAudio.NEVER_STARTED:
            raise DeviceError(translate("Microphone", "Microphone '{name}' delivers no audio").format(
                name=self.name))
        if no_audio is NoAudio.STALLED:
            raise DeviceError(translate(
                "Microphone", "Microphone '{name}' stopped delivering audio (unplugged?)").format(name=self.name))

    def _check_source_present(self, now: float) -> None:
        if self._stopping or self._pulse_name is None:
            return
        # the sound server silently moves a stream whose source vanished to another one
        if self._flow.source_gone(self._pulse_name, now):
            raise DeviceError(translate("Microphone", "Sound source '{name}' disappeared (unplugged?)").format(
                name=self.name))
