"""Proven NumPy kernels for every model family.

Each kernel is NumPy code printed from a matrix form whose entry the proof engine
has shown equal to a catalogue claim (or to the derivative of the family's loss);
a kernel whose link is not ``proved`` is refused with a :class:`DeriveError`. The
kernels are declared by the families (``KERNELS`` in each module of
:mod:`derive.models`); the public functions here are derived from those rows.

``import derive.kernels`` imports neither SymPy nor the families: the public functions
load on first use (a module ``__getattr__``) from the generated module the verdict cache
keeps (:mod:`derive.kernels.bundle`); only a cache miss imports SymPy to prove and
generate.

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
    import derive.kernels.api as api

    return list(api.__all__)


def __getattr__(name: str) -> Any:
    # A submodule not imported yet is found by the import system, never here.
    if name in _SUBMODULES or (name.startswith("_") and name != "__all__"):
        raise AttributeError(f"module 'derive.kernels' has no attribute {name!r}")
    if name == "__all__":
        return sorted([*_HELPERS, *_kernel_names()])
    if name in _HELPERS:
        return getattr(importlib.import_module(_HELPERS[name]), name)
    if name in _kernel_names():
        import derive.kernels.api as api

        return getattr(api, name)
    raise AttributeError(f"module 'derive.kernels' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_HELPERS, *_kernel_names()])
