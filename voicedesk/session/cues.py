"""Subtitle cue layout: split segments into readable cues and make their times valid.

Pure and format-free; SRT and WebVTT writers both render the cues made here. Times are
handled in whole milliseconds so that "no overlap" is an exact integer comparison.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Optional, Sequence


@dataclass(frozen=True)
class CueRules:
    """Readability limits (defaults follow common broadcast subtitle guidelines)."""

    max_chars_per_line: int = 42
    max_lines: int = 2
    max_duration: float = 7.0
    min_duration: float = 0.8


@dataclass(frozen=True)
class CueBlock:
    """What one segment shows: one text, or a source and its translation, over a time span."""

    start: float
    end: float
    texts: tuple[str, ...]
    speaker: Optional[str] = None      # who says it (a name), for formats that mark voices


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    speaker: Optional[str] = None

    @property
    def start(self) -> float:
        return self.start_ms / 1000.0

    @property
    def end(self) -> float:
        return self.end_ms / 1000.0

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def normalize_text(text: str) -> str:
    """One line of text: Whisper's leading spaces and any line breaks collapse to single spaces."""
    return " ".join(text.split())


def layout_cues(blocks: Sequence[CueBlock], rules: CueRules = CueRules()) -> list[Cue]:
    """Cues for the blocks, in time order, numbered by position, never overlapping."""
    cues: list[Cue] = []
    for block in sorted(blocks, key=lambda b: b.start):
        cues.extend(_split_block(block, rules))
    return _fix_timing(cues, rules)


def _split_block(block: CueBlock, rules: CueRules) -> list[Cue]:
    width = rules.max_chars_per_line
    texts = [_words(normalize_text(text), width) for text in block.texts]
    texts = [words for words in texts if words]
    if not texts:
        return []
    # Bilingual cues share the line budget: with 2 lines, one line per language.
    lines_each = max(1, rules.max_lines // len(texts))
    start_ms = max(0, _ms(block.start))
    duration_ms = max(0, _ms(block.end) - start_ms)
    max_ms = _ms(rules.max_duration)

    totals = [_length(words) for words in texts]
    n = max(1, math.ceil(duration_ms / max_ms)) if max_ms > 0 else 1
    # With one part per character every word boundary is a cut, so the loop always ends.
    limit = max(n, max(totals) + 1)
    while True:
        parts = [_partition(words, n) for words in texts]
        chunks = [
            tuple(groups[j] for groups, _ in parts)
            for j in range(n)
            if any(groups[j] for groups, _ in parts)
        ]
        weights = [
            sum(shares[j] for _, shares in parts) / len(parts)
            for j in range(n)
            if any(groups[j] for groups, _ in parts)
        ]
        wrapped = [[_wrap(words, width, lines_each) for words in chunk] for chunk in chunks]
        fits = all(lines is not None for texts_lines in wrapped for lines in texts_lines)
        short = all(duration_ms * w <= max_ms for w in weights)
        if (fits and short) or n >= limit:
            break
        n += 1

    cues: list[Cue] = []
    elapsed = 0.0
    for index, (texts_lines, weight) in enumerate(zip(wrapped, weights)):
        cue_start = start_ms + round(duration_ms * elapsed)
        elapsed += weight
        last = index == len(wrapped) - 1
        cue_end = start_ms + (duration_ms if last else round(duration_ms * elapsed))
        # Slow speech can leave one word spanning more than max_duration: stop showing it then.
        cue_end = min(cue_end, cue_start + max_ms)
        lines = tuple(line for part in texts_lines for line in (part or []))
        cues.append(Cue(cue_start, cue_end, lines, block.speaker))
    return cues


def _fix_timing(cues: list[Cue], rules: CueRules) -> list[Cue]:
    """Strictly increasing starts, no overlaps, and a minimum duration wherever there is room."""
    min_ms = _ms(rules.min_duration)
    fixed: list[Cue] = []
    for i, cue in enumerate(cues):
        start = cue.start_ms if not fixed else max(cue.start_ms, fixed[-1].end_ms)
        end = max(cue.end_ms, start + 1)
        next_start = cues[i + 1].start_ms if i + 1 < len(cues) else None
        if end - start < min_ms:
            wanted = start + min_ms
            end = wanted if next_start is None else max(end, min(wanted, next_start))
        if next_start is not None and end > next_start:
            # A next cue starting at or before this one is pushed later on its turn instead.
            end = max(next_start, start + 1)
        fixed.append(Cue(start, end, cue.lines, cue.speaker))
    return fixed


def _ms(seconds: float) -> int:
    return int(round(seconds * 1000))


def _words(text: str, width: int) -> list[str]:
    """The words of `text`; a word wider than a line (a URL, say) is cut into line-sized pieces."""
    words: list[str] = []
    for word in text.split():
        words.extend(word[i : i + width] for i in range(0, len(word), width))
    return words


def _length(words: Sequence[str]) -> int:
    return sum(len(w) for w in words) + max(0, len(words) - 1)


def _partition(words: list[str], n: int) -> tuple[list[list[str]], list[float]]:
    """`n` consecutive groups of about equal characters, and each group's share of the text.

    Each cut is the word boundary nearest to k/n of the characters; cutting every text of a
    bilingual block at the same fractions keeps source and translation roughly aligned
    without any word alignment.
    """
    offsets = [0]
    for word in words:
        offsets.append(offsets[-1] + len(word) + 1)
    total = offsets[-1]
    cuts = [0]
    for k in range(1, n):
        target = total * k / n
        i = bisect.bisect_left(offsets, target, lo=cuts[-1])
        candidates = [c for c in (i - 1, i) if cuts[-1] <= c <= len(words)]
        cuts.append(min(candidates, key=lambda c: abs(offsets[c] - target)))
    cuts.append(len(words))
    groups = [words[cuts[j] : cuts[j + 1]] for j in range(n)]
    shares = [(offsets[cuts[j + 1]] - offsets[cuts[j]]) / total for j in range(n)]
    return groups, shares


def _wrap(words: Sequence[str], width: int, max_lines: int) -> Optional[list[str]]:
    """Lines of at most `width` characters, at most `max_lines` of them, or None if it cannot fit."""
    if not words:
        return []
    if _length(words) <= width:
        return [" ".join(words)]
    if max_lines == 2:
        return _wrap_two_balanced(words, width)
    lines: list[list[str]] = [[]]
    for word in words:
        if lines[-1] and _length(lines[-1] + [word]) > width:
            lines.append([])
        lines[-1].append(word)
    if len(lines) > max_lines:
        return None
    return [" ".join(line) for line in lines]


def _wrap_two_balanced(words: Sequence[str], width: int) -> Optional[list[str]]:
    """Two lines as even as possible: easier to read than a full line over a stub."""
    best: Optional[tuple[int, int]] = None
    for i in range(1, len(words)):
        top, bottom = _length(words[:i]), _length(words[i:])
        if top <= width and bottom <= width:
            score = abs(top - bottom)
            if best is None or score < best[0]:
                best = (score, i)
    if best is None:
        return None
    i = best[1]
    return [" ".join(words[:i]), " ".join(words[i:])]
