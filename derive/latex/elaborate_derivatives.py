"""The elaborator's derivatives: fractions, the parts of a Leibniz derivative (marker order,
variables, a defined quantity treated as a variable) and the slash form ``d/dx f``."""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from derive.engine.prover import freshen
from derive.latex import ast
from derive.latex import values as V
from derive.latex.constructs import GRADIENTS
from derive.latex.elaborate_common import (
    MARKERS,
    Env,
    _is_marker,
    _items,
    _items_is_marker,
)
from derive.latex.layouts import LayoutUndecided
from derive.latex.scripts import split_scripts
from derive.latex.undefined_derivatives import through, total
from derive.latex.values import Axis, MathIssue, Value, fresh_index

__all__ = ["DerivativeRules"]

#: a transpose written on a variable (\partial \mathbf{w} \partial \mathbf{w}^T)
_TRANSPOSES = frozenset({"T", "\\top", "\\intercal", "\\mathsf{T}"})


def _untransposed(wrt: tuple[ast.Node, ...]) -> tuple[ast.Node, ...]:
    """``w^T`` as ``w`` (a variable of a Hessian may be written transposed); else as is."""
    only = wrt[0] if len(wrt) == 1 else None
    if isinstance(only, ast.Postfix) and not only.subs and not only.primes and len(
        only.sups
    ) == 1 and isinstance(only.sups[0], ast.Letter) and only.sups[0].name in _TRANSPOSES:
        return (only.base,) if only.base is not None else wrt
    return wrt


def _is_hessian(wrts: list[tuple[ast.Node, ...]]) -> bool:
    r"""Twice by one variable: ``\partial \mathbf{w}^2``, ``\partial \mathbf{w}
    \partial \mathbf{w}^T``. Of a scalar by a vector this is the Hessian, a symmetric
    matrix, so which axis is its rows (numerator or denominator layout) does not matter."""
    return len(wrts) == 2 and _untransposed(wrts[0]) == _untransposed(wrts[1])


