"""The inputs a user can pick: the sound server's sources by name on Linux, else PortAudio's inputs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Optional

from voicedesk.audio.source import AudioSource

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InputChoice:
    """One input (a microphone, or the monitor of an output) as the user picks it."""

    label: str                      # what the user reads
    key: str                        # stable id persisted in the settings
    device: Optional[object] = None  # PortAudio device (index or name) to open
    pulse_source: Optional[str] = None  # PulseAudio source name, passed as PULSE_SOURCE at open time
    is_default: bool = False
    is_monitor: bool = False        # captures what an output plays (system audio)

    def open(self) -> AudioSource:
        """The microphone source for this entry (not started)."""
        from voicedesk.audio.microphone import MicrophoneSource

        return MicrophoneSource(self.device, pulse_source=self.pulse_source)


def list_input_choices() -> list[InputChoice]:
    """Every input the user can pick, default first when known; [] when there is none."""
    choices = _pulse_choices()
    if choices:
        return choices
    return _portaudio_choices()


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
        )
        for s in sources
    ]
    # microphones first, then the monitors of outputs (system audio); the default on top
    return sorted(choices, key=lambda c: (not c.is_default, c.is_monitor))


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
            key=f"pa:{d.name}",
            device=d.index,
            is_default=bool(d.is_default),
        )
        for d in devices
    ]
    return sorted(choices, key=lambda c: not c.is_default)
