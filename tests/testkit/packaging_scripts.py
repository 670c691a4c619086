"""Load a build script from packaging/ by file path (the folder is not a package: it would shadow PyPI's `packaging`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def load_packaging_script(name: str) -> ModuleType:
    """`packaging/<name>.py` as a module, registered in sys.modules (dataclasses look their module up)."""
    module_name = f"voicedesk_build_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, ROOT / "packaging" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
