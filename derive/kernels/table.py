"""The error table and the finite-difference curve for the report (deterministic).

Fixed seeds, small sizes, values rounded to 3 significant digits: two runs give
byte-identical output.

>>> rows = check_report()                    # doctest: +SKIP
>>> sorted(rows[0])                          # doctest: +SKIP
['complex_step_error', 'dtype', 'fd_error', 'kernel', 'ok', 'reference_error', 'tolerance',
 'tolerance_fd']
"""

from __future__ import annotations

import numpy as np

from derive.kernels import api, reference
from derive.kernels.checks import (
    central_difference,
    complex_step,
    rel_error,
    round_sig,
    tolerance,
)

__all__ = ["check_report", "fd_error_curve", "problem"]

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


def _row(kernel: str, dt: np.dtype, ref: float, fd: float, cs: float) -> dict:
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


def _rows_for(dt: np.dtype, lam: float = 0.1) -> list[dict]:
    X, y, W, b, V = problem(dt)
    h, hc = FD_STEP[dt.name], CS_STEP[dt.name]
    rows = []

    _, g = api.loss_and_grad(X, y, W, lam=lam)
    rows.append(_row(
        "loss_and_grad: dJ/dW", dt,
        rel_error(g, reference.grad(X, y, W, lam)),
        rel_error(g, central_difference(lambda w: api.loss_and_grad(X, y, w, lam=lam)[0], W, h)),
        rel_error(g, complex_step(lambda w: reference.loss(X.astype(w.dtype), y, w, lam), W, hc)),
    ))

    _, _, gb = api.loss_and_grad(X, y, W, lam=lam, b=b)
    rows.append(_row(
        "loss_and_grad: dJ/db", dt,
        rel_error(gb, reference.grad_bias(X, y, W, b)),
        rel_error(gb, central_difference(
            lambda v: api.loss_and_grad(X, y, W, lam=lam, b=v)[0], b, h)),
        rel_error(gb, complex_step(
            lambda v: reference.loss(X.astype(v.dtype), y, W.astype(v.dtype), lam, v), b, hc)),
    ))

    hv = api.hvp(X, W, V, lam=lam)
    along = np.zeros(1, dtype=dt)  # the gradient along W + s·V, as a function of s
    rows.append(_row(
        "hvp", dt,
        rel_error(hv, reference.hvp(X, W, V, lam)),
        rel_error(hv, _directional(lambda s: api.loss_and_grad(X, y, W + s * V, lam=lam)[1],
                                   h, dt)),
        rel_error(hv, _directional_cs(
            lambda s: reference.grad(X.astype(s.dtype), y, W + s * V, lam), hc, along.dtype)),
    ))

    Z = (X @ W).astype(dt)
    J = api.softmax_jacobian(Z)
    rows.append(_row(
        "softmax_jacobian", dt,
        rel_error(J, reference.jacobian(Z)),
        rel_error(J, np.stack([_jac_fd(z, h) for z in Z])),
        rel_error(J, np.stack([_jac_cs(z, hc) for z in Z])),
    ))
    return rows


def _directional(grad_at, h: float, dt: np.dtype) -> np.ndarray:
    plus = grad_at(dt.type(h)).astype(np.float64)
    minus = grad_at(dt.type(-h)).astype(np.float64)
    return (plus - minus) / (2 * h)


def _directional_cs(grad_at, h: float, dt: np.dtype) -> np.ndarray:
    ctype = np.complex64 if dt == np.float32 else np.complex128
    return np.imag(grad_at(ctype(1j * h))) / h


def _softmax(z):
    e = np.exp(z - z.real.max())
    return e / e.sum()


def _jac_fd(z: np.ndarray, h: float) -> np.ndarray:
    cols = []
    for j in range(z.size):
        step = np.zeros_like(z)
        step[j] = h
        cols.append((_softmax(z + step).astype(np.float64) - _softmax(z - step)) / (2 * h))
    return np.stack(cols, axis=1)


def _jac_cs(z: np.ndarray, h: float) -> np.ndarray:
    ctype = np.complex64 if z.dtype == np.float32 else np.complex128
    cols = []
    for j in range(z.size):
        w = z.astype(ctype)
        w[j] += 1j * h
        cols.append(np.imag(_softmax(w)) / h)
    return np.stack(cols, axis=1)


def check_report() -> list[dict]:
    """One row per kernel and dtype: errors against reference, FD, complex step."""
    return [row for dt in (np.float64, np.float32) for row in _rows_for(np.dtype(dt))]


def fd_error_curve(dtype: np.dtype | type) -> list[tuple[float, float]]:
    """``(h, relative error of the central difference)`` for ``dJ/dW``: the V shape
    (truncation error ∝ h² on the right, rounding error ∝ ε/h on the left)."""
    dt = np.dtype(dtype)
    X, y, W, _, _ = problem(dt)
    _, g = api.loss_and_grad(X, y, W)
    lo = -12 if dt == np.float64 else -6
    out = []
    for e in range(0, lo - 1, -1):
        h = 10.0**e
        fd = central_difference(lambda w: api.loss_and_grad(X, y, w)[0], W, h)
        out.append((round_sig(h), rel_error(g, fd)))
    return out
