"""The public kernels, one per kernel a family declares: validate, pass the proof gate, run
the generated code.

Each public function has the signature and docstring of the family's ``bind``: it checks
the arguments (the family's ``check``, every bad input a :class:`DeriveError`), passes the
proof gate of the call's variant, runs the generated code through
:mod:`derive.kernels.driver`, and refuses non-finite results. Row arguments given as Dask
arrays run chunk by chunk (:mod:`derive.kernels.chunked`). With a warm verdict cache none
of this imports SymPy (:mod:`derive.kernels.bundle`).

>>> import numpy as np
>>> from derive.kernels import loss_and_grad
>>> X = np.array([[1.0, 2.0], [0.5, -1.0]]); W = np.zeros((2, 3)); y = np.array([0, 2])
>>> loss, grad = loss_and_grad(X, y, W)
>>> round(float(loss), 6), grad.shape
(1.098612, (2, 3))
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

import derive.kernels.bundle as bundle
import derive.kernels.chunked as chunked
from derive.declare import validate


class LinkRef(NamedTuple):
    """A proof link by name (what the gate is given; the engine's ``Link`` needs SymPy)."""

    name: str


def _require(refs: tuple) -> None:
    bundle.require(tuple(r.name for r in refs))


# The gate every call passes: all links of the call's variant proved. Tests and callers
# may replace it; it is looked up at call time.
proof_gate: Callable[[tuple], object] = _require


def _gate(mod: Any, name: str, variant: dict) -> None:
    entry = mod.lookup(mod.TABLE, name, variant)
    proof_gate(tuple(LinkRef(n) for n in entry["links"]))


def _arguments(fn: Callable, name: str, args: tuple, kwargs: dict) -> dict:
    """``fn``'s parameters bound to ``args`` and ``kwargs``, defaults applied (what
    ``inspect.signature(fn).bind`` gives, without importing ``inspect`` on a call)."""
    code = fn.__code__
    positional = code.co_varnames[: code.co_argcount]
    keyword = code.co_varnames[code.co_argcount : code.co_argcount + code.co_kwonlyargcount]
    if len(args) > len(positional):
        raise TypeError(f"{name}() takes {len(positional)} positional arguments but"
                        f" {len(args)} were given")
    values = dict(zip(positional, args, strict=False))
    for key, val in kwargs.items():
        if key in values or key not in (*positional, *keyword):
            why = "multiple values for" if key in values else "an unexpected keyword"
            raise TypeError(f"{name}() got {why} argument {key!r}")
        values[key] = val
    defaults = dict(zip(positional[len(positional) - len(fn.__defaults__ or ()):],
                        fn.__defaults__ or (), strict=True))
    defaults.update(fn.__kwdefaults__ or {})
    for key in (*positional, *keyword):
        if key not in values:
            if key not in defaults:
                raise TypeError(f"{name}() missing required argument {key!r}")
            values[key] = defaults[key]
    return values


def call(name: str, args: tuple, kwargs: dict) -> Any:
    """Run the kernel ``name`` on its public arguments."""
    mod = bundle.module()
    info = mod.KERNEL_INFO[name]
    values = _arguments(info["bind"], name, args, kwargs)
    if info["rows"] and any(chunked.is_dask(values[r]) for r in info["rows"]):
        return chunked.run(name, values, lambda variant: _gate(bundle.module(), name, variant))
    clean = info["check"](**values)
    variant, bound, shapes = info["bind"](**clean)
    _gate(mod, name, variant)
    with np.errstate(over="ignore", invalid="ignore"):
        out = mod.run(mod.TABLE, name, (variant, bound, shapes))
    if info["finite"] is not None:
        outs = out if isinstance(out, tuple) else (out,)
        validate.finite_after(outs, info["finite"], clean[info["finite"]],
                              info["logits"] or info["finite"])
    return out


def _public(name: str, bind: Callable) -> Callable[..., Any]:
    def kernel(*args: Any, **kwargs: Any) -> Any:
        return call(name, args, kwargs)

    functools.update_wrapper(kernel, bind)
    kernel.__name__ = kernel.__qualname__ = name
    kernel.__module__ = __name__
    return kernel


_INFO = bundle.module().KERNEL_INFO
for _name, _info in _INFO.items():
    globals()[_name] = _public(_name, _info["bind"])

__all__ = sorted(_INFO)  # built from the families' rows


def __getattr__(name: str) -> Any:
    if name == "KERNELS":  # the families' declarations (imports SymPy and the families)
        from derive.kernels.links import KERNELS

        return {n: kern for n, (_, kern) in KERNELS.items()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
