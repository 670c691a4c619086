"""Scoring speaker turns against a reference: a small, honest diarization error rate, and RTTM reading.

DER = (missed speech + false alarm + speaker confusion) / reference speech, on 10 ms frames, after the
best one-to-one mapping of hypothesis speakers to reference speakers. `collar` seconds either side of
every reference turn boundary are not scored; `skip_overlap` leaves out frames where the reference has
two or more speakers (pyannote.metrics' "fair" setting is collar 0.25, skip_overlap True).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Sequence

import numpy as np

STEP = 0.01


def read_rttm(path: Path) -> list[tuple[float, float, str]]:
    turns = []
    for line in Path(path).read_text().splitlines():
        parts = line.split()
        if parts and parts[0] == "SPEAKER":
            start, dur = float(parts[3]), float(parts[4])
            turns.append((start, start + dur, parts[7]))
    return turns


def der(reference: Sequence[tuple[float, float, object]], hypothesis: Sequence[tuple[float, float, object]],
        duration: float, collar: float = 0.25, skip_overlap: bool = True) -> float:
    n = int(np.ceil(duration / STEP))
    ref_names = sorted({str(t[2]) for t in reference})
    hyp_names = sorted({str(t[2]) for t in hypothesis})
    ref = np.zeros((n, len(ref_names)), bool)
    hyp = np.zeros((n, max(1, len(hyp_names))), bool)
    scored = np.ones(n, bool)
    for start, end, who in reference:
        ref[int(round(start / STEP)):int(round(end / STEP)), ref_names.index(str(who))] = True
        for edge in (start, end):
            scored[max(0, int(round((edge - collar) / STEP))):int(round((edge + collar) / STEP))] = False
    for start, end, who in hypothesis:
        hyp[int(round(start / STEP)):int(round(end / STEP)), hyp_names.index(str(who))] = True
    if skip_overlap:
        scored &= ref.sum(1) <= 1
    ref, hyp = ref[scored], hyp[scored]
    total = int(ref.sum())
    if total == 0:
        return 0.0
    best = None
    # each hypothesis speaker maps to one reference speaker or none
    choices = list(range(len(ref_names))) + [-1] * len(hyp_names)
    for mapping in set(itertools.permutations(choices, len(hyp_names))):
        mapped = np.zeros_like(ref)
        for h, r in enumerate(mapping):
            if r >= 0:
                mapped[:, r] |= hyp[:, h]
        ref_count, hyp_count = ref.sum(1), hyp[:, :len(hyp_names)].sum(1)
        correct = (ref & mapped).sum(1)
        # NIST: error per frame = max(ref, hyp) - correct
        errors = int((np.maximum(ref_count, hyp_count) - correct).sum())
        if best is None or errors < best:
            best = errors
    assert best is not None
    return best / total
