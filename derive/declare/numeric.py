"""Independent numeric checks: reference, central differences, complex step (NumPy only;
the families' kernel checks and the kernels' table both use them).

Relative error is ``max|a − b| / max|b|``. Tolerances depend on the dtype: float32
has ~7 digits, so its bounds are looser. A failed check shows the analytic and the
numeric values side by side.

>>> import numpy as np
>>> rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 2e-9]))
1e-09
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "CS_STEP",
    "FD_STEP",
    "TOLERANCES",
    "assert_close",
    "central_difference",
    "complex_step",
    "directional",
    "directional_cs",
    "problem",
    "rel_error",
    "round_sig",
    "row",
    "tolerance",
]

# kind -> dtype name -> bound on the relative error.
TOLERANCES = {
    "reference": {"float64": 1e-12, "float32": 1e-5},
    "finite_difference": {"float64": 1e-6, "float32": 2e-2},
    "complex_step": {"float64": 1e-12, "float32": 1e-5},
}


def tolerance(kind: str, dtype: np.dtype | type) -> float:
    return TOLERANCES[kind][np.dtype(dtype).name]


def rel_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    a = np.asarray(analytic, dtype=np.float64)
    b = np.asarray(numeric, dtype=np.float64)
    scale = max(float(np.abs(b).max(initial=0.0)), np.finfo(np.float64).tiny)
    return round_sig(float(np.abs(a - b).max(initial=0.0)) / scale)


def round_sig(x: float, digits: int = 3) -> float:
    """``x`` to ``digits`` significant digits (tables stay byte-identical across runs)."""
    return float(f"{x:.{digits - 1}e}") if x else 0.0


def assert_close(analytic, numeric, tol: float, what: str) -> float:
    """Relative error, or AssertionError showing analytic and numeric side by side."""
    err = rel_error(analytic, numeric)
    if not err <= tol:  # also catches NaN
        a = np.asarray(analytic, dtype=np.float64).ravel()
        b = np.asarray(numeric, dtype=np.float64).ravel()
        worst = int(np.nanargmax(np.abs(a - b))) if a.size else 0
        with np.printoptions(precision=10, threshold=20, linewidth=100):
            raise AssertionError(
                f"{what}: relative error {err:.3g} > tolerance {tol:.3g}\n"
                f"    analytic: {a}\n"
                f"    numeric:  {b}\n"
                f"    worst entry {worst}: analytic {a[worst]!r} vs numeric {b[worst]!r}"
            )
    return err


def central_difference(f: Callable[[np.ndarray], float], x: np.ndarray, h: float) -> np.ndarray:
    """``(f(x + h e_i) − f(x − h e_i)) / 2h`` for every entry ``i`` of ``x``."""
    out = np.empty(x.shape, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[idx] = h
        out[idx] = (float(f(x + step)) - float(f(x - step))) / (2 * h)
    return out


def complex_step(f: Callable[[np.ndarray], complex], x: np.ndarray, h: float = 1e-30):
    """``Im f(x + i·h e_i) / h``: no subtraction, so no cancellation, for any small h."""
    ctype = np.complex64 if x.dtype == np.float32 else np.complex128
    out = np.empty(x.shape, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        z = x.astype(ctype)
        z[idx] += 1j * h
        out[idx] = float(np.imag(f(z))) / h
    return out


FD_STEP = {"float64": 1e-6, "float32": 1e-2}
CS_STEP = {"float64": 1e-30, "float32": 1e-20}


def problem(dtype: np.dtype | type, n: int = 7, d: int = 5, k: int = 4, seed: int = 0):
    """A small deterministic problem: ``X, y, W, b, V`` in ``dtype``."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    X = rng.standard_normal((n, d)).astype(dt)
    y = rng.integers(0, k, n)
    W = (0.5 * rng.standard_normal((d, k))).astype(dt)
    b = (0.5 * rng.standard_normal(k)).astype(dt)
    V = rng.standard_normal((d, k)).astype(dt)
    return X, y, W, b, V


def row(kernel: str, dt: np.dtype, ref: float, fd: float, cs: float) -> dict:
    """One row of the table: a kernel output's relative errors against the hand
    reference, central differences and the complex step, with their bounds."""
    tol = tolerance("reference", dt)
    ok = ref <= tol and fd <= tolerance("finite_difference", dt)
    ok = ok and cs <= tolerance("complex_step", dt)
    return {
        "kernel": kernel,
        "dtype": dt.name,
        "reference_error": ref,
        "fd_error": fd,
        "complex_step_error": cs,
        "tolerance": tol,  # for the NumPy reference and the complex step (same bound)
        "tolerance_fd": tolerance("finite_difference", dt),
        "ok": bool(ok),
    }


def directional(grad_at, h: float, dt: np.dtype) -> np.ndarray:
    """Central difference of a gradient along a direction: ``(g(+h) − g(−h)) / 2h``."""
    plus = grad_at(dt.type(h)).astype(np.float64)
    minus = grad_at(dt.type(-h)).astype(np.float64)
    return (plus - minus) / (2 * h)


def directional_cs(grad_at, h: float, dt: np.dtype) -> np.ndarray:
    """Complex step of a gradient along a direction: ``Im g(i·h) / h``."""
    ctype = np.complex64 if dt == np.float32 else np.complex128
    return np.imag(grad_at(ctype(1j * h))) / h
