"""What a download reports while it runs, and how it ends when it does not succeed."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable, Optional


@dataclass(frozen=True)
class Progress:
    """Bytes done so far out of `total` (None while unknown); `what` names the item being fetched."""

    done: int
    total: Optional[int]
    what: str = ""

    @property
    def fraction(self) -> Optional[float]:
        if not self.total:
            return None
        return min(1.0, max(0.0, self.done / self.total))


ProgressCallback = Callable[[Progress], None]


class DownloadError(Exception):
    """A download or install failed; the message is one user-facing line."""


class DownloadCancelled(DownloadError):
    """The user cancelled; whatever was fetched has been discarded."""

    def __init__(self, message: str = "Download cancelled") -> None:
        super().__init__(message)


class NetworkUnavailable(DownloadError):
    """The server cannot be reached at all (no network, DNS, refused, timeout)."""


def no_progress(_: Progress) -> None:
    """A progress callback that ignores everything."""


def copy_with_progress(read: Callable[[int], bytes], write: Callable[[bytes], None], total: Optional[int], what: str,
                       progress_cb: ProgressCallback, cancel: threading.Event, chunk_size: int) -> int:
    """Copy a download's body chunk by chunk from `read` to `write`, reporting each chunk; returns the bytes copied.

    Raises DownloadCancelled as soon as `cancel` is set (between chunks); what `read` and `write` raise passes."""
    done = 0
    progress_cb(Progress(0, total, what))
    while True:
        if cancel.is_set():
            raise DownloadCancelled()
        chunk = read(chunk_size)
        if not chunk:
            return done
        write(chunk)
        done += len(chunk)
        progress_cb(Progress(done, total, what))


def human_size(num_bytes: Optional[float]) -> str:
    """1536 -> '1.5 KB'; decimal units like the hub shows."""
    if num_bytes is None:
        return "?"
    size = float(num_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if abs(size) < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"
