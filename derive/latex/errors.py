"""Errors that point into the user's file: ``file:line:column: message``."""

from __future__ import annotations

from derive.errors import DeriveError

__all__ = ["located"]


def located(source: str, line: int, column: int, message: str) -> DeriveError:
    """A :class:`DeriveError` whose text starts with the position in the notes.

    >>> str(located("notes.tex", 3, 7, "undeclared symbol q"))
    'notes.tex:3:7: undeclared symbol q'
    """
    return DeriveError(f"{source or '<input>'}:{line}:{column}: {message}")
