r"""Values a step writes that are undefined somewhere, kept beside it when SymPy cancels them.

SymPy simplifies as it builds: ``(K - 1)/(K - 1)`` is 1, ``(z_j - z_k)^2/(z_j - z_k)`` is
``z_j - z_k``, ``(1 - \delta_{jk})/(1 - \delta_{jk})`` is 1, ``e^{\log \sum_{k=2}^K e^{z_k}}``
is the sum. Each of these steps is false where the value written is undefined (at K = 1, at
j = k: a division by 0, a log of 0), and once the expression is built nothing is left for
the numeric checks to evaluate there, so the step was proved.

The elaboration (:mod:`derive.latex.values`) reports every partial operation it performs to
:func:`note`, one row of :data:`PARTIAL` each: a division by a scalar, a power with a
negative or a non-integer exponent, a log. While a member is read (:func:`collecting`), the
value of each operation *as written* (unevaluated: ``1/(K - 1)``, ``a^{1/2}``, ``\log a``) is
kept. The checker hands the guards of a step's two members to the engine, whose spot check
evaluates them beside the two sides at every point it checks (each size 1..4, the free
indices equal and distinct, the inputs drawn as for the sides): a guard undefined at one
point makes the proof ``unknown`` with that point, as a side undefined there does. The
engine judges a guard undefined only where it is for every input value it tries: what it
catches is a value undefined at a size or an index, never the values of the inputs
(``(\sqrt{a})^2 = a``, ``e^{\ln C} = C`` and ``\log(1 - \hat y)`` stay proved: the corpus
reads a root or a log of its inputs as the author's positive quantity, while the soundness
probes' brute force counts a < 0; that conflict is open).

:func:`kept` keeps the guards the spot check can evaluate: no letter bound by a sum or a
product outside the guard (``\log p_k`` under ``\sum_k`` is evaluated where it is written,
as part of its side), only sizes, the step's index letters and real scalars. A guard with
no letter (``1/2``) is a number and never kept.

>>> import sympy as sp
>>> K = sp.Symbol("K", integer=True, positive=True)
>>> with collecting() as found:
...     note("divide", K - 1)
...     note("power", sp.Symbol("a"), sp.Rational(1, 2))
...     note("power", sp.Symbol("a"), sp.Integer(2))
...     note("divide", sp.Integer(2))
>>> found
[1/(K - 1), sqrt(a)]
>>> note("log", K)  # nothing is collecting: ignored
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import sympy as sp

__all__ = ["PARTIAL", "collecting", "kept", "note"]


def _reciprocal(den: sp.Expr) -> sp.Expr | None:
    return sp.Pow(den, -1, evaluate=False)


def _power(base: sp.Expr, exponent: sp.Expr) -> sp.Expr | None:
    """``base^exponent`` when it may be undefined: a negative exponent (base 0) or one
    that is not an integer (a negative base)."""
    if exponent.is_integer and exponent.is_nonnegative:
        return None
    return sp.Pow(base, exponent, evaluate=False)


def _log(arg: sp.Expr) -> sp.Expr | None:
    return sp.log(arg, evaluate=False)


#: a partial operation of the elaboration -> the value it writes (None: defined everywhere)
PARTIAL: dict[str, Callable[..., sp.Expr | None]] = {
    "divide": _reciprocal, "power": _power, "log": _log}

_FOUND: ContextVar[list[sp.Expr] | None] = ContextVar("derive_guards", default=None)


@contextmanager
def collecting() -> Iterator[list[sp.Expr]]:
    """Collect the guards of what is elaborated inside; nested collections add theirs to
    the enclosing one too (a definition read while a member is)."""
    outer = _FOUND.get()
    found: list[sp.Expr] = []
    token = _FOUND.set(found)
    try:
        yield found
    finally:
        _FOUND.reset(token)
        if outer is not None:
            outer.extend(found)


def note(kind: str, *args: sp.Expr) -> None:
    """Record the value of a partial operation of kind ``kind`` (a key of :data:`PARTIAL`)."""
    found = _FOUND.get()
    if found is None or any(not isinstance(a, sp.Basic) for a in args):
        return
    guard = PARTIAL[kind](*args)
    if guard is not None and guard.free_symbols and guard not in found:
        found.append(guard)


def _evaluable(symbol: sp.Basic, indices: Collection[sp.Basic]) -> bool:
    """A letter the spot check gives a value: an index letter of the step, a size (a
    positive integer), a real scalar. (An entry's indices are letters of their own in
    SymPy's free symbols, bound ones left out: the entry itself is not judged.)"""
    if isinstance(symbol, sp.Indexed) or symbol in indices:
        return True
    if symbol.is_integer:
        return bool(symbol.is_positive)
    return True


def kept(guards: Collection[sp.Expr], indices: Collection[sp.Basic]) -> tuple[sp.Expr, ...]:
    """The guards the spot check can evaluate (see the module's docstring)."""
    out = []
    for g in guards:
        if g.has(sp.Derivative, sp.Integral, sp.Lambda):
            continue
        if all(_evaluable(s, indices) for s in g.free_symbols):
            out.append(g)
    return tuple(out)
