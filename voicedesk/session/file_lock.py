"""A lock held by an open file, that any process can test without waiting (POSIX and Windows).

The journal of a running session holds it for as long as its file is open, so a second running copy
of the app (or this one) never offers that live journal for restore, nor deletes it. The lock goes
with the file descriptor: closing it, or the process dying, releases it.

- POSIX: `flock` on the descriptor. flock locks belong to the open file description, so even the
  holder's own process, opening the file again, sees it as locked.
- Windows: `msvcrt.locking` (LockFileEx) on one byte. Windows locks are mandatory (nobody else may
  read a locked range), so the byte sits far past the end of any journal, where nobody reads; the
  C runtime takes the position as a 32-bit long, hence below 2 GiB. Windows locks belong to the
  handle, so this process's second handle also sees it as locked, as on POSIX.
"""

from __future__ import annotations

import os
import sys
from typing import Union

# sys.platform checks, in the form mypy reads: each platform's half is checked against its own module's stub
if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt
else:
    import fcntl

LOCK_OFFSET = 0x7FFF_FFF0          # Windows only: the locked byte
# Binary on Windows: text mode would turn "\n" into "\r\n" and break byte counts.
OPEN_FLAGS = getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0)


def try_lock(fd: int) -> bool:
    """Take the exclusive lock for open file `fd` without waiting; False when it is held elsewhere
    (or the file system has no locks)."""
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            _at_lock_byte(fd, msvcrt.LK_NBLCK)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def unlock(fd: int) -> None:
    """Give the lock back before closing `fd` (closing releases it too; Windows only promises "soon")."""
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            _at_lock_byte(fd, msvcrt.LK_UNLCK)
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass


def is_locked(path: Union[str, "os.PathLike[str]"]) -> bool:
    """Whether an open file, in any process (this one included), holds `path`'s lock. Never waits.

    False for a file that cannot be opened (gone, unreadable): there is nothing live to protect.
    """
    try:
        fd = os.open(path, os.O_RDONLY | OPEN_FLAGS)
    except OSError:
        return False
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            try:
                _at_lock_byte(fd, msvcrt.LK_NBLCK)
            except OSError:
                return True
            _at_lock_byte(fd, msvcrt.LK_UNLCK)
            return False
        else:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return True
            return False
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - Windows
    def _at_lock_byte(fd: int, mode: int) -> None:
        """msvcrt.locking on the lock byte; the file position is put back (appends go to the end anyway)."""
        position = os.lseek(fd, 0, os.SEEK_CUR)
        os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, mode, 1)
        finally:
            os.lseek(fd, position, os.SEEK_SET)
