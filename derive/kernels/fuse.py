"""Print the data terms of a proven form as one fused, in-place pass over a row block.

A proven form ``c·T(X, Y) + R`` whose data term ``T`` contracts the N rows once
(:func:`derive.kernels.generate.split_rows`) is a sum over row blocks: ``T = Σ_b T(X_b,
Y_b)`` (the blocking identity, proved by :mod:`derive.kernels.blocking`). This module
prints the block terms of one call variant as a single function

``def _block_NAME(ws, acc, X, t, W): ...``

that reads the block ``X`` once into its products, computes every row-wise value
(logits, a stable softmax in place, the residual ``S − Y``) in buffers taken from the
worker's workspace ``ws`` (preallocated once per worker, reused by every block, in the
dtype of ``X``), and adds each term into the worker's accumulator ``acc[p]``. A value's
buffer is overwritten by the operation that reads it last (the printer counts the uses of
every node of the forms), so a block needs a handful of block-rows×K buffers, whatever N.

The printed statements are a transcription of the forms' nodes, one helper of
:mod:`derive.kernels.runtime` per node; nothing here knows a family.

>>> import sympy as sp
>>> from derive.kernels.matrix import LogSoftmax, OneHot
>>> N, D, K = sp.symbols("N D K", integer=True, positive=True)
>>> X, W = sp.MatrixSymbol("X", N, D), sp.MatrixSymbol("W", D, K)
>>> t = sp.Symbol("t")
>>> src, transposed = block_source("_b", ["X", "t", "W"],
...     [sp.Trace(LogSoftmax(X * W) * OneHot(t, N, K).T)])
>>> print(src)
def _b(ws, acc, X, t, W):
    x0 = _mm_into(X, W, ws.get(0, X.shape[0], W.shape[1]))
    x0 = _log_softmax_(x0, ws, 1)
    _acc_add(acc, 0, _pick_sum(x0, t))
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from derive.kernels.matrix import (
    ElemExp,
    LogOneMinusSigmoid,
    LogSigmoid,
    LogSoftmax,
    OneHot,
    Sigmoid,
    Softmax,
)

__all__ = ["block_source"]

# Row-wise nodes printed by an in-place helper of the runtime: ``helper(a, ws)`` overwrites
# ``a`` (a buffer of this block) with the node's value.
_IN_PLACE = {Softmax: "_softmax_", LogSoftmax: "_log_softmax_", Sigmoid: "_sigmoid_",
             LogSigmoid: "_log_sigmoid_", LogOneMinusSigmoid: "_log1m_sigmoid_"}


@dataclass
class _Val:
    """A printed value: its name or expression, whether it is a buffer of this block that
    an operation may overwrite, and its symbolic shape."""

    code: str
    owned: bool
    shape: tuple


def _children(e: sp.Basic) -> tuple:
    if isinstance(e, sp.MatrixSymbol | sp.Symbol | OneHot | sp.OneMatrix) or e.is_number:
        return ()
    if isinstance(e, sp.Trace):
        return (e.arg,)
    if isinstance(e, sp.MatMul | sp.MatAdd | sp.HadamardProduct):
        return tuple(a for a in e.args if isinstance(a, MatrixExpr))
    if isinstance(e, sp.HadamardPower):
        return (e.base,)
    return tuple(a for a in e.args if isinstance(a, MatrixExpr))


def _negated(e: sp.Expr) -> sp.Expr | None:
    """``A`` when ``e`` is ``−A`` (a MatMul with coefficient −1), else None."""
    if isinstance(e, sp.MatMul):
        coeff, mats = e.as_coeff_matrices()
        if coeff == -1:
            return mats[0] if len(mats) == 1 else sp.MatMul(*mats)
    return None


class _Printer:
    def __init__(self, args: list[str]) -> None:
        self.args = set(args)
        self.lines: list[str] = []
        self.memo: dict[sp.Basic, _Val] = {}
        self.left: Counter = Counter()  # uses not yet printed, per node
        self.slots = 0
        self.names = 0
        self.transposed: list[int] = []
        self.kept: dict[sp.Basic, int] = {}  # LogSoftmax node -> its workspace key

    # ------------------------------------------------------------------ uses
    def count(self, e: sp.Basic, seen: set) -> None:
        """Each node once; each of its children gets one use per distinct parent."""
        if e in seen:
            return
        seen.add(e)
        for c in self._operands(e):
            self.left[c] += 1
            self.count(c, seen)

    def _operands(self, e: sp.Basic) -> tuple:
        """The nodes whose values an operation on ``e`` reads (what :meth:`value` prints)."""
        if isinstance(e, sp.MatAdd):
            return tuple(_negated(t) if _negated(t) is not None else t for t in e.args
                         if not isinstance(_negated(t) if _negated(t) is not None else t,
                                           OneHot))
        if isinstance(e, sp.MatMul):
            coeff, mats = e.as_coeff_matrices()
            if coeff != 1 and len(mats) == 1:
                return (mats[0],)
            if len(mats) == 2 and isinstance(mats[0], sp.OneMatrix):
                return (mats[1],)
            if len(mats) == 2 and isinstance(mats[1], sp.OneMatrix):
                return (mats[0],)
            if len(mats) == 2 and isinstance(mats[0], sp.Transpose):
                return (mats[0].arg, mats[1])
            return tuple(mats)
        if isinstance(e, sp.Trace):
            a, b = self._trace_pair(e)
            return tuple(m for m in (a, b) if not isinstance(m, OneHot))
        if isinstance(e, sp.Transpose):
            return ()
        return _children(e)

    @staticmethod
    def _trace_pair(e: sp.Trace) -> tuple:
        """``(A, B)`` with ``trace(e.arg) = Σ A∘B`` (``trace(A·Bᵀ)`` or ``trace(Aᵀ·B)``)."""
        coeff, mats = e.arg.as_coeff_matrices()
        if coeff != 1 or len(mats) != 2:
            raise ValueError(f"cannot print {e}: expected trace(A·Bᵀ)")
        a, b = mats
        if isinstance(b, sp.Transpose):
            return a, b.arg
        if isinstance(a, sp.Transpose):
            return a.arg, b
        raise ValueError(f"cannot print {e}: expected trace(A·Bᵀ)")

    # ---------------------------------------------------------------- values
    def _use(self, e: sp.Basic) -> tuple[_Val, bool]:
        """The value of ``e`` and whether this was its last use."""
        val = self.value(e)
        self.left[e] -= 1
        return val, self.left[e] <= 0

    def _new(self, rows: str, cols: str) -> str:
        return f"ws.get({self.slots_next()}, {rows}, {cols})"

    def _name(self) -> str:
        name = f"x{self.names}"
        self.names += 1
        return name

    def _emit(self, e: sp.Basic, code: str, owned: bool = True, name: str | None = None) -> _Val:
        name = name or self._name()
        self.lines.append(f"{name} = {code}")
        val = _Val(name, owned, tuple(e.shape))
        self.memo[e] = val
        return val

    def _target(self, e: sp.Basic, val: _Val, dead: bool, like: str) -> tuple[str, str | None]:
        """Where an element-wise result goes: the operand's own buffer when it is dead and
        of the same shape (then the name is kept), else a new buffer shaped like ``like``."""
        if dead and val.owned and val.shape == tuple(e.shape):
            return val.code, val.code
        return f"ws.like({self.slots_next()}, {like})", None

    def slots_next(self) -> int:
        slot = self.slots
        self.slots += 1
        return slot

    def value(self, e: sp.Basic) -> _Val:
        if e in self.memo:
            return self.memo[e]
        if isinstance(e, sp.MatrixSymbol):
            if str(e) not in self.args:
                raise ValueError(f"{e} is not an argument of the block")
            val = _Val(str(e), False, tuple(e.shape))
            self.memo[e] = val
            return val
        if isinstance(e, sp.Transpose) and isinstance(e.arg, sp.MatrixSymbol):
            val = _Val(f"{e.arg}.T", False, tuple(e.shape))
            self.memo[e] = val
            return val
        if isinstance(e, sp.MatMul):
            return self._matmul(e)
        if isinstance(e, sp.MatAdd):
            return self._sum(e)
        if isinstance(e, sp.HadamardProduct):
            return self._elementwise(e, "multiply", list(e.args))
        if isinstance(e, sp.HadamardPower):
            base, dead = self._use(e.base)
            out, name = self._target(e, base, dead, base.code)
            code = (f"numpy.square({base.code}, out={out})" if e.exp == 2
                    else f"numpy.power({base.code}, {e.exp}, out={out})")
            return self._emit(e, code, name=name)
        if type(e) in _IN_PLACE:
            arg, dead = self._use(e.arg)
            helper = _IN_PLACE[type(e)]
            extra = ""
            if isinstance(e, LogSoftmax):  # its exponentials and row sums are kept
                self.kept[e] = self.slots_next()
                extra = f", {self.kept[e]}"
            if dead and arg.owned and arg.shape == tuple(e.shape):
                return self._emit(e, f"{helper}({arg.code}, ws{extra})", name=arg.code)
            copy = self._name()
            self.lines.append(f"{copy} = _copy({arg.code}, ws.like({self.slots_next()},"
                              f" {arg.code}))")
            return self._emit(e, f"{helper}({copy}, ws{extra})", name=copy)
        if isinstance(e, ElemExp) and isinstance(e.arg, LogSoftmax):
            # exp(log_softmax(A)) = exp(A − m − log s) = exp(A − m)/s: the quotient of the
            # exponentials and row sums the log-softmax helper kept in the workspace (one
            # division instead of a second pass of exp, the costliest float64 ufunc here).
            arg, dead = self._use(e.arg)
            out, name = self._target(e, arg, dead, arg.code)
            return self._emit(e, f"_softmax_kept({out}, ws, {self.kept[e.arg]})", name=name)
        if isinstance(e, ElemExp):
            arg, dead = self._use(e.arg)
            out, name = self._target(e, arg, dead, arg.code)
            return self._emit(e, f"numpy.exp({arg.code}, out={out})", name=name)
        raise ValueError(f"no fused printing for {type(e).__name__}: {e}")

    def _matmul(self, e: sp.MatMul) -> _Val:
        coeff, mats = e.as_coeff_matrices()
        if coeff != 1:
            if len(mats) != 1:
                raise ValueError(f"cannot print {e}: a coefficient on a product")
            inner, dead = self._use(mats[0])
            out, name = self._target(e, inner, dead, inner.code)
            factor = "numpy.negative(" if coeff == -1 else f"numpy.multiply({coeff}, "
            return self._emit(e, f"{factor}{inner.code}, out={out})", name=name)
        if len(mats) == 2 and isinstance(mats[0], sp.OneMatrix) and mats[0].shape[1] == 1:
            row, _ = self._use(mats[1])  # 1·bᵀ: the same row everywhere, by broadcasting
            val = _Val(row.code, False, tuple(e.shape))
            self.memo[e] = val
            return val
        if (len(mats) == 2 and isinstance(mats[1], sp.OneMatrix)
                and mats[1].shape[0] == mats[1].shape[1]):
            arg, _ = self._use(mats[0])  # A·1_{K×K}: each row's sum along the row
            return self._emit(e, f"_rowsum_bcast({arg.code})", owned=False)
        if len(mats) != 2 or any(isinstance(m, sp.OneMatrix | sp.Transpose) for m in mats):
            raise ValueError(f"cannot print {e} in a row block")
        a, _ = self._use(mats[0])
        b, _ = self._use(mats[1])
        out = self._new(f"{a.code}.shape[0]", f"{b.code}.shape[1]")
        return self._emit(e, f"_mm_into({a.code}, {b.code}, {out})")

    def _sum(self, e: sp.MatAdd) -> _Val:
        onehot = None
        terms: list[tuple[bool, sp.Expr]] = []
        for t in e.args:
            neg = _negated(t)
            core, minus = (neg, True) if neg is not None else (t, False)
            if isinstance(core, OneHot):
                if not minus or onehot is not None:
                    raise ValueError(f"cannot print {e}: expected A − onehot(t)")
                onehot = core
                continue
            terms.append((minus, core))
        if not terms:
            raise ValueError(f"cannot print {e}: nothing but a one-hot matrix")
        # Start from a positive term of the full shape (its buffer may be reused).
        full = [p for p, (minus, c) in enumerate(terms)
                if not minus and tuple(c.shape) == tuple(e.shape)]
        if full:
            terms.insert(0, terms.pop(full[0]))
        vals = [(minus, *self._use(core)) for minus, core in terms]
        minus0, first, dead0 = vals[0]
        if len(vals) == 1:
            if minus0:
                out, name = self._target(e, first, dead0, first.code)
                acc = self._emit(e, f"numpy.negative({first.code}, out={out})", name=name)
            elif first.owned and dead0:
                acc = first
            else:
                acc = self._emit(e, f"_copy({first.code}, ws.like({self.slots_next()},"
                                    f" {first.code}))")
        else:
            minus1, second, dead1 = vals[1]
            like = first.code if tuple(terms[0][1].shape) == tuple(e.shape) else second.code
            out, name = self._target(e, first, dead0, like)
            if name is None and len(vals) == 2:  # the second operand's buffer, if dead
                out, name = self._target(e, second, dead1, like)
            if minus0:
                code = f"numpy.subtract(numpy.negative({first.code}), {second.code}, out={out})" \
                    if minus1 else f"numpy.subtract({second.code}, {first.code}, out={out})"
            else:
                op = "subtract" if minus1 else "add"
                code = f"numpy.{op}({first.code}, {second.code}, out={out})"
            acc = self._emit(e, code, name=name)
            for minus, val, _ in vals[2:]:
                op = "subtract" if minus else "add"
                self.lines.append(f"numpy.{op}({acc.code}, {val.code}, out={acc.code})")
        if onehot is not None:
            self.lines.append(f"_sub_onehot({acc.code}, {onehot.labels})")
        val = _Val(acc.code, True, tuple(e.shape))
        self.memo[e] = val
        return val

    def _elementwise(self, e: sp.Basic, ufunc: str, args: list) -> _Val:
        vals = [self._use(a) for a in args]
        shape = tuple(e.shape)
        # The result goes into a dead buffer of the same shape among the operands (the
        # ufunc reads and writes entry by entry), else into a new one.
        reuse = [p for p, (v, dead) in enumerate(vals) if dead and v.owned and v.shape == shape]
        if reuse:
            vals.insert(0, vals.pop(reuse[0]))
        else:
            full = [p for p, (v, _) in enumerate(vals) if v.shape == shape]
            if full:
                vals.insert(0, vals.pop(full[0]))
        (first, dead0), (second, _) = vals[0], vals[1]
        like = first.code if first.shape == shape else second.code
        out, name = self._target(e, first, dead0, like)
        acc = self._emit(e, f"numpy.{ufunc}({first.code}, {second.code}, out={out})", name=name)
        for val, _ in vals[2:]:
            self.lines.append(f"numpy.{ufunc}({acc.code}, {val.code}, out={acc.code})")
        return acc

    # ----------------------------------------------------------------- terms
    def term(self, p: int, body: sp.Expr) -> None:
        """Add block term ``p`` (a contraction over the block's rows) into ``acc[p]``."""
        if isinstance(body, sp.Trace):
            a, b = self._trace_pair(body)
            if isinstance(a, OneHot) or isinstance(b, OneHot):
                hot, other = (a, b) if isinstance(a, OneHot) else (b, a)
                val, _ = self._use(other)
                self.lines.append(f"_acc_add(acc, {p}, _pick_sum({val.code}, {hot.labels}))")
                return
            va, _ = self._use(a)
            vb, _ = self._use(b)
            self.lines.append(f"_acc_add(acc, {p}, _trace_ab({va.code}, {vb.code}))")
            return
        coeff, mats = body.as_coeff_matrices()
        if coeff == 1 and _all_entries(mats):  # 1ᵀ·F·1: the sum of every entry of F
            val, _ = self._use(mats[1])
            self.lines.append(f"_acc_add(acc, {p}, numpy.sum({val.code}, keepdims=True))")
            return
        if coeff != 1 or len(mats) != 2:
            raise ValueError(f"cannot print the block term {body}")
        left, right = mats
        if isinstance(left, sp.OneMatrix) and left.shape[0] == 1:
            val, _ = self._use(right)
            self.lines.append(f"_acc_colsum(acc, {p}, {val.code})")
            return
        if isinstance(left, sp.Transpose):
            a, _ = self._use(left.arg)
            m, _ = self._use(right)
            slot = self.slots_next()
            # Stored transposed (Mᵀ·A, K×D): the driver turns it back before finishing.
            self.lines.append(
                f"_acc_tmm(acc, {p}, {a.code}, {m.code}, ws.get({slot}, {m.code}.shape[1],"
                f" {a.code}.shape[1]))"
            )
            self.transposed.append(p)
            return
        raise ValueError(f"cannot print the block term {body}")

    def term_operands(self, body: sp.Expr) -> tuple:
        if isinstance(body, sp.Trace):
            a, b = self._trace_pair(body)
            return tuple(m for m in (a, b) if not isinstance(m, OneHot))
        _, mats = body.as_coeff_matrices()
        if _all_entries(mats):
            return (mats[1],)
        left, right = mats
        if isinstance(left, sp.OneMatrix):
            return (right,)
        return (left.arg, right)


def _all_entries(mats: tuple) -> bool:
    """``1ᵀ·F·1`` (a row of ones, F, a column of ones): the sum of every entry of F."""
    return (len(mats) == 3 and isinstance(mats[0], sp.OneMatrix) and mats[0].shape[0] == 1
            and isinstance(mats[2], sp.OneMatrix) and mats[2].shape[1] == 1)


def block_source(name: str, args: list[str], bodies: list[sp.Expr]) -> tuple[str, list[int]]:
    """The fused block function ``name(ws, acc, *args)`` adding each body (a block term:
    ``Aᵀ·F``, ``1ᵀ·F``, ``1ᵀ·F·1`` or ``trace(F·Bᵀ)``) into ``acc``; and the accumulator positions
    stored transposed (``Fᵀ·A``, to be transposed back after the last block)."""
    pr = _Printer(args)
    seen: set = set()
    for body in bodies:
        for c in pr.term_operands(body):
            pr.left[c] += 1
            pr.count(c, seen)
    for p, body in enumerate(bodies):
        pr.term(p, body)
    lines = [f"def {name}(ws, acc, {', '.join(args)}):"] + [f"    {ln}" for ln in pr.lines]
    return "\n".join(lines), pr.transposed
