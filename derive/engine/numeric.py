"""Evaluate a claim's expressions at concrete sizes, independently of the algebra.

Sums are looped, and a ``Derivative`` is evaluated by central finite differences of
the original function in float64, never through SymPy's ``diff``. A counterexample
found here does not depend on the symbolic machinery it refutes.

>>> import sympy as sp
>>> import numpy as np
>>> K = sp.Symbol("K", integer=True, positive=True)
>>> k, c = sp.symbols("k c", integer=True)
>>> z = sp.IndexedBase("z", shape=(K,))
>>> pt = Point(sizes={K: 2}, indices={k: 1}, arrays={"z": np.array([0.0, 0.0])})
>>> round(evaluate(sp.exp(z[k]) / sp.Sum(sp.exp(z[c]), (c, 1, K)), pt), 12)
0.5
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from derive.engine.vector_function import Partial, generic
from derive.errors import DeriveError

__all__ = ["Point", "evaluate", "fd_step"]

_EPS = float(np.finfo(np.float64).eps)
_FUNCS = {"sin": math.sin, "cos": math.cos, "tanh": math.tanh, "Abs": abs, "sqrt": math.sqrt,
          "factorial": lambda v: math.gamma(v + 1)}  # y! = Γ(y + 1), also between integers


def fd_step(order: int) -> float:
    """The central-difference step balancing truncation (h²) and rounding (ε/hᵒʳᵈᵉʳ)."""
    return _EPS ** (1.0 / (2 + order))


@dataclass
class Point:
    """Concrete sizes, free index values, arrays (0-based storage of 1-based entries), scalars."""

    sizes: Mapping[sp.Symbol, int]
    indices: Mapping[sp.Symbol, int] = field(default_factory=dict)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    scalars: dict[sp.Symbol, float] = field(default_factory=dict)


class _Eval:
    def __init__(self, point: Point):
        self.p = point
        self.values: dict[sp.Symbol, float] = {**point.sizes, **point.indices, **point.scalars}
        self._arrays: dict[sp.Basic, np.ndarray] = {}  # an IndexedBase's label -> its array

    def _array(self, label: sp.Basic) -> np.ndarray:
        """The array of the IndexedBase ``label`` (named by ``str(label)``, printed once per
        label: SymPy's printer is most of a spot check's time otherwise)."""
        arr = self._arrays.get(label)
        if arr is None:
            arr = self._arrays[label] = self.p.arrays[str(label)]
        return arr

    def ev(self, e: sp.Expr, env: dict) -> float:
        if e.is_Number:
            return float(e)
        if isinstance(e, sp.Symbol):
            if e in env:
                return env[e]
            if e in self.values:
                return float(self.values[e])
            raise DeriveError(f"no value for symbol {e}")
        if e is sp.E:
            return math.e
        if isinstance(e, sp.Indexed):
            arr = self._array(e.base.label)
            idx = tuple(self._index(a, env) - 1 for a in e.indices)
            if any(q < 0 or q >= s for q, s in zip(idx, arr.shape, strict=True)):
                raise IndexError(f"{e} out of range at {idx}")
            return float(arr[idx])
        if isinstance(e, sp.KroneckerDelta):
            return 1.0 if self._index(e.args[0], env) == self._index(e.args[1], env) else 0.0
        if isinstance(e, sp.Add):
            return math.fsum(self.ev(a, env) for a in e.args)
        if isinstance(e, sp.Mul):
            out = 1.0
            for a in e.args:
                out *= self.ev(a, env)
            return out
        if isinstance(e, sp.Pow):
            base, ex = self.ev(e.base, env), self.ev(e.exp, env)
            if base == 0.0 and ex < 0:
                return math.nan
            try:
                return (float(base**ex) if base > 0 or (base == 0.0 and ex > 0)
                        or float(ex).is_integer() else math.nan)
            except OverflowError:
                return math.inf
        if isinstance(e, sp.exp):
            a = self.ev(e.args[0], env)
            return math.exp(a) if a < 700 else math.inf
        if isinstance(e, sp.log):
            a = self.ev(e.args[0], env)
            return math.log(a) if a > 0 else math.nan
        if isinstance(e, sp.Sum):
            return self._sum(e.function, list(e.limits), env)
        if isinstance(e, sp.Product):
            return self._product(e.function, list(e.limits), env)
        if isinstance(e, sp.Derivative):
            return self._derivative(e.expr, list(e.variables), env, len(e.variables))
        if isinstance(e, Partial):  # the undefined F at its generic instance
            size = self._index(e.size, env)
            var = e.arg.variables[0]
            eta = [self.ev(e.arg.expr, {**env, var: q}) for q in range(1, size + 1)]
            return generic(e.name, eta, tuple(self._index(o, env) for o in e.order))
        if isinstance(e, sp.Function) and type(e).__name__ in _FUNCS:
            return float(_FUNCS[type(e).__name__](*(self.ev(a, env) for a in e.args)))
        raise DeriveError(f"cannot evaluate {type(e).__name__}: {e}")

    def _index(self, e: sp.Expr, env: dict) -> int:
        v = self.ev(e, env)
        if not float(v).is_integer():
            raise DeriveError(f"index {e} evaluated to a non-integer {v}")
        return int(v)

    def _sum(self, body: sp.Expr, limits: list, env: dict) -> float:
        if not limits:
            return self.ev(body, env)
        # SymPy lists limits innermost first: the last is the outermost, and an inner
        # limit may be an outer index (Σ_{c=1}^{K} Σ_{j=1}^{c}), so it is bound first
        (var, lo, hi), rest = limits[-1], limits[:-1]
        a, b = self._index(lo, env), self._index(hi, env)
        # derive's one convention (README): a sum over a..b with b < a is empty, i.e. 0
        return math.fsum(self._sum(body, rest, {**env, var: v}) for v in range(a, b + 1))

    def _product(self, body: sp.Expr, limits: list, env: dict) -> float:
        if not limits:
            return self.ev(body, env)
        (var, lo, hi), rest = limits[-1], limits[:-1]  # outermost first, as in _sum
        a, b = self._index(lo, env), self._index(hi, env)
        return math.prod(self._product(body, rest, {**env, var: v}) for v in range(a, b + 1))

    def _derivative(self, f: sp.Expr, variables: list, env: dict, order: int) -> float:
        if not variables:
            return self.ev(f, env)
        var, rest = variables[-1], variables[:-1]
        get, put = self._locate(var, env)
        old = get()
        h = fd_step(order) * max(1.0, abs(old))
        try:
            put(old + h)
            fp = self._derivative(f, rest, env, order)
            put(old - h)
            fm = self._derivative(f, rest, env, order)
        finally:
            put(old)
        return (fp - fm) / (2 * h)

    def _locate(self, var: sp.Expr, env: dict):
        if isinstance(var, sp.Indexed):
            arr = self._array(var.base.label)
            idx = tuple(self._index(a, env) - 1 for a in var.indices)

            def put(v: float) -> None:
                arr[idx] = v

            return (lambda: float(arr[idx])), put
        if isinstance(var, sp.Symbol) and var in self.values:

            def put_s(v: float) -> None:
                self.values[var] = v

            return (lambda: float(self.values[var])), put_s
        raise DeriveError(f"cannot differentiate numerically with respect to {var}")


def evaluate(expr: sp.Expr, point: Point) -> float:
    """Value of ``expr`` at ``point`` in float64; derivatives by central differences."""
    arrays = {k: np.array(v, dtype=np.float64) for k, v in point.arrays.items()}
    work = Point(point.sizes, point.indices, arrays, dict(point.scalars))
    try:
        return _Eval(work).ev(expr, {})
    except (OverflowError, ZeroDivisionError, ValueError):
        return math.nan