class DerivativeRules:
    """Fractions and derivatives (a part of :class:`derive.latex.elaborate.Elaborator`)."""

    def _n_frac(self, node: ast.Frac, env: Env) -> Value:
        assert node.num is not None and node.den is not None
        d = self.derivative_parts(node)
        if d is not None:
            body, wrts = d
            if not body:
                raise self.err(node, "an operator \\frac{\\partial}{\\partial x} needs "
                               "something to act on")
            return self.derivatives(node, body, wrts, env)
        scaled = self.scaled_derivative(node)
        if scaled is not None:
            factor, (body, wrts) = scaled
            return V.scale(self.derivatives(node, body, wrts, env), factor)
        return V.divide(self.value(node.num, env), self.value(node.den, env))

    def derivative_parts(self, node: ast.Frac):  # type: ignore[no-untyped-def]
        """``(body, [wrt, ...])`` of a derivative fraction, or ``None``.

        ``\\frac{\\partial L}{\\partial z_j}``, ``\\frac{dL}{dx_j}``,
        ``\\frac{\\mathrm{d}}{\\mathrm{d}t}``,
        ``\\frac{\\partial^2 L}{\\partial z_j \\partial z_k}``
        and ``\\partial x_k^2`` (twice by x_k)."""
        num = _items(node.num)
        den = _items(node.den)
        if not num or len(den) < 2:
            return None
        order = self._marker_order(num[0], den[0])
        if order is None or self._marker_order(den[0], den[0]) != 1:
            return None
        wrts: list[tuple[ast.Node, ...]] = []
        cur: list[ast.Node] = []
        for it in den[1:]:
            if self._marker_order(it, den[0]) == 1:
                if not cur:
                    return None
                wrts.append(tuple(cur))
                cur = []
            else:
                cur.append(it)
        if not cur:
            return None
        wrts.append(tuple(cur))
        expanded: list[tuple[ast.Node, ...]] = []
        for w in wrts:
            only = w[0]
            if order > 1 and len(w) == 1 and isinstance(only, ast.Postfix) and len(
                only.sups
            ) == 1 and isinstance(only.sups[0], ast.Num) and only.sups[0].text.isdigit():
                expanded += [(replace(only, sups=()),)] * int(only.sups[0].text)
            else:
                expanded.append(w)
        if order > 1 and len(expanded) == 1 and len(expanded[0]) == order and all(
                isinstance(v, ast.Letter | ast.Postfix) and not _items_is_marker(v)
                for v in expanded[0]):
            # \partial^2 f / \partial x_k x_j: the author's one \partial before two variables
            expanded = [(v,) for v in expanded[0]]
        if order > 1 and order != len(expanded):
            return None
        return num[1:], expanded

    def scaled_derivative(self, node: ast.Frac):  # type: ignore[no-untyped-def]
        """``(factor, (body, [wrt, ...]))`` of a Leibniz fraction whose numerator opens with
        a sign or numbers before its marker, ``\\frac{- \\partial L}{\\partial p_j}``,
        ``\\frac{2\\,\\partial f}{\\partial x}``: the factor times the derivative. None
        when nothing is stripped or what is left is no derivative of something."""
        num, factor = node.num, sp.Integer(1)
        if isinstance(num, ast.Add) and len(num.terms) == 1:
            factor, num = (-1 if num.terms[0][0] == "-" else 1), num.terms[0][1]
        elif isinstance(num, ast.Neg):
            factor, num = sp.Integer(-1), num.body
        items = _items(num)
        k = 0
        while k < len(items) and isinstance(items[k], ast.Num):
            factor, k = factor * sp.Rational(items[k].text), k + 1
        if (k == 0 and num is node.num) or k == len(items):
            return None
        rest = items[k:]
        inner = rest[0] if len(rest) == 1 else ast.Product(items=rest, line=rest[0].line,
                                                           col=rest[0].col)
        parts = self.derivative_parts(replace(node, num=inner))
        if parts is None or not parts[0]:
            return None
        return sp.Integer(factor) if isinstance(factor, int) else factor, parts

    def _marker_order(self, node: ast.Node, den_first: ast.Node) -> int | None:
        """1 for ``\\partial``/``\\delta``/``d``, n for ``\\partial^n``; ``d`` only opposite
        a ``d``."""
        if isinstance(node, ast.Letter):
            if node.name in MARKERS:
                return 1
            opposite = isinstance(den_first, ast.Letter) and den_first.name == "d"
            if node.name == "d" and opposite and (
                "d" not in self.decl.scalars and "d" not in self.decl.tensors
            ):
                return 1
            return None
        if isinstance(node, ast.Postfix) and isinstance(node.base, ast.Letter) and (
            not node.subs and len(node.sups) == 1 and isinstance(node.sups[0], ast.Num)
        ):
            inner = self._marker_order(node.base, den_first)
            if inner == 1 and node.sups[0].text.isdigit():
                return int(node.sups[0].text)
        return None

    def derivatives(self, node: ast.Node, body: tuple[ast.Node, ...],
                    wrts: list[tuple[ast.Node, ...]], env: Env) -> Value:
        """Repeated differentiation, innermost variable last as written."""
        if len(wrts) == 1:
            return self.derivative(node, body, wrts[0], env,
                                   layout=node.layout if isinstance(node, ast.Frac) else "")
        mark = ast.Letter(name="\\partial", line=node.line, col=node.col)
        inner = ast.Frac(num=ast.Product(items=(mark, *body), line=node.line, col=node.col),
                         den=ast.Product(items=(mark, *wrts[-1]), line=node.line, col=node.col),
                         line=node.line, col=node.col)
        if _is_hessian(wrts):
            return self.derivative(node, (inner,), wrts[0], env, hessian=True)
        return self.derivatives(node, (inner,), wrts[:-1], env)

    def derivative(self, node: ast.Node, body: tuple[ast.Node, ...], wrt: tuple[ast.Node, ...],
                   env: Env, hessian: bool = False, layout: str = "") -> Value:
        """``d body / d wrt``; ``hessian``: ``body`` is the gradient of a scalar by this same
        vector, so a vector by a vector is the (symmetric) matrix of its entries; else a
        vector by a vector is its Jacobian in the ``layout`` the fraction carries
        (:meth:`jacobian`)."""
        head, defn = self._wrt_head(wrt, env)
        if defn is not None:
            kept = replace(env, keep=env.keep | {defn.ident})
            var = self._product(wrt, kept)
            fn = self._product(body, kept)
            if not var.is_scalar or not isinstance(var.expr, (sp.Indexed, sp.Symbol)):
                raise MathIssue(f"derivative with respect to a non-scalar {head}")
            try:
                # Bound letters renamed first: Σ_j e^{f_j} by f_j must not capture j.
                body = freshen(fn.expr, only=var.expr.atoms(sp.Symbol))
                d = sp.diff(body, var.expr)
            except Exception as exc:  # SymPy may fail on exotic input; not a user error
                raise MathIssue(f"SymPy could not differentiate: {exc}") from None
            chain = through(body, var.expr, self.dependent, self.arguments)
            if chain is not None:  # the undefined quantities in it (as above)
                d = d + chain
            return replace(fn, expr=self.expand_opaque(d, env))
        var = self._product(wrt, env)
        fn = self._product(body, env)
        if not isinstance(var.expr, (sp.Indexed, sp.Symbol)) or var.concrete is not None:
            raise self.err(wrt[0], "a derivative with respect to an expression: expected a "
                           "declared quantity such as \\theta_{ij}, \\theta_{.j} or W")
        square = hessian and _vector_axis(fn) is not None and _vector_axis(var) is not None
        if not fn.is_scalar and not var.is_scalar and not square:
            if _vector_axis(fn) is None or _vector_axis(var) is None:
                raise MathIssue(f"derivative of a {fn.shape_text()} by a {var.shape_text()}")
            return self.jacobian(node, fn, var, layout)
        if square and (_vector_axis(fn).sym == _vector_axis(var).sym or sp.simplify(
                _vector_axis(fn).size - _vector_axis(var).size) != 0):
            raise MathIssue(f"second derivative of a {fn.shape_text()} by a "
                            f"{var.shape_text()}: expected a gradient of its own length")
        # an undefined quantity in the body or as the variable: its dependence on the
        # variable is opaque atoms (derive.latex.undefined_derivatives), differentiated
        # now; otherwise the engine differentiates
        expr = self._total(fn.expr, var.expr)
        if square:  # entry (a, b): d g_a / d w_b, symmetric
            return Value(expr, rows=_vector_axis(fn), cols=_vector_axis(var))
        if fn.is_scalar:
            return Value(expr, rows=var.rows, cols=var.cols)
        return replace(fn, expr=expr)

    def _total(self, expr: sp.Expr, by: sp.Expr) -> sp.Expr:
        """The derivative of ``expr`` by ``by`` through the notes' chain rule
        (derive.latex.undefined_derivatives: an undefined quantity's dependence is opaque
        atoms), else SymPy's ``Derivative``; SymPy failing on exotic input is a
        :class:`MathIssue`, not a user error."""
        try:
            chain = total(freshen(expr, only=by.atoms(sp.Symbol)), by, self.dependent,
                          self.arguments)
        except MathIssue:
            raise
        except Exception as exc:
            raise MathIssue(f"SymPy could not differentiate: {exc}") from None
        return sp.Derivative(expr, by) if chain is None else chain

    def jacobian(self, node: ast.Node, fn: Value, var: Value, layout: str) -> Value:
        """The Jacobian of the vector ``fn`` by the vector of inputs ``var``: entry (a, b) is
        d fn_a / d var_b, laid out as the shapes pin it (a column by a row: rows by fn; a row
        by a column: rows by var) or, a column by a column, as ``layout`` says; a fraction
        with no layout raises :class:`derive.latex.layouts.LayoutUndecided` at its place
        (the checker reads it under both layouts, derive.latex.layouts)."""
        fa, va = _vector_axis(fn), _vector_axis(var)
        assert fa is not None and va is not None
        what = f"derivative of a {fn.shape_text()} by a {var.shape_text()}"
        if fn.rows is not None and var.rows is not None:
            if not layout:
                if isinstance(node, ast.Frac):
                    raise LayoutUndecided(f"{what}: numerator or denominator layout",
                                          node.line, node.col)
                raise MathIssue(f"{what}: the layout is not written")
            by_fn = layout == "numerator"
        elif fn.rows is not None:  # \partial y / \partial x^T
            by_fn = True
        elif var.rows is not None:  # \partial y^T / \partial x
            by_fn = False
        else:
            raise MathIssue(f"{what}: which is the Jacobian's rows is not written")
        b = fresh_index(str(va.sym).split("'")[0])
        entry = var.expr.xreplace({va.sym: b})
        expr = self._total(fn.expr, entry)
        rows, cols = Axis(fa.sym, fa.size), Axis(b, va.size)
        return Value(expr, rows=rows, cols=cols) if by_fn else Value(expr, rows=cols, cols=rows)

    def gradient_parts(self, item: ast.Node, rest: tuple[ast.Node, ...]
                       ) -> tuple[ast.Node, int] | None:
        """(variable, order) of a gradient operator that is not a plain ``\\nabla_w``
        (:data:`derive.latex.constructs.GRADIENTS`): ``\\nabla_w^2`` (order 2), or ``\\nabla``
        and ``\\nabla^2`` before a call of one argument, by that argument."""
        base = item.base if isinstance(item, ast.Postfix) else item
        if not isinstance(base, ast.Letter) or base.name not in GRADIENTS or not rest:
            return None
        subs = item.subs if isinstance(item, ast.Postfix) else ()
        sups = item.sups if isinstance(item, ast.Postfix) else ()
        if (isinstance(item, ast.Postfix) and item.primes) or len(subs) > 1 or len(sups) > 1:
            return None
        order = 1
        if sups:
            if not (isinstance(sups[0], ast.Num) and sups[0].text == "2"):
                return None
            order = 2
        if subs:
            return (subs[0], order) if order == 2 else None
        call = rest[1] if len(rest) > 1 else None
        if not (isinstance(call, ast.Group) and call.delim == "(" and len(call.items) == 1):
            return None
        return call.items[0], order

    def hessian(self, node: ast.Node, body: tuple[ast.Node, ...], wrt: ast.Node,
                env: Env) -> Value:
        """``\\nabla_w^2 f``: the gradient by w, then each entry by w again along a new axis;
        a scalar w gives the second derivative. Only a scalar f of a scalar or a column vector
        that the notes do not define."""
        if self._wrt_head((wrt,), env)[1] is not None:
            raise MathIssue("a Hessian by a defined quantity is not read")
        grad = self.derivative(node, body, (wrt,), env)
        var = self._product((wrt,), env)
        if grad.concrete is not None or grad.cols is not None or var.cols is not None:
            raise MathIssue(f"a Hessian by a {var.shape_text()} of a function whose gradient "
                            f"is a {grad.shape_text()}: expected a scalar function of a "
                            "scalar or a column vector")
        axis = None
        second = var.expr
        if var.rows is not None:
            if grad.rows is None:
                raise MathIssue("a Hessian whose gradient has no entries")
            col = fresh_index(str(var.rows.sym).split("'")[0])
            axis = Axis(col, var.rows.size)
            second = var.expr.xreplace({var.rows.sym: col})
        expr = self._total(grad.expr, second)
        return Value(expr, rows=grad.rows, cols=axis, broadcast=axis is not None)

    def differential(self, node: ast.Node, env: Env) -> Value:
        """``dY``: the derivative of ``Y`` by the unit direction of the one input the chain
        writes a differential of (derive.latex.differentials); ``dz`` itself is ``e_q``."""
        if len(self.varying) != 1:
            raise MathIssue(f"a differential d(...) where the chain writes a differential of "
                            f"several inputs ({', '.join(self.varying)}): only one varying "
                            "input is read")
        var = self.direction(self.varying[0])
        fn = self.value(node, env)
        if fn.concrete is not None:
            raise MathIssue("the differential of a literal matrix")
        return replace(fn, expr=self._total(fn.expr, var))

    def direction(self, name: str) -> sp.Expr:
        """The entry of input ``name`` the chain's differentials are derivatives by: the
        input itself for a scalar, its entry at fresh indices (one per slot, over the slot's
        range) for a vector or matrix; the same one for every member of the chain."""
        if name not in self.directions:
            if name in self.decl.scalars:
                self.directions[name] = self.decl.scalars[name]
            else:
                t = self.decl.tensors[name]
                at = []
                for slot in t.slots:
                    q = V.fresh_index("q")
                    self.direction_ranges[q] = self.decl.indices[slot][1:]
                    at.append(q)
                self.directions[name] = t.base[tuple(at)]
        return self.directions[name]

    def _wrt_head(self, wrt: tuple[ast.Node, ...], env: Env):  # type: ignore[no-untyped-def]
        first = wrt[0]
        base = first.base if isinstance(first, ast.Postfix) else first
        if not isinstance(base, ast.Letter):
            return None, None
        head = base.name
        subs, sups = (split_scripts(first, self.decl.indices) if isinstance(first, ast.Postfix)
                      else ((), ()))
        args = None
        if len(wrt) == 2 and isinstance(wrt[1], ast.Group) and wrt[1].delim == "(":
            args = wrt[1].items
        found = self._match(head, subs, sups, args, env)
        if found is None or self._is_alias(found[0]):
            return head, None  # W = w: differentiate by the declared quantity itself
        return head, found[0]

    def _slash_derivative(self, items: tuple[ast.Node, ...], env: Env) -> Value | None:
        """``\\partial y_i / \\partial x_k``: the fraction written inline; with an upright
        ``d`` (not a declared name), ``dy/dx`` and the operator ``d/dz [z^2]`` (the variable
        is the one item after ``/d``, the operand the rest)."""
        upright = self._upright_d(items[0]) if items else False
        if upright and len(items) >= 4 and isinstance(items[1], ast.Op) and (
            items[1].op == "/" and self._upright_d(items[1].operand)
        ):
            return self.derivative(items[0], items[3:], (items[2],), env)
        if len(items) < 4 or not (_is_marker(items[0]) or upright):
            return None
        for k in range(2, len(items) - 1):
            it = items[k]
            if isinstance(it, ast.Op) and it.op == "/" and (
                _is_marker(it.operand) if not upright else self._upright_d(it.operand)
            ):
                return self.derivative(items[0], items[1:k], items[k + 1:], env)
        return None

    def _upright_d(self, node: ast.Node | None) -> bool:
        """A ``d`` of ``dy/dx``: the letter d, where the notes give d no meaning of its own."""
        return isinstance(node, ast.Letter) and node.name == "d" and not any(
            "d" in known for known in (self.decl.scalars, self.decl.tensors, self.decl.sizes,
                                       self.decl.indices, self.decl.defs))


def _vector_axis(val: Value) -> Axis | None:
    """The one axis of a symbolic column or row vector; None for anything else."""
    if val.concrete is not None or (val.rows is None) == (val.cols is None):
        return None
    return val.rows or val.cols
