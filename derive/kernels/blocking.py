"""The blocking identity the fused pass stands on, proved by the engine.

The data term of a proven form is a sum over the N rows, ``T = Σ_{n=1}^{N} F_n`` entry
by entry (:func:`derive.kernels.generate.split_rows`). The driver runs it as full blocks
of B rows and one remainder block: with ``N = Q·B + R`` (``Q`` full blocks, ``0 ≤ R <
B``),

``Σ_{n=1}^{N} F_n = Σ_{q=1}^{Q} Σ_{n=(q−1)B+1}^{qB} F_n + Σ_{n=QB+1}^{QB+R} F_n``,

and the fused block function computes the inner sum of one block. This module states that
identity for symbolic B, Q and R (written with positive sizes ``P = Q + 1`` and ``S = R +
1``, so that no blocks and no remainder are covered too) and an undefined summand ``F``
with free entry indices, as the link ``row_blocks`` (:mod:`derive.kernels.links`) that
every row-sum kernel's proof gate requires. The engine proves it by joining consecutive
ranges (:mod:`derive.engine.ranges`) and checks it numerically at small sizes, blocks and
remainders included.

>>> from derive.engine.prover import prove_equal
>>> lhs, rhs = identity()
>>> prove_equal(lhs, rhs, scope=SCOPE).status
'proved'
"""

from __future__ import annotations

import sympy as sp

from derive.engine.scope import Scope

__all__ = ["NAME", "SCOPE", "STATEMENT", "identity"]

NAME = "row_blocks"
P, B, S, I, J = sp.symbols("P B S I J", integer=True, positive=True)
n, q, i, j = sp.symbols("n q i j", integer=True)
N = (P - 1) * B + S - 1  # Q = P − 1 full blocks of B rows, a remainder of R = S − 1 rows
F = sp.IndexedBase("F", shape=(N, I, J))  # an undefined row term, entry (i, j)
SCOPE = Scope(index_ranges={i: (1, I), j: (1, J)})


def identity() -> tuple[sp.Expr, sp.Expr]:
    """``(Σ over the N rows, Σ over the blocks of Σ over their rows + the remainder)``."""
    row = F[n, i, j]
    blocks = sp.Sum(sp.Sum(row, (n, (q - 1) * B + 1, q * B)), (q, 1, P - 1))
    remainder = sp.Sum(row, (n, (P - 1) * B + 1, N))
    return sp.Sum(row, (n, 1, N)), blocks + remainder


STATEMENT = (
    "Σ_{n=1}^{N} F_n = Σ_{q=1}^{Q} Σ_{n=(q-1)B+1}^{qB} F_n + Σ_{n=QB+1}^{N} F_n,"
    " N = QB + R, for symbolic B, Q, R (row blocks and the remainder block)"
)
