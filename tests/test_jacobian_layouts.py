"""Issue 19: Jacobians of a vector by a vector as matrix-calculus notes write them
(derive.latex.layouts). Numerator or denominator layout is a convention authors rarely state:
a transpose on either side pins it, a layout named in words decides it, otherwise both are
read and the step is proved or refuted only when they agree.

Each row's truth is decided by brute force, not by derive: the left member's Jacobian by
central differences (NumPy, sizes n = 3, m = 2 and n = 1 where stated) in each layout the
notes allow, against the right member computed directly. The expected verdict is proved
when every allowed layout matches, refuted when none does *with the right member's shape*
(a shape that fits neither layout is the checker's honest unknown: sizes are symbolic, m
may equal n), else unknown."""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.layouts import stated_layout
from derive.latex.verify import verify_file

HEAD = ("% derive: size n, m\n% derive: index i, j in 1..n\n% derive: index a, b in 1..m\n"
        "% derive: tensor x_i, c_i\n% derive: tensor A_{ai}, B_{ij}\n")
RNG = np.random.default_rng(7)


def _softmax(v):
    e = np.exp(v - v.max())
    return e / e.sum()


def _jac(f, x):
    """Numerator layout, by central differences: row a holds d f_a / d x."""
    h = 1e-6
    cols = [(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))]
    return np.array(cols).T


def _layouts(f, pin, x):
    num = _jac(f, x)
    return {"numerator": num, "denominator": num.T} if pin is None else {
        pin: num if pin == "numerator" else num.T}


def _truth(f, pin, rhs, n=3, m=2) -> str:
    x, c = RNG.normal(size=n), RNG.normal(size=n)
    A, B = RNG.normal(size=(m, n)), RNG.normal(size=(n, n))
    env = {"x": x, "c": c, "A": A, "B": B}
    got = _layouts(lambda v: f({**env, "x": v}), pin, x)
    want = rhs(env)
    fits = [np.shape(v) == np.shape(want) for v in got.values()]
    same = [fit and np.allclose(v, want, atol=1e-5) for fit, v in zip(fits, got.values(),
                                                                       strict=True)]
    if all(same):
        return "proved"
    if not any(same) and all(fits):
        return "refuted"
    return "unknown"


# (id, prose before the display, display, the left member's vector function, the layout the
#  notation pins (None: both), the right member)
ROWS = [
    # must apply: the readings agree
    ("diag-odot", "", r"\frac{\partial (c \odot x)}{\partial x} = \text{diag}(c)",
     lambda e: e["c"] * e["x"], None, lambda e: np.diag(e["c"])),
    ("square", "", r"\frac{\partial (x \odot x)}{\partial x} = 2 \text{diag}(x)",
     lambda e: e["x"] ** 2, None, lambda e: 2 * np.diag(e["x"])),
    ("square-slip", "", r"\frac{\partial (x \odot x)}{\partial x} = \text{diag}(x)",
     lambda e: e["x"] ** 2, None, lambda e: np.diag(e["x"])),
    ("operator-square", "", r"\frac{\partial}{\partial x} (c \odot x) = \text{diag}(c)",
     lambda e: e["c"] * e["x"], None, lambda e: np.diag(e["c"])),
    ("sym-slip", "", r"\frac{\partial (B x)}{\partial x} = B + B^T",
     lambda e: e["B"] @ e["x"], None, lambda e: e["B"] + e["B"].T),
    # must not apply: a non-symmetric square Jacobian, one layout only
    ("square-num", "", r"\frac{\partial (B x)}{\partial x} = B",
     lambda e: e["B"] @ e["x"], None, lambda e: e["B"]),
    ("square-den", "", r"\frac{\partial (B x)}{\partial x} = B^T",
     lambda e: e["B"] @ e["x"], None, lambda e: e["B"].T),
    ("operator-num", "", r"\frac{\partial}{\partial x} (B x) = B",
     lambda e: e["B"] @ e["x"], None, lambda e: e["B"]),
    # a non-square matrix: the wrong layout has the wrong shape (never refuted, never proved)
    ("nonsquare-num", "", r"\frac{\partial (A x)}{\partial x} = A",
     lambda e: e["A"] @ e["x"], None, lambda e: e["A"]),
    ("nonsquare-den", "", r"\frac{\partial (A x)}{\partial x} = A^T",
     lambda e: e["A"] @ e["x"], None, lambda e: e["A"].T),
    # a transpose pins the layout: a column by a row, a row by a column
    ("pinned-num", "", r"\frac{\partial (B x)}{\partial x^T} = B",
     lambda e: e["B"] @ e["x"], "numerator", lambda e: e["B"]),
    ("pinned-num-transposed", "", r"\frac{\partial (B x)}{\partial x^T} = B^T",
     lambda e: e["B"] @ e["x"], "numerator", lambda e: e["B"].T),
    ("pinned-num-nonsquare", "", r"\frac{\partial (A x)}{\partial x^T} = A",
     lambda e: e["A"] @ e["x"], "numerator", lambda e: e["A"]),
    ("pinned-den", "", r"\frac{\partial (x^T B^T)}{\partial x} = B^T",
     lambda e: e["B"] @ e["x"], "denominator", lambda e: e["B"].T),
    ("pinned-den-transposed", "", r"\frac{\partial (x^T B^T)}{\partial x} = B",
     lambda e: e["B"] @ e["x"], "denominator", lambda e: e["B"]),
    # a layout stated in words decides
    ("stated-den", "We use the denominator layout.\n",
     r"\frac{\partial (B x)}{\partial x} = B^T",
     lambda e: e["B"] @ e["x"], "denominator", lambda e: e["B"].T),
    ("stated-den-wrong", "We use the denominator layout.\n",
     r"\frac{\partial (B x)}{\partial x} = B",
     lambda e: e["B"] @ e["x"], "denominator", lambda e: e["B"]),
    ("stated-num", "Jacobians are in numerator-layout.\n",
     r"\frac{\partial (B x)}{\partial x} = B",
     lambda e: e["B"] @ e["x"], "numerator", lambda e: e["B"]),
    # both named: nothing stated, both read
    ("stated-both", "Numerator layout and denominator layout differ by a transpose.\n",
     r"\frac{\partial (B x)}{\partial x} = B",
     lambda e: e["B"] @ e["x"], None, lambda e: e["B"]),
]


