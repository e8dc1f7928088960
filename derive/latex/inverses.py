"""Definitions written through an invertible function: ``\\log(\\lambda_i) = \\beta^\\top x_i``.

Authors often define a quantity by the value of a function of it (a log link, a log-odds, an
exponential): ``\\log(\\lambda_i) = \\beta^\\top x_i`` says what ``\\lambda_i`` is, as any
reader sees, because ``\\log`` can be undone. When the name inside is otherwise undefined,
inference (:mod:`derive.latex.infer`) reads such an equation as the definition
``\\lambda_i = \\exp\\left(\\beta^\\top x_i\\right)`` and the definition gate
(:mod:`derive.latex.definitions`) gives the step the verdict ``definition``.

One row of :data:`INVERSES` per function: the function's spelling as parsed (a ``Func``
node: ``\\log``, ``\\ln``, ``\\exp``, also written ``\\text{log}`` or ``log``) and the
function that undoes it. The argument must be one bare name pattern (a letter, or a letter
with index subscripts): ``\\log(a + b) = c`` (two unknowns), ``\\log(x^2) = c`` (a power,
not one-to-one), ``\\sin(x) = c`` (not in the table: not one-to-one) define nothing.

>>> from derive.latex.parser import parse_block
>>> def solved(text):
...     found = inverted(parse_block(text, 1, 1)[0].members[0])
...     return None if found is None else (found.head, found.inverse)
>>> solved(r"\\log(\\lambda_i) = a"), solved(r"\\exp z = a")
(('\\\\lambda', '\\\\exp'), ('z', '\\\\log'))
>>> [solved(t) for t in (r"\\log(a + b) = c", r"\\log(x^2) = c", r"x = c")]
[None, None, None]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from derive.latex import ast

__all__ = ["INVERSES", "Inverted", "inverse_text", "inverted"]

#: a function derive reads (as a ``Func`` node) -> the function that undoes it
INVERSES: dict[str, str] = {
    "\\log": "\\exp",
    "\\ln": "\\exp",
    "\\exp": "\\log",
}

# a member written as one function of one argument: the function's spelling (a command,
# a \text{} name or the bare word) and the argument, in parentheses or bare
_CALL = re.compile(
    r"^\s*(?:\\(?:operatorname|text|mathrm)\s*\{\s*(?P<word>[a-z]+)\s*\}|\\(?P<cmd>[a-z]+)"
    r"|(?P<bare>[a-z]+))\s*(?:\\left\s*\(\s*(?P<inner>.*?)\s*\\right\s*\)"
    r"|\(\s*(?P<paren>.*?)\s*\)|(?P<plain>[^()\s].*?))\s*$", re.DOTALL)


@dataclass(frozen=True)
class Inverted:
    """A member ``f(name)`` with ``f`` in :data:`INVERSES`: the name pattern and the
    function that undoes ``f``."""

    name: ast.Node  # the argument: a letter or a letter with subscripts
    head: str  # the name it introduces (``\\lambda`` of ``\\lambda_i``)
    inverse: str  # the function that undoes f (``\\exp`` for ``\\log``)


def _name_pattern(node: ast.Node) -> str | None:
    """The head of a bare name pattern (``p``, ``\\lambda_i``, ``x_{ij}``), else None."""
    if isinstance(node, ast.Letter):
        return node.name
    if (isinstance(node, ast.Postfix) and isinstance(node.base, ast.Letter) and node.subs
            and not node.sups and not node.primes):
        return node.base.name
    return None


def inverted(member: ast.Node) -> Inverted | None:
    """``member`` read as ``f(name)`` with ``f`` one-to-one (a row of :data:`INVERSES`) and
    ``name`` a bare name pattern, or None."""
    if not (isinstance(member, ast.Product) and len(member.items) == 2
            and isinstance(member.items[0], ast.Func) and member.items[0].power is None):
        return None  # \log^2 p is not one-to-one
    inverse = INVERSES.get(member.items[0].name)
    arg = member.items[1]
    if isinstance(arg, ast.Group):
        if arg.delim != "(" or arg.curly or len(arg.items) != 1:
            return None
        arg = arg.items[0]
    head = _name_pattern(arg)
    if inverse is None or head is None:
        return None
    return Inverted(arg, head, inverse)


def inverse_text(member: str, body: str) -> tuple[str, str] | None:
    """The source texts ``(name, body')`` of the definition ``name = body'`` that the
    equation ``member = body`` states when ``member`` is ``f(name)`` (checked with
    :func:`inverted` first): ``body'`` is the inverse of ``f`` applied to ``body``.

    >>> inverse_text(r"\\log(\\lambda_i)", r"\\beta^\\top x_i")
    ('\\\\lambda_i', '\\\\exp\\\\left(\\\\beta^\\\\top x_i\\\\right)')
    >>> inverse_text(r"\\text{exp} z", "a")
    ('z', '\\\\log\\\\left(a\\\\right)')
    """
    m = _CALL.match(member)
    if m is None:
        return None
    word = m.group("word") or m.group("cmd") or m.group("bare")
    inverse = INVERSES.get(f"\\{word}")
    name = m.group("inner") or m.group("paren") or m.group("plain")
    if inverse is None or not name:
        return None
    return name.strip(), f"{inverse}\\left({body.strip()}\\right)"
