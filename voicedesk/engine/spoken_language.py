"""When a session's spoken language changes: the one rule the file route, the live route and the settle pass share.

Whisper's language guess for one utterance is often wrong, and sure of it. A real Dutch dialogue (two voices of the
Debian package fillets-ng-data-nl, base): 19 of its 40 lines, heard alone, came out as another language, many with
almost nothing left for Dutch (Greek 0.96, Portuguese 0.87, Chinese 1.00, English 0.85, each with Dutch under
0.01); decoded in those languages, the lines were lost. A real change of language looks different: the next
utterance is in the new language too. English and French phone prompts in turns of three: each of them 0.56-1.00
for its language, never two in a row for a language that was not spoken.

So a long utterance in another language is only a candidate: the language changes when the next long utterance
does not sound like the old language either and is most likely the same new one. A lone one stays in the language
spoken so far, as plain faster-whisper keeps one language for a whole file. Three exceptions: one long stretch (a
reading, a lecture) sure of another language, a sure return to the language most of the session was spoken in
(Dutch again after two misheard lines in a row took the session elsewhere), and a sure utterance after a speaker
whose language Whisper heard surely each time (`LanguageSwitch._hears_reliably`). Any language a session was in before
was tried too, and measured worse: synthetic Spanish after English went back to English on each line heard as it.
"""

from __future__ import annotations

from typing import Mapping, Optional

SWITCH_MIN_S = 2.0         # only utterances this long can change the language (shorter guesses are noisier still)
SWITCH_MIN_PROB = 0.7      # Whisper is this sure of a language: enough to start a session in it
KEEP_LANGUAGE_PROB = 0.1   # the language spoken so far stays while Whisper gives an utterance at least this much
# Two utterances in a row that leave out the old language agree on a new one when it is the most likely language of
# each, at AGREE_MIN_PROB or more (two Dutch lines heard as 0.95 Portuguese, then 0.98 Chinese, agree on nothing; nor
# do 0.46 Afrikaans / 0.42 Greek, then 0.90 Greek, which took a live Dutch session to Greek with a looser rule)
AGREE_MIN_PROB = 0.5
# ...or one utterance this long, sure of its language, is enough on its own (a lecture, a reading: the misheard
# Dutch lines were 2-4.3 s long)
LONE_SWITCH_MIN_S = 8.0
# ...or one sure utterance, when Whisper gave the session's language at least RELIABLE_PROB on each of the last
# RELIABLE_COUNT long ones: it hears this speaker's language well, and a sure guess of another is a switch (read
# English clips, 0.82-1.00 each at 2 s, then a Spanish one; in the Dutch dialogue no three lines in a row before a
# misheard one were all 0.8 or more), or fewer that are this long in all (continuous speech settles in long sentences:
# German read for 27 s at 1.00, then English at 0.86 stayed German for a sentence with three needed)
RELIABLE_PROB = 0.8
RELIABLE_COUNT = 3
RELIABLE_MIN_S = 2 * LONE_SWITCH_MIN_S

Probabilities = Mapping[str, float]


def top_language(probs: Probabilities) -> Optional[str]:
    """The most likely language (None when there are no probabilities)."""
    return max(probs, key=lambda code: probs[code]) if probs else None


def leaves_out(probs: Probabilities, language: Optional[str]) -> bool:
    """Whether an utterance with these probabilities does not sound like `language` at all."""
    return language is not None and bool(probs) and probs.get(language, 0.0) < KEEP_LANGUAGE_PROB


def agreed_language(first: tuple[Probabilities, float], second: tuple[Probabilities, float],
                    old: Optional[str]) -> Optional[str]:
    """The new language two long utterances in a row (probabilities, seconds) agree on, when neither sounds like
    `old` (None: no language spoken yet); None when they do not agree (each heard as a different language: each is
    more likely misheard)."""
    (p1, _), (p2, _) = first, second
    if old is not None and not (leaves_out(p1, old) and leaves_out(p2, old)):
        return None
    best = top_language(p1)
    if best is None or best == old or best != top_language(p2):
        return None
    return best if min(p1[best], p2[best]) >= AGREE_MIN_PROB else None


