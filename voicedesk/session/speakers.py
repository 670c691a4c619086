"""Speaker names: what a speaker number (schema 4's `speaker`) is called in the transcript and its exports.

The engine numbers speakers 1, 2, ... within a session; a name ("Ana") is the session's, given by the user.
Until then a speaker is "Speaker N" in the UI's language. The `SpeakerBook` holds the names and merges the
user made; the session owns it, the journal keeps it (a `speaker_book` record), exports and panes read it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping, Optional

from voicedesk.i18n import Text, translate

SpeakerNames = Mapping[int, str]


def speaker_name(speaker: Optional[int], names: Optional[SpeakerNames] = None) -> Optional[str]:
    """The name of speaker number `speaker` (None for no speaker): the user's name for it, else "Speaker N"."""
    if speaker is None:
        return None
    given = (names or {}).get(speaker, "").strip()
    return given or default_name(speaker)


def main_speaker(talk: Iterable[tuple[Optional[int], float]]) -> Optional[int]:
    """Who said most of a line: the speaker with the largest total of `talk`'s (speaker, weight) pairs (seconds,
    or one per final), the lower number on a tie; None when no pair has a speaker."""
    totals: dict[int, float] = {}
    for speaker, weight in talk:
        if speaker is not None:
            totals[speaker] = totals.get(speaker, 0.0) + weight
    return max(totals, key=lambda n: (totals[n], -n)) if totals else None


def default_name(speaker: int) -> Text:
    """ "Speaker N", translatable."""
    return translate("Speakers", "Speaker {number}").format(number=speaker)


@dataclass(frozen=True)
class SpeakerBook:
    """The user's names for speakers, and the speakers merged into others; one per session, journaled whole.

    A merge keeps working for text that arrives later: a final the engine labels with a merged speaker's
    number is stored under the speaker it was merged into (`resolve`).
    """

    names: tuple[tuple[int, str], ...] = ()
    merged: tuple[tuple[int, int], ...] = ()    # (speaker, the speaker it now counts as)

    @property
    def name_map(self) -> dict[int, str]:
        return dict(self.names)

    @property
    def is_empty(self) -> bool:
        return not self.names and not self.merged

    def resolve(self, speaker: Optional[int]) -> Optional[int]:
        """The number `speaker` counts as after the merges (itself when it was not merged)."""
        into = dict(self.merged)
        seen: set[int] = set()
        while speaker is not None and speaker in into and speaker not in seen:
            seen.add(speaker)
            speaker = into[speaker]
        return speaker

    def renamed(self, speaker: int, name: str) -> "SpeakerBook":
        """The book with `speaker` called `name` (an empty name gives back the default "Speaker N")."""
        speaker = self.resolve(speaker) or speaker
        names = {n: s for n, s in self.names if n != speaker}
        if name.strip():
            names[speaker] = " ".join(name.split())
        return replace(self, names=tuple(sorted(names.items())))

    def merged_into(self, speaker: int, into: int) -> "SpeakerBook":
        """The book with `speaker` counted as `into` from now on; `speaker`'s own name goes."""
        speaker, into = self.resolve(speaker) or speaker, self.resolve(into) or into
        if speaker == into:
            return self
        merged = {n: t for n, t in self.merged}
        merged[speaker] = into
        names = tuple((n, s) for n, s in self.names if n != speaker)
        return SpeakerBook(names=names, merged=tuple(sorted(merged.items())))

    def event_names(self) -> dict[int, str]:
        """A name for each number the engine may still send: a merged speaker's is the name of whom it counts as.

        For readers of the engine's events as they come (panes, overlay, caption page), which see numbers
        before the session resolves them."""
        names = self.name_map
        for speaker, _ in self.merged:
            names[speaker] = str(speaker_name(self.resolve(speaker), self.name_map))
        return names

    def to_record(self) -> dict[str, Any]:
        """The journal's `speaker_book` record (the whole book: replaying it twice is harmless)."""
        return {"type": "speaker_book", "names": {str(n): s for n, s in self.names},
                "merged": [[n, t] for n, t in self.merged]}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Optional["SpeakerBook"]:
        """The book a `speaker_book` record holds; None for a record that does not parse."""
        try:
            names = tuple(sorted((int(n), str(s)) for n, s in dict(record.get("names") or {}).items()))
            merged = tuple(sorted((int(n), int(t)) for n, t in record.get("merged") or ()))
        except (TypeError, ValueError):
            return None
        return cls(names=names, merged=merged)


NO_SPEAKER_NAMES = SpeakerBook()   # a session where the user has named and merged no one
