"""The reader's edits of the session (Qt-free): edit, split, merge, undo, typed lines, and redoing translations.

Each edit becomes a `Revision` (session/edits.py) that is applied to the session, journaled through the
port (on the engine side's thread: fsync never on the GUI thread) and told to the window as
`SentencesChanged`. An edited sentence whose translation is outdated is translated again from its new
text with the installed text routes (`TextRequest`); the answer comes back through `on_text_answer`.
A typed line is translated first and goes into the session with its translation.

While listening, the line being heard may still grow: it can be edited (later words join the edited
text) but not split or merged until the next line starts or listening stops.

Speakers: renaming a speaker or merging two is a new `SpeakerBook` for the session, journaled whole and told
as `SpeakersChanged` (every line, since any line may show the speaker). Undo takes back the last edit, rename
or merge (one level): a merge's undo gives the moved lines their speaker again.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Protocol

from voicedesk.engine.events import SpeakerLabels, Translation
from voicedesk.i18n import reason_of, translate
from voicedesk.engine.translation.user_text import TextAnswer, TextRequest
from voicedesk.session import edits
from voicedesk.session.coordinator import SessionCoordinator
from voicedesk.session.edits import EditError, Revision
from voicedesk.session.notices import Level, Message
from voicedesk.session.speakers import SpeakerBook
from voicedesk.session.transcript import Segment, Sentence, Session

log = logging.getLogger(__name__)

SENTENCE, TYPED = "sentence", "typed"


@dataclass(frozen=True)
class SpeakersBefore:
    """What an undo of a rename or merge puts back: the book, and the speaker of each line the merge moved."""

    book: SpeakerBook
    moved: tuple[tuple[int, int], ...]     # (segment id, its speaker before); a line with no speaker never moves


class EditorPort(Protocol):
    """What the editor asks of the engine side: journal a revision, translate a text (answer: on_text_answer)."""

    def journal_revision(self, revision: Revision) -> None: ...

    def journal_speakers(self, book: SpeakerBook, restored: tuple[tuple[int, int], ...] = ()) -> None: ...

    def translate_text(self, request: TextRequest) -> None: ...


@dataclass(frozen=True)
class SentencesChanged:
    """Show these sentences as they are now, and drop the lines of `removed` (sentence ids)."""

    sentences: tuple[Sentence, ...]
    removed: tuple[int, ...] = ()


@dataclass(frozen=True)
class TypedLineAnswered:
    """A typed text was translated and added (`problem` empty), or could not be (`problem` says why)."""

    text: str
    problem: str = ""
    pack: Optional[str] = None


@dataclass(frozen=True)
class SpeakersChanged:
    """The user's speaker names or merges changed: show `sentences` (every line) with the new `speakers`."""

    speakers: SpeakerBook
    sentences: tuple[Sentence, ...]


EditorNotice = object   # SentencesChanged | SpeakersChanged | TypedLineAnswered | Message


