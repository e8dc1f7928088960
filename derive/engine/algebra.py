"""Index-range-aware sum algebra: a canonical form for sums of Kronecker deltas.

SymPy leaves ``Σ_c f(c) δ_cj`` over a symbolic range unevaluated (or returns a
Piecewise on ``j ≤ K``), so it cannot close softmax proofs. This module puts an
expression into a normal form in which equal things look equal:

* a *polynomial* is a map ``factors -> coefficient`` (exact ``Fraction``);
  ``factors`` is a sorted tuple of ``(atom, exponent)`` and has no free dummies;
* every sum is folded into a closed ``SumAtom``: factors free of its dummies are
  pulled out (linearity), a body splits into one sum per connected group of
  dummies, nested dummies become nested sums, and dummies get canonical names
  (alpha-equivalent sums become the same atom);
* ``Σ_c δ_ce f(c) = f(e)`` is applied only when ``range(e) ⊆ range(c)`` is
  *provable* for positive integer sizes (never by assuming the condition);
* assumptions such as ``Σ_k y_k = 1`` are rewrite rules on sum atoms.

Whatever cannot be represented raises :class:`Unsupported`; the prover turns that
into ``unknown``, never ``proved``.

>>> import sympy as sp
>>> K = sp.Symbol("K", integer=True, positive=True)
>>> c, j = sp.symbols("c j", integer=True)
>>> x = sp.IndexedBase("x", shape=(K,))
>>> scope = Scope(index_ranges={j: (1, K)})
>>> to_poly(sp.Sum(sp.KroneckerDelta(c, j) * x[c], (c, 1, K)), scope) == to_poly(x[j], scope)
True
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import sympy as sp

from derive.engine.scope import Scope, as_expr
from derive.engine.vector_function import Partial

__all__ = [
    "Budget",
    "OverBudget",
    "Poly",
    "RewriteRule",
    "Unsupported",
    "is_zero",
    "poly_sub",
    "to_poly",
    "to_sympy",
    "trace_rule",
    "traced",
]


class Unsupported(Exception):
    """The expression leaves the fragment this algebra decides (the prover says unknown)."""


class OverBudget(Unsupported):
    """The normal form grew past its time or size budget (the prover says unknown)."""


@dataclass
class Budget:
    """Limits for one proof: wall time, terms in one polynomial, δ case splits.

    Exceeding any of them raises :class:`OverBudget`, which the prover reports as
    ``unknown`` with the reason, never as a hang or a traceback.
    """

    seconds: float = 20.0
    max_terms: int = 20_000
    max_splits: int = 64
    deadline: float = 0.0
    splits: int = 0

    def start(self) -> Budget:
        self.deadline = time.perf_counter() + self.seconds
        self.splits = 0
        return self

    def tick(self) -> None:
        if self.deadline and time.perf_counter() > self.deadline:
            raise OverBudget(f"time budget of {self.seconds:g} s exceeded")


_BUDGET: ContextVar[Budget | None] = ContextVar("derive_budget", default=None)
_NO_LIMIT = Budget()  # outside prove_equal (to_poly called directly): no deadline; is_zero
# sets a fresh budget of its own, so this shared one never counts δ splits


def _budget() -> Budget:
    return _BUDGET.get() or _NO_LIMIT

# ---------------------------------------------------------------- names
#
# Every name that comes from the user (index letters, quantities, symbols, functions)
# is spelt in the keys either as a plain identifier or JSON-quoted; the names the
# algebra generates (``_u7`` for a bound index, ``#2.0`` for a canonical dummy) can
# therefore never equal a user's name, whatever the user calls a symbol.

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9]*\Z")


def user_name(name: str) -> str:
    """The key spelling of a user's name (injective; never starts with ``_`` or ``#``).

    >>> user_name("theta"), user_name("_u0"), user_name("#1.0")
    ('theta', '"_u0"', '"#1.0"')
    """
    return name if _PLAIN.match(name) else json.dumps(name)


def plain_name(key: str) -> str:
    """The user's name back from its key spelling."""
    return json.loads(key) if key.startswith('"') else key


@lru_cache(maxsize=4096)
def _bkey(e: sp.Expr) -> str:
    """A key for a range bound that two different bounds never share."""
    return str(e) if e.is_Integer or (e.is_Symbol and _PLAIN.match(e.name)) else sp.srepr(e)


