"""Parser, declarations, errors, adversarial input and the pytest plugin of derive verify."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.errors import DeriveError
from derive.latex.chains import extract
from derive.latex.declarations import parse_declarations
from derive.latex.elaborate import Elaborator, Env
from derive.latex.parser import parse_block, parse_expr_text

from .cpu_timing import cpu_limit

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
        (r"\sum x_i y_k", r"t.tex:1:1: \\sum without an index"),
        (r"\theta_{ij}^{}", r"t\.tex:1:\d+: "),
        (r"\sum_{k=1}^K \sum_{k=1}^K", r"t\.tex:1:\d+: \\sum with nothing to sum"),
        (r"u_k", r"t\.tex:1:1: u_\{...\} is undeclared"),
        (r"x_{ij}", r"t\.tex:1:1: x takes 1 index"),
        (r"\begin{tabular}{c} 1 \end{tabular}", r"t\.tex:1:1: unsupported environment \{tabular\}"),
        (r"\frac{1}{2} )", r"t\.tex:1:\d+: unbalanced '\)'"),
        (r"\mathbb{1}_{k}", r"t\.tex:1:\d+: an indicator: expected a condition"),
    ],
)
def test_errors_say_where_and_what(formula, message):
    with pytest.raises(DeriveError, match=message):
        elab(formula)


def test_undeclared_symbol_in_notes_has_file_line_column(tmp_path):
    from derive.latex.verify import verify_file

    p = tmp_path / "n.tex"
    # a bare capital letter (a matrix?) is never inferred a scalar (a bare w would be)
    p.write_text(HEADER + "text\n\\[\n  x_i = W\n\\]\n")
    (r,) = verify_file(str(p))  # the block is unknown, the rest of the file is checked
    assert r["verdict"] == "unknown" and "n.tex:9:9: undeclared symbol W" in r["note"]


@pytest.mark.parametrize("bad", [r"\input{/etc/passwd}", r"\immediate\write18{rm -rf /}",
                                 r"\let\x\y", r"\edef\x{y}", r"\csname x\endcsname"])
def test_tex_primitives_are_refused(bad):
    with pytest.raises(DeriveError, match="refused"):
        extract(f"intro\n{bad}\n$$a = b$$\n", "n.tex")


def test_python_in_math_is_just_an_error():
    with pytest.raises(DeriveError, match=r"t\.tex:1:"):
        elab("__import__('os').system('echo hi')")


def test_deep_braces_fail_fast_without_recursion_error():
    # CPU time, not wall time: 0.1 s of work took up to 0.5 s of wall on a loaded machine
    with cpu_limit(5.0), pytest.raises(DeriveError, match="nested deeper"):
        parse_block("{" * 100_000 + "x" + "}" * 100_000, 1, 1)


def test_ten_megabyte_file_is_refused_quickly(tmp_path):
    from derive.latex.chains import read_notes

    p = tmp_path / "big.tex"
    p.write_text("$$a = b$$\n" * 1_000_000)
    with cpu_limit(5.0), pytest.raises(DeriveError, match=r"big\.tex:1:1: file is .* bytes"):
        read_notes(str(p))


_SOUP = [*"{}()[]_^=+-&\\ab12 .,'|*", "\\frac", "\\sum", "\\left", "\\begin{cases}",
         "\\end{cases}", "\\\\", "\\text{if}", "\\otimes", "\\odot", "\\vdots", "\\|",
         "\\begin{bmatrix}", "\\end{bmatrix}", "\\substack", "\\overbrace", "\\neq", "!="]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SOUP), max_size=60))
def test_fuzz_parser_only_raises_derive_error(pieces):
    try:
        parse_block("".join(pieces), 1, 1)
    except DeriveError:
        pass


_ELAB_SOUP = [*"{}()_^=+-12 ,'", "x_i", "y_k", "\\theta_{ij}", "\\theta_{.k}", "^T", "\\frac",
              "\\sum_{k=1}^K", "\\log", "e^", "\\sigma_k", "\\partial", "\\cdot",
              "\\otimes", "[2, 2]", "\\mathbb{1}_{(j=k)}", "\\delta_{jk}", "\\|x\\|_2"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_ELAB_SOUP), min_size=1, max_size=12))
def test_fuzz_elaboration_only_raises_located_errors_or_math_issues(pieces):
    from derive.latex.values import MathIssue

    try:
        elab(" ".join(pieces))
    except DeriveError as exc:
        assert str(exc).startswith("t.tex:"), str(exc)
    except MathIssue:
        pass


PLUGIN_NOTES = HEADER + r"""
\begin{equation}
\sigma_k = \frac{e^{z_k}}{\sum_{c=1}^K e^{z_c}} = \frac{2 e^{z_k}}{\sum_{c=1}^K e^{z_c}}
\end{equation}
"""


def _plugin_is_installed() -> bool:
    from importlib.metadata import entry_points

    return any(e.value == "derive.latex.pytest_plugin" for e in entry_points(group="pytest11"))


def run_pytest(args: list[str], cwd, extra_path: str = "") -> str:
    """Run pytest in a subprocess, loading the plugin with -p only when no entry point does
    (with ``pip install -e .`` the entry point is active; -p would register it twice)."""
    path = os.pathsep.join(p for p in (os.getcwd(), extra_path) if p)
    env = dict(os.environ, PYTHONPATH=path)
    plugin = [] if _plugin_is_installed() or extra_path else ["-p", "derive.latex.pytest_plugin"]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *plugin, *args, "-q", "-p", "no:cacheprovider",
         "-o", "addopts="],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=300,
    )
    return proc.stdout + proc.stderr


def test_pytest_plugin_collects_steps_and_shows_counterexample(tmp_path):
    p = tmp_path / "notes.tex"
    p.write_text(PLUGIN_NOTES)
    out = run_pytest([str(p)], tmp_path)
    assert "1 failed, 1 passed" in out, out
    assert "counterexample" in out
    assert "notes.tex:" in out and "step 2 is refuted" in out


def test_pytest_plugin_collects_one_item_per_step_of_markdown_notes(tmp_path):
    from derive.latex.cli import example_paths

    (seed,) = [q for q in example_paths() if os.path.basename(q).startswith("002_")]
    p = tmp_path / "some_notes.md"
    p.write_text(open(seed, encoding="utf-8").read())
    out = run_pytest([str(p), "--collect-only"], tmp_path)
    items = [line for line in out.splitlines() if line.startswith("some_notes.md::line")]
    from derive.latex.verify import verify_file

    assert len(items) == len(verify_file(str(p))) == 24, out  # inline steps too
    assert "some_notes.md::line" in items[0] and "chain1-step1" in items[0]


def test_pytest_plugin_ini_glob_and_entry_point_as_in_ci(tmp_path):
    """What CI sees after ``pip install -e .``: the plugin comes from the entry point."""
    ep = tmp_path / "ep" / "derive_notes_ep-0.0.dist-info"
    ep.mkdir(parents=True)
    (ep / "METADATA").write_text("Metadata-Version: 2.1\nName: derive-notes-ep\nVersion: 0.0\n")
    (ep / "entry_points.txt").write_text("[pytest11]\nderive_notes = derive.latex.pytest_plugin\n")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.tex").write_text(PLUGIN_NOTES)
    (docs / "other.md").write_text("$$a$$\n")  # not matched by the glob: not collected
    (tmp_path / "pytest.ini").write_text("[pytest]\nderive_notes = docs/*.tex\n")
    out = run_pytest(["docs"], tmp_path, extra_path=str(tmp_path / "ep"))
    assert "already registered" not in out, out
    assert "1 failed, 1 passed" in out, out


# -- every notation of the seeds -------------------------------------------------------

SEED_HEADER = r"""% derive: size K, D, N
% derive: index i, l in 1..D
% derive: index j, k, c in 1..K
% derive: index n in 1..N
% derive: tensor \theta_{ik}, x_i, y_k, X_{ni}, w_{ji}, f_k
% derive: label t_n in 1..K
% derive: scalar \lambda
% derive: let \mathbf{x} = x
% derive: let z_k = \sum_{l=1}^D \theta_{lk} x_l
% derive: let \zeta_k(\mathbf{z}) = \frac{e^{z_k}}{\sum_{c=1}^K e^{z_c}}
% derive: let \ell^{\text{CE}}(\mathbf{h}) = - \sum_{k=1}^K y_k \log(\zeta_k(\mathbf{z}))
% derive: let P_k = \frac{e^{f_k}}{\sum_j e^{f_j}}
"""


def steps(tmp_path, body: str, header: str = SEED_HEADER, name: str = "n.md") -> list[str]:
    p = tmp_path / name
    p.write_text(header + "\n" + body + "\n")
    from derive.latex.verify import verify_file

    return [r["verdict"] for r in verify_file(str(p))]


def test_overbrace_label_is_a_remark_not_an_exponent():
    a, decl = elab(r"\overbrace{y_j \sigma_j}^{k=j}", SEED_HEADER + HEADER.splitlines()[4] + "\n")
    b, _ = elab(r"y_j \sigma_j", SEED_HEADER + HEADER.splitlines()[4] + "\n")
    sizes = (("K", 3), ("D", 2), ("N", 2))
    j = decl.indices["j"][0]
    assert numeric(a.expr.xreplace({j: 2}), decl, sizes) == pytest.approx(
        numeric(b.expr.xreplace({j: 2}), decl, sizes))
    assert "k=j" not in str(a.expr)


def test_squared_two_norm_is_the_sum_of_squares():
    v, decl = elab(r"\lambda \|w\|_2^2", SEED_HEADER)
    ascii_bars, _ = elab(r"\lambda ||w||_2^2", SEED_HEADER)
    lam = decl.scalars["\\lambda"]
    w = decl.tensors["w"].base
    sizes = {decl.sizes["K"]: 2, decl.sizes["D"]: 2}
    for expr in (v.expr, ascii_bars.expr):
        got = expr.xreplace(sizes).doit().xreplace({lam: 3})
        got = got.xreplace({e: e.indices[0] + 2 * e.indices[1] for e in got.atoms(sp.Indexed)
                            if e.base.label == w.label})
        assert got == 3 * sum((a + 2 * b) ** 2 for a in (1, 2) for b in (1, 2))


def test_norm_other_than_two_is_an_error():
    with pytest.raises(DeriveError, match=r"t\.tex:\d+:\d+: only the 2-norm"):
        elab(r"\|w\|_1", SEED_HEADER)


def test_prime_of_a_bracket_is_the_declared_derivative(tmp_path):
    ok = r"""% derive: prime f_k
