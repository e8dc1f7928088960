"""Scalars, vectors and matrices as SymPy entry expressions with named free axes.

A column vector ``x`` of length D is ``Value(x[p], rows=Axis(p, D))``: its generic entry
in a fresh index ``p``. Linear algebra is then index algebra: ``u^T v`` contracts the
axes into a ``Sum``; ``u \\otimes v`` keeps both. Literal vectors and matrices
(``[2, 2, 2]``, ``\\begin{bmatrix}``) are ``concrete`` exact-rational matrices.

>>> import sympy as sp
>>> D = sp.Symbol("D", integer=True, positive=True)
>>> x = sp.IndexedBase("x")
>>> p, q = fresh_index("p"), fresh_index("q")
>>> u = Value(x[p], rows=Axis(p, D))
>>> v = Value(x[q], rows=Axis(q, D))
>>> matmul(transpose(u), v).rows is None
True
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

import sympy as sp

from derive.engine.scope import as_expr
from derive.latex import guards
from derive.latex.constructs import ELEMENTWISE

__all__ = ["Axis", "MathIssue", "Value", "add", "free_with_derivatives", "fresh_index",
           "frobenius", "lift_indexed", "matmul", "reset_fresh_indices", "scalar"]

_counter = itertools.count(1)


class MathIssue(Exception):
    """Well-formed input whose mathematics does not type-check (a shape mismatch).

    Not a user error of the file format: the step gets the verdict ``unknown`` and this
    message as its note.
    """


def reset_fresh_indices() -> None:
    """Restart the numbering of fresh indices, so that a file's verdicts do not depend on
    which files were checked before it in the same process.

    >>> reset_fresh_indices(); fresh_index("k")
    k'1
    """
    global _counter
    _counter = itertools.count(1)


def fresh_index(stem: str) -> sp.Symbol:
    """An integer symbol no user can write (names with ``'`` are not LaTeX letters)."""
    return sp.Symbol(f"{stem}'{next(_counter)}", integer=True)


@dataclass(frozen=True)
class Axis:
    sym: sp.Symbol
    size: sp.Expr


@dataclass(frozen=True)
class Value:
    """``broadcast``: a scalar was added to every entry of this vector somewhere in it (``1 -
    \\hat{y}``): equated with a scalar, it is more likely a letter the notes use for a scalar
    too than a slip, so such a step is not refuted on its shape (derive.latex.verify_verdicts).
    A Hessian ``\\nabla_w^2 f`` carries it too: ``\\nabla^2`` may be the Laplacian, a scalar."""

    expr: sp.Expr = sp.S.Zero
    rows: Axis | None = None
    cols: Axis | None = None
    concrete: sp.Matrix | None = None
    broadcast: bool = False

    @property
    def is_scalar(self) -> bool:
        return self.concrete is None and self.rows is None and self.cols is None

    def shape_text(self) -> str:
        if self.concrete is not None:
            return f"{self.concrete.rows}×{self.concrete.cols} matrix"
        if self.is_scalar:
            return "scalar"
        r = self.rows.size if self.rows else 1
        c = self.cols.size if self.cols else 1
        if self.rows and not self.cols:
            return f"column vector of length {r}"
        if self.cols and not self.rows:
            return f"row vector of length {c}"
        return f"{r}×{c} matrix"


def scalar(expr: sp.Expr) -> Value:
    return Value(expr=as_expr(expr))


MAX_BITS = 100_000  # a number in a worked example is a few digits; 10^{10^{10}} is not


def power(base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
    """``base**exponent``, refusing numbers too large to write down (SymPy would compute
    10^{10^{10}} exactly and never return).

    >>> power(sp.Integer(2), sp.Integer(10))
    1024
    >>> power(sp.Integer(10), sp.Integer(10) ** 10)
    Traceback (most recent call last):
    ...
    derive.latex.values.MathIssue: over budget: 10^10000000000 has about 4e+10 bits (at most 100000)
    """
    if base.is_number and exponent.is_number and exponent.is_real:
        try:
            bits = (max(abs(base.p), base.q).bit_length() if base.is_Rational
                    else math.log2(max(2.0, abs(float(base)))))
            size = abs(float(exponent)) * max(1, bits)
        except (OverflowError, TypeError, ValueError):
            size = math.inf
        if size > MAX_BITS:
            raise MathIssue(f"over budget: {base}^{exponent} has about {size:.3g} bits "
                            f"(at most {MAX_BITS})")
    guards.note("power", base, exponent)  # (\sqrt{a})^2 is a: \sqrt{a} is kept beside it
    return base**exponent


def _same_size(a: sp.Expr, b: sp.Expr) -> bool:
    """Are two sizes equal? A difference that is a number or a polynomial in the sizes is
    decided without ``sp.simplify``, which imports ``sympy.physics.units`` on its first call
    (about 0.3 s of CPU)."""
    d = as_expr(a) - as_expr(b)
    if d.is_Number:
        return bool(d == 0)
    if d.is_polynomial():  # a polynomial is zero exactly when its expansion is
        return sp.expand(d) == 0
    return sp.simplify(d) == 0


def materialize(v: Value) -> sp.Matrix:
    """Entries of a value whose sizes are numbers, as an exact matrix."""
    if v.concrete is not None:
        return v.concrete
    if v.is_scalar:
        return sp.Matrix([[v.expr]])
    sizes = []
    for ax in (v.rows, v.cols):
        if ax is None:
            sizes.append(1)
        elif not as_expr(ax.size).is_Integer:
            raise MathIssue(f"cannot compare a {v.shape_text()} with a literal matrix: "
                            "expected sizes that are numbers")
        else:
            sizes.append(int(ax.size))

    def entry(r: int, c: int) -> sp.Expr:
        sub = {}
        if v.rows is not None:
            sub[v.rows.sym] = r + 1
        if v.cols is not None:
            sub[v.cols.sym] = c + 1
        return v.expr.xreplace(sub)

    return sp.Matrix(sizes[0], sizes[1], entry)


def _concrete(m: sp.Matrix) -> Value:
    if m.shape == (1, 1):
        return scalar(m[0, 0])
    return Value(concrete=m)


def rename(v: Value, rows: Axis | None, cols: Axis | None) -> Value:
    """``v`` with its axes renamed to ``rows``/``cols`` (which must have the same sizes)."""
    sub = {}
    if v.rows is not None and rows is not None:
        sub[v.rows.sym] = rows.sym
    if v.cols is not None and cols is not None:
        sub[v.cols.sym] = cols.sym
    return Value(v.expr.xreplace(sub), rows if v.rows else None, cols if v.cols else None,
                 broadcast=v.broadcast)


def _check_same_shape(a: Value, b: Value, what: str) -> None:
    ok = (a.rows is None) == (b.rows is None) and (a.cols is None) == (b.cols is None)
    if ok and a.rows is not None and b.rows is not None:
        ok = _same_size(a.rows.size, b.rows.size)
    if ok and a.cols is not None and b.cols is not None:
        ok = _same_size(a.cols.size, b.cols.size)
    if not ok:
        raise MathIssue(f"{what} a {a.shape_text()} and a {b.shape_text()}: expected equal "
                        "shapes")


def _broadcast(a: Value, b: Value, sign: int) -> Value:
    """``a + sign·b`` where one is a scalar and the other a vector (a column or a row,
    symbolic or literal): the scalar is added to every entry, as NumPy and deep-learning
    notes write ``1 - \\hat{y}``. A matrix and a scalar is a MathIssue: ``A + c`` may be
    ``A + cI`` or ``A + c 1 1^T``, so the step stays unknown.

    >>> reset_fresh_indices()
    >>> D, p = sp.Symbol("D", positive=True, integer=True), fresh_index("p")
    >>> add(scalar(sp.Integer(1)), Value(sp.IndexedBase("y")[p], rows=Axis(p, D)), -1).expr
    1 - y[p'1]
    """
    vec, num = (b, a.expr) if a.is_scalar else (a, b.expr)
    if vec.concrete is not None and 1 in vec.concrete.shape:
        entries = vec.concrete.applyfunc(
            (lambda e: num + sign * e) if a.is_scalar else (lambda e: e + sign * num))
        return replace(_concrete(entries), broadcast=True)
    if vec.concrete is not None or (vec.rows is not None and vec.cols is not None):
        raise MathIssue(f"a {vec.shape_text()} plus a scalar: A + cI or A + c 1 1^T? "
                        "(a scalar is added only to a vector, entry by entry)")
    return replace(vec, expr=num + sign * vec.expr if a.is_scalar else vec.expr + sign * num,
                   broadcast=True)


def add(a: Value, b: Value, sign: int = 1) -> Value:
    if a.is_scalar != b.is_scalar:
        return _broadcast(a, b, sign)
    if a.concrete is not None or b.concrete is not None:
        ma, mb = materialize(a), materialize(b)
        if ma.shape != mb.shape:
            raise MathIssue(f"cannot add a {a.shape_text()} and a {b.shape_text()}")
        return _concrete(ma + sign * mb)
    _check_same_shape(a, b, "cannot add")
    b2 = rename(b, a.rows, a.cols)
    return replace(a, expr=a.expr + sign * b2.expr, broadcast=a.broadcast or b.broadcast)


def neg(a: Value) -> Value:
    if a.concrete is not None:
        return _concrete(-a.concrete)
    return replace(a, expr=-a.expr)


def scale(a: Value, s: sp.Expr) -> Value:
    if a.concrete is not None:
        return _concrete(a.concrete * s)
    return replace(a, expr=a.expr * s)


def transpose(a: Value) -> Value:
    if a.concrete is not None:
        return Value(concrete=a.concrete.T)
    return Value(a.expr, rows=a.cols, cols=a.rows, broadcast=a.broadcast)


def matmul(a: Value, b: Value, *, dot: bool = False) -> Value:
    """Juxtaposition (``dot=False``) or ``\\cdot`` (``dot=True``) of two values.

    ``\\cdot`` between two vectors of the same orientation is their inner product, as in
    ``w_j \\cdot x_n``; otherwise both mean the matrix product.
    """
    if a.is_scalar:
        return scale(b, a.expr)
    if b.is_scalar:
        return scale(a, b.expr)
    if a.concrete is not None or b.concrete is not None:
        ma, mb = materialize(a), materialize(b)
        if dot and 1 in ma.shape and ma.shape == mb.shape:
            return scalar(sum(x * y for x, y in zip(ma, mb, strict=True)))
        if ma.cols != mb.rows:
            raise MathIssue(f"cannot multiply a {ma.rows}×{ma.cols} matrix by a "
                            f"{mb.rows}×{mb.cols} matrix")
        return _concrete(ma * mb)
    if dot and _is_vector(a) and _is_vector(b) and _orientation(a) == _orientation(b):
        ax_a = a.rows or a.cols
        ax_b = b.rows or b.cols
        assert ax_a is not None and ax_b is not None
        if not _same_size(ax_a.size, ax_b.size):
            raise MathIssue(f"inner product of vectors of lengths {ax_a.size} and {ax_b.size}")
        return _contract(a.expr, b.expr.xreplace({ax_b.sym: ax_a.sym}), ax_a)
    if a.cols is None and b.rows is None:  # column times row: outer product
        return Value(a.expr * b.expr, rows=a.rows, cols=b.cols)
    if a.cols is not None and b.rows is not None:
        if not _same_size(a.cols.size, b.rows.size):
            raise MathIssue(f"cannot multiply a {a.shape_text()} by a {b.shape_text()}")
        inner = _contract(a.expr, b.expr.xreplace({b.rows.sym: a.cols.sym}), a.cols)
        return Value(inner.expr, rows=a.rows, cols=b.cols)
    raise MathIssue(f"cannot multiply a {a.shape_text()} by a {b.shape_text()} (write a "
                    "transpose ^T or \\cdot for an inner product, \\otimes for an outer one)")


def _is_vector(v: Value) -> bool:
    return (v.rows is None) != (v.cols is None)


def is_vector(v: Value) -> bool:
    """A column or a row, symbolic or literal (a literal 1×1 is a scalar)."""
    if v.concrete is not None:
        return 1 in v.concrete.shape
    return _is_vector(v)


def times(a: Value, b: Value) -> Value:
    """``\\times``, ``\\ast`` or ``*``: as ``\\cdot`` (:func:`matmul`), except between two
    vectors, where the sign may be the cross product (``x \\times y``), NumPy's entrywise
    ``x * y`` or the inner product: a MathIssue, so the step stays unknown."""
    if is_vector(a) and is_vector(b):
        raise MathIssue(f"× or * between a {a.shape_text()} and a {b.shape_text()}: the "
                        "cross, entrywise or inner product? (write ^T, \\cdot or \\odot)")
    return matmul(a, b, dot=True)


def divide(a: Value, b: Value) -> Value:
    """``a / b``: by a scalar; by a vector, entry by entry (a scalar over each entry, or a
    vector of its shape entry over entry, as NumPy's ``a / b`` and ``\\sigma(z) = 1 / (1 +
    e^{-z})`` of a vector); by a matrix, or a matrix over a vector, a MathIssue.

    >>> reset_fresh_indices()
    >>> D, p = sp.Symbol("D", positive=True, integer=True), fresh_index("p")
    >>> divide(scalar(sp.Integer(1)), Value(sp.IndexedBase("y")[p], rows=Axis(p, D))).expr
    1/y[p'1]
    """
    if b.is_scalar:
        guards.note("divide", b.expr)  # (K - 1)/(K - 1) is 1: 1/(K - 1) is kept beside it
        return scale(a, 1 / b.expr)
    if not is_vector(b) or not (a.is_scalar or is_vector(a)):
        raise MathIssue(f"division of a {a.shape_text()} by a {b.shape_text()}: expected a "
                        "scalar or a vector over a scalar or a vector of its shape")
    if a.concrete is not None or b.concrete is not None:
        mb = materialize(b)
        if a.is_scalar:
            return _concrete(mb.applyfunc(lambda e: a.expr / e))
        ma = materialize(a)
        if ma.shape != mb.shape:
            raise MathIssue(f"entrywise division of a {a.shape_text()} by a {b.shape_text()}")
        return _concrete(sp.Matrix(ma.rows, ma.cols, lambda r, c: ma[r, c] / mb[r, c]))
    if a.is_scalar:
        return replace(b, expr=a.expr / b.expr)
    _check_same_shape(a, b, "entrywise division of")
    return replace(a, expr=a.expr / rename(b, a.rows, a.cols).expr,
                   broadcast=a.broadcast or b.broadcast)


def _orientation(v: Value) -> str:
    return "col" if v.rows is not None else "row"


def _contract(ea: sp.Expr, eb: sp.Expr, ax: Axis) -> Value:
    bound = fresh_index(str(ax.sym).split("'")[0])
    body = (ea * eb).xreplace({ax.sym: bound})
    return scalar(sp.Sum(body, (bound, 1, ax.size)))


def flat(v: Value) -> Value:
    """A vector as a column vector (``\\otimes`` does not care how it was written)."""
    if v.concrete is not None:
        if 1 not in v.concrete.shape:
            raise MathIssue(f"\\otimes of a {v.shape_text()}: expected vectors")
        return Value(concrete=sp.Matrix(list(v.concrete)))
    if not _is_vector(v):
        raise MathIssue(f"\\otimes of a {v.shape_text()}: expected vectors")
    return Value(v.expr, rows=v.rows or v.cols)


def outer(a: Value, b: Value) -> Value:
    a, b = flat(a), flat(b)
    return matmul(a, transpose(b))


def hadamard(a: Value, b: Value) -> Value:
    """``\\odot``: entrywise product (a scalar operand scales)."""
    if a.is_scalar or b.is_scalar:
        return matmul(a, b)
    if a.concrete is not None or b.concrete is not None:
        ma, mb = materialize(a), materialize(b)
        if ma.shape != mb.shape:
            raise MathIssue(f"\\odot of a {a.shape_text()} and a {b.shape_text()}")
        return _concrete(ma.multiply_elementwise(mb))
    _check_same_shape(a, b, "\\odot of")
    b2 = rename(b, a.rows, a.cols)
    return replace(a, expr=a.expr * b2.expr, broadcast=a.broadcast or b.broadcast)


def frobenius(a: Value, b: Value) -> Value:
    """``A:B``, the Frobenius product: ``Σ_ij A_ij B_ij`` (= tr(AᵀB)) of two vectors or two
    matrices of one shape. Between two scalars ``a:b`` may be a ratio, and between a scalar
    and a vector or vectors of other shapes it is not a Frobenius product: a MathIssue.

    >>> reset_fresh_indices()
    >>> D, p, q = sp.Symbol("D", positive=True, integer=True), fresh_index("p"), fresh_index("q")
    >>> x, y = sp.IndexedBase("x"), sp.IndexedBase("y")
    >>> frobenius(Value(x[p], rows=Axis(p, D)), Value(y[q], rows=Axis(q, D))).expr
    Sum(x[p'3]*y[p'3], (p'3, 1, D))
    """
    if a.is_scalar or b.is_scalar:
        raise MathIssue(f"':' between a {a.shape_text()} and a {b.shape_text()}: a Frobenius "
                        "product A:B is read between two vectors or matrices of one shape "
                        "(between numbers it may be a ratio)")
    if a.concrete is not None or b.concrete is not None:
        ma, mb = materialize(a), materialize(b)
        if ma.shape != mb.shape:
            raise MathIssue(f"a Frobenius product A:B of a {a.shape_text()} and a "
                            f"{b.shape_text()}: expected equal shapes")
        return scalar(sum((x * y for x, y in zip(ma, mb, strict=True)), sp.S.Zero))
    _check_same_shape(a, b, "a Frobenius product A:B of")
    body = a.expr * rename(b, a.rows, a.cols).expr
    for ax in (a.rows, a.cols):
        if ax is not None:
            bound = fresh_index(str(ax.sym).split("'")[0])
            body = sp.Sum(body.xreplace({ax.sym: bound}), (bound, 1, ax.size))
    return scalar(body)


_FUNCS = {"exp": sp.exp, "log": sp.log}  # the meanings in constructs.ELEMENTWISE


def apply_scalar(a: Value, spelling: str) -> Value:
    """The scalar function spelt ``spelling`` (``\\exp``, ``\\log``, ``e^``: a key of
    :data:`derive.latex.constructs.ELEMENTWISE`) of a scalar, or entry by entry of a vector
    (a column or a row, symbolic or literal). Of a matrix it is a MathIssue: ``\\exp(A)``
    may be the matrix exponential, so the step stays unknown.

    >>> import sympy as sp
    >>> n, p = sp.Symbol("n", positive=True, integer=True), fresh_index("p")
    >>> v = apply_scalar(Value(sp.IndexedBase("x")[p], rows=Axis(p, n)), "\\\\exp")
    >>> v.expr.func, v.rows.size
    (exp, n)
    """
    fn = _FUNCS[ELEMENTWISE[spelling]]
    shown = "e^{...}" if spelling == "e^" else spelling
    if a.concrete is not None:
        if 1 not in a.concrete.shape:
            raise MathIssue(f"{shown} of a {a.shape_text()}: entry by entry or the matrix "
                            "function? (read only for a scalar or a vector)")
        return _concrete(a.concrete.applyfunc(fn))
    if a.rows is not None and a.cols is not None:
        raise MathIssue(f"{shown} of a {a.shape_text()}: entry by entry or the matrix "
                        "function? (read only for a scalar or a vector)")
    if a.is_scalar and ELEMENTWISE[spelling] == "log":
        guards.note("log", a.expr)  # e^{\log a} is a: \log a is kept beside it
    return replace(a, expr=fn(a.expr))


def free_with_derivatives(expr: sp.Expr) -> set[sp.Symbol]:
    """Free symbols of ``expr``, counting the indices of what a derivative is taken by:
    in ``∂L/∂θ_{dk}`` the indices d and k are free (SymPy's ``free_symbols`` leaves them
    out, as if the variable were bound), so the step reads entry (d, k) like ``x_d s_k``."""
    out = set(expr.free_symbols)
    for der in expr.atoms(sp.Derivative):
        for var in der.variables:
            out |= var.free_symbols
    return out


def lift_indexed(a: Value, b: Value, ranges: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]],
                 order: tuple[sp.Symbol, ...] = ()) -> tuple[Value, Value]:
    """A step between an indexed scalar and a vector or matrix (``x_d (s_k - y_k) = x (s -
    y)^\top``) says the scalar is the generic entry, read as ``a_{dk}`` is read: the free
    indices of the scalar in the order written (``order``, the scalar side's index symbols
    by position) are the row, then the column, and each must run over its axis's size (d over
    lo..hi is entry d - lo + 1). Anything else (a free index not in ``order``, one too many
    or too few, a size that does not fit, an index free on both sides) returns the values
    unchanged: the step stays a shape mismatch, never a guess.

    >>> D = sp.Symbol("D", integer=True, positive=True)
    >>> d, p = sp.Symbol("d", integer=True), fresh_index("p")
    >>> x = sp.IndexedBase("x")
    >>> a, b = lift_indexed(scalar(x[d]), Value(x[p], rows=Axis(p, D)), {d: (1, D)}, (d,))
    >>> a.rows == b.rows and a.expr == b.expr
    True
    """
    if a.is_scalar == b.is_scalar or a.concrete is not None or b.concrete is not None:
        return a, b
    flip = not a.is_scalar
    s, m = (b, a) if flip else (a, b)
    free = {sym for sym in free_with_derivatives(s.expr) if sym in ranges}
    written = [sym for sym in dict.fromkeys(order) if sym in free]
    axes = [ax for ax in (m.rows, m.cols) if ax is not None]
    # an index free on both sides is a parameter of the step, never an axis
    if len(written) != len(free) or len(written) != len(axes) or free & m.expr.free_symbols:
        return a, b
    sub: dict[sp.Symbol, sp.Expr] = {}
    for sym, ax in zip(written, axes, strict=True):
        lo, hi = ranges[sym]
        if not _same_size(hi - lo + 1, ax.size):
            return a, b
        sub[sym] = ax.sym + lo - 1
    lifted = Value(s.expr.xreplace(sub), m.rows, m.cols)
    return (m, lifted) if flip else (lifted, m)


def entries_equal_shape(a: Value, b: Value) -> tuple[Value, Value]:
    """Rename ``b``'s axes to ``a``'s so that their entry expressions can be compared."""
    _check_same_shape(a, b, "a step equates")
    return a, rename(b, a.rows, a.cols)
