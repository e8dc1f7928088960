"""A chain ``A = g(B) = expr`` defines two things: the name ``A`` and the function ``g``.

Notes that name the links of a chain rule write "令 $x_1 = g_2(x_2) = \\frac{c}{x_2}$",
"Let $L = f(x) = -\\log x$": ``x_1`` is ``g_2(x_2)`` and ``g_2`` is the function
``x_2 \\mapsto c / x_2``. The second link is a definition of ``g`` (its verdict is
``definition``, and inference adds ``let g_2(x_2) = \\frac{c}{x_2}``) when

- the chain has three members or more and its second member is a call pattern: a symbol
  (``g``, ``g_2``, ``\\phi``) applied to distinct plain names (``(x_2)``, ``(u, v)``);
- the symbol is not written in the members after it (``f(x) = f(x - 1) + 1`` is a claim);
- the symbol is no function derive knows (``\\log``, ``\\exp``, ``softmax``, the logistic
  ``\\sigma``: ``\\hat{y} = \\sigma(z) = \\frac{1}{1+e^{z}}`` is a claim, a slip) and is not
  declared by hand, nor defined earlier in the notes (the first definition written wins:
  a later ``y = f(z) = z^2 + 1`` after "where $f(z) = z^2 + 1$" is a claim about it).

>>> from derive.latex.parser import parse_block
>>> [function_pattern(parse_block(s, 1, 1)[0]) for s in (
...     "L = g(u) = -\\\\log(u)", "L = g(u)", "L = f(u, v) = u v", "L = f(u, u) = u",
...     "L = f(2) = 3", "L = \\\\log(u) = v", "L = f(u) = f(u) + 0")]
['g', None, 'f', None, None, None, None]
"""

from __future__ import annotations

from derive.latex import ast
from derive.latex.tokens import BUILTIN_NAMES

__all__ = ["KNOWN_FUNCTIONS", "call_pattern", "function_pattern"]

# functions every reader knows: their equations are claims about them
_KNOWN = frozenset({"\\log", "\\ln", "\\exp", "e", "d", "\\partial", "\\nabla", "\\max",
                    "\\min", "\\sum", "\\prod", "\\sigma"}) | frozenset(
                        f"\\text{{{n}}}" for n in BUILTIN_NAMES)
#: the same, for other modules (derive.latex.naming_chains)
KNOWN_FUNCTIONS = _KNOWN


def call_pattern(node: ast.Node) -> str | None:
    """The symbol of ``node`` when it is ``g(a, b)``: a letter applied to distinct plain
    names (never a number, an expression, a known function)."""
    if not (isinstance(node, ast.Product) and len(node.items) == 2 and isinstance(
            node.items[0], ast.Letter) and isinstance(node.items[1], ast.Group)
            and node.items[1].delim == "(" and not node.items[1].curly):
        return None
    head = node.items[0].name
    if head in _KNOWN:
        return None
    items = node.items[1].items
    if len(items) == 1 and isinstance(items[0], ast.Seq):
        items = items[0].items
    args = [a.name for a in items if isinstance(a, ast.Letter)]
    if not items or len(args) != len(items) or len(set(args)) != len(args) or head in args:
        return None
    return head


def function_pattern(chain: ast.Chain) -> str | None:
    """The function ``g`` that the chain ``A = g(B) = expr ...`` defines by its second
    link, or None (see the module docstring)."""
    members = chain.members
    if len(members) < 3:
        return None
    head = call_pattern(members[1])
    if head is None:
        return None
    for later in members[2:]:
        if any(isinstance(n, ast.Letter) and n.name == head for n in ast.walk(later)):
            return None
    return head