$$\left[\frac{e^{f_k}}{\sum_j e^{f_j}} \right]' = P_k (1 - P_k)$$"""
    bad = ok.replace("(1 - P_k)", "(1 + P_k)")
    assert steps(tmp_path, ok) == ["proved"]
    assert steps(tmp_path, bad) == ["refuted"]


def test_prime_without_declaration_is_located_error():
    with pytest.raises(DeriveError, match=r"t\.tex:1:\d+: a prime ' needs"):
        elab(r"[f_k]'", SEED_HEADER)


def test_superscript_text_decorates_a_defined_name(tmp_path):
    assert steps(tmp_path, r"$$\ell^{\text{CE}}(\mathbf{h}) = - \sum_{k=1}^K y_k \log(\zeta_k(\mathbf{z}))$$") == ["proved"]
    assert steps(tmp_path, r"$$\ell^{\text{CE}}(\mathbf{h}) = \sum_{k=1}^K y_k \log(\zeta_k(\mathbf{z}))$$") == ["refuted"]


def test_otimes_is_the_outer_product_u_v_transposed():
    v, _ = elab(r"[1, 2] \otimes [3, 5, 7]", SEED_HEADER)
    assert v.concrete == sp.Matrix([[3, 5, 7], [6, 10, 14]])


def test_odot_is_entrywise_and_scales_by_a_scalar():
    v, _ = elab(r"[1, 2, 3] \odot [2, 0.5, -1]", SEED_HEADER)
    assert v.concrete == sp.Matrix([[2, 1, -3]])
    s, _ = elab(r"[2, 2, 2] \odot -0.7", SEED_HEADER)
    assert s.concrete == sp.Matrix([[sp.Rational(-7, 5)] * 3])


