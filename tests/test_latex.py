"""Parser, declarations, errors, adversarial input and the pytest plugin of derive verify."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.errors import DeriveError
from derive.latex.chains import extract
from derive.latex.declarations import parse_declarations
from derive.latex.elaborate import Elaborator, Env
from derive.latex.parser import parse_block, parse_expr_text

HEADER = r"""% derive: size K, D
% derive: index i, l in 1..D
% derive: index j, k, c in 1..K
% derive: tensor \theta_{ij}, x_i, y_k
% derive: let \sigma_k = \frac{e^{z_k}}{\sum_{c=1}^K e^{z_c}}
% derive: let z_k = \sum_{l=1}^D \theta_{lk} x_l
"""


def elab(formula: str, header: str = HEADER):
    notes = extract(header, "t.tex")
    decl = parse_declarations(notes)
    node = parse_expr_text(formula, 1, 1, decl.text_names, "t.tex")
    return Elaborator(decl).value(node, Env()), decl


def numeric(expr: sp.Expr, decl, sizes=(("K", 3), ("D", 2))) -> float:
    """Evaluate at fixed sizes and deterministic inputs (a test oracle, not the engine)."""
    sub = {decl.sizes[n]: v for n, v in sizes}
    e = expr.xreplace(sub).doit()
    vals = {}
    for t in decl.tensors.values():
        for idx in e.atoms(sp.Indexed):
            if idx.base.label == t.base.label:
                vals[idx] = sp.Rational(sum((n + 2) * int(v) for n, v in enumerate(idx.indices)),
                                        7)
    return float(e.xreplace(vals).doit().evalf())


def test_softmax_definition_expands_to_exp_over_sum():
    v, decl = elab(r"\sigma_j")
    assert v.is_scalar and v.expr.has(sp.exp) and v.expr.has(sp.Sum)
    j = decl.indices["j"][0]
    total = sum(numeric(v.expr.xreplace({j: q}), decl) for q in (1, 2, 3))
    assert abs(total - 1) < 1e-12


def test_transpose_column_is_inner_product():
    v, decl = elab(r"\theta_{.k}^T \mathbf{x}", HEADER + "% derive: let \\mathbf{x} = x\n")
    assert v.is_scalar
    k = decl.indices["k"][0]
    direct, _ = elab(r"\sum_{i=1}^D \theta_{ik} x_i")
    assert numeric(v.expr.xreplace({k: 2}), decl) == pytest.approx(
        numeric(direct.expr.xreplace({k: 2}), decl))


def test_kronecker_and_indicator_are_the_same_delta():
    a, decl = elab(r"\delta_{jk}")
    b, _ = elab(r"\mathbb{1}_{(j=k)}")
    j, k = decl.indices["j"][0], decl.indices["k"][0]
    assert a.expr == b.expr == sp.KroneckerDelta(j, k)


def test_partial_derivative_is_unevaluated_derivative_of_expansion():
    v, decl = elab(r"\frac{\partial \sigma_k}{\partial \theta_{ij}}")
    assert isinstance(v.expr, sp.Derivative)
    assert v.expr.args[1][0] == decl.tensors["\\theta"].base[
        decl.indices["i"][0], decl.indices["j"][0]]


def test_cases_become_deltas():
    v, decl = elab(r"\begin{cases} 1 & \text{if } j = k \\ 0 & \text{Otherwise} \end{cases}")
    assert v.expr == sp.KroneckerDelta(decl.indices["j"][0], decl.indices["k"][0])


def test_sum_with_excluded_index_multiplies_by_not_delta():
    v, _decl = elab(r"\sum_{\substack{k=1 \\ k \neq j}}^K y_k")
    assert v.expr.has(sp.KroneckerDelta)


def test_bmatrix_and_bracket_are_exact_rationals():
    v, _ = elab(r"[2, 2, 2] \otimes \begin{bmatrix} 0.1 \\ 0.7 \end{bmatrix}")
    assert v.concrete is not None and v.concrete[0, 1] == sp.Rational(7, 5)


def test_blocks_starting_with_equals_continue_and_tags_split():
    notes = extract("$$a = b \\quad (1)$$\n$$= c$$\n$$p = q \\dots \\textcircled{1} \\quad"
                    " r = s$$", "n.md")
    assert [s.continues for s in notes.segments] == [False, True, False, False]


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (r"q_k", r"t.tex:1:1: q_\{...\} is undeclared"),
        (r"\theta_{ijk}", r"t.tex:1:1: \\theta takes 2 index"),
        (r"\frac{a}{b", r"t.tex:1:9: unbalanced '\{'"),
        (r"\sqrt{2}", r"t.tex:1:1: unsupported command \\sqrt"),
        (r"x_i + ", r"t.tex:1:\d+: formula ends too early"),
        (r"\sum y_k", r"t.tex:1:1: \\sum without an index"),
    ],
)
def test_errors_say_where_and_what(formula, message):
    with pytest.raises(DeriveError, match=message):
        elab(formula)


def test_undeclared_symbol_in_notes_has_file_line_column(tmp_path):
    from derive.latex.verify import verify_file

    p = tmp_path / "n.tex"
    p.write_text(HEADER + "text\n\\[\n  x_i = w\n\\]\n")
    with pytest.raises(DeriveError, match=r"n.tex:9:9: undeclared symbol w"):
        verify_file(str(p))


@pytest.mark.parametrize("bad", [r"\input{/etc/passwd}", r"\immediate\write18{rm -rf /}",
                                 r"\def\x{y}"])
def test_tex_primitives_are_refused(bad):
    with pytest.raises(DeriveError, match="refused"):
        extract(f"intro\n{bad}\n$$a = b$$\n", "n.tex")


def test_python_in_math_is_just_an_error():
    with pytest.raises(DeriveError, match=r"t\.tex:1:"):
        elab("__import__('os').system('echo hi')")


def test_deep_braces_fail_fast_without_recursion_error():
    started = time.perf_counter()
    with pytest.raises(DeriveError, match="nested deeper"):
        parse_block("{" * 100_000 + "x" + "}" * 100_000, 1, 1)
    assert time.perf_counter() - started < 5


def test_ten_megabyte_file_is_refused_quickly(tmp_path):
    from derive.latex.chains import read_notes

    p = tmp_path / "big.tex"
    p.write_text("$$a = b$$\n" * 1_000_000)
    started = time.perf_counter()
    with pytest.raises(DeriveError, match=r"big\.tex:1:1: file is .* bytes"):
        read_notes(str(p))
    assert time.perf_counter() - started < 5


_SOUP = [*"{}()[]_^=+-&\\ab12 .,'|", "\\frac", "\\sum", "\\left", "\\begin{cases}",
         "\\end{cases}", "\\\\", "\\text{if}"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SOUP), max_size=60))
def test_fuzz_parser_only_raises_derive_error(pieces):
    try:
        parse_block("".join(pieces), 1, 1)
    except DeriveError:
        pass


PLUGIN_NOTES = HEADER + r"""
\begin{equation}
\sigma_k = \frac{e^{z_k}}{\sum_{c=1}^K e^{z_c}} = \frac{2 e^{z_k}}{\sum_{c=1}^K e^{z_c}}
\end{equation}
"""


def test_pytest_plugin_collects_steps_and_shows_counterexample(tmp_path):
    p = tmp_path / "notes.tex"
    p.write_text(PLUGIN_NOTES)
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "derive.latex.pytest_plugin", str(p), "-q",
         "-p", "no:cacheprovider", "-o", "addopts="],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300,
    )
    out = proc.stdout + proc.stderr
    assert "1 failed, 1 passed" in out, out
    assert "counterexample" in out
