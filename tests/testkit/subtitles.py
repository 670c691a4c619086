"""Checks that a subtitle file is valid and readable, on what its parser read back."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import srt
import webvtt


@dataclass(frozen=True)
class ParsedCue:
    index: str
    start: float
    end: float
    lines: tuple[str, ...]


def parse_srt(text: str) -> list[ParsedCue]:
    return [
        ParsedCue(str(s.index), s.start.total_seconds(), s.end.total_seconds(), tuple(s.content.split("\n")))
        for s in srt.parse(text)
    ]


def parse_vtt(text: str) -> list[ParsedCue]:
    # strict: a malformed cue block is an error, not silently dropped
    captions = webvtt.WebVTT.from_string(text, strict=True).captions
    return [
        ParsedCue(
            c.identifier or "",
            c.start_time.in_milliseconds() / 1000.0,
            c.end_time.in_milliseconds() / 1000.0,
            tuple(html.unescape(line) for line in c.lines),
        )
        for c in captions
    ]


def parse_subtitle_file(path: Path) -> list[ParsedCue]:
    text = path.read_text(encoding="utf-8")
    return parse_srt(text) if path.suffix == ".srt" else parse_vtt(text)


def assert_valid_cues(
    cues: list[ParsedCue],
    max_chars: int = 42,
    max_lines: int = 2,
    max_duration: float = 7.0,
) -> None:
    """Numbered 1..n, positive durations, monotonic, non-overlapping, within the readability limits."""
    assert [c.index for c in cues] == [str(i) for i in range(1, len(cues) + 1)]
    for cue in cues:
        assert cue.end > cue.start, cue
        assert cue.end - cue.start <= max_duration + 1e-9, cue
        assert 1 <= len(cue.lines) <= max_lines, cue
        assert all(0 < len(line) <= max_chars for line in cue.lines), cue
    for before, after in zip(cues, cues[1:]):
        assert after.start > before.start, (before, after)
        assert before.end <= after.start, (before, after)
