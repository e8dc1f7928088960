"""Sums over consecutive ranges of one index: the blocking identity is proved for symbolic
block sizes with the remainder block, wrong blockings are refuted, and a sum whose range
depends on an enclosing sum's letter is evaluated (and refuted) as written."""

from __future__ import annotations

import pytest
import sympy as sp

from derive import Scope, prove_equal
from derive.engine.numeric import Point, evaluate
from derive.engine.ranges import join
from derive.errors import DeriveError
from derive.kernels import blocking, links

P, B, S, M, R, D = sp.symbols("P B S M R D", integer=True, positive=True)
n, q, i = sp.symbols("n q i", integer=True)
N = (P - 1) * B + S - 1
F = sp.IndexedBase("F", shape=(N,))
X, G = sp.IndexedBase("X"), sp.IndexedBase("G")


def _blocks(body, start=1, remainder_from=None):
    out = sp.Sum(sp.Sum(body, (n, (q - 1) * B + start, q * B)), (q, 1, P - 1))
    if remainder_from is not None:
        out += sp.Sum(body, (n, remainder_from, N))
    return out


def test_the_blocking_identity_is_proved_for_symbolic_sizes():
    lhs, rhs = blocking.identity()
    assert prove_equal(lhs, rhs, scope=blocking.SCOPE).status == "proved"
    body = X[n, i] * sp.exp(G[n])  # a product of row quantities, as a kernel's term
    v = prove_equal(sp.Sum(body, (n, 1, N)), _blocks(body, remainder_from=(P - 1) * B + 1),
                    scope=Scope(index_ranges={i: (1, D)}))
    assert v.status == "proved"


def test_wrong_blockings_are_refuted():
    whole = sp.Sum(F[n], (n, 1, N))
    for wrong in (_blocks(F[n]),  # the remainder block forgotten
                  _blocks(F[n], remainder_from=(P - 1) * B + 2)):  # its first row skipped
        v = prove_equal(whole, wrong, scope=Scope())
        assert v.status == "refuted", wrong
        assert v.counterexample.lhs != v.counterexample.rhs


def test_adjacent_ranges_join_only_when_they_meet():
    f = sp.IndexedBase("f", shape=(M + R,))
    assert prove_equal(sp.Sum(f[n], (n, 1, M + R)),
                       sp.Sum(f[n], (n, 1, M)) + sp.Sum(f[n], (n, M + 1, M + R)),
                       scope=Scope()).status == "proved"
    # Σ_1^M + Σ_{M+1}^R is Σ_1^R only when M ≤ R: never joined, refuted (M = 2, R = 1).
    g = sp.IndexedBase("g", shape=(M + R,))
    v = prove_equal(sp.Sum(g[n], (n, 1, R)),
                    sp.Sum(g[n], (n, 1, M)) + sp.Sum(g[n], (n, M + 1, R)), scope=Scope())
    assert v.status == "refuted"


def test_join_leaves_a_summand_that_depends_on_the_block():
    f = sp.IndexedBase("f")
    e = sp.Sum(sp.Sum(q * f[n], (n, (q - 1) * B + 1, q * B)), (q, 1, P))
    assert join(e) == e


def test_an_inner_range_that_depends_on_an_outer_letter_is_evaluated_as_written():
    # Σ_{q=1}^{P} Σ_{n=(q-1)B+1}^{qB} 1 = P·B: the inner range is read with q's value.
    e = sp.Sum(sp.Sum(1, (n, (q - 1) * B + 1, q * B)), (q, 1, P))
    assert evaluate(e, Point(sizes={P: 3, B: 4}, indices={}, arrays={})) == 12


def test_a_row_sum_kernel_is_gated_on_the_blocking_identity(monkeypatch):
    good = links.LINKS[blocking.NAME]
    lhs, _ = blocking.identity()
    wrong = links.IdentityLink(good.name, "", "", lhs, (), lambda: (_blocks(
        sp.IndexedBase("F", shape=(N, blocking.I, blocking.J))[n, blocking.i, blocking.j]),
        ()), None, good.statement, scope=blocking.SCOPE)
    monkeypatch.setitem(links.LINKS, blocking.NAME, wrong)
    monkeypatch.setattr(links, "_RESULTS", {})
    try:
        links.require((wrong,))
    except DeriveError as exc:
        assert "row_blocks" in str(exc) and "refuted" in str(exc)
    else:
        raise AssertionError("a wrong blocking identity passed the gate")


def test_a_range_bound_is_converted_strictly_never_parsed():
    """``ranges._expr``: SymPy expressions and ints pass; a string is never parsed."""

    from derive.engine.ranges import _expr

    n = sp.Symbol("n", integer=True)
    assert _expr(n + 1) == n + 1
    assert _expr(3) == sp.Integer(3) and isinstance(_expr(3), sp.Integer)
    for bad in ("n + 1", "__import__('os')", 1.5, True, None):
        with pytest.raises(TypeError):
            _expr(bad)


def _split_cases():
    K = sp.Symbol("K", integer=True, positive=True)
    c, d, e = sp.symbols("c d e", integer=True)
    z, t = sp.IndexedBase("z"), sp.IndexedBase("t")
    f = sp.exp(z[c])
    whole = sp.Sum(f, (c, 1, K))
    return K, c, d, e, z, t, f, whole


def test_a_term_split_off_either_end_is_joined_back():
    K, c, d, e, z, t, f, whole = _split_cases()
    assert join(sp.exp(z[1]) + sp.Sum(f, (c, 2, K))) == whole
    assert join(-sp.exp(z[1]) - sp.Sum(f, (c, 2, K))) == -whole  # the same number on both
    assert join(sp.Sum(f, (c, 1, K - 1)) + sp.exp(z[K])) == whole
    # bound letters of the summand's own sums may be spelled differently in the split term
    g = sp.exp(sp.Sum(t[e, c], (e, 1, K)))
    assert join(sp.exp(sp.Sum(t[d, 1], (d, 1, K))) + sp.Sum(g, (c, 2, K))) == sp.Sum(g, (c, 1, K))


_E, _S = sp.exp, sp.Sum


@pytest.mark.parametrize("build", [
    lambda K, c, z: _E(z[0]) + _S(_E(z[c]), (c, 2, K)),  # not the term next to the range
    lambda K, c, z: _E(z[1]) + _S(_E(z[c]), (c, 3, K)),
    lambda K, c, z: 2 * _E(z[1]) + _S(_E(z[c]), (c, 2, K)),  # another coefficient
    lambda K, c, z: _E(z[1]) + _S(_E(z[c]), (c, 2, K - 3)),  # may be below empty: K = 1
    lambda K, c, z: _E(z[K]) + _S(_E(z[c]), (c, 1, K)),  # the last term counted twice
], ids=["z0", "gap", "coefficient", "below-empty", "twice"])
def test_a_split_term_is_not_joined_where_the_identity_fails(build):
    K, c, *_, z, _t, _f, _w = _split_cases()
    given = build(K, c, z)
    assert join(given) == given
