"""Functions of vectors, as NumPy and deep-learning notes write them (issue 19):
``\\exp(x)``, ``\\log x``, ``e^{x}`` of a vector are its entries' exponentials and logarithms
(``derive.latex.constructs.ELEMENTWISE``); of a matrix they stay unknown (the matrix
exponential is another reading). The elaborator and the independent referee read each from
their own table entry, so each is tested alone as well as through ``derive verify``.

The truth of every row is stated next to it; the brute-force truth of the same notation is
in ``tests/soundness/f01_elementwise_functions.md`` and ``f02_matrix_functions.md``.
"""

from __future__ import annotations

import pytest
import sympy as sp

from derive.latex import values as V
from derive.latex.constructs import ELEMENTWISE
from derive.latex.referee import evaluate as E
from derive.latex.verify import verify_file

HEADER = r"""% derive: size n
% derive: index i, j in 1..n
% derive: tensor x_i, y_i, A_{i j}
"""


def verdicts(tmp_path, *steps: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(HEADER + "".join(f"\n$$ {s} $$\n" for s in steps))
    return [r["verdict"] for r in verify_file(str(p))]


# (step, verdict, why): every spelling in the table, of a vector, true and false
CASES = [
    (r"\exp(x)^T y = \sum_i e^{x_i} y_i", "proved", "entries e^{x_i}, then the inner product"),
    (r"\exp(x)^T y = \exp(x^T y)", "refuted", "n = 1: e^{x_1} y_1 vs e^{x_1 y_1}"),
    (r"(e^{x})^T y = \sum_i e^{x_i} y_i", "proved", "e^{...} of a vector"),
    (r"\log(e^{x}) = x", "proved", "log of each e^{x_i}"),
    (r"\ln(e^{x}) = x", "proved", "\\ln is \\log"),
    (r"\log(e^{x} + e^{y}) = x + y", "refuted", "log of a sum of vectors is no sum of logs"),
    (r"\log(e^{x} \odot e^{y}) = x + y", "proved", "log of an entrywise product"),
    (r"\frac{\exp(x)}{\sum_j \exp(x_j)} = \text{softmax}(x)", "proved",
     "softmax written with exp of the vector"),
    (r"\frac{\exp(x)}{\sum_j \exp(x_j)} = \text{softmax}(y)", "refuted", "another vector"),
    (r"(\exp(x))_i = e^{x_i}", "proved", "entry i of exp of the vector"),
    (r"(\exp(x))_i = e^{x_j}", "refuted", "entry i is not entry j"),
]


@pytest.mark.parametrize(("step", "expected", "why"), CASES, ids=[c[2] for c in CASES])
def test_functions_of_a_vector_act_entry_by_entry(tmp_path, step, expected, why):
    assert verdicts(tmp_path, step) == [expected], why


# where the reading must NOT apply: a matrix (the matrix exponential is another reading), a
# power of a vector (x^2: entrywise or x^T x), two vectors side by side
MUST_NOT = [
    (r"(\exp(A))_{i j} = e^{A_{i j}}", "exp of a symbolic matrix: expm or entrywise"),
    (r"(\log A)_{i j} = \log A_{i j}", "log of a symbolic matrix"),
    (r"\exp(\begin{bmatrix} 0 & 1 \\ 0 & 0 \end{bmatrix}) = "
     r"\begin{bmatrix} 1 & e \\ 1 & 1 \end{bmatrix}", "a literal matrix: expm differs"),
    (r"\log(\begin{bmatrix} 1 & 1 \\ 1 & 1 \end{bmatrix}) = "
     r"\begin{bmatrix} 0 & 0 \\ 0 & 0 \end{bmatrix}", "log of a literal matrix"),
    (r"e^{\begin{bmatrix} 0 & 0 \\ 0 & 0 \end{bmatrix}} = "
     r"\begin{bmatrix} 1 & 1 \\ 1 & 1 \end{bmatrix}", "e^ of a literal matrix (expm: I)"),
    (r"x^2 = x \odot x", "a power of a vector: entrywise or x^T x"),
    (r"e^{x + y} = e^{x} e^{y}", "two vectors side by side: inner, outer or entrywise"),
]


@pytest.mark.parametrize(("step", "why"), MUST_NOT, ids=[c[1] for c in MUST_NOT])
def test_functions_of_a_matrix_or_powers_stay_unknown(tmp_path, step, why):
    assert verdicts(tmp_path, step) == ["unknown"], why


def test_a_literal_vector_and_a_scalar_are_read_as_before(tmp_path):
    out = verdicts(tmp_path,
                   r"\exp(\begin{bmatrix} 0 \\ 1 \end{bmatrix}) = \begin{bmatrix} 1 \\ e \end{bmatrix}",
                   r"\exp(\begin{bmatrix} 0 \\ 1 \end{bmatrix}) = \begin{bmatrix} 1 \\ 1 \end{bmatrix}",
                   r"\log(e^{x_1}) = x_1", r"\log(e^{x_1}) = 2 x_1",
                   # x_1 against x_2 only: a relation between inputs (input_relations)
                   r"\log(e^{x_1}) = x_2")
    assert out == ["proved", "refuted", "proved", "refuted", "unknown"]


def test_a_size_of_one_is_still_a_vector(tmp_path):
    p = tmp_path / "n.md"
    p.write_text("% derive: size n\n% derive: index i in 1..1\n% derive: tensor x_i, y_i\n"
                 "% derive: let n = 1\n\n$$ \\exp(x)^T y = e^{x_1} y_1 $$\n")
    out = [r["verdict"] for r in verify_file(str(p))]
    assert out in (["proved"], ["unknown"]), out  # never refuted


# -- each reader alone, from its own table -------------------------------------------------
N = sp.Symbol("n", integer=True, positive=True)


def test_the_elaborator_reads_a_vector_entry_by_entry_and_refuses_a_matrix():
    assert set(ELEMENTWISE) == {"\\exp", "\\log", "\\ln", "e^"}
    p, q = V.fresh_index("p"), V.fresh_index("q")
    x = sp.IndexedBase("x")
    col = V.Value(x[p], rows=V.Axis(p, N))
    row = V.Value(x[p], cols=V.Axis(p, N))
    assert V.apply_scalar(col, "\\exp") == V.Value(sp.exp(x[p]), rows=V.Axis(p, N))
    assert V.apply_scalar(row, "\\log") == V.Value(sp.log(x[p]), cols=V.Axis(p, N))
    assert V.apply_scalar(V.scalar(x[1]), "e^").expr == sp.exp(x[1])
    mat = V.Value(x[p] * x[q], rows=V.Axis(p, N), cols=V.Axis(q, N))
    for spelling in ELEMENTWISE:
        with pytest.raises(V.MathIssue, match="matrix function"):
            V.apply_scalar(mat, spelling)
        with pytest.raises(V.MathIssue, match="matrix function"):
            V.apply_scalar(V.Value(concrete=sp.Matrix([[0, 1], [0, 0]])), spelling)
    lit = V.apply_scalar(V.Value(concrete=sp.Matrix([[0, 1]])), "\\exp")
    assert lit.concrete == sp.Matrix([[1, sp.E]])


def test_the_referee_reads_a_vector_entry_by_entry_and_abstains_on_a_matrix():
    assert E.ELEMENTWISE == {"\\exp", "\\log", "\\ln", "e^"}
    col = E.Arr([[E.M.mpf(0)], [E.M.mpf(1)]], True, False)
    row = E.Arr([[E.M.mpf(1), E.M.mpf(2)]], False, True)
    assert E.apply("\\exp", col).data == [[1], [E.M.e]]
    assert E.apply("\\log", row).data == [[0, E.M.log(2)]]
    assert E.apply("e^", E.M.mpf(0)) == 1
    mat = E.Arr([[E.M.mpf(0), E.M.mpf(1)], [E.M.mpf(0), E.M.mpf(0)]], True, True)
    lit = E.Arr(mat.data, True, True, True)
    for name in E.ELEMENTWISE:
        for m in (mat, lit):
            with pytest.raises(E.Abstain):
                E.apply(name, m)


# -- a scalar added to a vector: to every entry (NumPy's broadcasting) ----------------------
BROADCAST = [
    (r"(1 - x)_i = 1 - x_i", "proved", "1 - x, entry i"),
    (r"(1 - x)^T y = \sum_i y_i - x^T y", "proved", "1 - x against y"),
    (r"(1 - x)^T y = 1 - x^T y", "refuted", "n = 1: (1 - x_1) y_1 vs 1 - x_1 y_1"),
    (r"(c - x)^T y = \sum_i (x_i - c) y_i", "refuted", "the sign of the scalar side kept"),
    (r"(x - c)^T y = \sum_i (x_i - c) y_i", "proved", "a vector minus a scalar"),
    (r"(x + c)^T (x + c) = x^T x + 2 c \sum_i x_i + n c^2", "proved", "n copies of c^2"),
    (r"(x + c)^T (x + c) = x^T x + c^2", "refuted", "c^2 counted once"),
    (r"(x^T + c) y = x^T y + c \sum_i y_i", "proved", "a row vector plus a scalar"),
    (r"1 - \begin{bmatrix} 1 \\ 2 \end{bmatrix} = \begin{bmatrix} 0 \\ -1 \end{bmatrix}",
     "proved", "a literal column"),
    (r"\begin{bmatrix} 1 & 2 \end{bmatrix} + 1 = \begin{bmatrix} 2 & 2 \end{bmatrix}",
     "refuted", "a literal row, a wrong entry"),
    (r"x - c = x - c y", "refuted", "c is not the vector c y"),
]


@pytest.mark.parametrize(("step", "expected", "why"), BROADCAST, ids=[c[2] for c in BROADCAST])
def test_a_scalar_plus_a_vector_is_added_to_every_entry(tmp_path, step, expected, why):
    p = tmp_path / "n.md"
    p.write_text(HEADER + "% derive: scalar c\n\n$$ " + step + " $$\n")
    assert [r["verdict"] for r in verify_file(str(p))] == [expected], why


# a matrix and a scalar: A + cI or A + c 1 1^T (they differ off or on the diagonal)
MATRIX_PLUS = [
    r"(A + c)_{i j} = A_{i j} + c",
    r"(A + c)_{i j} = A_{i j} + c \delta_{i j}",
    r"(c - A)_{i j} = c - A_{i j}",
    r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} + 1 = \begin{bmatrix} 2 & 3 \\ 4 & 5 \end{bmatrix}",
    r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} + 1 = \begin{bmatrix} 2 & 2 \\ 3 & 5 \end{bmatrix}",
]


