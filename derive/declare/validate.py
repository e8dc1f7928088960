"""Input checks for the kernel API: every bad input becomes one :class:`DeriveError`
whose message names the input and what was expected.

>>> import numpy as np
>>> float_matrix("X", np.ones((2, 3), dtype=np.float32)).dtype
dtype('float32')
"""

from __future__ import annotations

import numbers

import numpy as np

from derive.errors import DeriveError

__all__ = [
    "binary_labels",
    "classes",
    "finite_after",
    "float_matrix",
    "labels",
    "model_parameters",
    "regularisation",
    "require_finite",
    "same_dtype",
    "scalar",
    "shape_is",
    "vector",
]

FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _array(name: str, value: object) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        raise DeriveError(f"{name} is a {type(value).__name__}: expected a numpy.ndarray")
    return value


def float_matrix(name: str, value: object, ndim: int = 2, *, finite: bool = True) -> np.ndarray:
    """A non-empty float32/float64 array with ``ndim`` dimensions, finite unless
    ``finite=False`` (the caller then checks with :func:`finite_after`)."""
    arr = _array(name, value)
    if arr.dtype not in FLOATS:
        raise DeriveError(f"{name} has dtype {arr.dtype}: expected float32 or float64")
    if arr.ndim != ndim:
        raise DeriveError(f"{name} has shape {arr.shape}: expected {ndim} dimensions")
    if arr.size == 0:
        raise DeriveError(f"{name} is empty (shape {arr.shape}): expected at least one entry")
    if finite:
        require_finite(name, arr)
    return arr


def require_finite(name: str, arr: np.ndarray) -> None:
    if not np.isfinite(arr).all():
        bad = "NaN" if np.isnan(arr).any() else "inf"
        raise DeriveError(f"{name} contains {bad}: expected finite values")


def finite_after(outputs: tuple, name: str, arr: np.ndarray, logits: str = "X·W") -> tuple:
    """Outputs, once known finite. Scanning a large X costs as much as reading it for
    the kernel, so X is checked only when an output is not finite: a NaN or inf in X
    always reaches the ``logits`` (the weights are checked and finite)."""
    if all(np.isfinite(o).all() for o in outputs):
        return outputs
    require_finite(name, arr)
    raise DeriveError(
        f"the logits {logits} overflow {arr.dtype}: expected |{logits}| within the float range"
    )


def same_dtype(name: str, arr: np.ndarray, ref_name: str, ref: np.ndarray) -> None:
    # Mixed precision would silently upcast float32 work to float64.
    if arr.dtype != ref.dtype:
        raise DeriveError(
            f"{name} has dtype {arr.dtype} but {ref_name} has {ref.dtype}: expected the same dtype"
        )


def shape_is(name: str, arr: np.ndarray, expected: tuple[int, ...], why: str) -> None:
    if arr.shape != expected:
        raise DeriveError(f"{name} has shape {arr.shape}: expected {expected} ({why})")


def classes(name: str, k: int) -> None:
    # With one class the softmax is identically 1: loss 0, gradient 0, nothing to learn;
    # in practice a K=1 weight matrix is a shape mistake.
    if k < 2:
        raise DeriveError(f"{name} has K={k} class column: expected K >= 2 classes")


def labels(value: object, n: int, k: int, dtype: np.dtype) -> np.ndarray:
    """Integer labels 0..K-1 of shape (N,), or label rows of shape (N, K) summing to 1."""
    arr = _array("y", value)
    if arr.ndim == 1:
        if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
            raise DeriveError(
                f"y has dtype {arr.dtype}: expected integer class labels 0..{k - 1}"
            )
        if arr.shape != (n,):
            raise DeriveError(f"y has shape {arr.shape}: expected ({n},), one label per row of X")
        if arr.size and (arr.min() < 0 or arr.max() >= k):
            bad = arr.min() if arr.min() < 0 else arr.max()
            raise DeriveError(f"y contains label {bad}: expected labels in 0..{k - 1} (K={k})")
        return arr
    if arr.ndim == 2:
        if arr.shape != (n, k):
            raise DeriveError(f"y has shape {arr.shape}: expected ({n}, {k}) label rows or ({n},)")
        if arr.dtype != dtype:
            raise DeriveError(
                f"y has dtype {arr.dtype}: expected {dtype} like X, or integer labels"
            )
        if not np.isfinite(arr).all() or (arr < 0).any():
            raise DeriveError("y contains negative or non-finite entries: expected label rows >= 0")
        # The proofs assume Σ_k Y_nk = 1; the gradient is wrong without it.
        sums = arr.sum(axis=1)
        tol = 1e-6 if dtype == np.float64 else 1e-3
        worst = int(np.argmax(np.abs(sums - 1)))
        if abs(sums[worst] - 1) > tol:
            raise DeriveError(
                f"y row {worst} sums to {sums[worst]:.6g}: expected label rows summing to 1"
            )
        return arr
    raise DeriveError(f"y has shape {arr.shape}: expected ({n},) labels or ({n}, {k}) rows")


