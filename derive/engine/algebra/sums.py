"""Rewrite rules of sums, and the sum normaliser that dispatches them.

``Σ_{dummies} mono`` is put into normal form by :func:`_sum_mono`: inner sums that use
these dummies are flattened, the registered rules of kind ``"sum"`` are tried in order
(the first that applies rewrites the sum), the length of every range nothing depends on
comes out, factors free of the dummies come out, and what is left splits into one closed
:class:`~derive.engine.algebra.terms.SumAtom` per connected group of dummies (nested where
one group's dummies are strictly inner), named canonically, and rewritten by an
assumption (:class:`RewriteRule`) where one matches.

Convention (one for every rule): a sum over ``lo..hi`` with ``hi < lo`` is empty, i.e. 0,
not SymPy's Karr reading ``−Σ_{hi+1}^{lo−1}``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from derive.engine.algebra.context import Unsupported, _budget, trace_rule
from derive.engine.algebra.powers import poly_pow, subs_mono, subs_poly
from derive.engine.algebra.registry import of_kind, rule
from derive.engine.algebra.terms import (
    ONE,
    Delta,
    Fn,
    Index,
    Ix,
    Mono,
    Poly,
    SumAtom,
    Sym,
    _atom_poly,
    _bkey,
    _idx_free,
    _merge,
    _mono_free,
    _mono_height,
    _mono_key,
    _provably_le,
    poly_add,
    poly_const,
    poly_mul,
    substitutes,
    user_name,
    within,
)

__all__ = ["RewriteRule", "sum_terms"]

_counter = itertools.count()
_UNROLL = 8  # a sum over an integer range of fewer terms is written out


def _fresh(d: Ix) -> Ix:
    return Ix(f"_u{next(_counter)}", d.lo, d.hi)


@dataclass(frozen=True)
class RewriteRule:
    """``pattern = rhs`` for every value of the pattern's free indices (``vars``)."""

    pattern: SumAtom
    vars: tuple[Ix, ...]
    rhs: Poly
    label: str


_RULES: ContextVar[tuple[RewriteRule, ...]] = ContextVar("derive_rules", default=())


def _sum_terms(dummies: list[Ix], p: Poly) -> Poly:
    """``Σ_{dummies} p`` by linearity: one normalised sum per term of ``p``."""
    out: Poly = {}
    for m, c in p.items():
        out = poly_add(out, _sum_mono(dummies, m), c)
    return out


def _unfold(dummies: list[Ix], mono: Mono) -> tuple[list[Ix], Mono]:
    """Flatten inner sums that depend on these dummies: ``Σ_n f(n) Σ_k g(n,k)`` becomes
    ``Σ_{n,k} f(n) g(n,k)``, so the nesting is rebuilt by one rule whatever the input."""
    dummies = list(dummies)
    while True:
        for pos, (atom, e) in enumerate(mono):
            if isinstance(atom, SumAtom) and e == 1 and atom.free & set(dummies):
                fresh = {d: _fresh(d) for d in atom.dummies}
                body = subs_mono(atom.body, fresh)
                if len(body) == 1 and next(iter(body.values())) == 1:
                    merged = _merge(mono[:pos], mono[pos + 1 :], next(iter(body)))
                    if merged is not None:
                        dummies += fresh.values()
                        mono = merged
                        break
        else:
            return dummies, mono


@rule("sum the Kronecker deltas", "sum",
      "Σ_d δ_de f(d) = f(e)",
      "range(e) ⊆ range(d) provable for every positive size (e a free index, a number or a "
      "label); e another dummy of the same sum: exactly the same range; e not using d")
def _delta_sum(dummies: list[Ix], mono: Mono) -> Poly | None:
    """The first δ of ``mono`` that one of ``dummies`` can be summed against, summed."""
    for atom, _ in mono:
        if not isinstance(atom, Delta):
            continue
        for d, other in ((atom.a, atom.b), (atom.b, atom.a)):
            if isinstance(d, Ix) and d in dummies and d not in _idx_free(other):
                if isinstance(other, Ix) and other in dummies:
                    ok = other.lo == d.lo and other.hi == d.hi
                else:
                    ok = within(other, d)
                if ok:
                    trace_rule("sum the Kronecker deltas")
                    rest = tuple(ae for ae in mono if ae[0] is not atom)
                    body = subs_mono(rest, {d: other})
                    return _sum_terms([e for e in dummies if e != d], body)
    return None


@rule("write out a sum over a fixed range", "sum",
      "Σ_{d=a}^{b} f(d) = f(a) + … + f(b) for numbers a, b",
      f"both bounds numbers and fewer than {_UNROLL + 1} terms; b < a gives no term (the "
      "empty sum is 0)")
