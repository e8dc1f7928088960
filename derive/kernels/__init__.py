"""Proven NumPy kernels for softmax regression.

Each kernel is NumPy code printed from a matrix form whose entry the proof engine
has shown equal to a catalogue claim (or to the derivative of the model's loss);
a kernel whose link is not ``proved`` is refused with a :class:`DeriveError`.

>>> import numpy as np
>>> from derive.kernels import loss_and_grad
>>> X = np.eye(2); W = np.zeros((2, 2)); y = np.array([0, 1])
>>> loss, grad = loss_and_grad(X, y, W)
>>> round(float(loss), 4)
0.6931
"""

from __future__ import annotations

from derive.kernels.api import hvp, loss_and_grad, softmax_jacobian
from derive.kernels.links import matrix_links
from derive.kernels.table import check_report, fd_error_curve

__all__ = [
    "check_report",
    "fd_error_curve",
    "hvp",
    "loss_and_grad",
    "matrix_links",
    "softmax_jacobian",
]