def regularisation(lam: object) -> float:
    if isinstance(lam, bool) or not isinstance(lam, numbers.Real):
        raise DeriveError(f"lam is a {type(lam).__name__}: expected a real number >= 0")
    val = float(lam)
    if not np.isfinite(val) or val < 0:
        raise DeriveError(f"lam is {val}: expected a finite real number >= 0")
    return val


def model_parameters(W: np.ndarray, d: int, dtype: np.dtype, lam: object, reduction: str,
                     b: object) -> tuple[int, float, np.ndarray | None]:
    """Check ``W`` (D×K, K ≥ 2, X's dtype), ``lam``, ``reduction`` and ``b`` for a loss over
    rows with ``d`` features of dtype ``dtype``; returns ``(K, lam, b)``. Shared by the
    in-memory and the Dask paths so both refuse the same inputs with the same words."""
    if W.dtype != dtype:
        raise DeriveError(f"W has dtype {W.dtype} but X has {dtype}: expected the same dtype")
    shape_is("W", W, (d, W.shape[1]), f"D×K with D={d} columns of X")
    classes("W", W.shape[1])
    k = W.shape[1]
    lam = regularisation(lam)
    if reduction not in ("mean", "sum"):
        raise DeriveError(f"reduction={reduction!r}: expected 'mean' or 'sum'")
    if b is not None:
        b = float_matrix("b", b, ndim=1)
        if b.dtype != dtype:
            raise DeriveError(f"b has dtype {b.dtype} but X has {dtype}: expected the same dtype")
        shape_is("b", b, (k,), f"one bias per class, K={k}")
    return k, lam, b


def vector(name: str, value: object, d: int, dtype: np.dtype) -> np.ndarray:
    """A float vector of ``d`` entries in ``dtype`` (the weights ``w``, a direction ``v``)."""
    arr = float_matrix(name, value, ndim=1)
    same_dtype(name, arr, "X", np.empty(0, dtype))
    shape_is(name, arr, (d,), f"one entry per column of X, D={d}")
    return arr


def binary_labels(value: object, n: int, dtype: np.dtype) -> np.ndarray:
    """Labels in {0, 1} (integers or booleans) or probabilities in [0, 1], shape (N,)."""
    if not isinstance(value, np.ndarray):
        raise DeriveError(f"y is a {type(value).__name__}: expected a numpy.ndarray")
    if value.shape != (n,):
        raise DeriveError(f"y has shape {value.shape}: expected ({n},), one label per row of X")
    if value.dtype == np.bool_ or np.issubdtype(value.dtype, np.integer):
        bad = value[(value != 0) & (value != 1)]
        if bad.size:
            raise DeriveError(f"y contains label {bad[0]}: expected labels 0 or 1")
        return value.astype(dtype)
    if not np.issubdtype(value.dtype, np.floating):
        raise DeriveError(
            f"y has dtype {value.dtype}: expected labels 0/1 or probabilities in [0, 1]")
    if not np.isfinite(value).all():
        raise DeriveError("y contains NaN or inf: expected probabilities in [0, 1]")
    if ((value < 0) | (value > 1)).any():
        bad = value[(value < 0) | (value > 1)][0]
        raise DeriveError(f"y contains {bad:.6g}: expected probabilities in [0, 1]")
    return value.astype(dtype, copy=False)


def scalar(value: object, dtype: np.dtype):
    """A finite real bias ``b`` (or ``None``) as a scalar of ``dtype``."""
    if value is None:
        return None
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise DeriveError(f"b is a {type(value).__name__}: expected a real number or None")
    if not np.isfinite(float(value)):
        raise DeriveError(f"b is {float(value)}: expected a finite real number")
    return dtype.type(value)
