"""The session core's policy, driven as the window drives it, with no Qt and no model.

The engine side is a recording fake (the policy is what is under test: what the core starts, stops
and says); the ids and times go through the real SessionNumbering the core hands to each start, as
the controller applies it, and restored journals are real journal files. The real engine behind the
real window is covered by tests/gui.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import pytest

from voicedesk.audio.inputs import InputChoice
from voicedesk.engine.events import (
    RUN_ENDED, RUN_NOT_STARTED, RUN_STOPPED, AudioLevel, EngineError, ErrorKind, FinalSegment, Lag, RunEnded,
    SpeakerLabels, Translation,
)
from voicedesk.engine.settings import EngineSettings
from voicedesk.models.choices import ModelChoice
from voicedesk.session import notices as n
from voicedesk.session.coordinator import SessionCoordinator
from voicedesk.session.journal import Journal, find_unfinished
from voicedesk.session.speakers import SpeakerBook, speaker_name
from voicedesk.session.transcript import Segment

MIC = InputChoice("Desk Mic", "pulse:desk", pulse_source="desk")
OTHER_MIC = InputChoice("Spare Mic", "pulse:spare", pulse_source="spare")


class FakeEngine:
    """Records what the core asks; `emit` plays the controller: events moved into session ids, then handed on."""

    def __init__(self) -> None:
        self.starts: list[tuple[EngineSettings, Any, Any]] = []
        self.calls: list[Any] = []

    def start(self, settings, source_factory, numbering) -> None:
        self.starts.append((settings, source_factory, numbering))

    def stop(self) -> None:
        self.calls.append("stop")

    def close_journal(self, clean: bool) -> None:
        self.calls.append(("close_journal", clean))

    def discard_journal(self) -> None:
        self.calls.append("discard_journal")

    def adopt_segments(self, segments, old_journal: Optional[Path] = None, speakers=None) -> None:
        self.calls.append(("adopt", [s.segment_id for s in segments], old_journal))


class Host:
    """What the window does with the core: holds the user's choices, shows notices, forwards engine events."""

    def __init__(self, model: str = "/models/base", installed: tuple[ModelChoice, ...] = ()) -> None:
        self.engine = FakeEngine()
        self.notices: list[Any] = []
        self.model = model
        self.now = 0.0
        self.core = SessionCoordinator(self.engine, self.show, lambda: EngineSettings(model=self.model),
                                       lambda: installed, file_source=lambda path: (lambda: path),
                                       clock=lambda: self.now)

    def show(self, notice: Any) -> None:
        self.notices.append(notice)
        if isinstance(notice, n.LighterChosen) and notice.plan.model:
            self.model = notice.plan.model      # the window selects it in the model dropdown

    def of(self, kind: type) -> list:
        return [x for x in self.notices if isinstance(x, kind)]

    def emit(self, event: Any) -> None:
        numbering = self.engine.starts[-1][2]
        if isinstance(event, AudioLevel):
            numbering.heard(event.end)
        self.core.on_event(numbering.to_session(event))

    def messages(self) -> list[str]:
        return [m.text for m in self.of(n.Message)]

    def overload(self, lag: float = 5.0, for_s: float = 11.0) -> None:
        """Transcription stays `lag` seconds behind for `for_s` seconds."""
        self.emit(Lag(lag))
        self.now += for_s
        self.core.tick()


def final(segment_id: int, start: float, end: float, text: str = "words") -> FinalSegment:
    return FinalSegment(segment_id, text, start, end, "en")


# ---- runs -------------------------------------------------------------------------------------


def test_a_run_is_over_only_when_the_engine_says_run_ended():
    host = Host()
    core = host.core
    assert core.start_live(MIC) and core.running and core.run_input is MIC
    started = host.of(n.RunStarted)[-1]
    assert (started.name, started.live, started.settings.model) == ("Desk Mic", True, "/models/base")
    assert not core.start_live(OTHER_MIC), "one run at a time"
    core.stop()
    core.stop()
    assert host.engine.calls == ["stop"] and core.stopping and core.running
    host.emit(RunEnded(RUN_STOPPED))
    assert not core.running and host.of(n.RunOver) == [n.RunOver(RUN_STOPPED)]


def test_nothing_starts_without_a_model_or_an_input_and_the_core_says_why():
    host = Host(model="")
    assert not host.core.start_live(MIC) and not host.core.open_file("talk.wav")
    assert len(host.of(n.NoModel)) == 2
    host.model = "/models/base"
    assert not host.core.start_live(None)
    assert host.of(n.Message)[-1].action is n.Action.LOOK_AGAIN and not host.engine.starts


