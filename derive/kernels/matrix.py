"""NumPy printing of the matrix vocabulary (:mod:`derive.declare.matrix`): ``@`` products,
numerically stable softmax, log-softmax, sigmoid and log-sigmoid helpers, labels as index
arithmetic, and no Python loops. The nodes are re-exported for the kernels layer.

>>> import sympy as sp
>>> K = sp.Symbol("K", integer=True, positive=True)
>>> KernelPrinter().doprint(Softmax(sp.MatrixSymbol("z", 1, K)))
'_softmax(z)'
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from derive.declare.matrix import (
    ElemExp,
    LogOneMinusSigmoid,
    LogSigmoid,
    LogSoftmax,
    OneHot,
    Sigmoid,
    Softmax,
    Vocabulary,
    _RowWise,
    entry,
)

__all__ = [
    "ElemExp",
    "KernelPrinter",
    "LogOneMinusSigmoid",
    "LogSigmoid",
    "LogSoftmax",
    "OneHot",
    "Sigmoid",
    "Softmax",
    "Vocabulary",
    "_RowWise",
    "entry",
]


class KernelPrinter(NumPyPrinter):
    """NumPy printing of matrix forms: ``@`` products, stable softmax helpers, labels.

    The helpers it names (``_softmax``, ``_log_softmax``, ``_sigmoid``, ``_softplus``,
    ``_sub_onehot``, ``_pick_sum``, ``_trace_ab``) live in :mod:`derive.kernels.runtime`. With
    ``batched=True`` a transpose swaps the last two axes, so a form written for
    one logit row also runs on a stack of rows.
    """

    def __init__(self, settings: dict | None = None, *, batched: bool = False) -> None:
        super().__init__(settings or {})
        self.batched = batched

    def _print_Softmax(self, e: Softmax) -> str:
        return f"_softmax({self._print(e.arg)})"

    def _print_LogSoftmax(self, e: LogSoftmax) -> str:
        return f"_log_softmax({self._print(e.arg)})"

    def _print_ElemExp(self, e: ElemExp) -> str:
        return f"numpy.exp({self._print(e.arg)})"

    def _print_Sigmoid(self, e: Sigmoid) -> str:
        return f"_sigmoid({self._print(e.arg)})"

    def _print_LogSigmoid(self, e: LogSigmoid) -> str:  # log σ(a) = −softplus(−a)
        return f"-_softplus(-({self._print(e.arg)}))"

    def _print_LogOneMinusSigmoid(self, e: LogOneMinusSigmoid) -> str:  # = −softplus(a)
        return f"-_softplus({self._print(e.arg)})"

    def _print_OneHot(self, e: OneHot) -> str:  # only reached if a pattern below missed
        raise ValueError("a one-hot matrix must appear as 'A - Y' or 'trace(Y.T*A)'")

    def _print_Transpose(self, e: sp.Transpose) -> str:
        inner = self._print(e.arg)
        return f"numpy.swapaxes({inner}, -1, -2)" if self.batched else f"({inner}).T"

    def _print_Trace(self, e: sp.Trace) -> str:
        arg = e.arg
        if isinstance(arg, sp.MatMul):
            coeff, mats = arg.as_coeff_matrices()
            if len(mats) == 2 and isinstance(mats[1], sp.Transpose):  # trace(A·Bᵀ) = trace(Bᵀ·A)
                mats = (mats[1], mats[0])
            if len(mats) == 2 and isinstance(mats[0], sp.Transpose):
                left, right = mats[0].arg, mats[1]
                lead = "" if coeff == 1 else f"{self._print(coeff)}*"
                if isinstance(left, OneHot):
                    return f"{lead}_pick_sum({self._print(right)}, {self._print(left.labels)})"
                return f"{lead}_trace_ab({self._print(left)}, {self._print(right)})"
        return f"numpy.trace({self._print(arg)})"

    def _print_DiagMatrix(self, e: sp.DiagMatrix) -> str:
        vec = e.args[0]
        col = self._print(vec if vec.shape[1] == 1 else vec.T)
        return f"_diag({col})"

    def _print_HadamardPower(self, e: sp.HadamardPower) -> str:
        return f"({self._print(e.base)})**{self._print(e.exp)}"

    def _print_HadamardProduct(self, e: sp.HadamardProduct) -> str:
        return "(" + " * ".join(self._print(a) for a in e.args) + ")"

    def _print_MatMul(self, e: sp.MatMul) -> str:
        coeff, mats = e.as_coeff_matrices()
        mats = list(mats)
        parts: list[str] = []
        # A row of ones on the left sums the columns: (1ᵀ·A)[c] = Σ_r A[r, c].
        if len(mats) >= 2 and isinstance(mats[0], sp.OneMatrix) and mats[0].shape[0] == 1:
            rest = sp.MatMul(*mats[1:]) if len(mats) > 2 else mats[1]
            body = f"({self._print(rest)}).sum(axis=-2, keepdims=True)"
        # A column of ones on the left broadcasts a row: (1·bᵀ)[r, c] = b[c].
        elif len(mats) == 2 and isinstance(mats[0], sp.OneMatrix) and mats[0].shape[1] == 1:
            body = self._print(mats[1])
        # A·1_{K×K} (SymPy's product 1_K·1_Kᵀ) repeats each row sum along the row.
        elif (
            len(mats) >= 2
            and isinstance(mats[-1], sp.OneMatrix)
            and mats[-1].shape[0] == mats[-1].shape[1]
        ):
            rest = sp.MatMul(*mats[:-1]) if len(mats) > 2 else mats[0]
            body = f"_rowsum_bcast({self._print(rest)})"
        # A column of ones on the right sums each row: (A·1)[r] = Σ_c A[r, c].
        elif len(mats) >= 2 and isinstance(mats[-1], sp.OneMatrix) and mats[-1].shape[1] == 1:
            rest = sp.MatMul(*mats[:-1]) if len(mats) > 2 else mats[0]
            body = f"({self._print(rest)}).sum(axis=-1, keepdims=True)"
        # Aᵀ·B (the data term's row contraction) through the helper that picks the
        # faster orientation of the same product.
        elif len(mats) == 2 and isinstance(mats[0], sp.Transpose) and not self.batched:
            body = f"_tmm({self._print(mats[0].arg)}, {self._print(mats[1])})"
        # A·B of two plain factors (the logits X·W): the helper picks the orientation.
        elif (len(mats) == 2 and not self.batched
              and not any(isinstance(m, sp.Transpose | sp.OneMatrix) for m in mats)):
            body = f"_mm({self._print(mats[0])}, {self._print(mats[1])})"
        else:
            parts = [self._print(m) for m in mats]
            body = " @ ".join(f"({p})" if " " in p and not p.endswith(")") else p for p in parts)
        if coeff == 1:
            return body
        if coeff == -1:
            return f"-({body})"
        return f"{self._print(coeff)}*({body})"

    def _print_MatAdd(self, e: sp.MatAdd) -> str:
        terms = list(e.args)
        onehot = [t for t in terms if _negated_onehot(t) is not None]
        rest = [t for t in terms if _negated_onehot(t) is None]
        if len(onehot) > 1:
            raise ValueError("at most one one-hot term per sum")
        body = " + ".join(self._print(t) for t in rest)
        if onehot:
            labels = _negated_onehot(onehot[0])
            inner = body if len(rest) == 1 else f"({body})"
            if inner.isidentifier():  # a shared subexpression: subtract from a copy
                inner = f"{inner}.copy()"
            return f"_sub_onehot({inner}, {self._print(labels)})"
        return f"({body})"


def _negated_onehot(term: sp.Expr) -> sp.Symbol | None:
    if isinstance(term, sp.MatMul):
        coeff, mats = term.as_coeff_matrices()
        if coeff == -1 and len(mats) == 1 and isinstance(mats[0], OneHot):
            return mats[0].labels
    return None
