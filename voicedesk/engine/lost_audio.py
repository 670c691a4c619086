"""Audio a source dropped because the engine fell behind: counted per episode and told once, with where."""

from __future__ import annotations

from voicedesk.audio.source import AudioSource
from voicedesk.engine.events import EngineError, ErrorKind
from voicedesk.i18n import translate


class LostAudio:
    """Tells once per episode how much audio a source dropped because the engine fell behind.

    While the speech queue is full the capture thread waits, and a microphone keeps recording into its
    own bounded ring; once that is full too it drops what arrives and counts it (`dropped_seconds`).
    An episode is over when the count stops growing from one read to the next (or the run ends).
    """

    def __init__(self, source: AudioSource) -> None:
        self._source = source
        self._seen = self._told = self._dropped()

    def _dropped(self) -> float:
        try:
            return float(self._source.dropped_seconds or 0.0)   # a file never drops (the protocol's 0.0)
        except Exception:
            return 0.0

    def episode_ended(self, run_ended: bool = False) -> float:
        """Seconds lost in an episode that is now over; 0.0 when there is none, or while it lasts."""
        dropped = self._dropped()
        growing = dropped > self._seen
        self._seen = dropped
        if growing and not run_ended:
            return 0.0
        lost, self._told = dropped - self._told, dropped
        return lost if lost > 0 else 0.0


def lost_audio_error(lost_s: float, at_s: float) -> EngineError:
    minutes, seconds = divmod(max(0.0, at_s), 60.0)
    return EngineError(ErrorKind.INPUT, translate(
        "Engine", "{lost} s of audio were lost because transcription fell behind (at {at}; the transcript has a "
        "gap there)").format(
        lost=f"{lost_s:.1f}", at=f"{int(minutes)}:{seconds:04.1f}"))