@pytest.mark.parametrize("step", MATRIX_PLUS)
def test_a_matrix_plus_a_scalar_stays_unknown(tmp_path, step):
    p = tmp_path / "n.md"
    p.write_text(HEADER + "% derive: scalar c\n\n$$ " + step + " $$\n")
    recs = verify_file(str(p))
    assert [r["verdict"] for r in recs] == ["unknown"]
    assert "A + cI or A + c 1 1^T" in str(recs[0].as_dict()), recs[0].as_dict()


def test_each_reader_broadcasts_a_scalar_over_a_vector_only():
    p = V.fresh_index("p")
    q = V.fresh_index("q")
    x = sp.IndexedBase("x")
    c = sp.Symbol("c")
    col = V.Value(x[p], rows=V.Axis(p, N))
    assert V.add(V.scalar(c), col, -1) == V.Value(c - x[p], rows=V.Axis(p, N), broadcast=True)
    assert V.add(col, V.scalar(c), -1) == V.Value(x[p] - c, rows=V.Axis(p, N), broadcast=True)
    with pytest.raises(V.MathIssue, match="A \\+ cI"):
        V.add(V.Value(x[p] * x[q], rows=V.Axis(p, N), cols=V.Axis(q, N)), V.scalar(c))
    with pytest.raises(V.MathIssue, match="A \\+ cI"):
        V.add(V.scalar(c), V.Value(concrete=sp.Matrix([[1, 2], [3, 4]])))
    one, two = E.M.mpf(1), E.M.mpf(2)
    vec = E.Arr([[one], [two]], True, False)
    assert E.add(one, vec, -1).data == [[0], [-1]]
    assert E.add(vec, one, -1).data == [[0], [1]]
    for mat in (E.Arr([[one, two], [two, one]], True, True),
                E.Arr([[one, two], [two, one]], True, True, True)):
        with pytest.raises(E.Abstain):
            E.add(mat, one)


