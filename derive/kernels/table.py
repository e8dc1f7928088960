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

from derive.kernels import api
from derive.kernels.checks import (
    central_difference,
    rel_error,
    round_sig,
    tolerance,
)

__all__ = ["check_report", "directional", "directional_cs", "fd_error_curve", "problem", "row"]

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


def check_report() -> list[dict]:
    """One row per checked kernel output and dtype: errors against the hand reference,
    central differences and the complex step. Each family declares its kernels' checks
    (``Kernel.checks``); a kernel whose proof links are not all proved is not offered,
    so it has no row (``derive kernels --check`` lists it with the reason)."""
    from derive.kernels.links import KERNELS, refusals

    refused = refusals()
    return [
        out for dt in (np.float64, np.float32)
        for name, (_, kern) in KERNELS.items() if kern.checks is not None and name not in refused
        for out in kern.checks(np.dtype(dt))
    ]


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
