"""A call of ``\\log``, ``\\ln`` or ``\\exp`` with its argument in brackets, then a power.

``\\log(e^{a})^{y}``, ``\\log\\left(\\sum_i e^{x_i}\\right)^t``, ``\\exp(z)^2``: read
strictly, the power is on the call's value, ``(\\log e^{a})^{y}``. Published notes often
mean the call of the power, ``\\log((e^{a})^{y}) = y a`` (a Poisson or Bernoulli
log-likelihood, ``\\log p^{y}``): these names are written without brackets too (``\\log
x``), so the brackets may only group the power's base. Nothing in the formula tells the two
apart, so this is a point of the ambiguity policy (:mod:`derive.latex.ambiguity`, kind
``call-power``): the step is checked under both readings, proved or refuted only when they
agree. When more bracketed powers follow, ``\\log\\left(\\sum_i e^{x_i}\\right)^t
\\left(\\sum_i e^{y_i}\\right)^{1-t}`` (Hölder), ``\\log (p)^{y} (1-p)^{1-y}`` (a
Bernoulli likelihood), the call of the whole product of powers is a third reading. An entry
before the power, ``\\exp(u)_j^2``, is the power of the value's entry ``(\\exp(u)_j)^2`` or
the value of the entry's power ``\\exp(u_j^2)`` (as derive read it before): a point too.

The tree as written is read the old way by the elaborator and the referee, each by its own
rule (``\\log(u)^y`` the power of the value, ``\\exp(u)_j^2`` the value of the entry's
power); the other readings write the brackets out, ``\\log((u)^y)``, ``\\log((u)^y
(v)^z)``, ``(\\exp(u)_j)^2``, which both read as written.

Not a point (one reading, as before): the power on a bracketed call, ``(\\log x)^2``,
``[\\log(x)]^2`` (the power of the value); ``\\log x^2`` without brackets (the power of
``x``); a transpose ``\\exp(z)^T``; ``e^{x}`` (no call); and a function of the notes,
``f(x)^2``, ``\\sigma(z)^2``, ``\\text{softmax}(z)^2``: its brackets are the call's own
(``f x`` is no call), so the power after them is the power of the value.

>>> from derive.latex.parser import parse_expr_text
>>> asked = []
>>> def pick(kind, line, col, options):
...     asked.append(options[1])
...     return 1
>>> node = call_powers(parse_expr_text(r"\\log(e^{a})^{y} + 1", 1, 1), pick)
>>> asked
['\\\\log(...)^{...} the value of the power']
>>> type(node.terms[0][1].items[1]).__name__
'Group'
>>> asked.clear()
>>> _ = call_powers(parse_expr_text(r"(\\log x)^2 + \\log x^2 + f(x)^2 + \\exp(z)^T", 1, 1), pick)
>>> asked
[]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from derive.latex import ast
from derive.latex.elaborate_common import TRANSPOSE

__all__ = ["call_powers", "meets", "powered"]

Pick = Callable[[str, int, int, Sequence[str]], int]

#: the brackets an argument may be written in (``\\left( \\right)``, ``\\bigl[ \\bigr]`` too)
_BRACKETS = frozenset({"(", "["})


def powered(item: ast.Node) -> bool:
    """Is ``item`` a bracketed argument with a power after it: ``(u)^{y}``, ``[u]^2``,
    ``(u)_j^2`` (no prime, no transpose)?"""
    return (isinstance(item, ast.Postfix) and isinstance(item.base, ast.Group)
            and item.base.delim in _BRACKETS and not item.base.curly
            and bool(item.sups) and not item.primes
            and not any(isinstance(s, ast.Letter) and s.name in TRANSPOSE
                        for s in item.sups))


def _entry(head: ast.Func, nxt: ast.Postfix, pick: Pick) -> ast.Node | None:
    """``\\exp(u)_j^2``: the power of the value's entry, ``(\\exp(u)_j)^2`` (written out
    here), or the value of the entry's power, ``\\exp((u)_j^2)`` (the tree as written, which
    both readers read that way); None for the tree as written."""
    spelt = f"{head.name}(...)_{{...}}^{{...}}"
    if pick("call-power", head.line, head.col, (f"{spelt} the power of the value's entry",
                                                 f"{spelt} the value of the entry's power")):
        return None
    call = ast.Product(items=(head, replace(nxt, sups=())), line=head.line, col=head.col)
    return ast.Postfix(base=ast.Group(delim="(", items=(call,), line=head.line, col=head.col),
                       sups=nxt.sups, line=head.line, col=head.col)


def _read(node: ast.Node, pick: Pick) -> ast.Node:
    if not isinstance(node, ast.Product):
        return node
    items = list(node.items)
    at = 1
    while at < len(items):
        head, nxt = items[at - 1], items[at]
        at += 1
        if not (isinstance(head, ast.Func) and powered(nxt)):
            continue
        assert isinstance(nxt, ast.Postfix)
        if nxt.subs:
            if (whole := _entry(head, nxt, pick)) is not None:
                items[at - 2:at] = [whole]
                at -= 1
            continue
        end = at  # (u)^y (v)^z ...: the powers written right after the first
        while end < len(items) and powered(items[end]) and not items[end].subs:
            end += 1
        spelt = f"{head.name}(...)^{{...}}"
        options = (f"{spelt} the power of the value", f"{spelt} the value of the power")
        if end > at:
            options += (f"{spelt}(...)^{{...}} the value of the product of powers",)
        pick_ = pick("call-power", head.line, head.col, options)
        if pick_ == 1:
            items[at - 1] = ast.Group(delim="(", items=(nxt,), line=nxt.line, col=nxt.col)
        elif pick_ == 2:
            whole = ast.Product(items=tuple(items[at - 1:end]), line=nxt.line, col=nxt.col)
            items[at - 1:end] = [ast.Group(delim="(", items=(whole,), line=nxt.line,
                                           col=nxt.col)]
    new = tuple(items)
    return node if new == node.items else replace(node, items=new)


def call_powers(member: ast.Node, pick: Pick) -> ast.Node:
    """``member`` with each bracketed call of ``\\log``/``\\ln``/``\\exp`` followed by a
    power read as ``pick`` says: the power of the value (the tree as written) or the value
    of the power (the power moved inside the call)."""
    out = ast.rebuild(member, lambda n: _read(n, pick))
    assert isinstance(out, ast.Node)
    return out


def meets(member: ast.Node) -> bool:
    """Whether reading ``member`` meets a ``call-power`` point (a definition's body that does
    is not inferred: a definition is read without the ambiguity policy).

    >>> from derive.latex.parser import parse_expr_text
    >>> [meets(parse_expr_text(t, 1, 1)) for t in (r"\\log(p)^{y}", r"\\log(p^{y})")]
    [True, False]
    """
    met: list[int] = []

    def pick(kind: str, line: int, col: int, options: Sequence[str]) -> int:
        met.append(line)
        return 0

    call_powers(member, pick)
    return bool(met)
