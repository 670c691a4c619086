"""The direction of imports inside voicedesk (docs/ARCHITECTURE.md: the flow goes one way).

Read from the source with `ast`, lazy imports inside functions included: a cycle that only closes at
call time still ties two modules together. `voicedesk.models` (getting assets) is below the engine:
the engine, the session, the CLI and the UI import from it, never the reverse.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import voicedesk

PACKAGE_DIR = Path(voicedesk.__file__).parent
QT_FREE = ("voicedesk.audio", "voicedesk.engine", "voicedesk.session", "voicedesk.models", "voicedesk.crash_log",
           "voicedesk.thread_check")


def _modules() -> dict[str, Path]:
    found = {}
    for file in PACKAGE_DIR.rglob("*.py"):
        parts = list(file.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = file
    return found


MODULES = _modules()


def _imported_names(module: str, file: Path) -> set[str]:
    """Every module name `module` imports anywhere in its source (absolute, as written or resolved)."""
    names: set[str] = set()
    package = module.split(".") if file.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names)   # `from pkg import module`
    return names


def _project_imports(module: str) -> set[str]:
    """The voicedesk modules `module` imports (each name cut back to the module that defines it)."""
    result = set()
    for name in _imported_names(module, MODULES[module]):
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name != module:
            result.add(name)
    return result


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_models_package_never_imports_the_engine_or_the_ui():
    offending = {
        module: sorted(t for t in _project_imports(module)
                       if any(_in(t, p) for p in ("voicedesk.engine", "voicedesk.ui", "voicedesk.session",
                                                  "voicedesk.audio", "voicedesk.cli")))
        for module in MODULES if _in(module, "voicedesk.models")
    }
    assert {m: t for m, t in offending.items() if t} == {}


def test_no_import_cycles_between_modules():
    graph = {module: _project_imports(module) for module in MODULES}
    assert _cycles(graph) == []


def test_no_import_cycles_between_subpackages():
    def top(module: str) -> str:
        return ".".join(module.split(".")[:2])

    graph: dict[str, set[str]] = {}
    for module in MODULES:
        graph.setdefault(top(module), set()).update(
            top(t) for t in _project_imports(module) if top(t) != top(module) and top(t) != "voicedesk")
    assert _cycles(graph) == []


def test_the_core_imports_no_qt():
    qt = {module: sorted(n for n in _imported_names(module, MODULES[module]) if n.split(".")[0].startswith("PySide"))
          for module in MODULES if any(_in(module, p) for p in QT_FREE)}
    assert {m: n for m, n in qt.items() if n} == {}


def test_model_resolution_and_pack_errors_have_one_home():
    from voicedesk.engine import translation as translate
    from voicedesk.engine.translation import routes as translate_routes
    from voicedesk.models import argos_files, argos_packs, folder, resolve

    assert importlib.util.find_spec("voicedesk.engine.models") is None   # no module named like the package
    assert resolve.ModelError is folder.ModelError
    assert resolve.local_model_problem is folder.local_model_problem
    assert translate_routes.TranslationError is argos_files.TranslationError is argos_packs.TranslationError
    assert translate.install_package_file is argos_files.install_package_file
    assert translate.PIVOT == argos_files.PIVOT == "en"
