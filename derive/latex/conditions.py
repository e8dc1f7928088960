"""What the ``where`` lines of a block say, and values under them.

A block's conditions (``where k = 2``, ``where j \\neq k``, ``where K = 3``, ``where z =
[1, 2]``) become a :class:`Condition`: a weight (a product of indicators), index and size
substitutions, and literal values of tensors. :func:`_with_condition` applies one to a
member's value (sizes become numbers, finite sums are written out, entries of a literal
tensor are read from it); :func:`_never` tells a condition that can never hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from derive.engine.scope import as_expr
from derive.latex.values import Axis, MathIssue, Value, materialize

__all__ = ["Condition"]


@dataclass
class Condition:
    """What the ``where`` lines of a block say: a weight (product of indicators), index
    substitutions, and literal values of sizes and tensors (``where K = 3``,
    ``where z = [1, 2]``)."""

    weight: sp.Expr = sp.S.One
    subst: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    tensors: dict[str, sp.Matrix] = field(default_factory=dict)  # by the base's name
    notes: list[str] = field(default_factory=list)

    def bind(self, sym: sp.Symbol, value: sp.Expr) -> None:
        """``sym = value``; a second, different value makes the condition impossible."""
        if sym in self.subst:
            old = self.subst[sym]
            self.weight *= sp.KroneckerDelta(old, value) if not (
                old.is_number and value.is_number) else sp.Integer(int(old == value))
            return
        self.subst[sym] = value


def _apply(expr: sp.Expr, cond: Condition) -> sp.Expr:
    """``expr`` under the block's literal bindings: sizes become numbers, finite sums are
    written out, and the entries of a literal tensor are read from it."""
    expr = expr.xreplace(cond.subst)
    if not cond.tensors:
        return expr
    expr = expr.replace(
        lambda e: isinstance(e, sp.Sum) and all(
            lo.is_Integer and hi.is_Integer for _, lo, hi in e.limits),
        lambda e: sp.S.Zero if any((hi - lo + 1).is_Integer and hi - lo + 1 <= 0
                                   for _, lo, hi in e.limits) else e.doit(deep=False))

    def entry(e: sp.Indexed) -> sp.Expr:
        mat = cond.tensors[str(e.base.label)]
        idx = [int(q) for q in e.indices]
        r, c = (idx[0], 1) if len(idx) == 1 else idx
        if not (1 <= r <= mat.rows and 1 <= c <= mat.cols):
            raise MathIssue(f"{e} is outside the literal value {mat.tolist()} given by 'where'")
        return mat[r - 1, c - 1]

    expr = expr.replace(
        lambda e: isinstance(e, sp.Indexed) and str(e.base.label) in cond.tensors
        and all(q.is_Integer for q in e.indices), entry)
    left = [e for e in expr.atoms(sp.Indexed) if str(e.base.label) in cond.tensors]
    if left:
        raise MathIssue(f"{left[0]} has a literal value from 'where' but a symbolic index: "
                        "write the entries with numbers, or the sizes as numbers too")
    return expr


def _with_condition(val: Value, cond: Condition) -> Value:
    weight = _apply(cond.weight, cond)
    if val.concrete is None:
        rows, cols = val.rows, val.cols
        rows = rows and Axis(rows.sym, as_expr(rows.size).xreplace(cond.subst))
        cols = cols and Axis(cols.sym, as_expr(cols.size).xreplace(cond.subst))
        if not cond.tensors or (rows is None and cols is None):
            return Value(_apply(val.expr, cond) * weight, rows, cols)
        # a vector or matrix over a literal tensor: its sizes are numbers now, so write
        # out its entries and read each from the literal
        val = Value(concrete=materialize(Value(val.expr, rows, cols)))
    return Value(concrete=val.concrete.applyfunc(lambda e: _apply(e, cond)) * weight)


def _never(weight: sp.Expr, scope: Any) -> bool:
    """Can the condition (a product of indicators) be shown to be 0 for every value?"""
    from derive.engine import algebra

    if weight == 0:
        return True
    try:
        return algebra.is_zero(algebra.to_poly(weight, scope))
    except algebra.Unsupported:
        return False
