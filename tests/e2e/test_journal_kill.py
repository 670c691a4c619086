"""SIGKILL a real engine mid-session: every final it showed comes back from the journal, in order, with its translation.

The child (`testkit.journal_child`) runs the real engine (tiny.en) on a paced file with the
JournalSink chained in front of its "screen" (stdout), and translates with the test-built Argos
en→de package (random weights: the translation text is gibberish, only its presence and identity
are checked).
"""

from __future__ import annotations

from pathlib import Path

from testkit.killed_child import kill_when
from testkit.speech_mix import SENTENCES, espeak_clip, write_session
from voicedesk.session.journal import find_unfinished, recover


def test_sigkill_mid_session_loses_no_final_that_was_shown(tiny_en_model, argos_home, tmp_path):
    argos_root = Path(argos_home).parents[2]        # the fixture yields <home>/data/argos-translate/packages
    pool = [(espeak_clip(s), s, "en", "espeak-ng") for s in SENTENCES[:6]]
    audio = tmp_path / "session.wav"
    write_session(audio, 40, pool=pool, gap=(1.5, 1.5), long_pause_every=0)
    data = tmp_path / "data"
    child = kill_when("testkit.journal_child", [str(audio), "--model", tiny_en_model, "--translate-to", "de",
                                                "--argos-home", str(argos_root)],
                      data, lambda shown: sum("final" in r for r in shown) >= 2)
    shown = child.shown + child.late                # lines printed before the kill count too

    assert child.returncode == -9                   # SIGKILL: no handler, no flush, no clean close
    assert not any("done" in r for r in shown), "the session had ended before the kill"
    assert not any("error" in r for r in shown), shown
    journal_path = Path(next(r["journal"] for r in shown if "journal" in r))

    [info] = find_unfinished(data / "journal")
    assert info.path == journal_path
    recovered = recover(journal_path)
    by_id = {s.segment_id: s for s in recovered}

    finals = [r for r in shown if "final" in r]
    assert len(finals) >= 2
    # every final shown is back, with its text, in the order it was shown
    assert [s.segment_id for s in recovered if s.segment_id in {f["final"] for f in finals}] == [f["final"] for f in finals]
    for f in finals:
        assert by_id[f["final"]].text == f["text"]
    # and every translation that was shown is attached to its segment
    for t in (r for r in shown if "translation" in r):
        assert by_id[t["translation"]].translation == t["text"]
        assert by_id[t["translation"]].translation_language == "de"
    assert info.segment_count == len(recovered) >= len(finals)
