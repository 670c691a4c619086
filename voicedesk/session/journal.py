"""A durable session journal: every final segment, settled sentence and translation is on disk before anyone shows it.

The journal is a JSON-lines file in `<user data>/journal/` (the `VOICEDESK_DATA_DIR` environment
variable replaces `<user data>`): one header record, then one record per FinalSegment or
Translation, each written with a single `os.write` and `os.fsync`ed before `append` returns, and a
`closed` record when the session ends cleanly. A journal without that record belongs to a session
that crashed, was killed or lost power; `find_unfinished` lists them and `recover` reads one back
(a torn last line, the usual trace of a kill mid-write, is ignored).

Records are the events' own JSON (`event_to_dict`), so they carry the event schema's version
`"v"`. Format 2 (schema 2) adds `sentence_id` to finals and `segment_ids` / `engine` to
translations; format 1 journals have neither and still restore, each final then a sentence of
its own and each translation covering its `segment_id` alone.

Settled sentences (schema 3) are `settled` records within format 2, additive like revisions: a reader
that does not know them restores the provisional finals.

The reader's edits (`session/edits.py`) are `revision` records within format 2 (additive, as the
`ModelReady` event was: a reader that does not know the kind skips it, and restores the text as
heard): each holds the whole new state of the segments it touched and the ids it removed, so a
journal restores the edited text, typed lines and outdated marks in the order they were made.

Speaker names and merges the user made (`session/speakers.py`) are `speaker_book` records within format 2,
additive the same way: each holds the whole book, and the segments a merge moved are restored moved.

A failed write (full disk, file too large, vanished folder) never takes the app down: `append`
keeps the record in memory, raises `JournalError` once with a one-line message, and retries the
backlog on every later append, so the journal catches up when space comes back.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import threading
import uuid
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Union

from voicedesk import __version__
from voicedesk.i18n import translate
from voicedesk.engine.events import (
    TRANSCRIPT_EVENTS,
    EngineError, ErrorKind, Event, EventSink, FinalSegment, Settled, SpeakerLabels, Translation, event_to_dict,
)
from voicedesk.session import file_lock
from voicedesk.session.atomicfile import fsync_folder, write_failure_reason
from voicedesk.session.edits import Revision, carried, revision_from_record, revision_record, speaker_number, speech_stretches
from voicedesk.session.speakers import NO_SPEAKER_NAMES, SpeakerBook
from voicedesk.session.transcript import Segment, Session, segment_events

FORMAT_VERSION = 2
SUFFIX = ".jsonl"

PathLike = Union[str, "os.PathLike[str]"]


class JournalError(Exception):
    """The journal could not be written or read (message is user-facing, one line)."""


def data_dir() -> Path:
    """The user data folder (`VOICEDESK_DATA_DIR` overrides the platform's one, see voicedesk.paths)."""
    from voicedesk.paths import user_data_dir

    return user_data_dir()


def journal_dir() -> Path:
    return data_dir() / "journal"


@dataclass(frozen=True)
class JournalInfo:
    """What a restore dialog shows about an unfinished journal."""

    path: Path
    session_id: str
    started_at: str                 # ISO 8601, local time with offset
    app_version: str
    settings: dict[str, Any]
    segment_count: int              # finals (utterances)
    translation_count: int          # translated sentences
    last_end: float                 # session seconds of the last final segment
    last_text: str
    sentence_count: int = 0         # sentences the finals form (format 1: one per final)


class Journal:
    """One session's journal file; `append` is thread-safe."""

    def __init__(self, path: Path, fd: int, session_id: str) -> None:
        self.path = path
        self.session_id = session_id
        self._fd: Optional[int] = fd
        self._lock = threading.Lock()
        self._backlog: list[bytes] = []          # records not yet durable (after a failed write)
        self._good_size = os.fstat(fd).st_size   # bytes that hold whole records
        self._failing = False
        self.closed_clean = False

    # --- lifecycle ---------------------------------------------------------------------

    @classmethod
    def open_new(cls, settings: Any = None, folder: Optional[PathLike] = None,
                 session_id: Optional[str] = None) -> "Journal":
        """Create a journal for a new session and write its header durably; raises JournalError."""
        folder = Path(folder) if folder is not None else journal_dir()
        session_id = session_id or uuid.uuid4().hex
        now = _dt.datetime.now().astimezone()
        path = folder / f"session-{now:%Y%m%d-%H%M%S}-{session_id[:8]}{SUFFIX}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # binary (O_BINARY on Windows): the byte counts used to cut a failed write must be exact
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | file_lock.OPEN_FLAGS, 0o600)
        except OSError as exc:
            raise JournalError(translate("Journal", "Cannot create the session journal in {folder}: {reason}").format(
                folder=folder, reason=write_failure_reason(exc))) from exc
        # a live journal is locked, so another running copy never offers it for restore nor deletes it
        file_lock.try_lock(fd)
        journal = cls(path, fd, session_id)
        header = {
            "type": "header",
            "format": FORMAT_VERSION,
            "session_id": session_id,
            "started_at": now.isoformat(timespec="seconds"),
            "app_version": __version__,
            "settings": _settings_summary(settings),
        }
        try:
            journal._write(_encode(header))
        except JournalError:
            journal._close_fd()
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        fsync_folder(folder)             # the new file's name is durable too
        return journal

    def close(self, clean: bool) -> None:
        """End the session. `clean=True` marks it finished (never offered for restore); idempotent.

        A clean close whose marker cannot be written leaves the journal unfinished, which errs on
        the side of offering a restore; it raises JournalError so the caller can say so.
        """
        with self._lock:
            if self._fd is None:
                return
            try:
                if clean:
                    self._backlog.append(_encode({"type": "closed", "clean": True, "at": _now_iso()}))
                    self._flush_backlog()
                    self.closed_clean = True
            finally:
                self._close_fd()

    def delete(self) -> None:
        """Close (if open) and remove the file: for sessions that were exported or discarded."""
        self.close(clean=False)
        discard(self.path)

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, exc_type, *rest: object) -> None:
        self.close(clean=exc_type is None)

    # --- writing -----------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._fd is not None

    @property
    def backlog(self) -> int:
        """Records kept in memory because the disk refused them."""
        with self._lock:
            return len(self._backlog)

    def append(self, event: Union[Event, Revision, SpeakerBook]) -> bool:
        """Make a FinalSegment, Translation, Revision or SpeakerBook durable; True once it (and any backlog) is on disk.

        Other events are ignored (False). Raises JournalError once when writing starts failing (the
        record stays in memory and is retried with the next append); later failures return False
        silently until a write succeeds again.
        """
        if isinstance(event, Revision):
            record = revision_record(event, FORMAT_VERSION)
        elif isinstance(event, SpeakerBook):
            record = event.to_record()
        elif isinstance(event, TRANSCRIPT_EVENTS):
            record = event_to_dict(event)
        else:
            return False
        with self._lock:
            if self._fd is None:
                raise JournalError("The session journal is closed.")
            self._backlog.append(_encode(record))
            try:
                self._flush_backlog()
            except JournalError:
                if self._failing:
                    return False
                self._failing = True
                raise
            self._failing = False
            return True

    def append_segments(self, segments: Iterable[Segment], speakers: SpeakerBook = NO_SPEAKER_NAMES) -> bool:
        """Journal segments that already exist (a restored or opened session carried into a new journal).

        Each sentence goes in as its finals, then one translation covering all of them, as it
        would have arrived live. Every record is queued even when writing fails; the first
        JournalError is raised once all are (the backlog is retried with later appends).
        """
        durable = True
        problem: Optional[JournalError] = None
        segments = list(segments)
        marks = carried(segments)          # edit marks that finals and translations do not carry
        book = [] if speakers.is_empty else [speakers]
        for event in [*segment_events(segments), *([marks] if marks else []), *book]:
            try:
                durable = self.append(event) and durable
            except JournalError as exc:
                problem, durable = problem or exc, False
        if problem is not None:
            raise problem
        return durable

    def _flush_backlog(self) -> None:
        while self._backlog:
            self._write(self._backlog[0])
            self._backlog.pop(0)

    def _write(self, record: bytes) -> None:
        assert self._fd is not None
        try:
            view = memoryview(record)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            os.fsync(self._fd)
        except OSError as exc:
            # Cut off a half-written record so the next successful write starts on a clean line.
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, self._good_size)
            raise JournalError(translate("Journal", "The session journal could not be saved ({reason}); the transcript "
                                         "is kept in memory, export it to keep it.").format(
                reason=write_failure_reason(exc))) from exc
        self._good_size += len(record)

    def _close_fd(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            file_lock.unlock(fd)
            with contextlib.suppress(OSError):
                os.close(fd)


class JournalSink:
    """An event sink that journals finals and translations, then passes every event downstream.

    The journal write comes first, so whatever the downstream shows is already on disk. When the
    journal starts failing, one non-fatal EngineError goes downstream (before the event itself);
    the event is still delivered, so the session in memory stays whole.
    """

    def __init__(self, journal: Journal, downstream: EventSink) -> None:
        self.journal = journal
        self.downstream = downstream
        self.last_error: Optional[JournalError] = None

    def __call__(self, event: Event) -> None:
        if isinstance(event, TRANSCRIPT_EVENTS) and self.journal.is_open:
            try:
                self.journal.append(event)
            except JournalError as exc:
                self.last_error = exc
                self.downstream(EngineError(ErrorKind.STORAGE, str(exc), fatal=False, emitted_at=event.emitted_at))
        self.downstream(event)


# --- reading -----------------------------------------------------------------------------


def _records(path: Path) -> Iterator[dict[str, Any]]:
    """The file's whole records; a torn or garbled line (a kill mid-write) is skipped."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise JournalError(translate("Journal", "Cannot read the session journal {name}: {reason}").format(
            name=path.name, reason=write_failure_reason(exc))) from exc
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(record, dict):
            yield record


def _event_from(record: dict[str, Any]) -> Optional[Event]:
    """The event a record holds (format 1 or 2), or None for other records and unreadable ones."""
    kind = record.get("type")
    try:
        if kind == "final":
            return FinalSegment(int(record["segment_id"]), str(record["text"]), float(record["start"]),
                                float(record["end"]), str(record.get("language", "")),
                                float(record.get("emitted_at", 0.0)),
                                sentence_id=int(record.get("sentence_id", -1)),   # absent in format 1
                                speaker=speaker_number(record.get("speaker")),       # absent before schema 4
                                speech=speech_stretches(record.get("speech")))
        if kind == "settled":   # schema 3, additive within format 2: an older reader skips it
            return Settled(int(record["sentence_id"]), tuple(int(i) for i in record["segment_ids"]),
                           str(record["text"]), str(record.get("language", "")), float(record.get("start", 0.0)),
                           float(record.get("end", 0.0)), float(record.get("emitted_at", 0.0)),
                           words=tuple((str(w), float(a), float(b)) for w, a, b in record.get("words") or ()),
                           speaker=speaker_number(record.get("speaker")))
        if kind == "speakers":  # schema 4
            return SpeakerLabels(tuple((int(s), int(n)) for s, n in record["labels"]), int(record.get("speakers", 0)),
                                 float(record.get("emitted_at", 0.0)))
        if kind == "translation":
            return Translation(int(record["segment_id"]), str(record["text"]), str(record.get("source_language", "")),
                               str(record["target_language"]), float(record.get("start", 0.0)),
                               float(record.get("end", 0.0)), float(record.get("emitted_at", 0.0)),
                               segment_ids=tuple(int(i) for i in record.get("segment_ids") or ()),
                               engine=str(record.get("engine") or ""))
    except (KeyError, TypeError, ValueError):
        return None
    return None


def recover(path: PathLike) -> list[Segment]:
    """The segments a journal holds, ordered by start time, with their sentence ids; each sentence's
    translation, if one was saved, is on its first segment (see `transcript.Session`)."""
    return recover_session(path).segments()


def recover_session(path: PathLike) -> Session:
    """The session a journal holds: its segments (as `recover` gives them) and the user's speaker book."""
    records = list(_records(Path(path)))
    if not records or records[0].get("type") != "header":
        raise JournalError(translate("Journal", "{name} is not a voicedesk session journal.").format(
            name=Path(path).name))
    session = Session()
    for record in records[1:]:
        if record.get("type") == "revision":
            revision = revision_from_record(record)
            if revision is not None:
                session.revise(revision.segments, revision.removed)
            continue
        if record.get("type") == "speaker_book":
            book = SpeakerBook.from_record(record)
            if book is not None:
                session.set_speakers(book)
            continue
        event = _event_from(record)
        if event is not None:
            session.apply(event)
    return session


def read_info(path: PathLike) -> tuple[JournalInfo, bool]:
    """A journal's summary and whether it was closed cleanly; raises JournalError if not a journal."""
    path = Path(path)
    records = list(_records(path))
    if not records or records[0].get("type") != "header":
        raise JournalError(translate("Journal", "{name} is not a voicedesk session journal.").format(name=path.name))
    header = records[0]
    finals = {}
    translations = set()
    clean = False
    for record in records[1:]:
        kind = record.get("type")
        if kind == "final":
            finals[record.get("segment_id")] = record
        elif kind == "translation":
            translations.add(record.get("segment_id"))   # the sentence's first final, in both formats
        elif kind == "revision":
            revision = revision_from_record(record) or Revision("", ())
            for segment_id in revision.removed:
                finals.pop(segment_id, None)
            for segment in revision.segments:
                finals[segment.segment_id] = {"segment_id": segment.segment_id, "text": segment.text,
                                              "end": segment.end, "sentence_id": segment.sentence_id}
                if segment.translation is not None:
                    translations.add(segment.segment_id)
        elif kind == "closed":
            clean = bool(record.get("clean", True))
    sentences = {r.get("sentence_id", segment_id) for segment_id, r in finals.items()}
    last = max(finals.values(), key=lambda r: (float(r.get("end", 0.0)), r.get("segment_id", 0)), default=None)
    info = JournalInfo(
        path=path,
        session_id=str(header.get("session_id", "")),
        started_at=str(header.get("started_at", "")),
        app_version=str(header.get("app_version", "")),
        settings=dict(header.get("settings") or {}),
        segment_count=len(finals),
        translation_count=len(translations & set(finals)),
        last_end=float(last.get("end", 0.0)) if last else 0.0,
        last_text=str(last.get("text", "")).strip() if last else "",
        sentence_count=len(sentences),
    )
    return info, clean


def find_unfinished(folder: Optional[PathLike] = None) -> list[JournalInfo]:
    """Journals of sessions that ended without a clean close (oldest first), skipping live ones.

    A journal still locked by a running voicedesk (this process included) is not listed, nor is
    one with no final segment (nothing to restore).
    """
    folder = Path(folder) if folder is not None else journal_dir()
    found = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if _is_locked(path):
            continue
        try:
            info, clean = read_info(path)
        except JournalError:
            continue
        if not clean and info.segment_count:
            found.append(info)
    return found


def discard(path: PathLike) -> None:
    """Remove a journal (after its session was restored and exported, or the user declined)."""
    with contextlib.suppress(FileNotFoundError):
        Path(path).unlink()


def delete_finished(folder: Optional[PathLike] = None) -> int:
    """Remove every cleanly closed journal; returns how many went."""
    folder = Path(folder) if folder is not None else journal_dir()
    removed = 0
    for path in folder.glob(f"*{SUFFIX}"):
        try:
            _, clean = read_info(path)
        except JournalError:
            continue
        if clean and not _is_locked(path):
            discard(path)
            removed += 1
    return removed


# --- helpers -----------------------------------------------------------------------------


def _is_locked(path: Path) -> bool:
    # even this process's own live journal reads as locked (file_lock explains why, per platform)
    return file_lock.is_locked(path)


def _encode(record: dict[str, Any]) -> bytes:
    # One line per record, no raw newlines inside, so a torn write can only damage the last line.
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _settings_summary(settings: Any) -> dict[str, Any]:
    if settings is None:
        return {}
    if callable(getattr(settings, "flat", None)):
        data = settings.flat()            # EngineSettings: every setting by its flat name
    elif is_dataclass(settings) and not isinstance(settings, type):
        data = asdict(settings)
    elif isinstance(settings, dict):
        data = dict(settings)
    else:
        return {"repr": repr(settings)}
    return {k: v for k, v in data.items() if isinstance(v, (str, int, float, bool, type(None)))}


def _now_iso() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")

