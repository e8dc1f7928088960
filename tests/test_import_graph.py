"""derive has no import cycle: the module graph is built with ``ast`` from every import
statement, those inside functions included (a deferred import hides a cycle, it does not
remove one), relative imports resolved; a cycle between first-level subpackages counts too.

The same graph as ``/work/shared/tools/import_cycles.py --all derive``: an edge goes to
each module an import names (``from a.b import c`` names ``a.b``, and ``a.b.c`` when that
is a module), not to the parent packages Python also initialises.
"""

from __future__ import annotations

import ast
from pathlib import Path

import derive

PACKAGE = Path(derive.__file__).resolve().parent

def modules(root: Path) -> dict[str, Path]:
    """Module name -> file for every ``.py`` file of the package at ``root``."""
    out = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imported(module: str, is_package: bool, node: ast.Import | ast.ImportFrom,
             known: dict[str, Path]) -> set[str]:
    """The modules of ``known`` that one import statement of ``module`` names."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = module if is_package else module.rpartition(".")[0]
        for _ in range(max(node.level - 1, 0)):
            base = base.rpartition(".")[0]
        if node.level:
            target = f"{base}.{node.module}" if node.module else base
        else:
            target = node.module or ""
        names = [target, *(f"{target}.{a.name}" for a in node.names)]
    return {n for n in names if n in known and n != module}


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules it imports, from every import statement at any depth."""
    known = modules(root)
    graph: dict[str, set[str]] = {m: set() for m in known}
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                graph[module] |= imported(module, path.name == "__init__.py", node, known)
    return graph


def subpackage_graph(graph: dict[str, set[str]], top: str) -> dict[str, set[str]]:
    """The graph between first-level parts of the package (``derive.kernels``, ...)."""
    def part(m: str) -> str:
        return ".".join(m.split(".")[:2]) if m != top else m

    out: dict[str, set[str]] = {part(m): set() for m in graph}
    for m, targets in graph.items():
        out[part(m)] |= {part(t) for t in targets if part(t) != part(m) and part(t) != top}
    return out


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                component = set()
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.add(w)
                    if w == v:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def all_cycles(root: Path) -> list[frozenset[str]]:
    graph = import_graph(root)
    return cycles(graph) + cycles(subpackage_graph(graph, root.name))


def test_derive_has_no_import_cycle():
    found = [sorted(c) for c in all_cycles(PACKAGE)]
    assert found == [], f"import cycles (deferred imports included): {found}"


def test_the_graph_is_derives_own_and_sees_deferred_and_relative_imports():
    graph = import_graph(PACKAGE)
    assert len(graph) > 50 and "derive.latex.scripts" in graph["derive.latex.elaborate"]
    # a deferred import (inside a function) is an edge
    assert "derive.pipeline" in graph["derive.cli"]


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "pkg"


def test_a_planted_cycle_is_found(tmp_path):
    # pkg.sub.a -> pkg.b only inside a function (deferred, relative ..b); pkg.b -> pkg.sub.a
    pkg = _package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "",
        "pkg/sub/a.py": "def f():\n    from ..b import g\n    return g\n",
        "pkg/b.py": "from pkg.sub import a\n\ndef g():\n    return a\n",
        "pkg/c.py": "from . import b\n",
    })
    assert cycles(import_graph(pkg)) == [frozenset({"pkg.sub.a", "pkg.b"})]
    assert cycles(subpackage_graph(import_graph(pkg), "pkg")) == [
        frozenset({"pkg.sub", "pkg.b"})]


def test_a_package_without_cycles_passes(tmp_path):
    pkg = _package(tmp_path, {
        "pkg/__init__.py": "from pkg.a import f\n",
        "pkg/a.py": "from .b import h\n\ndef f():\n    import pkg.b\n",
        "pkg/b.py": "import os\n\nh = os.sep\n",
    })
    assert import_graph(pkg)["pkg.a"] == {"pkg.b"}
    assert all_cycles(pkg) == []
