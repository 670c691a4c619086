"""SIGKILL a real engine after its reader edited a line and named a speaker: the journal restores the edited text,
the name, and every later final.

The child (`testkit.edit_child`) runs the real engine (tiny.en) on a paced file, journals its finals
through the app's JournalKeeper and edits the first line with the app's TranscriptEditor while the
engine goes on; the test kills it once the edit and a later final were journaled.
"""

from __future__ import annotations

from testkit.killed_child import kill_when
from testkit.speech_mix import SENTENCES, espeak_clip, write_session
from voicedesk.session.journal import find_unfinished, recover, recover_session


def test_an_edit_journaled_before_a_kill_comes_back_with_every_final(tiny_en_model, tmp_path):
    pool = [(espeak_clip(s), s, "en", "espeak-ng") for s in SENTENCES[:6]]
    audio = tmp_path / "session.wav"
    write_session(audio, 40, pool=pool, gap=(1.5, 1.5), long_pause_every=0)
    data = tmp_path / "data"
    child = kill_when("testkit.edit_child", [str(audio), "--model", tiny_en_model], data,
                      lambda shown: any("edited" in r for r in shown) and any("speakers" in r for r in shown)
                      and sum("final" in r for r in shown) >= 2)
    shown = child.shown
    assert child.returncode == -9                   # SIGKILL: no handler, no flush, no clean close
    assert not any("done" in r for r in shown), "the session had ended before the kill"

    [info] = find_unfinished(data / "journal")
    recovered = {s.segment_id: s for s in recover(info.path)}
    edit = next(r for r in shown if "edited" in r)
    assert recovered[edit["edited"]].text == edit["text"] and edit["text"].startswith("EDITED ")
    assert recovered[edit["edited"]].edited
    for final in (r for r in shown if "final" in r and r["final"] != edit["edited"]):
        assert recovered[final["final"]].text == final["text"]
    assert recover_session(info.path).speakers.name_map == {1: "Ana"}, "a speaker's name survives the kill too"
