"""Import a subsystem that may not be installed or built (kernels, report, latex)."""

from __future__ import annotations

import importlib
from types import ModuleType


def optional_module(name: str) -> ModuleType | None:
    """The module, or None when it (or a parent package) does not exist.

    Any other import error propagates: a broken module is a bug, not an absence.

    >>> optional_module("derive.no_such_subsystem") is None
    True
    """
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise
