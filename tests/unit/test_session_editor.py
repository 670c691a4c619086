"""The editor side of the session core: edits are journaled, told to the window, and their translations redone.

The engine side is a recording fake (journal requests, translation requests); the text translator's
answers are played back as `TextTranslator` gives them (tests/integration covers it with real packs).
"""

from __future__ import annotations

from typing import Any

from voicedesk.audio.inputs import InputChoice
from voicedesk.engine.events import FinalSegment, Translation
from voicedesk.engine.settings import EngineSettings
from voicedesk.engine.translation.user_text import TextAnswer, TextRequest, TextTranslator
from voicedesk.session.coordinator import SessionCoordinator
from voicedesk.session.editor import SentencesChanged, TranscriptEditor, TypedLineAnswered
from voicedesk.session.edits import Revision
from voicedesk.session.notices import Message


class FakeEngine:
    def __init__(self) -> None:
        self.revisions: list[Revision] = []
        self.requests: list[TextRequest] = []

    def start(self, settings, source_factory, numbering) -> None:
        pass

    def stop(self) -> None:
        pass

    def close_journal(self, clean: bool) -> None:
        pass

    def discard_journal(self) -> None:
        pass

    def adopt_segments(self, segments, old_journal=None, speakers=None) -> None:
        pass

    def journal_revision(self, revision: Revision) -> None:
        self.revisions.append(revision)

    def translate_text(self, request: TextRequest) -> None:
        self.requests.append(request)


def make_editor() -> tuple[SessionCoordinator, FakeEngine, TranscriptEditor, list[Any]]:
    engine = FakeEngine()
    told: list[Any] = []
    core = SessionCoordinator(engine, told.append, lambda: EngineSettings(model="/models/base"))
    editor = TranscriptEditor(core, engine, told.append)
    for event in (FinalSegment(0, "Hello there.", 0.0, 1.0, "en"), FinalSegment(1, "How are you", 2.0, 3.0, "en"),
                  FinalSegment(2, "today?", 3.5, 4.0, "en", sentence_id=1),
                  Translation(0, "Hallo.", "en", "de", 0.0, 1.0, engine="argos"),
                  Translation(1, "Wie geht es?", "en", "de", 2.0, 4.0, segment_ids=(1, 2), engine="whisper+argos")):
        core.on_event(core.numbering.to_session(event))   # as the controller hands them on
    return core, engine, editor, told


def test_an_edit_is_journaled_shown_and_its_translation_asked_for_from_the_new_text():
    core, engine, editor, told = make_editor()
    assert editor.edit(0, "Hello their.")
    assert [r.op for r in engine.revisions] == ["edit"]
    [change] = [t for t in told if isinstance(t, SentencesChanged)]
    assert [s.text for s in change.sentences] == ["Hello their."] and change.sentences[0].translation_outdated
    [request] = engine.requests
    assert (request.text, request.source, request.target) == ("Hello their.", "en", "de")

    editor.on_text_answer(TextAnswer(request, "Hallo dort.", "argos"))
    sentence = editor.sentence(0)
    assert sentence.translation == "Hallo dort." and not sentence.translation_outdated
    assert sentence.translation_engine == "argos" and engine.revisions[-1].op == "translated"


def test_an_answer_for_text_edited_since_is_dropped_and_a_missing_pack_is_said_once():
    core, engine, editor, told = make_editor()
    editor.edit(1, "How are you doing today?")
    editor.edit(1, "How are you all today?")
    first, second = engine.requests
    editor.on_text_answer(TextAnswer(first, "stale", "argos"))
    assert editor.sentence(1).translation == "Wie geht es?" and editor.sentence(1).translation_outdated
    problem = "No language pack translates en\u2192de. Get one with: voicedesk languages install en-de."
    editor.on_text_answer(TextAnswer(second, None, problem=problem, pack="en-de"))
    editor.on_text_answer(TextAnswer(second, None, problem=problem, pack="en-de"))
    said = [t.text for t in told if isinstance(t, Message)]
    assert len(said) == 1 and "marked outdated" in said[0] and "en-de" in said[0]
    assert editor.sentence(1).translation_outdated


def test_split_merge_and_one_undo():
    core, engine, editor, told = make_editor()
    assert editor.split(1, 3)                       # "How are you | today?" at the utterance boundary
    assert [s.text for s in core.session.sentences()] == ["Hello there.", "How are you", "today?"]
    assert editor.merge_with_next(0)
    assert [s.text for s in core.session.sentences()] == ["Hello there. How are you", "today?"]
    assert editor.undo() and not editor.can_undo
    assert [s.text for s in core.session.sentences()] == ["Hello there.", "How are you", "today?"]
    assert not editor.merge_with_next(2)            # the last line has no next one
    assert "no next line" in told[-1].text


def test_while_listening_the_line_being_heard_is_not_split_but_earlier_ones_are():
    core, engine, editor, told = make_editor()
    core.start_live(InputChoice("Desk Mic", "pulse:desk", pulse_source="desk"))   # a run in progress
    assert core.running
    assert not editor.split(1, 1)
    assert "still being heard" in told[-1].text
    assert editor.split(0, 1)
    # a final of the run that comes after the split gets an id of its own
    numbering = core.numbering
    final = numbering.to_session(FinalSegment(0, "Next.", 0.5, 1.0, "en"))
    assert final.segment_id not in {s.segment_id for s in core.session.segments()}


def test_a_typed_line_joins_the_session_once_translated_and_a_missing_pack_is_named():
    core, engine, editor, told = make_editor()
    translator = TextTranslator(lambda answer: None, pairs=lambda: [("en", "de")],
                                route=lambda s, t: (_ for _ in ()).throw(AssertionError("no route needed")))
    assert editor.type_line("  see you  soon ", "en", "fr")
    [request] = engine.requests
    answer = translator.translate(request)
    assert answer.translation is None and answer.pack == "en-fr" and "voicedesk languages install en-fr" in answer.problem
    editor.on_text_answer(answer)
    assert told[-1] == TypedLineAnswered("see you soon", answer.problem, "en-fr")
    assert len(core.session) == 3

    editor.type_line("see you soon", "en", "en")
    editor.on_text_answer(translator.translate(engine.requests[-1]))
    typed = core.session.sentences()[-1]
    assert typed.typed and typed.text == typed.translation == "see you soon" and typed.start >= 4.0
    assert told[-1] == TypedLineAnswered("see you soon")
    assert editor.undo() and len(core.session) == 3
