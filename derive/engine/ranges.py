"""Sums over consecutive ranges of one index, joined before the normal form.

Two rewrites of plain SymPy, each applied only where its side conditions are provable
for every positive integer value of the sizes (the empty-sum convention: a sum over
``lo..hi`` with ``hi < lo`` is 0):

* **blocks**: ``Σ_{q=a}^{b} Σ_{n=L(q)}^{U(q)} f(n) = Σ_{n=L(a)}^{U(b)} f(n)`` when ``f``
  does not depend on ``q``, block ``q + 1`` starts where block ``q`` ends
  (``L(q + 1) = U(q) + 1`` identically), every block has a length ``U(q) − L(q) + 1 ≥ 0``
  that does not depend on ``q``, and ``b ≥ a − 1``;
* **adjacent ranges**: ``Σ_{n=lo}^{m} f(n) + Σ_{n=m+1}^{hi} f(n) = Σ_{n=lo}^{hi} f(n)``
  when ``lo − 1 ≤ m ≤ hi``;
* **a term split off an end**: ``f(lo − 1) + Σ_{n=lo}^{hi} f(n) = Σ_{n=lo−1}^{hi} f(n)`` (and
  ``f(hi + 1)`` after it), both times the same number, when ``hi − lo + 1 ≥ 0``.

Together they prove the blocking identity behind the kernels' row blocks (a sum over N
rows is the sum over blocks of B rows of their sums, plus the remainder block), for
symbolic B and any number of blocks. Anything else is left as it was.

>>> import sympy as sp
>>> P, B, S = sp.symbols("P B S", integer=True, positive=True)
>>> n, q = sp.symbols("n q", integer=True)
>>> f = sp.IndexedBase("f")
>>> blocks = sp.Sum(sp.Sum(f[n], (n, (q - 1) * B + 1, q * B)), (q, 1, P - 1))
>>> join(blocks + sp.Sum(f[n], (n, (P - 1) * B + 1, (P - 1) * B + S - 1)))
Sum(f[n], (n, 1, B*(P - 1) + S - 1))
"""

from __future__ import annotations

import sympy as sp

__all__ = ["join"]


def _expr(x: object) -> sp.Expr:
    """A range bound as a SymPy expression: an expression as it is, a Python int as an
    Integer; anything else (a string above all: no parsing here) is a TypeError."""
    if isinstance(x, sp.Basic):
        return x  # type: ignore[return-value]
    if isinstance(x, int) and not isinstance(x, bool):
        return sp.Integer(x)
    raise TypeError(f"a range bound must be a SymPy expression or an int, not {x!r}")


def _nonnegative(e: sp.Expr) -> bool:
    """``e ≥ 0`` for every positive integer value of its symbols (sound: unsure is no)."""
    e = sp.expand(e)
    return bool(e.is_nonnegative) or bool(sp.factor(e).is_nonnegative)


def _blocks(function: sp.Expr, limits: list) -> tuple[sp.Expr, list]:
    """The blocks rewrite on the limits of one Sum (innermost first, as SymPy keeps a
    nested Sum), applied to every inner/outer pair it holds for (see the module docstring)."""
    limits = [tuple(lim) for lim in limits]
    changed = True
    while changed:
        changed = False
        for i in range(len(limits) - 1):
            (n, lo, hi), (q, a, b) = limits[i], limits[i + 1]
            others = [x for k, lim in enumerate(limits) if k not in (i, i + 1) for x in lim[1:]]
            if n == q or q in function.free_symbols or any(q in _expr(x).free_symbols
                                                           for x in others):
                continue
            if sp.expand(lo.subs(q, q + 1) - (hi + 1)) != 0:  # consecutive blocks
                continue
            length = sp.expand(hi - lo + 1)
            if q in length.free_symbols or not _nonnegative(length):
                continue
            if not _nonnegative(b - a + 1):
                continue
            limits[i : i + 2] = [(n, lo.subs(q, a), hi.subs(q, b))]
            changed = True
            break
    return function, limits


