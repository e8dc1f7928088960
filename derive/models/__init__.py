"""Model families: each module declares one family (see :mod:`derive.models.family`).

Adding a family is adding its module: every module of this package that declares
``FAMILY`` is one (in name order, softmax first as the reference family). The CLI, the
report and the kernels read every family from :data:`FAMILIES`.

``FAMILIES`` is found, and so every family's catalogue built (about a second of SymPy),
on its first use, not when this package is imported: ``import derive.models.family``
(the report's printer, the notes checker) builds nothing.

>>> from derive.models import FAMILIES
>>> FAMILIES[0].name  # the reference family first; the others in name order
'softmax'
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from derive.models.family import Entry, Family, catalogue

__all__ = ["FAMILIES", "Entry", "Family", "catalogue", "family"]


def _discover() -> tuple[Family, ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name == "family" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "FAMILY", None), Family):
            found.append(module.FAMILY)
    return tuple(sorted(found, key=lambda f: (f.name != "softmax", f.name)))


def __getattr__(name: str) -> Any:
    if name == "FAMILIES":  # found once, on first use (``from derive.models import FAMILIES``)
        found = globals()["FAMILIES"] = _discover()
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def family(name: str) -> Family:
    """The family called ``name``.

    >>> family("softmax").title
    'Softmax regression'
    """
    families = globals().get("FAMILIES") or __getattr__("FAMILIES")
    for fam in families:
        if fam.name == name:
            return fam
    from derive.errors import DeriveError

    names = ", ".join(f.name for f in families)
    raise DeriveError(f"unknown model family {name!r}: expected one of {names}")
