"""A normal form back to a readable SymPy expression (dummies get short letters)."""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

from derive.engine.algebra.terms import (
    Atom,
    Br,
    Delta,
    Exp,
    Fn,
    Ind,
    Index,
    Ix,
    LabelIx,
    Log,
    Mono,
    PartialAtom,
    Poly,
    SumAtom,
    Sym,
    _atoms_deep,
    _mono_key,
    plain_name,
)
from derive.engine.scope import Scope
from derive.engine.vector_function import Partial

__all__ = ["to_sympy"]


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
