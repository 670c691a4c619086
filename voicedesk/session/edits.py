"""Edits of the transcript by its reader: a sentence's text changed, split in two, merged with the next, a typed line.

Pure: each function takes the sentence's segments as they are and returns a `Revision`, the new state
of every segment it touches (and the ids it removes). A revision is what the session applies
(`Session.revise`), what the journal writes (a `revision` record: whole segments, so replaying it twice
or after a torn line is harmless) and, with the state before it, what an undo puts back.

Times: a sentence keeps its segments' times; a segment cut in two shares its time by words (the
segments carry no word timestamps). Edited segments are marked `edited`, which keeps the engine from
changing them back (a repeated final, a translation that names them as part of another sentence).

Translation: an edited sentence's translation is marked outdated until it is made again from the new
text (`needs_translation`). Whisper's translation was made from the audio, which an edit does not
change, so it stays, marked outdated, until a language pack can translate the text.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Any, Iterable, Optional, Sequence

from voicedesk.i18n import translate
from voicedesk.session.transcript import Segment, Sentence

EDIT, SPLIT, MERGE, TYPED, TRANSLATED, UNDO, CARRIED = "edit", "split", "merge", "typed", "translated", "undo", "carried"


class EditError(Exception):
    """An edit that cannot be made; the message is one line for the user."""


@dataclass(frozen=True)
class Revision:
    """The new state of the segments an edit touched, and the ids it removed."""

    op: str
    segments: tuple[Segment, ...]
    removed: tuple[int, ...] = ()

    @property
    def sentence_ids(self) -> tuple[int, ...]:
        """The sentences the revision changed, as they are after it."""
        return tuple(sorted({s.sentence_id for s in self.segments}))


def _with_words(segments: Sequence[Segment], words: Sequence[Sequence[str]]) -> list[Segment]:
    return [replace(s, text=" ".join(w), edited=True) for s, w in zip(segments, words)]


def _outdated(anchor: Segment) -> Segment:
    """The anchor with its translation marked outdated (nothing to mark when it has none)."""
    return replace(anchor, translation_outdated=anchor.translation is not None or anchor.translation_outdated)


def edit_text(segments: Sequence[Segment], text: str) -> Optional[Revision]:
    """The sentence `segments` (anchor first) now reads `text`; None when nothing changes.

    The words are shared among the segments the way the old words were (a diff of the two), so each
    utterance keeps its time span; a segment left without words goes.
    """
    new_words = text.split()
    if not new_words:
        raise EditError(translate("Edits", "A line cannot be empty. Its text is kept as it was."))
    old_words: list[str] = []
    owners: list[int] = []
    for index, segment in enumerate(segments):
        words = segment.text.split()
        old_words.extend(words)
        owners.extend([index] * len(words))
    if new_words == old_words:
        return None
    new_owners = _align_owners(old_words, owners, new_words)
    new_owners[0] = 0          # the anchor keeps at least the first word: it holds the sentence
    shares: list[list[str]] = [[] for _ in segments]
    for word, owner in zip(new_words, new_owners):
        shares[owner].append(word)
    kept = [(s, w) for s, w in zip(segments, shares) if w]
    removed = tuple(s.segment_id for s, w in zip(segments, shares) if not w)
    changed = _with_words([s for s, _ in kept], [w for _, w in kept])
    changed[0] = _outdated(changed[0])
    return Revision(EDIT, tuple(changed), removed)


def _align_owners(old_words: list[str], owners: list[int], new_words: list[str]) -> list[int]:
    """For each new word, the index of the segment it belongs to: that of the old word it replaces or follows."""
    result: list[int] = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            if i2 > i1:
                i = i1 + (j - j1) * (i2 - i1) // (j2 - j1)
            else:       # an insertion: with the word before it (or the first word, at the start)
                i = max(i1 - 1, 0)
            result.append(owners[i] if owners else 0)
    # monotonic, so each segment's words stay one stretch of the sentence
    for k in range(1, len(result)):
        result[k] = max(result[k], result[k - 1])
    return result


def split_sentence(segments: Sequence[Segment], word_index: int, new_id: int) -> Revision:
    """Cut the sentence before its word `word_index`: the words from there on become a sentence of their own.

    A cut between two segments only starts a new sentence at the second; a cut inside a segment cuts
    it in two, its time shared by words, and the second part takes `new_id`.
    """
    words = [s.text.split() for s in segments]
    total = sum(len(w) for w in words)
    if not 0 < word_index < total:
        raise EditError(translate("Edits", "Choose a place between two words to split the line."))
    before = 0
    for index, (segment, own) in enumerate(zip(segments, words)):  # noqa: B007 (read after the loop stops)
        if word_index < before + len(own):
            break
        before += len(own)
    cut = word_index - before
    first = list(segments[:index])
    rest = list(segments[index + 1:])
    if cut == 0:
        second_anchor = replace(segment, sentence_id=segment.segment_id, translation=None,
                                translation_language=None, translation_engine=None, edited=True)
    else:
        at = segment.start + (segment.end - segment.start) * cut / len(own)
        first.append(replace(segment, text=" ".join(own[:cut]), end=at, edited=True))
        second_anchor = Segment(new_id, at, segment.end, " ".join(own[cut:]), segment.language,
                                sentence_id=new_id, edited=True, speaker=segment.speaker, speech=segment.speech)
    first = [replace(s, edited=True) for s in first]
    first[0] = _outdated(first[0])
    anchor_of_first = first[0]
    # the new sentence is to be translated like the first one was
    second_anchor = replace(second_anchor, translation_language=anchor_of_first.translation_language,
                            translation_outdated=anchor_of_first.translation is not None)
    second = [second_anchor] + [replace(s, sentence_id=second_anchor.segment_id, edited=True) for s in rest]
    return Revision(SPLIT, tuple(first + second))


def merge_sentences(first: Sequence[Segment], second: Sequence[Segment]) -> Revision:
    """The sentence `second` (the next one) becomes the end of `first`; one translation, marked outdated."""
    if not first or not second:
        raise EditError(translate("Edits", "There is no next line to merge with."))
    anchor = first[0]
    had_translation = anchor.translation is not None or second[0].translation is not None
    merged_anchor = replace(anchor, edited=True, translation_outdated=had_translation,
                            translation_language=anchor.translation_language or second[0].translation_language)
    others = [replace(s, sentence_id=anchor.segment_id, edited=True, translation=None, translation_language=None,
                      translation_engine=None, translation_outdated=False)
              for s in list(first[1:]) + list(second)]
    return Revision(MERGE, tuple([merged_anchor] + others))


def typed_line(segment_id: int, at: float, text: str, language: str, translation: Optional[str],
               target: Optional[str], engine: Optional[str]) -> Revision:
    """A line the user typed, with its translation, at session time `at`."""
    text = " ".join(text.split())
    if not text:
        raise EditError(translate("Edits", "Type some text to translate."))
    return Revision(TYPED, (Segment(segment_id, at, at, text, language, translation=translation,
                                    translation_language=target if translation is not None else None,
                                    translation_engine=engine, typed=True),))


def translated(anchor: Segment, text: str, target: str, engine: str) -> Revision:
    """The anchor with a translation made from its sentence's current text: no longer outdated."""
    return Revision(TRANSLATED, (replace(anchor, translation=text, translation_language=target,
                                         translation_engine=engine or None, translation_outdated=False),))


