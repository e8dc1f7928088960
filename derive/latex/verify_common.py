"""What the checker's parts share: the file's assumptions and scope, entry-count
counterexamples, the exact-zero test, the key of an equality already decided, the letters
free in a member, and the quantities inferred rather than declared. (A block's ``where``
conditions are :mod:`derive.latex.conditions`.)"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy as sp

from derive.engine.scope import as_expr
from derive.errors import DeriveError
from derive.latex import ast
from derive.latex.blocks import (
    TreeKey,
)
from derive.latex.chains import Directive, Notes
from derive.latex.declarations import Declarations, parse_declarations
from derive.latex.elaborate import Elaborator, Env
from derive.latex.errors import located
from derive.latex.values import (
    Value,
    free_with_derivatives,
)


def _assumptions(decl: Declarations, elab: Elaborator) -> list[Any]:
    from derive.engine.claims import binary, nonnegative, one_hot, sums_to_one

    out = []
    for lhs, rhs, line, col in decl.assumptions:
        if isinstance(rhs, str):  # a hypothesis on every entry of a quantity
            entry = elab.value(lhs, Env())
            if not (entry.is_scalar and isinstance(entry.expr, sp.Indexed)):
                raise located(decl.source, line, col, f"assume: expected an entry of a "
                              f"quantity, such as y_n, before the {rhs} hypothesis")
            out.append({"binary": binary, "nonnegative": nonnegative}[rhs](entry.expr.base))
            continue
        total = elab.value(lhs, Env())
        one = elab.value(rhs, Env())
        ok = (total.is_scalar and isinstance(total.expr, sp.Sum) and one.is_scalar
              and one.expr == 1 and isinstance(total.expr.function, sp.Indexed))
        if ok:
            var = total.expr.limits[0][0]
            idx = list(total.expr.function.indices)
            ok = var in idx
        if not ok:
            raise located(decl.source, line, col, "assume: expected a quantity that sums to "
                          "one, such as \\sum_{k=1}^K y_k = 1")
        out.append(sums_to_one(total.expr.function.base, axis=idx.index(var) - len(idx)))
    # {0, 1} entries that also sum to one along an axis are one-hot rows: the engine then
    # knows y_a y_b = δ_ab y_b there, which neither hypothesis gives alone.
    for a in [a for a in out if a.kind == "sums_to_one"]:
        if any(b.kind == "binary" and b.base == a.base for b in out):
            out = [b for b in out if b.base != a.base or b.kind not in ("binary", "sums_to_one")]
            out.append(one_hot(a.base, axis=a.axis))
    return out


def _scope(decl: Declarations, extra: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]],
           subst: dict[sp.Symbol, sp.Expr] | None = None) -> Any:
    """Ranges of the notes' indices (sizes bound by ``where K = 3`` are numbers)."""
    from derive.engine.scope import Scope

    def fix(rng: tuple) -> tuple:
        return tuple(as_expr(b).xreplace(subst) for b in rng) if subst else rng

    ranges = {sym: fix((lo, hi)) for sym, lo, hi in decl.indices.values()}
    ranges |= {sym: fix(r) for sym, r in extra.items()}
    labels = {t.base: fix(t.label_range) for t in decl.tensors.values() if t.label_range}
    return Scope(index_ranges=ranges, label_bases=labels)


def _entries(v: Value) -> sp.Expr:
    return (v.rows.size if v.rows else sp.S.One) * (v.cols.size if v.cols else sp.S.One)


def _shape_at(v: Value, at: dict) -> str:
    """``v``'s shape in words, its sizes at the point ``at``."""
    def n(ax: Any) -> int:
        return int(as_expr(ax.size).xreplace(at))

    if v.is_scalar:
        return "scalar"
    if v.rows and not v.cols:
        return f"column vector of length {n(v.rows)}"
    if v.cols and not v.rows:
        return f"row vector of length {n(v.cols)}"
    return f"{n(v.rows)}×{n(v.cols)} matrix"


def _entry_count_counterexample(a: Value, b: Value, scope: Any, sizes: dict[str, sp.Symbol],
                                fixed: dict[sp.Symbol, sp.Expr]) -> dict[sp.Symbol, int] | None:
    """Sizes at which the two sides of a step have different *numbers of entries* (a
    D-vector equated with a scalar), or None.

    Only a difference in the number of entries refutes: a row against a column, or D×K
    against K×D, may be the author's layout convention (numerator vs denominator layout),
    so those stay unknown. A scalar side whose free indices do not all occur free on the
    other side may be the generic entry of it (``x_d s_k = x``), so that stays unknown too.
    """
    if a.concrete is not None or b.concrete is not None or (a.is_scalar and b.is_scalar):
        return None
    index_syms = set(scope.index_ranges)
    for one, other in ((a, b), (b, a)):
        if one.is_scalar:
            own = free_with_derivatives(one.expr) & index_syms
            if not own <= (free_with_derivatives(other.expr) & index_syms):
                return None
    diff = sp.expand(_entries(a) - _entries(b))
    if diff == 0:
        return None
    size_syms = sorted(diff.free_symbols | _entries(a).free_symbols | _entries(b).free_symbols,
                       key=str)
    if not all(sym in set(sizes.values()) for sym in size_syms):
        return None  # a shape that is not a product of declared sizes: leave it unknown
    ordered = sorted(size_syms, key=str)
    for values in ((2, 3, 4, 5, 6, 7), (2,) * 6, (3,) * 6, (4, 3, 2, 5, 6, 7)):
        at = {sym: sp.Integer(v) for sym, v in zip(ordered, values, strict=False)}
        at.update({k: v for k, v in fixed.items() if k in at})
        dims = [as_expr(ax.size).xreplace(at) for v in (a, b) for ax in (v.rows, v.cols) if ax]
        if not all(d.is_Integer and d >= 1 for d in dims):
            continue
        if diff.xreplace(at) != 0:
            return {sym: int(at[sym]) for sym in ordered}
    return None


