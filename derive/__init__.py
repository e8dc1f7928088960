"""derive: a symbolic derivation checker for the mathematics of softmax regression.

The public names are imported on first use, so the command line starts (``derive
--version``, ``--help``, Ctrl-C at any moment) without loading SymPy first.

>>> import derive
>>> derive.prove(derive.catalogue.get("nll_grad_theta")).status
'proved'
"""

from __future__ import annotations

import importlib
from importlib import metadata
from typing import Any

__all__ = [
    "Assumption",
    "Claim",
    "Counterexample",
    "DeriveError",
    "Scope",
    "Step",
    "Verdict",
    "binary",
    "nonnegative",
    "one_hot",
    "prove",
    "prove_equal",
    "sums_to_one",
]

try:
    __version__ = metadata.version("derive")
except metadata.PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "unknown"


def __getattr__(name: str) -> Any:
    """``derive.prove`` and the other public names, from the module that defines them."""
    if name == "DeriveError":
        from derive.errors import DeriveError

        return DeriveError
    if name in __all__:
        engine = importlib.import_module("derive.engine")
        return getattr(engine, name)
    if name in ("catalogue", "engine", "models", "kernels", "report", "latex"):
        return importlib.import_module(f"derive.{name}")
    raise AttributeError(f"module 'derive' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
