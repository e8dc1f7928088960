"""derive: a symbolic derivation checker for the mathematics of softmax regression.

>>> import derive
>>> derive.prove(derive.catalogue.get("nll_grad_theta")).status
'proved'
"""

from derive.claims import Assumption, Claim, Counterexample, Step, Verdict, sums_to_one
from derive.errors import DeriveError
from derive.model import Scope
from derive.prover import prove, prove_equal

__all__ = [
    "Assumption",
    "Claim",
    "Counterexample",
    "DeriveError",
    "Scope",
    "Step",
    "Verdict",
    "prove",
    "prove_equal",
    "sums_to_one",
]
