"""derive: a symbolic derivation checker for the mathematics of softmax regression.

>>> import derive
>>> derive.prove(derive.catalogue.get("nll_grad_theta")).status
'proved'

Notes (Markdown, LaTeX, a notebook) are checked with :func:`verify_text` and
:func:`verify_file`, which return typed :class:`StepResult` objects (see :mod:`derive.api`).
In IPython or Jupyter, ``%load_ext derive`` adds the ``%%derive`` cell magic.
"""

from typing import Any

from derive.api import StepResult, verify_file, verify_text
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
    "StepResult",
    "Verdict",
    "binary",
    "nonnegative",
    "one_hot",
    "prove",
    "prove_equal",
    "sums_to_one",
    "verify_file",
    "verify_text",
]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext derive``: register the ``%%derive`` cell magic (:mod:`derive.ipython`)."""
    from derive.ipython import load_ipython_extension as load

    load(ipython)