def _verdicts(tmp_path, prose: str, display: str, head: str = HEAD) -> list[dict]:
    p = tmp_path / "n.md"
    p.write_text(head + prose + f"\n$${display}$$\n", encoding="utf-8")
    return verify_file(str(p))


@pytest.mark.parametrize("name, prose, display, f, pin, rhs", ROWS, ids=[r[0] for r in ROWS])
def test_a_jacobian_is_decided_only_where_its_layouts_agree(tmp_path, name, prose, display,
                                                            f, pin, rhs):
    truth = _truth(f, pin, rhs)
    recs = _verdicts(tmp_path, prose, display)
    assert len(recs) == 1, recs
    assert recs[0]["verdict"] == truth, (truth, recs[0])
    if pin is None and "shape" not in (recs[0].get("note") or ""):
        # each reading, numerator layout first, as brute force decides that layout alone
        each = [_truth(f, layout, rhs) for layout in ("numerator", "denominator")]
        assert [r["verdict"] for r in recs[0]["readings"]] == each, recs[0]


def test_brute_force_tells_the_layouts_apart():
    """The truth function itself: a non-symmetric Jacobian differs from its transpose."""
    assert _truth(lambda e: e["B"] @ e["x"], None, lambda e: e["B"]) == "unknown"
    assert _truth(lambda e: e["B"] @ e["x"], "numerator", lambda e: e["B"]) == "proved"
    assert _truth(lambda e: e["B"] @ e["x"], "denominator", lambda e: e["B"]) == "refuted"


# must not apply: no Jacobian, no reading (a scalar numerator, a scalar variable, an entry)
NOT_JACOBIANS = [
    (r"\frac{\partial (c^T x)}{\partial x} = c", "proved"),
    (r"\frac{\partial (c^T x)}{\partial x} = c^T", None),
    (r"\frac{\partial (c_i x_i)}{\partial x_j} = c_i \delta_{ij}", "proved"),
    (r"\frac{\partial (x^T x)}{\partial x} = 2 x", "proved"),
    (r"\frac{\partial (x^T x)}{\partial x} = x", "refuted"),
]


@pytest.mark.parametrize("display, verdict", NOT_JACOBIANS)
def test_a_gradient_is_no_layout_point(tmp_path, display, verdict):
    recs = _verdicts(tmp_path, "", display)
    assert len(recs) == 1 and "readings" not in recs[0], recs
    if verdict is not None:
        assert recs[0]["verdict"] == verdict, recs[0]
    else:
        assert recs[0]["verdict"] != "proved", recs[0]


