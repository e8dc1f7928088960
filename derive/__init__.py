"""derive: a symbolic derivation checker for the mathematics of softmax regression.

>>> import derive
>>> derive.prove(derive.catalogue.get("nll_grad_theta")).status
'proved'
"""

import derive.referee  # noqa: F401  (installs the referee of derive verify)
from derive.engine import (
    Assumption,
    Claim,
    Counterexample,
    Scope,
    Step,
    Verdict,
    binary,
    nonnegative,
    one_hot,
    prove,
    prove_equal,
    sums_to_one,
)
from derive.errors import DeriveError

__all__ = [
    "Assumption",
    "Claim",
    "Counterexample",
    "DeriveError",
    "Scope",
    "Step",
    "Verdict",
    "binary",
    "nonnegative",
    "one_hot",
    "prove",
    "prove_equal",
    "sums_to_one",
]