class TranscriptEditor:
    """Edits of `core.session`; `notify` gets SentencesChanged, TypedLineAnswered and Message notices."""

    def __init__(self, core: SessionCoordinator, port: EditorPort, notify: Callable[[EditorNotice], None]) -> None:
        self._core = core
        self._port = port
        self._notify = notify
        # the inverse of the last edit, rename or merge, in its session
        self._undo: Optional[tuple[Session, Revision | SpeakersBefore]] = None
        self._typed_keys = itertools.count()
        self._told: set[str] = set()

    @property
    def session(self) -> Session:
        return self._core.session

    def sentence(self, sentence_id: int) -> Optional[Sentence]:
        return next((s for s in self.session.sentences() if s.sentence_id == sentence_id), None)

    @property
    def can_undo(self) -> bool:
        return self._undo is not None and self._undo[0] is self.session

    # ------------------------------------------------------------------ the reader's edits

    def edit(self, sentence_id: int, text: str) -> bool:
        """The line `sentence_id` now reads `text`; False (with a message) when it cannot."""
        return self._edit(lambda: edits.edit_text(self._segments_of(sentence_id), text))

    def split(self, sentence_id: int, word_index: int) -> bool:
        """Cut the line before its word `word_index` into two lines."""
        def make() -> Optional[Revision]:
            self._check_settled(sentence_id)
            return edits.split_sentence(self._segments_of(sentence_id), word_index, self._new_id())

        return self._edit(make)

    def merge_with_next(self, sentence_id: int) -> bool:
        """Join the line `sentence_id` and the line after it."""
        def make() -> Optional[Revision]:
            sentences = self.session.sentences()
            index = next((i for i, s in enumerate(sentences) if s.sentence_id == sentence_id), None)
            if index is None or index + 1 >= len(sentences):
                raise EditError(translate("Edits", "There is no next line to merge with."))
            following = sentences[index + 1].sentence_id
            self._check_settled(sentence_id)
            self._check_settled(following)
            return edits.merge_sentences(self._segments_of(sentence_id), self._segments_of(following))

        return self._edit(make)

    def undo(self) -> bool:
        """Take back the last edit, rename or merge (one level); False when there is none."""
        if not self.can_undo:
            return False
        assert self._undo is not None
        _, inverse = self._undo
        self._undo = None
        if isinstance(inverse, SpeakersBefore):
            session = self.session
            session.set_speakers(inverse.book)
            session.apply(SpeakerLabels(inverse.moved, speakers=len({speaker for _, speaker in inverse.moved})))
            self._port.journal_speakers(inverse.book, inverse.moved)
            self._notify(SpeakersChanged(inverse.book, tuple(session.sentences())))
        else:
            self._commit(inverse, undoable=False)
        return True

    # ------------------------------------------------------------------ speakers

    def speakers_heard(self) -> list[int]:
        """The speaker numbers the transcript's lines carry now, in order of first appearance."""
        heard: list[int] = []
        for sentence in self.session.sentences():
            if sentence.speaker is not None and sentence.speaker not in heard:
                heard.append(sentence.speaker)
        return heard

    def rename_speaker(self, speaker: int, name: str) -> bool:
        """Speaker `speaker` is called `name` on every line, in the journal and in exports ("" gives "Speaker N")."""
        return self._set_speakers(self.session.speakers.renamed(speaker, name))

    def merge_speakers(self, speaker: int, into: int) -> bool:
        """Every line of `speaker`, and what the engine labels it with later, becomes `into`'s: one action."""
        return self._set_speakers(self.session.speakers.merged_into(speaker, into))

    def _set_speakers(self, book: SpeakerBook) -> bool:
        session = self.session
        before = session.speakers
        if book == before:
            return False
        speakers = {segment.segment_id: segment.speaker for segment in session.segments()}
        moved = session.set_speakers(book)
        self._undo = (session, SpeakersBefore(before, tuple(
            (s.segment_id, was) for s in moved if (was := speakers[s.segment_id]) is not None)))
        self._port.journal_speakers(book)
        self._notify(SpeakersChanged(book, tuple(session.sentences())))
        return True

    # ------------------------------------------------------------------ commits

    def _edit(self, make: Callable[[], Optional[Revision]]) -> bool:
        try:
            revision = make()
        except EditError as exc:
            self._notify(Message(reason_of(exc), Level.INFO))
            return False
        if revision is None:
            return False
        self._commit(revision, undoable=True)
        return True

    def _segments_of(self, sentence_id: int) -> list[Segment]:
        sentence = self.sentence(sentence_id)
        if sentence is None:
            raise EditError(translate("Edits", "That line is no longer in the transcript."))
        return [s for s in (self.session.segment(i) for i in sentence.segment_ids) if s is not None]

    def _new_id(self) -> int:
        new = self._core.numbering.new_id()
        while self.session.segment(new) is not None:   # only ever true for a session the numbering never saw
            new = self._core.numbering.new_id()
        return new

    def _check_settled(self, sentence_id: int) -> None:
        """While listening, the last heard line may still grow: it is not cut or joined yet."""
        if not self._core.running:
            return
        heard = [s for s in self.session.sentences() if not s.typed]
        if heard and heard[-1].sentence_id == sentence_id:
            raise EditError(translate(
                "Edits", "This line is still being heard: split or merge it once the next line starts or listening stops."))

    def _commit(self, revision: Revision, undoable: bool) -> None:
        session = self.session
        touched = {s.segment_id for s in revision.segments} | set(revision.removed)
        before = [s for s in (session.segment(i) for i in sorted(touched)) if s is not None]
        before_sentences = {s.sentence_id for s in before}
        session.revise(revision.segments, revision.removed)
        self._port.journal_revision(revision)
        if undoable:
            self._undo = (session, edits.undo_of(revision, before))
        now = {s.sentence_id: s for s in session.sentences()}
        changed_ids = before_sentences | set(revision.sentence_ids)
        changed = tuple(now[i] for i in sorted(changed_ids) if i in now)
        removed = tuple(i for i in sorted(before_sentences) if i not in now)
        self._notify(SentencesChanged(changed, removed))
        for sentence in changed:
            self._translate_again(sentence)

    # ------------------------------------------------------------------ translations made again

    def _translate_again(self, sentence: Sentence) -> None:
        target = edits.needs_translation(sentence)
        if target is None or not sentence.language:
            return
        self._port.translate_text(TextRequest((SENTENCE, sentence.sentence_id), sentence.text,
                                              sentence.language, target))

    def on_translation(self, event: Translation) -> None:
        """The engine translated a sentence (already in the session): one the reader edited is redone."""
        sentence = self.sentence(event.segment_ids[0])
        if sentence is not None and sentence.translation_outdated:
            self._notify(SentencesChanged((sentence,)))
            self._translate_again(sentence)

    def on_text_answer(self, answer: TextAnswer) -> None:
        """A translation asked for by `_translate_again` or `type_line` is done (or could not be made)."""
        kind, key = answer.request.key if isinstance(answer.request.key, tuple) else (None, None)
        if kind == SENTENCE:
            self._sentence_translated(int(key), answer)
        elif kind == TYPED:
            self._typed_translated(answer)

    def _sentence_translated(self, sentence_id: int, answer: TextAnswer) -> None:
        sentence = self.sentence(sentence_id)
        if sentence is None or sentence.text != answer.request.text or not sentence.translation_outdated:
            return  # edited again (a newer request is on its way), or gone
        if answer.translation is None:
            self._tell_once(translate("Edits", "The translation of the edited line is kept, marked outdated: {problem}")
                            .format(problem=answer.problem))
            return
        anchor = self.session.segment(sentence_id)
        if anchor is None:
            return
        self._commit(edits.translated(anchor, answer.translation, answer.request.target, answer.engine),
                     undoable=False)

    def _tell_once(self, text: str) -> None:
        if text not in self._told:
            self._told.add(text)
            self._notify(Message(text, Level.INFO))

    # ------------------------------------------------------------------ typed lines

    def type_line(self, text: str, source: Optional[str], target: Optional[str]) -> bool:
        """Translate a typed text from `source` into `target`; it joins the session once translated."""
        text = " ".join(text.split())
        if not text:
            return False
        if not source or not target:
            return False
        self._port.translate_text(TextRequest((TYPED, next(self._typed_keys)), text, source, target))
        return True

    def _typed_translated(self, answer: TextAnswer) -> None:
        request = answer.request
        if answer.translation is None:
            self._notify(TypedLineAnswered(request.text, answer.problem, answer.pack))
            return
        numbering = self._core.numbering
        revision = edits.typed_line(self._new_id(), numbering.now(), request.text, request.source,
                                    answer.translation, request.target, answer.engine)
        self._commit(revision, undoable=True)
        self._notify(TypedLineAnswered(request.text))


def marked_sentences(sentences: Iterable[Sentence]) -> tuple[Sentence, ...]:
    """The sentences that carry an edit mark (what a window rebuilt from finals must show again)."""
    return tuple(s for s in sentences if s.edited or s.typed or s.translation_outdated)

