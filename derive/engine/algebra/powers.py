"""Rewrite rules of powers, ``exp`` and ``log``, and substitution into a polynomial.

Each rule is an entry of :data:`~derive.engine.algebra.registry.RULES` with its side
conditions: a fractional power, a content pulled out of a bracket, a log split, only where
the factors are *provably* positive; otherwise the term stays whole (one opaque atom).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import sympy as sp

from derive.engine.algebra.context import OverBudget, Unsupported
from derive.engine.algebra.registry import rule
from derive.engine.algebra.terms import (
    ONE,
    Atom,
    Br,
    Delta,
    Exp,
    Fn,
    Index,
    Ix,
    Log,
    Mono,
    PartialAtom,
    Poly,
    _atom_poly,
    _idx_subs,
    _merge,
    _mono_key,
    _mono_positive,
    poly_add,
    poly_const,
    poly_mul,
    substitutes,
)

__all__ = ["exp_of", "log_of", "poly_pow", "subs_mono", "subs_poly", "together"]


@rule("a power of a polynomial", "Pow",
      "(c·m)^e = c^e·m^e; p^n multiplied out for a natural n; (N/D)^−n = D^n·N^−n",
      "a fractional power of one term only when its coefficient and every atom are provably "
      "positive; a sum to a negative or fractional power is a bracket (see the next rule)")
def poly_pow(p: Poly, e: Fraction) -> Poly:
    if e == 0:
        return dict(ONE)
    if not p:
        if e > 0:
            return {}
        raise Unsupported("division by zero")
    if len(p) == 1:
        ((mono, coeff),) = p.items()
        ok_atoms = e.denominator == 1 or all(a.positive for a, _ in mono)
        if ok_atoms and (e.denominator == 1 or coeff > 0):
            c = _frac_pow(coeff, e)
            if c is not None:
                return _mono_pow(mono, e, c)
    if e.denominator == 1 and e > 0:
        if e > 64:
            raise OverBudget(f"size budget: a sum of {len(p)} terms to the power {e}")
        out = dict(ONE)
        for _ in range(int(e)):
            out = poly_mul(out, p)
        return out
    if e.denominator == 1:
        # (N/D)^-k = D^k N^-k: where the power is defined, D ≠ 0 and N = p·D ≠ 0
        parts = together(p)
        if parts is not None:
            num, den = parts
            return poly_mul(poly_pow(num, e), _expand_den(den, -e))
    return _base_pow(p, e)


@rule("content out of a bracket", "Br",
      "(m·q)^e = m^e·q^e with m the monomial content and q's first coefficient 1",
      "e an integer, or m provably positive (else the base stays whole); a δ never comes out")
def _base_pow(p: Poly, e: Fraction) -> Poly:
    """Several terms to a negative or fractional power: a :class:`Br` atom in canonical form.

    The monomial content comes out (``1 + e^{-t} = e^{-t}(e^t + 1)``) and then the first
    coefficient (``(2a+2b)^-1`` and ``(a+b)^-1/2`` agree), so that two spellings of one
    base meet in one atom. ``(m·q)^e = m^e q^e`` holds for an integer ``e``; for a
    fractional ``e`` only when ``m`` is provably positive, else the base stays whole.
    """
    content, q = _content(p)
    if content and not (e.denominator == 1 or _mono_positive(content)):
        content, q = (), p
    first = min(q.items(), key=lambda mc: _mono_key(mc[0]))[1]
    lead = _frac_pow(first, e) if (e.denominator == 1 or first > 0) else None
    if lead is None:
        return _mono_pow(((Br(p), Fraction(1)),), e, Fraction(1))
    unit = {m: c / first for m, c in q.items()}
    return _mono_pow(((Br(unit), Fraction(1)), *content), e, lead)


def _content(p: Poly) -> tuple[Mono, Poly]:
    """``p = m·q`` with ``m`` the monomial content: each atom's lowest power over the terms
    (absent counts as power 0). Kronecker deltas stay in ``q`` (a δ is never divided by)."""
    terms = list(p)
    atoms: dict[Atom, Fraction] = {}
    for mono in terms:
        for atom, e in mono:
            if not isinstance(atom, Delta):
                atoms[atom] = min(atoms.get(atom, e), e)
    low = {}
    for atom, e in atoms.items():
        if all(any(a == atom for a, _ in mono) for mono in terms):
            if e:
                low[atom] = e
        elif e < 0:
            low[atom] = e
    if not low:
        return (), p
    content = tuple(sorted(low.items(), key=lambda ae: ae[0].key))
    q: Poly = {}
    for mono, c in p.items():
        exps = dict(mono)
        for atom, e in low.items():
            exps[atom] = exps.get(atom, Fraction(0)) - e
        q[tuple(sorted(((a, x) for a, x in exps.items() if x), key=lambda ae: ae[0].key))] = c
    return content, q


def together(p: Poly) -> tuple[Poly, Mono] | None:
    """``p = N / D`` with ``D`` a product of bases (:class:`Br`) to positive integer powers
    and no negative integer power of a base left in ``N``; None when ``p`` has none.

    ``N`` is expanded (bases to positive integer powers multiplied out), so ``N`` being
    the zero polynomial shows ``p = 0`` wherever ``p`` is defined.
    """
    need: dict[Atom, Fraction] = {}
    for mono in p:
        for atom, e in mono:
            if isinstance(atom, Br) and e < 0 and e.denominator == 1:
                need[atom] = max(need.get(atom, Fraction(0)), -e)
    if not need:
        return None
    num: Poly = {}
    for mono, c in p.items():
        term = dict(ONE)
        rest = []
        for atom, e in mono:
            e = e + need.get(atom, Fraction(0))
            if isinstance(atom, Br) and e > 0 and e.denominator == 1:
                term = poly_mul(term, poly_pow(atom.arg, e))
            elif e:
                rest.append((atom, e))
        for atom, e in need.items():
            if not any(a == atom for a, _ in mono):
                term = poly_mul(term, poly_pow(atom.arg, e))
        merged = _merge(tuple(rest))
        if merged is not None:
            num = poly_add(num, poly_mul(term, {merged: c}))
    den = tuple(sorted(need.items(), key=lambda ae: ae[0].key))
    return num, den


def _expand_den(den: Mono, k: Fraction) -> Poly:
    """``D^k`` multiplied out, for ``D`` a product of bases to positive integer powers."""
    out = dict(ONE)
    for atom, e in den:
        out = poly_mul(out, poly_pow(atom.arg, e * k))
    return out


def _sum_positive(p: Poly) -> bool:
    """Every term a positive number times positive atoms (so ``p > 0``; a sum over a range
    that may be empty is not positive, so neither is a term holding one)."""
    return bool(p) and all(c > 0 and _mono_positive(m) for m, c in p.items())


def _mono_pow(mono: Mono, e: Fraction, coeff: Fraction) -> Poly:
    m = _merge(tuple((a, x * e) for a, x in mono))
    return {m: coeff} if m is not None else {}


def _frac_pow(c: Fraction, e: Fraction) -> Fraction | None:
    bits = max(abs(c.numerator), abs(c.denominator)).bit_length()
    if abs(e) * bits > 100_000:
        raise OverBudget(f"size budget: a number with about {int(abs(e) * bits)} bits")
    if e.denominator == 1:
        return c ** int(e)
    num = sp.Rational(c.numerator, c.denominator) ** sp.Rational(e.numerator, e.denominator)
    return Fraction(int(num.p), int(num.q)) if num.is_Rational else None


@rule("exp of a sum", "Exp", "exp(Σ_t c_t m_t) = Π_t exp(m_t)^c_t", "always (an identity)")
def exp_of(p: Poly) -> Poly:
    """``exp(Σ c_t m_t) = ∏ Exp(m_t)^c_t``."""
    return _merge_poly(tuple((Exp(m), c) for m, c in p.items()))


def _merge_poly(mono: Mono) -> Poly:
    m = _merge(mono)
    return {m: Fraction(1)} if m is not None else {}


@rule("split a log", "Log",
      "log(c·Π a^e) = log c + Σ e·log a; log(N/D) = log N − Σ log D_b; "
      "log(m·q) = log m + log q for a positive sum",
      "c > 0 and every atom provably positive; N and every base of D provably positive; "
      "every term of the sum a positive number times positive atoms (a sum over a range "
      "that may be empty is not positive); log 0 is refused")
def log_of(p: Poly) -> Poly:
    """Split the log of a product or a quotient of positive factors; else keep it whole.

    ``log(N/D) = log N − log D`` for a quotient (:func:`together`) only when ``N`` and every
    base of ``D`` are provably positive; a positive sum is written ``c·m·q`` (content and
    first coefficient out, as in :func:`_base_pow`) so that ``log(1 + e^{-t})`` and
    ``−log((1 + e^{-t})^{-1})`` meet in ``−t + log(e^t + 1)``.
    """
    if not p:
        raise Unsupported("log(0)")
    if len(p) == 1:
        ((mono, coeff),) = p.items()
        if coeff > 0 and all(a.positive for a, _ in mono):
            out = _log_number(coeff)
            for atom, e in mono:
                if isinstance(atom, Exp):
                    part = {atom.mono: Fraction(1)}
                elif isinstance(atom, Br):
                    part = _atom_poly(Log(atom.arg))  # the same atom as log of its sum
                else:
                    part = _atom_poly(Log(_atom_poly(atom)))
                out = poly_add(out, part, e)
            return out
        return _atom_poly(Log(p))
    parts = together(p)
    if parts is not None:
        num, den = parts
        if _sum_positive(num) and all(atom.positive for atom, _ in den):
            out = log_of(num)
            for atom, e in den:
                out = poly_add(out, _atom_poly(Log(atom.arg)), -e)
            return out
        return _atom_poly(Log(p))
    if _sum_positive(p):
        content, q = _content(p)
        first = min(q.items(), key=lambda mc: _mono_key(mc[0]))[1]
        unit = {m: c / first for m, c in q.items()}
        return poly_add(log_of({content: first}), _atom_poly(Log(unit)))
    return _atom_poly(Log(p))


@rule("log of a number by its primes", "Log", "log(Π p^e) = Σ e·log p",
      "a positive rational (the caller's condition); past 10^12 kept as log n − log d")
def _log_number(c: Fraction) -> Poly:
    """``log c`` of a positive rational as ``Σ e_p log p`` over its primes, so that
    ``log(1/2) = −log 2`` and ``log 4 = 2 log 2`` (a number too large to factor quickly
    stays ``log(numerator) − log(denominator)``)."""
    out: Poly = {}
    for n, sign in ((c.numerator, 1), (c.denominator, -1)):
        if n == 1:
            continue
        primes = sp.factorint(n, limit=10**4) if n < 10**12 else {n: 1}
        for q, e in primes.items():
            out = poly_add(out, _atom_poly(Log(poly_const(Fraction(int(q))))), Fraction(sign * e))
    return out


def subs_mono(mono: Mono, mp: Mapping[Ix, Index]) -> Poly:
    out = dict(ONE)
    for atom, e in mono:
        part = poly_pow(atom.subs(mp), e) if atom.free & mp.keys() else {((atom, e),): Fraction(1)}
        out = poly_mul(out, part)
        if not out:
            return {}
    return out


def subs_poly(p: Poly, mp: Mapping[Ix, Index]) -> Poly:
    out: Poly = {}
    for m, c in p.items():
        out = poly_add(out, subs_mono(m, mp), c)
    return out



def _is_positive(p: Poly) -> bool:
    """A single positive term: a positive number times positive atoms."""
    if len(p) != 1:
        return False
    ((mono, coeff),) = p.items()
    return coeff > 0 and _mono_positive(mono)


def provably_positive(p: Poly) -> bool:
    """``p > 0`` wherever it is defined, by its form: one positive term, a sum of positive
    terms, or a quotient ``N / D`` (:func:`together`) of a sum of positive terms by positive
    bases (``1 - 1/(1 + e^{-t}) = e^{-t}/(1 + e^{-t})``, the ``1 - σ`` of a likelihood).

    >>> from derive.engine.algebra.terms import Br
    >>> e = exp_of({(): Fraction(1)})  # e^1
    >>> provably_positive(poly_add(ONE, e))  # 1 + e
    True
    >>> provably_positive(poly_add(ONE, e, Fraction(-1)))  # 1 - e: not by its form
    False
    """
    if _is_positive(p) or _sum_positive(p):
        return True
    parts = together(p)
    if parts is None:
        return False
    num, den = parts
    return _sum_positive(num) and all(atom.positive for atom, _ in den)


@substitutes(Exp)
def _subs_exp(atom: Exp, mp: Mapping[Ix, Index]) -> Poly:
    return exp_of(subs_poly({atom.mono: Fraction(1)}, mp))


@substitutes(Log)
def _subs_log(atom: Log, mp: Mapping[Ix, Index]) -> Poly:
    return log_of(subs_poly(atom.arg, mp))


@substitutes(Br)
def _subs_br(atom: Br, mp: Mapping[Ix, Index]) -> Poly:
    return subs_poly(atom.arg, mp)


@substitutes(Fn)
def _subs_fn(atom: Fn, mp: Mapping[Ix, Index]) -> Poly:
    return _atom_poly(Fn(atom.name, tuple(subs_poly(a, mp) for a in atom.args)))


@substitutes(PartialAtom)
def _subs_partial(atom: PartialAtom, mp: Mapping[Ix, Index]) -> Poly:
    mp = {k: v for k, v in mp.items() if k != atom.var}
    order = tuple(_idx_subs(o, mp) for o in atom.order)
    return _atom_poly(PartialAtom(atom.fname, order, subs_poly(atom.arg, mp), atom.var))
