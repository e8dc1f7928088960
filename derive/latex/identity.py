"""The identity matrix in a sum: ``X^T X + \\lambda I`` is ``X^T X`` plus λ times the identity
of its size.

The notes never give ``I`` a size: the sum does. A term that is the identity's name
(:data:`derive.latex.constructs.IDENTITIES`, bare: no script) times scalars (``I``,
``\\lambda I``, ``2 \\lambda \\mathbf{I}``, ``\\lambda \\cdot I``) beside terms whose sum is a
square matrix is that many times the identity of that size. Anywhere else (beside a scalar
or a vector, a matrix that is not square, a coefficient that is not a scalar, a name the
notes declare or define) it is not read as the identity, and the step stays unknown.
The referee reads it with its own entry (derive.latex.referee.evaluate ``IDENTITY``).

>>> from derive.latex.parser import parse_block
>>> add = parse_block(r"A + 2 \\lambda I", 1, 1)[0].members[0]
>>> coefficient(add.terms[1][1], lambda name: False).items[1].name
'\\\\lambda'
>>> coefficient(add.terms[0][1], lambda name: False) is None
True
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from derive.latex import ast
from derive.latex.constructs import IDENTITIES
from derive.latex.values import MathIssue, Value

__all__ = ["coefficient", "identity_like"]


def _is_identity(node: ast.Node | None, declared: Callable[[str], bool]) -> bool:
    return isinstance(node, ast.Letter) and node.name in IDENTITIES and not declared(node.name)


def coefficient(term: ast.Node, declared: Callable[[str], bool]) -> ast.Node | None:
    """The factor beside the identity in ``term`` (``Num 1`` for ``I`` alone), or None when
    ``term`` is not a multiple of the identity. ``declared(name)``: the notes give the name a
    meaning of their own (then it is never the identity)."""
    if _is_identity(term, declared):
        return ast.Num(line=term.line, col=term.col, text="1")
    if not isinstance(term, ast.Product):
        return None
    last = term.items[-1] if term.items else None
    if isinstance(last, ast.Op) and last.op in ("\\cdot", "\\times") and _is_identity(
            last.operand, declared):
        rest = term.items[:-1]
    elif _is_identity(last, declared):
        rest = term.items[:-1]
    else:
        return None
    if not rest or sum(_is_identity(it, declared) for it in ast.walk(term)) != 1:
        return None
    return rest[0] if len(rest) == 1 else ast.Product(items=rest, line=term.line,
                                                      col=term.col)


def identity_like(total: Value, times: sp.Expr) -> Value:
    """``times`` the identity of the size of the square matrix ``total``; a MathIssue when
    ``total`` is not a square matrix (then the identity's size is not read)."""
    if total.concrete is not None:
        rows, cols = total.concrete.shape
        if rows == cols and rows > 1:
            return Value(concrete=sp.eye(rows) * times)
    elif total.rows is not None and total.cols is not None and sp.simplify(
            total.rows.size - total.cols.size) == 0:
        return Value(times * sp.KroneckerDelta(total.rows.sym, total.cols.sym),
                     rows=total.rows, cols=total.cols)
    raise MathIssue(f"an identity matrix I beside a {total.shape_text()}: expected a square "
                    "matrix, whose size is the identity's")
