"""Every package voicedesk imports is one it declares (pyproject.toml [project] dependencies).

A package that only arrives as another package's dependency can change or vanish with that package's
next version (huggingface_hub moved from requests to httpx to httpx2), and then the app breaks in a
fresh install although every test passed here.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import voicedesk

PACKAGE_DIR = Path(voicedesk.__file__).parent
PYPROJECT = PACKAGE_DIR.parent / "pyproject.toml"


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    names = set()
    for requirement in data["project"]["dependencies"]:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
        assert match, requirement
        names.add(_normalized(match.group(1)))
    return names


def _third_party_imports() -> dict[str, set[str]]:
    """Top-level module imported -> the voicedesk files that import it (lazy imports included)."""
    found: dict[str, set[str]] = {}
    for file in PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.partition(".")[0]
                if top != "voicedesk" and top not in sys.stdlib_module_names:
                    found.setdefault(top, set()).add(str(file.relative_to(PACKAGE_DIR.parent)))
    return found


# Modules of macOS-only distributions, which cannot be installed here to ask their metadata (pyobjc: one
# distribution per framework; voicedesk/audio/mac_system_audio.py)
MACOS_ONLY = {"objc": ["pyobjc-core"], "Foundation": ["pyobjc-framework-Cocoa"],
              "CoreMedia": ["pyobjc-framework-CoreMedia"], "ScreenCaptureKit": ["pyobjc-framework-ScreenCaptureKit"],
              "dispatch": ["pyobjc-framework-libdispatch"]}


def test_every_imported_package_is_declared():
    declared = _declared()
    providers = {**MACOS_ONLY, **importlib.metadata.packages_distributions()}
    undeclared = {}
    for module, files in sorted(_third_party_imports().items()):
        distributions = {_normalized(d) for d in providers.get(module, [])}
        if not distributions & declared:
            undeclared[module] = (sorted(distributions) or ["not installed"], sorted(files))
    assert undeclared == {}, f"imported but not in pyproject dependencies: {undeclared}"


def test_the_hub_module_needs_no_http_client_of_its_own():
    # the model hub's errors are told apart without importing huggingface_hub's HTTP client
    assert not {"httpx", "httpx2", "requests"} & set(_third_party_imports())
