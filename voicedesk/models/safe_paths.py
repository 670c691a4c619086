"""The one rule for every path built from a name that came from outside (a command line, a language pack,
the package index): once resolved, it must lie inside the folder it was joined onto (no imports).

Checking the text of a name is not enough: `..`, an absolute path or a Windows drive replaces or climbs
out of the base folder, and a symlink anywhere along the way (the name itself, or a folder in between
such as the hub cache's staging folder) leads wherever it points. Resolving first and comparing
afterwards catches all of them with one test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional


def path_inside(base: Path, *parts: str) -> Optional[Path]:
    """`base / parts...` resolved, when it lies strictly below `base` (resolved); None when it does not.

    None for `..`, an absolute or drive part, a symlink that leads out, a symlink loop, a NUL byte, and for
    `base` itself (an empty name would make "delete <base>/<name>" delete the whole base folder).
    """
    try:
        root = Path(base).resolve()
        target = root.joinpath(*parts).resolve()
    except (OSError, RuntimeError, ValueError):   # RuntimeError: a symlink loop; ValueError: an embedded NUL
        return None
    return target if target != root and target.is_relative_to(root) else None
