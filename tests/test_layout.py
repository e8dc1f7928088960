"""The layout the architecture rests on: the engine knows no model family."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import derive

ROOT = Path(derive.__file__).parent


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (functions and doctests aside)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


ENGINE = sorted((ROOT / "engine").rglob("*.py"))


@pytest.mark.parametrize("path", ENGINE, ids=lambda p: str(p.relative_to(ROOT / "engine")))
def test_the_engine_imports_nothing_from_the_models(path):
    bad = sorted(m for m in _imports(path) if m.startswith(("derive.models", "derive.catalogue",
                                                            "derive.kernels", "derive.report",
                                                            "derive.latex")))
    assert bad == [], f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", ENGINE, ids=lambda p: str(p.relative_to(ROOT / "engine")))
def test_the_engine_docstrings_use_no_model(path):
    # the examples in the engine's docstrings run without a model family too
    doctest = [ln for ln in path.read_text(encoding="utf-8").splitlines()
               if ln.lstrip().startswith(">>>") and "derive." in ln and "import" in ln]
    assert [ln for ln in doctest if "derive.engine" not in ln] == []


def test_the_check_sees_a_planted_import(tmp_path):
    planted = tmp_path / "x.py"
    planted.write_text("def f():\n    from derive.models import softmax\n")
    assert "derive.models" in _imports(planted)