# ---------------------------------------------------------------- indices


@dataclass(frozen=True)
class Ix:
    """A symbolic index with an inclusive range; dummies are named ``_u…`` or ``#h.p``
    (user indices are spelt by :func:`user_name`, so they never start with ``_`` or ``#``)."""

    name: str
    lo: sp.Expr
    hi: sp.Expr

    def __str__(self) -> str:
        return self.name

    @property
    def free_user(self) -> bool:
        return not self.name.startswith(("_", "#"))


@dataclass(frozen=True)
class LabelIx:
    """An index-valued quantity used as a subscript, e.g. the label ``t_n`` in ``f_{t_n}``."""

    base: str
    args: tuple
    lo: sp.Expr
    hi: sp.Expr

    def __str__(self) -> str:
        return f"{self.base}[{','.join(map(str, self.args))}]"


Index = Ix | LabelIx | int


def _idx_free(ix: Index) -> frozenset:
    if isinstance(ix, Ix):
        return frozenset((ix,))
    if isinstance(ix, LabelIx):
        return frozenset().union(*(_idx_free(a) for a in ix.args)) if ix.args else frozenset()
    return frozenset()


def _idx_subs(ix: Index, mp: Mapping[Ix, Index]) -> Index:
    if isinstance(ix, Ix):
        return mp.get(ix, ix)
    if isinstance(ix, LabelIx):
        return LabelIx(ix.base, tuple(_idx_subs(a, mp) for a in ix.args), ix.lo, ix.hi)
    return ix


def _bounds(ix: Index) -> tuple[sp.Expr, sp.Expr]:
    if isinstance(ix, int):
        return sp.Integer(ix), sp.Integer(ix)
    return ix.lo, ix.hi


@lru_cache(maxsize=4096)
def _provably_le(a: sp.Expr, b: sp.Expr) -> bool:
    """``a ≤ b`` for every positive integer value of the sizes (sound: None is no)."""
    return bool(sp.simplify(b - a).is_nonnegative)


def within(inner: Index, outer: Ix) -> bool:
    """Is the range of ``inner`` provably contained in the range of ``outer``?"""
    lo, hi = _bounds(inner)
    return _provably_le(outer.lo, lo) and _provably_le(hi, outer.hi)


def _disjoint(a: Index, b: Index) -> bool:
    alo, ahi = _bounds(a)
    blo, bhi = _bounds(b)
    return _provably_le(ahi + 1, blo) or _provably_le(bhi + 1, alo)


# ---------------------------------------------------------------- atoms


class Atom:
    """A factor of a monomial; equality and hashing go by the canonical ``key``."""

    __slots__ = ("free", "height", "key")
    positive = False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Atom) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return self.key

    def subs(self, mp: Mapping[Ix, Index]) -> Poly:  # pragma: no cover - abstract
        raise NotImplementedError


class Ind(Atom):
    __slots__ = ("base", "idx")

    def __init__(self, base: str, idx: tuple):
        self.base, self.idx = base, idx
        self.key = f"{base}[{','.join(map(str, idx))}]"
        self.free = frozenset().union(*(_idx_free(a) for a in idx)) if idx else frozenset()
        self.height = 0

    def subs(self, mp):
        return _entry_poly(self.base, tuple(_idx_subs(a, mp) for a in self.idx))


class Delta(Atom):
    __slots__ = ("a", "b")

    def __init__(self, a: Index, b: Index):
        self.a, self.b = sorted((a, b), key=str)
        self.key = f"δ({self.a},{self.b})"
        self.free = _idx_free(a) | _idx_free(b)
        self.height = 0

    @staticmethod
    def make(a: Index, b: Index) -> Poly:
        if a == b:
            return ONE
        if (isinstance(a, int) and isinstance(b, int)) or _disjoint(a, b):
            return {}
        return _atom_poly(Delta(a, b))

    def subs(self, mp):
        return Delta.make(_idx_subs(self.a, mp), _idx_subs(self.b, mp))


