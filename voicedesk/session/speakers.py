"""Speaker names: what a speaker number (schema 4's `speaker`) is called in the transcript and its exports.

The engine numbers speakers 1, 2, ... within a session; a name ("Ana") is the session's, given by the user.
Until then a speaker is "Speaker N" in the UI's language.
"""

from __future__ import annotations

from typing import Mapping, Optional

from voicedesk.i18n import Text, translate

SpeakerNames = Mapping[int, str]


def speaker_name(speaker: Optional[int], names: Optional[SpeakerNames] = None) -> Optional[str]:
    """The name of speaker number `speaker` (None for no speaker): the user's name for it, else "Speaker N"."""
    if speaker is None:
        return None
    given = (names or {}).get(speaker, "").strip()
    return given or default_name(speaker)


def default_name(speaker: int) -> Text:
    """ "Speaker N", translatable."""
    return translate("Speakers", "Speaker {number}").format(number=speaker)
