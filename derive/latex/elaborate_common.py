"""What every part of the elaborator shares: the spellings it recognises (markers, elisions,
transposes, indicators, operators, built-in functions), the environment :class:`Env` a node
is read in, and small helpers on syntax trees (a big operator's index and conditions, pattern
labels, how a node is spelt back)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy as sp

from derive.latex import ast
from derive.latex import values as V
from derive.latex.values import MathIssue, Value

MARKERS = ("\\partial", "\\delta")
ELIDED = ("\\vdots", "\\cdots", "\\ldots", "\\ddots")
TRANSPOSE = ("T", "\\top", "\\intercal", "\\prime")
# spellings of the indicator function: \mathbb{1}\{y=k\}, I_{\{y=k\}}, \boldsymbol{1}(j=l)
INDICATORS = ("\\mathbb{1}", "\\mathbf{1}", "\\boldsymbol{1}", "\\bm{1}", "\\mathbb{I}", "I")
OPERATORS = ("\\partial", "\\nabla")  # \partial_{z_j} L, \nabla_{\theta_k} J
BUILTINS = ("\\text{softmax}", "\\text{logsumexp}", "\\text{diag}")


@dataclass(frozen=True)
class Env:
    bound: dict[str, sp.Expr] = field(default_factory=dict)
    values: dict[ast.Node, Value] = field(default_factory=dict)
    keep: frozenset[int] = frozenset()
    prime: ast.Node | None = None
    depth: int = 0
    # the prime's variable was read from the context (derive.latex.prime_variables), not
    # declared: never given to f'(a) (Lagrange's notation) nor to a definition's body
    prime_inferred: bool = False
    # why the context gives an undeclared prime no variable (ambiguous, a name of its own)
    prime_note: str = ""
    #: the limits of the sums around: letter -> (its symbol, first, last)
    limits: dict[str, tuple[sp.Expr, sp.Expr, sp.Expr]] = field(default_factory=dict)


def _items_is_marker(node: ast.Node) -> bool:
    """``\\partial``, ``\\delta`` or ``d``, bare or with a power: not a variable."""
    base = node.base if isinstance(node, ast.Postfix) else node
    return isinstance(base, ast.Letter) and (base.name in MARKERS or base.name == "d")


def _items(node: ast.Node | None) -> tuple[ast.Node, ...]:
    if isinstance(node, ast.Product):
        return node.items
    return (node,) if node is not None else ()


def _bigop_var(node: ast.BigOp) -> str | None:
    head = node.sub.items[0] if isinstance(node.sub, ast.Stack) else node.sub
    if isinstance(head, ast.Rel):
        head = head.lhs
    return head.name if isinstance(head, ast.Letter) else None


def _bigop_conditions(node: ast.BigOp) -> tuple[ast.Node, ...]:
    parts = node.sub.items if isinstance(node.sub, ast.Stack) else (node.sub,)
    out: list[ast.Node] = []
    for pos, part in enumerate(parts):
        if isinstance(part, ast.Rel) and pos == 0:
            if part.rhs is not None:
                out.append(part.rhs)  # the lower limit of k=1
        elif pos > 0:
            out.append(part)  # a condition such as k \neq j
    return tuple(out)


def _pattern_label(first: ast.Node, last: ast.Node, numeral: str = "1") -> ast.Node | None:
    """What stands in ``last`` where ``first`` has the subscript ``numeral`` (``b_1`` / ``b_m``:
    m)."""
    found: list[ast.Node] = []

    def walk(a: object, b: object, in_sub: bool) -> bool:
        if isinstance(a, ast.Num) and in_sub and a.text == numeral:
            found.append(b)  # type: ignore[arg-type]
            return True
        if isinstance(a, ast.Node) and isinstance(b, ast.Node):
            if type(a) is not type(b):
                return False
            for name, va in vars(a).items():
                if name in ("line", "col"):
                    continue
                vb = getattr(b, name)
                sub = in_sub or (isinstance(a, ast.Postfix) and name == "subs")
                if not walk(va, vb, sub):
                    return False
            return True
        if isinstance(a, tuple) and isinstance(b, tuple):
            return len(a) == len(b) and all(walk(x, y, in_sub) for x, y in zip(a, b, strict=True))
        return a == b

    if not walk(first, last, False) or not found:
        return None
    if any(f != found[0] for f in found):
        return None
    return found[0]


def _substitute_label(node: object, label: ast.Node, in_sub: bool = False) -> object:
    """``node`` with every subscript 1 replaced by ``label``."""
    return _substitute_labels(node, {"1": label})


def _substitute_labels(node: object, labels: dict[str, ast.Node], in_sub: bool = False
                       ) -> object:
    """``node`` with every subscript numeral in ``labels`` replaced by its label."""
    if isinstance(node, ast.Num) and in_sub and node.text in labels:
        return labels[node.text]
    if isinstance(node, ast.Node):
        changes = {}
        for name, value in vars(node).items():
            if name in ("line", "col"):
                continue
            sub = in_sub or (isinstance(node, ast.Postfix) and name == "subs")
            changes[name] = _substitute_labels(value, labels, sub)
        return replace(node, **changes)
    if isinstance(node, tuple):
        return tuple(_substitute_labels(x, labels, in_sub) for x in node)
    return node


def _is_condition(node: ast.Node) -> bool:
    return isinstance(node, ast.Group) and len(node.items) == 1 and isinstance(
        node.items[0], ast.Rel)


def _is_marker(node: ast.Node) -> bool:
    return isinstance(node, ast.Letter) and node.name in MARKERS


def _combine(acc: Value, val: Value, op: str | None) -> Value:
    if op is None:
        return V.matmul(acc, val)
    if op == "\\cdot":
        return V.matmul(acc, val, dot=True)
    if op == "\\times":
        return V.times(acc, val)
    if op == "\\otimes":
        return V.outer(acc, val)
    if op == "\\odot":
        return V.hadamard(acc, val)
    if op == "/":
        return V.divide(acc, val)
    raise MathIssue(f"unknown operator {op}")


def _spell(node: ast.Node | None) -> str:
    """A short spelling of a set as written (for messages)."""
    if isinstance(node, ast.Letter):
        return node.name
    if isinstance(node, ast.Num):
        return node.text
    if isinstance(node, ast.Group):
        opened, closed = ("\\{", "\\}") if node.curly else (node.delim, "]")
        return opened + ", ".join(_spell(it) for it in node.items) + closed
    return "..."


def _show(values: dict[str, int]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in values.items()) or "every point"
