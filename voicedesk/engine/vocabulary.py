"""Custom vocabulary: names and terms Whisper should spell right, given as a hint within a token budget (pure).

The user keeps a plain list, one term per line (`#` starts a comment). Whisper gets the terms that fit
the budget as faster-whisper's `hotwords`: text placed before the sentence context in the decoder's
prompt. A prompt can leak into the output, so two guards decide what of it is kept: a segment made of
nothing but listed terms survives only when the decode is sure it heard speech (like Whisper's known
silence phrases), and a run of listed terms recited in the list's own order, squeezed into no time,
is cut. The engine only decodes what the VAD calls speech, so silence never meets the hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional, Protocol, Sequence, TypeVar

from voicedesk.i18n import translate

MAX_TERMS = 200            # more lines than this are not read: the token budget keeps far fewer anyway
MAX_TERM_CHARS = 60        # a longer line is a sentence pasted by mistake, not a name
MAX_FILE_BYTES = 64_000
TOKEN_BUDGET = 60          # Whisper's prompt holds 223 tokens; the hint leaves most of it to the sentence context
ECHO_NO_SPEECH = 0.2       # a segment of listed terms only is kept when the decode doubts speech less than this...
ECHO_LOG_PROB = -0.6       # ...and is at least this sure of its words (measured on noise: 0.5-0.65 and -0.73..-0.81)
SQUEEZED_S = 0.05          # a word given less time than this was not heard: Whisper squeezes what it adds at the end

_COMMENT = re.compile(r"(?:^|\s)#")     # "C#" is a term, "# people" and "Quorvex  # product" are comments
_SEPARATORS = re.compile(r"[,;\t]")
_KEY = re.compile(r"[^\w']+", re.UNICODE)


class VocabularyError(Exception):
    """A vocabulary file that cannot be read (the message is one line for the user)."""


@dataclass(frozen=True)
class VocabularyList:
    """The terms read from a list, and one line for each thing that was left out."""

    terms: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class VocabularyHint:
    """The terms that fit the token budget, as the hotwords string Whisper gets."""

    terms: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    tokens: int = 0
    budget: int = TOKEN_BUDGET

    @property
    def hotwords(self) -> Optional[str]:
        return ", ".join(self.terms) if self.terms else None

    @property
    def dropped_message(self) -> str:
        """One line saying which terms did not fit ("" when all did)."""
        if not self.dropped:
            return ""
        return translate("Vocabulary", "The vocabulary is longer than Whisper's prompt allows ({budget} tokens): "
                         "{kept} of {listed} terms are used; not used: {dropped}. Put the most important terms "
                         "first.").format(budget=self.budget, kept=len(self.terms),
                                          listed=len(self.terms) + len(self.dropped), dropped=", ".join(self.dropped))


def parse_vocabulary(text: str) -> VocabularyList:
    """Terms from a list: one per line (commas and semicolons also separate), `#` comments, duplicates once."""
    terms: list[str] = []
    seen: set[str] = set()
    long_lines = duplicates = 0
    cut = False
    for line in text.splitlines():
        for raw in _SEPARATORS.split(_COMMENT.split(line, maxsplit=1)[0]):
            term = " ".join(raw.split()).strip(".:!?\"'")
            if not term:
                continue
            if len(term) > MAX_TERM_CHARS:
                long_lines += 1
                continue
            folded = term.casefold()
            if folded in seen:
                duplicates += 1
                continue
            if len(terms) == MAX_TERMS:
                cut = True
                continue
            seen.add(folded)
            terms.append(term)
    notes = []
    if long_lines:
        notes.append(translate("Vocabulary", "Lines longer than {chars} characters left out ({count}): a term is a "
                               "name or a short phrase.").format(chars=MAX_TERM_CHARS, count=long_lines))
    if duplicates:
        notes.append(translate("Vocabulary", "Duplicates left out: {count}.").format(count=duplicates))
    if cut:
        notes.append(translate("Vocabulary", "Only the first {count} terms are read.").format(count=MAX_TERMS))
    return VocabularyList(tuple(terms), tuple(notes))


def read_vocabulary(path: "str | Path") -> VocabularyList:
    """Read a vocabulary file; VocabularyError with a one-line reason when it cannot be used."""
    p = Path(path).expanduser()
    try:
        if p.is_dir():
            raise VocabularyError(translate("Vocabulary", "{path} is a folder; give a text file with one term per "
                                            "line").format(path=str(p)))
        data = p.read_bytes()
    except FileNotFoundError:
        raise VocabularyError(translate("Vocabulary", "No vocabulary file at {path}").format(path=str(p))) from None
    except OSError as exc:
        raise VocabularyError(translate("Vocabulary", "Cannot read the vocabulary file {path}: {reason}").format(
            path=str(p), reason=exc.strerror or str(exc))) from None
    if len(data) > MAX_FILE_BYTES:
        raise VocabularyError(translate("Vocabulary", "{name} is too large for a vocabulary ({size} kB; at most "
                                        "{limit} kB): give a list of names and terms, one per line").format(
            name=p.name, size=len(data) // 1000, limit=MAX_FILE_BYTES // 1000))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise VocabularyError(translate("Vocabulary", "{name} is not a UTF-8 text file: save the list as plain "
                                        "text").format(name=p.name)) from None
    if "\x00" in text:
        raise VocabularyError(translate("Vocabulary", "{name} is not a text file: give a list of names and terms, "
                                        "one per line").format(name=p.name))
    return parse_vocabulary(text)


def format_vocabulary(terms: Iterable[str]) -> str:
    """The list as a file: one term per line."""
    return "".join(f"{term}\n" for term in terms)


def estimate_tokens(text: str) -> int:
    """A rough token count when no tokenizer is at hand (rare names cost about a token per 2.5 letters)."""
    return sum(max(1, round(len(word) / 2.5)) for word in text.split()) + text.count(",")


def fit_hint(terms: Sequence[str], count_tokens: Callable[[str], int] = estimate_tokens,
             budget: int = TOKEN_BUDGET) -> VocabularyHint:
    """The longest head of `terms` whose hotwords string stays within `budget` tokens (list order is priority)."""
    kept: list[str] = []
    tokens = 0
    for i, term in enumerate(terms):
        candidate = count_tokens(" " + ", ".join(kept + [term]))
        if candidate > budget:
            return VocabularyHint(tuple(kept), tuple(terms[i:]), tokens, budget)
        kept.append(term)
        tokens = candidate
    return VocabularyHint(tuple(kept), (), tokens, budget)


def loaded_model_counter(model: object) -> Callable[[str], int]:
    """Counts tokens as a loaded faster-whisper model does (its `hf_tokenizer`), the way its hotwords are encoded."""
    tokenizer = getattr(model, "hf_tokenizer", None)
    if tokenizer is None:
        return estimate_tokens
    return lambda text: len(tokenizer.encode(text, add_special_tokens=False).ids)


def model_token_counter(model_path: "str | Path") -> Optional[Callable[[str], int]]:
    """Counts tokens with the tokenizer of a local model folder; None when it has none that can be read."""
    path = Path(model_path) / "tokenizer.json"
    if not path.is_file():
        return None
    try:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(path))
    except Exception:  # a broken file only means an estimate is shown instead
        return None
    return lambda text: len(tokenizer.encode(text, add_special_tokens=False).ids)


# ---------------------------------------------------------------------------- what of the output is kept

class TimedWord(Protocol):
    """A decoded word with its span, as faster-whisper's `Word` has them (what `drop_recited` reads by default)."""

    @property
    def word(self) -> str: ...

    @property
    def start(self) -> float: ...

    @property
    def end(self) -> float: ...