class Sym(Atom):
    """A scalar symbol (λ, T, a size N used as a number)."""

    __slots__ = ("name", "positive")

    def __init__(self, name: str, positive: bool):
        self.name, self.positive = name, positive
        # Positivity licenses splitting logs, so a positive λ and a signed λ never merge.
        self.key, self.free, self.height = (f"{name}⁺" if positive else name), frozenset(), 0

    def subs(self, mp):
        return _atom_poly(self)


class Exp(Atom):
    """``exp(m)`` of a monomial ``m`` with coefficient 1; ``exp(a·m) = Exp(m)^a``."""

    __slots__ = ("mono",)
    positive = True

    def __init__(self, mono: tuple):
        self.mono = mono
        self.key = f"exp({_mono_key(mono)})"
        self.free = _mono_free(mono)
        self.height = _mono_height(mono)

    def subs(self, mp):
        return exp_of(subs_poly({self.mono: Fraction(1)}, mp))


class Log(Atom):
    __slots__ = ("arg",)

    def __init__(self, arg: Poly):
        self.arg = arg
        self.key = f"log({poly_key(arg)})"
        self.free = _poly_free(arg)
        self.height = _poly_height(arg)

    def subs(self, mp):
        return log_of(subs_poly(self.arg, mp))


class Br(Atom):
    """A polynomial of several terms kept whole because its power is not a natural number."""

    __slots__ = ("arg",)

    def __init__(self, arg: Poly):
        self.arg = arg
        self.key = f"({poly_key(arg)})"
        self.free = _poly_free(arg)
        self.height = _poly_height(arg)

    @property
    def positive(self) -> bool:  # type: ignore[override]
        return all(c > 0 and _mono_positive(f) for f, c in self.arg.items())

    def subs(self, mp):
        return subs_poly(self.arg, mp)


class Fn(Atom):
    """A function this algebra does not know (sin, abs, ...): kept opaque."""

    __slots__ = ("args", "name")

    def __init__(self, name: str, args: tuple):
        self.name, self.args = name, args
        # "fn:" keeps a user's function called log or exp apart from the real ones
        self.key = f"fn:{user_name(name)}({';'.join(poly_key(a) for a in args)})"
        self.free = frozenset().union(*(_poly_free(a) for a in args)) if args else frozenset()
        self.height = max((_poly_height(a) for a in args), default=0)

    def subs(self, mp):
        return _atom_poly(Fn(self.name, tuple(subs_poly(a, mp) for a in self.args)))


class PartialAtom(Atom):
    """``∂_order F(η)`` of an undefined function ``F`` of a vector (a :class:`Partial`).

    ``arg`` is the entry ``η_q`` with ``q`` the bound index ``var`` (always named
    ``#v``, so alpha-equivalent arguments give one key); ``order`` is sorted (``F`` is
    smooth, its mixed partials commute). A partial inside another's argument is refused.
    """

    __slots__ = ("arg", "fname", "order", "var")

    def __init__(self, fname: str, order: tuple, arg: Poly, var: Ix):
        self.fname, self.arg, self.var = fname, arg, var
        self.order = tuple(sorted(order, key=str))
        rng = f"{_bkey(var.lo)},{_bkey(var.hi)}"
        self.key = (f"∂{user_name(fname)}[{','.join(map(str, self.order))}]"
                    f"(#v∈[{rng}]↦{poly_key(arg)})")
        self.free = (_poly_free(arg) - {var}).union(*(_idx_free(o) for o in self.order))
        self.height = _poly_height(arg)

    def subs(self, mp):
        mp = {k: v for k, v in mp.items() if k != self.var}
        order = tuple(_idx_subs(o, mp) for o in self.order)
        return _atom_poly(PartialAtom(self.fname, order, subs_poly(self.arg, mp), self.var))


class SumAtom(Atom):
    """``Σ_{dummies} ∏ body`` with canonical dummy names ``#h.p`` (h = nesting height)."""

    __slots__ = ("body", "dummies")

    def __init__(self, dummies: tuple[Ix, ...], body: tuple):
        self.dummies, self.body = dummies, body
        rng = ",".join(f"{d.name}∈[{_bkey(d.lo)},{_bkey(d.hi)}]" for d in dummies)
        self.key = f"Σ[{rng}]({_mono_key(body)})"
        self.free = _mono_free(body) - frozenset(dummies)
        self.height = 1 + _mono_height(body)

    @property
    def positive(self) -> bool:  # type: ignore[override]
        nonempty = all(_provably_le(d.lo, d.hi) for d in self.dummies)
        return nonempty and _mono_positive(self.body)

    def subs(self, mp):
        if not (self.free & mp.keys()):
            return _atom_poly(self)
        fresh = {d: _fresh(d) for d in self.dummies}
        body = subs_mono(self.body, {**mp, **fresh})
        return _sum_terms(list(fresh.values()), body)


