"""Model families: each module declares one family (see :mod:`derive.models.family`).

Adding a family is adding its module and naming it in ``_MODULES``; the CLI, the
report and the kernels read every family from :data:`FAMILIES`.

>>> [f.name for f in FAMILIES]
['softmax']
"""

from __future__ import annotations

import importlib

from derive.models.family import Entry, Family, catalogue

__all__ = ["FAMILIES", "Entry", "Family", "catalogue", "family"]

_MODULES = ("softmax",)

FAMILIES: tuple[Family, ...] = tuple(
    importlib.import_module(f"derive.models.{name}").FAMILY for name in _MODULES
)


def family(name: str) -> Family:
    """The family called ``name``.

    >>> family("softmax").title
    'Softmax regression'
    """
    for fam in FAMILIES:
        if fam.name == name:
            return fam
    from derive.errors import DeriveError

    names = ", ".join(f.name for f in FAMILIES)
    raise DeriveError(f"unknown model family {name!r}: expected one of {names}")