def test_bmatrix_rows_may_hold_literal_row_vectors():
    v, _ = elab(r"\begin{bmatrix} [2, 2] \odot 0.5 \\ 1 & 3 \end{bmatrix}", SEED_HEADER)
    assert v.concrete == sp.Matrix([[1, 1], [1, 3]])


def test_bmatrix_with_vdots_is_unknown_not_an_error():
    from derive.latex.values import MathIssue

    with pytest.raises(MathIssue, match=r"a column with .vdots"):
        elab(r"\begin{bmatrix} x \odot 2 \\ \vdots \end{bmatrix}", SEED_HEADER)


def test_substack_excludes_the_index_numerically():
    v, decl = elab(r"\sum_{\substack{k=1 \\ k \neq j}}^K y_k")
    j = decl.indices["j"][0]
    y = decl.tensors["y"].base
    e = v.expr.xreplace({decl.sizes["K"]: 3, j: 2}).doit()
    values = {1: 5, 2: 7, 3: 11}
    got = e.xreplace({a: values[int(a.indices[0])] for a in e.atoms(sp.Indexed)
                      if a.base.label == y.label})
    assert got == 16  # y_1 + y_3, without y_2


def test_textcircled_tags_split_equations():
    notes = extract(r"$$a = b \dots \textcircled{1} \quad c = d \dots \textcircled{2}$$", "n.md")
    assert [s.text.strip() for s in notes.segments] == ["a = b", "\\quad c = d"]


