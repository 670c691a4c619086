"""Live input that delivers only exact zeros: what a denied microphone permission looks like.

macOS (System Settings → Privacy & Security → Microphone) and Windows (the "Let desktop apps access your
microphone" switch) do not refuse the stream of an app that may not listen: they hand it silence made of
exact zeros. A real microphone in a quiet room still has a noise floor, so a few seconds of nothing but
0.0 means the input is blocked (or muted), and the user is told where the setting is. The hint clears as
soon as one non-zero sample arrives. Pure: no clock, no device; time is counted in samples.
"""

from __future__ import annotations

import sys
from typing import Optional

import numpy as np

from voicedesk.audio import SAMPLE_RATE
from voicedesk.i18n import Text, translate

ZERO_AUDIO_AFTER_S = 3.0
"""Seconds of exact zeros before the user hears about it (a microphone that opens with a short mute is normal)."""


class ZeroAudioWatch:
    """Counts consecutive exact-zero samples; says when the input became all-zero, and when sound came back."""

    def __init__(self, after_s: float = ZERO_AUDIO_AFTER_S, rate: int = SAMPLE_RATE) -> None:
        if after_s <= 0:
            raise ValueError(f"after_s must be positive, got {after_s}")
        self._limit = int(after_s * rate)
        self._zeros = 0
        self.silent = False

    def push(self, block: np.ndarray) -> Optional[bool]:
        """Feed one block: True when the input just became all-zero, False when sound just returned, else None."""
        data = np.asarray(block).reshape(-1)
        if data.size == 0:
            return None
        nonzero = np.flatnonzero(data)
        if nonzero.size:
            # only the zeros after the last sound count towards the next episode
            self._zeros = data.size - 1 - int(nonzero[-1])
            if self.silent:
                self.silent = False
                return False
            return None
        self._zeros += data.size
        if not self.silent and self._zeros >= self._limit:
            self.silent = True
            return True
        return None


def microphone_privacy_hint(platform: str = sys.platform) -> Text:
    """Where the setting that blocks a microphone lives on `platform` (sys.platform's spelling)."""
    if platform == "win32":
        return translate(
            "Microphone",
            "The microphone sends only silence. Windows may be blocking it: open Settings \u2192 Privacy & security "
            "\u2192 Microphone and turn on \u201cLet desktop apps access your microphone\u201d.")
    if platform == "darwin":
        return translate(
            "Microphone",
            "The microphone sends only silence. macOS may be blocking it: open System Settings \u2192 Privacy & "
            "Security \u2192 Microphone and allow voicedesk, then start again.")
    return translate(
        "Microphone",
        "The microphone sends only silence. Check that the input is not muted and its volume is up (the sound "
        "settings, or pavucontrol).")
