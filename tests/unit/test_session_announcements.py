"""What a screen reader is told about new finals: each final at once, bursts merged and paced."""

from __future__ import annotations

from voicedesk.session.announcements import AnnouncementPacer, AnnouncementPolicy


def test_a_final_after_a_quiet_moment_is_announced_at_once_with_its_whitespace_tidied():
    pacer = AnnouncementPacer(AnnouncementPolicy(min_gap_s=1.0))
    pacer.add("  ask not what your\n country  can do ")
    assert pacer.wait_s(now=10.0) == 0.0
    assert pacer.due(now=10.0) == "ask not what your country can do"
    assert pacer.due(now=10.1) is None and pacer.wait_s(now=10.1) is None   # nothing left to say


def test_finals_in_a_burst_are_merged_into_one_announcement_after_the_gap():
    pacer = AnnouncementPacer(AnnouncementPolicy(min_gap_s=1.0))
    pacer.add("First sentence.")
    assert pacer.due(now=0.0) == "First sentence."
    pacer.add("Second sentence.")
    pacer.add("Third sentence.")
    assert pacer.due(now=0.4) is None                       # too soon after the last one
    assert abs(pacer.wait_s(now=0.4) - 0.6) < 1e-9
    assert pacer.due(now=1.0) == "Second sentence. Third sentence."


def test_a_long_burst_keeps_only_its_newest_finals_within_the_length_limit():
    pacer = AnnouncementPacer(AnnouncementPolicy(min_gap_s=1.0, max_chars=40))
    pacer.add("warm up")
    pacer.due(now=0.0)
    for number in range(1, 8):
        pacer.add(f"Sentence number {number}.")
    said = pacer.due(now=2.0)
    assert said is not None and len(said) <= 40
    assert said.endswith("Sentence number 7.") and "Sentence number 1." not in said


def test_one_final_longer_than_the_limit_is_still_said_whole():
    pacer = AnnouncementPacer(AnnouncementPolicy(max_chars=10))
    pacer.add("a sentence far longer than ten characters")
    assert pacer.due(now=0.0) == "a sentence far longer than ten characters"


def test_blank_finals_are_not_announced_and_clear_forgets_what_was_pending():
    pacer = AnnouncementPacer()
    pacer.add("   ")
    assert pacer.wait_s(now=0.0) is None
    pacer.add("something")
    pacer.clear()
    assert pacer.due(now=5.0) is None