def test_files_run_one_after_another_and_a_run_that_never_started_still_ends():
    host = Host()
    host.core.open_files(["a.wav", "b.mp3", "c.flac"])
    assert [factory() for _, factory, _ in host.engine.starts] == ["a.wav"]
    assert host.of(n.RunStarted)[-1].live is False
    host.emit(RunEnded(RUN_ENDED))
    host.emit(RunEnded(RUN_NOT_STARTED))      # the controller could not open b.mp3
    assert [factory() for _, factory, _ in host.engine.starts] == ["a.wav", "b.mp3", "c.flac"]
    host.emit(RunEnded(RUN_ENDED))
    assert not host.core.running


def test_segment_ids_and_times_go_on_across_runs_files_and_a_new_session():
    host = Host()
    host.core.open_file("one.wav")
    host.emit(final(0, 0.5, 3.0))
    host.emit(final(1, 3.5, 6.0))
    host.emit(Translation(0, "eins", "en", "de", 0.5, 6.0, segment_ids=(0, 1)))
    host.emit(RunEnded(RUN_ENDED))
    host.core.start_live(MIC)
    host.emit(AudioLevel(0.0, 2.0, 0.1, 0.2, False))
    host.emit(final(2, 2.5, 4.0))          # the same engine goes on counting from 2
    host.emit(RunEnded(RUN_STOPPED))
    host.core.start_live(MIC)
    host.emit(final(0, 0.0, 1.0))          # a new engine (another model) counts from 0 again
    host.emit(RunEnded(RUN_STOPPED))
    segments = host.core.session.segments()
    assert [(s.segment_id, s.start) for s in segments] == [(0, 0.5), (1, 3.5), (2, 8.5), (3, 10.0)]
    assert segments[0].translation == "eins"

    assert host.core.clear()
    assert host.core.session.is_empty and host.of(n.SessionReplaced)[-1].segments == ()
    assert host.engine.calls[-1] == "discard_journal"
    host.core.open_file("two.wav")
    host.emit(final(5, 1.0, 2.0))
    assert [(s.segment_id, s.start) for s in host.core.session.segments()] == [(0, 1.0)]


def test_an_opened_transcripts_speakers_keep_their_names_and_new_voices_get_new_numbers():
    host = Host()
    opened = [Segment(segment_id=0, start=0.0, end=2.0, text="Hola.", language="es", speaker=1),
              Segment(segment_id=1, start=2.0, end=4.0, text="Buenas.", language="es", speaker=2)]
    host.core.adopt(opened, SpeakerBook(names=((1, "Ana"),)))
    host.core.start_live(MIC)
    host.emit(FinalSegment(0, "Hello.", 0.0, 1.0, "en", speaker=1))    # a new session: the engine counts from 1
    host.emit(RunEnded(RUN_STOPPED))
    host.core.open_file("call.wav")
    host.emit(FinalSegment(0, "Yes.", 0.0, 1.0, "en"))
    host.emit(SpeakerLabels(((0, 1),), speakers=1))                    # the file's own clustering
    host.emit(RunEnded(RUN_ENDED))
    segments = host.core.session.segments()
    assert [s.speaker for s in segments] == [1, 2, 3, 4]
    assert speaker_name(segments[2].speaker, host.core.session.speakers.name_map) == "Speaker 3"


def test_export_marks_the_text_exported_and_closes_the_journal_clean_only_between_runs(tmp_path):
    host = Host()
    host.core.open_file("one.wav")
    host.emit(final(0, 0.0, 2.0, " Ask not."))
    written, fmt = host.core.export(str(tmp_path / "mid.srt"))
    assert fmt == "srt" and Path(written).is_file() and not host.core.session.has_unexported_changes
    assert ("close_journal", True) not in host.engine.calls, "a final may still be on its way into the journal"
    host.emit(RunEnded(RUN_ENDED))
    host.core.export(str(tmp_path / "after.txt"))
    assert host.engine.calls[-1] == ("close_journal", True)


def test_the_model_in_use_is_known_while_a_run_uses_it():
    host = Host()
    assert host.core.model_in_use is None
    host.core.start_live(MIC)
    host.model = "/models/other"               # the dropdown changed meanwhile: the run still uses base
    assert host.core.model_in_use == "/models/base"
    host.emit(RunEnded(RUN_STOPPED))
    assert host.core.model_in_use is None


