"""The elaborator's sums of terms, products and calls: signs, juxtaposition, built-in
functions (softmax, logsumexp, diag), primed names, calls of defined functions, ``\\log``-like
functions and norms."""

from __future__ import annotations

import re
from dataclasses import replace

import sympy as sp

from derive.latex import ast
from derive.latex import values as V
from derive.latex.differentials import differential_items
from derive.latex.dotted_sums import dotted_sum
from derive.latex.elaborate_common import (
    BUILTINS,
    INDICATORS,
    OPERATORS,
    Env,
    _combine,
    _is_condition,
)
from derive.latex.identity import coefficient, identity_like
from derive.latex.scripts import index_items, split_scripts
from derive.latex.values import Axis, MathIssue, Value, fresh_index, scalar

__all__ = ["CallRules"]


class CallRules:
    """Terms, products, functions and calls (a part of
    :class:`derive.latex.elaborate.Elaborator`)."""

    def _norm(self, node: ast.Norm, subs: tuple[ast.Node, ...], env: Env) -> Value:
        assert node.body is not None
        if subs and not (isinstance(subs[0], ast.Num) and subs[0].text == "2"):
            raise self.err(node, "only the 2-norm \\|w\\|_2 is supported")
        v = self.value(node.body, env)
        if v.concrete is not None:
            return scalar(sp.sqrt(sum(e**2 for e in v.concrete)))
        total = v.expr**2
        for ax in (v.rows, v.cols):
            if ax is not None:
                b = fresh_index(str(ax.sym).split("'")[0])
                total = sp.Sum(total.xreplace({ax.sym: b}), (b, 1, ax.size))
        return scalar(sp.sqrt(total))

    def _n_abs(self, node: ast.Abs, env: Env) -> Value:
        """``|x|`` of a scalar; of a matrix it may be the determinant, of a vector a norm:
        those stay unknown."""
        assert node.body is not None
        v = self.value(node.body, env)
        if not v.is_scalar:
            raise MathIssue(f"|...| of a {v.shape_text()}: the determinant of a matrix or a "
                            "norm of a vector? (read only for a scalar; write \\det or \\|v\\|)")
        return scalar(sp.Abs(v.expr))

    def _n_neg(self, node: ast.Neg, env: Env) -> Value:
        assert node.body is not None
        return V.neg(self.value(node.body, env))

    def _runs_over(self, name: str, start: str, label: ast.Node, env: Env) -> bool:
        """Whether the free index ``name`` runs over ``start``..``label`` exactly."""
        rng = self.decl.indices.get(name)
        if rng is None or name in env.bound:
            return False
        try:
            hi = self.scalar_of(label, env, "the last label of a sum with dots")
        except Exception:  # a label that is no scalar: the range is not known to match
            return False
        return sp.simplify(rng[1] - int(start)) == 0 and sp.simplify(rng[2] - hi) == 0

    def _n_add(self, node: ast.Add, env: Env) -> Value:
        # T_1 + T_2 + \dots + T_n (derive.latex.dotted_sums)
        dotted = dotted_sum(node.terms, lambda name, start, label: self._runs_over(
            name, start, label, env))
        if dotted is not None:
            return self.value(dotted, env)
        total: Value | None = None
        identities: list[tuple[str, ast.Node]] = []  # c I: its size is the sum's
        for sign, term in node.terms:
            coeff = coefficient(term, self._declared_name)
            if coeff is not None:
                identities.append((sign, coeff))
                continue
            v = self.value(term, env)
            if total is None:
                total = V.neg(v) if sign == "-" else v
            else:
                total = V.add(total, v, -1 if sign == "-" else 1)
        if identities and total is None:
            raise self.err(node, "an identity matrix I with no square matrix beside it: its "
                           "size is not read")
        for sign, coeff in identities:
            assert total is not None
            times = self.value(coeff, env)
            if not times.is_scalar:
                raise MathIssue(f"a {times.shape_text()} times an identity matrix I")
            total = V.add(total, identity_like(total, times.expr), -1 if sign == "-" else 1)
        assert total is not None
        return total

    def _declared_name(self, name: str) -> bool:
        """Whether the notes give ``name`` a meaning of their own (then ``I`` is theirs)."""
        d = self.decl
        return any(name in table for table in (d.tensors, d.scalars, d.defs, d.sizes,
                                               d.indices))

    def _product(self, items: tuple[ast.Node, ...], env: Env) -> Value:
        slashed = self._slash_derivative(items, env)
        if slashed is not None:
            return slashed
        acc: Value | None = None
        pos = 0
        while pos < len(items):
            item = items[pos]
            op = None
            if isinstance(item, ast.Op):
                op, item = item.op, item.operand
                assert item is not None
            rest = items[pos + 1 :]
            if isinstance(item, ast.Letter) and item.name in INDICATORS and rest and (
                _is_condition(rest[0])
            ):  # \mathbb{1}\{y = k\}, \boldsymbol{1}(j = l): the bracket is the indicator
                val, pos = self.value(rest[0], env), pos + 2
                acc = val if acc is None else _combine(acc, val, op)
                continue
            if isinstance(item, ast.Letter) and item.name in BUILTINS and rest and (
                item.name not in self.decl.defs
            ):
                val, used = self._builtin(item, rest[0], env)
                acc = val if acc is None else _combine(acc, val, op)
                pos += 1 + used
                continue
            if isinstance(item, ast.BigOp):
                val, pos = self._bigop(item, rest, env), len(items)
            elif isinstance(item, ast.Frac) and (d := self.derivative_parts(item)) and not d[0]:
                if not rest:
                    raise self.err(item, "\\frac{\\partial}{\\partial x} needs something to "
                                   "act on")
                val, pos = self.derivatives(item, rest, d[1], env), len(items)
            elif (grad := self.gradient_parts(item, rest)) is not None:
                wrt, order = grad
                val = (self.derivative(item, rest, (wrt,), env) if order == 1
                       else self.hessian(item, rest, wrt, env))
                pos = len(items)
            elif isinstance(item, ast.Postfix) and isinstance(item.base, ast.Letter) and (
                item.base.name in OPERATORS and len(item.subs) == 1 and not item.sups
            ):
                if not rest:
                    raise self.err(item, f"{item.base.name}_{{...}} needs something to act on")
                wrt = item.subs[0]
                if isinstance(wrt, ast.Letter) and wrt.name in self.decl.indices:
                    wrt = self._entry_of_argument(wrt, rest) or wrt
                if isinstance(wrt, ast.Letter) and wrt.name in self.decl.indices:
                    raise self.err(item, f"{item.base.name}_{wrt.name} names only an index: "
                                   f"write the variable, as in {item.base.name}_{{z_{wrt.name}}}")
                val, pos = self.derivative(item, rest, (wrt,), env), len(items)
            elif isinstance(item, ast.Func):
                val, used = self._func(item, rest, env)
                pos += 1 + used
            elif isinstance(item, ast.Postfix) and item.primes and env.prime is not None and (
                not env.prime_inferred) and (
                rest and isinstance(rest[0], ast.Group) and rest[0].delim == "("
            ):  # g'(z): the derivative of the call g(z) by the declared variable
                call_node = ast.Product(items=(replace(item, primes=0), rest[0]),
                                        line=item.line, col=item.col)
                val = self.derivative(item, (call_node,), (env.prime,), env)
                pos += 2
            elif isinstance(item, ast.Postfix) and item.primes and rest and (
                lagrange := self._lagrange(item, rest, env)
            ) is not None:  # f'(a): f defined of one argument, differentiated at a
                val, pos = lagrange, pos + (1 if self._lagrange_bare(rest) else 2)
            elif self.varying and self._upright_d(item) and differential_items(item, rest):
                val, pos = self.differential(rest[0], env), pos + 2  # dz, d\ell, d(Xw)
            elif (call := self._call(item, rest, env)) is not None:
                val, pos = call, pos + 2
            elif isinstance(item, ast.Postfix) and item.primes:
                val, pos = self._primed(item, env), pos + 1
            else:
                val, pos = self.value(item, env), pos + 1
            acc = val if acc is None else _combine(acc, val, op)
        assert acc is not None
        return acc

    def _entry_of_argument(self, index: ast.Letter, rest: tuple[ast.Node, ...]
                           ) -> ast.Node | None:
        """``\\partial_j S_i(\\mathbf z)``: by the j-th entry of the argument vector, z_j;
        a later ``\\partial_j`` of the same chain means the same variable."""
        name = None
        if len(rest) >= 2 and isinstance(rest[1], ast.Group) and len(rest[1].items) == 1 and (
            isinstance(rest[1].items[0], ast.Letter) and rest[1].delim == "("
        ):
            name = self._plain_head(rest[1].items[0].name)
            t = self.decl.tensors.get(name)
            if t is None or len(t.slots) != 1:
                name = None
            else:
                self.entry_vars[index.name] = name
        name = name or self.entry_vars.get(index.name)
        if name is None:
            return None
        return ast.Postfix(base=ast.Letter(name=name, line=index.line, col=index.col),
                           subs=(index,), line=index.line, col=index.col)

    def _plain_head(self, head: str) -> str:
        """``\\mathbf{o}`` names the vector ``o`` when only ``o`` is declared."""
        known = (self.decl.tensors, self.decl.defs, self.decl.scalars, self.decl.sizes,
                 self.decl.indices)
        if any(head in k for k in known):
            return head
        m = re.fullmatch(r"\\(?:mathbf|boldsymbol|bm|vec)\{(\\?[A-Za-z]+)\}", head)
        if m and any(m.group(1) in k for k in known):
            return m.group(1)
        return head

    def _builtin(self, item: ast.Letter, nxt: ast.Node, env: Env) -> tuple[Value, int]:
        """``\\operatorname{softmax}(\\mathbf{o})_j`` and ``\\mathrm{logsumexp}(\\mathbf{x})``."""
        sub: ast.Node | None = None
        if isinstance(nxt, ast.Postfix) and isinstance(nxt.base, ast.Group) and not (
            nxt.sups or nxt.primes):
            sub = nxt.subs[0] if nxt.subs else None
            nxt = nxt.base
        if not (isinstance(nxt, ast.Group) and nxt.delim == "(" and len(nxt.items) == 1):
            raise self.err(item, f"{item.name} needs one argument in parentheses")
        arg = self.value(nxt.items[0], env)
        entry = nxt.items[0]
        if arg.is_scalar and sub is None and item.name == "\\text{softmax}" and (
                isinstance(entry, ast.Postfix) and isinstance(entry.base, ast.Letter)
                and len(entry.subs) == 1 and not (entry.sups or entry.primes)):
            whole = self.value(entry.base, env)  # softmax(x_j): entry j of softmax(x)
            if whole.rows is not None and whole.cols is None and whole.concrete is None:
                arg, sub = whole, entry.subs[0]
        if arg.rows is None or arg.cols is not None or arg.concrete is not None:
            raise MathIssue(f"{item.name} of a {arg.shape_text()}: expected a column vector")
        axis = arg.rows
        c = fresh_index("c")
        if item.name == "\\text{diag}":  # the diagonal matrix of a vector
            if sub is not None:
                raise self.err(item, "diag(v) is a matrix: write its entries with \\delta")
            return Value(sp.KroneckerDelta(axis.sym, c) * arg.expr, rows=axis,
                         cols=Axis(c, axis.size)), 1
        total = sp.Sum(sp.exp(arg.expr.xreplace({axis.sym: c})), (c, 1, axis.size))
        if item.name == "\\text{logsumexp}":
            if sub is not None:
                raise self.err(item, "logsumexp is a scalar: no subscript")
            return scalar(sp.log(total)), 1
        if sub is None:
            return Value(sp.exp(arg.expr) / total, rows=axis), 1
        lo = self.decl.indices[sub.name][1] if isinstance(sub, ast.Letter) and (
            sub.name in self.decl.indices) else sp.Integer(1)
        at = self.index(sub, env) - lo + 1
        return scalar(sp.exp(arg.expr.xreplace({axis.sym: at})) / total), 1

    def _primed(self, item: ast.Postfix, env: Env) -> Value:
        if env.prime is None or env.prime_inferred:
            bare = self._lagrange(item, (), env)  # f' alone: f'(x) at f's own parameter
            if bare is not None:
                return bare
        if env.prime is None:
            raise self.err(item, env.prime_note or self._undecided_prime(item))
        inner = replace(item, primes=0)
        if env.prime_inferred:  # read from the context: a scalar by a scalar only
            shapes = [v.shape_text() for v in (self.value(inner, env), self.value(env.prime, env))
                      if not v.is_scalar]
            if shapes:
                raise MathIssue(f"a prime on a {shapes[0]} or by one: a derivative read from "
                                "the context, or a transpose (x' for x^T)? '% derive: prime "
                                "<variable>' says it is a derivative")
        return self.derivative(item, (inner,), (env.prime,), env)

    @staticmethod
    def _lagrange_bare(rest: tuple[ast.Node, ...]) -> bool:
        """``f' x``: no parenthesis after the prime, so the prime takes no argument."""
        nxt = rest[0]
        if isinstance(nxt, ast.Postfix) and isinstance(nxt.base, ast.Group) and not (
            nxt.subs or nxt.primes):
            nxt = nxt.base
        return not (isinstance(nxt, ast.Group) and nxt.delim == "(")

    def _undecided_prime(self, item: ast.Postfix) -> str:
        """Why a prime without '% derive: prime' is not read: what the notes say of the
        primed name, and what would decide it."""
        head = item.base.name if isinstance(item.base, ast.Letter) else None
        defs = self.decl.defs.get(head, []) if head is not None else []
        calls = [d for d in defs if d.args is not None]
        where = ", ".join(f"line {d.line}" for d in defs)
        if calls and (len(defs) > len(calls) or head in self.decl.scalars
                      or head in self.decl.tensors):
            why = (f"{head}' where the notes use {head} both as a function and as a value "
                   f"({where}): whether the prime is its derivative is not decided")
        elif len(calls) > 1:
            why = (f"{head}' where the notes define {head} {len(calls)} times ({where}): "
                   "which definition the prime differentiates is not decided")
        elif calls and len(calls[0].args or ()) != 1:
            why = (f"{head}' of a function of {len(calls[0].args or ())} arguments ({where}): "
                   "by which argument is not written")
        elif calls:
            why = (f"{head}' of {head} defined with scripts or an index parameter ({where}): "
                   "by which variable is not decided")
        else:
            return ("a prime ' needs '% derive: prime <variable>' before the block, e.g. "
                    "'prime f_k', or a definition f(x) = ... of the primed name")
        return why + "; '% derive: prime <variable>' before the block says by which variable"

    def _lagrange(self, item: ast.Postfix, rest: tuple[ast.Node, ...], env: Env
                  ) -> Value | None:
        """``f'(a)``, ``f''(a)`` (Lagrange's notation) where the notes define ``f`` of one
        scalar argument, ``f(x) = ...``: the derivative of the body by its parameter, at
        ``a``; ``f'`` with no parenthesis after it is ``f'(x)`` at the parameter itself, as
        ``f`` alone is ``f(x)``. None when ``f`` is no such function (a primed name of its
        own, or a prime declared with '% derive: prime')."""
        nxt = rest[0] if rest else None
        after: tuple[ast.Node, ...] = ()
        if isinstance(nxt, ast.Postfix) and isinstance(nxt.base, ast.Group) and not (
            nxt.subs or nxt.primes):
            nxt, after = nxt.base, nxt.sups
        bare = not (isinstance(nxt, ast.Group) and nxt.delim == "(")
        if not (isinstance(item.base, ast.Letter) and not item.subs and not item.sups
                and (bare or len(nxt.items) == 1)):  # type: ignore[union-attr]
            return None
        defs = self.decl.defs.get(item.base.name, [])
        if len(defs) != 1 or defs[0].args is None or len(defs[0].args) != 1 or (
                defs[0].subs or defs[0].sups):
            return None
        defn = defs[0]
        param = defn.args[0]  # type: ignore[index]
        if not isinstance(param, ast.Letter) or param.name in self.decl.indices:
            return None
        arg = self.value(param if bare else nxt.items[0], env)  # type: ignore[union-attr]
        if not arg.is_scalar:
            raise MathIssue(f"{item.base.name}' of a {arg.shape_text()}: expected a scalar")
        t = sp.Symbol(f"{param.name}'{fresh_index('t')}", real=True)
        body = self._expand(defn, {}, {param: scalar(t)}, env)
        if not body.is_scalar:
            raise MathIssue(f"{item.base.name}' of a function whose value is a "
                            f"{body.shape_text()}: expected a scalar")
        try:
            d = sp.diff(self.expand_opaque(body.expr, env), t, item.primes)
        except Exception as exc:  # SymPy may fail on exotic input; not a user error
            raise MathIssue(f"SymPy could not differentiate: {exc}") from None
        out = scalar(d.xreplace({t: arg.expr}))
        return out if bare else self._powers(nxt, out, after, env)  # type: ignore[arg-type]

    def _call(self, item: ast.Node, rest: tuple[ast.Node, ...], env: Env) -> Value | None:
        if not rest:
            return None
        nxt = rest[0]
        after: tuple[ast.Node, ...] = ()
        out: tuple[ast.Node, ...] = ()  # f(z)_i: the entry i of f's value, f_i(z)
        entry: ast.Postfix | None = None  # f(z)_i of an f defined whole: its value's entry
        if isinstance(nxt, ast.Postfix) and isinstance(nxt.base, ast.Group) and not (
            nxt.subs or nxt.primes):
            after = nxt.sups
            nxt = nxt.base
        elif isinstance(nxt, ast.Postfix) and isinstance(nxt.base, ast.Group) and len(
                nxt.subs) == 1 and not nxt.primes and isinstance(item, ast.Letter):
            defs = self.decl.defs.get(item.name, [])
            slots = index_items(nxt.subs[0])
            if any(d.args is not None and len(d.subs) == len(slots) and not d.sups
                   for d in defs):
                out = slots
            elif any(d.args is not None and not d.subs and not d.sups for d in defs):
                entry = nxt
            else:
                return None
            after = nxt.sups
            nxt = nxt.base
        if not (isinstance(nxt, ast.Group) and nxt.delim == "("):
            return None
        if isinstance(item, ast.Letter):
            head, subs, sups = item.name, out, ()
        elif isinstance(item, ast.Postfix) and isinstance(item.base, ast.Letter) and len(
            item.subs
        ) <= 1 and not item.primes:
            head = item.base.name
            subs, sups = split_scripts(item, self.decl.indices)
        else:
            return None
        if not any(d.args is not None and len(d.args) == len(nxt.items)
                   for d in self.decl.defs.get(head, [])):
            return None
        val = self._atom(item, head, subs, sups, nxt.items, env)
        if entry is not None:
            val = self._entry_of(entry, val, env)
        return self._powers(nxt, val, after, env)

    def _func(self, item: ast.Func, rest: tuple[ast.Node, ...], env: Env) -> tuple[Value, int]:
        """``\\log``/``\\exp`` of what follows; ``\\log^2 x`` is ``(\\log x)^2``."""
        val, used = self._func_of(item, rest, env)
        if item.power is not None:
            val = self._powers(item, val, (item.power,), env)
        return val, used

    def _func_of(self, item: ast.Func, rest: tuple[ast.Node, ...], env: Env
                 ) -> tuple[Value, int]:
        if not rest:
            raise self.err(item, f"{item.name} needs an argument")
        nxt = rest[0]
        greedy = isinstance(nxt, (ast.BigOp, ast.Func)) or (
            isinstance(nxt, ast.Frac) and (d := self.derivative_parts(nxt)) is not None
            and not d[0]
        )
        if greedy:
            arg, used = self._product(rest, env), len(rest)
        elif isinstance(nxt, ast.Letter) and nxt.name in BUILTINS and len(rest) > 1 and (
            nxt.name not in self.decl.defs
        ):  # \log \mathrm{softmax}(\mathbf{o})_k
            arg, used = self._builtin(nxt, rest[1], env)
            used += 1
        elif (call := self._call(nxt, rest[1:], env)) is not None:
            arg, used = call, 2
        else:
            after: tuple[ast.Node, ...] = ()
            if isinstance(nxt, ast.Postfix) and isinstance(nxt.base, ast.Group) and not (
                nxt.subs or nxt.primes
            ):
                # \log(x)^2 is (\log x)^2
                arg = self.value(nxt.base, env)
                after = nxt.sups
            else:
                arg = self.value(nxt, env)
            out = self._log_base(item, V.apply_scalar(arg, item.name))
            return self._powers(nxt, out, after, env), 1
        return self._log_base(item, V.apply_scalar(arg, item.name)), used

    def _log_base(self, item: ast.Func, out: Value) -> Value:
        """``\\log_b`` (:data:`derive.latex.constructs.LOG_BASES`): the natural logarithm
        ``out`` divided by ``\\log b``, for a number b > 0 other than 1; another base is
        not read."""
        if item.base is None:
            return out
        base = item.base
        if not isinstance(base, ast.Num) or (b := sp.Rational(base.text)) <= 0 or b == 1:
            raise MathIssue(f"{item.name} to a base that is not a number above 0 other than 1: "
                            "expected \\log_2, \\log_{10}, ...")
        return V.scale(out, 1 / sp.log(b))
