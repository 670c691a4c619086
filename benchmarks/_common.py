"""What every benchmark here shares: timing a run of the engine over a file, one configuration per process,
the machine line, the statistics and the Markdown tables they print. Not a benchmark itself.

A benchmark imports it as `_common` (its own folder is on sys.path when it runs as a script). The engine's run
itself is the app's (`voicedesk.engine.file_run`); `testkit.engine_run.loaded_engine` gives a loaded engine.
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Sequence


@dataclass(frozen=True)
class Timing:
    """How long a run took on the wall clock, and the CPU seconds this process spent meanwhile."""

    wall: float
    cpu: float

    @property
    def cpu_share(self) -> float:
        """CPU seconds per wall second (one busy core = 1.0)."""
        return self.cpu / self.wall


def timed_run(engine, wav: Path, paced: bool, timeout: Optional[float] = None) -> Timing:
    """Run a loaded `engine` over `wav` (paced: in real time, as a microphone would) and time it; the run must end
    within `timeout` when one is given."""
    import psutil

    from voicedesk.engine.file_run import run_file

    proc = psutil.Process()
    c0 = proc.cpu_times()
    t0 = time.monotonic()
    finished = run_file(engine, wav, paced=paced, timeout=timeout)
    wall = time.monotonic() - t0
    c1 = proc.cpu_times()
    assert finished, "the engine did not finish"
    return Timing(wall, c1.user + c1.system - c0.user - c0.system)


def run_in_own_process(name: str, argv: list[str]) -> Optional[dict]:
    """Run one configuration as `python ARGV...` (so memory figures do not mix); the dict its RESULT line holds."""
    proc = subprocess.run([sys.executable, *argv], capture_output=True, text=True)
    line = next((out for out in proc.stdout.splitlines() if out.startswith("RESULT ")), None)
    if line is None:
        print(f"{name}: failed\n{proc.stderr[-3000:]}", file=sys.stderr)
        return None
    print(f"done: {name}", file=sys.stderr, flush=True)
    return json.loads(line[len("RESULT "):])


def machine() -> str:
    """The machine the figures come from, in one line."""
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}, int8, cpu_threads=2")


def wav_duration(wav: Path) -> float:
    """Seconds of audio in a WAV file."""
    with wave.open(str(wav)) as w:
        return w.getnframes() / w.getframerate()


def p90(values: Sequence[float]) -> Optional[float]:
    """The 90th percentile (nearest rank), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]


def median(values: Sequence[float]) -> Optional[float]:
    """The median, None for no values."""
    return statistics.median(values) if values else None


def markdown_table(head: Sequence[Any], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table, each column as wide as its widest cell."""
    lines = [[str(c) for c in head]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = []
    for k, line in enumerate(lines):
        out.append("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |")
        if k == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def print_table(lines: Sequence[Sequence[Any]]) -> None:
    """Print `lines` (the head first) as a Markdown table."""
    print(markdown_table(lines[0], lines[1:]))


def run_each(configs: dict[str, Any], argv: Callable[[str, Any], list[str]]) -> list[tuple[str, dict]]:
    """Each configuration in its own process (`argv(name, spec)`, run by run_in_own_process); the (name, result)
    rows of those that finished, in order."""
    rows = []
    for name, spec in configs.items():
        result = run_in_own_process(name, argv(name, spec))
        if result is not None:
            rows.append((name, result))
    return rows


def report(rows: list[tuple[str, dict]], print_tables: Callable[[list[tuple[str, dict]]], None],
           json_path: Optional[Path]) -> None:
    """The machine line and the benchmark's tables on stdout; the results as JSON too when `json_path` is given."""
    print(f"\nmachine: {machine()}\n")
    print_tables(rows)
    if json_path:
        json_path.write_text(json.dumps(dict(rows), indent=2))
