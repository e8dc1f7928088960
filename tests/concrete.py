"""Evaluate a claim at a counterexample with SymPy alone (sums expanded, exact values).

This is a second, independent route to the numbers a counterexample reports: no
derive algebra, no derive evaluator, only SymPy's ``doit`` at concrete sizes.
"""

from __future__ import annotations

import sympy as sp

from derive.engine.prover import freshen  # alpha-renaming only: bound letters stay bound


def concrete_value(expr: sp.Expr, sizes: dict, indices: dict, values: dict) -> float:
    expr = freshen(expr)
    by_name = {**sizes, **indices}
    rep = {
        s: sp.Integer(by_name[s.name])
        for s in expr.atoms(sp.Symbol)
        if s.name in by_name and not isinstance(s, sp.Dummy)
    }
    e = expr.xreplace(rep).doit()
    subs = {}
    for ind in e.atoms(sp.Indexed):
        val = values[str(ind.base.label)]
        for q in ind.indices:
            val = val[int(q) - 1]
        subs[ind] = sp.nsimplify(val)
    for s in e.atoms(sp.Symbol):
        if s.name in values and not isinstance(values[s.name], list):
            subs[s] = sp.nsimplify(values[s.name])
    return float(e.xreplace(subs).evalf(30))
