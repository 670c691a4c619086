"""Crash-safe sessions in the real window: the journal behind the panes, and restoring it after a kill.

Nothing is mocked: the app runs as a real subprocess (offscreen) with tiny.en on a real recording
and is SIGKILLed mid-session; the next window (in-process, pytest-qt) reads the real journal files.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Qt

from voicedesk.engine.events import FinalSegment, Translation
from voicedesk.session.journal import Journal, find_unfinished, journal_dir

REPO = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_MS = 120_000


def _journal_records(folder: Path) -> dict[Path, list[dict]]:
    out = {}
    for path in sorted(folder.glob("*.jsonl")):
        records = []
        for line in path.read_bytes().split(b"\n"):
            try:
                records.append(json.loads(line))
            except ValueError:
                continue  # a torn last line
        out[path] = records
    return out


def _finals(records: list[dict]) -> list[dict]:
    finals = {r["segment_id"]: r for r in records if r.get("type") == "final"}
    return sorted(finals.values(), key=lambda r: (r["start"], r["segment_id"]))


def _long_speech(speech, tmp_path: Path) -> Path:
    """Several real utterances with pauses between them: enough finals to kill the app between two."""
    import wave

    from faster_whisper import decode_audio

    pause = np.zeros(16_000, dtype=np.float32)
    parts = []
    for name in ("jfk_en.flac", "quilter_en.wav") * 3:
        parts += [decode_audio(str(speech(name)), sampling_rate=16_000), pause]
    samples = np.concatenate(parts)
    out = tmp_path / "long speech.wav"
    with wave.open(str(out), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(16_000)
        f.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return out


def test_killing_the_app_mid_session_then_relaunching_restores_every_journaled_final_in_order(
    make_window, tiny_model, speech, isolated_data_dir, tmp_path, qtbot
):
    audio = _long_speech(speech, tmp_path)
    ini = tmp_path / "child.ini"
    child_settings = QSettings(str(ini), QSettings.Format.IniFormat)
    child_settings.setValue("model/spec", str(tiny_model))
    child_settings.sync()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", VOICEDESK_DATA_DIR=str(isolated_data_dir),
               VOICEDESK_SETTINGS_FILE=str(ini), XDG_STATE_HOME=str(tmp_path / "state"))
    # the user's way in: `voicedesk FILE` opens the window and transcribes the file
    child = subprocess.Popen([sys.executable, "-m", "voicedesk", str(audio)], cwd=REPO, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    folder = isolated_data_dir / "journal"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and child.poll() is None:
            if folder.is_dir() and any(len(_finals(r)) >= 2 for r in _journal_records(folder).values()):
                break
            time.sleep(0.05)
        assert child.poll() is None, f"the app ended by itself: {child.stderr.read().decode()[-2000:]}"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
    journals = _journal_records(folder)
    assert len(journals) == 1
    (old_path, records), = journals.items()
    journaled = _finals(records)
    assert len(journaled) >= 2
    assert not any(r.get("type") == "closed" for r in records), "a killed session is not closed clean"

    window = make_window(model=tiny_model)
    qtbot.waitUntil(lambda: window.widgets.restore_banner.isVisible(), timeout=RUN_TIMEOUT_MS)
    assert f"{len(journaled)} sentences" in window.widgets.restore_banner.label.text()
    qtbot.mouseClick(window.widgets.restore_banner.action_button, Qt.MouseButton.LeftButton)  # "Restore"

    restored = window.session.segments()
    assert [s.text for s in restored] == [r["text"] for r in journaled]
    assert [s.segment_id for s in restored] == [r["segment_id"] for r in journaled]
    shown = window.widgets.panes.source_text()
    positions, at = [], 0
    for r in journaled:    # each found after the one before (the same sentence may be said twice)
        at = shown.find(r["text"].strip(), at)
        positions.append(at)
        at += 1
    assert all(p >= 0 for p in positions), f"every final shown, in order: {positions}"
    assert window.session.has_unexported_changes
    # carried into a fresh journal, then the old file went
    qtbot.waitUntil(lambda: not old_path.exists(), timeout=10_000)
    (new_path, new_records), = _journal_records(folder).items()
    assert [r["text"] for r in _finals(new_records)] == [r["text"] for r in journaled]
    print(f"\nkilled with {len(journaled)} finals journaled; {len(restored)} restored, in order")


def _write_unfinished_journal(folder: Path) -> list[tuple[FinalSegment, Translation]]:
    pairs = [
        (FinalSegment(0, " Ask not what your country can do for you.", 0.0, 3.0, "en"),
         Translation(0, " Frage nicht, was dein Land für dich tun kann.", "en", "de", 0.0, 3.0)),
        (FinalSegment(1, " Mr. Quilter is the apostle of the middle classes.", 4.0, 7.5, "en"), None),
        (FinalSegment(2, " We are glad to welcome his gospel.", 8.0, 10.0, "en"),
         Translation(2, " Wir freuen uns, sein Evangelium willkommen zu heißen.", "en", "de", 8.0, 10.0)),
    ]
    journal = Journal.open_new({"model": "tiny.en"}, folder=folder)
    for final, translation in pairs:
        journal.append(final)
        if translation is not None:
            journal.append(translation)
    journal._close_fd()  # as a crash leaves it: no "closed" record
    return pairs


def test_restore_brings_back_translations_and_new_text_continues_the_ids_in_one_journal(
    make_window, tiny_model, speech, qtbot
):
    pairs = _write_unfinished_journal(journal_dir())
    window = make_window(model=tiny_model)
    qtbot.waitUntil(lambda: window.widgets.restore_banner.isVisible(), timeout=RUN_TIMEOUT_MS)
    assert window.recovery.restore()

    segments = window.session.segments()
    assert [(s.segment_id, s.text, s.translation) for s in segments] == [
        (f.segment_id, f.text, t.text if t else None) for f, t in pairs]
    assert "Frage nicht" in window.widgets.panes.translation_text() and "Evangelium" in window.widgets.panes.translation_text()

    assert window.open_file(str(speech("jfk_en.flac")))
    qtbot.waitUntil(lambda: not window.is_running, timeout=RUN_TIMEOUT_MS)
    ids = [s.segment_id for s in window.session.segments()]
    assert len(ids) > len(pairs) and len(set(ids)) == len(ids)
    assert min(ids[len(pairs):]) > max(f.segment_id for f, _ in pairs), "new ids continue after the restored"

    (path, records), = _journal_records(journal_dir()).items()
    assert [r["segment_id"] for r in _finals(records)] == ids
    assert {r["segment_id"] for r in records if r.get("type") == "translation"} == {0, 2}


def test_declining_the_restore_can_be_undone_for_a_while_then_the_old_journal_goes(make_window, qtbot):
    _write_unfinished_journal(journal_dir())
    window = make_window()
    window.core.recovery.undo_s = 1.5     # 10 s in the app; the same rule, a shorter test
    qtbot.waitUntil(lambda: window.widgets.restore_banner.isVisible(), timeout=RUN_TIMEOUT_MS)
    qtbot.mouseClick(window.widgets.restore_banner.second_button, Qt.MouseButton.LeftButton)  # "Discard"
    assert "Discarded" in window.widgets.restore_banner.text and window.widgets.restore_banner.action_button.text() == "Undo"
    assert len(find_unfinished()) == 1, "nothing is deleted while it can be undone"

    qtbot.mouseClick(window.widgets.restore_banner.action_button, Qt.MouseButton.LeftButton)  # "Undo"
    assert "did not end normally" in window.widgets.restore_banner.text
    qtbot.wait(2000)   # the first discard's time is up: undone, so nothing goes
    assert len(find_unfinished()) == 1 and window.widgets.restore_banner.second_button.text() == "Discard"

    qtbot.mouseClick(window.widgets.restore_banner.second_button, Qt.MouseButton.LeftButton)  # "Discard", for good
    qtbot.waitUntil(lambda: find_unfinished() == [], timeout=10_000)
    assert window.session.is_empty and not window.widgets.restore_banner.isVisible()


def test_export_closes_the_journal_clean_and_new_session_discards_it(make_window, tiny_model, speech, tmp_path,
                                                                    qtbot, monkeypatch):
    window = make_window(model=tiny_model)
    assert window.open_file(str(speech("jfk_en.flac")))
    qtbot.waitUntil(lambda: not window.is_running, timeout=RUN_TIMEOUT_MS)
    (path, records), = _journal_records(journal_dir()).items()
    assert [r["text"] for r in _finals(records)] == [s.text for s in window.session.segments()]
    assert find_unfinished() == [], "this window's live journal is locked, so never offered"

    assert window.export_to(str(tmp_path / "talk.srt"))
    qtbot.waitUntil(lambda: _journal_records(journal_dir())[path][-1].get("type") == "closed", timeout=10_000)

    # more text after the export: a new journal carries the whole session
    assert window.open_file(str(speech("quilter_en.wav")))
    qtbot.waitUntil(lambda: not window.is_running, timeout=RUN_TIMEOUT_MS)
    unfinished = [p for p, r in _journal_records(journal_dir()).items() if r[-1].get("type") != "closed"]
    assert len(unfinished) == 1
    assert [r["text"] for r in _finals(_journal_records(journal_dir())[unfinished[0]])] == [
        s.text for s in window.session.segments()]

    monkeypatch.setattr(window, "confirm_discard", lambda: True)
    assert window.new_session()
    qtbot.waitUntil(lambda: not unfinished[0].exists(), timeout=10_000)


def test_a_journal_that_cannot_be_written_says_so_once_and_the_session_stays_exportable(
    make_window, tiny_model, speech, isolated_data_dir, tmp_path, qtbot, caplog
):
    isolated_data_dir.mkdir(parents=True)
    (isolated_data_dir / "journal").write_text("a file where the journal folder should be")
    window = make_window(model=tiny_model)
    caplog.set_level("WARNING", logger="voicedesk.ui.window.main_window")
    from testkit.speech import join

    # two recordings 4 s apart: the file route decodes them as two windows, so several records fail to journal
    two = join(["jfk_en", "quilter_en"], tmp_path / "two.wav", gap_s=4.0, lead_s=0.5)
    assert window.open_file(str(two.path))
    qtbot.waitUntil(lambda: not window.is_running, timeout=RUN_TIMEOUT_MS)
    assert len(window.session.segments()) >= 2
    shown = [r.getMessage() for r in caplog.records if r.getMessage().startswith("engine error (storage)")]
    assert len(shown) == 1, shown
    assert "journal" in window.widgets.banner.text
    assert window.export_to(str(tmp_path / "kept.txt"))
    assert "country" in (tmp_path / "kept.txt").read_text().lower()
