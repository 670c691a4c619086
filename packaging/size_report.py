"""The build's size report: what was left out of the bundle and what each removal saved, and package sizes."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Iterable

sys.path.insert(0, str(Path(__file__).resolve().parent))   # its sibling scripts, also when a test loads it by path
from bundle_trim import Removal  # noqa: E402

MIB = 1024 * 1024


def load_removals(report: Path) -> list[Removal]:
    """The removals voicedesk.spec recorded (none when the spec wrote no report)."""
    if not report.is_file():
        return []
    return [Removal(**item) for item in json.loads(report.read_text(encoding="utf-8"))]


def _mb(size: int) -> str:
    return f"{size / MIB:.1f}"


def format_report(removals: Iterable[Removal], bundle_bytes: int, packages: Iterable[Path] = ()) -> str:
    """A Markdown table: one row per kind of removal (files, MiB saved), then the sizes that result."""
    groups: dict[str, list[Removal]] = defaultdict(list)
    for item in removals:
        groups[item.group].append(item)
    rows = sorted(groups.items(), key=lambda kv: -sum(r.size for r in kv[1]))
    saved = sum(r.size for items in groups.values() for r in items)
    lines = ["| left out of the bundle | files | saved (MiB) | the largest |", "|---|---|---|---|"]
    for group, items in rows:
        biggest = max(items, key=lambda r: r.size)
        lines.append(f"| {group} | {len(items)} | {_mb(sum(r.size for r in items))} | "
                     f"{Path(biggest.dest).name} ({_mb(biggest.size)}) |")
    lines.append(f"| **total** | {sum(len(v) for v in groups.values())} | {_mb(saved)} | |")
    lines += ["", "| output | size (MiB) |", "|---|---|",
              f"| bundle, unpacked | {_mb(bundle_bytes)} |",
              f"| bundle before removals | {_mb(bundle_bytes + saved)} |"]
    for package in packages:
        if package.is_file():
            lines.append(f"| {package.name} | {_mb(package.stat().st_size)} |")
    return "\n".join(lines) + "\n"