# -- vectors written with dots: (x_1, \ldots, x_n), [p_1 - y_1, \ldots, p_n - y_n]^T ---------
DOTS_HEADER = r"""% derive: size n, K
% derive: index i, j in 1..n
% derive: index k in 1..K
% derive: tensor x_i, y_i, z_k
"""

DOTS = [
    (r"(x_1, \ldots, x_n)^T y = \sum_i x_i y_i", "proved", "a parenthesis is a column"),
    (r"(x_1, \dots, x_n)^T y = \sum_i x_i y_i", "proved", "\\dots is \\ldots"),
    (r"(x_1, \cdots, x_n)^T y = \sum_i x_i y_i", "proved", "\\cdots between commas"),
    (r"(x_1, \ldots, x_n)^T y = \sum_i x_i", "refuted", "a false sum"),
    (r"[x_1 - y_1, \ldots, x_n - y_n]^T = x - y", "proved", "a bracket is a row, ^T a column"),
    (r"[x_1 - y_1, \ldots, x_n - y_n] y = x^T y - y^T y", "proved", "row times column"),
    (r"[x_1 - y_1, \ldots, x_n - y_n] y = x^T y", "refuted", "y^T y dropped"),
    (r"\{ x_1, \ldots, x_n \} = x", "proved", "a brace list as the vector"),
    (r"(z_1, \ldots, z_K)^T (z_1, \ldots, z_K) = \sum_k z_k^2", "proved", "another size"),
    (r"(x_1, \ldots, x_K)^T (x_1, \ldots, x_K) = \sum_i x_i^2", "refuted",
     "K entries of x are not its n entries"),
]