def _unroll(dummies: list[Ix], mono: Mono) -> Poly | None:
    """A range with integer bounds (1..2 for a size written as 2), written out."""
    for d in dummies:
        if d.lo.is_Integer and d.hi.is_Integer and int(d.hi) - int(d.lo) < _UNROLL:
            trace_rule("write out a sum over a fixed range")
            rest_d = [q for q in dummies if q != d]
            unrolled: Poly = {}
            for v in range(int(d.lo), int(d.hi) + 1):
                unrolled = poly_add(unrolled, _sum_terms(rest_d, subs_mono(mono, {d: v})))
            return unrolled
    return None


@rule("length of a range", "length",
      "Σ_{d=lo}^{hi} 1 = hi − lo + 1",
      "hi ≥ lo − 1 for every positive size; otherwise the length max(0, hi − lo + 1) stays "
      "an opaque atom Σ_{d=lo}^{hi} 1, equal only to itself")
def _length(d: Ix) -> Poly:
    """The number of terms of a range nothing in the body depends on."""
    if _provably_le(d.lo, d.hi + 1):
        return _size_poly(d.hi - d.lo + 1)
    fixed = Ix(f"#1.{0}", d.lo, d.hi)
    return _atom_poly(SumAtom((fixed,), ()))


def _size_poly(e: sp.Expr) -> Poly:
    """A range's length (an expression of sizes, never of an index) as a polynomial."""
    return _SizePoly().poly(sp.expand(e))


class _SizePoly:
    """SymPy -> polynomial for expressions of sizes: numbers, symbols, +, ·, powers and
    functions kept opaque (floor, Max, ...); anything else is refused."""

    def poly(self, e: sp.Expr) -> Poly:
        if e.is_Rational:
            return poly_const(Fraction(int(e.p), int(e.q)))
        if isinstance(e, sp.Symbol) and not isinstance(e, sp.Idx):
            return _atom_poly(Sym(user_name(str(e)), bool(e.is_positive)))
        if isinstance(e, sp.Add):
            out: Poly = {}
            for a in e.args:
                out = poly_add(out, self.poly(a))
            return out
        if isinstance(e, sp.Mul):
            out = dict(ONE)
            for a in e.args:
                out = poly_mul(out, self.poly(a))
            return out
        if isinstance(e, sp.Pow) and e.exp.is_Rational:
            return poly_pow(self.poly(e.base), Fraction(int(e.exp.p), int(e.exp.q)))
        if isinstance(e, sp.Function) and not isinstance(e, sp.exp | sp.log):
            return _atom_poly(Fn(type(e).__name__, tuple(self.poly(a) for a in e.args)))
        raise Unsupported(f"the length of a range is not a polynomial of sizes: {e}")


def _sum_mono(dummies: list[Ix], mono: Mono, unfold: bool = True) -> Poly:
    """``Σ_{dummies} mono`` in normal form (the heart of the algebra): the registered rules
    of kind ``"sum"`` first (the first that applies rewrites the sum), then lengths,
    linearity and the closed sums.

    Convention (one for every rule): a sum over ``lo..hi`` with ``hi < lo`` is empty,
    i.e. 0, not SymPy's Karr reading ``−Σ_{hi+1}^{lo−1}``.
    """
    _budget().tick()
    dummies = list(dummies)
    if unfold:
        dummies, mono = _unfold(dummies, mono)
    for entry in _SUM_RULES:
        hit = entry.fn(dummies, mono)
        if hit is not None:
            return hit
    # Dummies nothing depends on contribute the length of their range.
    used = _mono_free(mono)
    out: Poly = dict(ONE)
    for d in [d for d in dummies if d not in used]:
        dummies.remove(d)
        out = poly_mul(out, _length(d))
    # Factors free of every dummy come out; the rest splits into connected groups.
    outside = tuple(ae for ae in mono if not (ae[0].free & set(dummies)))
    out = poly_mul(out, {_merge(outside): Fraction(1)})
    inside = [ae for ae in mono if ae[0].free & set(dummies)]
    for group, factors in _components(dummies, inside):
        out = poly_mul(out, _fold(group, factors))
        if not out:
            break
    return out


_SUM_RULES = of_kind("sum")  # dispatched by _sum_mono, in registration order


