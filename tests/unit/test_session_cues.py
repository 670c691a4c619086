"""Subtitle cue layout: splitting long segments, minimum durations, overlaps, bilingual cues."""

from __future__ import annotations

import json
import random

import pytest
from testkit.speech import speech_dir

from voicedesk.session.cues import Cue, CueBlock, CueRules, layout_cues

SPEECH_DIR = speech_dir()


@pytest.fixture(scope="module")
def monologue() -> str:
    """The longest real reference transcript (a ~90-word licence reading)."""
    clips = json.loads((SPEECH_DIR / "manifest.json").read_text(encoding="utf-8"))["clips"]
    return max((clip["reference"] for clip in clips), key=len)


def assert_readable(cues: list[Cue], rules: CueRules = CueRules()) -> None:
    max_ms = round(rules.max_duration * 1000)
    for cue in cues:
        assert 0 < cue.end_ms - cue.start_ms <= max_ms, cue
        assert 1 <= len(cue.lines) <= rules.max_lines, cue
        assert all(0 < len(line) <= rules.max_chars_per_line for line in cue.lines), cue
    for before, after in zip(cues, cues[1:]):
        assert before.start_ms < after.start_ms and before.end_ms <= after.start_ms, (before, after)


def test_a_40_second_monologue_is_split_into_readable_cues_at_word_boundaries(monologue):
    cues = layout_cues([CueBlock(10.0, 50.0, (monologue,))])

    assert len(cues) >= 40 / 7  # no cue may last more than 7 s
    assert_readable(cues)
    # every word kept, in order, none cut in half
    assert " ".join(line for cue in cues for line in cue.lines).split() == monologue.split()
    assert cues[0].start_ms == 10_000 and cues[-1].end_ms == 50_000
    # contiguous: the speech is continuous, so the subtitles are too
    assert all(a.end_ms == b.start_ms for a, b in zip(cues, cues[1:]))


def test_split_times_follow_the_characters_of_each_cue(monologue):
    cues = layout_cues([CueBlock(0.0, 40.0, (monologue,))])
    chars = [len(" ".join(cue.lines)) + 1 for cue in cues]  # +1: the space that follows each part
    total = sum(chars)

    for cue, n in zip(cues, chars):
        expected_ms = 40_000 * n / total
        assert abs((cue.end_ms - cue.start_ms) - expected_ms) <= 2, (cue, expected_ms)


def test_two_line_cues_are_balanced_rather_than_a_full_line_over_a_stub():
    text = "one two three four five six seven eight nine ten eleven twelve"  # 62 chars
    (cue,) = layout_cues([CueBlock(0.0, 4.0, (text,))])

    assert len(cue.lines) == 2
    assert abs(len(cue.lines[0]) - len(cue.lines[1])) <= 6


def test_a_word_longer_than_a_line_is_cut_to_fit():
    url = "https://example.org/" + "a" * 80
    cues = layout_cues([CueBlock(0.0, 3.0, (url,))])

    assert_readable(cues)
    assert "".join(line for cue in cues for line in cue.lines) == url


def test_a_too_short_cue_gets_the_minimum_duration_when_there_is_room():
    cues = layout_cues([CueBlock(1.0, 1.2, ("Yes.",)), CueBlock(5.0, 6.0, ("Then more.",))])

    assert cues[0].start_ms == 1000
    assert cues[0].end_ms == 1800


def test_a_too_short_cue_stretches_only_up_to_the_next_cue():
    cues = layout_cues([CueBlock(1.0, 1.2, ("Yes.",)), CueBlock(1.5, 3.0, ("Right after.",))])

    assert cues[0].end_ms == 1500
    assert cues[1].start_ms == 1500


def test_overlapping_segments_are_clipped_so_cues_do_not_overlap():
    cues = layout_cues([CueBlock(0.0, 3.0, ("First speaker.",)), CueBlock(2.0, 4.0, ("Second.",))])

    assert (cues[0].start_ms, cues[0].end_ms) == (0, 2000)
    assert (cues[1].start_ms, cues[1].end_ms) == (2000, 4000)


def test_slow_speech_is_not_shown_longer_than_the_maximum_duration():
    cues = layout_cues([CueBlock(0.0, 30.0, ("Well",))])

    assert cues == [Cue(0, 7000, ("Well",))]


def test_bilingual_cues_show_one_source_line_then_one_translation_line(monologue):
    translation = monologue.upper()  # stands in for a translation of the same length
    cues = layout_cues([CueBlock(0.0, 40.0, (monologue, translation))])

    assert_readable(cues)
    for cue in cues:
        assert len(cue.lines) == 2
        source, translated = cue.lines
        assert translated == source.upper()  # same cut points for both languages here
    assert " ".join(cue.lines[0] for cue in cues).split() == monologue.split()


def test_custom_rules_are_honoured(monologue):
    rules = CueRules(max_chars_per_line=30, max_lines=1, max_duration=3.0, min_duration=1.0)
    cues = layout_cues([CueBlock(0.0, 40.0, (monologue,))], rules)

    assert_readable(cues, rules)


def test_messy_segment_times_still_give_valid_cues():
    rng = random.Random(1234)
    words = "the quick brown fox jumps over the lazy dog again and again today".split()
    blocks = []
    for _ in range(300):
        start = rng.choice([rng.uniform(-1, 60), round(rng.uniform(0, 60))])  # ties are likely
        end = start + rng.choice([0.0, -0.5, 0.05, rng.uniform(0, 12)])
        text = " ".join(rng.choices(words, k=rng.randint(1, 40)))
        blocks.append(CueBlock(start, end, (text,)))

    cues = layout_cues(blocks)

    assert_readable(cues)
    assert sum(len(" ".join(c.lines).split()) for c in cues) == sum(len(b.texts[0].split()) for b in blocks)


def test_blocks_with_only_whitespace_make_no_cue():
    assert layout_cues([CueBlock(0.0, 1.0, ("   ",)), CueBlock(1.0, 2.0, ("",))]) == []


def test_a_whole_sentence_with_a_translation_of_another_length_still_makes_readable_cues(monologue):
    # A sentence said with pauses is one bilingual block; its translation is rarely as long.
    for translation in (" ".join(monologue.split()[:25]), monologue + " " + monologue[:200]):
        cues = layout_cues([CueBlock(3.0, 43.0, (monologue, translation))])

        assert_readable(cues)
        assert cues[0].start_ms == 3000 and cues[-1].end_ms == 43_000
        every_line = " ".join(line for cue in cues for line in cue.lines).split()
        assert sorted(every_line) == sorted(monologue.split() + translation.split())
