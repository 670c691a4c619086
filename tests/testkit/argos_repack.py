"""Doctored copies of a real test `.argosmodel` (from `argos_package.build_package`): another folder name,
other metadata, a damaged member. For tests of what installing must refuse; the model inside stays real."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any, Optional


def repack(archive: Path, target: Path, folder: Optional[str] = None, **metadata: Any) -> Path:
    """Copy `archive` to `target`, its top folder renamed to `folder` and its metadata.json fields set from
    `metadata` (e.g. `from_code="../../x"`); everything else is copied byte for byte."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            top, _, rest = info.filename.partition("/")
            data = source.read(info)
            if rest == "metadata.json":
                data = json.dumps({**json.loads(data), **metadata}, indent=2).encode()
            out.writestr(f"{folder or top}/{rest}" if rest else f"{folder or top}/", data)
    return target


def damage_last_member(archive: Path, target: Path) -> Path:
    """Copy `archive` with its last member stored uncompressed and one byte of it flipped: the zip directory
    is intact (it opens, lists and reads metadata.json), but unpacking that member fails its CRC."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        members = [info for info in source.infolist() if not info.is_dir()]
        for info in members:
            out.writestr(info.filename, source.read(info))
        last = members[-1]
    with zipfile.ZipFile(target) as copy:
        offset = copy.getinfo(last.filename).header_offset
    raw = bytearray(target.read_bytes())
    header_len = 30 + int.from_bytes(raw[offset + 26:offset + 28], "little") + int.from_bytes(
        raw[offset + 28:offset + 30], "little")
    raw[offset + header_len] ^= 0xFF            # the first byte of the member's data
    target.write_bytes(bytes(raw))
    return target
