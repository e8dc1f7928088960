r"""Two expressions that differ only in the names of their bound indices are equal.

The normal form (``engine/algebra``) does not decide every sum: one whose limit is an
enclosing sum's index (``\sum_{c=1}^K \sum_{j=1}^c z_j``) is outside its fragment. Such a
step is still decided when its two sides are the same expression up to a renaming of the
indices their sums and products bind (alpha-equivalence): renaming a bound index changes
no value, whatever the range (empty, a size of 1) and whatever the summand.

:func:`canonical` renames every bound index to a name fixed by where it is bound (its
nesting depth and its place among the limits of its sum), never by the author's letter,
so the two sides compare equal exactly when they are the same up to those names. A free
index keeps its name: ``\sum_j x_{jk}`` and ``\sum_j x_{jl}`` stay different.

>>> import sympy as sp
>>> K = sp.Symbol("K", integer=True, positive=True)
>>> a, b, c, j = sp.symbols("a b c j", integer=True)
>>> z = sp.IndexedBase("z")
>>> left = sp.Sum(sp.Sum(z[j], (j, 1, c)), (c, 1, K))
>>> same_up_to_bound_names(left, sp.Sum(sp.Sum(z[b], (b, 1, a)), (a, 1, K)))
True
>>> same_up_to_bound_names(left, sp.Sum(sp.Sum(z[b], (b, 1, a - 1)), (a, 1, K)))
False
"""

from __future__ import annotations

import sympy as sp

__all__ = ["canonical", "same_up_to_bound_names"]

_BINDERS = (sp.Sum, sp.Product)


def _fresh(depth: int, place: int, like: sp.Symbol) -> sp.Symbol:
    # the name cannot be written in notes (a bracket and a dot); the assumptions are the
    # bound index's own, so two indices of different kinds never become one name
    return sp.Symbol(f"⟨{depth}.{place}⟩", **like.assumptions0)


def canonical(expr: sp.Basic, depth: int = 0) -> sp.Basic:
    """``expr`` with each bound index renamed by where it is bound (see the module)."""
    if isinstance(expr, _BINDERS):
        names = {lim[0]: _fresh(depth, i, lim[0]) for i, lim in enumerate(expr.limits)}
        if len(names) != len(expr.limits):  # one letter bound twice by one sum: not ours
            return expr
        renamed = expr.xreplace(names)
        limits = [(lim[0], *(canonical(x, depth + 1) for x in lim[1:]))
                  for lim in renamed.limits]
        return type(expr)(canonical(renamed.function, depth + 1), *limits)
    if not expr.args or isinstance(expr, (sp.Symbol, sp.IndexedBase)):
        return expr
    return expr.func(*(canonical(a, depth) for a in expr.args))


def same_up_to_bound_names(left: sp.Basic, right: sp.Basic) -> bool:
    """Are ``left`` and ``right`` the same expression up to the names of bound indices?"""
    return canonical(left) == canonical(right)
