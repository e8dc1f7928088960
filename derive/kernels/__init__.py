"""Proven NumPy kernels for every model family.

Each kernel is NumPy code printed from a matrix form whose entry the proof engine
has shown equal to a catalogue claim (or to the derivative of the family's loss);
a kernel whose link is not ``proved`` is refused with a :class:`DeriveError`. The
kernels are declared by the families (``KERNELS`` in each module of
:mod:`derive.models`); the public functions here are derived from those rows.

The package loads its submodules on first use (a module ``__getattr__``): a family
module imports :mod:`derive.kernels.spec` and :mod:`derive.kernels.matrix` to declare
its kernels while :mod:`derive.models` is still being imported, and an eager import of
the API here (api → links → models → that family) would be a cycle.

>>> import numpy as np
>>> from derive.kernels import loss_and_grad
>>> X = np.eye(2); W = np.zeros((2, 2)); y = np.array([0, 1])
>>> loss, grad = loss_and_grad(X, y, W)
>>> round(float(loss), 4)
0.6931
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

_SUBMODULES = frozenset(m.name for m in pkgutil.iter_modules(__path__))

_HELPERS = {
    "check_report": "derive.kernels.table",
    "fd_error_curve": "derive.kernels.table",
    "matrix_links": "derive.kernels.links",
}


def _kernel_names() -> list[str]:
    from derive.kernels.api import KERNELS

    return list(KERNELS)


def __getattr__(name: str) -> Any:
    # A submodule not imported yet is found by the import system, never here: asking the
    # API for kernel names while a family module imports ``derive.kernels.validate`` would
    # import the families again.
    if name in _SUBMODULES or (name.startswith("_") and name != "__all__"):
        raise AttributeError(f"module 'derive.kernels' has no attribute {name!r}")
    if name == "__all__":
        return sorted([*_HELPERS, *_kernel_names()])
    if name in _HELPERS:
        return getattr(importlib.import_module(_HELPERS[name]), name)
    if name in _kernel_names():
        from derive.kernels import api

        return getattr(api, name)
    raise AttributeError(f"module 'derive.kernels' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_HELPERS, *_kernel_names()])
