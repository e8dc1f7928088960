"""A hand-written ``% derive: let`` whose body has a sum over ``a \\neq b`` is read by the
ambiguity policy, as a step is (derive.latex.ambiguity.definition_body): the letters of the
pattern are the ones used outside the sum; neither used outside: the sum runs over the pairs;
both: an error at the let line (a definition has one reading).

Each row's truth is decided here by brute force (sizes n = 1..4, every j, random t).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from derive.errors import DeriveError
from derive.latex.verify import verify_file

HEAD = "% derive: size n\n% derive: index i, j, k in 1..n\n% derive: tensor t_i\n"


def _pairs(t: np.ndarray, j: int) -> float:
    return sum(t[a] * t[b] for a in range(len(t)) for b in range(len(t)) if a != b)


def _others(t: np.ndarray, j: int) -> float:
    return sum(t[a] for a in range(len(t)) if a != j)


def _truth(lhs: Callable[[np.ndarray, int], float],
           rhs: Callable[[np.ndarray, int], float]) -> str:
    for size in range(1, 5):
        for seed in range(3):
            t = np.random.default_rng([18, size, seed]).normal(size=size)
            for j in range(size):
                if not np.isclose(lhs(t, j), rhs(t, j)):
                    return "refuted"
    return "proved"


ROWS = [
    # the pairs (neither letter outside)
    (r"Q = \sum_{i \neq j} t_i t_j", r"Q = \left(\sum_{k=1}^{n} t_k\right)^2 - \sum_{k=1}^{n} t_k^2",
     _pairs, lambda t, j: t.sum() ** 2 - (t ** 2).sum()),
    (r"Q = \sum_{i \neq j} t_i t_j", r"Q = \left(\sum_{k=1}^{n} t_k\right)^2",
     _pairs, lambda t, j: t.sum() ** 2),
    (r"Q = \sum_{i \ne j} t_i t_j", r"Q = \sum_{k=1}^{n} \sum_{i=1}^{n} t_k t_i - "
     r"\sum_{k=1}^{n} t_k^2", _pairs, lambda t, j: t.sum() ** 2 - (t ** 2).sum()),
    # the pattern names j: the sum binds i (j free), as in a step with j on the other side
    (r"R_j = \sum_{i \neq j} t_i", r"R_j = \sum_{k=1}^{n} t_k - t_j",
     _others, lambda t, j: t.sum() - t[j]),
    (r"R_j = \sum_{i \neq j} t_i", r"R_j = \sum_{k=1}^{n} t_k",
     _others, lambda t, j: t.sum()),
    # the same with the letters the other way round
    (r"R_i = \sum_{j \neq i} t_j", r"R_j = \sum_{k=1}^{n} t_k - t_j",
     _others, lambda t, j: t.sum() - t[j]),
]


@pytest.mark.parametrize(("let", "step", "lhs", "rhs"), ROWS, ids=[r[0] + " ; " + r[1]
                                                                   for r in ROWS])
def test_let_body_read_by_the_policy(tmp_path, let, step, lhs, rhs):
    p = tmp_path / "n.md"
    p.write_text(f"{HEAD}% derive: let {let}\n$$ {step} $$\n")
    (r,) = verify_file(str(p))
    assert r["verdict"] == _truth(lhs, rhs), r.get("note")


def test_a_let_whose_ne_sum_can_bind_either_letter_is_an_error(tmp_path):
    p = tmp_path / "n.md"
    p.write_text(f"{HEAD}% derive: let S_{{i j}} = \\sum_{{i \\neq j}} t_i\n$$ S_{{1 2}} = 0 $$\n")
    with pytest.raises(DeriveError, match=r"n\.md:4:.*can bind either letter"):
        verify_file(str(p))
