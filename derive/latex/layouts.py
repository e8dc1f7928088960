"""Jacobians of a vector by a vector: which layout the notes mean.

``\\frac{\\partial y}{\\partial x}`` of a column ``y`` (length m) by a column ``x`` (length
n) is the m×n matrix whose row a holds the derivatives of ``y_a`` in *numerator layout*,
and its n×m transpose (row b: the derivatives by ``x_b``) in *denominator layout*. Authors
rarely say which. What decides, in order:

1. a transpose written on either side: each side keeps its orientation, so
   ``\\partial y / \\partial x^T`` (a column by a row) is numerator layout and
   ``\\partial y^T / \\partial x`` (a row by a column) denominator layout. The elaborator and
   the referee each decide this from the shapes they read; no reading is needed;
2. a convention the notes state in words ("numerator layout", "denominator layout"; only
   one of them): :func:`stated_layout`;
3. otherwise it is a point of the ambiguity policy (``layout`` in
   :data:`derive.latex.ambiguity.POINTS`): both layouts are read, and the step is proved or
   refuted only when they agree (a symmetric Jacobian, ``\\partial x/\\partial x = I``, or a
   slip false either way), else unknown (ambiguous) with both readings listed.

Only a derivative that is a Jacobian costs a second reading: the elaborator meets a column
by a column under a fraction that carries no layout and raises :class:`LayoutUndecided`
naming the fraction's place; the checker adds that place to the context and reads the step
again, and :func:`mark_layouts` sets the fraction's ``layout`` (the choice is part of the
tree, read alike by the elaborator and the independent referee).

>>> stated_layout("We use the numerator layout throughout.")
'numerator'
>>> stated_layout("numerator layout or denominator layout?")
''
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from derive.latex import ast
from derive.latex.values import MathIssue

__all__ = ["LAYOUTS", "LayoutUndecided", "mark_layouts", "stated_layout"]

#: the two layouts, in the order a point lists them; the reading's words for each
LAYOUTS: tuple[tuple[str, str], ...] = (
    ("numerator", "numerator layout (\\partial y/\\partial x: a row per entry of y)"),
    ("denominator", "denominator layout (\\partial y/\\partial x: a row per entry of x)"),
)

_STATED = {name: re.compile(rf"\b{name}[- ]layout\b", re.IGNORECASE) for name, _ in LAYOUTS}


class LayoutUndecided(MathIssue):
    """A Jacobian of a column by a column under a fraction whose layout no reading set."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.line, self.col = line, col


def stated_layout(text: str) -> str:
    """The layout the notes name in words, when they name exactly one; else ``""``."""
    named = [name for name, pattern in _STATED.items() if pattern.search(text)]
    return named[0] if len(named) == 1 else ""


def mark_layouts(member: ast.Node, places: frozenset[tuple[int, int]], stated: str,
                 pick: Callable[[str, int, int, Sequence[str]], int]) -> ast.Node:
    """``member`` with the layout set on each fraction at ``places`` (a Jacobian met
    before): the ``stated`` one, else the one ``pick`` chooses at a ``layout`` point."""
    if not places:
        return member

    def fn(node: ast.Node) -> ast.Node:
        if not isinstance(node, ast.Frac) or (node.line, node.col) not in places or (
                node.layout):
            return node
        if stated:
            return replace(node, layout=stated)
        at = pick("layout", node.line, node.col, [words for _, words in LAYOUTS])
        return replace(node, layout=LAYOUTS[at][0])

    out = ast.rebuild(member, fn)
    assert isinstance(out, ast.Node)
    return out
