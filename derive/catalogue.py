"""The catalogue: every family's claims, with their wrong variants (read-only view).

Each family declares its own entries (:mod:`derive.models`); this module lists them
together for ``derive check``, the report and the kernels' links.

>>> [c.name for c in CLAIMS][:3]
['softmax_jacobian_theta', 'softmax_jacobian_logits', 'logsumexp_grad']
>>> len(mutants()) >= 2 * len(CLAIMS)
True
"""

from __future__ import annotations

from derive.engine.claims import Claim
from derive.errors import DeriveError
from derive.models import FAMILIES

__all__ = ["CLAIMS", "family_of", "get", "mutants", "names"]

CLAIMS: tuple[Claim, ...] = tuple(c for fam in FAMILIES for c in fam.claims)
_MUTANTS: tuple[Claim, ...] = tuple(c for fam in FAMILIES for c in fam.mutants)


def names() -> list[str]:
    return [c.name for c in CLAIMS]


def mutants(of: str | None = None) -> list[Claim]:
    """The wrong variants (all, or those of one claim)."""
    return [q for q in _MUTANTS if of is None or q.mutant_of == of]


def family_of(name: str) -> str:
    """The name of the family that declares the claim (or mutant) ``name``.

    >>> family_of("nll_grad_bias")
    'softmax'
    """
    for fam in FAMILIES:
        if any(c.name == name for c in fam.claims + fam.mutants):
            return fam.name
    raise DeriveError(f"unknown claim {name!r}: expected one of {', '.join(names())}")


def get(name: str) -> Claim:
    """The claim called ``name``; a :class:`DeriveError` lists the valid names otherwise.

    >>> get("nll_grad_bias").source
    "bias term of seed 004's model"
    """
    for claim in CLAIMS:
        if claim.name == name:
            return claim
    raise DeriveError(f"unknown claim {name!r}: expected one of {', '.join(names())}")