# ---------------------------------------------------------------- polynomials

Mono = tuple  # sorted tuple of (Atom, Fraction)
Poly = dict  # Mono -> Fraction (no zero coefficients)
ONE: Poly = {(): Fraction(1)}


def _mono_key(mono: Mono) -> str:
    return "*".join(a.key if e == 1 else f"{a.key}^{e}" for a, e in mono) or "1"


def poly_key(p: Poly) -> str:
    return " + ".join(sorted(f"{c}*{_mono_key(m)}" for m, c in p.items())) or "0"


def _mono_free(mono: Mono) -> frozenset:
    return frozenset().union(*(a.free for a, _ in mono)) if mono else frozenset()


def _poly_free(p: Poly) -> frozenset:
    return frozenset().union(*(_mono_free(m) for m in p)) if p else frozenset()


def _mono_height(mono: Mono) -> int:
    return max((a.height for a, _ in mono), default=0)


def _poly_height(p: Poly) -> int:
    return max((_mono_height(m) for m in p), default=0)


def _mono_positive(mono: Mono) -> bool:
    return all(a.positive for a, _ in mono)


def _atom_poly(atom: Atom) -> Poly:
    return {((atom, Fraction(1)),): Fraction(1)}


def _merge(*monos: Mono) -> Mono | None:
    """Multiply monomials: add exponents; ``δ² = δ``; None when the product is 0."""
    exps: dict[Atom, Fraction] = {}
    for mono in monos:
        for atom, e in mono:
            exps[atom] = exps.get(atom, Fraction(0)) + e
    out = []
    for atom, e in exps.items():
        if isinstance(atom, Delta):
            if e < 0:
                raise Unsupported("a Kronecker delta in a denominator")
            e = Fraction(1) if e > 0 else e
        if e != 0:
            out.append((atom, e))
    entry = _ENTRY.get()
    if entry and not _apply_entry_rules(out, entry):
        return None
    out.sort(key=lambda ae: ae[0].key)
    return tuple(out)


def poly_add(p: Poly, q: Poly, scale: Fraction = Fraction(1)) -> Poly:
    out = dict(p)
    for m, c in q.items():
        v = out.get(m, Fraction(0)) + scale * c
        if v:
            out[m] = v
        else:
            out.pop(m, None)
    return out


def poly_sub(p: Poly, q: Poly) -> Poly:
    return poly_add(p, q, Fraction(-1))


def poly_mul(p: Poly, q: Poly) -> Poly:
    budget = _budget()
    budget.tick()
    if len(p) * len(q) > budget.max_terms:
        raise OverBudget(f"size budget: a product of {len(p)}×{len(q)} terms")
    out: Poly = {}
    for (m1, c1), (m2, c2) in itertools.product(p.items(), q.items()):
        m = _merge(m1, m2)
        if m is not None:
            v = out.get(m, Fraction(0)) + c1 * c2
            if v:
                out[m] = v
            else:
                out.pop(m, None)
    return out


def poly_const(c: Fraction) -> Poly:
    return {(): Fraction(c)} if c else {}


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


def exp_of(p: Poly) -> Poly:
    """``exp(Σ c_t m_t) = ∏ Exp(m_t)^c_t``."""
    return _merge_poly(tuple((Exp(m), c) for m, c in p.items()))


def _merge_poly(mono: Mono) -> Poly:
    m = _merge(mono)
    return {m: Fraction(1)} if m is not None else {}


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


# ---------------------------------------------------------------- sums

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

#: The rules the normal form applied while it is set (a list, in order, no repeats): what a
#: report may say was done for a step, and nothing else (:func:`traced`).
_TRACE: ContextVar[list[str] | None] = ContextVar("derive_trace", default=None)


def trace_rule(name: str) -> None:
    """Record that rule ``name`` was applied (only while :func:`traced` collects)."""
    trace = _TRACE.get()
    if trace is not None and name not in trace:
        trace.append(name)


