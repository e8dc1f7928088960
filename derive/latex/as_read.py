r"""The formula as derive read it: one canonical, unambiguous LaTeX rendering of a step.

What the engine checks is shown, not what the notes wrote: every product has an explicit
``\\cdot``, every sum its bound index and range (``\\sum_{i=1}^{K}``), every entry its
indices (``{t}_{i}``), a power is a power and a label a subscript.

Indices the reader renamed internally (``i'5``, a name no author can write) are printed
with the letter the notes used for them. Only where that letter would collide
(it is free somewhere in the step, or an enclosing or enclosed sum binds the same letter)
is another, unused index letter taken instead. The renaming is done by the printer
(``symbol_names``), never by substitution, so two sums that differ only in their internal
dummy are never merged by SymPy's evaluation.

>>> import sympy as sp
>>> t = sp.IndexedBase("t"); i, i2, K = sp.symbols("i'3 i'4 K")
>>> print(as_read(sp.Sum(2 * t[i], (i, 1, K)), sp.Integer(0)))
\sum_{i=1}^{K} 2 \cdot {t}_{i} = 0
>>> print(as_read(sp.Sum(t[i] * sp.Sum(t[i2], (i2, 1, K)), (i, 1, K)), t[sp.Symbol("j")]))
\sum_{i=1}^{K} {t}_{i} \cdot \sum_{k=1}^{K} {t}_{k} = {t}_{j}
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import sympy as sp

__all__ = ["as_read", "readable_names"]

_INTERNAL = re.compile(r"(?P<stem>.+)'\d+")  #: values.fresh_index's names: stem'N
#: the letters tried, in order after the notes' own, when the notes' letter would collide
_LETTERS = "ijklmnpqrsuvwabcdefgh"
_BINDERS = (sp.Sum, sp.Product)


def _stem(s: sp.Symbol) -> str | None:
    m = _INTERNAL.fullmatch(s.name)
    return m.group("stem") if m else None


def _binders(e: sp.Basic, outer: tuple[sp.Symbol, ...],
             nest: dict[sp.Symbol, set[sp.Symbol]], order: list[sp.Symbol]) -> None:
    """Record, for each bound symbol, every bound symbol of a sum around or inside it."""
    if isinstance(e, _BINDERS):
        inner = list(outer)
        for lim in e.limits:
            v = lim[0]
            for b in lim[1:]:
                _binders(b, tuple(inner), nest, order)
            if v not in nest:
                nest[v] = set()
                order.append(v)
            for o in inner:
                nest[v].add(o)
                nest[o].add(v)
            inner.append(v)
        _binders(e.function, tuple(inner), nest, order)
        return
    for a in e.args:
        _binders(a, outer, nest, order)


def readable_names(exprs: tuple[sp.Basic, ...],
                   spelling: Mapping[str, str] | None = None) -> dict[sp.Symbol, str]:
    """LaTeX names for the internal bound indices of ``exprs`` (printed together): the
    notes' letter unless it collides, then the first unused letter of ``_LETTERS``."""
    spelling = spelling or {}
    nest: dict[sp.Symbol, set[sp.Symbol]] = {}
    order: list[sp.Symbol] = []
    for e in exprs:
        _binders(e, (), nest, order)
    free = set().union(*(e.free_symbols for e in exprs)) if exprs else set()
    # every name a reader sees for a symbol that is not an internal dummy, wherever it is
    plain = {s for e in exprs for s in e.atoms(sp.Symbol) if _stem(s) is None}
    seen = {s.name for s in plain} | {spelling.get(s.name, s.name) for s in plain}
    blocked = {s.name for s in free} | {spelling.get(s.name, s.name) for s in free}
    chosen: dict[sp.Symbol, str] = {}
    # a free index the reader renamed (the notes bind the same letter elsewhere in the
    # step): the notes' letter if no other symbol of the step is written so, else the
    # first letter written nowhere in the step; it then blocks every bound index
    for v in sorted((s for s in free if _stem(s) is not None), key=lambda s: s.name):
        own = spelling.get(_stem(v) or "", _stem(v) or "")
        taken = seen | blocked | set(chosen.values())
        name = next((c for c in [own, *_LETTERS] if c not in taken), None)
        if name is None:
            name = own + "'"
            while name in taken:
                name += "'"
        chosen[v] = name
        blocked.add(name)
    for v in order:
        stem = _stem(v)
        if stem is None:
            continue
        near = {spelling.get(o.name, o.name) if _stem(o) is None else chosen.get(o, "")
                for o in nest[v]} | {o.name for o in nest[v] if _stem(o) is None}
        own = spelling.get(stem, stem)
        candidates = [own] + [c for c in _LETTERS if c != own]
        for c in candidates:
            if c not in blocked and c not in near and (c == own or c not in seen):
                chosen[v] = c
                break
        else:  # every letter taken: the notes' letter with as many primes as it needs
            name = own + "'"
            while name in blocked | near | seen:
                name += "'"
            chosen[v] = name
    return chosen


def as_read(lhs: sp.Expr, rhs: sp.Expr, spelling: Mapping[str, str] | None = None) -> str:
    """``lhs = rhs`` in canonical LaTeX; ``spelling`` maps internal names to the notes'."""
    spelling = spelling or {}
    names: dict[sp.Symbol, str] = {
        s: spelling[s.name] for s in (lhs.atoms(sp.Symbol) | rhs.atoms(sp.Symbol))
        if s.name in spelling}
    names |= readable_names((lhs, rhs), spelling)

    def tex(e: sp.Expr) -> str:
        return sp.latex(e, mul_symbol="dot", symbol_names=names)

    return f"{tex(lhs)} = {tex(rhs)}"