W = TypeVar("W", bound=TimedWord)


def _key(text: str) -> str:
    return _KEY.sub("", text).lower()


class VocabularyGuard:
    """Decides which listed terms in Whisper's output were heard, and which the hint put there."""

    def __init__(self, terms: Sequence[str]) -> None:
        self._terms = [tuple(k for k in (_key(w) for w in term.split()) if k) for term in terms]
        self._terms = [t for t in self._terms if t]
        self._words = {k for term in self._terms for k in term}

    def __bool__(self) -> bool:
        return bool(self._terms)

    def echo_only(self, text: str, no_speech_prob: float, avg_logprob: float) -> bool:
        """A segment that says nothing but listed terms, from a decode that doubts it heard speech."""
        keys = [k for k in (_key(w) for w in text.split()) if k]
        if not keys or not all(k in self._words for k in keys):
            return False
        return no_speech_prob > ECHO_NO_SPEECH or avg_logprob < ECHO_LOG_PROB

    def drop_recited(self, words: Sequence[W], text_of: Callable[[W], str] = lambda w: w.word,
                     span_of: Callable[[W], tuple[float, float]] = lambda w: (w.start, w.end)) -> list[W]:
        """Cut runs of two or more listed terms back to back in the list's own order when the audio does not
        hold them (a word of the run squeezed into no time): the prompt, recited after the speech.

        The first term of a run may be the end of a listed name ("Kowalczyk, Anjelica Oyelaran"). People do
        say listed names one after another; those words have their own stretch of audio and are kept.
        """
        keys = [_key(text_of(w)) for w in words]

        def squeezed(i: int) -> bool:
            start, end = span_of(words[i])
            return end - start < SQUEEZED_S

        matches = self._matches(keys)
        drop: set[int] = set()
        run: list[tuple[int, int, int]] = []
        for match in matches + [(-1, -1, -2)]:
            if run and match[0] == run[-1][1] and match[2] == run[-1][2] + 1:
                run.append(match)
                continue
            if len(run) >= 2 and any(squeezed(i) for i in range(run[0][0], run[-1][1])):
                drop.update(range(run[0][0], run[-1][1]))
            run = [match]
        return [w for i, w in enumerate(words) if i not in drop]

    def _matches(self, keys: list[str]) -> list[tuple[int, int, int]]:
        """(start, end, term index) of each listed term, or the tail of one, in the word keys."""
        found = []
        i = 0
        while i < len(keys):
            best: Optional[tuple[int, int, int]] = None
            for index, term in enumerate(self._terms):
                for skip in range(len(term)):   # 0: the whole term; more: only its tail
                    tail = term[skip:]
                    if tuple(keys[i:i + len(tail)]) == tail and (best is None or len(tail) > best[1] - best[0]):
                        best = (i, i + len(tail), index)
                        break
            if best is None:
                i += 1
            else:
                found.append(best)
                i = best[1]
        return found