class traced:
    """``with traced() as rules:`` collects the names of the rules applied inside.

    >>> K = sp.Symbol("K", integer=True, positive=True)
    >>> c, j = sp.symbols("c j", integer=True)
    >>> x = sp.IndexedBase("x", shape=(K,))
    >>> scope = Scope(index_ranges={j: (1, K)})
    >>> with traced() as rules:
    ...     _ = to_poly(sp.Sum(sp.KroneckerDelta(c, j) * x[c], (c, 1, K)), scope)
    >>> rules
    ['sum the Kronecker deltas']
    """

    def __enter__(self) -> list[str]:
        self.rules: list[str] = []
        self.token = _TRACE.set(self.rules)
        return self.rules

    def __exit__(self, *exc: object) -> None:
        _TRACE.reset(self.token)


@dataclass(frozen=True)
class EntryRule:
    """A hypothesis on every entry of one quantity, used where a monomial is formed.

    ``binary``: each entry is 0 or 1, so ``y^k = y`` for a natural ``k ≥ 1``. One-hot along
    an axis of ``axes``: also ``y_a y_b = δ_ab y_b`` when the other indices are the same.
    Applied only to entries whose indices are provably inside ``ranges`` (the declared
    shape); an entry read past the shape is not covered by the hypothesis.
    """

    base: str
    ranges: tuple[Ix, ...]
    axes: tuple[int, ...]  # one-hot along each of these (none: binary only)
    label: str


_ENTRY: ContextVar[Mapping[str, EntryRule] | None] = ContextVar("derive_entry_rules", default=None)


def make_entry_rule(base: sp.IndexedBase, shape: tuple, axis: int | None, label: str) -> EntryRule:
    """The rule for ``binary(base)`` (``axis`` None) or ``one_hot(base, axis)``."""
    ranges = tuple(Ix(f"_r{p}", sp.Integer(1), as_expr(hi)) for p, hi in enumerate(shape))
    axes = () if axis is None else (axis % len(shape),)
    return EntryRule(user_name(str(base.label)), ranges, axes, label)


def _inside(atom: Ind, rule: EntryRule) -> bool:
    return len(atom.idx) == len(rule.ranges) and all(
        within(q, r) for q, r in zip(atom.idx, rule.ranges, strict=True)
    )


def _one_hot_axis(a: Atom, b: Atom, entry: Mapping[str, EntryRule]) -> int | None:
    """The one-hot axis along which entries ``a`` and ``b`` differ, all else the same."""
    if not (isinstance(a, Ind) and isinstance(b, Ind) and a.base == b.base):
        return None
    for ax in entry[a.base].axes:
        if all(p == q for n, (p, q) in enumerate(zip(a.idx, b.idx, strict=True)) if n != ax):
            return ax
    return None


def _apply_entry_rules(out: list, entry: Mapping[str, EntryRule]) -> bool:
    """Apply binary and one-hot rules to the factors ``out`` of one monomial, in place;
    False when the product is 0 (``y_a y_b`` with ``a``, ``b`` provably different)."""
    while True:
        hits = [
            n for n, (a, e) in enumerate(out)
            if isinstance(a, Ind) and a.base in entry and e.denominator == 1 and e > 0
            and _inside(a, entry[a.base])
        ]
        for n in hits:
            if out[n][1] != 1:
                trace_rule(f"use {entry[out[n][0].base].label}")
            out[n] = (out[n][0], Fraction(1))  # y^k = y for an entry in {0, 1}
        pair = next(
            ((p, q, ax) for p, q in itertools.combinations(hits, 2)
             if (ax := _one_hot_axis(out[p][0], out[q][0], entry)) is not None),
            None,
        )
        if pair is None:
            return True
        a, b, ax = out[pair[0]][0], out[pair[1]][0], pair[2]
        trace_rule(f"use {entry[a.base].label}")
        pair = pair[:2]
        delta = Delta.make(a.idx[ax], b.idx[ax])
        if not delta:
            return False
        # y_a y_b = δ_ab y_b: keep the entry with the smaller key (either is right)
        del out[max(pair, key=lambda n: out[n][0].key)]
        ((dmono, _),) = delta.items()
        for atom, _ in dmono:
            if not any(x == atom for x, _ in out):
                out.append((atom, Fraction(1)))


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