def _adjacent(terms: list[sp.Expr]) -> list[sp.Expr]:
    """Join pairs of single-limit Sums of the same summand over adjacent ranges."""
    changed = True
    while changed:
        changed = False
        for i, first in enumerate(terms):
            if not (isinstance(first, sp.Sum) and len(first.limits) == 1):
                continue
            (n, lo1, hi1), = first.limits
            for j, second in enumerate(terms):
                if j == i or not (isinstance(second, sp.Sum) and len(second.limits) == 1):
                    continue
                (m, lo2, hi2), = second.limits
                body = second.function.xreplace({m: n}) if m != n else second.function
                if n != m and n in second.function.free_symbols:
                    continue  # renaming would capture a free letter
                if body != first.function or sp.expand(lo2 - hi1 - 1) != 0:
                    continue
                if not (_nonnegative(hi1 - lo1 + 1) and _nonnegative(hi2 - hi1)):
                    continue
                joined = sp.Sum(first.function, (n, lo1, hi2))
                terms = [t for k, t in enumerate(terms) if k not in (i, j)] + [joined]
                changed = True
                break
            if changed:
                break
    return terms


def _canon(e: sp.Expr) -> sp.Expr:
    """``e`` with every Sum's bound letter renamed by the Sum's nesting height (1 for a Sum
    with no Sum inside): two spellings that differ only in bound names become equal, and no
    renaming captures (Sums nested in one another have different heights)."""
    return _canon_h(e)[0]


def _canon_h(e: sp.Expr) -> tuple[sp.Expr, int]:
    if not isinstance(e, sp.Basic) or not e.args:
        return e, 0
    parts = [_canon_h(a) for a in e.args]
    height = max((h for _, h in parts), default=0)
    if isinstance(e, sp.Sum) and len(e.limits) == 1:
        (v, lo, hi), = e.limits
        fn = _canon_h(e.function)[0]
        new = sp.Symbol(f"_bound{height + 1}", integer=True)
        return sp.Sum(fn.xreplace({v: new}), (new, _canon(lo), _canon(hi))), height + 1
    return e.func(*[a for a, _ in parts]), height


def _peeled(terms: list[sp.Expr]) -> list[sp.Expr]:
    """Join a term split off either end of a single-limit Sum: ``c·f(lo − 1) + c·Σ_{n=lo}^{hi}
    f(n) = c·Σ_{n=lo−1}^{hi} f(n)`` and ``c·Σ_{n=lo}^{hi} f(n) + c·f(hi + 1) = c·Σ_{n=lo}^{hi+1}
    f(n)`` for a number ``c``, when ``hi − lo + 1 ≥ 0`` (the split-off sum may be empty)."""
    changed = True
    while changed:
        changed = False
        for i, term in enumerate(terms):
            coeff, body = term.as_coeff_Mul()
            if not (isinstance(body, sp.Sum) and len(body.limits) == 1):
                continue
            (n, lo, hi), = body.limits
            if not _nonnegative(hi - lo + 1):
                continue
            ends = ((lo - 1, hi), (lo, hi + 1))
            for j, other in enumerate(terms):
                if j == i:
                    continue
                for at, (new_lo, new_hi) in zip((lo - 1, hi + 1), ends, strict=True):
                    if _canon(other) == _canon(coeff * body.function.xreplace({n: at})):
                        joined = coeff * sp.Sum(body.function, (n, new_lo, new_hi))
                        terms = [t for k, t in enumerate(terms) if k not in (i, j)] + [joined]
                        changed = True
                        break
                if changed:
                    break
            if changed:
                break
    return terms


def join(expr: sp.Expr) -> sp.Expr:
    """``expr`` with block sums and adjacent ranges joined, bottom up."""
    if not isinstance(expr, sp.Basic) or not expr.args:
        return expr
    if isinstance(expr, sp.Sum):
        function, limits = _blocks(join(expr.function), list(expr.limits))
        return sp.Sum(function, *limits)
    args = [join(a) for a in expr.args]
    if isinstance(expr, sp.Add):
        return sp.Add(*_peeled(_adjacent(args)))
    return expr.func(*args) if args != list(expr.args) else expr
