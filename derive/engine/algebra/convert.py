"""The driver's first half: a SymPy expression into the normal form (:func:`to_poly`),
with the assumptions in force (:func:`make_rule`, :class:`_using`).

>>> import sympy as sp
>>> from derive.engine.scope import Scope
>>> K = sp.Symbol("K", integer=True, positive=True)
>>> c, j = sp.symbols("c j", integer=True)
>>> x = sp.IndexedBase("x", shape=(K,))
>>> scope = Scope(index_ranges={j: (1, K)})
>>> to_poly(sp.Sum(sp.KroneckerDelta(c, j) * x[c], (c, 1, K)), scope) == to_poly(x[j], scope)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

import sympy as sp

from derive.engine.algebra.assumptions import (
    _ELIM,
    _ENTRY,
    EliminationRule,
    EntryRule,
    _elimination,
    _entry_poly,
)
from derive.engine.algebra.context import Unsupported
from derive.engine.algebra.powers import (
    _is_positive,
    exp_of,
    log_of,
    poly_pow,
    provably_positive,
)
from derive.engine.algebra.registry import rule
from derive.engine.algebra.sums import _RULES, RewriteRule, _counter, _sum_terms
from derive.engine.algebra.terms import (
    ONE,
    Delta,
    Fn,
    Index,
    Ix,
    LabelIx,
    PartialAtom,
    Poly,
    SumAtom,
    Sym,
    _atom_poly,
    _atoms_deep,
    poly_add,
    poly_const,
    poly_mul,
    user_name,
)
from derive.engine.scope import Scope, as_expr
from derive.engine.vector_function import Partial

__all__ = ["make_rule", "to_poly"]


class _Converter:
    """SymPy expression -> normal form; scope gives the ranges of free indices."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.label_names = {str(bse.label): rng for bse, rng in scope.label_bases.items()}

    def index(self, e: sp.Expr, bound: Mapping[sp.Symbol, Ix]) -> Index:
        if e in bound:
            return bound[e]
        if e.is_Integer:
            return int(e)
        if isinstance(e, sp.Indexed) and str(e.base.label) in self.label_names:
            lo, hi = self.label_names[str(e.base.label)]
            args = tuple(self.index(a, bound) for a in e.indices)
            return LabelIx(user_name(str(e.base.label)), args, as_expr(lo), as_expr(hi))
        if isinstance(e, sp.Symbol):
            rng = self.scope.range_of(e)
            if rng is None:
                raise Unsupported(f"index {e} has no declared range")
            return Ix(user_name(str(e)), as_expr(rng[0]), as_expr(rng[1]))
        raise Unsupported(f"index expression {e} is not an index letter, label or integer")

    def poly(self, e: sp.Expr, bound: Mapping[sp.Symbol, Ix]) -> Poly:
        if e.is_Rational:
            return poly_const(Fraction(int(e.p), int(e.q)))
        if e.is_Float:
            return poly_const(Fraction(str(e)))
        if e is sp.E:
            return exp_of(ONE)
        if isinstance(e, sp.Symbol):
            if e in bound or e in self.scope.index_ranges or isinstance(e, sp.Idx):
                raise Unsupported(f"index {e} used as a number")
            return _atom_poly(Sym(user_name(str(e)), bool(e.is_positive)))
        if isinstance(e, sp.Indexed):
            idx = tuple(self.index(a, bound) for a in e.indices)
            return _entry_poly(user_name(str(e.base.label)), idx)
        if isinstance(e, sp.KroneckerDelta):
            return Delta.make(self.index(e.args[0], bound), self.index(e.args[1], bound))
        if isinstance(e, sp.Add):
            out: Poly = {}
            for a in e.args:
                out = poly_add(out, self.poly(a, bound))
            return out
        if isinstance(e, sp.Mul):
            out = dict(ONE)
            for a in e.args:
                out = poly_mul(out, self.poly(a, bound))
            return out
        if isinstance(e, sp.Pow):
            if not e.exp.is_Rational:
                return _symbolic_power(self.poly(e.base, bound), self.poly(e.exp, bound), e)
            return poly_pow(self.poly(e.base, bound), Fraction(int(e.exp.p), int(e.exp.q)))
        if isinstance(e, sp.exp):
            return exp_of(self.poly(e.args[0], bound))
        if isinstance(e, sp.log):
            if isinstance(e.args[0], sp.Product):
                return self.log_product(e.args[0], bound)
            return log_of(self.poly(e.args[0], bound))
        if isinstance(e, sp.Sum):
            return self.sum(e, bound)
        if isinstance(e, Partial):
            return self.partial(e, bound)
        if isinstance(e, sp.Derivative | sp.Piecewise | sp.Product | sp.Integral):
            raise Unsupported(f"{type(e).__name__} left in the expression")
        if isinstance(e, sp.Function):
            return _atom_poly(Fn(type(e).__name__, tuple(self.poly(a, bound) for a in e.args)))
        raise Unsupported(f"cannot represent {type(e).__name__}: {e}")

    def _bind(self, limits, bound: Mapping[sp.Symbol, Ix]) -> tuple[dict, list[Ix]]:
        inner = dict(bound)
        dummies = []
        # an inner limit may name an outer letter of the same sum (Σ_{j=1}^{c} over c = 1..K,
        # one Sum with two limits): that letter is bound too, never a size
        letters = {lim[0] for lim in limits}
        for var, lo, hi in limits:
            if (lo.free_symbols | hi.free_symbols) & (set(inner) | set(self.scope.index_ranges)
                                                      | letters):
                raise Unsupported(f"summation bounds depend on an index: {lo}..{hi}")
            d = Ix(f"_u{next(_counter)}", as_expr(lo), as_expr(hi))
            inner[var] = d
            dummies.append(d)
        return inner, dummies

    def sum(self, e: sp.Sum, bound: Mapping[sp.Symbol, Ix]) -> Poly:
        e = _shift_offsets(e)
        inner, dummies = self._bind(e.limits, bound)
        return _sum_terms(dummies, self.poly(e.function, inner))

    def partial(self, e: Partial, bound: Mapping[sp.Symbol, Ix]) -> Poly:
        """A partial of an undefined function of a vector: its argument with the bound
        letter named ``#v`` over 1..size (the size must not depend on an index)."""
        size = as_expr(e.size)
        if size.free_symbols & (set(bound) | set(self.scope.index_ranges)):
            raise Unsupported(f"the size of {e.name}'s argument depends on an index: {size}")
        var = Ix("#v", sp.Integer(1), size)
        arg = self.poly(e.entry(e.arg.variables[0]), {**bound, e.arg.variables[0]: var})
        if any(isinstance(a, PartialAtom) for a in _atoms_deep(arg)):
            raise Unsupported(f"a partial of {e.name} inside the argument of another")
        order = tuple(self.index(o, bound) for o in e.order)
        return _atom_poly(PartialAtom(e.name, order, arg, var))

    @rule("log of a product", "log",
          "log Π_n f_n = Σ_n log f_n",
          "one term, a positive number times provably positive atoms (else Unsupported)")
    def log_product(self, e: sp.Product, bound: Mapping[sp.Symbol, Ix]) -> Poly:
        """``log Π_n f_n = Σ_n log f_n``, only when every factor is provably positive."""
        inner, dummies = self._bind(e.limits, bound)
        body = self.poly(e.function, inner)
        if not _is_positive(body):
            raise Unsupported(f"log of a product whose factors are not known positive: {e}")
        return _sum_terms(dummies, log_of(body))


