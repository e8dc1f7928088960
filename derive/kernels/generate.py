"""From matrix forms to NumPy source: split the data term, lambdify, assemble a module.

A form ``c·T(X, Y) + R`` whose data term ``T`` contracts the N rows once
(``Xᵀ·F(X, Y)`` or ``trace(Yᵀ·F(X))`` with ``F`` row-wise) is a sum over row blocks.
:func:`split_rows` checks that structure, then ``lambdify`` prints the block term
(``_block_*``) and the finishing map ``acc ↦ c·acc + R`` (``_finish_*``) separately;
the driver in :mod:`derive.kernels.runtime` sums the blocks. The per-entry ``Sum``
form is never printed: only matrix forms are.

>>> src = module_source()
>>> "def loss_and_grad(" in src and "import derive" not in src and "sympy" not in src
True
"""

from __future__ import annotations

import functools
import inspect
import re
import types
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from derive.kernels import cache, runtime
from derive.kernels.links import LINKS, variant_links
from derive.kernels.matrix import (
    ElemExp,
    KernelPrinter,
    LogSoftmax,
    OneHot,
    Softmax,
    Vm,
    Wm,
    Xm,
    Ym,
    bm,
    zm,
)
from derive.models.softmax import D, K, N, lam

__all__ = ["GeneratedSource", "build_module", "module_source", "split_rows"]

ROW_SYMBOLS = (Xm, Ym)
LABELS = sp.Symbol("t")
LAM = sp.Symbol("lam")
_ROW_WISE_NODES = (Softmax, LogSoftmax, ElemExp)


def _row_wise(e: sp.Expr) -> bool:
    """Row r of ``e`` depends on row r of X and Y only (and on W, b, V freely)."""
    if not e.has(*ROW_SYMBOLS):
        return e.shape[0] != N if isinstance(e, MatrixExpr) else True
    if e in ROW_SYMBOLS or isinstance(e, OneHot):
        return True
    if isinstance(e, _ROW_WISE_NODES):
        return _row_wise(e.arg)
    if isinstance(e, sp.MatAdd | sp.HadamardProduct):
        return all(_row_wise(a) or _broadcast_row(a) for a in e.args)
    if isinstance(e, sp.MatMul):
        _, mats = e.as_coeff_matrices()
        return _row_wise(mats[0]) and not any(m.has(*ROW_SYMBOLS) for m in mats[1:])
    return False


def _broadcast_row(e: sp.Expr) -> bool:  # 1_N·bᵀ: the same row everywhere
    if isinstance(e, sp.MatMul):
        _, mats = e.as_coeff_matrices()
        return isinstance(mats[0], sp.OneMatrix) and not any(m.has(*ROW_SYMBOLS) for m in mats)
    return False


