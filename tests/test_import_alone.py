"""Every module of the reading package imports alone (issue 19, item 1: no import cycle).

A cycle between modules often hides behind import order: ``a`` imports ``b`` which imports
``a`` works when ``a`` is imported first and fails with "partially initialized module" when
``b`` is. So each module of ``derive.latex`` (its readers and referee included) is imported
first, with every ``derive`` module cleared from ``sys.modules`` before it, in a fresh
interpreter (third-party modules such as SymPy stay loaded: they cannot close a cycle of
ours). ``tests/test_import_graph.py`` checks the static graph; this checks what Python does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import derive

LATEX = Path(derive.__file__).resolve().parent / "latex"

_SCRIPT = """
import importlib, json, sys, traceback
failed = {}
for name in json.loads(sys.argv[1]):
    for key in [k for k in sys.modules if k == "derive" or k.startswith("derive.")]:
        del sys.modules[key]
    try:
        importlib.import_module(name)
    except Exception:
        failed[name] = traceback.format_exc(limit=3)
print(json.dumps(failed))
"""


def reading_modules() -> list[str]:
    """Every module of ``derive.latex``, sub-packages included."""
    out = []
    for path in sorted(LATEX.rglob("*.py")):
        parts = list(path.relative_to(LATEX.parent.parent).with_suffix("").parts)
        out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


def import_each_alone(names: list[str]) -> dict[str, str]:
    """Module -> traceback for every module of ``names`` that fails to import first."""
    out = subprocess.run([sys.executable, "-c", _SCRIPT, json.dumps(names)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_every_reading_module_imports_alone() -> None:
    names = reading_modules()
    assert "derive.latex.verify" in names and "derive.latex.sources.markdown" in names
    assert len(names) >= 30
    assert import_each_alone(names) == {}


def test_a_cycle_is_caught(tmp_path: Path) -> None:
    """The check itself fails on a real cycle (two modules importing each other's names)."""
    pkg = tmp_path / "cyc"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from cyc.b import B\nA = 1\n")
    (pkg / "b.py").write_text("from cyc.a import A\nB = 2\n")
    out = subprocess.run([sys.executable, "-c", _SCRIPT.replace('"derive"', '"cyc"')
                          .replace('"derive."', '"cyc."'), json.dumps(["cyc.a", "cyc.b"])],
                         capture_output=True, text=True, check=True, cwd=tmp_path)
    failed = json.loads(out.stdout)
    assert set(failed) == {"cyc.a", "cyc.b"}
    assert "partially initialized" in failed["cyc.a"]
