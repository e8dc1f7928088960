"""derive: a symbolic derivation checker for the mathematics of softmax regression.

The engine's names (``prove``, ``Claim``, ...) load on first use, so ``import
derive.kernels`` (NumPy kernels from a warm cache) never imports SymPy.

>>> import derive
>>> derive.prove(derive.catalogue.get("nll_grad_theta")).status
'proved'

Notes (Markdown, LaTeX, a notebook) are checked with :func:`verify_text` and
:func:`verify_file`, which return typed :class:`StepResult` objects (see :mod:`derive.api`).
In IPython or Jupyter, ``%load_ext derive`` adds the ``%%derive`` cell magic.
"""

from __future__ import annotations

import importlib
from typing import Any

from derive.errors import DeriveError as DeriveError

__version__ = "0.1.0"  # as in pyproject.toml (a test holds them together)

_ENGINE = (
    "Assumption",
    "Claim",
    "Counterexample",
    "Scope",
    "Step",
    "Verdict",
    "binary",
    "nonnegative",
    "one_hot",
    "prove",
    "prove_equal",
    "sums_to_one",
)
_API = ("StepResult", "verify_file", "verify_text")  # derive.api: checking notes

__all__ = sorted([*_ENGINE, *_API, "DeriveError", "load_ipython_extension"])


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext derive``: register the ``%%derive`` cell magic (:mod:`derive.ipython`)."""
    from derive.ipython import load_ipython_extension as load

    load(ipython)


def __getattr__(name: str) -> Any:
    if name in _ENGINE:
        import derive.engine as engine

        return getattr(engine, name)
    if name in _API:
        import derive.api as api

        return getattr(api, name)
    if not name.startswith("_"):
        try:  # a submodule by attribute (``derive.catalogue``), as an eager import gave
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module 'derive' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_ENGINE, *_API])
