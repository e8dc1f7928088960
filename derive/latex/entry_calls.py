"""A function of a whole vector written at one entry: ``\\text{softmax}(x_j)``.

Softmax is a function of a column; its j-th output depends on every entry. Notes write
its j-th output as ``\\text{softmax}(x_j)`` (as they write the logistic ``\\sigma(z_j)``
entry by entry), meaning ``\\text{softmax}(x)_j``; read literally it would be the softmax
of a one-entry vector, always 1, which no author means. Where ``x`` is a vector of the
notes (declared or inferred with one index) and the argument is ``x`` at one index, the
member's tree is rewritten to ``\\text{softmax}(x)_j``, which the elaborator and the
independent referee each read as an entry of the function of the column. Anything else
(``x`` a scalar or a matrix, two indices, an expression) is left as written (unknown: a
function of a column applied to a scalar). A new such function is one entry of
:data:`ENTRY_CALLS`.

>>> from derive.latex.parser import parse_expr_text
>>> m = parse_expr_text(r"\\text{softmax}(x_j)", 1, 1)
>>> out = entry_calls(m, frozenset({"x"}))
>>> type(out.items[1]).__name__, out.items[1].subs[0].name
('Postfix', 'j')
>>> entry_calls(m, frozenset({"y"})) == m
True
"""

from __future__ import annotations

import re
from dataclasses import replace

from derive.latex import ast

__all__ = ["ENTRY_CALLS", "entry_calls"]

#: functions of a whole column whose output at j notes write as the function of x_j
ENTRY_CALLS = frozenset({"\\text{softmax}"})
_FONT = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec)\{(\\?[A-Za-z]+)\}")


def _unstyled(name: str) -> str:
    m = _FONT.fullmatch(name)
    return m.group(1) if m else name


def _entry(arg: ast.Node, vectors: frozenset[str]) -> ast.Postfix | None:
    """``x_j`` of a vector ``x`` at one index (no power, prime or label), else None."""
    if not (isinstance(arg, ast.Postfix) and isinstance(arg.base, ast.Letter) and len(
            arg.subs) == 1 and not arg.sups and not arg.primes and isinstance(
            arg.subs[0], ast.Letter | ast.Num)):
        return None
    names = {arg.base.name, _unstyled(arg.base.name)}
    if len(names) == 2 and names <= vectors:
        return None  # \mathbf{x} and x both vectors of the notes: which one is not settled
    return arg if names & vectors else None


def entry_calls(member: ast.Node, vectors: frozenset[str]) -> ast.Node:
    """``member`` with each ``f(x_j)`` of :data:`ENTRY_CALLS` and a vector ``x`` of
    ``vectors`` (names with one index) written ``f(x)_j``."""

    def fn(node: ast.Node) -> ast.Node:
        if not isinstance(node, ast.Product):
            return node
        items = list(node.items)
        for k in range(len(items) - 1):
            head, group = items[k], items[k + 1]
            if not (isinstance(head, ast.Letter) and head.name in ENTRY_CALLS and isinstance(
                    group, ast.Group) and group.delim == "(" and not group.curly and len(
                    group.items) == 1):
                continue
            entry = _entry(group.items[0], vectors)
            if entry is None:
                continue
            whole = replace(group, items=(entry.base,))
            items[k + 1] = ast.Postfix(base=whole, subs=entry.subs, line=group.line,
                                       col=group.col)
        new = tuple(items)
        return node if new == node.items else replace(node, items=new)

    out = ast.rebuild(member, fn)
    assert isinstance(out, ast.Node)
    return out
