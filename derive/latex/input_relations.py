r"""A step about the notes' inputs alone says what they are; a value of them cannot refute it.

Notes state properties of their data as equations: "so that \(\sum_j z_j = \sum_j v_j =
0\)" (zero-mean logits), "for a 2-class output \(t_2 = 1 - t_1\)", "\(\therefore \sum_j y_j
= 1\)" (a one-hot label), "\(e^{x_2} = b\)" (a name for a quantity), "\(X^\top(Xw - y) =
0\)" (an equation to solve), "\(q_i - 1 = \frac{e^{z_i}}{\sum_j e^{z_j}} - 1\)" (q is the
softmax of z). Every quantity written there is an *input*: a tensor or scalar nothing
defines, read as free. A counterexample that gives them other values shows only that free
inputs need not satisfy the equation, which the author never claimed: the author states
that theirs do. :func:`input_relation` names such a step; the checker then reports a
refutation as ``unknown`` with that reason (a proof stands: it holds for every value).

The rule applies to a step only when

- every quantity on both sides is an input (a declared or inferred tensor, label or scalar
  with no definition, nothing derive reads as a function of others), with no derivative, no
  prime, no call and no defined name; sizes, index letters, ``e`` and numbers are no
  quantities; and
- the sides share no entry (``t_2`` vs ``t_1``, ``z`` vs ``v``; an entry at an index letter
  is the quantity itself, ``x_j`` and ``x_k`` are shared), or one side is a number (``= 0``,
  ``= 1``).

It does not apply where the sides share an entry: ``(a + b)^2 = a^2 + b^2`` or
``\sum_i x_i^2 = (\sum_i x_i)^2`` is an algebra claim about any values, and its
refutation stands; nor to a step that writes a defined quantity (``\sum_k p_k = 2`` with
``p`` the softmax) or a derivative.

>>> from derive.latex.parser import parse_block
>>> left, right = parse_block(r"t_2 = 1 - t_1", 1, 1, (), "n.md")[0].members
>>> input_relation(left, right, {"t"}.__contains__, frozenset())
't'
>>> left, right = parse_block(r"(a + b)^2 = a^2 + b^2", 1, 1, (), "n.md")[0].members
>>> input_relation(left, right, {"a", "b"}.__contains__, frozenset()) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from derive.latex import ast

__all__ = ["input_relation", "relation_note"]

# letters that are constants or notation, never quantities
_CONSTANTS = frozenset({"e", "\\pi", "T", "\\top", "\\intercal", "\\mathsf{T}", "\\infty"})
# letters that make the step a derivative or a differential
_DERIVATIVES = frozenset({"\\partial", "\\nabla", "d", "\\mathrm{d}", "\\prime", "\\Delta"})

Entry = tuple[str, tuple[str, ...] | None]  # (quantity, numeral subscripts or None: any)


class _NotInputs(Exception):
    """The member writes something other than inputs (a derivative, a call, a definition)."""


def _numeral(node: ast.Node) -> str | None:
    return node.text if isinstance(node, ast.Num) else None


def _entries(node: object, is_input: Callable[[str], bool], letters: frozenset[str],
             out: set[Entry]) -> None:
    """The input entries written in ``node`` (raises :class:`_NotInputs` otherwise)."""
    if isinstance(node, (tuple, list)):
        for item in node:
            _entries(item, is_input, letters, out)
        return
    if not isinstance(node, ast.Node):
        return
    if isinstance(node, ast.Letter):
        if node.name in letters or node.name in _CONSTANTS:
            return
        if node.name in _DERIVATIVES or not is_input(node.name):
            raise _NotInputs(node.name)
        out.add((node.name, None))
        return
    if isinstance(node, ast.Postfix):
        if node.primes:
            raise _NotInputs("a prime")
        base = node.base
        if isinstance(base, ast.Letter) and base.name not in letters and (
                base.name not in _CONSTANTS):
            if base.name in _DERIVATIVES or not is_input(base.name):
                raise _NotInputs(base.name)
            subs = [s for sub in node.subs for s in (
                sub.items if isinstance(sub, (ast.Seq, ast.Product)) else (sub,))]
            numerals = [_numeral(s) for s in subs]
            if subs and all(n is not None for n in numerals):
                out.add((base.name, tuple(n for n in numerals if n is not None)))
            else:
                out.add((base.name, None))
        else:
            _entries(base, is_input, letters, out)
        _entries(node.sups, is_input, letters, out)  # powers (index letters are skipped)
        return
    if isinstance(node, ast.BigOp):
        return  # the limits: index letters and sizes
    if isinstance(node, ast.Product):
        items = node.items
        for at, item in enumerate(items):
            nxt = items[at + 1] if at + 1 < len(items) else None
            if isinstance(item, ast.Letter) and isinstance(nxt, ast.Group) and (
                    nxt.delim == "(" and item.name not in letters and not is_input(item.name)):
                raise _NotInputs(f"a call of {item.name}")
        _entries(items, is_input, letters, out)
        return
    if isinstance(node, ast.Unreadable):
        raise _NotInputs("an unread construct")
    for name in node.__dataclass_fields__:
        if name not in ("line", "col"):
            _entries(getattr(node, name), is_input, letters, out)


def _head(name: str) -> str:
    """The letter of a name, without a label (``\\theta^{(1-x)}`` and ``\\theta``: one
    letter, read as one quantity by another reading)."""
    return re.split(r"[\^_]", name, maxsplit=1)[0]


def _shared(a: set[Entry], b: set[Entry]) -> bool:
    """Do the two sides write one entry (an entry at an index letter is every entry; a
    labelled name is its letter)?"""
    for name, at in a:
        for other, there in b:
            if _head(name) == _head(other) and (at is None or there is None or at == there):
                return True
    return False


def _number(node: ast.Node | None) -> bool:
    """Is ``node`` a number (``0``, ``-1``, ``(1)``)?"""
    if isinstance(node, ast.Neg):
        return _number(node.body)
    if isinstance(node, ast.Group) and len(node.items) == 1:
        return _number(node.items[0])
    return isinstance(node, ast.Num)


def input_relation(left: ast.Node, right: ast.Node, is_input: Callable[[str], bool],
                   letters: Iterable[str]) -> str | None:
    """The inputs (sorted, comma-separated) when ``left = right`` relates the notes'
    inputs only (see the module docstring), else None. ``letters``: the index letters and
    sizes (never quantities)."""
    skip = frozenset(letters)
    sides: list[set[Entry]] = [set(), set()]
    try:
        for node, found in zip((left, right), sides, strict=True):
            _entries(node, is_input, skip, found)
    except _NotInputs:
        return None
    if not (sides[0] or sides[1]):
        return None  # numbers and sizes only: arithmetic, checked as written
    if _shared(*sides) and not (_number(left) or _number(right)):
        return None
    return ", ".join(sorted({name for side in sides for name, _ in side}))


def relation_note(names: str) -> str:
    """The reason a refutation of such a step is not reported."""
    return (f"a relation between the notes' inputs only ({names}): it states what they are "
            "(a hypothesis, a name or an equation to solve), so a counterexample giving them "
            "other values refutes nothing the notes claim")
