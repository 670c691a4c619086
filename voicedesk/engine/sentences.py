"""Sentence grouping: finals arrive per utterance (a pause of half a second ends one), sentences do not.

Pure: no model, no clock. It is fed finals and the audio time, and says which sentence each final
belongs to and when a sentence is complete, so the translator gets whole sentences and readers
can show one sentence per line. A sentence ends:
- at sentence-final punctuation inside an utterance (the speaker went on: the full stop is real), once the
  sentence holds MIN_SENTENCE_WORDS words or lasts MIN_SENTENCE_S: read out, a list ("modify, merge, publish,
  distribute") came as "Merge." "Publish." "Distribute.", five one-word sentences in 3 s, and each went to the
  settle pass as a decode of its own (about a second each); their settled text came 7-14 s late;
- at sentence-final punctuation at the end of an utterance once the pause reaches `settle_s`
  with nobody speaking: Whisper ends every stretch of audio with a full stop, also mid-sentence
  ("And so my fellow Americans." / "Ask not!"), so that one is only believed after a pause;
- at a pause of a whole turn (`gap_s`) whatever the punctuation, at a change of language, or when
  it grows past a bound (a speaker who never punctuates must still get translations).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Optional

from voicedesk.engine.events import FinalSegment

SENTENCE_END = re.compile(r"[.!?。！？…]['\"”’»)\]]*$")
ABBREVIATIONS = {"mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "sr.", "jr.", "vs.", "etc.", "e.g.", "i.e.", "no.",
                 "sra.", "dra.", "hr.", "fr.", "nr."}
MAX_SENTENCE_S = 20.0       # Whisper translates at most 30 s of audio at once; keep well inside it
MAX_SENTENCE_FINALS = 40      # in continuous speech a final is a phrase: the 20 s bound is the one that acts
MIN_SENTENCE_WORDS = 3        # a full stop inside an utterance ends a sentence of at least this many words...
MIN_SENTENCE_S = 1.5          # ...or this long (a language written without spaces)


def ends_sentence(text: str) -> bool:
    """True when `text` (a word or a whole final) ends a sentence: '.', '!', '?' and kin, not 'Mr.'."""
    text = text.strip()
    if not SENTENCE_END.search(text):
        return False
    last = text.split()[-1].lower() if text.split() else ""
    return last not in ABBREVIATIONS


@dataclass(frozen=True)
class SentenceUnit:
    """A complete sentence: the finals it is made of, their joined text, and its span of audio."""

    sentence_id: int
    segment_ids: tuple[int, ...]
    text: str
    language: str
    start: float
    end: float
    last_final_emitted_at: float = 0.0
    finals: tuple[tuple[str, float, float], ...] = ()    # each final's (text, start, end), in order
    # the audio its settled text was decoded from (engine/settle.py); Whisper's translation decodes the same, so
    # the encoder's work is shared. None: not decoded again (a file's sentence, settling off)
    audio_span: Optional[tuple[float, float]] = None


@dataclass
class _Open:
    sentence_id: int
    language: str
    start: float
    end: float
    segment_ids: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    spans: list[tuple[float, float]] = field(default_factory=list)
    last_emitted_at: float = 0.0
    ends_punctuated: bool = False

    def close(self) -> SentenceUnit:
        text = " ".join(t.strip() for t in self.texts if t.strip())
        finals = tuple((t.strip(), a, b) for t, (a, b) in zip(self.texts, self.spans))
        return SentenceUnit(self.sentence_id, tuple(self.segment_ids), text, self.language, self.start, self.end,
                            self.last_emitted_at, finals)


class SentenceGrouper:
    """Assigns each final its sentence and hands out sentences when they are complete."""

    def __init__(self, gap_s: float = 1.5, settle_s: float = 0.9, max_duration_s: float = MAX_SENTENCE_S,
                 max_finals: int = MAX_SENTENCE_FINALS) -> None:
        self.gap_s = gap_s
        self.settle_s = min(settle_s, gap_s)
        self.max_duration_s = max_duration_s
        self.max_finals = max_finals
        self._open: Optional[_Open] = None

    @property
    def open_sentence_start(self) -> Optional[float]:
        """Audio time where the unfinished sentence starts (None when every sentence is complete)."""
        return self._open.start if self._open else None

    @property
    def open_sentence_end(self) -> Optional[float]:
        """Audio time where the unfinished sentence stops so far (None when every sentence is complete)."""
        return self._open.end if self._open else None

    def open_punctuated(self) -> Optional[SentenceUnit]:
        """The unfinished sentence as it stands, when its last final ends with a full stop (it will most likely
        complete once the pause lasts): what the settle pass may decode ahead. None otherwise."""
        current = self._open
        return current.close() if current is not None and current.ends_punctuated else None

    def open_through(self, heard: FinalSegment) -> Optional[SentenceUnit]:
        """The unfinished sentence as it will be once `heard` (words not final yet, up to a full stop the speaker went
        on after) joins it and completes it; None when there is no unfinished sentence, or `heard` would not join it
        or not complete it. What the settle pass may decode ahead in continuous speech."""
        current = self._open
        if current is None or not ends_sentence(heard.text) or not self._joins(current, heard.start, heard.language):
            return None
        texts, spans = current.texts + [heard.text], current.spans + [(heard.start, heard.end)]
        whole = sum(len(t.split()) for t in texts) >= MIN_SENTENCE_WORDS or heard.end - current.start >= MIN_SENTENCE_S
        if not whole or heard.end <= current.end:
            return None
        return dataclasses.replace(current, texts=texts, spans=spans, end=heard.end, ends_punctuated=True).close()

    def sentence_for(self, start: float, language: str) -> Optional[int]:
        """The sentence text starting at `start` would join, as far as is known now (a partial's); None: a new one."""
        current = self._open
        return current.sentence_id if current is not None and self._joins(current, start, language) else None

    def add(self, final: FinalSegment, utterance_goes_on: bool = False, turn_ends: bool = False,
            new_speaker: bool = False) -> tuple[int, list[SentenceUnit]]:
        """The sentence id for `final`, and the sentences that are complete once it is known.

        `utterance_goes_on`: the speaker kept talking after this final (it was cut at a sentence end
        inside the utterance), so its closing punctuation is believed at once. `turn_ends`: another speaker
        may take over after it, so its sentence ends with it. `new_speaker`: someone else says it (live speaker
        labels), so it starts a sentence.
        """
        done: list[SentenceUnit] = []
        current = self._open
        if current is not None and (new_speaker or not self._joins(current, final.start, final.language)):
            done.append(current.close())
            current = None
        if current is None:
            current = _Open(final.segment_id, final.language, final.start, final.end)
        current.segment_ids.append(final.segment_id)
        current.texts.append(final.text)
        current.spans.append((final.start, final.end))
        current.end = max(current.end, final.end)
        current.language = current.language or final.language
        current.last_emitted_at = final.emitted_at
        current.ends_punctuated = ends_sentence(final.text)
        self._open = current
        whole = (sum(len(t.split()) for t in current.texts) >= MIN_SENTENCE_WORDS
                 or current.end - current.start >= MIN_SENTENCE_S)
        if ((current.ends_punctuated and utterance_goes_on and whole) or turn_ends
                or current.end - current.start >= self.max_duration_s or len(current.segment_ids) >= self.max_finals):
            done.append(current.close())
            self._open = None
        return current.sentence_id, done

    def _joins(self, current: _Open, start: float, language: str) -> bool:
        """Whether text starting at `start` goes on the unfinished sentence `current` (no long pause, no change of
        language)."""
        return start - current.end < self.gap_s and not (language and current.language and language != current.language)

    def tick(self, audio_time: float, utterance_start: Optional[float] = None) -> list[SentenceUnit]:
        """Close the unfinished sentence once a long enough pause followed it.

        The pause needed is `settle_s` after a full stop, `gap_s` otherwise. `utterance_start` is where
        the utterance being decoded now began (None when nobody speaks): if it began within that
        pause, its finals may still continue the sentence, so wait for them.
        """
        current = self._open
        if current is None:
            return []
        pause = self.settle_s if current.ends_punctuated else self.gap_s
        if utterance_start is not None and utterance_start - current.end < pause:
            return []
        if audio_time - current.end < pause:
            return []
        self._open = None
        return [current.close()]

    def flush(self) -> list[SentenceUnit]:
        """The run ended: whatever is unfinished is a sentence now."""
        current, self._open = self._open, None
        return [current.close()] if current else []
