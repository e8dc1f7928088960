"""What one ``derive verify`` of a short notes file costs, and the speed-ups that must not
change a result (issue 19, "≤ 1 s per file of ≤ 20 steps").

Each speed-up here is checked against the slow definition it replaced (written out in this
file), on a table of formulas: the same nodes in the same order, the same values. The cost of
a whole run is bounded as a ratio to a pure-Python loop timed in the same process
(``benchmarks/bench_verify_cpu.py``), so that a loaded machine does not fail the bound and a
heavy import or a quadratic loop added to every run does.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from dataclasses import fields, replace
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import derive
from derive.engine.numeric import Point, evaluate
from derive.latex import ast
from derive.latex.parser import parse_block

from .source_tree import source_file

EXAMPLES = Path(derive.__file__).parent / "examples"


def _walk_recursive(node: object):
    """The definition ``ast.walk`` had: nested generators, node first, fields in order."""
    if isinstance(node, ast.Node):
        yield node
        for value in vars(node).values():
            yield from _walk_recursive(value)
    elif isinstance(node, tuple):
        for it in node:
            yield from _walk_recursive(it)


def _rebuild_reference(node: object, fn):
    """The definition ``ast.rebuild`` had (``dataclasses.fields`` on every node)."""
    if isinstance(node, tuple):
        return tuple(_rebuild_reference(x, fn) for x in node)
    if not isinstance(node, ast.Node):
        return node
    changes = {}
    for f in fields(node):
        if f.name in ("line", "col"):
            continue
        old = getattr(node, f.name)
        new = _rebuild_reference(old, fn)
        if new is not old:
            changes[f.name] = new
    return fn(replace(node, **changes) if changes else node)


#: formulas whose trees have every kind of field: tuples of nodes, tuples of pairs (Add's
#: signed terms, Cases' rows), optional nodes left None, strings and ints that are not nodes
FORMULAS = [
    r"a = b",
    r"x",
    r"\frac{\partial L}{\partial z_j} = p_j - y_j",
    r"\sum_{k=1}^{K} y_k \log p_k = - \sum_{i \neq j} a_{ij} b^{(t)}_i",
    r"f_k = \begin{cases} 1 & k = j \\ 0 & \text{otherwise} \end{cases}",
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix} = M",
    r"\left\| X w - y \right\|^2 = (Xw - y)^T (Xw - y) = |u|",
    r"\sigma'(t) = \sigma(t) (1 - \sigma(t)) = \frac{e^{-t}}{(1 + e^{-t})^2}",
    r"a = b \\ c = d = e",
    r"-(-x) = x \cdot y! = \sqrt{x}",                     # an Unreadable member, an Op
    r"\theta_{.k} = \frac{\partial}{\partial x} \log_2 x",  # Free, Func with a base
]


def _tree(formula: str) -> tuple:
    """The block's chains as a tuple (the walk follows tuples, not lists)."""
    return tuple(parse_block(formula, 1, 1, tolerant=True))


@pytest.mark.parametrize("formula", FORMULAS)
def test_walk_visits_the_nodes_the_recursive_walk_did_in_its_order(formula):
    tree = _tree(formula)
    got, want = list(ast.walk(tree)), list(_walk_recursive(tree))
    assert len(got) == len(want) and all(a is b for a, b in zip(got, want, strict=True))
    for chain in tree:  # and from a node, not only from the block's list
        assert [id(n) for n in ast.walk(chain)] == [id(n) for n in _walk_recursive(chain)]


@pytest.mark.parametrize("thing", ["x", 3, None, (), ("+", "-"), [ast.Letter(name="x")]])
def test_walk_of_what_is_not_a_node_or_a_tuple_of_nodes_is_empty(thing):
    # a string, a number, None, an empty tuple, a list (the walk follows tuples only)
    assert list(ast.walk(thing)) == list(_walk_recursive(thing)) == []


def test_walk_stops_early_like_a_generator():
    tree = _tree(FORMULAS[3])
    walker = ast.walk(tree)
    first = [next(walker) for _ in range(3)]
    assert first == list(_walk_recursive(tree))[:3]


def _renamed(node: ast.Node) -> ast.Node:
    return replace(node, name=node.name.upper()) if isinstance(node, ast.Letter) else node


@pytest.mark.parametrize("formula", FORMULAS)
def test_rebuild_gives_the_tree_the_reference_gives(formula):
    tree = _tree(formula)
    assert ast.rebuild(tree, _renamed) == _rebuild_reference(tree, _renamed)
    assert ast.rebuild(tree, lambda n: n) == tree == _rebuild_reference(tree, lambda n: n)
    leaf = tree[0].members[0]
    if isinstance(leaf, ast.Letter):  # a node without nodes in it, left alone: the same object
        assert ast.rebuild(leaf, lambda n: n) is leaf


def test_rebuild_keeps_positions_and_changes_only_what_fn_changes():
    (chain,) = _tree(r"a + b = c")
    out = ast.rebuild(chain, _renamed)
    assert [n.name for n in ast.walk(out) if isinstance(n, ast.Letter)] == ["A", "B", "C"]
    assert [(n.line, n.col) for n in ast.walk(out)] == [(n.line, n.col) for n in ast.walk(chain)]