def exact_zero(d: sp.Expr) -> bool | None:
    """Is the exact number ``d`` zero? Rationals and algebraic numbers are decided
    symbolically; other constants are simplified, then told apart from 0 by evaluation
    to 60 digits only when that is unambiguous. None: undecided.

    >>> exact_zero(sp.Rational(1, 10**40)), exact_zero(sp.sqrt(2) * sp.sqrt(3) - sp.sqrt(6))
    (False, True)
    """
    d = sp.nsimplify(d, rational=True) if d.has(sp.Float) else d
    if d.is_Rational:
        return d == 0
    d = sp.simplify(d)
    if d.is_Rational:
        return d == 0
    if d.is_algebraic:
        try:
            x = sp.Dummy("x")
            return sp.minimal_polynomial(d, x) == x
        except (NotImplementedError, ValueError, sp.PolynomialError):
            pass
    z = d.is_zero
    if z is not None:
        return z
    value = d.evalf(60)
    if value.is_Number and abs(value) > sp.Float(10) ** -40:
        return False
    return None


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (int, float, str, bool)) or obj is None:
        return obj
    try:
        return float(obj)
    except (TypeError, ValueError):
        return str(obj)


def _equality_key(lhs: sp.Expr, rhs: sp.Expr, scope: Any, assumptions: Any) -> tuple:
    """What makes two engine calls the same question: both sides, the ranges and shapes,
    and the hypotheses (by value, never by where the step sits)."""
    def items(m: Any) -> str:
        return sp.srepr(sorted(((k, v) for k, v in dict(m or {}).items()), key=str))

    def canonical(e: sp.Expr) -> str:  # bound indices named by order of appearance
        bound: dict[sp.Basic, sp.Symbol] = {}
        for node in sp.preorder_traversal(e):
            if isinstance(node, sp.Sum):
                for lim in node.limits:
                    bound.setdefault(lim[0], sp.Symbol(f"_bound{len(bound)}", integer=True))
        return sp.srepr(e.xreplace(bound))

    return (canonical(lhs), canonical(rhs), items(getattr(scope, "index_ranges", None)),
            items(getattr(scope, "label_bases", None)), items(getattr(scope, "shapes", None)),
            tuple(map(str, assumptions)))


def _one_row_applies(cex: dict[str, Any], tables: list[tuple[sp.Expr, ...]]) -> bool:
    """At the counterexample's index values, does at most one row of each cases apply?
    False when that cannot be told (a condition's index is not in the counterexample)."""
    indices = cex.get("indices")
    if not isinstance(indices, dict):
        return False
    for weights in tables:
        on = 0
        for w in weights:
            at = w.xreplace({s: sp.Integer(indices[s.name]) for s in w.free_symbols
                             if isinstance(s, sp.Symbol) and s.name in indices})
            if not at.is_Integer:
                return False
            on += int(at)
        if on > 1:
            return False
    return True


def _free_letters(node: ast.Node) -> frozenset[str]:
    """Letters of a member other than the indices its own sums bind (d-markers excluded)."""
    nodes = list(ast.walk(node))
    bound = set()
    for n in nodes:
        if isinstance(n, ast.BigOp) and n.sub is not None:
            head = n.sub.items[0] if isinstance(n.sub, ast.Stack) else n.sub
            head = head.lhs if isinstance(head, ast.Rel) else head
            if isinstance(head, ast.Letter):
                bound.add(head.name)
    return frozenset(n.name for n in nodes if isinstance(n, ast.Letter)
                     and n.name not in bound and n.name != "d")


def _inferred_quantities(own: Notes, implied: tuple[Directive, ...], decl: Declarations,
                         trees: dict[TreeKey, tuple[ast.Chain, ...]]
                         ) -> dict[sp.Basic, str]:
    """The tensors and scalars of ``decl`` that no line of the notes (``own``) declares by
    hand, by their SymPy base; the ``implied`` sizes and indices are kept, as hand
    declarations use them (``trees``: the displays inferred definitions repeat)."""
    plain = tuple(d for d in implied if d.keyword not in ("tensor", "scalar"))
    try:
        hand = parse_declarations(replace(own, directives=own.directives + plain), trees)
    except DeriveError:
        return {}
    return ({t.base.label: name for name, t in decl.tensors.items() if name not in hand.tensors}
            | {sym: name for name, sym in decl.scalars.items() if name not in hand.scalars})
