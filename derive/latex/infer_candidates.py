"""Which ``name = body`` equations inference may read as a definition of ``name``.

Inference (:mod:`derive.latex.infer`) reads the first equation written for an undeclared
name as its definition (``p_j = \\frac{e^{z_j}}{\\sum_k e^{z_k}}``). Some equations that look
like that say something else; reading them as a definition turns a quantity into a
constant or a circular formula, and leaves every later use of the name undeclared. One
entry per rule; each names what the equation is instead:

==================  ======================================================================
rule                the equation is not a definition when
==================  ======================================================================
self-reference      the body writes the name itself: an update (``w_{t+1} = w_t - \\alpha
                    g``) or the list of the entries (``y = \\{y_1, \\ldots, y_n\\}``)
entry condition     the name carries index subscripts and the body is a bare number:
                    a condition on one entry (``where y_i = 1``), not the value of all
==================  ======================================================================

The prose reader (:mod:`derive.latex.prose`) applies the same two rules to inline maths.

>>> from derive.latex.parser import parse_block
>>> def why(text):
...     pattern, body = parse_block(text, 1, 1)[0].members[:2]
...     rule = refused(pattern, body)
...     return rule.name if rule else None
>>> [why(t) for t in ("y_i = 1", "y = \\\\{y_1, y_2\\\\}", "p_j = e^{z_j}", "\\\\epsilon = 1")]
['entry condition', 'self-reference', None, None]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from derive.latex import ast

__all__ = ["NOT_DEFINITIONS", "Refusal", "refused"]


@dataclass(frozen=True)
class Refusal:
    """A rule that says an equation ``pattern = body`` is not a definition."""

    name: str
    applies: Callable[[ast.Node, ast.Node], bool]


def _head(node: ast.Node) -> ast.Node:
    """The name of a pattern: ``p`` of ``p_j``, ``J`` of ``J(w)``."""
    if isinstance(node, ast.Product) and len(node.items) == 2 and isinstance(
        node.items[1], ast.Group
    ) and node.items[1].delim == "(":
        node = node.items[0]
    return node.base if isinstance(node, ast.Postfix) and node.base is not None else node


def _self_reference(pattern: ast.Node, body: ast.Node) -> bool:
    head = _head(pattern)
    if not isinstance(head, ast.Letter):
        return False
    return any(isinstance(n, ast.Letter) and n.name == head.name for n in ast.walk(body))


def _number(node: ast.Node) -> bool:
    """A bare number, signed or in parentheses: ``1``, ``-1``, ``(0)``."""
    if isinstance(node, ast.Add) and len(node.terms) == 1:
        node = node.terms[0][1]
    elif isinstance(node, ast.Neg) and node.body is not None:
        node = node.body
    if isinstance(node, ast.Group) and node.delim == "(" and len(node.items) == 1:
        return _number(node.items[0])
    return isinstance(node, ast.Num)


def _entry_condition(pattern: ast.Node, body: ast.Node) -> bool:
    if not (isinstance(pattern, ast.Postfix) and pattern.subs):
        return False
    letters = [n for sub in pattern.subs for n in ast.walk(sub) if isinstance(n, ast.Letter)]
    return bool(letters) and _number(body)


#: the rules, in the order they are tried
NOT_DEFINITIONS: tuple[Refusal, ...] = (
    Refusal("self-reference", _self_reference),
    Refusal("entry condition", _entry_condition),
)


def refused(pattern: ast.Node, body: ast.Node) -> Refusal | None:
    """The first rule by which ``pattern = body`` is not a definition, or None."""
    return next((r for r in NOT_DEFINITIONS if r.applies(pattern, body)), None)
