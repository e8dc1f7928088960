"""The representation of the normal form: names, indices, atoms and polynomials.

* a *polynomial* is a map ``factors -> coefficient`` (exact ``Fraction``); ``factors`` is
  a sorted tuple of ``(atom, exponent)``;
* an *atom* is a factor with a canonical ``key`` (equality and hashing go by it): an
  entry, a Kronecker delta, a symbol, ``exp``, ``log``, a bracket kept whole, an opaque
  function, a partial of an undefined function, a closed sum.

This module knows no rewrite rule. What must rewrite while a term is built is looked up in
two dispatch tables the rule modules fill (as SymPy's printers dispatch on
``_print_<Class>``): :data:`SUBSTITUTE` (class -> how an atom of it is rebuilt after an
index substitution; a sum's bound indices, an entry's elimination, an exp's exponent all
live with their rules) and :data:`MONOMIAL_RULES` (run where factors are multiplied).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import sympy as sp

from derive.engine.algebra.context import OverBudget, Unsupported, _budget
from derive.engine.algebra.registry import rule

__all__ = [
    "MONOMIAL_RULES",
    "ONE",
    "SUBSTITUTE",
    "Atom",
    "Br",
    "Delta",
    "Exp",
    "Fn",
    "Ind",
    "Index",
    "Ix",
    "LabelIx",
    "Log",
    "Mono",
    "PartialAtom",
    "Poly",
    "SumAtom",
    "Sym",
    "plain_name",
    "poly_add",
    "poly_const",
    "poly_key",
    "poly_mul",
    "poly_sub",
    "substitutes",
    "user_name",
    "within",
]

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
    """``a ≤ b`` for every positive integer value of the sizes (sound: None is no).

    SymPy's assumptions decide most differences as written (``K - 1``, ``-K``); only an
    undecided one is simplified first. ``sp.simplify`` imports ``sympy.physics.units`` on
    its first call (about 0.3 s of CPU, a third of a ``derive verify``), and its result is
    equal to the difference, so a decided sign cannot change under it.
    """
    d = b - a
    decided = d.is_nonnegative
    if decided is not None:
        return decided
    if _linear_and_negative_somewhere(d):
        return False
    return bool(sp.simplify(d).is_nonnegative)


def _linear_and_negative_somewhere(d: sp.Expr) -> bool:
    """Is ``d`` a linear form ``c0 + Σ c_s s`` in positive integer symbols that is negative
    at some of their values (a negative ``c_s``: ``s`` large; otherwise all ones)? Then
    ``d ≥ 0`` fails for some sizes, which SymPy's assumptions leave undecided (``N - K``)."""
    terms = d.as_coefficients_dict()
    if not all(c.is_Rational and (s == 1 or (s.is_Symbol and s.is_integer and s.is_positive))
               for s, c in terms.items()):
        return False
    return any(c < 0 for s, c in terms.items() if s != 1) or sum(terms.values()) < 0


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

    def subs(self, mp: Mapping[Ix, Index]) -> Poly:
        """This atom with the indices ``mp`` substituted, as a polynomial (rewritten by the
        rules registered for its class in :data:`SUBSTITUTE`)."""
        try:
            how = SUBSTITUTE[type(self)]
        except KeyError:
            raise NotImplementedError(f"no substitution for {type(self).__name__}") from None
        return how(self, mp)


class Ind(Atom):
    __slots__ = ("base", "idx")

    def __init__(self, base: str, idx: tuple):
        self.base, self.idx = base, idx
        self.key = f"{base}[{','.join(map(str, idx))}]"
        self.free = frozenset().union(*(_idx_free(a) for a in idx)) if idx else frozenset()
        self.height = 0


class Delta(Atom):
    __slots__ = ("a", "b")

    def __init__(self, a: Index, b: Index):
        self.a, self.b = sorted((a, b), key=str)
        self.key = f"δ({self.a},{self.b})"
        self.free = _idx_free(a) | _idx_free(b)
        self.height = 0

    @staticmethod
    def make(a: Index, b: Index) -> Poly:
        """``δ_ab`` as a polynomial (:func:`delta_of`)."""
        return delta_of(a, b)


