"""The hand-over from a live capture (a device callback or thread) to the one reader that resamples.

Every live source has the same shape: the capture side only copies a block into a bounded queue, and
`read`, on the reader's thread, takes everything queued, runs the source's own checks (device present,
audio still flowing) and resamples to 16 kHz (resample.py). When the reader falls behind and the queue
is full, the block that arrives is dropped and counted: the capture side never waits.
"""

from __future__ import annotations

import queue
import time
from typing import Callable, Generic, Optional, TypeVar

import numpy as np

from voicedesk.audio.resample import StreamResampler

T = TypeVar("T")

WAIT_SLICE_S = 0.25
"""The longest blocking wait on the queue, so the source's checks run at least this often."""

Check = Callable[[float, bool], None]
"""Called each turn of `read` with (monotonic now, whether blocks came); raises DeviceError to end the read."""


def resample_blocks(resampler: StreamResampler) -> Callable[[list[np.ndarray]], np.ndarray]:
    """What `CaptureQueue.read` needs to turn consecutive raw blocks into 16 kHz audio through `resampler`."""

    def process(blocks: list[np.ndarray]) -> np.ndarray:
        # one block is passed as it is: no copy
        return resampler.process(np.concatenate(blocks) if len(blocks) > 1 else blocks[0])

    return process


class CaptureQueue(Generic[T]):
    """A bounded queue of captured blocks: `put` from the capture side, `drain`/`read` from the reader."""

    def __init__(self, maxsize: int) -> None:
        if maxsize <= 0:
            raise ValueError(f"maxsize must be positive, got {maxsize}")
        self._queue: queue.Queue[T] = queue.Queue(maxsize=maxsize)
        # written by the capture side, read by the reader: a plain number is enough under the GIL
        self._dropped = 0.0
        # a block taken by read's blocking wait, handed out by the next drain
        self._held: Optional[T] = None

    @property
    def dropped(self) -> float:
        """The sizes `put` was given for the blocks it dropped (frames or seconds, as the caller counts)."""
        return self._dropped

    def put(self, block: T, size: float) -> None:
        """Queue `block` without waiting; when the queue is full drop it and count `size` as lost."""
        try:
            self._queue.put_nowait(block)
        except queue.Full:
            self._dropped += size

    def drain(self) -> list[T]:
        """Everything queued, oldest first, without waiting."""
        blocks: list[T] = []
        if self._held is not None:
            blocks.append(self._held)
            self._held = None
        while True:
            try:
                blocks.append(self._queue.get_nowait())
            except queue.Empty:
                return blocks

    def read(self, timeout: float, process: Callable[[list[T]], np.ndarray], check: Check) -> Optional[np.ndarray]:
        """What `process` makes of the blocks queued since the last read; None if nothing came within `timeout`.

        `check` runs before every attempt, also while audio flows, and may raise to end the read.
        """
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            blocks = self.drain()
            now = time.monotonic()
            check(now, bool(blocks))
            if blocks:
                out = process(blocks)
                if out.size:
                    return out
            remaining = deadline - now
            if remaining <= 0:
                return None
            try:
                # wakes as soon as the capture side queues a block
                self._held = self._queue.get(timeout=min(remaining, WAIT_SLICE_S))
            except queue.Empty:
                continue