def test_a_broken_speaker_model_leads_to_the_speaker_model_and_a_missing_whisper_model_to_a_folder():
    host = Host()
    host.core.start_live(MIC)
    host.emit(EngineError(ErrorKind.SPEAKER_MODEL, "/data/speaker-models/campplus.onnx is not a readable ONNX model",
                          fatal=False))
    speaker = host.of(n.Message)[-1]
    assert speaker.level is n.Level.WARNING and speaker.action is n.Action.GET_SPEAKER_MODEL
    assert str(speaker.text).endswith("The transcript goes on without speaker labels.")
    host.emit(EngineError(ErrorKind.MODEL, "Could not load the model /models/base", fatal=True))
    whisper = host.of(n.Message)[-1]
    assert whisper.level is n.Level.ERROR and whisper.action is n.Action.CHOOSE_MODEL_FOLDER


# ---- a lost microphone ------------------------------------------------------------------------


def lose_the_microphone(host: Host) -> None:
    host.emit(EngineError(ErrorKind.DEVICE, "The microphone was disconnected", fatal=True))
    host.emit(RunEnded(RUN_ENDED))


def test_a_lost_microphone_is_waited_for_and_listened_to_again_once_it_is_back():
    host = Host()
    core = host.core
    core.start_live(MIC)
    host.emit(final(0, 0.0, 2.0))
    lose_the_microphone(host)
    assert core.lost_input is MIC and host.of(n.WatchingLostInput)[-1].choice is MIC
    assert "kept" in host.messages()[-1] and "resumes" in host.messages()[-1]
    core.lost_input_checked(MIC, True)
    assert not core.running, "still listed while it closes: not a return"
    core.lost_input_checked(OTHER_MIC, False)   # an answer about another input changes nothing
    core.lost_input_checked(MIC, False)
    core.lost_input_checked(MIC, True)
    assert core.running and core.run_input is MIC and len(host.engine.starts) == 2
    assert host.of(n.InputBack)[-1].choice is MIC and "is back" in host.messages()[-1]
    assert core.lost_input is None and host.of(n.WatchingLostInput)[-1].choice is None


def test_choosing_another_microphone_stops_waiting_for_the_lost_one():
    host = Host()
    host.core.start_live(MIC)
    lose_the_microphone(host)
    host.core.start_live(OTHER_MIC)
    assert host.core.lost_input is None
    host.core.lost_input_checked(MIC, False)
    host.core.lost_input_checked(MIC, True)
    assert host.core.run_input is OTHER_MIC and len(host.engine.starts) == 2


# ---- overload ---------------------------------------------------------------------------------


def test_sustained_lag_offers_a_lighter_setting_once_and_only_for_live_input():
    host = Host()
    host.core.open_file("long.wav")
    host.overload(lag=30.0, for_s=60.0)
    assert not host.of(n.OverloadOffered), "a file is read as fast as it decodes: its lag means nothing"
    host.emit(RunEnded(RUN_ENDED))

    host.core.start_live(MIC)
    host.overload(lag=5.0, for_s=4.0)
    assert not host.of(n.OverloadOffered)
    host.now += 7.0
    host.core.tick()                           # the engine said nothing new; the host's timer re-checks
    offer, = host.of(n.OverloadOffered)
    assert offer.plan.beam_size == 1 and "greedy" in offer.plan.description
    host.overload(lag=9.0, for_s=30.0)
    assert len(host.of(n.OverloadOffered)) == 1, "said once per run"


def test_taking_the_lighter_setting_restarts_on_the_same_input_with_the_transcript_kept(tmp_path):
    big, small = tmp_path / "base", tmp_path / "tiny"
    for folder, size in ((big, 4000), (small, 1000)):
        folder.mkdir()
        (folder / "model.bin").write_bytes(b"\0" * size)
    host = Host(model=str(big), installed=(ModelChoice("base", str(big)), ModelChoice("tiny", str(small))))
    host.core.automatic_lighter = True
    host.core.start_live(MIC)
    host.emit(final(0, 0.0, 2.0))
    host.overload()
    assert host.core.restart_pending and host.engine.calls == ["stop"]
    host.emit(final(1, 2.5, 4.0))              # the utterance in progress is flushed as the run stops
    host.emit(RunEnded(RUN_STOPPED))
    settings, _, _ = host.engine.starts[-1]
    assert settings.model == str(small) and host.core.run_input is MIC and host.core.running
    assert "Switched to the tiny model" in host.messages()[-1]
    assert [s.segment_id for s in host.core.session.segments()] == [0, 1]