class Sym(Atom):
    """A scalar symbol (λ, T, a size N used as a number)."""

    __slots__ = ("name", "positive")

    def __init__(self, name: str, positive: bool):
        self.name, self.positive = name, positive
        # Positivity licenses splitting logs, so a positive λ and a signed λ never merge.
        self.key, self.free, self.height = (f"{name}⁺" if positive else name), frozenset(), 0


class Exp(Atom):
    """``exp(m)`` of a monomial ``m`` with coefficient 1; ``exp(a·m) = Exp(m)^a``."""

    __slots__ = ("mono",)
    positive = True

    def __init__(self, mono: tuple):
        self.mono = mono
        self.key = f"exp({_mono_key(mono)})"
        self.free = _mono_free(mono)
        self.height = _mono_height(mono)


class Log(Atom):
    __slots__ = ("arg",)

    def __init__(self, arg: Poly):
        self.arg = arg
        self.key = f"log({poly_key(arg)})"
        self.free = _poly_free(arg)
        self.height = _poly_height(arg)


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


class Fn(Atom):
    """A function this algebra does not know (sin, abs, ...): kept opaque."""

    __slots__ = ("args", "name")

    def __init__(self, name: str, args: tuple):
        self.name, self.args = name, args
        # "fn:" keeps a user's function called log or exp apart from the real ones
        self.key = f"fn:{user_name(name)}({';'.join(poly_key(a) for a in args)})"
        self.free = frozenset().union(*(_poly_free(a) for a in args)) if args else frozenset()
        self.height = max((_poly_height(a) for a in args), default=0)


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


# ---------------------------------------------------------------- dispatch tables

#: atom class -> ``f(atom, mp)``: the atom with the indices ``mp`` substituted, as a
#: polynomial. Filled by the modules whose rules rebuild that kind of atom.
SUBSTITUTE: dict[type[Atom], Callable[[Atom, Mapping[Ix, Index]], Poly]] = {}

#: ``f(factors) -> bool`` run on the factors of every monomial formed (a list of
#: ``(atom, exponent)``, changed in place); False: the product is 0.
MONOMIAL_RULES: list[Callable[[list], bool]] = []


def substitutes(cls: type[Atom]) -> Callable:
    """Register the decorated ``f(atom, mp)`` as the substitution of atoms of ``cls``."""

    def register(fn: Callable) -> Callable:
        SUBSTITUTE[cls] = fn
        return fn

    return register


@rule("a Kronecker delta of one index or of disjoint ranges", "Delta",
      "δ_aa = 1; δ_ab = 0 for distinct numbers a, b or ranges provably disjoint",
      "a, b the same index (same name and range); disjoint: hi(a) < lo(b) or hi(b) < lo(a) "
      "for every positive size")
def delta_of(a: Index, b: Index) -> Poly:
    """``δ_ab`` as a polynomial: 1, 0, or the atom."""
    if a == b:
        return ONE
    if (isinstance(a, int) and isinstance(b, int)) or _disjoint(a, b):
        return {}
    return _atom_poly(Delta(a, b))


@substitutes(Delta)
def _subs_delta(atom: Delta, mp: Mapping[Ix, Index]) -> Poly:
    return delta_of(_idx_subs(atom.a, mp), _idx_subs(atom.b, mp))


@substitutes(Sym)
def _subs_sym(atom: Sym, mp: Mapping[Ix, Index]) -> Poly:
    return _atom_poly(atom)


def _atoms_deep(p: Poly) -> Iterable[Atom]:
    """Every atom of ``p``, those inside exp, log, brackets, sums and partials too."""
    for mono in p:
        for atom, _ in mono:
            yield atom
            if isinstance(atom, Exp):
                yield from _atoms_deep({atom.mono: 1})
            elif isinstance(atom, SumAtom):
                yield from _atoms_deep({atom.body: 1})
            elif isinstance(atom, Log | Br | PartialAtom):
                yield from _atoms_deep(atom.arg)


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


@rule("a Kronecker delta to a power", "monomial",
      "δ^k = δ for a natural k ≥ 1 (δ is 0 or 1)",
      "a positive power only; a δ in a denominator is refused (Unsupported)")
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
    for monomial_rule in MONOMIAL_RULES:
        if not monomial_rule(out):
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

