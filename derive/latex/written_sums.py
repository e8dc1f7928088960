r"""A sum written out term by term, ``T(1) + T(2) + T(3)``: the author's instance of a size.

Notes expand ``\sum_{j=1}^{N} (e^z)^j`` as ``(e^z)^1 + (e^z)^2 + (e^z)^3`` to show what the
sum is: the step holds at ``N = 3``, the size the author writes out, and at no other. With
``N`` free a counterexample at ``N = 2`` is easy, and it is not what the author claimed; at
``N = 3`` a wrong expansion (a term missing, a wrong factor) is still refuted. The notes do
not say which reading they mean (``N`` general, or ``N`` as written out), so the checker
takes both (the ambiguity policy): a step refuted with ``N`` free is checked again at
``N = m``; refuted there it stays refuted (the counterexample at ``N = m`` refutes both
readings), otherwise it is ``unknown (ambiguous)`` naming the two readings.

:func:`written_out` finds ``m``: a sum of ``m ≥ 2`` terms, all added, where term ``k`` is
the first term with the numeral ``1`` replaced by ``k`` wherever the first term writes it,
and nothing else differs; every term of the sum is in the run. ``z_1 + z_2 + z_3`` (m = 3)
and ``(e^z)^1 + (e^z)^2`` (m = 2) are such sums; ``z_1 + z_3``, ``z_1 - z_2``, ``z_1 +
y_2``, ``a + z_1 + z_2`` and the dotted ``z_1 + z_2 + \dots + z_K`` are not.

>>> from derive.latex.parser import parse_expr_text
>>> written_out([parse_expr_text(r"\frac{1}{(e^z)^1 + (e^z)^2 + (e^z)^3}", 1, 1, frozenset())])
3
>>> written_out([parse_expr_text(r"z_1 + z_3", 1, 1, frozenset())]) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields, replace

from derive.latex import ast

__all__ = ["written_out"]

_DOTS = frozenset({"\\ldots", "\\cdots", "\\dots", "\\dotsb", "\\dotsc", "\\vdots"})


def _numbered(node: object, k: int) -> object:
    """``node`` with every numeral ``k`` written as ``#`` (a mark no user writes)."""
    if isinstance(node, tuple):
        return tuple(_numbered(x, k) for x in node)
    if not isinstance(node, ast.Node):
        return node
    if isinstance(node, ast.Num):
        return replace(node, text="#") if node.text == str(k) else node
    return replace(node, **{f.name: _numbered(getattr(node, f.name), k)
                            for f in fields(node) if f.name not in ("line", "col")})


def _run_length(terms: list[ast.Node]) -> int:
    """How many terms from the first are the pattern at 1, 2, ... (0 when the first term
    writes no 1)."""
    pattern = _numbered(terms[0], 1)
    if pattern == terms[0]:
        return 0
    count = 1
    for k, term in enumerate(terms[1:], start=2):
        if _numbered(term, k) != pattern or _numbered(term, 1) != term:
            break
        count += 1
    return count


def written_out(members: Iterable[ast.Node]) -> int | None:
    """The largest ``m >= 2`` of a sum written out term by term in ``members`` (see the
    module docstring), else None."""
    best = None
    for member in members:
        for node in ast.walk(member):
            if not isinstance(node, ast.Add) or len(node.terms) < 2:
                continue
            terms = [t for _, t in node.terms]
            if any(s != "+" for s, _ in node.terms) or any(
                    isinstance(x, ast.Letter) and x.name in _DOTS
                    for t in terms for x in ast.walk(t)):
                continue  # a sign, or dots: the dotted sum (derive.latex.dotted_sums)
            if _run_length(terms) == len(terms):
                best = max(best or 0, len(terms))
    return best
