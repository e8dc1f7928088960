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

import derive.kernels.api as api
from derive.declare.numeric import (
    CS_STEP,
    FD_STEP,
    central_difference,
    directional,
    directional_cs,
    problem,
    rel_error,
    round_sig,
    row,
)

__all__ = ["CS_STEP", "FD_STEP", "check_report", "directional", "directional_cs",
           "fd_error_curve", "problem", "row"]


def check_report() -> list[dict]:
    """One row per checked kernel output and dtype: errors against the hand reference,
    central differences and the complex step. Each family declares its kernels' checks
    (``Kernel.checks(dtype, api)``, given the public kernels to call); a kernel whose proof
    links are not all proved is not offered, so it has no row (``derive kernels --check``
    lists it with the reason)."""
    from derive.kernels.links import KERNELS, refusals

    refused = refusals()
    return [
        out for dt in (np.float64, np.float32)
        for name, (_, kern) in KERNELS.items() if kern.checks is not None and name not in refused
        for out in kern.checks(np.dtype(dt), api)
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
