"""The live inputs' health check: is audio still arriving, and is the sound server's source still there?

A live capture that delivers no blocks is dead in one of two ways: it never delivered (no first block within
the startup timeout of opening) or it stopped (no block for the stall timeout after one came). Silence is not
either: a device delivers blocks of quiet too. A capture fed by the sound server can also lose its source
without a word, because the server moves the stream to another source; so the source's presence is asked too,
at most once per check interval and bounded in time. Each source words its own DeviceError from the answers.
"""

from __future__ import annotations

import enum
from typing import Optional

from voicedesk.audio.pulse import pulse_source_state

PRESENCE_CHECK_TIMEOUT_S = 1.0   # the reader's once-a-second question to the sound server


class NoAudio(enum.Enum):
    """Why a live input counts as dead."""

    NEVER_STARTED = "never-started"   # nothing came within the startup timeout of opening
    STALLED = "stalled"               # audio came, then nothing for the stall timeout


class FlowWatch:
    """When a live input opened, last delivered and last had its source checked; asked on the reader's thread."""

    def __init__(self, startup_timeout_s: float, stall_timeout_s: float, check_interval_s: float) -> None:
        self.startup_timeout_s = startup_timeout_s
        self.stall_timeout_s = stall_timeout_s
        self.check_interval_s = check_interval_s
        self._opened_at = 0.0
        self._last_data: Optional[float] = None
        self._last_check = 0.0

    def opened(self, now: float) -> None:
        """The input has just opened: the startup timeout and the presence checks count from `now`."""
        self._opened_at = self._last_check = now

    def arrived(self, now: float) -> None:
        """Audio came at `now`."""
        self._last_data = now

    def no_audio(self, now: float) -> Optional[NoAudio]:
        """Whether the input is dead at `now` (None: it is not, yet)."""
        if self._last_data is None:
            return NoAudio.NEVER_STARTED if now - self._opened_at > self.startup_timeout_s else None
        return NoAudio.STALLED if now - self._last_data > self.stall_timeout_s else None

    def source_gone(self, pulse_source: str, now: float) -> bool:
        """True when the sound server says `pulse_source` is gone; asked at most once per check interval. A server
        that does not answer proves nothing (False): the stall check notices when audio stops."""
        if now - self._last_check < self.check_interval_s:
            return False
        self._last_check = now
        return pulse_source_state(pulse_source, timeout=PRESENCE_CHECK_TIMEOUT_S) is False
