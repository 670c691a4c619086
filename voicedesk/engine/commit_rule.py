"""The streaming commit policy: LocalAgreement-2 over word hypotheses, as in whisper_streaming.

Pure: no model, no clock. It is fed successive hypotheses of the same growing audio buffer
(words with session-absolute times) and says which words became stable, i.e. which words two
consecutive hypotheses agree on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

_NORMALISE = re.compile(r"[^\w']+", re.UNICODE)


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str                # as Whisper spells it, usually with a leading space
    probability: float = 1.0  # Whisper's confidence in the word

    @property
    def key(self) -> str:
        """The word for comparison: case and punctuation do not make two hypotheses disagree."""
        return _NORMALISE.sub("", self.text).lower()


def join_words(words: Sequence[Word]) -> str:
    return "".join(w.text for w in words).strip()


def text_keys(text: str) -> list[str]:
    """The words of `text` as the commit rule compares them (case and punctuation left out)."""
    return [key for key in (Word(0.0, 0.0, token).key for token in text.split()) if key]


# A decode whose text holds this many words in a row of its prompt (or the text just before) read them from it: people
# rarely say four words again within a prompt's 200 characters, and a phrase said again only costs a prompt
ECHO_MIN_WORDS = 4


def repeats_run(keys: Sequence[str], new: int, length: int) -> bool:
    """Whether the last `new` words of `keys` complete a run of `length` words in a row that stands earlier in `keys`."""
    for i in range(max(0, len(keys) - new - length + 1), len(keys) - length + 1):
        run = list(keys[i:i + length])
        if any(list(keys[j:j + length]) == run for j in range(i - length + 1)):
            return True
    return False


class LocalAgreement:
    """Commits the longest common prefix of two consecutive hypotheses (LocalAgreement-2)."""

    def __init__(self, max_ngram_overlap: int = 5) -> None:
        self._max_ngram = max_ngram_overlap
        self.reset()

    def reset(self) -> None:
        self.committed: list[Word] = []
        self._previous: list[Word] = []
        self.committed_until = 0.0

    def _new_words(self, hypothesis: Sequence[Word]) -> list[Word]:
        """Drop what the hypothesis repeats of already committed words."""
        fresh = [w for w in hypothesis if w.start > self.committed_until - 0.1]
        if fresh and self.committed and abs(fresh[0].start - self.committed_until) < 1.0:
            # Whisper often re-emits the last committed words at the start of the buffer; cut the
            # longest such n-gram so it is not committed twice.
            for n in range(min(len(self.committed), len(fresh), self._max_ngram), 0, -1):
                tail = [w.key for w in self.committed[-n:]]
                head = [w.key for w in fresh[:n]]
                if tail == head:
                    fresh = fresh[n:]
                    break
        return fresh

    def update(self, hypothesis: Sequence[Word], settled_before: Optional[float] = None,
               heard_before: Optional[float] = None) -> list[Word]:
        """Feed the newest hypothesis of the buffer; returns the words it commits (possibly none).

        `heard_before`: an agreed word is only committed when it ends before this time. Two hypotheses
        of nearly the same audio, a fraction of a second apart, agree on the same wrong guess when the
        word's end is all they heard ("got free" for "bought three"); a little audio after it settles it.
        `settled_before`: also commit the words after the agreed prefix that end before this time
        (Whisper heard enough audio after them), without waiting for a second hypothesis.
        """
        fresh = self._new_words(hypothesis)
        agreed: list[Word] = []
        for old, new in zip(self._previous, fresh):
            if old.key != new.key or not new.key or (heard_before is not None and new.end > heard_before):
                break
            agreed.append(new)
        if settled_before is not None:
            for new in fresh[len(agreed):]:
                if new.end > settled_before or not new.key:
                    break
                agreed.append(new)
        self._previous = fresh[len(agreed):]
        self._commit(agreed)
        return agreed

    def finish(self, hypothesis: Sequence[Word]) -> list[Word]:
        """The utterance ended: commit everything of the final hypothesis that is not committed yet."""
        fresh = self._new_words(hypothesis)
        self._previous = []
        self._commit(fresh)
        return fresh

    def commit_through(self, until: float) -> list[Word]:
        """Commit the latest hypothesis's words that end by `until` without a second hypothesis (a beam-search decode
        of the sentence heard it end there: engine/settle.py); returns them."""
        count = 0
        while count < len(self._previous) and self._previous[count].end <= until + 0.001:
            count += 1
        words, self._previous = self._previous[:count], self._previous[count:]
        self._commit(words)
        return words

    @property
    def tentative(self) -> list[Word]:
        """Words of the latest hypothesis that are not committed yet."""
        return list(self._previous)

    def _commit(self, words: list[Word]) -> None:
        if words:
            self.committed.extend(words)
            self.committed_until = words[-1].end