def _sum_mono(dummies: list[Ix], mono: Mono, unfold: bool = True) -> Poly:
    """``Σ_{dummies} mono`` in normal form (the heart of the algebra).

    Convention (one for every rule): a sum over ``lo..hi`` with ``hi < lo`` is empty,
    i.e. 0, not SymPy's Karr reading ``−Σ_{hi+1}^{lo−1}``.
    """
    _budget().tick()
    dummies = list(dummies)
    if unfold:
        dummies, mono = _unfold(dummies, mono)
    # 1. Kronecker deltas: Σ_d δ_de f(d) = f(e) when range(e) ⊆ range(d) is provable.
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
    # 2. A range with integer bounds (1..2 for a size written as 2) is written out term by
    #    term; hi < lo gives no term (the empty sum).
    for d in dummies:
        if d.lo.is_Integer and d.hi.is_Integer and int(d.hi) - int(d.lo) < _UNROLL:
            trace_rule("write out a sum over a fixed range")
            rest_d = [q for q in dummies if q != d]
            unrolled: Poly = {}
            for v in range(int(d.lo), int(d.hi) + 1):
                unrolled = poly_add(unrolled, _sum_terms(rest_d, subs_mono(mono, {d: v})))
            return unrolled
    # 3. Dummies nothing depends on contribute the length of their range. A sum over
    #    lo..hi with hi < lo is empty (0), so hi − lo + 1 is the length only where
    #    hi ≥ lo − 1 for every size; otherwise the length max(0, hi − lo + 1) stays an
    #    opaque atom Σ_{d=lo}^{hi} 1 (equal only to itself).
    used = _mono_free(mono)
    out: Poly = dict(ONE)
    for d in [d for d in dummies if d not in used]:
        dummies.remove(d)
        if _provably_le(d.lo, d.hi + 1):
            length = _sympy_poly(d.hi - d.lo + 1)
        else:
            fixed = Ix(f"#1.{0}", d.lo, d.hi)
            length = _atom_poly(SumAtom((fixed,), ()))
        out = poly_mul(out, length)
    # 4. Factors free of every dummy come out; the rest splits into connected groups.
    outside = tuple(ae for ae in mono if not (ae[0].free & set(dummies)))
    out = poly_mul(out, {_merge(outside): Fraction(1)})
    inside = [ae for ae in mono if ae[0].free & set(dummies)]
    for group, factors in _components(dummies, inside):
        out = poly_mul(out, _fold(group, factors))
        if not out:
            break
    return out


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
    for rule in _RULES.get():
        hit = _match(rule, atom)
        if hit is not None:
            trace_rule(f"use {rule.label}")
            return hit
    return _atom_poly(atom)


def _match(rule: RewriteRule, atom: SumAtom) -> Poly | None:
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


# ---------------------------------------------------------------- from SymPy


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
            if not e.exp.is_Rational:  # b^y = exp(y log b), for b > 0
                base = self.poly(e.base, bound)
                if not _is_positive(base):
                    raise Unsupported(f"symbolic power of a base not known positive: {e}")
                return exp_of(poly_mul(self.poly(e.exp, bound), log_of(base)))
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
        for var, lo, hi in limits:
            if (lo.free_symbols | hi.free_symbols) & (set(inner) | set(self.scope.index_ranges)):
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

    def log_product(self, e: sp.Product, bound: Mapping[sp.Symbol, Ix]) -> Poly:
        """``log Π_n f_n = Σ_n log f_n``, only when every factor is provably positive."""
        inner, dummies = self._bind(e.limits, bound)
        body = self.poly(e.function, inner)
        if not _is_positive(body):
            raise Unsupported(f"log of a product whose factors are not known positive: {e}")
        return _sum_terms(dummies, log_of(body))


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


def _is_positive(p: Poly) -> bool:
    """A single positive term: a positive number times positive atoms."""
    if len(p) != 1:
        return False
    ((mono, coeff),) = p.items()
    return coeff > 0 and _mono_positive(mono)


def _sympy_poly(e: sp.Expr) -> Poly:
    return _Converter(Scope(index_ranges={})).poly(sp.expand(e), {})


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