def _components(dummies: list[Ix], factors: list) -> list[tuple[list[Ix], list]]:
    groups: list[tuple[set, list]] = []
    for ae in factors:
        ds = {d for d in dummies if d in ae[0].free}
        joined = [g for g in groups if g[0] & ds]
        merged = (set(ds).union(*(g[0] for g in joined)), [ae] + [f for g in joined for f in g[1]])
        groups = [g for g in groups if not (g[0] & ds)] + [merged]
    return [([d for d in dummies if d in g[0]], g[1]) for g in groups]


def _fold(group: list[Ix], factors: list) -> Poly:
    """One connected sum: nest strictly inner dummies, else make a canonical atom."""
    uses = {d: frozenset(i for i, ae in enumerate(factors) if d in ae[0].free) for d in group}
    inner = [d for d in group if any(uses[d] < uses[e] for e in group if e != d)]
    if inner:
        d = min(inner, key=lambda q: (len(uses[q]), sorted(factors[i][0].key for i in uses[q])))
        twins = [e for e in group if uses[e] == uses[d]]
        sub = _merge(tuple(factors[i] for i in uses[d])) or ()
        rest = tuple(ae for i, ae in enumerate(factors) if i not in uses[d])
        inner_poly = _sum_mono(twins, sub)
        outer = [e for e in group if e not in twins]
        out: Poly = {}
        for m, c in inner_poly.items():
            merged = _merge(rest, m)
            if merged is not None:  # the inner sums just built must stay folded
                out = poly_add(out, _sum_mono(outer, merged, unfold=False), c)
        return out
    return _make_sum(group, tuple(factors))


def _make_sum(group: list[Ix], body: Mono) -> Poly:
    height = 1 + _mono_height(body)
    by_range: dict[tuple, list[Ix]] = {}
    for d in group:
        by_range.setdefault((_bkey(d.lo), _bkey(d.hi)), []).append(d)
    blocks = [by_range[r] for r in sorted(by_range)]
    best: tuple[str, SumAtom] | None = None
    orders = itertools.product(*(itertools.permutations(b) for b in blocks))
    for order in itertools.islice(orders, 720):
        flat = [d for blk in order for d in blk]
        names = {d: Ix(f"#{height}.{p}", d.lo, d.hi) for p, d in enumerate(flat)}
        renamed = subs_mono(body, names)
        # Renaming never changes a normal form's structure; if it ever did, the atom
        # below would lose a term or a coefficient, so refuse rather than guess.
        if len(renamed) != 1 or next(iter(renamed.values())) != 1:
            raise Unsupported(f"renaming changed a sum body: {_mono_key(body)}")
        ((mono, _),) = renamed.items()
        atom = SumAtom(tuple(names[d] for d in flat), mono)
        if best is None or atom.key < best[0]:
            best = (atom.key, atom)
    if best is None:
        raise Unsupported("a sum without dummies")
    atom = best[1]
    for assumption in _RULES.get():
        hit = _match(assumption, atom)
        if hit is not None:
            trace_rule(f"use {assumption.label}")
            return hit
    return _atom_poly(atom)


@rule("use an assumption", "SumAtom",
      "pattern = rhs (Σ_k y_k = 1 for every value of the pattern's free indices)",
      "the closed sum is an instance of the pattern with the same number of dummies, each "
      "free index a plain index whose range is provably inside the pattern variable's "
      "range; traced as 'use <label>'")
def _match(assumption: RewriteRule, atom: SumAtom) -> Poly | None:
    """``atom`` rewritten by ``assumption`` when it is an instance of its pattern."""
    rule = assumption
    if len(rule.pattern.dummies) != len(atom.dummies) or len(rule.vars) != len(atom.free):
        return None
    for targets in itertools.permutations(sorted(atom.free, key=str)):
        if all(isinstance(t, Ix) and within(t, v) for t, v in zip(targets, rule.vars, strict=True)):
            mp = dict(zip(rule.vars, targets, strict=True))
            token = _RULES.set(())  # the instance must not rewrite itself
            try:
                inst = rule.pattern.subs(mp)
            finally:
                _RULES.reset(token)
            if len(inst) == 1 and next(iter(inst)) == ((atom, Fraction(1)),):
                return subs_poly(rule.rhs, mp)
    return None



@substitutes(SumAtom)
def _subs_sum(atom: SumAtom, mp: Mapping[Ix, Index]) -> Poly:
    """A sum with its free indices substituted (fresh names for its dummies first)."""
    if not (atom.free & mp.keys()):
        return _atom_poly(atom)
    fresh = {d: _fresh(d) for d in atom.dummies}
    body = subs_mono(atom.body, {**mp, **fresh})
    return _sum_terms(list(fresh.values()), body)


sum_terms = _sum_terms