def test_indicator_of_a_label_is_a_delta_on_the_label():
    v, decl = elab(r"\mathbb{1}_{(t_n=k)}", SEED_HEADER)
    t = decl.tensors["t"].base
    assert v.expr == sp.KroneckerDelta(t[decl.indices["n"][0]], decl.indices["k"][0])


def test_column_slice_transposed_times_vector_is_inner_product():
    v, decl = elab(r"\theta_{.k}^T \mathbf{x}", SEED_HEADER)
    w, _ = elab(r"\sum_{i=1}^D \theta_{ik} x_i", SEED_HEADER)
    assert v.is_scalar
    k = decl.indices["k"][0]
    assert numeric(v.expr.xreplace({k: 2}), decl, (("K", 3), ("D", 2), ("N", 2))) == (
        pytest.approx(numeric(w.expr.xreplace({k: 2}), decl, (("K", 3), ("D", 2), ("N", 2)))))


def test_cdot_of_two_row_slices_is_their_inner_product():
    v, _ = elab(r"w_j \cdot X_n", SEED_HEADER)
    assert v.is_scalar and isinstance(v.expr, sp.Sum)
    with pytest.raises(Exception, match="cannot multiply"):
        elab(r"w_j X_n", SEED_HEADER)  # juxtaposed column vectors: no guessing


def test_delta_fraction_is_a_derivative(tmp_path):
    body = r"$$\frac{\delta P_k}{\delta f_j} = P_k (\delta_{jk} - P_j)$$"
    assert steps(tmp_path, body) == ["proved"]
    assert steps(tmp_path, body.replace("- P_j", "- P_k")) == ["refuted"]


def test_partial_with_respect_to_a_vector_slice(tmp_path):
    body = r"$$\frac{\partial \zeta_k(\mathbf{z})}{\partial \theta_{.j}} = \mathbf{x} \zeta_k(\mathbf{z}) (\mathbb{1}_{(j=k)} - \zeta_j(\mathbf{z}))$$"
    assert steps(tmp_path, body) == ["proved"]


# -- declaration-language features used by seeds 003 and 004 ---------------------------

OVERLOAD = r"""% derive: size N, D, k
% derive: index n in 1..N
% derive: index d in 1..D
% derive: index j, k in 1..k
% derive: tensor w_{kd}, x_{nd}, y_{nk}
% derive: let s_j = \frac{e^{w_j \cdot x_n}}{\sum_i^k e^{w_i \cdot x_n}}
% derive: index i in 1..k
% derive: let y^* = y_n
"""