@pytest.mark.parametrize(("step", "expected", "why"), DOTS, ids=[c[2] for c in DOTS])
def test_a_vector_written_with_dots_is_its_pattern(tmp_path, step, expected, why):
    p = tmp_path / "n.md"
    p.write_text(DOTS_HEADER + "\n$$ " + step + " $$\n")
    assert [r["verdict"] for r in verify_file(str(p))] == [expected], why


# where the pattern must NOT be read: an entry before the dots (x_2: the size is at least 2),
# a last entry of another name or pattern, a descending list, a number as the last label,
# entries that are vectors, two dots
DOTS_MUST_NOT = [
    (r"(x_1, x_2, \ldots, x_n)^T y = x^T y", "an entry before the dots: n = 1 has no x_2"),
    (r"(x_1, \ldots, y_n)^T y = x^T y", "first and last of other names"),
    (r"(x_n, \ldots, x_1)^T y = x^T y", "descending"),
    (r"(x_1, \ldots, x_3)^T y = x^T y", "a number as the last label"),
    (r"(x_1, \ldots, x_j)^T y = x^T y", "an index, not a size, as the last label"),
    (r"(x_1, \ldots, x_n, \ldots)^T y = x^T y", "dots at the end"),
    (r"(x_1 y_2, \ldots, x_n y_n)^T y = x^T y", "the subscripts of the first entry differ"),
    (r"(x, \ldots, x)^T y = x^T y", "no subscript to run over"),
    (r"\{ x_0, \ldots, x_n \} = x", "from entry 0: n + 1 entries, x_0 outside x"),
]


@pytest.mark.parametrize(("step", "why"), DOTS_MUST_NOT, ids=[c[1] for c in DOTS_MUST_NOT])
def test_a_list_with_dots_of_no_one_pattern_stays_unknown(tmp_path, step, why):
    p = tmp_path / "n.md"
    p.write_text(DOTS_HEADER + "\n$$ " + step + " $$\n")
    recs = verify_file(str(p))
    assert [r["verdict"] for r in recs] == ["unknown"], (why, recs[0].as_dict())
    # the elaborator's own reason, not the referee's abstention after a proof
    assert "list with \\ldots" in recs[0].get("note", ""), (why, recs[0].as_dict())


