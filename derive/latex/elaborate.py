"""Give the syntax tree its meaning: declared names to SymPy, definitions expanded.

Indices become integer symbols, quantities ``IndexedBase`` entries, sums ``Sum`` with a
fresh bound symbol (so a bound ``i`` never captures a free ``i``), ``\\delta_{jk}`` and
``\\mathbb{1}_{(j=k)}`` ``KroneckerDelta``. ``\\frac{\\partial A}{\\partial \\theta_{ij}}`` is an
unevaluated ``Derivative`` of the expanded ``A``; a derivative with respect to a *defined*
quantity (``\\partial z_j``, ``\\partial P_{y_i}``) treats that quantity as a variable,
differentiates, then expands it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy as sp

from derive.latex import ast
from derive.latex import values as V
from derive.latex.declarations import Declarations, Definition, index_items
from derive.latex.errors import located
from derive.latex.values import Axis, MathIssue, Value, fresh_index, scalar
from derive.prover import freshen

__all__ = ["Elaborator", "Env"]

MARKERS = ("\\partial", "\\delta")
ELIDED = ("\\vdots", "\\cdots", "\\ldots", "\\ddots")
TRANSPOSE = ("T", "\\top", "\\intercal")


@dataclass(frozen=True)
class Env:
    bound: dict[str, sp.Expr] = field(default_factory=dict)
    values: dict[ast.Node, Value] = field(default_factory=dict)
    keep: frozenset[int] = frozenset()
    prime: ast.Node | None = None
    depth: int = 0


class Elaborator:
    """Turns nodes into :class:`Value` under the file's declarations."""

    def __init__(self, decl: Declarations) -> None:
        self.decl = decl
        self.opaque: dict[sp.Basic, tuple[Definition, dict[ast.Node, Value], list[str]]] = {}
        self._implicit: dict[int, frozenset[str]] = {}
        self._expanded: dict[tuple[object, ...], Value] = {}

    # -- errors -------------------------------------------------------------------------
    def err(self, node: ast.Node, msg: str) -> Exception:
        return located(self.decl.source, node.line, node.col, msg)

    # -- entry points ---------------------------------------------------------------------
    def value(self, node: ast.Node, env: Env) -> Value:
        method = getattr(self, "_n_" + type(node).__name__.lower(), None)
        if method is None:
            raise self.err(node, f"{type(node).__name__.lower()} cannot stand here")
        return method(node, env)

    def scalar_of(self, node: ast.Node, env: Env, what: str) -> sp.Expr:
        v = self.value(node, env)
        if not v.is_scalar:
            raise MathIssue(f"{what}: expected a scalar, got a {v.shape_text()}")
        return v.expr

    def index(self, node: ast.Node, env: Env) -> sp.Expr:
        """An index expression: a letter, a label ``y_i``, a number, or a sum of those."""
        if isinstance(node, ast.Letter) and node.name not in env.bound:
            sym = self.decl.index_symbol(node.name)
            if sym is None:
                raise self.err(node, f"undeclared index {node.name}: expected a letter "
                               "declared with '% derive: index ...'")
            return sym  # an index letter that is also a size is the index here
        return self.scalar_of(node, env, "an index")

    # -- leaves ---------------------------------------------------------------------------
    def _n_num(self, node: ast.Num, env: Env) -> Value:
        return scalar(sp.Rational(node.text))

    def _n_letter(self, node: ast.Letter, env: Env) -> Value:
        if node.name in ELIDED:
            raise MathIssue(f"{node.name} elides entries: a matrix of symbolic size written "
                            "with dots is not checkable")
        return self._atom(node, node.name, (), (), None, env)

    def _n_postfix(self, node: ast.Postfix, env: Env) -> Value:
        base = node.base
        assert base is not None
        if node.primes:
            return self._primed(node, env)
        if isinstance(base, ast.Group) and base.delim == "over":
            return self.value(base.items[0], env)
        if isinstance(base, ast.Letter):
            if len(node.subs) > 1:
                raise self.err(node, f"{base.name} has two subscripts: expected one")
            subs = index_items(node.subs[0]) if node.subs else ()
            val = self._atom(node, base.name, subs, node.sups, None, env)
        elif isinstance(base, ast.Norm):
            val = self._norm(base, node.subs, env)
            return self._powers(node, val, node.sups, env, node.primes)
        else:
            if node.subs:
                raise self.err(node, "a subscript on a bracket: expected it on a symbol")
            val = self.value(base, env)
            return self._powers(node, val, node.sups, env, node.primes)
        return self._primes(node, val, node.primes, env)

    # -- names ----------------------------------------------------------------------------
    def _atom(self, node: ast.Node, head: str, subs: tuple[ast.Node, ...],
              sups: tuple[ast.Node, ...], args: tuple[ast.Node, ...] | None, env: Env) -> Value:
        """A name with its subscript slots, superscripts and call arguments."""
        key = node if isinstance(node, ast.Letter) else None
        if key is not None and key in env.values and args is None:
            return env.values[key]
        if not subs and not sups and args is None and head in env.bound:
            return scalar(env.bound[head])
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

    def _name(self, node: ast.Node, head: str, subs: tuple[ast.Node, ...], env: Env) -> Value:
        decl = self.decl
        if head in decl.tensors:
            return self._tensor(node, head, subs, env)
        if subs:
            if head in ("\\delta",) and len(subs) == 2:
                return scalar(sp.KroneckerDelta(self.index(subs[0], env),
                                                self.index(subs[1], env)))
            if head == "\\mathbb{1}" and len(subs) == 1:
                return scalar(self.indicator(subs[0], env))
            known = head in decl.scalars or head in decl.sizes or head in decl.indices
            what = "declared without indices" if known else "undeclared"
            raise self.err(node, f"{head}_{{...}} is {what}: expected '% derive: tensor "
                           f"{head}_{{...}}' or a 'let' definition with {len(subs)} index(es)")
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
        raise self.err(node, f"undeclared symbol {head}: expected a '% derive:' declaration "
                       "(size, index, tensor, label, scalar or let)")

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
            if (defn.args is None) != (args is None):
                continue
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
            for pat, use in zip(defn.args or (), args or (), strict=True):
                if isinstance(pat, ast.Letter) and pat.name in self.decl.indices:
                    idx[pat.name] = self.index(use, env)
                elif pat == use:  # same spelling: the body already means this argument
                    continue
                elif isinstance(pat, (ast.Letter, ast.Postfix)):
                    vals[pat] = self.value(use, env)
                elif pat != use:
                    ok = False
            if ok:
                return defn, idx, vals
        return None

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
        key = (defn.ident, tuple(sorted(idx.items())), env.keep, env.prime)
        if not vals and key in self._expanded:
            return self._expanded[key]
        inner = Env(bound=dict(idx), values=dict(vals), keep=env.keep, prime=env.prime,
                    depth=env.depth + 1)
        val = self.value(defn.body, inner)
        if not vals and val.is_scalar:  # a vector's free axis must stay fresh per use
            self._expanded[key] = val
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
                val = V.transpose(val)
                continue
            if val.is_scalar and val.expr == sp.E:
                val = scalar(sp.exp(self.scalar_of(sup, env, "an exponent")))
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
            raise self.err(node, "a prime ' needs '% derive: prime <variable>' before the "
                           "block, e.g. 'prime f_k'")
        raise MathIssue("internal: primes are handled by the product")  # pragma: no cover

    def indicator(self, cond: ast.Node, env: Env) -> sp.Expr:
        while isinstance(cond, ast.Group) and len(cond.items) == 1:
            cond = cond.items[0]
        if not isinstance(cond, ast.Rel):
            raise self.err(cond, "an indicator: expected a condition such as (j=k)")
        assert cond.lhs is not None and cond.rhs is not None
        delta = sp.KroneckerDelta(self.index(cond.lhs, env), self.index(cond.rhs, env))
        return delta if cond.op == "=" else 1 - delta

    # -- compound nodes ---------------------------------------------------------------------
    def _n_group(self, node: ast.Group, env: Env) -> Value:
        if node.delim == "over" or (len(node.items) == 1 and node.delim in "({["):
            only = node.items[0]
            if isinstance(only, ast.Rel):
                raise self.err(node, "a condition in brackets: expected it as a subscript of "
                               "\\mathbb{1} or in a cases row")
            return self.value(only, env)
        if node.delim == "[":
            vals = [self.value(it, env) for it in node.items]
            if not all(v.is_scalar for v in vals):
                raise MathIssue("a bracket list of non-scalars")
            return Value(concrete=sp.Matrix([[v.expr for v in vals]]))
        raise self.err(node, "a comma-separated list: expected it only as the arguments of a "
                       "declared function")

    def _n_matrix(self, node: ast.Matrix, env: Env) -> Value:
        for row in node.rows:
            for cell in row:
                if isinstance(cell, ast.Letter) and cell.name in ELIDED:
                    raise MathIssue(f"a matrix with elided rows ({cell.name}) has no fixed "
                                    "size: not checkable entry by entry")
        rows = []
        for row in node.rows:
            cells: list[sp.Expr] = []
            for cell in row:
                v = self.value(cell, env)
                if v.is_scalar:
                    cells.append(v.expr)
                elif v.concrete is not None and v.concrete.rows == 1:
                    cells.extend(v.concrete)
                else:
                    raise MathIssue(f"a matrix cell holds a {v.shape_text()}")
            rows.append(cells)
        if len({len(r) for r in rows}) != 1:
            raise self.err(node, "matrix rows of different lengths: expected equal lengths")
        return Value(concrete=sp.Matrix(rows))

    def _n_frac(self, node: ast.Frac, env: Env) -> Value:
        assert node.num is not None and node.den is not None
        d = self.derivative_parts(node)
        if d is not None:
            body, wrt = d
            if not body:
                raise self.err(node, "an operator \\frac{\\partial}{\\partial x} needs "
                               "something to act on")
            return self.derivative(node, body, wrt, env)
        num = self.value(node.num, env)
        den = self.scalar_of(node.den, env, "a denominator")
        return V.scale(num, 1 / den)

    def derivative_parts(self, node: ast.Frac):  # type: ignore[no-untyped-def]
        num = _items(node.num)
        den = _items(node.den)
        if _is_marker(num[0]) and den and _is_marker(den[0]) and len(den) >= 2:
            return num[1:], den[1:]
        return None

    def derivative(self, node: ast.Node, body: tuple[ast.Node, ...], wrt: tuple[ast.Node, ...],
                   env: Env) -> Value:
        head, defn = self._wrt_head(wrt, env)
        if defn is not None:
            kept = replace(env, keep=env.keep | {defn.ident})
            var = self._product(wrt, kept)
            fn = self._product(body, kept)
            if not var.is_scalar or not isinstance(var.expr, (sp.Indexed, sp.Symbol)):
                raise MathIssue(f"derivative with respect to a non-scalar {head}")
            try:
                # Bound letters renamed first: Σ_j e^{f_j} by f_j must not capture j.
                d = sp.diff(freshen(fn.expr, only=var.expr.atoms(sp.Symbol)), var.expr)
            except Exception as exc:  # SymPy may fail on exotic input; not a user error
                raise MathIssue(f"SymPy could not differentiate: {exc}") from None
            return replace(fn, expr=self.expand_opaque(d, env))
        var = self._product(wrt, env)
        fn = self._product(body, env)
        if not isinstance(var.expr, (sp.Indexed, sp.Symbol)) or var.concrete is not None:
            raise self.err(wrt[0], "a derivative with respect to an expression: expected a "
                           "declared quantity such as \\theta_{ij}, \\theta_{.j} or W")
        if not fn.is_scalar and not var.is_scalar:
            raise MathIssue(f"derivative of a {fn.shape_text()} by a {var.shape_text()}")
        expr = sp.Derivative(fn.expr, var.expr)
        if fn.is_scalar:
            return Value(expr, rows=var.rows, cols=var.cols)
        return replace(fn, expr=expr)

    def _wrt_head(self, wrt: tuple[ast.Node, ...], env: Env):  # type: ignore[no-untyped-def]
        first = wrt[0]
        base = first.base if isinstance(first, ast.Postfix) else first
        if not isinstance(base, ast.Letter):
            return None, None
        head = base.name
        subs = index_items(first.subs[0]) if isinstance(first, ast.Postfix) and first.subs else ()
        sups = first.sups if isinstance(first, ast.Postfix) else ()
        args = None
        if len(wrt) == 2 and isinstance(wrt[1], ast.Group) and wrt[1].delim == "(":
            args = wrt[1].items
        found = self._match(head, subs, sups, args, env)
        if found is None or self._is_alias(found[0]):
            return head, None  # W = w: differentiate by the declared quantity itself
        return head, found[0]

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

    def _n_cases(self, node: ast.Cases, env: Env) -> Value:
        total: Value | None = None
        taken: sp.Expr = sp.Integer(0)
        for value_node, cond in node.rows:
            weight = (1 - taken) if cond is None else self.indicator(cond, env)
            taken = taken + weight
            term = V.scale(self.value(value_node, env), weight)
            total = term if total is None else V.add(total, term)
        assert total is not None
        return total

    def _n_neg(self, node: ast.Neg, env: Env) -> Value:
        assert node.body is not None
        return V.neg(self.value(node.body, env))

    def _n_add(self, node: ast.Add, env: Env) -> Value:
        total: Value | None = None
        for sign, term in node.terms:
            v = self.value(term, env)
            if total is None:
                total = V.neg(v) if sign == "-" else v
            else:
                total = V.add(total, v, -1 if sign == "-" else 1)
        assert total is not None
        return total

    def _product(self, items: tuple[ast.Node, ...], env: Env) -> Value:
        acc: Value | None = None
        pos = 0
        while pos < len(items):
            item = items[pos]
            op = None
            if isinstance(item, ast.Op):
                op, item = item.op, item.operand
                assert item is not None
            rest = items[pos + 1 :]
            if isinstance(item, ast.BigOp):
                val, pos = self._bigop(item, rest, env), len(items)
            elif isinstance(item, ast.Frac) and (d := self.derivative_parts(item)) and not d[0]:
                if not rest:
                    raise self.err(item, "\\frac{\\partial}{\\partial x} needs something to "
                                   "act on")
                val, pos = self.derivative(item, rest, d[1], env), len(items)
            elif isinstance(item, ast.Func):
                val, used = self._func(item, rest, env)
                pos += 1 + used
            elif (call := self._call(item, rest, env)) is not None:
                val, pos = call, pos + 2
            elif isinstance(item, ast.Postfix) and item.primes:
                val, pos = self._primed(item, env), pos + 1
            else:
                val, pos = self.value(item, env), pos + 1
            acc = val if acc is None else _combine(acc, val, op)
        assert acc is not None
        return acc

    def _primed(self, item: ast.Postfix, env: Env) -> Value:
        if env.prime is None:
            raise self.err(item, "a prime ' needs '% derive: prime <variable>' before the "
                           "block, e.g. 'prime f_k'")
        inner = replace(item, primes=0)
        return self.derivative(item, (inner,), (env.prime,), env)

    def _call(self, item: ast.Node, rest: tuple[ast.Node, ...], env: Env) -> Value | None:
        if not rest:
            return None
        nxt = rest[0]
        after: tuple[ast.Node, ...] = ()
        if isinstance(nxt, ast.Postfix) and isinstance(nxt.base, ast.Group) and not nxt.subs:
            after = nxt.sups
            nxt = nxt.base
        if not (isinstance(nxt, ast.Group) and nxt.delim == "("):
            return None
        if isinstance(item, ast.Letter):
            head, subs, sups = item.name, (), ()
        elif isinstance(item, ast.Postfix) and isinstance(item.base, ast.Letter) and len(
            item.subs
        ) <= 1 and not item.primes:
            head, sups = item.base.name, item.sups
            subs = index_items(item.subs[0]) if item.subs else ()
        else:
            return None
        if not any(d.args is not None and len(d.args) == len(nxt.items)
                   for d in self.decl.defs.get(head, [])):
            return None
        val = self._atom(item, head, subs, sups, nxt.items, env)
        return self._powers(nxt, val, after, env)

    def _func(self, item: ast.Func, rest: tuple[ast.Node, ...], env: Env) -> tuple[Value, int]:
        fn = sp.log if item.name in ("\\log", "\\ln") else sp.exp
        if not rest:
            raise self.err(item, f"{item.name} needs an argument")
        nxt = rest[0]
        greedy = isinstance(nxt, (ast.BigOp, ast.Func)) or (
            isinstance(nxt, ast.Frac) and (d := self.derivative_parts(nxt)) is not None
            and not d[0]
        )
        if greedy:
            arg, used = self._product(rest, env), len(rest)
        elif (call := self._call(nxt, rest[1:], env)) is not None:
            arg, used = call, 2
        else:
            after: tuple[ast.Node, ...] = ()
            if isinstance(nxt, ast.Postfix) and isinstance(nxt.base, ast.Group) and not (
                nxt.subs
            ):
                # \log(x)^2 is (\log x)^2
                arg = self.value(nxt.base, env)
                after = nxt.sups
            else:
                arg = self.value(nxt, env)
            out = V.apply_scalar(arg, fn, item.name)
            return self._powers(nxt, out, after, env), 1
        return V.apply_scalar(arg, fn, item.name), used

    def _bigop(self, node: ast.BigOp, body: tuple[ast.Node, ...], env: Env) -> Value:
        if node.sub is None:
            raise self.err(node, f"\\{node.kind} without an index: expected e.g. "
                           f"\\{node.kind}_{{k=1}}^K")
        parts = node.sub.items if isinstance(node.sub, ast.Stack) else (node.sub,)
        head = parts[0]
        conds = list(parts[1:])
        lo_node: ast.Node | None = None
        if isinstance(head, ast.Rel) and head.op == "=":
            var, lo_node = head.lhs, head.rhs
        elif isinstance(head, ast.Rel):
            var = head.lhs
            conds.insert(0, head)
        else:
            var = head
        if not isinstance(var, ast.Letter):
            raise self.err(head, f"\\{node.kind} index: expected a letter such as k")
        declared = self.decl.indices.get(var.name)
        if declared is None and (lo_node is None or node.sup is None):
            raise self.err(var, f"\\{node.kind} over undeclared index {var.name}: expected "
                           "'% derive: index ...' or both limits")
        lo = self.index(lo_node, env) if lo_node is not None else declared[1]  # type: ignore[index]
        if isinstance(node.sup, ast.Letter) and node.sup.name in self.decl.sizes:
            hi = self.decl.sizes[node.sup.name]  # \sum_{k=1}^{k}: "k classes"
        else:
            hi = (self.scalar_of(node.sup, env, "an upper limit") if node.sup is not None
                  else declared[2])  # type: ignore[index]
        sym = fresh_index(var.name)
        inner = replace(env, bound={**env.bound, var.name: sym})
        if not body:
            raise self.err(node, f"\\{node.kind} with nothing to sum")
        val = self._product(body, inner)
        weight = sp.Integer(1)
        for cond in conds:
            weight *= self.indicator(cond, inner)
        if node.kind == "prod":
            if not val.is_scalar or weight != 1:
                raise MathIssue("\\prod of a non-scalar or with a condition")
            return scalar(sp.Product(val.expr, (sym, lo, hi)))
        if val.concrete is not None:
            raise MathIssue("\\sum of a literal matrix")
        return replace(val, expr=sp.Sum(val.expr * weight, (sym, lo, hi)))

    def _n_product(self, node: ast.Product, env: Env) -> Value:
        return self._product(node.items, env)

    def _n_rel(self, node: ast.Rel, env: Env) -> Value:
        raise self.err(node, "a condition here: expected an expression")

    def _n_free(self, node: ast.Free, env: Env) -> Value:
        raise self.err(node, "'.' outside a subscript")

    def _n_seq(self, node: ast.Seq, env: Env) -> Value:
        raise self.err(node, "a comma-separated list here: expected one expression")

    def _n_stack(self, node: ast.Stack, env: Env) -> Value:
        raise self.err(node, "\\substack outside the limits of \\sum")

    def _n_bigop(self, node: ast.BigOp, env: Env) -> Value:
        return self._bigop(node, (), env)

    def _n_norm(self, node: ast.Norm, env: Env) -> Value:
        return self._norm(node, (), env)

    def _n_op(self, node: ast.Op, env: Env) -> Value:
        assert node.operand is not None
        raise self.err(node, f"{node.op} with nothing on its left")

    def _n_func(self, node: ast.Func, env: Env) -> Value:
        return self._func(node, (), env)[0]

    def _n_chain(self, node: ast.Chain, env: Env) -> Value:
        raise self.err(node, "an equation inside an expression")


