"""The proof engine: sums, Kronecker deltas, derivatives, sizes and assumptions.

It knows no model: quantities, letters and sizes come with each claim (its
:class:`Scope`, or the shapes of its quantities). Model families live in
:mod:`derive.models` and are never imported here.
"""

from derive.engine.claims import (
    Assumption,
    Claim,
    Counterexample,
    Step,
    Verdict,
    binary,
    nonnegative,
    one_hot,
    sums_to_one,
)
from derive.engine.prover import differentiate, prove, prove_equal
from derive.engine.scope import Scope, as_expr

__all__ = [
    "Assumption",
    "Claim",
    "Counterexample",
    "Scope",
    "Step",
    "Verdict",
    "as_expr",
    "binary",
    "differentiate",
    "nonnegative",
    "one_hot",
    "prove",
    "prove_equal",
    "sums_to_one",
]