def test_the_referee_reads_a_list_with_dots_from_its_own_rule(tmp_path):
    """The elaborator alone would prove the step; the referee reads the list itself: a
    referee that did not would abstain and the step would be unknown (checked by the
    mutation rows 'referee: list with dots ...' in benchmarks/mutation.py)."""
    from derive.latex.parser import parse_expr_text
    from derive.latex.referee.decls import Decls

    node = parse_expr_text(r"(x_1, \ldots, x_n)", 1, 1)
    d = Decls(sizes={"n"}, indices={"i": ("1", "n")}, tensors={"x": ("i",)})
    x = {(1,): E.M.mpf(3), (2,): E.M.mpf(5)}
    ev = E.Evaluator(d, E.Point(sizes={"n": 2}, free={}, tensors={"x": x}))
    col = ev.value(node, E.Env())
    assert (col.data, col.rows, col.cols) == ([[3], [5]], True, False)
    row = ev.value(parse_expr_text(r"[x_1, \ldots, x_n]", 1, 1), E.Env())
    assert (row.data, row.rows, row.cols) == ([[3, 5]], False, True)
    for text in (r"(x_1, x_2, \ldots, x_n)", r"(x_n, \ldots, x_1)", r"(x_1, \ldots, x_2)"):
        with pytest.raises(E.Abstain):
            ev.value(parse_expr_text(text, 1, 1), E.Env())


# -- division by a vector, and a defined scalar function of a vector ------------------------
SIGMA = "% derive: let \\sigma(u) = \\frac{1}{1 + e^{-u}}\n"

DIVIDE = [
    (r"\left(\frac{x}{y}\right)^T y = \sum_i x_i", "proved", "x / y entry by entry"),
    (r"\left(\frac{x}{y}\right)^T y = \sum_i y_i", "refuted", "another sum"),
    (r"\left(\frac{1}{x}\right)^T x = n", "proved", "a scalar over each entry"),
    (r"\left(\frac{1}{x}\right)^T y = \sum_i x_i y_i", "refuted", "1/x_i, not x_i"),
    (r"(x / y)^T y = \sum_i x_i", "proved", "the slash"),
    (r"\sigma(x)^T y = \sum_i \frac{y_i}{1 + e^{-x_i}}", "proved", "a defined σ of a vector"),
    (r"(\sigma(x))_i = \sigma(x_i)", "proved", "entry i of σ(x)"),
    (r"\sigma(x)^T y = \sigma(x^T y)", "refuted", "σ of the inner product"),
    (r"1 - \sigma(x) = \sigma(-x)", "proved", "broadcasting and σ together"),
    (r"1 - \sigma(x) = -\sigma(x)", "refuted", "the 1 dropped"),
]


@pytest.mark.parametrize(("step", "expected", "why"), DIVIDE, ids=[c[2] for c in DIVIDE])
def test_division_by_a_vector_and_sigma_of_a_vector_act_entry_by_entry(
        tmp_path, step, expected, why):
    p = tmp_path / "n.md"
    p.write_text(HEADER + SIGMA + "\n$$ " + step + " $$\n")
    assert [r["verdict"] for r in verify_file(str(p))] == [expected], why


# where they must NOT apply: a matrix denominator (A^{-1}?), a row over a column, σ of a
# matrix (exp of a matrix), ×/* between two vectors (cross, entrywise or inner product)
PRODUCT_MUST_NOT = [
    (r"\left(\frac{1}{A}\right)_{i j} = \frac{1}{A_{i j}}", "a matrix denominator"),
    (r"\left(\frac{x}{A}\right)_{i} = x_i", "a vector over a matrix"),
    (r"\left(\frac{x^T}{y}\right) y = \sum_i x_i", "a row over a column"),
    (r"(\sigma(A))_{i j} = \sigma(A_{i j})", "σ of a matrix"),
    (r"x \times y = \sum_i x_i y_i", "x × y: the cross product for 3-vectors"),
    (r"x * y = \sum_i x_i y_i", "x * y: NumPy's entrywise product"),
    (r"x \ast y = x \odot y", "\\ast"),
    (r"x^T \times y = \sum_i x_i y_i", "a row × a column"),
]


