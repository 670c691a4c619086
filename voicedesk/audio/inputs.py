"""The inputs a user can pick: the sound server's sources by name on Linux, else PortAudio's inputs,
and "System audio (speakers)" where the system can record what it plays.

System audio is a loopback (Windows: WASAPI; Linux: a sink's monitor), recorded by
voicedesk.audio.system_audio, or ScreenCaptureKit on macOS (voicedesk.audio.mac_system_audio). On
Linux the monitors the sound server lists stay in the list under their own names, recorded the same way.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Optional, Sequence, Union

from voicedesk.audio.source import AudioSource
from voicedesk.i18n import translate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InputChoice:
    """One input (a microphone, or the monitor of an output) as the user picks it."""

    label: str                      # what the user reads
    key: str                        # stable id persisted in the settings
    device: Union[int, str, None] = None  # PortAudio device (index or name) to open
    pulse_source: Optional[str] = None  # PulseAudio source name, passed as PULSE_SOURCE at open time
    is_default: bool = False
    is_monitor: bool = False        # captures what an output plays (system audio)
    loopback: Optional[str] = None  # the output recorded as system audio (an id, or "default")

    def open(self) -> AudioSource:
        """The source for this entry (not started): system audio, or a microphone."""
        if self.loopback is not None and sys.platform == "darwin":
            from voicedesk.audio.mac_system_audio import ScreenCaptureSource

            return ScreenCaptureSource()
        if self.loopback is not None:
            from voicedesk.audio.system_audio import SystemAudioSource

            return SystemAudioSource(self.loopback)
        from voicedesk.audio.microphone import MicrophoneSource

        return MicrophoneSource(self.device, pulse_source=self.pulse_source)


SYSTEM_AUDIO_KEY = "system:speakers"
"""The settings key of "System audio (speakers)": the default output, whichever device that is."""


def system_audio_choice() -> InputChoice:
    """The "System audio (speakers)" entry: the default output's sound."""
    from voicedesk.audio.system_audio import DEFAULT_LOOPBACK

    return InputChoice(label=translate("Microphone", "System audio (speakers)"), key=SYSTEM_AUDIO_KEY,
                       is_monitor=True, loopback=DEFAULT_LOOPBACK)


def find_choice(choices: Sequence[InputChoice], key: Optional[str]) -> Optional[InputChoice]:
    """The entry saved as `key`; a PortAudio key saved before host APIs were in it (`pa:<name>`) finds its device."""
    if not key:
        return None
    for choice in choices:
        if choice.key == key:
            return choice
    if key.startswith("pa:"):
        from voicedesk.audio.host_apis import same_device

        name = key[len("pa:"):]
        # the best host API's copy comes first in the list, so it wins over a cut MME name
        return next((c for c in choices if c.key.startswith("pa:") and same_device(c.label, name)), None)
    return None


def list_input_choices() -> list[InputChoice]:
    """Every input the user can pick, default first when known; [] when there is none."""
    choices = _pulse_choices()
    if choices:
        return choices
    return _portaudio_choices() + _loopback_choices()


def input_present(choice: InputChoice) -> bool:
    """Whether `choice` is offered again (a sound server query: callers run it off the GUI thread)."""
    if choice.pulse_source:
        from voicedesk.audio.pulse import pulse_source_exists

        return pulse_source_exists(choice.pulse_source)
    return any(c.key == choice.key for c in list_input_choices())


def _pulse_choices() -> list[InputChoice]:
    from voicedesk.audio.pulse import list_pulse_sources

    try:
        sources = list_pulse_sources()
    except Exception as exc:  # a broken server or binding: fall back to PortAudio's list
        log.info("sound server sources unavailable: %s", exc)
        return []
    choices = [
        InputChoice(
            label=s.description,
            key=f"pulse:{s.name}",
            pulse_source=s.name,
            is_default=s.is_default,
            is_monitor=s.is_monitor,
            loopback=s.name if s.is_monitor else None,
        )
        for s in sources
    ]
    if any(c.is_monitor for c in choices):
        choices.append(system_audio_choice())
    # microphones first, then system audio and the monitors of outputs; the default on top
    return sorted(choices, key=lambda c: (not c.is_default, c.is_monitor, c.key != SYSTEM_AUDIO_KEY))


def _loopback_choices() -> list[InputChoice]:
    """System audio where PortAudio lists the microphones: Windows (WASAPI loopback), macOS (ScreenCaptureKit)."""
    try:
        if sys.platform == "darwin":
            from voicedesk.audio.mac_system_audio import available

            offered = available()
        elif sys.platform == "win32":
            from voicedesk.audio.system_audio import list_loopbacks

            offered = bool(list_loopbacks())
        else:
            offered = False   # Linux without a sound server has no monitor to record
    except Exception as exc:   # no output device, or no binding: the microphones are still offered
        log.info("system audio unavailable: %s", exc)
        return []
    return [system_audio_choice()] if offered else []


def _portaudio_choices() -> list[InputChoice]:
    from voicedesk.audio.devices import list_input_devices

    try:
        devices = list_input_devices()
    except Exception as exc:
        log.warning("cannot list input devices: %s", exc)
        return []
    choices = [
        InputChoice(
            label=d.name,
            key=f"pa:{d.host_api}:{d.name}",   # the host API too: on Windows one name has up to four
            device=d.index,
            is_default=bool(d.is_default),
        )
        for d in devices
    ]
    return sorted(choices, key=lambda c: not c.is_default)