def test_letter_that_is_size_and_index_is_the_size_only_as_upper_limit():
    v, decl = elab(r"\sum_{j}^{k} y_{n,j}", OVERLOAD)
    assert v.expr.limits[0][2] == decl.sizes["k"]
    assert decl.sizes["k"] != decl.indices["k"][0]
    idx, _ = elab(r"y_{n,k}", OVERLOAD)
    assert idx.expr.indices[1] == decl.indices["k"][0]


def test_definition_follows_the_enclosing_sum_for_an_implicit_index():
    inside, decl = elab(r"\sum_n s_j", OVERLOAD)
    n = decl.indices["n"][0]
    assert n not in inside.expr.free_symbols  # s_j took the bound n
    outside, _ = elab(r"s_j", OVERLOAD)
    assert n in outside.expr.free_symbols


def test_bare_defined_name_is_the_vector_of_its_entries():
    v, decl = elab(r"s", OVERLOAD)
    assert v.rows is not None and v.rows.size == decl.sizes["k"]


def test_star_superscript_is_a_declared_decoration():
    v, decl = elab(r"y^*", OVERLOAD)
    assert v.rows is not None and v.expr.base == decl.tensors["y"].base


def test_where_binds_literal_values_for_one_block(tmp_path):
    header = "% derive: size K\n% derive: index k in 1..K\n% derive: tensor x_k, s_k\n"
    body = ("% derive: where x = [2, 2], s = [0.25, 0.75]\n$$x \\otimes s = \\begin{bmatrix}"
            " 0.5 & 1.5 \\\\ 0.5 & 1.5 \\end{bmatrix}$$\n"
            "% derive: where x = [2, 2], s = [0.25, 0.75]\n$$x \\otimes s = \\begin{bmatrix}"
            " 0.5 & 0.5 \\\\ 1.5 & 1.5 \\end{bmatrix}$$\n")
    assert steps(tmp_path, body, header) == ["proved", "refuted"]


def test_sentence_period_after_a_display_formula_is_ignored():
    notes = extract("$$a = b + c.$$\n", "n.md")
    assert notes.segments[0].text.strip() == "a = b + c"


def test_implicit_index_definitions_prove_a_sample_sum(tmp_path):
    header = OVERLOAD + r"% derive: let J_n = -\sum_{k} y_{n,k} \log(s_k)" + "\n"
    good = r"$$\sum_n J_n = -\sum_n \sum_k y_{n,k} \log(s_k)$$"
    assert steps(tmp_path, good, header) == ["proved"]


def test_error_in_a_declaration_points_into_the_comment(tmp_path):
    from derive.latex.verify import verify_file

    p = tmp_path / "d.tex"
    p.write_text("% derive: size K\n% derive: index k in 1..Q\n$$K = K$$\n")
    with pytest.raises(DeriveError, match=r"d\.tex:2:\d+: range bound 'Q'"):
        verify_file(str(p))


def test_upper_limit_size_is_not_an_implicit_index():
    notes = extract(OVERLOAD, "t.tex")
    decl = parse_declarations(notes)
    e = Elaborator(decl)
    (s_def,) = decl.defs["s"]
    assert e.implicit_letters(s_def) == frozenset({"n"})


def test_derivative_by_a_defined_quantity_does_not_capture_a_bound_letter(tmp_path):
    """∂/∂f_j Σ_j e^{f_j} is e^{f_j}, not Σ_j e^{f_j}: the bound j is not the free j."""
    from derive.latex.verify import verify_file

    notes = tmp_path / "cap.md"
    notes.write_text(
        "% derive: size K\n% derive: index j, c in 1..K\n% derive: tensor z_j\n"
        "% derive: let f_j = 2 z_j\n\n"
        "$$\\frac{\\partial}{\\partial f_j} \\sum_{j=1}^{K} e^{f_j} = \\sum_{j=1}^{K} e^{f_j}$$\n\n"
        "$$\\frac{\\partial}{\\partial f_j} \\sum_{j=1}^{K} e^{f_j} = e^{f_j}$$\n",
        encoding="utf-8",
    )
    assert [r["verdict"] for r in verify_file(str(notes))] == ["refuted", "proved"]
