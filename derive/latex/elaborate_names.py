"""The elaborator's names: declared quantities and indices, definitions matched and
expanded (opaque atoms for the ones kept folded), the index letters a definition uses
implicitly, powers, primes and indicators on a name."""

from __future__ import annotations

import re
from dataclasses import replace

import sympy as sp

from derive.latex import ast
from derive.latex import values as V
from derive.latex.basis_vectors import is_basis_spelling
from derive.latex.declarations import Definition
from derive.latex.elaborate_common import (
    INDICATORS,
    TRANSPOSE,
    Env,
    _bigop_conditions,
    _bigop_var,
)
from derive.latex.superscripts import parameter_power
from derive.latex.values import Axis, MathIssue, Value, fresh_index, scalar

__all__ = ["NameRules"]

#: a bold font around a name whose entries are written plain (\mathbf{p} beside p_i,
#: \hat{\mathbf{y}} beside \hat{y}_i)
_BOLD = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec)\{([^{}]*(?:\{[^{}]*\})?)\}")


class NameRules:
    """Names, tensors and definitions (a part of :class:`derive.latex.elaborate.Elaborator`)."""

    # -- names ----------------------------------------------------------------------------
    def _atom(self, node: ast.Node, head: str, subs: tuple[ast.Node, ...],
              sups: tuple[ast.Node, ...], args: tuple[ast.Node, ...] | None, env: Env) -> Value:
        """A name with its subscript slots, superscripts and call arguments."""
        key = node if isinstance(node, ast.Letter) else None
        if key is not None and key in env.values and args is None:
            return env.values[key]
        base = node.base if isinstance(node, ast.Postfix) else None
        if subs and args is None and isinstance(base, ast.Letter) and base in env.values:
            # A_{ii} in the body of tr(A) called as tr(B): the entry of the argument B
            return self._powers(node, self._argument_entry(head, env.values[base], subs, env),
                                sups, env)
        param = parameter_power(node, subs, args, env.values)
        if param is not None:  # x^2 in the body of f(x): the argument squared
            return self._powers(node, env.values[param], sups, env)
        head = self._plain_head(head)
        if head == "e" and sups and not subs and args is None and not (
                head in self.decl.scalars or head in self.decl.tensors or any(
                    not d.subs for d in self.decl.defs.get(head, ()))):
            # e^{...} is Euler's number to a power even where e is also an index letter or
            # e_k a defined vector (derive.latex.basis_vectors)
            return self._powers(node, scalar(sp.E), sups, env)
        if not subs and args is None and head in env.bound:
            # a bound index is the bound one with or without a power (\sum_k k^2): never
            # the declared free letter of the same name
            return self._powers(node, scalar(env.bound[head]), sups, env)
        # a definition, possibly with its superscript as decoration (\ell^{\text{CE}})
        for use_sups, rest in ((sups, ()), ((), sups)):
            found = self._match(head, subs, use_sups, args, env)
            if found is not None:
                defn, idx, vals = found
                return self._powers(node, self._expand(defn, idx, vals, env), rest, env)
        if args is not None:
            raise self.err(node, f"{head} is not declared as a function of {len(args)} "
                           "argument(s): expected '% derive: let ...' with that pattern")
        val = self._name(node, head, subs, env)
        return self._powers(node, val, sups, env)

    def _argument_entry(self, head: str, arg: Value, subs: tuple[ast.Node, ...], env: Env
                        ) -> Value:
        """The entry ``head_{subs}`` of a function's parameter ``head`` (a declared vector
        or matrix) where the call passes ``arg``: the argument's entry at those positions,
        never the declared quantity of the parameter's name."""
        t = self.decl.tensors.get(head)
        axes = [a for a in (arg.rows, arg.cols) if a is not None]
        if t is None or arg.concrete is not None or len(axes) != len(subs) or len(
                t.slots) != len(subs):
            raise MathIssue(f"{head}_{{...}} in a definition called with another argument: "
                            f"expected an argument with {len(subs)} free index(es), as the "
                            f"parameter {head} has")
        at = {}
        for ax, slot, sub in zip(axes, t.slots, subs, strict=True):
            lo = self.decl.indices[slot][1]
            at[ax.sym] = self.index(sub, env) - lo + 1
        return scalar(arg.expr.xreplace(at))

    def _name(self, node: ast.Node, head: str, subs: tuple[ast.Node, ...], env: Env) -> Value:
        decl = self.decl
        if head in decl.tensors:
            return self._tensor(node, head, subs, env)
        if subs:
            if head in ("\\delta",) and len(subs) == 2:
                return scalar(sp.KroneckerDelta(self.index(subs[0], env),
                                                self.index(subs[1], env)))
            if head in INDICATORS and len(subs) == 1:
                return scalar(self.indicator(subs[0], env))
            entry = self._defined_entry(node, head, subs, env)
            if entry is not None:
                return entry
            known = head in decl.scalars or head in decl.sizes or head in decl.indices
            what = "declared without indices" if known else "undeclared"
            hint = "" if known or not is_basis_spelling(head) else (
                f"; a standard basis vector? say so in the text ('where ${head}_k$ is the "
                "k-th standard basis vector')")
            raise self.err(node, f"{head}_{{...}} is {what}: expected '% derive: tensor "
                           f"{head}_{{...}}' or a 'let' definition with {len(subs)} index(es)"
                           f"{hint}")
        if head in decl.scalars:
            return scalar(decl.scalars[head])
        if head in decl.indices:  # a letter both size and index is the index, except as
            return scalar(decl.indices[head][0])  # the upper limit of a \sum (see _bigop)
        if head in decl.sizes:
            return scalar(decl.sizes[head])
        vector = self._defined_vector(node, head, env)
        if vector is not None:
            return vector
        if head == "e":
            return scalar(sp.E)
        if head in ("\\mathbf{1}", "\\mathbb{1}", "\\boldsymbol{1}", "\\bm{1}"):
            raise self.err(node, f"{head} (a vector of ones) has no length here: declare it, "
                           f"as in '% derive: let {head}_k = 1'")
        if head.startswith("\\text{"):  # \text{Poisson}(..): a function the notes name
            raise self.err(node, f"undeclared function {head}: expected its definition, as "
                           f"in '% derive: let {head}(x) = ...'")
        raise self.err(node, f"undeclared symbol {head}: expected a '% derive:' declaration "
                       "(size, index, tensor, label, scalar or let)")

    def _defined_entry(self, node: ast.Node, head: str, subs: tuple[ast.Node, ...], env: Env
                       ) -> Value | None:
        """``p_i`` where only ``p`` (or ``\\mathbf{p}``) is defined, as a vector (``p =
        \\text{softmax}(z)``): its entry ``i`` (``A_{ij}``: an entry of a defined matrix).
        Each index must run over the axis it picks: the letter of a sum over ``1..size`` of
        that axis, or a free index letter over that range; another range (a part of it too),
        a number, an expression or a scalar ``p`` is not read (None when ``head`` has no
        definition without indices)."""
        # p_i beside a defined bold p (\mathbf{p} = ...) alone: the bold name's entries
        spellings = [head] if head in self.decl.defs else [
            name for name in self.decl.defs if _BOLD.sub(r"\1", name) == head != name]
        whole = [d for name in spellings for d in self.decl.defs.get(name, [])
                 if not d.subs and d.args is None and not d.sups]
        if not whole:
            return None
        val = self._expand(whole[0], {}, {}, env)
        axes = [a for a in (val.rows, val.cols) if a is not None]
        if val.concrete is not None or len(axes) != len(subs):
            raise self.err(node, f"{head}_{{...}} with {len(subs)} index(es) where {head} is "
                           f"defined as a {val.shape_text()}: expected an index per axis")
        at: dict[sp.Symbol, sp.Expr] = {}
        for ax, sub in zip(axes, subs, strict=True):
            if not isinstance(sub, ast.Letter):
                raise self.err(node, f"{head}_{{...}} of the defined {head} at an index that is "
                               "not a letter: whether it is inside its axis is not known")
            if sub.name in env.bound:  # a sum's letter: its own limits, where known
                rng = env.limits.get(sub.name)
                rng = rng if rng is not None and rng[0] == env.bound[sub.name] else None
            else:
                rng = self.decl.indices.get(sub.name)
            if rng is None or sp.simplify(rng[1] - 1) != 0 or sp.simplify(
                    rng[2] - ax.size) != 0:
                raise self.err(node, f"{head}_{sub.name} where {head} is defined with an axis "
                               f"of length {ax.size}: {sub.name} does not run over "
                               f"1..{ax.size}")
            at[ax.sym] = self.index(sub, env)
        return scalar(val.expr.xreplace(at))

    def _tensor(self, node: ast.Node, head: str, subs: tuple[ast.Node, ...], env: Env) -> Value:
        t = self.decl.tensors[head]
        if len(subs) > len(t.slots):
            raise self.err(node, f"{head} takes {len(t.slots)} index(es) "
                           f"({head}_{{{''.join(t.slots)}}}), got {len(subs)}")
        idx: list[sp.Expr] = []
        axes: list[Axis] = []
        for pos in range(len(t.slots)):
            if pos < len(subs) and not isinstance(subs[pos], ast.Free):
                idx.append(self.index(subs[pos], env))
            else:
                letter = self.decl.indices[t.slots[pos]]
                sym = fresh_index(t.slots[pos])
                axes.append(Axis(sym, letter[2] - letter[1] + 1))
                idx.append(sym + letter[1] - 1)
        entry = t.base[tuple(idx)] if idx else t.base
        if len(axes) == 0:
            return scalar(entry)
        if len(axes) == 1:
            return Value(entry, rows=axes[0])
        if len(axes) == 2:
            return Value(entry, rows=axes[0], cols=axes[1])
        raise MathIssue(f"{head} with {len(axes)} free indices: at most a matrix is supported")

    def _match(self, head: str, subs: tuple[ast.Node, ...], sups: tuple[ast.Node, ...],
               args: tuple[ast.Node, ...] | None, env: Env):  # type: ignore[no-untyped-def]
        for defn in self.decl.defs.get(head, []):
            if len(defn.subs) != len(subs) or defn.sups != sups:
                continue
            if defn.args is None and args is not None:
                continue
            if defn.args is not None and args is None and any(
                d.args is None for d in self.decl.defs.get(head, [])
            ):
                continue  # g_i stands for g_i(\vec{x}) only when g_i is not defined alone
            if args is not None and defn.args is not None and len(args) != len(defn.args):
                continue
            idx: dict[str, sp.Expr] = {}
            vals: dict[ast.Node, Value] = {}
            ok = True
            for pat, use in zip(defn.subs, subs, strict=True):
                if isinstance(pat, ast.Letter) and pat.name in self.decl.indices:
                    idx[pat.name] = self.index(use, env)
                elif pat != use:
                    ok = False
            for pat, use in zip(defn.args or (), args if args is not None else (defn.args or ()),
                                strict=True):
                if isinstance(pat, ast.Letter) and pat.name in self.decl.indices:
                    idx[pat.name] = self.index(use, env)
                elif pat == use and use in env.values:
                    # f(x) inside the body of g(x) called as g(y): f's x is g's, here y
                    vals[pat] = env.values[use]
                elif pat == use:  # same spelling: the body already means this argument
                    continue
                elif isinstance(pat, ast.Rel) and isinstance(use, ast.Rel):
                    # P(y = k | x) used as P(y = j | x): the index letters of the pattern bind
                    ok = ok and self._unify(pat, use, idx, env)
                elif isinstance(pat, (ast.Letter, ast.Postfix)):
                    vals[pat] = self.value(use, env)
                elif pat != use:
                    ok = False
            if ok:
                return defn, idx, vals
        return None

    def _unify(self, pat: ast.Node, use: ast.Node, idx: dict[str, sp.Expr], env: Env) -> bool:
        if isinstance(pat, ast.Letter) and pat.name in self.decl.indices and pat != use:
            value = self.index(use, env)
            if idx.setdefault(pat.name, value) != value:
                return False
            return True
        if type(pat) is not type(use):
            return False
        if isinstance(pat, (ast.Letter, ast.Num)):
            return pat == use
        for name, a in vars(pat).items():
            b = getattr(use, name)
            if isinstance(a, ast.Node) and isinstance(b, ast.Node):
                if not self._unify(a, b, idx, env):
                    return False
            elif isinstance(a, tuple) and isinstance(b, tuple):
                if len(a) != len(b):
                    return False
                for x, y in zip(a, b, strict=True):
                    if isinstance(x, ast.Node) and isinstance(y, ast.Node):
                        if not self._unify(x, y, idx, env):
                            return False
                    elif x != y:
                        return False
            elif a != b and name not in ("line", "col"):
                return False
        return True

    def _expand(self, defn: Definition, idx: dict[str, sp.Expr],
                vals: dict[ast.Node, Value], env: Env) -> Value:
        if env.depth > 30:
            raise self.err(defn.body, f"definition of {defn.head} refers to itself: expected "
                           "definitions that end in declared quantities")
        # a free index letter of the body that the definition does not take as a
        # parameter follows the use site: inside \sum_n, s_j is s_j for that n
        implicit = {name: env.bound[name] for name in self.implicit_letters(defn)
                    if name in env.bound and name not in idx}
        idx = {**implicit, **idx}
        if defn.ident in env.keep:
            return self._opaque_atom(defn, idx, vals)
        # the expansion depends only on these (vals, when given, are not cached)
        key = (defn.ident, tuple(sorted(idx.items())), env.keep, env.prime,
               tuple(sorted(self.case_first.items())))
        if not vals and key in self._expanded:
            cached, logged = self._expanded[key]
            self.case_log.update(logged)  # an ambiguous cases inside stays reported
            return cached
        log_before = dict(self.case_log)
        inner = Env(bound=dict(idx), values=dict(vals), keep=env.keep,
                    prime=None if env.prime_inferred else env.prime, depth=env.depth + 1)
        # a \sum without an index in a definition reads the definition alone
        hint, self.free_hint = self.free_hint, frozenset(
            p.name for p in (*defn.subs, *(defn.args or ())) if isinstance(p, ast.Letter))
        try:
            val = self.value(defn.body, inner)
        finally:
            self.free_hint = hint
        if not vals and val.is_scalar:  # a vector's free axis must stay fresh per use
            self._expanded[key] = (val, {k: v for k, v in self.case_log.items()
                                         if k not in log_before})
        return val

    def _opaque_atom(self, defn: Definition, idx: dict[str, sp.Expr],
                     vals: dict[ast.Node, Value]) -> Value:
        names = sorted(idx)
        stem = f"{defn.head.lstrip(chr(92))}~{defn.ident}~{len(self.opaque)}"
        for atom, (d2, v2, _) in self.opaque.items():
            if d2 is defn and v2 == vals:
                base = atom
                break
        else:
            base = sp.IndexedBase(stem) if names else sp.Symbol(stem)
            self.opaque[base] = (defn, vals, names)
        if names:
            return scalar(base[tuple(idx[n] for n in names)])
        return scalar(base)

    def expand_opaque(self, expr: sp.Expr, env: Env) -> sp.Expr:
        """Replace the placeholders of defined quantities by their definitions."""
        def is_atom(e: sp.Basic) -> bool:
            if isinstance(e, sp.Indexed):
                return e.base in self.opaque
            return isinstance(e, sp.Symbol) and e in self.opaque

        def expand(e: sp.Basic) -> sp.Expr:
            key = e.base if isinstance(e, sp.Indexed) else e
            defn, vals, names = self.opaque[key]
            idx = dict(zip(names, e.indices, strict=True)) if isinstance(e, sp.Indexed) else {}
            free = replace(env, keep=env.keep - {defn.ident})
            val = self._expand(defn, idx, vals, free)
            if not val.is_scalar:
                raise MathIssue(f"{defn.head} is not a scalar")
            return val.expr

        return expr.replace(is_atom, expand)

    # -- scripts ----------------------------------------------------------------------------
    def _powers(self, node: ast.Node, val: Value, sups: tuple[ast.Node, ...], env: Env,
                primes: int = 0) -> Value:
        for sup in sups:
            if isinstance(sup, ast.Letter) and sup.name in TRANSPOSE and (
                sup.name not in self.decl.scalars
            ):
                if sup.name == "\\prime" and val.is_scalar:
                    raise MathIssue("^{\\prime} on a scalar: a derivative or another name, "
                                    "not a transpose (declare it with 'let')")
                val = V.transpose(val)
                continue
            if val.is_scalar and val.expr == sp.E:  # e^{v} of a vector: entry by entry
                val = V.apply_scalar(self.value(sup, env), "e^")
                continue
            exponent = self.scalar_of(sup, env, "an exponent")
            if not val.is_scalar:
                raise MathIssue(f"power of a {val.shape_text()}")
            val = scalar(V.power(val.expr, exponent))
        return self._primes(node, val, primes, env)

    def _primes(self, node: ast.Node, val: Value, primes: int, env: Env) -> Value:
        if not primes:
            return val
        if env.prime is None:
            raise self.err(node, env.prime_note or "a prime ' needs '% derive: prime "
                           "<variable>' before the block, e.g. 'prime f_k'")
        raise MathIssue("internal: primes are handled by the product")  # pragma: no cover

    def indicator(self, cond: ast.Node, env: Env) -> sp.Expr:
        while isinstance(cond, ast.Group) and len(cond.items) == 1:
            cond = cond.items[0]
        if not isinstance(cond, ast.Rel):
            raise self.err(cond, "an indicator: expected a condition such as (j=k)")
        assert cond.lhs is not None and cond.rhs is not None
        delta = sp.KroneckerDelta(self.index(cond.lhs, env), self.index(cond.rhs, env))
        return delta if cond.op == "=" else 1 - delta

    def _is_alias(self, defn: Definition) -> bool:
        """``let W = w``, ``let \\mathbf{x}_n = X_n``: a new spelling of a declared tensor."""
        body = defn.body
        if isinstance(body, ast.Postfix) and not body.sups and not body.primes:
            body = body.base
        return isinstance(body, ast.Letter) and body.name in self.decl.tensors

    def implicit_letters(self, defn: Definition) -> frozenset[str]:
        """Index letters free in the body of ``defn`` (directly or through other
        definitions) that are not its parameters.

        For ``let s_j = e^{w_j \\cdot x_n} / \\sum_i e^{w_i \\cdot x_n}`` this is ``{n}``.
        """
        cached = self._implicit.get(defn.ident)
        if cached is not None:
            return cached
        self._implicit[defn.ident] = frozenset()  # a cycle is reported by _expand
        params = {p.name for p in (*defn.subs, *(defn.args or ())) if isinstance(p, ast.Letter)}
        found: set[str] = set()
        self._free_letters(defn.body, frozenset(params), found)
        result = frozenset(found)
        self._implicit[defn.ident] = result
        return result

    def _free_letters(self, node: ast.Node | None, bound: frozenset[str], out: set[str]) -> None:
        if node is None:
            return
        if isinstance(node, ast.Letter):
            if node.name in self.decl.indices and node.name not in bound:
                out.add(node.name)
            for defn in self.decl.defs.get(node.name, []):
                out.update(self.implicit_letters(defn) - bound)
            return
        if isinstance(node, ast.Postfix) and isinstance(node.base, ast.Letter):
            for defn in self.decl.defs.get(node.base.name, []):
                out.update(self.implicit_letters(defn) - bound)
        if isinstance(node, ast.Product):
            inner = bound
            for item in node.items:
                if isinstance(item, ast.BigOp):
                    if not (isinstance(item.sup, ast.Letter) and item.sup.name in self.decl.sizes):
                        self._free_letters(item.sup, inner, out)  # ^k of "k classes" is a size
                    var = _bigop_var(item)
                    if var is not None:
                        inner = inner | {var}
                    for part in _bigop_conditions(item):
                        self._free_letters(part, inner, out)
                else:
                    self._free_letters(item, inner, out)
            return
        if isinstance(node, ast.BigOp):
            return
        for value in vars(node).values():
            if isinstance(value, ast.Node):
                self._free_letters(value, bound, out)
            elif isinstance(value, tuple):
                for sub in value:
                    if isinstance(sub, ast.Node):
                        self._free_letters(sub, bound, out)
                    elif isinstance(sub, tuple):
                        for leaf in sub:
                            if isinstance(leaf, ast.Node):
                                self._free_letters(leaf, bound, out)

    def _defined_vector(self, node: ast.Node, head: str, env: Env) -> Value | None:
        """A bare ``s`` when only ``s_j`` is defined: the vector of its entries."""
        for defn in self.decl.defs.get(head, []):
            if (len(defn.subs) == 1 and not defn.sups and defn.args is None
                    and isinstance(defn.subs[0], ast.Letter)
                    and defn.subs[0].name in self.decl.indices):
                letter = defn.subs[0].name
                _, lo, hi = self.decl.indices[letter]
                axis = Axis(fresh_index(letter), hi - lo + 1)
                val = self._expand(defn, {letter: axis.sym + lo - 1}, {}, env)
                if not val.is_scalar:
                    raise MathIssue(f"{head} without its index: its entries are not scalars")
                return Value(val.expr, rows=axis)
        return None