@dataclass(frozen=True)
class EliminationRule:
    """``Σ_{a=1}^{m} y[..., a, ...] = rhs`` over an integer range (a size written as a
    number): the last entry ``y[..., m, ...]`` is replaced by ``rhs − Σ_{a<m} y[..., a, ...]``
    wherever the other indices are provably inside ``ranges``."""

    base: str
    axis: int
    last: int
    ranges: tuple  # per position: an Ix (its range) or None at the axis
    rhs: Poly
    label: str


_ELIM: ContextVar[Mapping[str, EliminationRule] | None] = ContextVar("derive_elim", default=None)


def _elimination(p: Poly, rhs: Poly, label: str) -> EliminationRule:
    atoms = []
    for mono, c in p.items():
        if c != 1 or len(mono) != 1 or mono[0][1] != 1 or not isinstance(mono[0][0], Ind):
            raise Unsupported(f"assumption {label} is not a plain sum")
        atoms.append(mono[0][0])
    first = atoms[0]
    axes = [n for n, q in enumerate(first.idx) if isinstance(q, int)]  # the others are vars
    if len({(a.base, len(a.idx)) for a in atoms}) != 1 or len(axes) != 1:
        raise Unsupported(f"assumption {label} is not a plain sum")
    (axis,) = axes
    if any(a.idx[:axis] + a.idx[axis + 1:] != first.idx[:axis] + first.idx[axis + 1:]
           for a in atoms):
        raise Unsupported(f"assumption {label} is not a plain sum")
    values = sorted(a.idx[axis] for a in atoms)
    if values != list(range(1, len(atoms) + 1)):
        raise Unsupported(f"assumption {label} is not a sum over 1..m")
    ranges = tuple(None if n == axis else q for n, q in enumerate(first.idx))
    return EliminationRule(first.base, axis, len(atoms), ranges, rhs, label)


def _entry_poly(base: str, idx: tuple) -> Poly:
    """The entry ``base[idx]``, or its elimination (``y_m = 1 − Σ_{a<m} y_a``)."""
    rule = (_ELIM.get() or {}).get(base)
    if (
        rule is None
        or len(idx) != len(rule.ranges)
        or idx[rule.axis] != rule.last
        or not all(r is None or within(q, r) for q, r in zip(idx, rule.ranges, strict=True))
    ):
        return _atom_poly(Ind(base, idx))
    mp = {r: q for q, r in zip(idx, rule.ranges, strict=True) if r is not None}
    out = subs_poly(rule.rhs, mp)
    for a in range(1, rule.last):
        other = tuple(a if n == rule.axis else q for n, q in enumerate(idx))
        out = poly_add(out, _atom_poly(Ind(base, other)), Fraction(-1))
    return out


# ---------------------------------------------------------------- deciding zero


def _atoms_deep(p: Poly) -> Iterable[Atom]:
    for mono in p:
        for atom, _ in mono:
            yield atom
            if isinstance(atom, Exp):
                yield from _atoms_deep({atom.mono: 1})
            elif isinstance(atom, SumAtom):
                yield from _atoms_deep({atom.body: 1})
            elif isinstance(atom, Log | Br | PartialAtom):
                yield from _atoms_deep(atom.arg)


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


def _vanishes(p: Poly, rules: tuple) -> bool:
    """``p = 0`` wherever defined, shown without a δ case split: the numerator over a
    common denominator of bases is 0; or ``p`` splits into terms outside sums and one
    sum per tuple of ranges (``Σ_n f_n − Σ_n g_n = Σ_n (f_n − g_n)``, bodies renamed to
    common dummies of exactly the same ranges), each of which is zero."""
    if not any(isinstance(a, Br) for a in _atoms_deep(p)):
        return False
    parts = together(p)
    if parts is not None and not parts[0]:
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
        key = tuple((_bkey(d.lo), _bkey(d.hi)) for d in atom.dummies)
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


# ---------------------------------------------------------------- back to SymPy

_LETTERS = "cdpqrsuvwabefgh"