@rule("shift an index offset", "Sum",
      "Σ_{i=a}^{b} x_{i+c} = Σ_{i=a+c}^{b+c} x_i (a change of variable)",
      "every index that uses the dummy adds the same nonzero integer c to it, and no inner "
      "limit uses the dummy; otherwise the sum is left as written")
def _shift_offsets(e: sp.Sum) -> sp.Sum:
    """``Σ_{i=a}^{b} x_{i-1} = Σ_{i=a-1}^{b-1} x_i``: a change of variable (exact) when every
    index that uses a dummy adds the same integer to it; otherwise ``e`` unchanged.

    >>> i, K = sp.symbols("i K", integer=True); x = sp.IndexedBase("x")
    >>> _shift_offsets(sp.Sum(x[i - 1], (i, 2, K)))
    Sum(x[i], (i, 1, K - 1))
    >>> _shift_offsets(sp.Sum(x[i - 1] * x[i], (i, 2, K))) == sp.Sum(x[i - 1] * x[i], (i, 2, K))
    True
    """
    limits = list(e.limits)
    body = e.function
    for n, (var, lo, hi) in enumerate(limits):
        offsets = {sp.expand(ix - var) for idx in body.atoms(sp.Indexed)
                   for ix in idx.indices if ix.has(var)}
        if len(offsets) != 1:
            continue
        (c,) = offsets
        if not c.is_Integer or c == 0:
            continue
        if any(var in lim.free_symbols for _, a, b in limits[n + 1:] for lim in (a, b)):
            continue  # an inner limit uses it: leave the sum as written
        body = body.xreplace({var: var - c})
        body = body.replace(lambda t: isinstance(t, sp.Indexed), lambda t: t.func(
            t.base, *(sp.expand(ix) for ix in t.indices)))
        limits[n] = (var, lo + c, hi + c)
    return sp.Sum(body, *limits) if limits != list(e.limits) else e


