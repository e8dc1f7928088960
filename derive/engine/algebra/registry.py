"""The registry of the normal form's rewrite rules: one entry per rule, with its side
conditions.

Each rule module registers its rules here with :func:`rule` (a decorator on the function
that implements it, in the manner of autograd's ``defvjp`` one-liners); nothing here
imports a rule, so the representation (:mod:`.terms`) and the registry stay below every
rule. An entry says what the rule rewrites, the identity, and where it must *not* apply:
outside its side condition the expression is left as it is (an honest ``unknown``, never
a guess). ``tests/test_algebra_rules.py`` holds, for every entry, an input where it
applies and inputs where it must not (other ranges, empty ranges, a size of 1, a
colliding index name).

Rules of the kind ``"sum"`` are also *dispatched* from here: the sum normaliser tries
them in registration order (:func:`of_kind`).

>>> from derive.engine.algebra import RULES
>>> RULES["sum the Kronecker deltas"].kind
'sum'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["RULES", "Rule", "of_kind", "rule"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule:
    """One rewrite rule of the normal form.

    ``name`` is what :func:`~derive.engine.algebra.context.trace_rule` records when the
    rule fires (where it is traced); ``kind`` is what it is dispatched by (``"sum"``: a
    sum ``Σ_dummies mono``; an atom class name: where that atom is built; ``"monomial"``:
    where factors are multiplied; ``"zero"``: the zero test); ``identity`` the equation it
    uses; ``when`` its side conditions, each *provable* for every positive integer size;
    ``fn`` the function that implements it.
    """

    name: str
    kind: str
    identity: str
    when: str
    fn: Callable[..., Any]


#: name -> entry, in registration order
RULES: dict[str, Rule] = {}


def rule(name: str, kind: str, identity: str, when: str) -> Callable[[F], F]:
    """Register the decorated function as the implementation of rule ``name``."""

    def register(fn: F) -> F:
        if name in RULES:
            raise ValueError(f"rule {name!r} registered twice")
        RULES[name] = Rule(name, kind, identity, when, fn)
        return fn

    return register


def of_kind(kind: str) -> list[Rule]:
    """The entries dispatched by ``kind``, in registration order."""
    return [r for r in RULES.values() if r.kind == kind]
