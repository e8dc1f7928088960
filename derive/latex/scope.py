"""How far a derivative operator written before a difference reaches.

Read strictly, ``\\frac{\\partial}{\\partial \\theta_k} a - b`` differentiates ``a`` only (an
operator acts on what follows it in its product). Published notes often mean the whole
difference. derive never guesses: the strict reading stays, a step that fails under it says
so with the declaration that changes it, and ``% derive: scope rest`` before a block makes an
operator that begins a member act on the rest of that member, signs included.

>>> from derive.latex.parser import parse_expr_text
>>> node = parse_expr_text(r"\\frac{\\partial}{\\partial x} x - y", 1, 1)
>>> leading_operator(node) is not None
True
>>> isinstance(to_rest(node).terms[0][1].items[1], ast.Group)
True
"""

from __future__ import annotations

from derive.latex import ast

__all__ = ["HINT", "leading_operator", "scope_hint", "to_rest"]

HINT = ("'% derive: scope rest' before the block makes it act on the rest of the member, "
        "or write parentheses")
_OPERATORS = ("\\partial", "\\nabla")


def _is_operator(item: ast.Node) -> bool:
    """``\\frac{\\partial}{\\partial x}`` (nothing above the bar but the marker),
    ``\\frac{d}{dt}``, ``\\partial_x``, ``\\nabla_x``."""
    if isinstance(item, ast.Frac):
        num = item.num.items if isinstance(item.num, ast.Product) else (item.num,)
        den = item.den.items if isinstance(item.den, ast.Product) else (item.den,)
        marker = num[0] if len(num) == 1 else None
        head = marker.base if isinstance(marker, ast.Postfix) else marker
        return (isinstance(head, ast.Letter) and head.name in ("\\partial", "d")
                and len(den) >= 2)
    return (isinstance(item, ast.Postfix) and isinstance(item.base, ast.Letter)
            and item.base.name in _OPERATORS and len(item.subs) == 1 and not item.sups)


def leading_operator(node: ast.Node) -> ast.Node | None:
    """The operator that begins the first term of a difference or sum ``node``, if any."""
    if not isinstance(node, ast.Add) or len(node.terms) < 2:
        return None
    first = node.terms[0][1]
    if isinstance(first, ast.Product) and len(first.items) >= 2 and _is_operator(
        first.items[0]
    ):
        return first.items[0]
    return None


def to_rest(node: ast.Node) -> ast.Node:
    """``op a - b + c`` read as ``op (a - b + c)`` (the sign before ``op`` stays outside)."""
    op = leading_operator(node)
    if op is None:
        return node
    assert isinstance(node, ast.Add)
    sign, first = node.terms[0]
    assert isinstance(first, ast.Product)
    rest = first.items[1:]
    head = rest[0] if len(rest) == 1 else ast.Product(items=rest, line=rest[0].line,
                                                       col=rest[0].col)
    inner = ast.Add(terms=(("+", head), *node.terms[1:]), line=head.line, col=head.col)
    group = ast.Group(delim="(", items=(inner,), line=head.line, col=head.col)
    whole = ast.Product(items=(op, group), line=first.line, col=first.col)
    return ast.Add(terms=((sign, whole),), line=node.line, col=node.col)


def scope_hint(node: ast.Node) -> str:
    """For a member that could not be evaluated: "" or a note that its leading operator
    acts on the first term only, with the declaration that changes that."""
    if leading_operator(node) is None:
        return ""
    return (f" (the derivative operator at {node.line}:{node.col} acts on its first term "
            f"only; {HINT})")