@pytest.mark.parametrize(("step", "why"), PRODUCT_MUST_NOT, ids=[c[1] for c in PRODUCT_MUST_NOT])
def test_matrix_denominators_and_vector_cross_signs_stay_unknown(tmp_path, step, why):
    p = tmp_path / "n.md"
    p.write_text(HEADER + SIGMA + "\n$$ " + step + " $$\n")
    recs = verify_file(str(p))
    assert [r["verdict"] for r in recs] == ["unknown"], (why, recs[0].as_dict())


SCALAR_SIGNS = [
    (r"2 \times x = x + x", "proved"), (r"x * 2 = x + x", "proved"),
    (r"c \times x^T y = c \sum_i x_i y_i", "proved"), (r"2 * 3 = 6", "proved"),
    (r"2 \times x = x", "refuted"), (r"x \cdot y = \sum_i x_i y_i", "proved"),
]


@pytest.mark.parametrize(("step", "expected"), SCALAR_SIGNS)
def test_a_times_sign_with_a_scalar_is_read_as_before(tmp_path, step, expected):
    p = tmp_path / "n.md"
    p.write_text(HEADER + "% derive: scalar c\n\n$$ " + step + " $$\n")
    assert [r["verdict"] for r in verify_file(str(p))] == [expected]


def test_each_reader_divides_by_a_vector_only():
    p, q = V.fresh_index("p"), V.fresh_index("q")
    x, y = sp.IndexedBase("x"), sp.IndexedBase("y")
    col = V.Value(x[p], rows=V.Axis(p, N))
    assert V.divide(V.scalar(sp.Integer(1)), col) == V.Value(1 / x[p], rows=V.Axis(p, N))
    q2 = V.fresh_index("q")
    other = V.Value(y[q2], rows=V.Axis(q2, N))
    assert V.divide(col, other) == V.Value(x[p] / y[p], rows=V.Axis(p, N))
    mat = V.Value(x[p] * x[q], rows=V.Axis(p, N), cols=V.Axis(q, N))
    for a, b in ((V.scalar(sp.Integer(1)), mat), (col, mat), (mat, col),
                 (V.transpose(col), other)):
        with pytest.raises(V.MathIssue):
            V.divide(a, b)
    with pytest.raises(V.MathIssue, match="cross"):
        V.times(col, other)
    one, two = E.M.mpf(1), E.M.mpf(2)
    vec = E.Arr([[one], [two]], True, False)
    assert E.divide(two, vec).data == [[2], [1]]
    assert E.divide(vec, vec).data == [[1], [1]]
    for a, b in ((one, E.Arr([[one, two], [two, one]], True, True)),
                 (E.Arr([[one, two]], False, True), vec)):
        with pytest.raises(E.Abstain):
            E.divide(a, b)
    with pytest.raises(E.Abstain):
        E.times(vec, vec)
    assert E.times(two, vec).data == [[2], [4]]


# a vector made by broadcasting, equated with a scalar: the notes may use one letter for a
# vector and a scalar (b13: \beta^\top x_i = \beta_0 + \beta t_i, a scalar slope \beta)
@pytest.mark.parametrize(("step", "expected"), [
    (r"x^T y = x_1 + x c", "unknown"),       # scalar = scalar + vector: no shape refutation
    (r"x^T y = (1 - x)^T y + x^T y", "refuted"),  # both scalars: refuted as before
    (r"x^T y = x c", "refuted"),             # no broadcasting: the entry count refutes
    (r"x_1 + x c = x^T y", "unknown"),       # either side
])
def test_a_broadcast_vector_equated_with_a_scalar_is_not_refuted_on_shape(
        tmp_path, step, expected):
    p = tmp_path / "n.md"
    p.write_text(HEADER + "% derive: scalar c\n\n$$ " + step + " $$\n")
    recs = verify_file(str(p))
    assert [r["verdict"] for r in recs] == [expected], recs[0].as_dict()
