r"""The formula as derive read it: one canonical, unambiguous LaTeX rendering of a step.

What the engine checks is shown, not what the notes wrote: every product has an explicit
``\\cdot``, every sum its bound index and range (``\\sum_{i'=1}^{K}``), every entry its
indices (``{t}_{i}``), a power is a power and a label a subscript. Bound indices the reader
renamed (``i'5``) are shown as the notes' letter with primes, distinct per step.

>>> import sympy as sp
>>> t = sp.IndexedBase("t"); i, K = sp.symbols("i'3 K")
>>> print(as_read(sp.Sum(2 * t[i], (i, 1, K)), sp.Integer(0)))
\sum_{i'=1}^{K} 2 \cdot {t}_{i'} = 0
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

__all__ = ["as_read"]


def as_read(lhs: sp.Expr, rhs: sp.Expr, spelling: Mapping[str, str] | None = None) -> str:
    """``lhs = rhs`` in canonical LaTeX; ``spelling`` maps internal names to the notes'."""
    spelling = spelling or {}
    renamed: dict[sp.Symbol, sp.Symbol] = {}
    taken: set[str] = set()
    syms = sorted((lhs.atoms(sp.Symbol) | rhs.atoms(sp.Symbol)), key=lambda s: s.name)
    for s in syms:
        if "'" not in s.name:
            taken.add(s.name)
    for s in syms:
        if "'" in s.name:
            base = s.name.split("'")[0]
            name = base + "'"
            while name in taken:
                name += "'"
            taken.add(name)
            renamed[s] = sp.Symbol(name, integer=True)
    names = {sp.Symbol(k): v for k, v in spelling.items()}
    # a scalar carries assumptions (real=True): matched by its name, not by equality
    names.update({s: spelling[s.name] for s in syms if s.name in spelling})

    def tex(e: sp.Expr) -> str:
        return sp.latex(e.xreplace(renamed), mul_symbol="dot", symbol_names=names)

    return f"{tex(lhs)} = {tex(rhs)}"
