"""Start-up time of a built or installed voicedesk: launch → main window shown, cold and warm.

    python benchmarks/startup.py                          # dist/voicedesk/voicedesk
    python benchmarks/startup.py --command /usr/bin/voicedesk --runs 5

Each run is a first launch with a fresh profile (the smoke test's isolation), offscreen. "Cold" runs drop
the page cache first (`/proc/sys/vm/drop_caches`, needs root; skipped with a note otherwise), so the
bundle's files are read from disk as after a reboot or a fresh install; "warm" runs follow each other.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _smoke():
    spec = importlib.util.spec_from_file_location("voicedesk_build_smoke_test", ROOT / "packaging" / "smoke_test.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def drop_page_cache() -> bool:
    """Write back and drop the page cache; False where this process may not (not root, a container)."""
    subprocess.run(["sync"], check=False)
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def launch_once(smoke, command: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        info = smoke.open_window(command, smoke.isolated_env(work / "home"), work)
        return float(info["startup_s"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", type=Path, default=ROOT / "dist" / "voicedesk" / "voicedesk")
    parser.add_argument("--runs", type=int, default=3, help="cold runs, and as many warm runs")
    args = parser.parse_args(argv)
    if not args.command.exists():
        print(f"not found: {args.command} (build with python packaging/build.py, or install the .deb)")
        return 1
    smoke = _smoke()
    command = args.command.absolute()   # the app starts in a temporary folder
    cold: list[float] = []
    dropped = True
    for _ in range(args.runs):
        dropped = drop_page_cache() and dropped
        cold.append(launch_once(smoke, command))
    warm = [launch_once(smoke, command) for _ in range(args.runs)]
    label = "cold (page cache dropped)" if dropped else "first runs (page cache NOT dropped: not root)"
    print(f"\n{command}\n")
    print("| launch → window shown | runs | median | min | max |")
    print("|---|---|---|---|---|")
    for name, times in ((label, cold), ("warm", warm)):
        print(f"| {name} | {len(times)} | {statistics.median(times):.2f} s | {min(times):.2f} s | {max(times):.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