def test_a_scalar_variable_of_the_same_letter_is_no_jacobian(tmp_path):
    """A colliding name: x declared a scalar, so d(c x)/dx is the vector c (no layout)."""
    head = "% derive: size n\n% derive: index i in 1..n\n% derive: tensor c_i\n" \
           "% derive: scalar x\n"
    recs = _verdicts(tmp_path, "", r"\frac{\partial (c x)}{\partial x} = c", head)
    assert [r["verdict"] for r in recs] == ["proved"] and "readings" not in recs[0], recs


def test_a_size_of_one_where_the_layouts_coincide(tmp_path):
    """n = 1: the Jacobian is 1×1, both layouts are one number: d(x ⊙ x)/dx = 2 diag(x)
    holds (brute force), and its slip 3 diag(x) is refuted, at n = 1 as at n = 3."""
    assert _truth(lambda e: e["x"] ** 2, None, lambda e: 2 * np.diag(e["x"]), n=1) == "proved"
    assert _truth(lambda e: e["x"] ** 2, None, lambda e: 3 * np.diag(e["x"]), n=1) == "refuted"
    head = "% derive: index i, j in 1..1\n% derive: tensor x_i\n"
    ok = _verdicts(tmp_path, "", r"\frac{\partial (x \odot x)}{\partial x} = 2 \text{diag}(x)",
                   head)
    slip = _verdicts(tmp_path, "", r"\frac{\partial (x \odot x)}{\partial x} = 3 \text{diag}(x)",
                     head)
    assert [r["verdict"] for r in ok + slip] == ["proved", "refuted"], ok + slip


def test_the_referee_reads_the_layout_on_its_own():
    """The referee's Jacobian (its own code, central differences of its own values)."""
    from derive.latex.referee.evaluate import Arr, _jacobian

    cells = [Arr([[1], [2]]), Arr([[3], [4]]), Arr([[5], [6]])]  # d f / d x_b, f of length 2
    col = Arr([[0], [0], [0]])
    num = _jacobian(cells, col, "numerator")
    den = _jacobian(cells, col, "denominator")
    assert num.data == [[1, 3, 5], [2, 4, 6]] and den.data == [[1, 2], [3, 4], [5, 6]]
    row = Arr([[0, 0, 0]], rows=False, cols=True)
    assert _jacobian(cells, row, "").data == num.data  # a column by a row: numerator
    from derive.latex.referee.decls import Abstain

    with pytest.raises(Abstain):
        _jacobian(cells, col, "")


@pytest.mark.parametrize("text, layout", [
    ("in numerator layout", "numerator"), ("Denominator-layout convention", "denominator"),
    ("numerator layout vs denominator layout", ""), ("the layout of the numerator", ""),
    ("", "")])
def test_a_layout_stated_in_words(text, layout):
    assert stated_layout(text) == layout


# the softmax Jacobian as notes write it, p defined in the prose (symmetric: both layouts)
SOFTMAX = [
    (r"\frac{\partial p}{\partial z} = \text{diag}(p) - p p^T",
     lambda p: np.diag(p) - np.outer(p, p)),
    (r"\frac{\partial \text{softmax}(z)}{\partial z} = \text{diag}(p) - p p^T",
     lambda p: np.diag(p) - np.outer(p, p)),
    (r"\frac{\partial p}{\partial z} = \text{diag}(p) + p p^T",
     lambda p: np.diag(p) + np.outer(p, p)),
    (r"\frac{\partial p}{\partial z} = \text{diag}(p)", lambda p: np.diag(p)),
]


@pytest.mark.parametrize("display, rhs", SOFTMAX)
def test_the_softmax_jacobian(tmp_path, display, rhs):
    z = RNG.normal(size=3)
    got = _layouts(_softmax, None, z)
    same = [np.allclose(v, rhs(_softmax(z)), atol=1e-5) for v in got.values()]
    truth = "proved" if all(same) else "refuted" if not any(same) else "unknown"
    head = "% derive: size K\n% derive: index i, j in 1..K\n% derive: tensor z_i\n"
    recs = _verdicts(tmp_path, "Let $p = \\text{softmax}(z)$. Then\n", display, head)
    assert [r["verdict"] for r in recs if r["verdict"] != "definition"] == [truth], recs
