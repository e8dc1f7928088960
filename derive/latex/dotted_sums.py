r"""A sum written out with dots, ``T_1 + T_2 + \dots + T_n``, read as the sum it shows.

Published derivations write the chain rule and other sums term by term: ``\frac{\partial
L}{\partial p_1}\frac{\partial p_1}{\partial x_i} + \dots + \frac{\partial L}{\partial
p_n}\frac{\partial p_n}{\partial x_i}``. The first term fixes a pattern: the places where it
writes the subscript numeral 1 (or 0) are the running index. The reading is that of
``\sum_{j=1}^{n} T(j)`` only when

- the dots stand alone, once, between the terms written before them and one last term;
- every term is added (no ``-`` between them);
- the last term is the pattern with one label ``n`` (a letter, or an expression such as
  ``n - 1``) in every place of the numeral, and nothing else differs;
- every term written before the dots is the pattern at 1, 2, ... in turn.

One term between two runs of dots is the exception at an index named by a letter:
``p_i y_1 + p_i y_2 + \dots + (p_i - y_i) + \dots + p_i y_n`` is
``\sum_{j=1, j \neq i}^{n} p_i y_j + (p_i - y_i)``, read only when that term's subscripts name
exactly one letter (other than the last label), and the reader confirms that letter runs over
the same range as the sum (the ``in_range`` callback); terms written after the last term
(``\dots + p_i y_n - y_i``) are added as written.

Anything else (a last term with another index changed, ``T_1 + T_3 + \dots``, mixed signs
inside the run) is a :class:`~derive.latex.values.MathIssue`: the step is unknown, naming the
dots. The running letter is one no user can write (:data:`RUNNING`).

>>> from derive.latex.parser import parse_expr_text
>>> node = parse_expr_text(r"a_1 b_i + a_2 b_i + \dots + a_n b_i", 1, 1, frozenset())
>>> sum_node = dotted_sum(node.terms)
>>> sum_node.items[0].sup.name, [s.name for s in sum_node.items[1].subs]
('n', ['#dots'])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from derive.latex import ast
from derive.latex.values import MathIssue

__all__ = ["RUNNING", "dotted_sum", "is_gap"]

#: the running index of a dotted sum (a name the parser never produces)
RUNNING = "#dots"
_GAPS = frozenset({"\\cdots", "\\ldots", "\\dots", "\\dotsb", "\\dotsc"})
_FORM = ("a sum with dots: expected T_1 + T_2 + \\dots + T_n, every term added, the last "
         "term the first with its index 1 replaced")


def is_gap(node: ast.Node) -> bool:
    """Whether ``node`` is the dots of an elided sum."""
    return isinstance(node, ast.Letter) and node.name in _GAPS


def _subst(node: Any, numeral: str, label: ast.Node, in_sub: bool = False) -> Any:
    """``node`` with every subscript numeral ``numeral`` replaced by ``label``."""
    if isinstance(node, ast.Num) and in_sub and node.text == numeral:
        return label
    if isinstance(node, ast.Node):
        return replace(node, **{k: _subst(v, numeral, label, in_sub or (
            isinstance(node, ast.Postfix) and k == "subs"))
            for k, v in vars(node).items() if k not in ("line", "col")})
    if isinstance(node, tuple):
        return tuple(_subst(x, numeral, label, in_sub) for x in node)
    return node


def _labels(a: Any, b: Any, numeral: str, in_sub: bool, found: list[ast.Node]) -> bool:
    """Walk ``a`` and ``b`` together: equal except where ``a`` has the subscript numeral,
    what ``b`` has there collected in ``found``."""
    if isinstance(a, ast.Num) and in_sub and a.text == numeral:
        found.append(b)
        return True
    if isinstance(a, ast.Node) and isinstance(b, ast.Node):
        return type(a) is type(b) and all(
            _labels(v, getattr(b, k), numeral, in_sub or (
                isinstance(a, ast.Postfix) and k == "subs"), found)
            for k, v in vars(a).items() if k not in ("line", "col"))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_labels(x, y, numeral, in_sub, found)
                                        for x, y in zip(a, b, strict=True))
    return a == b


def _run(terms: tuple[tuple[str, ast.Node], ...], gaps: list[int]) -> tuple[int, int | None]:
    """(position of the last term of the run, position of the exception or None)."""
    g = gaps[0]
    if len(gaps) == 1:
        last, exc = g + 1, None
    elif len(gaps) == 2 and gaps[1] == g + 2:
        last, exc = g + 3, g + 1
    else:
        raise MathIssue(_FORM)
    if g < 1 or last >= len(terms) or any(sign != "+" for sign, _ in terms[:last + 1]):
        raise MathIssue(_FORM)
    return last, exc


def _index_letter(term: ast.Node, label: ast.Node) -> ast.Letter:
    """The one letter the subscripts of the exception ``term`` name (not the last label's)."""
    skip = {n.name for n in ast.walk(label) if isinstance(n, ast.Letter)}
    found: dict[str, ast.Letter] = {}
    for node in ast.walk(term):
        if isinstance(node, ast.Postfix):
            for sub in node.subs:
                for n in ast.walk(sub):
                    if isinstance(n, ast.Letter) and n.name not in skip:
                        found.setdefault(n.name, n)
    if len(found) != 1:
        raise MathIssue(f"{_FORM}; a term between two runs of dots is the exception at one "
                        f"index, but its subscripts name {len(found)} letters")
    return next(iter(found.values()))


def dotted_sum(terms: tuple[tuple[str, ast.Node], ...],
               in_range: Callable[[str, str, ast.Node], bool] | None = None
               ) -> ast.Node | None:
    r"""``\sum_{#dots=1}^{n} T(#dots)`` (a product of the sum and its body) for terms written
    with dots, None when no term is dots; MathIssue when the dots do not show one sum. With
    an exception ``E`` at a letter i between two runs of dots, ``\sum_{#dots=1, #dots \neq i}^{n}
    T(#dots) + E``, when ``in_range(i, "1", n)`` says i runs over 1..n."""
    gaps = [n for n, (_, t) in enumerate(terms) if is_gap(t)]
    if not gaps:
        return None
    end, exc = _run(terms, gaps)
    first, last = terms[0][1], terms[end][1]
    written = [t for _, t in terms[:gaps[0]]]
    for numeral in ("1", "0"):
        found: list[ast.Node] = []
        if not (_labels(first, last, numeral, False, found) and found
                and all(f == found[0] for f in found) and found[0] != ast.Num(text=numeral)):
            continue
        if any(_subst(first, numeral, ast.Num(text=str(int(numeral) + m))) != t
               for m, t in enumerate(written)):
            raise MathIssue(f"{_FORM}: the terms before the dots do not follow the first")
        at = first.line, first.col
        var = ast.Letter(name=RUNNING, line=at[0], col=at[1])
        start: ast.Node = ast.Rel(op="=", lhs=var, rhs=ast.Num(text=numeral))
        extra: tuple[tuple[str, ast.Node], ...] = ()
        if exc is not None:
            letter = _index_letter(terms[exc][1], found[0])
            if in_range is None or not in_range(letter.name, numeral, found[0]):
                raise MathIssue(f"{_FORM}; the term between the dots is the one at "
                                f"{letter.name}, which is not known to run over the same range")
            start = ast.Stack(items=(start, ast.Rel(op="\\neq", lhs=var, rhs=letter)),
                              line=at[0], col=at[1])
            extra = (("+", terms[exc][1]),)
        op = ast.BigOp(kind="sum", sub=start, sup=found[0], line=at[0], col=at[1])
        body = _subst(first, numeral, var)
        total = ast.Product(items=(op, *(body.items if isinstance(body, ast.Product) else (
            body,))), line=at[0], col=at[1])
        rest = extra + terms[end + 1:]
        return ast.Add(terms=(("+", total), *rest), line=at[0], col=at[1]) if rest else total
    raise MathIssue(f"{_FORM}: the last term is not the first with one label for its index")