# -- the numeric evaluator: an IndexedBase's array found once per label ------------------

K = sp.Symbol("K", integer=True, positive=True)
k, c, j = sp.symbols("k c j", integer=True)
z, w = sp.IndexedBase("z", shape=(K,)), sp.IndexedBase("w", shape=(K,))


def _brute(zs, ws, jv):
    """softmax_j(z) + Σ_c w_c z_c and d/dz_j log Σ_c e^{z_c}, by hand in float64."""
    e = [np.exp(v) for v in zs]
    return e[jv - 1] / sum(e) + sum(a * b for a, b in zip(ws, zs, strict=True)), \
        e[jv - 1] / sum(e)


@pytest.mark.parametrize("zs, ws, jv", [
    ([0.0, 0.0], [1.0, 2.0], 1),
    ([0.3, -1.2, 2.0], [0.5, 0.25, -1.0], 3),
    ([1.5], [2.0], 1),                      # a size of 1
])
def test_evaluate_reads_each_array_by_its_label(zs, ws, jv):
    n = len(zs)
    pt = Point(sizes={K: n}, indices={j: jv},
               arrays={"z": np.array(zs), "w": np.array(ws)})
    value = sp.exp(z[j]) / sp.Sum(sp.exp(z[c]), (c, 1, K)) + sp.Sum(w[c] * z[c], (c, 1, K))
    grad = sp.Derivative(sp.log(sp.Sum(sp.exp(z[c]), (c, 1, K))), z[j])
    want_value, want_grad = _brute(zs, ws, jv)
    assert evaluate(value, pt) == pytest.approx(want_value, rel=1e-12)
    assert evaluate(grad, pt) == pytest.approx(want_grad, rel=1e-6)  # central differences
    # the derivative moved z_j and put it back: the caller's arrays are untouched
    assert list(pt.arrays["z"]) == zs


def test_evaluate_tells_two_labels_apart_and_misses_a_missing_array():
    pt = Point(sizes={K: 2}, indices={k: 2}, arrays={"z": np.array([1.0, 2.0]),
                                                     "w": np.array([10.0, 20.0])})
    assert evaluate(z[k] + w[k] + z[k], pt) == 24.0
    with pytest.raises(KeyError):
        evaluate(sp.IndexedBase("v")[k], pt)


# -- what a run loads, and what it costs ------------------------------------------------

def test_verify_does_not_load_the_report_printer():
    """``derive verify`` quotes its steps with :mod:`derive.report.notes`; the package
    ``derive.report`` loads its re-exported names on first use, so the catalogue's printer
    (``printer``, ``fold``, ``derive.models.family``) is not loaded on every run."""
    code = ("import io, sys, contextlib; from derive.cli import main\n"
            "out = io.StringIO()\n"
            "with contextlib.redirect_stdout(out): main(['verify', '--json', '-q', "
            f"{str(EXAMPLES / 'softmax_jacobian.tex')!r}])\n"
            "print(json.dumps([len(json.loads(out.getvalue())), sorted(m for m in sys.modules "
            "if m.startswith(('derive.report', 'derive.models')))]))")
    proc = subprocess.run([sys.executable, "-c", "import json\n" + code], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    steps, mods = json.loads(proc.stdout.strip().splitlines()[-1])
    assert steps > 0 and "derive.report.notes" in mods
    assert not {"derive.report.printer", "derive.report.fold", "derive.models.family"} & set(mods)


def test_the_report_package_still_gives_its_names():
    import derive.report as report

    assert report.ReportPrinter.__name__ == "ReportPrinter"
    assert callable(report.report_latex) and callable(report.write_annotated_notes)
    assert report.compile.__name__ == "derive.report.compile"  # a submodule, as before
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        report.nothing_here  # noqa: B018


def _bench():
    spec = importlib.util.spec_from_file_location(
        "bench_verify_cpu", source_file("benchmarks/bench_verify_cpu.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: CPU of a whole ``derive verify`` of a short file (interpreter, SymPy, derive, reading,
#: proving), in units of the baseline loop: about 15 measured on the development machine
#: (0.9-1.1 s of CPU, the loop 0.07 s), with or without bytecode; 60 leaves room for a loaded
#: machine and still fails on a second of work added to every run
RATIO_BOUND = 60.0


def test_a_short_file_costs_a_bounded_multiple_of_the_baseline():
    row = _bench().measure(EXAMPLES / "softmax_jacobian.tex")  # 9 steps
    assert row["code"] == 0 and 0 < row["steps"] <= 20
    assert row["ratio"] < RATIO_BOUND, row


def test_the_bench_refuses_the_held_out_half(tmp_path):
    held = tmp_path / "heldout"
    held.mkdir()
    with pytest.raises(SystemExit, match="held-out"):
        _bench().notes_files([str(held)])
    assert _bench().notes_files([str(EXAMPLES / "softmax_jacobian.tex")])