def _items(node: ast.Node | None) -> tuple[ast.Node, ...]:
    if isinstance(node, ast.Product):
        return node.items
    return (node,) if node is not None else ()


def _bigop_var(node: ast.BigOp) -> str | None:
    head = node.sub.items[0] if isinstance(node.sub, ast.Stack) else node.sub
    if isinstance(head, ast.Rel):
        head = head.lhs
    return head.name if isinstance(head, ast.Letter) else None


def _bigop_conditions(node: ast.BigOp) -> tuple[ast.Node, ...]:
    parts = node.sub.items if isinstance(node.sub, ast.Stack) else (node.sub,)
    out: list[ast.Node] = []
    for pos, part in enumerate(parts):
        if isinstance(part, ast.Rel) and pos == 0:
            if part.rhs is not None:
                out.append(part.rhs)  # the lower limit of k=1
        elif pos > 0:
            out.append(part)  # a condition such as k \neq j
    return tuple(out)


def _is_marker(node: ast.Node) -> bool:
    return isinstance(node, ast.Letter) and node.name in MARKERS


def _combine(acc: Value, val: Value, op: str | None) -> Value:
    if op is None:
        return V.matmul(acc, val)
    if op == "\\cdot":
        return V.matmul(acc, val, dot=True)
    if op == "\\otimes":
        return V.outer(acc, val)
    if op == "\\odot":
        return V.hadamard(acc, val)
    if op == "/":
        if not val.is_scalar:
            raise MathIssue(f"division by a {val.shape_text()}")
        return V.scale(acc, 1 / val.expr)
    raise MathIssue(f"unknown operator {op}")
