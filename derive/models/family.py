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
from sympy.core.function import AppliedUndef

from derive.engine.claims import Assumption, Claim
from derive.engine.scope import Scope

__all__ = ["Entry", "Family", "Fold", "Notation", "catalogue", "over_samples"]


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
class Fold:
    """``symbol`` is printed wherever the engine's expanded ``form`` appears.

    The indices of ``symbol`` are placeholders: ``Fold(z[k], Σ_l θ_lk x_l)`` folds
    ``Σ_p θ_pj x_p`` into ``z_j`` (a summation index matches whatever its name). A form
    may use the symbols of earlier folds (``σ_k = e^{z_k} / Σ_c e^{z_c}``), and a symbol
    may be an expression in them (``1 − s`` for ``e^{−t}/(1 + e^{−t})``) or a function of
    a placeholder (``σ(u)`` for ``1/(1 + e^{−u})``). Each fold is an identity, so a folded
    line equals the line the engine wrote.

    >>> K = sp.Symbol("K", integer=True, positive=True)
    >>> z, sigma = sp.IndexedBase("z"), sp.IndexedBase("sigma")
    >>> k, c = sp.symbols("k c", integer=True)
    >>> Fold(sigma[k], sp.exp(z[k]) / sp.Sum(sp.exp(z[c]), (c, 1, K))).holes
    (k,)
    """

    symbol: sp.Expr
    form: sp.Expr

    @property
    def holes(self) -> tuple[sp.Symbol, ...]:
        """The placeholders: the index symbols of the symbol's entries, and the arguments
        of a function it applies (``Fold(σ(u), 1/(1 + e^{−u}))`` folds any argument)."""
        found: dict[sp.Symbol, None] = {}
        applied = self.symbol.atoms(sp.Indexed) | self.symbol.atoms(AppliedUndef)
        for entry in sorted(applied, key=sp.default_sort_key):
            for arg in (entry.indices if isinstance(entry, sp.Indexed) else entry.args):
                found.update(dict.fromkeys(sorted(arg.free_symbols, key=str)))
        return tuple(found)


@dataclass(frozen=True)
class Notation:
    """How the report writes a family: read by :mod:`derive.report`, never by the engine.

    ``folds`` put the family's abbreviations back into the engine's expanded forms, in
    order (an earlier fold is applied first, so a larger form comes before the forms it
    contains). ``names`` are the LaTeX of quantity names SymPy would not spell right;
    ``factor_order`` groups quantities in the order their factors are printed in a
    product (parameters, inputs, predictions, labels; anything unlisted after them).
    ``dummies`` maps a size to the letters its summation indices are renamed to, and
    ``letters`` a size to the letter a statement uses for an index over it
    (``Σ_k y_k = 1``).

    The rest is the family's part of the document, in LaTeX: ``prose`` introduces the
    model, ``symbols`` are the rows of its table of notation, ``definitions`` the
    displayed definitions (``(lhs, rhs, note)``; an expression is printed in the
    family's notation without folding), ``remarks`` follows them and
    ``assumptions`` introduces the list of hypotheses. ``objectives`` names the loss
    symbol a claim's objective is written with (one symbol per objective),
    ``published`` the references that state a claim (keys of ``references``:
    ``(authors, title, where)``), ``matrix_names`` renames the kernels' matrices and
    ``kernel_prose`` introduces them. ``matrix_entries`` names, for a matrix value of
    ``matrix_names`` (``"Softmax"``, ``"Softmax(row)"``), the quantity whose entries it holds
    (``"sigma"``): the kernels section writes those entries with the matrix's letter
    (``P_{nk}``, ``s_k``), so one quantity has one notation in that section.
    """

    folds: tuple[Fold, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    factor_order: tuple[tuple[Any, ...], ...] = ()
    dummies: Mapping[sp.Symbol, str] = field(default_factory=dict)
    letters: Mapping[sp.Symbol, str] = field(default_factory=dict)
    prose: str = ""
    symbols: tuple[tuple[str, str], ...] = ()
    definitions: tuple[tuple[Any, Any, str], ...] = ()
    remarks: str = ""
    assumptions: str = ""
    objectives: Mapping[str, str] = field(default_factory=dict)
    published: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    references: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    matrix_names: Mapping[str, str] = field(default_factory=dict)
    matrix_entries: Mapping[str, str] = field(default_factory=dict)
    kernel_prose: str = ""


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
    notation: Notation = field(default_factory=Notation)
    kernels: tuple[Any, ...] = ()


def over_samples(per_sample: Callable[[sp.Symbol], sp.Expr], size: sp.Expr,
                 reduction: str = "mean") -> sp.Expr:
    """``Σ_n L_n`` over the samples ``n`` in 1..size, divided by ``size`` for the mean.

    >>> N = sp.Symbol("N", integer=True, positive=True)
    >>> over_samples(lambda n: sp.IndexedBase("L")[n], N)
    Sum(L[n], (n, 1, N))/N
    """
    if reduction not in ("mean", "sum"):
        from derive.errors import DeriveError

        raise DeriveError(f"reduction={reduction!r}: expected 'mean' or 'sum'")
    n = sp.Symbol("n", integer=True)
    total = sp.Sum(per_sample(n), (n, 1, size))
    return total / size if reduction == "mean" else total