def test_fault1_a_lost_input_check_leaves_the_lighter_setting_and_the_pending_restart_alone():
    """A lost-microphone check once reset the overload state (four lines copied from __init__): the
    lighter setting taken was undone and the restart waiting for the run to stop was cancelled."""
    host = Host()
    core = host.core
    core.start_live(MIC)
    host.overload()
    core.apply_lighter()                       # the user clicks Switch: restart pending, run stopping
    assert core.restart_pending
    host.emit(EngineError(ErrorKind.DEVICE, "The microphone was disconnected", fatal=True))
    core.lost_input_checked(MIC, False)
    core.lost_input_checked(MIC, True)         # checks while the run winds down
    assert core.restart_pending, "the restart is still waiting for the run to end"
    host.emit(RunEnded(RUN_STOPPED))
    assert host.engine.starts[-1][0].decoding.beam_size == 1 and core.running

    lose_the_microphone(host)                  # the lighter run loses the microphone too
    core.lost_input_checked(MIC, False)
    assert core.beam_size == 1, "looking for the microphone keeps the lighter setting"
    core.lost_input_checked(MIC, True)
    assert host.engine.starts[-1][0].decoding.beam_size == 1 and core.run_input is MIC


# ---- closing ----------------------------------------------------------------------------------


def test_a_close_during_a_run_stops_it_first_and_starts_nothing_queued():
    host = Host()
    assert host.core.request_close() is True
    host.core.open_files(["a.wav", "b.wav"])
    assert host.core.request_close() is False and host.engine.calls == ["stop"]
    host.emit(RunEnded(RUN_STOPPED))
    assert host.of(n.ReadyToClose) and len(host.engine.starts) == 1


# ---- sessions that did not end normally -------------------------------------------------------


@pytest.fixture
def unfinished(tmp_path):
    journal = Journal.open_new({"model": "tiny.en"}, folder=tmp_path)
    for event in (final(0, 0.0, 3.0, " Ask not."), final(4, 4.0, 7.5, " Mr. Quilter."),
                  Translation(0, " Frage nicht.", "en", "de", 0.0, 3.0)):
        journal.append(event)
    journal._close_fd()   # as a crash leaves it: no "closed" record
    return find_unfinished(tmp_path)


def test_restore_brings_the_session_back_unexported_and_new_runs_go_on_after_it(unfinished):
    host = Host()
    host.core.recovery.offer(unfinished)
    assert host.of(n.RestoreOffered)[-1].info == unfinished[-1]
    assert host.core.restore()
    assert [s.segment_id for s in host.core.session.segments()] == [0, 4]
    assert host.core.session.has_unexported_changes and host.of(n.SessionReplaced)[-1].segments
    assert host.engine.calls[-1] == ("adopt", [0, 4], unfinished[-1].path)
    host.core.start_live(MIC)
    host.emit(final(0, 0.5, 1.0))
    assert host.core.session.segments()[-1].segment_id == 5 and host.core.session.segments()[-1].start == 8.0


def test_fault6_discard_waits_for_its_undo_time_and_undo_brings_the_offer_back(unfinished):
    host = Host()
    path = unfinished[-1].path
    host.core.recovery.offer(unfinished)
    host.core.recovery.discard()
    first = host.of(n.DiscardPending)[-1]
    assert first.undo_s == 10.0 and path.exists(), "nothing is deleted at once"
    host.core.recovery.undo()
    assert host.of(n.RestoreOffered)[-1].info == first.info and host.core.recovery.offered == first.info
    host.core.recovery.discard()
    second = host.of(n.DiscardPending)[-1]
    host.core.recovery.commit(first)            # the undone discard's time is up: it no longer counts
    assert path.exists()
    host.core.recovery.commit(second)
    assert not path.exists() and isinstance(host.notices[-1], n.RestoreWithdrawn)


def test_a_discard_still_waiting_for_its_undo_happens_when_the_app_closes(unfinished):
    host = Host()
    host.core.recovery.offer(unfinished)
    host.core.recovery.discard()
    assert host.core.request_close()
    assert not unfinished[-1].path.exists()


def test_a_blocked_microphone_hint_is_shown_as_a_warning_and_withdrawn_when_sound_arrives():
    from voicedesk.engine.events import SilentInput

    host = Host()
    assert host.core.start_live(MIC)
    host.emit(SilentInput(False))                      # sound without a hint before: nothing to take back
    assert host.of(n.MessageWithdrawn) == []
    host.emit(SilentInput(True, "Turn on the microphone switch"))
    assert host.of(n.Message)[-1] == n.Message("Turn on the microphone switch", n.Level.WARNING)
    assert host.core.running, "not an error: the run goes on"
    host.emit(SilentInput(False))
    assert host.of(n.MessageWithdrawn) == [n.MessageWithdrawn("Turn on the microphone switch")]
