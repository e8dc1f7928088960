"""How far a ``\\sum`` reaches when a later term uses its letter: ``\\sum_i a_i + b_i``.

Read strictly, a sum's body is the rest of its product, so in ``\\sum_{i=1}^n -\\lambda_i +
y_i \\log \\lambda_i`` the second term is outside the sum and its ``i`` is free. Published
notes often mean the sum of the whole, ``\\sum_i (-\\lambda_i + y_i \\log \\lambda_i)``: the
later term writes the letter the sum binds. Nothing in the formula tells the two apart, so
this is a point of the ambiguity policy (:mod:`derive.latex.ambiguity`, kind
``sum-reach``): the step is checked under both readings, proved or refuted only when they
agree.

The point is met only when a term of a sum or difference begins with ``\\sum`` over an
index letter (``\\sum_i``, ``\\sum_{i=1}^n``) and a *later* term of the same sum or
difference uses that letter outside a sum of its own. ``\\sum_i a_i + b`` (no later use),
``\\sum_i a_i + \\sum_i b_i`` (the later ``i`` bound again) and ``b_i + \\sum_i a_i`` (an
earlier use) meet no point.

>>> from derive.latex.parser import parse_expr_text
>>> asked = []
>>> def pick(kind, line, col, options):
...     asked.append(options[1])
...     return 1
>>> node = reach(parse_expr_text(r"\\sum_{i=1}^n a_i + b_i", 1, 1), frozenset("i"), pick)
>>> asked
['\\\\sum_{i} runs over the rest of the sum']
>>> [type(t).__name__ for _, t in node.terms], type(node.terms[0][1].items[1]).__name__
(['Product'], 'Group')
>>> asked.clear()
>>> _ = reach(parse_expr_text(r"\\sum_i a_i + \\sum_i b_i", 1, 1), frozenset("i"), pick)
>>> asked
[]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields, replace

from derive.latex import ast

__all__ = ["meets", "reach", "uses_free"]

Pick = Callable[[str, int, int, Sequence[str]], int]


def _binds(op: ast.Node) -> str | None:
    """The letter a ``\\sum`` binds when its subscript names one (``i``, ``i = 1``)."""
    if not (isinstance(op, ast.BigOp) and op.kind == "sum"):
        return None
    sub = op.sub
    if isinstance(sub, ast.Rel) and sub.op in ("=", "\\in"):
        sub = sub.lhs
    return sub.name if isinstance(sub, ast.Letter) else None


def _bound(op: ast.Node) -> frozenset[str]:
    """Every letter a ``\\sum`` may bind: its index (``i``, ``i = 1``), both letters of a
    pair sum (``i \\neq j``) and those of a stacked subscript (``\\sum_{j} \\sum_{i \\neq
    j}`` as the policy writes it)."""
    if not (isinstance(op, ast.BigOp) and op.kind == "sum"):
        return frozenset()
    subs = op.sub.items if isinstance(op.sub, ast.Stack) else (op.sub,)
    out: set[str] = set()
    for sub in subs:
        if isinstance(sub, ast.Rel):
            sides = (sub.lhs,) if sub.op in ("=", "\\in") else (sub.lhs, sub.rhs)
            out |= {n.name for s in sides for n in ast.walk(s) if isinstance(n, ast.Letter)}
        elif isinstance(sub, ast.Letter):
            out.add(sub.name)
    return frozenset(out)


def uses_free(node: object, name: str) -> bool:
    """Whether ``node`` writes the letter ``name`` outside every sum that binds it.

    >>> from derive.latex.parser import parse_expr_text
    >>> [uses_free(parse_expr_text(t, 1, 1), "i") for t in ("b_i", r"\\sum_i b_i", "b_j",
    ...                                                    r"\\sum_{i \\ne j} b_i b_j")]
    [True, False, False, False]
    """
    if isinstance(node, tuple):
        return any(uses_free(x, name) for x in node)
    if isinstance(node, ast.Letter):
        return node.name == name
    if isinstance(node, ast.Product):
        for item in node.items:
            if name in _bound(item):
                assert isinstance(item, ast.BigOp)
                return uses_free(item.sup, name)  # the rest of the product is its body
            if uses_free(item, name):
                return True
        return False
    if not isinstance(node, ast.Node):
        return False
    return any(uses_free(getattr(node, f.name), name) for f in fields(node)
               if f.name not in ("line", "col"))


def _widen(node: ast.Add, pick: Pick, indices: frozenset[str]) -> ast.Add:
    terms = list(node.terms)
    for at in range(len(terms) - 2, -1, -1):
        sign, term = terms[at]
        if not (isinstance(term, ast.Product) and term.items):
            continue
        first = term.items[0]
        name = _binds(first)
        later = terms[at + 1:]
        if name is None or name not in indices or not any(
                uses_free(t, name) for _, t in later):
            continue
        spelt = f"\\sum_{{{name}}}"
        if pick("sum-reach", first.line, first.col,
                (f"{spelt} ends at its term", f"{spelt} runs over the rest of the sum")) != 1:
            continue
        body = term.items[1:]
        head: ast.Node = body[0] if len(body) == 1 else ast.Product(
            items=body, line=body[0].line, col=body[0].col) if body else ast.Num(
            text="0", line=first.line, col=first.col)
        inner = ast.Add(terms=(("+", head), *later), line=head.line, col=head.col)
        group = ast.Group(delim="(", items=(inner,), line=head.line, col=head.col)
        terms[at:] = [(sign, replace(term, items=(first, group)))]
    return node if tuple(terms) == node.terms else replace(node, terms=tuple(terms))


def reach(member: ast.Node, indices: frozenset[str], pick: Pick) -> ast.Node:
    """``member`` with each sum whose letter a later term uses read as ``pick`` says: ending
    at its term (0) or running over the rest of the sum or difference (1)."""
    out = ast.rebuild(member, lambda n: _widen(n, pick, indices) if isinstance(n, ast.Add) else n)
    assert isinstance(out, ast.Node)
    return out


def meets(member: ast.Node, indices: frozenset[str]) -> bool:
    """Whether reading ``member`` meets a ``sum-reach`` point (a definition's body that does
    is not inferred: a definition is read without the ambiguity policy).

    >>> from derive.latex.parser import parse_expr_text
    >>> [meets(parse_expr_text(t, 1, 1), frozenset("i")) for t in (r"\\sum_i a_i + b_i",
    ...                                                             r"\\sum_i a_i + b")]
    [True, False]
    """
    met: list[int] = []

    def pick(kind: str, line: int, col: int, options: Sequence[str]) -> int:
        met.append(line)
        return 0

    reach(member, indices, pick)
    return bool(met)
