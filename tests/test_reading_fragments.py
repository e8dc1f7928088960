"""Algebra fragments of published notes (issue 19, class 4): each a case table with the
rows where the reading must not apply."""

from __future__ import annotations

import pytest

from derive.latex.verify import verify_file

HEADER = r"""% derive: size K
% derive: index i, j, k in 1..K
% derive: tensor x_k
% derive: let f = \sum_{i} x_i^3
"""

# (block, verdict): \partial^2 f / \partial x_k x_j is the second derivative by x_k and x_j
SECOND = [
    (r"\frac{\partial^2 f}{\partial x_k \partial x_j} = 6 x_k \delta_{kj}", "proved"),
    (r"\frac{\partial^2 f}{\partial x_k x_j} = 6 x_k \delta_{kj}", "proved"),
    (r"\frac{\partial^2 f}{\partial x_j x_k} = 6 x_j \delta_{kj}", "proved"),
    (r"\frac{\partial^2 f}{\partial x_k^2} = 6 x_k", "proved"),
    # the wrong value is still refuted (the δ is missing)
    (r"\frac{\partial^2 f}{\partial x_k x_j} = 6 x_k", "refuted"),
    # must NOT apply: one \partial (order 1) before two letters is not two derivatives
    (r"\frac{\partial f}{\partial x_k x_j} = 3 x_k^2", "unknown"),
    # must NOT apply: order 3 with two variables written
    (r"\frac{\partial^3 f}{\partial x_k x_j} = 6 \delta_{kj}", "unknown"),
]


@pytest.mark.parametrize("block, verdict", SECOND, ids=[s[0] for s in SECOND])
def test_second_derivative_with_one_partial_in_the_denominator(tmp_path, block, verdict):
    p = tmp_path / "n.md"
    p.write_text(HEADER + f"$$ {block} $$\n")
    recs = verify_file(str(p))
    assert [r["verdict"] for r in recs] == [verdict], recs


OFFSETS_HEADER = r"""% derive: size K
% derive: index i, k in 1..K
% derive: tensor x_k
"""

# (block, verdict): an index offset in a subscript is a change of the sum's variable
OFFSETS = [
    (r"\sum_{i=2}^{K} x_{i-1} = \sum_{i=1}^{K-1} x_i", "proved"),
    (r"\sum_{i=1}^{K-1} x_{i+1} = \sum_{i=2}^{K} x_i", "proved"),
    # the range not shifted: a slip, refuted
    (r"\sum_{i=2}^{K} x_{i-1} = \sum_{i=2}^{K} x_i", "refuted"),
    (r"\sum_{i=1}^{K-1} x_{i+1} = \sum_{i=1}^{K-1} x_i", "refuted"),
    # must NOT apply: two different offsets of one index (no single change of variable)
    (r"\sum_{i=2}^{K} x_{i-1} x_i = \sum_{i=1}^{K-1} x_i x_i", "not proved"),
]


@pytest.mark.parametrize("block, verdict", OFFSETS, ids=[s[0] for s in OFFSETS])
def test_index_offsets_in_subscripts(tmp_path, block, verdict):
    p = tmp_path / "n.md"
    p.write_text(OFFSETS_HEADER + f"$$ {block} $$\n")
    got = [r["verdict"] for r in verify_file(str(p))]
    if verdict == "not proved":
        assert got and "proved" not in got, got
    else:
        assert got == [verdict], got


LSE = r"""% derive: size n
% derive: index i, j, k in 1..n
% derive: tensor x_k
"""
HESSIAN = (r"$$\frac{\partial^2}{\partial x_k x_j}\log \left(\sum_{i=1}^{n} e^{x_i}\right)"
           r"=-\frac{e^{x_k}e^{x_j}}{\left(\sum_{i=1}^{n} e^{x_i}\right)^2},$$")


@pytest.mark.parametrize("prose, verdict", [
    (" where $j \\neq k$, and $1 \\le j,k \\le n$.", "proved"),   # the condition is read
    ("\nwhen $j \\ne k$.", "proved"),
    (" which holds everywhere.", "refuted"),                      # no condition: j = k fails
    ("\n\nwhere $j \\neq k$.", "refuted"),                        # another paragraph
])
def test_a_condition_in_the_prose_right_after_a_display(tmp_path, prose, verdict):
    p = tmp_path / "n.md"
    p.write_text(LSE + "For the second derivative I got " + HESSIAN + prose + "\n")
    assert [r["verdict"] for r in verify_file(str(p))] == [verdict]
