"""The Frobenius product ``A:B``, an equation in colour, and the links of relations other
than ``=`` (issue 19, items 1 and 2).

1. ``A:B`` is ``Σ_ij A_ij B_ij`` (= tr(AᵀB)) between two vectors or two matrices of one shape:
   looser than juxtaposition (``A:BC`` is ``A:(BC)``), tighter than ``+``. The elaborator
   (:func:`derive.latex.values.frobenius`) and the referee (its own table entry) read it each
   on their own. Between two scalars ``a:b`` may be a ratio, and ``:`` in a set
   (``\\{x : x > 0\\}``) or a signature (``f: \\mathbb{R}^n \\to \\mathbb{R}``) is no product:
   those are never proved or refuted.
2. ``\\color{red}{ds = J dz}`` (MathJax's two-argument colour) is the equation it colours.
3. A relation other than ``=`` (``\\le``, ``\\approx``, ``\\sim``) is one unknown link, listed
   after the ``=`` links of its block (which are checked); an arrow (``\\implies``) joins two
   equations, not two quantities, and makes no link.

Each row's truth is decided by brute force in :func:`truth` (NumPy, sizes 1-3), never by
derive; derive may say unknown, never the wrong one of proved/refuted.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex import ast
from derive.latex.parser import parse_block
from derive.latex.verify import verify_file

HEADER = (
    "% derive: size K, D\n% derive: index k in 1..K\n% derive: index i in 1..D\n"
    "% derive: tensor u_k, v_k, A_{ik}, B_{ik}, w_i\n% derive: scalar a, b\n"
)


def verdicts(tmp_path, body: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(HEADER + body + "\n")
    return [r["verdict"] for r in verify_file(str(p))]


def _frob(x, y):
    return float(np.sum(x * y))


# name -> the step's two sides at entries u, v (length K), A, B (D×K), w (length D)
SIDES = {
    "vectors": (lambda u, v, A, B, w: _frob(u, v), lambda u, v, A, B, w: float(u @ v)),
    "matrices": (lambda u, v, A, B, w: _frob(A, B),
                 lambda u, v, A, B, w: float(sum(A[i, k] * B[i, k] for i in range(A.shape[0])
                                                 for k in range(A.shape[1])))),
    "wrong_matrix": (lambda u, v, A, B, w: _frob(A, B), lambda u, v, A, B, w: _frob(A, A)),
    "precedence": (lambda u, v, A, B, w: _frob(A, np.outer(w, u)),
                   lambda u, v, A, B, w: float(w @ A @ u)),
    "transposes": (lambda u, v, A, B, w: _frob(A, B), lambda u, v, A, B, w: _frob(B.T, A.T)),
    "plus_binds_looser": (lambda u, v, A, B, w: _frob(u, v) + _frob(u, u),
                          lambda u, v, A, B, w: float(u @ (u + v))),
    "wrong_vector": (lambda u, v, A, B, w: _frob(u, v), lambda u, v, A, B, w: float(u @ u)),
    "empty_start": (lambda u, v, A, B, w: _frob(u, v),
                    lambda u, v, A, B, w: float(u[1:] @ v[1:])),
}


def truth(name: str) -> bool:
    """The step at random entries, sizes K, D in 1..3, by brute force."""
    rng = np.random.default_rng(0)
    lhs, rhs = SIDES[name]
    for K in (1, 2, 3):
        for D in (1, 2, 3):
            u, v, w = rng.normal(size=K), rng.normal(size=K), rng.normal(size=D)
            A, B = rng.normal(size=(D, K)), rng.normal(size=(D, K))
            if not np.isclose(lhs(u, v, A, B, w), rhs(u, v, A, B, w)):
                return False
    return True


# (name, step, derive's verdict); the verdict must agree with truth(name)
FROBENIUS = [
    ("vectors", r"u:v = \sum_k u_k v_k", "proved"),
    ("matrices", r"A:B = \sum_i \sum_k A_{ik} B_{ik}", "proved"),
    ("precedence", r"A : w u^T = w^T A u", "proved"),  # A:(w u^T), not (A:w) u^T
    ("transposes", r"A:B = B^T : A^T", "proved"),
    ("plus_binds_looser", r"u:v + u:u = u^T (u + v)", "proved"),
    ("wrong_matrix", r"A:B = \sum_i \sum_k A_{ik} A_{ik}", "refuted"),
    ("wrong_vector", r"u:v = u^T u", "refuted"),
    ("empty_start", r"u:v = \sum_{k=2}^{K} u_k v_k", "refuted"),  # K = 1: the sum is empty
]


@pytest.mark.parametrize("name, step, expected", FROBENIUS, ids=[r[0] for r in FROBENIUS])
def test_frobenius_product_is_the_sum_of_entrywise_products(tmp_path, name, step, expected):
    assert (expected == "proved") == truth(name)  # the table itself is right
    assert verdicts(tmp_path, f"$$ {step} $$") == [expected]


# must not apply: never proved or refuted, whatever the truth
NOT_A_PRODUCT = [
    (r"a:b = a b", "two scalars: a ratio?"),
    (r"u:w = 0", "vectors of other lengths"),
    (r"u : v^T = u^T v", "a column and a row"),
    (r"u:v:u = a", "a chain A:B:C"),
    (r"a = \{ u : u > 0 \}", "a set"),
    (r"\{ k : u_k > 0 \} = a", "a set on the left"),
]


@pytest.mark.parametrize("step, why", NOT_A_PRODUCT, ids=[r[1] for r in NOT_A_PRODUCT])
def test_a_colon_that_is_no_frobenius_product_is_unknown(tmp_path, step, why):
    got = verdicts(tmp_path, f"$$ {step} $$")
    assert got and all(v == "unknown" for v in got), got


def test_a_signature_makes_no_step(tmp_path):
    assert verdicts(tmp_path, r"$$ f: \mathbb{R}^n \to \mathbb{R} $$") == []
    assert verdicts(tmp_path, r"$$ f: \mathbb{R}^n \to \mathbb{R}, \quad a + b = b + a $$") == [
        "proved"]


def test_a_colon_in_a_defining_link_is_no_product():
    def read(text: str) -> list[ast.Chain]:
        return parse_block(text, 1, 1, source="n.md", tolerant=True)

    assert read(r"a : = b") == read(r"a := b")
    assert not any(isinstance(n, ast.Group) and n.delim == ":"
                   for c in read(r"a := b") for n in ast.walk(c))


# -- an equation in colour ----------------------------------------------------------------
COLOURED = [
    (r"\color{red}{a + b = b + a}", ["proved"]),
    (r"\textcolor{blue}{a + b = b + a}", ["proved"]),
    (r"\color{red} a + b = b + a", ["proved"]),  # LaTeX's switch
    (r"a + b = \color{red}{b + a}", ["proved"]),  # a coloured member stays a group
    (r"\color{red}{a + b = a + a}", ["refuted"]),  # must not hide a wrong step
    (r"2 \color{red}{a} = a + a", ["proved"]),
]


@pytest.mark.parametrize("step, expected", COLOURED, ids=[r[0] for r in COLOURED])
def test_an_equation_in_colour_is_the_equation(tmp_path, step, expected):
    assert verdicts(tmp_path, f"$$ {step} $$") == expected


# -- relations other than '=' -------------------------------------------------------------
RELATIONS = [
    # (block, verdicts in order): the '=' links first, then the relation's unknown link
    (r"a + b = b + a \le a + b + 1 = 1 + b + a", ["proved", "proved", "unknown"]),
    (r"a \approx b + a - a = b", ["proved", "unknown"]),
    (r"u \sim v, \qquad a + b = a + a", ["refuted", "unknown"]),
    (r"a \propto b = 2 b - b", ["proved", "unknown"]),
    # an arrow between two equations makes no link of its own
    (r"a + b = b + a \implies 2 a = a + a", ["proved", "proved"]),
    (r"a + b = b + a \quad\implies\quad 2 a = a + a", ["proved", "proved"]),
    (r"a = b \Rightarrow a + a = 2 b", ["unknown", "unknown"]),  # equations beside an arrow
]


@pytest.mark.parametrize("block, expected", RELATIONS, ids=[r[0] for r in RELATIONS])
def test_relations_keep_the_equal_links_checked(tmp_path, block, expected):
    assert verdicts(tmp_path, f"$$ {block} $$") == expected


def test_two_scalars_are_unknown_for_the_readers_own_reason(tmp_path):
    # not only by the referee's abstention: the reader itself does not read a:b of numbers
    p = tmp_path / "n.md"
    p.write_text(HEADER + "$$ a:b = a b $$\n")
    (rec,) = verify_file(str(p))
    assert rec["verdict"] == "unknown" and "may be a ratio" in rec["note"], rec
