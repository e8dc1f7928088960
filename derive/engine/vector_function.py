"""An undefined scalar function of a K-vector and its partial derivatives (the chain rule).

``Partial(name, (k₁, …, k_m), Lambda(q, η_q), K)`` is ``∂^m F/∂η_{k₁}⋯∂η_{k_m}``
evaluated at the vector ``η = (η_1, …, η_K)`` whose entry ``q`` is the Lambda's body,
for a function ``F`` the claim leaves undefined (a log-partition ``A``); with no index
it is ``F(η)`` itself. The entries of its gradient and Hessian are therefore opaque
quantities of their own, and the one rule the engine applies to them is the chain rule

    ∂/∂s [∂_κ F(η)] = Σ_{c=1}^{K} ∂_{κ c} F(η) · ∂η_c/∂s,

which holds for every variable ``s`` and every differentiable ``F``. ``F`` is taken to be
smooth (C^∞): the order of the partial indices does not matter (Schwarz), so the
normal form sorts them. Two partials are the same quantity only when the name, the
indices (as a multiset), the size and the argument vector (up to renaming its bound
letter) all agree.

Numerically (:mod:`derive.engine.numeric`) ``F`` is one fixed generic smooth function per
name, :func:`generic`, with its exact partials: the counterexample search and the spot
check then evaluate a claim about an undefined ``F`` at an instance of it.

>>> import sympy as sp
>>> K, D = sp.symbols("K D", integer=True, positive=True)
>>> W, x = sp.IndexedBase("W", shape=(D, K)), sp.IndexedBase("x", shape=(D,))
>>> d, q, i, j = sp.symbols("d q i j", integer=True)
>>> A = Partial("A", (), sp.Lambda(q, sp.Sum(W[d, q] * x[d], (d, 1, D))), K)
>>> A.diff(x[i]).has(Partial)
True
>>> A.diff(sp.Symbol("t"))
0
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import sympy as sp
from sympy.core.symbol import Str

__all__ = ["Partial", "generic"]


class Partial(sp.Expr):
    """``∂^m F/∂η_{k₁}⋯∂η_{k_m}`` at ``η_q = body(q)``, ``q`` in 1..size (see the module)."""

    is_commutative = True

    def __new__(cls, name: str | Str, order: Sequence[sp.Expr], arg: sp.Lambda,
                size: sp.Expr) -> Partial:
        name = name if isinstance(name, Str) else Str(str(name))
        if not isinstance(arg, sp.Lambda) or len(arg.variables) != 1:
            raise TypeError(f"Partial needs Lambda(q, η_q) of one letter, got {arg!r}")
        order = sp.Tuple(*(sp.sympify(o, strict=True) for o in order))
        return sp.Expr.__new__(cls, name, order, arg, sp.sympify(size, strict=True))

    @property
    def name(self) -> str:
        return self.args[0].name

    @property
    def order(self) -> tuple[sp.Expr, ...]:
        return tuple(self.args[1])

    @property
    def arg(self) -> sp.Lambda:
        return self.args[2]

    @property
    def size(self) -> sp.Expr:
        return self.args[3]

    def entry(self, q: sp.Expr) -> sp.Expr:
        """``η_q``: the argument's entry ``q`` (the bound letter replaced, no capture)."""
        return self.arg(q)

    def _eval_derivative(self, s: sp.Basic) -> sp.Expr:
        c = sp.Dummy("c", integer=True)
        inner = self.entry(c).diff(s)
        if inner == 0:
            return sp.S.Zero
        deeper = Partial(self.args[0], (*self.order, c), self.arg, self.size)
        return sp.Sum(deeper * inner, (c, 1, self.size))

    def doit(self, **hints) -> sp.Expr:
        """At a concrete size and concrete partial indices: the partial of the generic
        instance of ``F`` (:func:`generic`) as a SymPy expression, differentiated by SymPy
        itself (a route to the numbers that does not use the chain rule above)."""
        arg = self.arg.doit(**hints) if hints.get("deep", True) else self.arg
        size = self.size
        if not (size.is_Integer and all(o.is_Integer for o in self.order)):
            return Partial(self.args[0], self.order, arg, size)
        a, b, g = _coefficients(self.name, int(size))
        t = sp.symbols(f"t1:{int(size) + 1}")
        f = sum(sp.Float(a[q]) * sp.exp(sp.Float(b[q]) * t[q]) for q in range(int(size)))
        f += sp.exp(sum(sp.Float(g[q]) * t[q] for q in range(int(size))))
        for o in self.order:
            f = f.diff(t[int(o) - 1])
        return f.xreplace({t[q]: arg(q + 1) for q in range(int(size))})

    def _eval_is_extended_real(self) -> bool:
        return True

    def _sympystr(self, printer) -> str:
        var, body = self.arg.variables[0], self.arg.expr
        at = f"({printer.doprint(var)} ↦ {printer.doprint(body)})"
        if not self.order:
            return f"{self.name}{at}"
        idx = ",".join(printer.doprint(o) for o in self.order)
        return f"∂[{idx}]{self.name}{at}"

    def _latex(self, printer) -> str:
        idx = " ".join(printer.doprint(o) for o in self.order)
        head = self.name if not self.order else rf"\partial_{{{idx}}} {self.name}"
        return rf"{head}(\eta)"


@lru_cache(maxsize=256)
def _coefficients(name: str, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``a``, ``b``, ``g`` of :func:`generic` for ``name`` (fixed per name, any size)."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    n = max(size, 8)
    a = rng.uniform(0.5, 1.5, n)[:size]
    b = rng.uniform(0.3, 0.9, n)[:size] * rng.choice((-1.0, 1.0), n)[:size]
    g = rng.uniform(-0.6, 0.6, n)[:size]
    return a, b, g


def generic(name: str, eta: Sequence[float], order: Sequence[int]) -> float:
    """``∂_order F(η)`` for the instance ``F(η) = Σ_k a_k e^{b_k η_k} + e^{Σ_k g_k η_k}``
    of the undefined ``F`` called ``name`` (``order`` 1-based; coefficients fixed per name).

    Every partial of every order is non-zero in general, and the Hessian is not diagonal,
    so a wrong weight or a missing cross term shows.

    >>> bool(abs(generic("A", [0.0, 0.0], ()) - (sum(_coefficients("A", 2)[0]) + 1)) < 1e-12)
    True
    """
    size = len(eta)
    a, b, g = _coefficients(name, size)
    if any(k < 1 or k > size for k in order):
        raise IndexError(f"partial index {tuple(order)} outside 1..{size}")
    e = np.asarray(eta, dtype=float)
    total = float(g @ e)
    out = math.exp(total) if total < 700 else math.inf
    for k in order:
        out *= g[k - 1]
    if not order:
        return out + math.fsum(a * np.exp(np.minimum(b * e, 700)))
    if len(set(order)) == 1:
        k = order[0] - 1
        out += a[k] * b[k] ** len(order) * math.exp(min(b[k] * e[k], 700))
    return out
