r"""A step that holds for the author's data only is not refuted by other data.

Authors plug their own observations into a formula: "\(\prod_{i=1}^{400} \theta^{x_i}
(1-\theta)^{1-x_i} = \theta^{117} (1-\theta)^{283}\)" holds because 117 of their 400
outcomes are 1. derive does not know those outcomes, so a counterexample with other values
of ``x`` says nothing about the step. :func:`data_gate` turns such a refutation into
``unknown`` with the reason when

- a quantity the counterexample gives values to (an input, never defined) is written on
  one side of the step only, under a sum or product over the observations, and
- the other side writes a number (not 0, 1 or 2) that the first side does not: the
  count, sum or value the author read off their data.

A refutation where the quantity is on both sides, or where no new number appears (``\sum_i
x_i = 0``), or whose new number is 2 (a factor a slip may drop or add), or of a step that
differentiates (a derivative drops what it differentiates by: ``\partial z_k / \partial z_j
= 5``), or with no sum or product over the data (``x_1 = 7``), stands.

>>> from derive.latex.parser import parse_block
>>> left, right = parse_block(r"\sum_{i=1}^{5} x_i = 17", 1, 1, (), "n.md")[0].members
>>> rec = {"verdict": "refuted", "counterexample": {"values": {"x": [1, 2, 0, 0, 0]}}}
>>> data_gate(rec, left, right)["verdict"]
'unknown'
"""

from __future__ import annotations

import re
from typing import Any

from derive.latex import ast

__all__ = ["data_gate"]

_FONT = re.compile(r"\\(?:textbf|mathbf|boldsymbol|bm|vec|mathrm)\s*\{\s*(.*?)\s*\}")


def _names(node: ast.Node) -> set[str]:
    return {_FONT.sub(r"\1", n.name) for n in ast.walk(node) if isinstance(n, ast.Letter)}


def _numbers(node: ast.Node) -> set[str]:
    out = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Num):
            text = n.text.strip()
            try:
                value = float(text)
            except ValueError:
                continue
            if value not in (0.0, 1.0, 2.0):
                out.add(text)
    return out


def _derivative(node: ast.Node) -> bool:
    """Does ``node`` differentiate (\\partial, \\nabla, \\frac{d}{d...})? A derivative
    drops the quantity it differentiates by: that is calculus, not the author's data."""
    for n in ast.walk(node):
        if isinstance(n, ast.Letter) and n.name in ("\\partial", "\\nabla"):
            return True
        if isinstance(n, ast.Frac) and isinstance(n.num, ast.Letter) and n.num.name == "d":
            return True
    return False


def _aggregates(node: ast.Node) -> bool:
    """Does ``node`` sum or multiply over the observations (a \\sum or \\prod)?"""
    return any(isinstance(n, ast.BigOp) for n in ast.walk(node))


def data_gate(rec: dict[str, Any], left: ast.Node, right: ast.Node) -> dict[str, Any]:
    """``rec`` itself, or, for a refutation of a step that writes the author's data as
    numbers on one side (see the module docstring), an ``unknown`` saying so."""
    cex = rec.get("counterexample")
    if rec.get("verdict") != "refuted" or not isinstance(cex, dict):
        return rec
    if _derivative(left) or _derivative(right):
        return rec
    data = {_FONT.sub(r"\1", str(k)) for k in (cex.get("values") or {})}
    sides = ((left, right, "left"), (right, left, "right"))
    for with_data, without, side in sides:
        gone = sorted((data & _names(with_data)) - _names(without))
        new = sorted(_numbers(without) - _numbers(with_data), key=float)
        if gone and new and _aggregates(with_data):
            out = {k: v for k, v in rec.items() if k != "counterexample"}
            out["verdict"] = "unknown"
            other = "right" if side == "left" else "left"
            out["note"] = "; ".join(x for x in (rec.get("note", ""), (
                f"the {other}-hand side writes {', '.join(new)} where the {side}-hand side "
                f"has the data {', '.join(gone)}: it holds for the author's data, which "
                "derive does not know, so a counterexample with other data does not refute "
                "it")) if x)
            return out
    return rec
