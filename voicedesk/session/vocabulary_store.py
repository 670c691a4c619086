"""The app's custom vocabulary on disk: `<user data>/vocabulary.txt`, one term per line.

A plain file rather than a QSettings value, so the same list can be edited by hand and given to
the command line (`voicedesk transcribe --vocabulary ~/.local/share/voicedesk/vocabulary.txt`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from voicedesk.engine.vocabulary import VocabularyError, VocabularyList, format_vocabulary, read_vocabulary
from voicedesk.i18n import translate
from voicedesk.session.atomicfile import write_atomic

FILE_NAME = "vocabulary.txt"


def vocabulary_path() -> Path:
    from voicedesk.paths import user_data_dir

    return user_data_dir() / FILE_NAME


def load_vocabulary(path: Optional[Path] = None) -> VocabularyList:
    """The saved list; none saved is an empty list, and an unreadable file an empty list with a note saying why."""
    path = path or vocabulary_path()
    if not path.exists():
        return VocabularyList()
    try:
        return read_vocabulary(path)
    except VocabularyError as exc:
        return VocabularyList((), (exc.args[0],))


def save_vocabulary(terms: Iterable[str], path: Optional[Path] = None) -> None:
    """Write the list atomically; VocabularyError with a one-line reason when it cannot be written."""
    path = path or vocabulary_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, format_vocabulary(terms).encode("utf-8"))
    except OSError as exc:
        raise VocabularyError(translate("Vocabulary", "Cannot save the vocabulary in {path}: {reason}").format(
            path=str(path), reason=exc.strerror or str(exc))) from None
