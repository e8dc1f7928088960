"""The driver's second half: is a normal form zero for every size and index value?

Beyond the zero polynomial: a common denominator over powers of brackets, sums over the
same ranges merged, exact cancellation, and a case split on a free Kronecker delta.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from fractions import Fraction

from derive.engine.algebra.assumptions import EntryRule
from derive.engine.algebra.context import _BUDGET, Budget, OverBudget, _budget, trace_rule
from derive.engine.algebra.convert import _using
from derive.engine.algebra.powers import exp_of, log_of, poly_pow, subs_mono, subs_poly, together
from derive.engine.algebra.registry import rule
from derive.engine.algebra.sums import RewriteRule, _fresh, _sum_terms
from derive.engine.algebra.terms import (
    ONE,
    Atom,
    Br,
    Delta,
    Exp,
    Fn,
    Index,
    Ix,
    LabelIx,
    Log,
    PartialAtom,
    Poly,
    SumAtom,
    _atom_poly,
    _atoms_deep,
    _bkey,
    _idx_free,
    _merge,
    poly_add,
    poly_mul,
    poly_sub,
)

__all__ = ["is_zero", "split_deltas"]


@rule("split the Kronecker-delta cases", "zero",
      "p = 0 when p[a := b] = 0 (case a = b) and p with δ_ab := 0 = 0 (case a ≠ b)",
      "a a free index the user wrote, b a free index of exactly the same range or a label "
      "of free indices that does not use a; at most Budget.max_splits splits")
def split_deltas(p: Poly) -> list[tuple[Ix, Index]]:
    """``δ_ab`` with ``a`` a free index and ``b`` a free index of the same range or a label
    of free indices: the case split ``a = b`` (substitute ``a := b``) / ``a ≠ b`` (δ = 0)."""
    pairs = set()
    for atom in _atoms_deep(p):
        if not isinstance(atom, Delta):
            continue
        for a, b in ((atom.a, atom.b), (atom.b, atom.a)):
            if not (isinstance(a, Ix) and a.free_user):
                continue
            if isinstance(b, Ix) and b.free_user and (a.lo, a.hi) == (b.lo, b.hi):
                pairs.add(tuple(sorted((a, b), key=str)))
            elif (
                isinstance(b, LabelIx)
                and all(q.free_user for q in _idx_free(b))
                and a not in _idx_free(b)  # a := y_a would never end
            ):
                pairs.add((a, b))
    return sorted(pairs, key=str)


def is_zero(p: Poly, rules: Iterable[RewriteRule | EntryRule] = ()) -> bool:
    """Is ``p`` zero for all sizes and index values (wherever it is defined)? False means:
    not shown. Beyond ``p`` being the zero polynomial: a common denominator over powers of
    bases (:func:`together`), sums over the same ranges merged, and δ case splits.

    Outside :func:`~derive.engine.prover.prove_equal` (no budget in force) each call counts
    its own δ case splits: a count shared across calls would make a later, unrelated call
    fail on the splits of earlier ones."""
    if _BUDGET.get() is None:
        token = _BUDGET.set(Budget())
        try:
            return is_zero(p, rules)
        finally:
            _BUDGET.reset(token)
    if not p:
        return True
    rules = tuple(rules)
    with _using(rules):
        if _vanishes(p, rules):
            return True
    pairs = split_deltas(p)
    if not pairs:
        return False
    budget = _budget()
    budget.splits += 1
    if budget.splits > budget.max_splits:
        raise OverBudget(f"more than {budget.max_splits} Kronecker-delta case splits")
    a, b = pairs[0]
    trace_rule("split the Kronecker-delta cases")
    with _using(rules):
        equal = subs_poly(p, {a: b})  # case a = b
        # case a ≠ b: δ_ab is 0 wherever it occurs, inside exp, log and sums too
        distinct = _without_delta(p, Delta(a, b))
    return is_zero(equal, rules) and is_zero(distinct, rules)


@rule("common denominator", "zero", "p = N/D = 0 where N = 0",
      "D a product of brackets to natural powers and N, multiplied out, the zero polynomial")
def _zero_numerator(p: Poly) -> bool:
    """Is the numerator of ``p`` over a common denominator the zero polynomial?"""
    parts = together(p)
    return parts is not None and not parts[0]


@rule("merge sums over the same range", "zero",
      "Σ_n f_n − Σ_n g_n = Σ_n (f_n − g_n)",
      "the sums' dummies have exactly the same ranges (same bounds, in order); the merged "
      "body renamed to common dummies")
def _range_key(atom: SumAtom) -> tuple:
    """Sums with one key are merged: the key is their ranges, exactly."""
    return tuple((_bkey(d.lo), _bkey(d.hi)) for d in atom.dummies)


def _vanishes(p: Poly, rules: tuple) -> bool:
    """``p = 0`` wherever defined, shown without a δ case split: the numerator over a
    common denominator of bases is 0; or ``p`` splits into terms outside sums and one
    sum per tuple of ranges (``Σ_n f_n − Σ_n g_n = Σ_n (f_n − g_n)``, bodies renamed to
    common dummies of exactly the same ranges), each of which is zero."""
    if not any(isinstance(a, Br) for a in _atoms_deep(p)):
        return False
    if _zero_numerator(p):
        trace_rule("common denominator")
        return True
    groups: dict[tuple, tuple[list[Ix], Poly]] = {}
    rest: Poly = {}
    for mono, c in p.items():
        sums = [a for a, e in mono if isinstance(a, SumAtom) and e == 1]
        if len(sums) != 1:
            rest[mono] = c
            continue
        (atom,) = sums
        key = _range_key(atom)
        fresh, body = groups.get(key) or ([_fresh(d) for d in atom.dummies], {})
        outside = tuple(ae for ae in mono if ae[0] is not atom)
        inner = subs_mono(atom.body, dict(zip(atom.dummies, fresh, strict=True)))
        groups[key] = (fresh, poly_add(body, poly_mul(inner, {outside: c})))
    if not groups:
        return False
    # each merged body over its common denominator, cancelled, and summed again: Σ_c
    # (σ(f_c) + σ(−f_c)) is Σ_c 1 = K, which then meets the terms outside the sums
    resummed = dict(rest)
    for fresh, body in groups.values():
        resummed = poly_add(resummed, _sum_terms(fresh, _cancel(body)))
    if not resummed:
        trace_rule("merge sums over the same range")
        return True
    depth = _DEPTH.get()
    if resummed != p and depth < 3:
        token = _DEPTH.set(depth + 1)
        try:
            if is_zero(resummed, rules):
                return True
        finally:
            _DEPTH.reset(token)
    return is_zero(rest, rules) and all(is_zero(body, rules) for _, body in groups.values())


_DEPTH: ContextVar[int] = ContextVar("derive_vanish_depth", default=0)


@rule("cancel an exact divisor", "zero", "(q·b)/b = q",
      "quotient · base is the numerator again as a polynomial (checked), the division "
      "found within a bounded number of steps; a δ is never divided")
def _cancel(p: Poly) -> Poly:
    """``p`` over its common denominator with every base that divides the numerator
    exactly cancelled (``(e^t + 1)/(e^t + 1) = 1``); ``p`` itself when nothing cancels.

    A division is accepted only when ``quotient · base`` is the numerator again as a
    polynomial, so a cancellation is an identity wherever ``p`` is defined."""
    parts = together(p)
    if parts is None:
        return p
    num, den = parts
    left = []
    changed = False
    for atom, e in den:
        while e > 0:
            quotient = _divide(num, atom.arg)
            if quotient is None:
                break
            num, e, changed = quotient, e - 1, True
        if e:
            left.append((atom, -e))
    if not changed:
        return p
    return poly_mul(num, {tuple(left): Fraction(1)})


def _divide(n: Poly, q: Poly) -> Poly | None:
    """``n / q`` when ``q`` divides ``n`` exactly (checked), by leading terms in a
    lexicographic order on exponents; None otherwise (or after a bounded number of steps)."""
    atoms = sorted({a for m in (*n, *q) for a, _ in m}, key=lambda a: a.key)
    if not n or any(isinstance(a, Delta) for a in atoms):
        return None

    def order(mc):
        exps = dict(mc[0])
        return tuple(exps.get(a, Fraction(0)) for a in atoms)

    lead, lead_c = max(q.items(), key=order)
    inverse = tuple((a, -e) for a, e in lead)
    quotient: Poly = {}
    rest = dict(n)
    for _ in range(4 * len(n) + 8):
        if not rest:
            return quotient
        mono, c = max(rest.items(), key=order)
        step = _merge(mono, inverse)
        if step is None:
            return None
        term = {step: c / lead_c}
        quotient = poly_add(quotient, term)
        rest = poly_sub(rest, poly_mul(term, q))
    return None


def _without_delta(p: Poly, target: Delta) -> Poly:
    """``p`` with the atom ``target`` (a δ of two free indices) replaced by 0."""
    out: Poly = {}
    for mono, c in p.items():
        term = dict(ONE)
        for atom, e in mono:
            term = poly_mul(term, _atom_without_delta(atom, e, target))
            if not term:
                break
        out = poly_add(out, term, c)
    return out


def _atom_without_delta(atom: Atom, e: Fraction, target: Delta) -> Poly:
    if not target.free <= atom.free:
        return {((atom, e),): Fraction(1)}
    if isinstance(atom, Delta):
        return {} if atom == target else {((atom, e),): Fraction(1)}
    if isinstance(atom, Exp):
        return poly_pow(exp_of(_without_delta({atom.mono: Fraction(1)}, target)), e)
    if isinstance(atom, Log):
        return poly_pow(log_of(_without_delta(atom.arg, target)), e)
    if isinstance(atom, Br):
        return poly_pow(_without_delta(atom.arg, target), e)
    if isinstance(atom, Fn):
        args = tuple(_without_delta(a, target) for a in atom.args)
        return poly_pow(_atom_poly(Fn(atom.name, args)), e)
    if isinstance(atom, SumAtom):
        fresh = {d: _fresh(d) for d in atom.dummies}
        body = _without_delta(subs_mono(atom.body, fresh), target)
        return poly_pow(_sum_terms(list(fresh.values()), body), e)
    if isinstance(atom, PartialAtom):
        arg = _without_delta(atom.arg, target)
        return poly_pow(_atom_poly(PartialAtom(atom.fname, atom.order, arg, atom.var)), e)
    return {((atom, e),): Fraction(1)}

