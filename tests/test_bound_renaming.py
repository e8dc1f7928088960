r"""Bound indices compared up to renaming (issue 18: "dependent limits supported in the
engine, or unknown; bound indices compared up to renaming").

A sum whose limit is an enclosing sum's index is outside the normal form. Two rules:

1. ``engine/algebra/convert._bind``: one Sum with two limits, the inner naming the outer
   letter (how the reader writes ``\sum_{c=1}^K \sum_{j=1}^c``), is outside the fragment;
   the outer letter was read as a free size before (the normal form pulled a factor K
   out of the outer sum; only the numeric checks kept it from a verdict).
2. ``engine/renaming``: two sides that are the same expression up to the names of their
   bound indices are equal, at every size (the empty range and a size of 1 included).

Every row's truth is decided here by loops over the index values at K = 1..4 (plain
Python), never by derive: a true row must never be refuted, a false row never proved.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
import sympy as sp

from derive.engine.renaming import canonical, same_up_to_bound_names
from derive.latex.verify import verify_file

Z = [0.7, -1.3, 2.1, 0.4]                                  # z_1..z_4
X = [[0.3, -0.8, 1.1, 0.5], [1.7, 0.2, -0.6, 0.9],
     [-0.4, 1.5, 0.8, -1.2], [0.6, -0.9, 0.1, 1.4]]       # x_{jk}
KFREE = 2                                                   # the free index k's value


def S(lo: int, hi: int, fn: Callable[[int], float]) -> float:
    return sum((fn(i) for i in range(lo, hi + 1)), 0.0)


def P(lo: int, hi: int, fn: Callable[[int], float]) -> float:
    return math.prod((fn(i) for i in range(lo, hi + 1)), start=1.0)


def z(i: int) -> float:
    return Z[i - 1]


def x(j: int, k: int) -> float:
    return X[j - 1][k - 1]


HEAD = "Let $z_j$, $x_{jk}$ be given, $j, k = 1, \\dots, K$.\n\n"

# (left, right, (left value, right value) at size n by loops, what derive must say:
#  "proved" = the rule must apply, "not proved" / "not refuted" = it must not)
ROWS = [
    # must apply: a renaming, the same letters, letters swapped between the levels
    (r"\sum_{c=1}^K \sum_{j=1}^c z_j", r"\sum_{a=1}^K \sum_{b=1}^a z_b",
     lambda n: (S(1, n, lambda c: S(1, c, z)), S(1, n, lambda a: S(1, a, z))), "proved"),
    (r"\sum_{c=1}^K \sum_{j=1}^c z_j", r"\sum_{c=1}^K \sum_{j=1}^c z_j",
     lambda n: (S(1, n, lambda c: S(1, c, z)), S(1, n, lambda c: S(1, c, z))), "proved"),
    (r"\sum_{c=1}^K \sum_{j=1}^c z_j", r"\sum_{j=1}^K \sum_{c=1}^j z_c",
     lambda n: (S(1, n, lambda c: S(1, c, z)), S(1, n, lambda j: S(1, j, z))), "proved"),
    (r"\sum_{c=1}^K \sum_{j=c}^K z_j z_c", r"\sum_{a=1}^K \sum_{b=a}^K z_b z_a",
     lambda n: (S(1, n, lambda c: S(c, n, lambda j: z(j) * z(c))),
                S(1, n, lambda a: S(a, n, lambda b: z(b) * z(a)))), "proved"),
    (r"\sum_{c=1}^K \sum_{j=1}^c x_{jk}", r"\sum_{a=1}^K \sum_{l=1}^a x_{lk}",
     lambda n: (S(1, n, lambda c: S(1, c, lambda j: x(j, KFREE))),
                S(1, n, lambda a: S(1, a, lambda b: x(b, KFREE)))), "proved"),
    # must not: another limit, the summand on the other level, a free index captured,
    # another free index, a factor
    (r"\sum_{c=1}^K \sum_{j=1}^c z_j", r"\sum_{a=1}^K \sum_{b=1}^{a-1} z_b",
     lambda n: (S(1, n, lambda c: S(1, c, z)), S(1, n, lambda a: S(1, a - 1, z))),
     "not proved"),
    (r"\sum_{c=1}^K \sum_{j=1}^c z_j", r"\sum_{a=1}^K \sum_{b=1}^a z_a",
     lambda n: (S(1, n, lambda c: S(1, c, z)), S(1, n, lambda a: S(1, a, lambda b: z(a)))),
     "not proved"),
    (r"\sum_{c=1}^K \sum_{j=1}^c x_{jk}", r"\sum_{c=1}^K \sum_{k=1}^c x_{kk}",
     lambda n: (S(1, n, lambda c: S(1, c, lambda j: x(j, KFREE))),
                S(1, n, lambda c: S(1, c, lambda q: x(q, q)))), "not proved"),
    (r"\sum_{c=1}^K \sum_{j=1}^c x_{jk}", r"\sum_{c=1}^K \sum_{j=1}^c x_{kj}",
     lambda n: (S(1, n, lambda c: S(1, c, lambda j: x(j, KFREE))),
                S(1, n, lambda c: S(1, c, lambda j: x(KFREE, j)))), "not proved"),
    (r"\sum_{c=1}^K \sum_{j=1}^c z_j", r"\sum_{a=1}^K \sum_{b=1}^a 2 z_b",
     lambda n: (S(1, n, lambda c: S(1, c, z)), S(1, n, lambda a: S(1, a, lambda b: 2 * z(b)))),
     "not proved"),
    (r"\sum_{a=1}^K z_a \sum_{b=1}^a z_b", r"\sum_{a=1}^K z_a \sum_{b=1}^a z_a",
     lambda n: (S(1, n, lambda a: z(a) * S(1, a, z)),
                S(1, n, lambda a: z(a) * S(1, a, lambda b: z(a)))), "not proved"),
    (r"\sum_{a=1}^K z_a \sum_{b=1}^a z_b", r"\sum_{c=1}^K z_c \sum_{j=1}^c z_j",
     lambda n: (S(1, n, lambda a: z(a) * S(1, a, z)),
                S(1, n, lambda c: z(c) * S(1, c, z))), "proved"),
    # true, but the same sum in another order (not a renaming): never refuted
    (r"\sum_{c=1}^K \sum_{j=1}^c z_j", r"\sum_{j=1}^K \sum_{c=j}^K z_j",
     lambda n: (S(1, n, lambda c: S(1, c, z)), S(1, n, lambda j: S(j, n, lambda c: z(j)))),
     "not refuted"),
    # a product over a triangular sum, renamed
    (r"\prod_{c=1}^K \sum_{j=1}^c z_j^2", r"\prod_{a=1}^K \sum_{b=1}^a z_b^2",
     lambda n: (P(1, n, lambda c: S(1, c, lambda j: z(j) ** 2)),
                P(1, n, lambda a: S(1, a, lambda b: z(b) ** 2))), "proved"),
]


def _truth(row) -> bool:
    values = [row[2](n) for n in range(1, 5)]
    return all(math.isclose(u, v, rel_tol=1e-12, abs_tol=1e-12) for u, v in values)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]} = {r[1]}" for r in ROWS])
def test_bound_indices_compared_up_to_renaming(tmp_path, row):
    left, right, _, want = row
    truth = _truth(row)
    assert truth == (want in ("proved", "not refuted"))     # the table's own truth column
    notes = tmp_path / "n.md"
    notes.write_text(HEAD + f"$$ {left} = {right} $$\n", encoding="utf-8")
    got = [r["verdict"] for r in verify_file(str(notes))]
    assert len(got) == 1, got
    if want == "proved":
        assert got == ["proved"]
    elif want == "not proved":
        assert got[0] != "proved"
    else:
        assert got[0] != "refuted"


def test_canonical_names_do_not_depend_on_the_authors_letters():
    K = sp.Symbol("K", integer=True, positive=True)
    a, b, c, j, k = sp.symbols("a b c j k", integer=True)
    w = sp.IndexedBase("w")
    one = sp.Sum(w[j, k], (j, 1, c), (c, 1, K))
    assert canonical(one) == canonical(sp.Sum(w[b, k], (b, 1, a), (a, 1, K)))
    # the free k keeps its name; a bound letter of another kind is another name
    assert not same_up_to_bound_names(one, sp.Sum(w[j, a], (j, 1, c), (c, 1, K)))
    r = sp.Symbol("r", real=True)
    assert not same_up_to_bound_names(sp.Sum(w[j], (j, 1, K)), sp.Sum(w[r], (r, 1, K)))
    # nested Sums and one Sum with two limits are different expressions: no claim either way
    nested = sp.Sum(sp.Sum(w[j, k], (j, 1, c)), (c, 1, K))
    assert canonical(nested) == canonical(sp.Sum(sp.Sum(w[b, k], (b, 1, a)), (a, 1, K)))
    # the inner and the outer letter never share a name, also when the inner sum is a
    # factor of the outer summand (SymPy keeps it a Sum of its own): Σ_a w_a Σ_{b≤a} w_b
    # is not Σ_a w_a Σ_{b≤a} w_a = Σ_a a w_a²
    inner = sp.Sum(w[b], (b, 1, a))
    assert not same_up_to_bound_names(sp.Sum(w[a] * inner, (a, 1, K)),
                                      sp.Sum(w[a] * sp.Sum(w[a], (b, 1, a)), (a, 1, K)))
    assert same_up_to_bound_names(sp.Sum(w[a] * inner, (a, 1, K)),
                                  sp.Sum(w[c] * sp.Sum(w[j], (j, 1, c)), (c, 1, K)))
