"""The elaborator's ``cases`` environments: rows and their conditions (derive.latex.cases)."""

from __future__ import annotations

import sympy as sp

from derive.latex import ast
from derive.latex import values as V
from derive.latex.cases import analyse
from derive.latex.elaborate_common import (
    Env,
    _show,
)
from derive.latex.values import MathIssue, Value

__all__ = ["CaseRules"]


class CaseRules:
    """Piecewise definitions (a part of :class:`derive.latex.elaborate.Elaborator`)."""

    def _n_cases(self, node: ast.Cases, env: Env) -> Value:
        """A ``cases`` block by its rows' conditions: rows are checked for overlap and
        coverage; ``otherwise`` is the complement of the other rows (not 1 − Σ of their
        weights). Where rows can apply at once the notation is ambiguous: this reads the
        row ``case_first`` names first (the written first row by default) and logs the
        block, so the checker can require the step under every row that applies."""
        where = f"the cases at {node.line}:{node.col}"
        if node.unread:
            raise MathIssue(f"row {node.unread[0] + 1} of {where} has a condition in words: "
                            "expected i = j, i \\neq j or 'otherwise'")
        rows = [(self.value(v, env), None if c is None else self.indicator(c, env))
                for v, c in node.rows]
        conditioned = [(v, w) for v, w in rows if w is not None]
        others = [v for v, w in rows if w is None]
        if len(others) > 1:
            raise MathIssue(f"{where} has {len(others)} rows without a condition: expected "
                            "one 'otherwise' row at most")
        table = analyse([w for _, w in conditioned])
        if not others and not table.covered:
            gap = (f"no row applies at {_show(table.witness)}" if table.exact else
                   "derive cannot tell whether some row always applies")
            raise MathIssue(f"{where} do not cover every index value ({gap}): add an "
                            "'otherwise' row")
        if table.exact and not table.overlaps:
            weights = [w for _, w in conditioned]
            rest = sp.Integer(1) - sp.Add(*weights)  # disjoint rows: the complement
        else:
            key = (node.line, node.col)
            self.case_log[key] = (len(conditioned), table,
                                  tuple(w for _, w in conditioned))
            first = self.case_first.get(key, 0)
            order = [first, *(r for r in range(len(conditioned)) if r != first)]
            weights = [sp.Integer(0)] * len(conditioned)
            before = sp.Integer(1)
            for r in order:  # row r applies where it holds and no earlier row does
                weights[r] = conditioned[r][1] * before
                before = before * (1 - conditioned[r][1])
            rest = before
        terms = [V.scale(v, w) for (v, _), w in zip(conditioned, weights, strict=True)]
        if others and not (table.exact and table.covered):
            terms.append(V.scale(others[0], rest))
        if not terms:
            raise MathIssue(f"{where} has no row that ever applies")
        total = terms[0]
        for term in terms[1:]:
            total = V.add(total, term)
        return total
