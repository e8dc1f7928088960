"""What a model family declares: its scope, its catalogue, its notation, its kernels.

A family is one module under :mod:`derive.models` that ends with ``FAMILY =
Family(...)``. Everything else in derive reads these declarations: ``derive check``
proves every family's claims, the report prints each family's section in its own
notation, and the kernels layer generates the family's kernels from its rows. The
engine (:mod:`derive.engine`) never imports a family.

A catalogue is a table of :class:`Entry` rows; :func:`catalogue` turns it into claims
and their wrong variants (mutants), each mutant keeping the claim's assumptions unless
it names its own.

>>> import sympy as sp
>>> from derive.engine import Scope
>>> t = sp.Symbol("t")
>>> claims, mutants = catalogue([Entry(
...     "exp_grad", sp.Derivative(sp.exp(t), t), sp.exp(t),
...     wrong={"drops the exponential": (sp.Integer(1), None)})], Scope())
>>> [c.name for c in claims], [m.name for m in mutants]
(['exp_grad'], ['exp_grad [drops the exponential]'])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from derive.engine.claims import Assumption, Claim
from derive.engine.scope import Scope

__all__ = ["Entry", "Family", "catalogue"]


@dataclass(frozen=True)
class Entry:
    """One catalogue row: ``lhs = rhs`` under ``assumptions``, with wrong variants.

    ``wrong`` maps a label to ``(rhs, assumptions)``; ``None`` keeps the claim's own
    assumptions (``()`` states the variant without any: "forgets Σ_k y_k = 1").
    """

    name: str
    lhs: sp.Expr
    rhs: sp.Expr
    assumptions: tuple[Assumption, ...] = ()
    defs: Mapping[Any, Callable[..., sp.Expr]] = field(default_factory=dict)
    source: str = ""
    description: str = ""
    wrong: Mapping[str, tuple[sp.Expr, tuple[Assumption, ...] | None]] = field(
        default_factory=dict
    )


def catalogue(rows: list[Entry], scope: Scope) -> tuple[tuple[Claim, ...], tuple[Claim, ...]]:
    """Claims and mutants from a family's table (all in the family's ``scope``)."""
    claims, bad = [], []
    for row in rows:
        claim = Claim(
            name=row.name, lhs=row.lhs, rhs=row.rhs, assumptions=row.assumptions,
            defs=row.defs, scope=scope, source=row.source, description=row.description,
        )
        claims.append(claim)
        for label, (rhs, assumed) in row.wrong.items():
            bad.append(replace(
                claim, name=f"{row.name} [{label}]", rhs=rhs,
                assumptions=row.assumptions if assumed is None else assumed,
                mutant_of=row.name, description=label,
            ))
    return tuple(claims), tuple(bad)


@dataclass(frozen=True)
class Family:
    """A model family's declarations (plain data, read by the CLI, report and kernels).

    ``notation`` tells the report how to fold the engine's expanded forms back into the
    family's abbreviations; ``kernels`` are the family's kernel specification rows.
    Both are read by their layers, never by the engine.
    """

    name: str
    title: str
    scope: Scope
    claims: tuple[Claim, ...]
    mutants: tuple[Claim, ...] = ()
    notation: Any = None
    kernels: tuple[Any, ...] = ()
