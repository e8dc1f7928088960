"""The public kernels, derived from the families' rows: validate, require the proof
links, run the generated code.

For each :class:`derive.kernels.spec.Kernel` a family declares there is one public
function here, with the signature and docstring of the family's ``bind``: it checks the
arguments (the family's ``check``, every bad input a :class:`DeriveError`), passes the
proof gate of the call's variant, runs the generated code through
:mod:`derive.kernels.driver`, and refuses non-finite results. Row arguments given as
Dask arrays run chunk by chunk (:mod:`derive.kernels.chunked`).

>>> import numpy as np
>>> from derive.kernels import loss_and_grad
>>> X = np.array([[1.0, 2.0], [0.5, -1.0]]); W = np.zeros((2, 3)); y = np.array([0, 2])
>>> loss, grad = loss_and_grad(X, y, W)
>>> round(float(loss), 6), grad.shape
(1.098612, (2, 3))
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from derive.kernels import chunked, validate
from derive.kernels.links import KERNELS as _DECLARED
from derive.kernels.links import Link, gate_links, require
from derive.kernels.spec import Kernel

# The gate every call passes: all links of the call's variant proved (cached per process).
proof_gate: Callable[[tuple[Link, ...]], object] = require

#: Every family's kernels by public name.
KERNELS: dict[str, Kernel] = {name: kern for name, (_, kern) in _DECLARED.items()}


def _module() -> Any:
    from derive.kernels.generate import build_module

    return build_module()


def _gate(kern: Kernel, variant: dict) -> None:
    # Looked up at call time: tests and callers may replace ``proof_gate``.
    proof_gate(gate_links(kern.name, variant))


def call(kern: Kernel, values: dict) -> Any:
    """Run ``kern`` on its bound arguments ``values`` (name -> value)."""
    if kern.rows and any(chunked.is_dask(values[name]) for name in kern.rows):
        return chunked.run(kern, values, lambda variant: _gate(kern, variant))
    clean = kern.check(**values)
    variant, args, shapes = kern.bind(**clean)
    _gate(kern, variant)
    mod = _module()
    with np.errstate(over="ignore", invalid="ignore"):
        out = mod.run(mod.TABLE, kern.name, (variant, args, shapes))
    if kern.finite is not None:
        outs = out if isinstance(out, tuple) else (out,)
        validate.finite_after(outs, kern.finite, clean[kern.finite], kern.logits or kern.finite)
    return out


def _public(kern: Kernel) -> Callable[..., Any]:
    sig = inspect.signature(kern.bind)

    def kernel(*args: Any, **kwargs: Any) -> Any:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        return call(kern, dict(bound.arguments))

    functools.update_wrapper(kernel, kern.bind)
    kernel.__name__ = kernel.__qualname__ = kern.name
    kernel.__module__ = __name__
    return kernel


for _name, _kern in KERNELS.items():
    globals()[_name] = _public(_kern)

__all__ = sorted(KERNELS)  # built from the families' rows
