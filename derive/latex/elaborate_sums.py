"""The elaborator's big operators: sums and products over index ranges, set domains
(``\\sum_{i \\ne j}``), finite operators written out, and the index a ``\\sum`` without
one runs over."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy as sp

from derive.latex import ast
from derive.latex import values as V
from derive.latex.elaborate_common import (
    ELIDED,
    Env,
    _spell,
)
from derive.latex.scripts import index_items
from derive.latex.values import MathIssue, Value, fresh_index, scalar

__all__ = ["SumRules"]


class SumRules:
    """Sums and products over indices (a part of :class:`derive.latex.elaborate.Elaborator`)."""

    def _bigop(self, node: ast.BigOp, body: tuple[ast.Node, ...], env: Env) -> Value:
        if node.sub is None:
            node = replace(node, sub=self._implied_sum_index(node, body, env))
        assert node.sub is not None
        parts = node.sub.items if isinstance(node.sub, ast.Stack) else (node.sub,)
        head = parts[0]
        conds = list(parts[1:])
        lo_node: ast.Node | None = None
        domain: tuple[str, Any] | None = None
        if isinstance(head, ast.Rel) and head.op == "=":
            var, lo_node = head.lhs, head.rhs
        elif isinstance(head, ast.Rel) and head.op == "\\in":
            # the set is read exactly (an interval or a finite set) or not at all: never
            # replaced by the index's declared range
            var = head.lhs
            if node.sup is not None:
                raise MathIssue(f"\\{node.kind} over a set that also carries an upper limit: "
                                "the range is ambiguous; write one of the two")
            domain = self._set_domain(head.rhs, env, node.kind)
        elif isinstance(head, ast.Rel):
            var = head.lhs
            conds.insert(0, head)
        else:
            var = head
        if not isinstance(var, ast.Letter):
            raise self.err(head, f"\\{node.kind} index: expected a letter such as k")
        declared = self.decl.indices.get(var.name)
        if domain is not None and domain[0] in ("interval", "progression"):
            declared = (sp.Integer(0), *domain[1][:2])
        if declared is None and domain is None and (lo_node is None or node.sup is None):
            raise self.err(var, f"\\{node.kind} over undeclared index {var.name}: expected "
                           "'% derive: index ...' or both limits")
        lo = self.index(lo_node, env) if lo_node is not None else declared[1]  # type: ignore[index]
        if isinstance(node.sup, ast.Letter) and node.sup.name in self.decl.sizes:
            hi = self.decl.sizes[node.sup.name]  # \sum_{k=1}^{k}: "k classes"
        else:
            hi = (self.scalar_of(node.sup, env, "an upper limit") if node.sup is not None
                  else declared[2])  # type: ignore[index]
        sym = fresh_index(var.name)
        limits = {k: v for k, v in env.limits.items() if k != var.name}
        if domain is None:
            limits[var.name] = (sym, lo, hi)
        inner = replace(env, bound={**env.bound, var.name: sym}, limits=limits)
        if not body:
            raise self.err(node, f"\\{node.kind} with nothing to sum")
        val = self._product(body, inner)
        weight = sp.Integer(1)
        for cond in conds:
            weight *= self.indicator(cond, inner)
        if domain is not None and domain[0] == "finite":
            return self._finite_bigop(node.kind, val, weight, sym, domain[1])
        if domain is not None and domain[0] == "progression":
            # \{a, a+d, \ldots, b\}: the m-th element is a + d m, m = 0..(b - a)/d
            start, step = domain[1][2]
            at = {sym: start + step * sym}
            val, weight = replace(val, expr=val.expr.xreplace(at)), weight.xreplace(at)
        length = sp.expand(hi - lo + 1)
        if length.is_Integer and length <= 0:
            # an empty range (\sum_{k=5}^{3}, \sum_{k=K+1}^{K}) is empty whatever SymPy's
            # Karr convention says: the sum is 0 and the product 1 (README)
            if node.kind == "prod":
                return scalar(sp.Integer(1))
            return V.scale(val, sp.Integer(0))
        if node.kind == "prod":
            if not val.is_scalar or weight != 1:
                raise MathIssue("\\prod of a non-scalar or with a condition")
            return scalar(sp.Product(val.expr, (sym, lo, hi)))
        if val.concrete is not None:
            raise MathIssue("\\sum of a literal matrix")
        return replace(val, expr=sp.Sum(val.expr * weight, (sym, lo, hi)))

    def _set_domain(self, rhs: ast.Node | None, env: Env,
                    kind: str) -> tuple[str, Any]:
        """The exact index set of ``\\sum_{k \\in S}``: ``("interval", (lo, hi))`` for
        ``[K]`` (1..K) and ``\\{a, a+1, \\ldots, b\\}`` (a..b, empty when b < a), or
        ``("finite", elements)`` for a written-out set ``\\{1, 2, 3\\}`` (whole numbers,
        each counted once, or a single element). Any other set (a name ``S``, elements that
        may coincide, a list that is not consecutive before its dots) is a MathIssue: the
        step is unknown, never summed over the declared range."""
        what = f"\\{kind} over the set {_spell(rhs)}"
        if not isinstance(rhs, ast.Group) or rhs.delim != "[" or not rhs.items:
            raise MathIssue(f"{what}: derive reads only [K], \\{{a, \\ldots, b\\}} and "
                            "written-out sets such as \\{1, 2, 3\\}")
        items = rhs.items
        if len(items) == 1 and not rhs.curly:  # [K]
            return "interval", (sp.Integer(1), self.scalar_of(items[0], env, "the size in [K]"))
        dots = [n for n, it in enumerate(items)
                if isinstance(it, ast.Letter) and it.name in ELIDED]
        if dots:
            if len(dots) != 1 or dots[0] == 0 or dots[0] != len(items) - 2:
                raise MathIssue(f"{what}: expected one \\ldots between the first elements "
                                "and the last, as in \\{a, a+1, \\ldots, b\\}")
            first = [self.scalar_of(it, env, "an element of a set") for it in items[: dots[0]]]
            last = self.scalar_of(items[-1], env, "the last element")
            if len(first) == 1:
                # \{a, \ldots, b\} runs up from a number to a size (\{3, \ldots, K\}, empty
                # at K < 3) or where b ≥ a - 1 always, down where a ≥ b always
                # (\{K, \ldots, 1\}); else (\{j, \ldots, K\}) unknown
                if (first[0].is_number and not last.is_number) or sp.expand(
                        last - first[0] + 1).is_nonnegative:
                    return "interval", (first[0], last)
                if sp.expand(first[0] - last).is_nonnegative:
                    return "interval", (last, first[0])
                raise MathIssue(f"{what}: derive cannot tell whether it runs up or down")
            step = sp.expand(first[1] - first[0])
            if not (step.is_Integer and step != 0) or any(
                    sp.expand(e - first[0] - n * step) != 0 for n, e in enumerate(first)):
                raise MathIssue(f"{what}: the elements before \\ldots are not an arithmetic "
                                "progression with a whole-number step")
            if abs(step) == 1:
                return "interval", (first[0], last) if step > 0 else (last, first[0])
            count = sp.expand((last - first[0]) / step)  # the index of the last element
            poly = sp.Poly(count, *count.free_symbols) if count.free_symbols else None
            whole = (count.is_Integer if poly is None
                     else all(c.is_Integer for c in poly.coeffs()))
            if not whole:
                raise MathIssue(f"{what}: the last element is not reached in steps of {step}")
            return "progression", (sp.Integer(0), count, (first[0], step))
        elements = [self.scalar_of(it, env, "an element of a set") for it in items]
        if len(elements) > 1 and not all(e.is_Integer for e in elements):
            raise MathIssue(f"{what}: elements that are not numbers may coincide, so the "
                            "set's size is not known")
        return "finite", tuple(dict.fromkeys(elements))

    @staticmethod
    def _finite_bigop(kind: str, val: Value, weight: sp.Expr, sym: sp.Symbol,
                      elements: tuple[sp.Expr, ...]) -> Value:
        """A sum or product over a written-out set: one term per element."""
        terms = [(val.expr * weight).xreplace({sym: e}) for e in elements]
        if kind == "prod":
            if not val.is_scalar or weight != 1:
                raise MathIssue("\\prod of a non-scalar or with a condition")
            return scalar(sp.Mul(*terms))
        if val.concrete is not None:
            raise MathIssue("\\sum of a literal matrix")
        return replace(val, expr=sp.Add(*terms))

    def _implied_sum_index(self, node: ast.BigOp, body: tuple[ast.Node, ...],
                           env: Env) -> ast.Node:
        """``\\sum e^{x_d}``: the one declared index letter of the body that is neither
        bound outside nor free in the chain's left side runs over its declared range."""
        if not body:  # \frac{e_j}{\sum}: the author's short name for a sum written elsewhere
            raise self.err(node, f"a bare \\{node.kind} with nothing after it: a short name "
                           f"for a {node.kind} written elsewhere, which derive does not read; "
                           f"write the {node.kind} out, or name it ('let S = ...')")
        found: list[str] = []
        for item in body:
            for p in ast.walk(item):
                if not isinstance(p, ast.Postfix):
                    continue
                for sub in p.subs:
                    for n in index_items(sub):
                        if isinstance(n, ast.Letter) and n.name in self.decl.indices and (
                            n.name not in env.bound and n.name not in self.free_hint
                            and n.name not in found
                        ):
                            found.append(n.name)
        if len(found) != 1:
            raise self.err(node, f"\\{node.kind} without an index, and the index it runs over "
                           f"is not clear ({', '.join(found) or 'none'}): write "
                           f"\\{node.kind}_{{k}} or \\{node.kind}_{{k=1}}^K")
        return ast.Letter(name=found[0], line=node.line, col=node.col)
