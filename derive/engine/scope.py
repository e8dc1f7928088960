"""What the engine needs to know about the symbols of a claim: ranges and shapes.

The engine knows no model's letters. A :class:`Scope` is either given (a model family
declares its own, ``derive.models.softmax.SCOPE``) or read off the expressions
themselves by :meth:`Scope.infer`: an index letter written in slot ``p`` of a quantity
whose shape is declared (``IndexedBase("theta", shape=(D, K))``) runs over 1..shape[p].

>>> import sympy as sp
>>> D, K = sp.symbols("D K", integer=True, positive=True)
>>> i, j = sp.symbols("i j", integer=True)
>>> W = sp.IndexedBase("W", shape=(D, K))
>>> Scope.infer(W[i, j]).range_of(j)
(1, K)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy as sp

from derive.engine.vector_function import Partial
from derive.errors import DeriveError

__all__ = ["Scope", "as_expr"]


def as_expr(value: object) -> sp.Expr:
    """A number or SymPy object as a SymPy expression; a string is refused, never parsed.

    >>> as_expr(3) + sp.Symbol("K")
    K + 3
    """
    return sp.sympify(value, strict=True)


@dataclass(frozen=True)
class Scope:
    """Ranges of free index letters, index-valued labels and shapes.

    ``index_ranges`` gives each free index letter its inclusive range; ``label_bases``
    lists index-valued quantities (an integer label ``t_n`` in 1..K is used as a
    subscript, as in ``f_{t_n}``); ``shapes`` overrides or supplies the shape of an
    ``IndexedBase`` that has none.
    """

    index_ranges: Mapping[sp.Symbol, tuple[sp.Expr, sp.Expr]] = field(default_factory=dict)
    label_bases: Mapping[sp.IndexedBase, tuple[sp.Expr, sp.Expr]] = field(default_factory=dict)
    shapes: Mapping[sp.IndexedBase, tuple[sp.Expr, ...]] = field(default_factory=dict)

    @staticmethod
    def infer(*exprs: sp.Basic) -> Scope:
        """Ranges of the free index letters of ``exprs``, read from declared shapes.

        A letter written in two slots of different sizes has no single range: that is
        an error, never a guess. Letters bound by a ``Sum`` are not free.

        >>> n = sp.Symbol("n", integer=True)
        >>> N, D = sp.symbols("N D", integer=True, positive=True)
        >>> X = sp.IndexedBase("X", shape=(N, D))
        >>> try:
        ...     Scope.infer(X[n, n])
        ... except DeriveError as exc:
        ...     print(exc)
        index n runs over 1..N in X[n, n] and over 1..D in X[n, n]: pass a Scope with its range
        """
        ranges: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] = {}
        seen: dict[sp.Symbol, sp.Indexed] = {}
        for e in exprs:
            for ix in _free_indexed(e, frozenset()):
                shape = ix.base.shape
                if shape is None:
                    continue
                for slot, size in zip(ix.indices, shape, strict=False):
                    if not isinstance(slot, sp.Symbol):
                        continue
                    rng = (sp.Integer(1), as_expr(size))
                    old = ranges.get(slot)
                    if old is not None and old != rng:
                        raise DeriveError(
                            f"index {slot} runs over 1..{old[1]} in {seen[slot]} and over "
                            f"1..{size} in {ix}: pass a Scope with its range"
                        )
                    ranges[slot] = rng
                    seen.setdefault(slot, ix)
        return Scope(index_ranges=ranges)

    def unranged(self, *exprs: sp.Basic) -> list[sp.Symbol]:
        """Free letters used as indices (a subscript, a Kronecker delta) with no range.

        >>> j, k = sp.symbols("j k", integer=True)
        >>> K = sp.Symbol("K", integer=True, positive=True)
        >>> Scope({j: (1, K)}).unranged(sp.KroneckerDelta(j, k))
        [k]
        """
        used: set[sp.Symbol] = set()
        for e in exprs:
            used |= _free_index_letters(e, frozenset())
        return sorted((s for s in used if self.range_of(s) is None
                       and not any(s in b.free_symbols for b in self.label_bases)), key=str)

    def range_of(self, index: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
        if isinstance(index, sp.Idx) and index.lower is not None:
            return (index.lower, index.upper)
        return self.index_ranges.get(index)

    def shape_of(self, base: sp.IndexedBase) -> tuple[sp.Expr, ...] | None:
        if base in self.shapes:
            return tuple(self.shapes[base])
        return tuple(base.shape) if base.shape is not None else None


def _free_indexed(e: sp.Basic, bound: frozenset) -> list[sp.Indexed]:
    """Indexed entries whose subscripts hold letters not bound by an enclosing Sum."""
    if isinstance(e, sp.Indexed):
        if any(s in bound for s in e.indices):
            return [] if all(s in bound or not s.free_symbols for s in e.indices) else [
                sp.Indexed(e.base, *(s if s not in bound else sp.Integer(1) for s in e.indices))
            ]
        return [e]
    if isinstance(e, sp.Lambda):  # η_q of an undefined function's vector argument
        return _free_indexed(e.expr, bound | set(e.variables))
    if isinstance(e, sp.Sum | sp.Product):
        inner = bound | {lim[0] for lim in e.limits}
        out = _free_indexed(e.function, inner)
        for lim in e.limits:
            out += _free_indexed(lim[1], bound) + _free_indexed(lim[2], bound)
        return out
    out: list[sp.Indexed] = []
    for a in e.args:
        out += _free_indexed(a, bound)
    return out


def _free_index_letters(e: sp.Basic, bound: frozenset) -> set[sp.Symbol]:
    """Letters written as a subscript or a Kronecker delta's argument, not bound by a Sum."""
    if isinstance(e, sp.Indexed | sp.KroneckerDelta):
        slots = e.indices if isinstance(e, sp.Indexed) else e.args
        out: set[sp.Symbol] = set()
        for q in slots:
            labels = {b.label for b in q.atoms(sp.IndexedBase)}
            out |= {s for s in q.atoms(sp.Symbol) if s not in bound and s not in labels}
        return out
    if isinstance(e, sp.Sum | sp.Product):
        return _free_index_letters(e.function, bound | {lim[0] for lim in e.limits})
    if isinstance(e, sp.Lambda):
        return _free_index_letters(e.expr, bound | set(e.variables))
    if isinstance(e, Partial):  # its partial indices are subscripts: ∂_{jk} A
        out = {s for o in e.order for s in o.atoms(sp.Symbol) if s not in bound}
        return out | _free_index_letters(e.arg, bound)
    out: set[sp.Symbol] = set()
    for a in e.args:
        out |= _free_index_letters(a, bound)
    return out