def split_rows(form: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """``(c, T, R)`` with ``form = c·T + R``, ``T`` a sum over the N rows, ``R`` row-free.

    >>> from derive.kernels.matrix import Softmax, Xm, Wm, Ym
    >>> from derive.models.softmax import N, lam
    >>> split_rows(Xm.T * (Softmax(Xm * Wm) - Ym) / N + 2 * lam * Wm)
    (1/N, X.T*(-Y + Softmax(X*W)), (2*lambda)*W)
    """
    terms = form.args if isinstance(form, sp.MatAdd | sp.Add) else (form,)
    data = [t for t in terms if t.has(*ROW_SYMBOLS)]
    rest = [t for t in terms if not t.has(*ROW_SYMBOLS)]
    if len(data) != 1:
        raise ValueError(f"expected one data term in {form}, found {len(data)}")
    term = data[0]
    if isinstance(term, MatrixExpr):
        coeff, mats = term.as_coeff_matrices()
        body, left, right = sp.MatMul(*mats), mats[0], sp.MatMul(*mats[1:])
    else:
        coeff, body = term.as_independent(*ROW_SYMBOLS, as_Add=False)
        if not isinstance(body, sp.Trace) or not isinstance(body.arg, sp.MatMul):
            raise ValueError(f"data term {term} is not a trace of a product")
        _, mats = body.arg.as_coeff_matrices()
        if len(mats) == 2 and isinstance(mats[1], sp.Transpose):  # trace(A·Bᵀ) = trace(Bᵀ·A)
            mats = (mats[1], mats[0])
        left, right = mats[0], sp.MatMul(*mats[1:])
    # The rows meet only in the contraction Aᵀ·B over N; both sides must be row-wise.
    ones = isinstance(left, sp.OneMatrix) and left.shape == (1, N)
    if not (ones or (isinstance(left, sp.Transpose) and left.arg.shape[0] == N)):
        raise ValueError(f"data term {term} does not contract the N rows first")
    if not ((ones or _row_wise(left.arg)) and _row_wise(right)):
        raise ValueError(f"data term {term} mixes rows: it is not a sum over row blocks")
    zero = sp.ZeroMatrix(*form.shape) if isinstance(form, MatrixExpr) else sp.Integer(0)
    return coeff, body, (sp.Add(*rest) if rest and not isinstance(form, MatrixExpr)
                         else sp.MatAdd(*rest) if rest else zero)


def _share_log_softmax(exprs: list[sp.Expr]) -> list[sp.Expr]:
    """Print Softmax(A) as exp(LogSoftmax(A)) when LogSoftmax(A) is needed anyway."""
    logs = {e.arg for x in exprs for e in sp.preorder_traversal(x) if isinstance(e, LogSoftmax)}
    return [
        x.replace(
            lambda e: isinstance(e, Softmax) and e.arg in logs,
            lambda e: ElemExp(LogSoftmax(e.arg)),
        )
        for x in exprs
    ]


def _cse(exprs: list) -> tuple[list, list]:
    """SymPy's cse, but a one-hot matrix stays inline: it is printed as a pattern
    (``A - Y`` or ``trace(Yᵀ·A)``), never as a value of its own."""
    reps, reduced = sp.cse(exprs)
    kept: list = []
    for sym, val in reps:
        if isinstance(val, OneHot) or (
            isinstance(val, sp.Transpose | sp.MatMul) and val.has(OneHot) and len(val.args) <= 2
            and all(isinstance(a, OneHot) or a.is_number for a in val.args)
        ):
            kept = [(s, v.xreplace({sym: val})) for s, v in kept]
            reps = [(s, v.xreplace({sym: val})) for s, v in reps]
            reduced = [x.xreplace({sym: val}) for x in reduced]
        else:
            kept.append((sym, val))
    # Later replacements were rewritten in ``reps``; take their final values.
    final = dict(reps)
    return [(s, final[s]) for s, _ in kept], reduced


def _lambdify_source(name: str, args: list, exprs: list, *, batched: bool = False) -> str:
    printer = KernelPrinter({"fully_qualified_modules": True}, batched=batched)
    # "lambda" is a Python keyword: lambdify would print it as a Dummy.
    exprs = [e.xreplace({lam: LAM}) for e in exprs]
    args = [LAM if a == lam else a for a in args]
    fn = sp.lambdify(args, exprs, modules="numpy", printer=printer, cse=_cse, dummify=False)
    src = inspect.getsource(fn)
    return src.replace("def _lambdifygenerated(", f"def {name}(", 1)


@dataclass(frozen=True)
class GeneratedSource:
    """The generated functions of one module, and the links they come from."""

    text: str
    link_names: tuple[str, ...]


def _loss_grad_variant(reduction: str, bias: bool, labels: bool) -> tuple[str, str]:
    tag = f"{reduction}{'_bias' if bias else ''}"
    links = variant_links(reduction, bias)
    parts = [split_rows(link.form) for link in links]
    acc_syms = [sp.Symbol("L"), sp.MatrixSymbol("G", D, K), sp.MatrixSymbol("g", K, 1)]
    bodies = [body for _, body, _ in parts]
    if labels:
        bodies = [b.xreplace({Ym: OneHot(LABELS, N, K)}) for b in bodies]
    bodies = _share_log_softmax(bodies)
    data_args = [Xm, LABELS if labels else Ym, Wm] + ([bm] if bias else [])
    suffix = f"{tag}_{'labels' if labels else 'dense'}"
    block = _lambdify_source(f"_block_{suffix}", data_args, bodies)
    finish_exprs = [c * a + r for (c, _, r), a in zip(parts, acc_syms, strict=False)]
    finish = _lambdify_source(
        f"_finish_{tag}", [*acc_syms[: len(parts)], Wm, lam, N], finish_exprs
    )
    return block, finish


def _hvp_source() -> tuple[str, str]:
    c, body, rest = split_rows(LINKS["hvp_mean"].form)
    block = _lambdify_source("_block_hvp", [Xm, Wm, Vm], [_share_log_softmax([body])[0]])
    acc = sp.MatrixSymbol("G", D, K)
    finish = _lambdify_source("_finish_hvp", [acc, Vm, lam, N], [c * acc + rest])
    return block, finish


def generated_functions() -> GeneratedSource:
    """Source of every generated function (block terms, finishing maps, Jacobian)."""
    chunks: list[str] = []
    finishes: dict[str, str] = {}
    for reduction in ("mean", "sum"):
        for bias in (False, True):
            for labels in (True, False):
                block, finish = _loss_grad_variant(reduction, bias, labels)
                chunks.append(block)
                finishes[finish.split("(", 1)[0]] = finish
    chunks.extend(finishes.values())
    chunks.extend(_hvp_source())
    chunks.append(
        _lambdify_source("_jacobian_rows", [zm], [LINKS["softmax_jacobian"].form], batched=True)
    )
    return GeneratedSource("\n\n".join(c.strip() for c in chunks), tuple(LINKS))


GLUE = '''
# --- Driver glue (hand-written template; the arithmetic is in the generated code) ---

# Bytes of X per block: 4 MiB sits in this L3 share and was fastest for both dtypes
# (2-core AMD EPYC, OpenBLAS; 1 to 16 MiB measured side by side, N=60000, D=784, K=10).
_BUDGET = {"float64": 4 << 20, "float32": 4 << 20}


def _sum_blocks(block, rows, shared, cols, dtype):
    step = block_rows_for(cols, dtype.itemsize, _BUDGET.get(dtype.name, 1 << 20))
    return reduce_rows(block, rows, shared, block_rows=step)


def loss_and_grad(X, y, W, *, lam=0.0, b=None, reduction="mean"):
    """Loss and gradient(s) of softmax regression (see the header for the claims).

    ``y`` holds integer labels 0..K-1 (shape N) or label rows summing to one (N×K).
    Returns ``(loss, grad_W)``, or ``(loss, grad_W, grad_b)`` when ``b`` is given.
    """
    labels = y.ndim == 1
    tag = reduction + ("_bias" if b is not None else "")
    block = globals()["_block_%s_%s" % (tag, "labels" if labels else "dense")]
    finish = globals()["_finish_" + tag]
    shared = (W,) if b is None else (W, b.reshape(-1, 1))
    acc = _sum_blocks(block, (X, y), shared, X.shape[1], X.dtype)
    out = finish(*acc, W, float(lam), X.shape[0])
    if b is not None:
        out[2] = out[2].reshape(b.shape)
    return tuple(out)


def softmax_jacobian(z):
    """``J[..., k, j] = ∂σ_k/∂z_j`` for logits ``z`` of shape (K,) or (N, K)."""
    return _jacobian_rows(z[..., None, :])[0]


def hvp(X, W, V, *, lam=0.0):
    """Hessian–vector product of the mean loss (+λ‖W‖²) at ``W`` along ``V`` (D×K)."""
    (acc,) = _sum_blocks(_block_hvp, (X,), (W, V), X.shape[1], X.dtype)
    return _finish_hvp(acc, V, float(lam), X.shape[0])[0]
'''


def _runtime_source() -> str:
    src = inspect.getsource(runtime)
    # Drop the module docstring (the emitted module has its own header).
    return re.sub(r'^""".*?"""\n', "", src, count=1, flags=re.S)


def module_source(header: str = '"""Generated softmax-regression kernels."""\n') -> str:
    """The whole self-contained module: header, runtime, generated functions, glue."""
    gen = generated_functions()
    return (
        header
        + _runtime_source()
        + "\n\n# --- Generated by lambdify from the proven matrix forms ---\n\n"
        + gen.text
        + "\n\n"
        + GLUE.lstrip("\n")
    )


@functools.cache
def build_module() -> types.ModuleType:
    """Execute :func:`module_source` as a module (what ``derive.kernels`` runs).

    The text is generated once per engine version and kept in the verdict cache
    (:mod:`derive.kernels.cache`, checked against its hash); otherwise generated here.
    """
    text = cache.load()["module"]
    code = None
    if text is not None:
        try:
            code = compile(text, "<derive generated kernels>", "exec")
        except (SyntaxError, ValueError):
            code = None
    if code is None:
        text = module_source()
        code = compile(text, "<derive generated kernels>", "exec")
        cache.store(module=text)
    mod = types.ModuleType("derive_generated_kernels")
    exec(code, mod.__dict__)  # our own generated source, never user text
    return mod