class LanguageSwitch:
    """A running session's language, heard one long utterance (or sentence) at a time: `judge` says which language
    each is in. Owned by one route; the file route's windows apply `agreed_language` themselves."""

    def __init__(self) -> None:
        self.language: Optional[str] = None    # the session's, once long utterances made it clear
        self.guess: Optional[str] = None       # before that, the last one Whisper was sure of
        # a long one in another language: (its key, its probabilities, its seconds)
        self._candidate: Optional[tuple[object, dict[str, float], float]] = None
        self._seconds: dict[str, float] = {}   # long utterances judged to be in each language, in seconds
        self._last_key: object = None
        # Whisper's probability of the language the last long utterances were judged to be in, while it was one
        self._recent: list[tuple[float, float]] = []    # (probability, seconds)
        self._recent_language: Optional[str] = None

    @property
    def heard(self) -> Optional[str]:
        """The session's language, or the best guess at it so far (None before any)."""
        return self.language or self.guess

    def judge(self, probs: Probabilities, duration: float, key: object = None) -> tuple[Optional[str], bool]:
        """(the language of an utterance with these probabilities, whether it is clearly the session's from now on);
        None when no language is clear yet and Whisper is not sure of this one (the caller keeps what it heard).

        Before any language is clear, a sure guess serves its own utterance, and two in a row that agree make the
        session's language (a first word, or line, heard in a wrong language does not). `key` names the utterance:
        judged again (a sentence decoded ahead, then settled), it is not taken for the next one."""
        top = top_language(probs)
        if top is None or duration < SWITCH_MIN_S:
            return self.language, False
        language, clear = self._judge(probs, top, duration, self.language, key)
        if language is not None and (key != self._last_key or key is None):
            self._seconds[language] = self._seconds.get(language, 0.0) + duration
            recent = self._recent if self._recent_language == language else []
            self._recent = (recent + [(probs.get(language, 0.0), duration)])[-RELIABLE_COUNT:]
            self._recent_language = language
        if clear:
            self.language = language
        self._last_key = key
        return language, clear

    def _judge(self, probs: Probabilities, top: str, duration: float, current: Optional[str],
               key: object) -> tuple[Optional[str], bool]:
        sure = probs[top] >= SWITCH_MIN_PROB
        if current is None:
            # a sure guess serves this utterance; the session's language is the one two in a row agree on (the first
            # line of a Dutch dialogue was Greek at 0.75), or a long stretch's
            candidate, self._candidate = self._candidate, (key, dict(probs), duration)
            agreed = (agreed_language((candidate[1], candidate[2]), (probs, duration), None)
                      if candidate is not None and (key is None or candidate[0] != key) else None)
            clear = agreed is not None or (sure and duration >= LONE_SWITCH_MIN_S)
            if clear:
                self._candidate = None
            elif sure:
                self.guess = top
            return (agreed or (top if sure else None)), clear
        if not leaves_out(probs, current):
            self._candidate = None
            return current, top == current and sure
        home = max(self._seconds, key=lambda code: self._seconds[code]) if self._seconds else None
        if sure and (duration >= LONE_SWITCH_MIN_S or top == home or self._hears_reliably(current)):
            self._candidate = None
            return top, True
        candidate, self._candidate = self._candidate, (key, dict(probs), duration)
        new = (agreed_language((candidate[1], candidate[2]), (probs, duration), current)
               if candidate is not None and (key is None or candidate[0] != key) else None)
        if new is None:
            return current, False
        self._candidate = None
        return new, True

    def _hears_reliably(self, current: str) -> bool:
        """Whether Whisper gave `current` RELIABLE_PROB or more on each of the last long utterances, and they are
        RELIABLE_COUNT or hold RELIABLE_MIN_S between them."""
        if self._recent_language != current or not self._recent:
            return False
        return (min(p for p, _ in self._recent) >= RELIABLE_PROB
                and (len(self._recent) >= RELIABLE_COUNT or sum(s for _, s in self._recent) >= RELIABLE_MIN_S))
