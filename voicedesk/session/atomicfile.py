"""Durable file writing: atomic replacement, folder fsync, and what a failed write means to the user."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from voicedesk.i18n import translate


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, fsync it, then rename it over `path`.

    Raises the `OSError` of the step that failed; the temporary file is removed and any
    existing file at `path` is left as it was.
    """
    path = Path(path)
    folder = path.parent
    # Same folder: os.replace is only atomic within one file system.
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file 0600; give it the mode a plain open() would have given it.
        os.chmod(tmp_name, _mode_for(path))
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_folder(folder)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_current_umask()


def _current_umask() -> int:
    # Reading it from /proc avoids os.umask's set-and-restore, which races with other threads.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file's name itself durable; not possible on every platform, so best effort."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(fd)
    os.close(fd)


_REASONS = {
    errno.EACCES: translate("Files", "permission denied (the folder or file is not writable)"),
    errno.EPERM: translate("Files", "permission denied (the folder or file is not writable)"),
    errno.EROFS: translate("Files", "the disk is read-only"),
    errno.ENOSPC: translate("Files", "the disk is full"),
    errno.EDQUOT: translate("Files", "the disk quota is exceeded"),
    errno.EFBIG: translate("Files", "the file is too large for this disk"),
    errno.ENOENT: translate("Files", "the folder does not exist"),
    errno.EISDIR: translate("Files", "it is a folder, not a file"),
    errno.ENAMETOOLONG: translate("Files", "the file name is too long"),
}


def write_failure_reason(exc: OSError) -> str:
    """Why a write failed, in the user's words (disk full, read-only, no permission, ...)."""
    return _REASONS.get(exc.errno if exc.errno is not None else -1, exc.strerror or str(exc))