def to_sympy(p: Poly, scope: Scope | None = None, like: sp.Basic | None = None) -> sp.Expr:
    """A readable SymPy expression for a normal form (dummies get short letters).

    ``like`` supplies the original ``IndexedBase`` and ``Symbol`` objects (SymPy
    tells ``theta`` with a shape from ``theta`` without one).
    """
    taken = {str(s) for s in (scope.index_ranges if scope else {})}
    # a dummy letter must not capture a free symbol of the same name
    taken |= {plain_name(n) for n in _names_deep(p)}
    bases: dict[str, sp.IndexedBase] = {}
    symbols: dict[str, sp.Symbol] = {}
    if like is not None:
        bases = {str(b.label): b for b in like.atoms(sp.IndexedBase)}
        labels = {b.label for b in bases.values()}
        taken |= {str(s) for s in like.atoms(sp.Symbol) if s not in labels}
        symbols = {
            str(s): s for s in like.atoms(sp.Symbol)
            if not isinstance(s, sp.Dummy) and s not in labels
        }
    return _ToSympy(taken, bases, symbols).poly(p, {})


def _names_deep(p: Poly) -> set[str]:
    out: set[str] = set()
    for atom in _atoms_deep(p):
        if isinstance(atom, Sym):
            out.add(atom.name)
        elif isinstance(atom, Ind | Delta | SumAtom | PartialAtom):
            for ix in atom.free:
                out.add(ix.name)
    return out


class _ToSympy:
    def __init__(self, taken: set[str], bases: Mapping, symbols: Mapping):
        self.taken = set(taken)
        self.bases, self.symbols = bases, symbols

    def base(self, key: str) -> sp.IndexedBase:
        name = plain_name(key)
        return self.bases.get(name) or sp.IndexedBase(name)

    def symbol(self, key: str, **assumptions) -> sp.Symbol:
        name = plain_name(key)
        return self.symbols.get(name) or sp.Symbol(name, **assumptions)

    def index(self, ix: Index, names: Mapping[Ix, sp.Symbol]) -> sp.Expr:
        if isinstance(ix, int):
            return sp.Integer(ix)
        if isinstance(ix, LabelIx):
            return self.base(ix.base)[tuple(self.index(a, names) for a in ix.args)]
        return names.get(ix) or self.symbol(ix.name, integer=True)

    def poly(self, p: Poly, names) -> sp.Expr:
        terms = []
        for mono, c in sorted(p.items(), key=lambda mc: _mono_key(mc[0])):
            terms.append(sp.Rational(c.numerator, c.denominator) * self.mono(mono, names))
        return sp.Add(*terms)

    def mono(self, mono: Mono, names) -> sp.Expr:
        out = sp.Integer(1)
        for atom, e in mono:
            out *= self.atom(atom, names) ** sp.Rational(e.numerator, e.denominator)
        return out

    def atom(self, a: Atom, names) -> sp.Expr:
        if isinstance(a, Ind):
            idx = tuple(self.index(i, names) for i in a.idx)
            return self.base(a.base)[idx] if idx else self.symbol(a.base)
        if isinstance(a, Delta):
            return sp.KroneckerDelta(self.index(a.a, names), self.index(a.b, names))
        if isinstance(a, Sym):
            return self.symbol(a.name, positive=a.positive or None)
        if isinstance(a, Exp):
            return sp.exp(self.mono(a.mono, names))
        if isinstance(a, Log):
            return sp.log(self.poly(a.arg, names))
        if isinstance(a, Br):
            return self.poly(a.arg, names)
        if isinstance(a, Fn):
            return sp.Function(plain_name(a.name))(*(self.poly(x, names) for x in a.args))
        if isinstance(a, PartialAtom):
            letter = next(ch for ch in _LETTERS if ch not in self.taken)
            self.taken.add(letter)
            var = sp.Symbol(letter, integer=True)
            body = self.poly(a.arg, {**names, a.var: var})
            self.taken.discard(letter)
            order = tuple(self.index(o, names) for o in a.order)
            return Partial(plain_name(a.fname), order, sp.Lambda(var, body), a.var.hi)
        assert isinstance(a, SumAtom)
        inner = dict(names)
        limits = []
        for d in a.dummies:
            letter = next(ch for ch in _LETTERS if ch not in self.taken)
            self.taken.add(letter)
            inner[d] = sp.Symbol(letter, integer=True)
            limits.append((inner[d], d.lo, d.hi))
        body = self.mono(a.body, inner)
        for d in a.dummies:
            self.taken.discard(str(inner[d]))
        return sp.Sum(body, *limits)