@rule("a symbolic power", "Pow", "b^y = exp(y·log b)",
      "b provably positive by its form: one positive term, a sum of positive terms or such a "
      "sum over positive bases, 1 - 1/(1 + e^{-t}) (else Unsupported)")
def _symbolic_power(base: Poly, exponent: Poly, e: sp.Expr) -> Poly:
    """``b^y`` with a symbolic exponent ``y``, for a provably positive ``b``."""
    if not provably_positive(base):
        raise Unsupported(f"symbolic power of a base not known positive: {e}")
    return exp_of(poly_mul(exponent, log_of(base)))


def to_poly(expr: sp.Expr, scope: Scope, rules: Iterable[RewriteRule | EntryRule] = ()) -> Poly:
    """Normal form of a SymPy expression (Derivative nodes must be evaluated first)."""
    with _using(rules):
        return _Converter(scope).poly(expr, {})


class _using:
    """Context: sum rules and entry rules in force (split by kind)."""

    def __init__(self, rules: Iterable[RewriteRule | EntryRule]):
        rules = tuple(rules)
        self.sums = tuple(r for r in rules if isinstance(r, RewriteRule))
        self.elim = {r.base: r for r in rules if isinstance(r, EliminationRule)}
        self.entries: dict[str, EntryRule] = {}
        for r in rules:
            if isinstance(r, EntryRule):  # binary and one-hot along axes: the union
                old = self.entries.get(r.base)
                axes = tuple(sorted(set(r.axes) | set(old.axes if old else ())))
                self.entries[r.base] = EntryRule(r.base, r.ranges, axes, r.label)

    def __enter__(self):
        self.tokens = (_RULES.set(self.sums), _ENTRY.set(self.entries or None),
                       _ELIM.set(self.elim or None))

    def __exit__(self, *exc):
        _RULES.reset(self.tokens[0])
        _ENTRY.reset(self.tokens[1])
        _ELIM.reset(self.tokens[2])


def make_rule(lhs: sp.Sum, rhs: sp.Expr, pattern_vars: Mapping[sp.Symbol, tuple], label: str):
    """A rewrite rule from ``lhs = rhs``; ``pattern_vars`` are universally quantified."""
    scope = Scope(index_ranges=dict(pattern_vars))
    p = to_poly(lhs, scope)
    if any(not isinstance(a, SumAtom) for mono in p for a, _ in mono):
        # a sum over an integer range, written out: eliminate its last entry
        return _elimination(p, to_poly(rhs, scope), label)
    if len(p) != 1:
        raise Unsupported(f"assumption {label} does not normalise to one sum")
    ((mono, coeff),) = p.items()
    if coeff != 1 or len(mono) != 1 or not isinstance(mono[0][0], SumAtom):
        raise Unsupported(f"assumption {label} is not a plain sum")
    vars_ = tuple(
        Ix(user_name(str(s)), as_expr(r[0]), as_expr(r[1])) for s, r in pattern_vars.items()
    )
    return RewriteRule(mono[0][0], vars_, to_poly(rhs, scope), label)