def undo_of(revision: Revision, before: Iterable[Segment]) -> Revision:
    """What puts back the state before `revision`, given the segments it touched as they were then."""
    before = list(before)
    known = {s.segment_id for s in before}
    added = tuple(s.segment_id for s in revision.segments if s.segment_id not in known)
    return Revision(UNDO, tuple(before), added)


def needs_translation(sentence: Sentence) -> Optional[str]:
    """The language an edited sentence's translation should be made again into, or None."""
    if not sentence.translation_outdated or not sentence.text.strip():
        return None
    return sentence.translation_language


def carried(segments: Iterable[Segment]) -> Optional[Revision]:
    """The edit marks of `segments` that finals and translations cannot carry (for a new journal)."""
    flagged = tuple(s for s in segments if s.edited or s.typed or s.translation_outdated)
    return Revision(CARRIED, flagged) if flagged else None


# --- the journal's record of a revision -------------------------------------------------------

_FIELDS = ("segment_id", "start", "end", "text", "language", "translation", "translation_language",
           "sentence_id", "translation_engine", "edited", "typed", "translation_outdated", "speaker", "speech")


def revision_record(revision: Revision, version: int) -> dict[str, Any]:
    """The JSON record of a revision: whole segments, so a replay needs nothing before it but their finals."""
    return {"type": "revision", "v": version, "op": revision.op,
            "segments": [{name: getattr(s, name) for name in _FIELDS} for s in revision.segments],
            "removed": list(revision.removed)}


def speaker_number(value: Any) -> Optional[int]:
    """A stored speaker number, or None (absent before schema 4, or not a number)."""
    return int(value) if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def speech_stretches(value: Any) -> tuple[tuple[float, float], ...]:
    """Stored stretches of speech ([[start, end], ...]), or () when absent (before schema 4) or unreadable."""
    try:
        return tuple((float(a), float(b)) for a, b in value or ())
    except (TypeError, ValueError):
        return ()


def revision_from_record(record: dict[str, Any]) -> Optional[Revision]:
    """The revision a record holds, or None when it is unreadable (a torn line is skipped by the reader)."""
    try:
        segments = tuple(Segment(
            segment_id=int(item["segment_id"]), start=float(item["start"]), end=float(item["end"]),
            text=str(item["text"]), language=str(item.get("language", "")),
            translation=item.get("translation"), translation_language=item.get("translation_language"),
            sentence_id=int(item.get("sentence_id", -1)), translation_engine=item.get("translation_engine"),
            edited=bool(item.get("edited", False)), typed=bool(item.get("typed", False)),
            translation_outdated=bool(item.get("translation_outdated", False)),
            speaker=speaker_number(item.get("speaker")), speech=speech_stretches(item.get("speech")),
        ) for item in record["segments"])
        removed = tuple(int(i) for i in record.get("removed") or ())
        return Revision(str(record.get("op", "")), segments, removed)
    except (KeyError, TypeError, ValueError):
        return None
