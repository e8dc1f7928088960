"""Give the syntax tree its meaning: declared names to SymPy, definitions expanded.

Indices become integer symbols, quantities ``IndexedBase`` entries, sums ``Sum`` with a
fresh bound symbol (so a bound ``i`` never captures a free ``i``), ``\\delta_{jk}`` and
``\\mathbb{1}_{(j=k)}`` ``KroneckerDelta``. ``\\frac{\\partial A}{\\partial \\theta_{ij}}`` is an
unevaluated ``Derivative`` of the expanded ``A``; a derivative with respect to a *defined*
quantity (``\\partial z_j``, ``\\partial P_{y_i}``) treats that quantity as a variable,
differentiates, then expands it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from derive.engine.prover import freshen
from derive.errors import DeriveError
from derive.latex import ast
from derive.latex import values as V
from derive.latex.cases import CaseTable, analyse
from derive.latex.declarations import Declarations, Definition
from derive.latex.errors import located
from derive.latex.scripts import index_items, split_scripts
from derive.latex.superscripts import parameter_power
from derive.latex.values import Axis, MathIssue, Value, fresh_index, scalar

__all__ = ["Elaborator", "Env"]

MARKERS = ("\\partial", "\\delta")
ELIDED = ("\\vdots", "\\cdots", "\\ldots", "\\ddots")
TRANSPOSE = ("T", "\\top", "\\intercal", "\\prime")
# spellings of the indicator function: \mathbb{1}\{y=k\}, I_{\{y=k\}}, \boldsymbol{1}(j=l)
INDICATORS = ("\\mathbb{1}", "\\mathbf{1}", "\\boldsymbol{1}", "\\bm{1}", "\\mathbb{I}", "I")
OPERATORS = ("\\partial", "\\nabla")  # \partial_{z_j} L, \nabla_{\theta_k} J
BUILTINS = ("\\text{softmax}", "\\text{logsumexp}", "\\text{diag}")


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
        self._expanded: dict[tuple[object, ...], tuple[Value, dict]] = {}
        # letters free in the left side of the chain being read (set by the checker): a
        # \sum without an index never runs over them
        self.free_hint: frozenset[str] = frozenset()
        # \partial_j read as \partial / \partial z_j earlier in the chain (reset per chain)
        self.entry_vars: dict[str, str] = {}
        # cases whose rows can apply at once, by position: (number of conditioned rows,
        # their table, their conditions); the checker reads such a step once per row put
        # first (case_first)
        self.case_log: dict[tuple[int, int], tuple[int, CaseTable, tuple[sp.Expr, ...]]] = {}
        self.case_first: dict[tuple[int, int], int] = {}

    # -- errors -------------------------------------------------------------------------
    def err(self, node: ast.Node, msg: str) -> Exception:
        return located(self.decl.source, node.line, node.col, msg)

    # -- entry points ---------------------------------------------------------------------
    def value(self, node: ast.Node, env: Env) -> Value:
        method = getattr(self, "_n_" + type(node).__name__.lower(), None)
        if method is None:
            raise self.err(node, f"{type(node).__name__.lower()} cannot stand here")
        return method(node, env)

    def _n_unreadable(self, node: ast.Unreadable, env: Env) -> Value:
        """A member the parser could not read: the links next to it are unknown."""
        raise DeriveError(node.message)

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
            subs, sups = split_scripts(node, self.decl.indices)
            if base.name in OPERATORS and subs and not sups:
                raise self.err(node, f"{base.name}_{{...}} needs something to act on")
            val = self._atom(node, base.name, subs, sups, None, env)
        elif isinstance(base, ast.Norm):
            val = self._norm(base, node.subs, env)
            return self._powers(node, val, node.sups, env, node.primes)
        else:
            val = self.value(base, env)
            if node.subs:  # (x (s - y)^\top)_{dk}: an entry of a vector or matrix
                val = self._entry_of(node, val, env)
            return self._powers(node, val, node.sups, env, node.primes)
        return self._primes(node, val, node.primes, env)

    def _entry_of(self, node: ast.Postfix, val: Value, env: Env) -> Value:
        """Entry ``(r)`` or ``(r, c)`` of a bracketed vector or matrix, as its indexed form:
        the axis runs 1..size, so index r running lo..hi picks entry r - lo + 1 (and its range
        must have the axis's size)."""
        slots = index_items(node.subs[0])
        axes = [ax for ax in (val.rows, val.cols) if ax is not None]
        if val.concrete is not None or not axes:
            raise self.err(node, f"a subscript on a bracket holding a {val.shape_text()}: "
                           "expected it on a symbol, or on a vector or matrix to pick an entry")
        if len(slots) != len(axes):
            raise self.err(node, f"{len(slots)} index(es) on a {val.shape_text()}: expected "
                           f"{len(axes)}, one per axis")
        sub: dict[sp.Symbol, sp.Expr] = {}
        for slot, ax in zip(slots, axes, strict=True):
            idx = self.index(slot, env)
            rng = self.decl.indices.get(slot.name) if isinstance(slot, ast.Letter) else None
            lo = sp.Integer(1)
            if rng is not None and slot.name in env.bound:
                # a \sum's own variable: where its range starts is the sum's, not known here
                if rng[1] != 1:
                    raise MathIssue(f"entry {slot.name} of a {val.shape_text()} inside a sum "
                                    f"over {slot.name}: expected an index that starts at 1")
            elif rng is not None:
                lo = rng[1]
                if sp.simplify(rng[2] - rng[1] + 1 - ax.size) != 0:
                    raise MathIssue(f"entry {slot.name} of a {val.shape_text()}: {slot.name} "
                                    f"runs over {rng[1]}..{rng[2]}, the axis over 1..{ax.size}")
            sub[ax.sym] = idx - lo + 1
        return scalar(val.expr.xreplace(sub))

    # -- names ----------------------------------------------------------------------------
    def _atom(self, node: ast.Node, head: str, subs: tuple[ast.Node, ...],
              sups: tuple[ast.Node, ...], args: tuple[ast.Node, ...] | None, env: Env) -> Value:
        """A name with its subscript slots, superscripts and call arguments."""
        key = node if isinstance(node, ast.Letter) else None
        if key is not None and key in env.values and args is None:
            return env.values[key]
        param = parameter_power(node, subs, args, env.values)
        if param is not None:  # x^2 in the body of f(x): the argument squared
            return self._powers(node, env.values[param], sups, env)
        head = self._plain_head(head)
        if head == "e" and sups and not subs and args is None and not (
                head in self.decl.scalars or head in self.decl.tensors or head in self.decl.defs):
            # e^{...} is Euler's number to a power even where e is also an index letter
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
        if head in ("\\mathbf{1}", "\\mathbb{1}", "\\boldsymbol{1}", "\\bm{1}"):
            raise self.err(node, f"{head} (a vector of ones) has no length here: declare it, "
                           f"as in '% derive: let {head}_k = 1'")
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
        inner = Env(bound=dict(idx), values=dict(vals), keep=env.keep, prime=env.prime,
                    depth=env.depth + 1)
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
            if isinstance(only, ast.Rel):  # [y = k], 1(y_i = k), \{y = k\}: an indicator
                return scalar(self.indicator(only, env))
            return self.value(only, env)
        if node.delim == "[":
            vals = [self.value(it, env) for it in node.items]
            if not all(v.is_scalar for v in vals):
                raise MathIssue("a bracket list of non-scalars")
            return Value(concrete=sp.Matrix([[v.expr for v in vals]]))
        raise self.err(node, "a comma-separated list: expected it only as the arguments of a "
                       "declared function")

    def _n_matrix(self, node: ast.Matrix, env: Env) -> Value:
        if any(isinstance(c, ast.Letter) and c.name in ELIDED for r in node.rows for c in r):
            return self._pattern_column(node, env)
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

    def _pattern_column(self, node: ast.Matrix, env: Env) -> Value:
        """A column written ``[a_1; a_2; \\vdots; a_m]`` is the pattern it shows: row r is the
        first row with its subscript 1 read as r, and rows 2 and m must be that pattern at 2
        and at the size m. Each row may be a number or a column vector (laid as a row)."""
        rows = node.rows
        if any(len(r) != 1 for r in rows):
            return self._pattern_grid(node, env)
        cells = [r[0] for r in rows]
        gaps = [n for n, c in enumerate(cells) if isinstance(c, ast.Letter) and c.name in ELIDED]
        if len(gaps) != 1 or gaps[0] != len(cells) - 2 or gaps[0] < 1:
            raise MathIssue("a column with \\vdots: expected rows 1, 2, ..., then \\vdots, "
                            "then the last row")
        first, last = cells[0], cells[-1]
        label = _pattern_label(first, last)
        if label is None or not isinstance(label, ast.Letter) or label.name not in self.decl.sizes:
            shown = label.name if isinstance(label, ast.Letter) else "not a letter"
            raise MathIssue(f"the last row of a \\vdots column is labelled {shown}: expected "
                            "the first row with its subscript 1 replaced by a declared size")
        for k, cell in enumerate(cells[1 : gaps[0]], start=2):
            if _substitute_label(first, ast.Num(text=str(k))) != cell:
                raise MathIssue(f"row {k} of a \\vdots column does not follow the pattern of "
                                "row 1: the rows written do not show one pattern")
        size = self.decl.sizes[label.name]
        r = fresh_index("r")
        marker = ast.Letter(name=f"\\row{r}")
        pattern = _substitute_label(first, marker)
        inner = replace(env, bound={**env.bound, marker.name: r})
        cell_value = self.value(pattern, inner)  # type: ignore[arg-type]
        axis = Axis(r, size)
        if cell_value.is_scalar:
            return Value(cell_value.expr, rows=axis)
        if cell_value.rows is not None and cell_value.cols is None:
            return Value(cell_value.expr, rows=axis, cols=cell_value.rows)
        raise MathIssue(f"a \\vdots column whose rows are {cell_value.shape_text()}s")

    def _pattern_grid(self, node: ast.Matrix, env: Env) -> Value:
        """A matrix written with rows 1, 2, \\vdots, L and columns 1, 2, \\cdots, M: entry (r, c)
        is entry (1, 2) with its subscripts 1, 2 read as r, c, and when L = M the diagonal is
        entry (1, 1) with 1 read as r. Every written entry must be that pattern; else unknown.
        """
        def gap(c: ast.Node) -> bool:
            return isinstance(c, ast.Letter) and c.name in ELIDED

        rows = [r for r in node.rows]
        gaps = [n for n, r in enumerate(rows) if all(gap(c) for c in r)]
        written = [r for r in rows if not all(gap(c) for c in r)]
        shape_ok = (len(gaps) == 1 and gaps[0] == len(rows) - 2 and gaps[0] >= 2
                    and all(len(r) == len(written[0]) and len(r) >= 4 and gap(r[-2])
                            and not any(gap(c) for c in (*r[:-2], r[-1])) for r in written))
        if not shape_ok:
            raise MathIssue("a matrix of symbolic size: expected rows 1, 2, ..., \\vdots, "
                            "the last row, each with entries 1, 2, ..., \\cdots, the last one")
        a, b = len(written) - 1, len(written[0]) - 2  # rows and columns written before the dots
        off = written[0][1]
        last_row = _pattern_label(off, written[-1][1], "1")
        last_col = _pattern_label(off, written[0][-1], "2")
        for label in (last_row, last_col):
            if not (isinstance(label, ast.Letter) and label.name in self.decl.sizes):
                raise MathIssue("the last row or column of a matrix with dots is not labelled "
                                "by a declared size (entry (1, 2) with 1 or 2 replaced)")
        assert isinstance(last_row, ast.Letter) and isinstance(last_col, ast.Letter)
        square = last_row.name == last_col.name
        diag = written[0][0]

        def expected(li: ast.Node, lj: ast.Node) -> object:
            if square and li == lj:
                return _substitute_labels(diag, {"1": li})
            return _substitute_labels(off, {"1": li, "2": lj})

        row_labels: list[ast.Node] = [ast.Num(text=str(n)) for n in range(1, a + 1)]
        col_labels: list[ast.Node] = [ast.Num(text=str(n)) for n in range(1, b + 1)]
        row_labels.append(last_row)
        col_labels.append(last_col)
        for i, row in enumerate(written):
            cells = [*row[:-2], row[-1]]
            for j, cell in enumerate(cells):
                if expected(row_labels[i], col_labels[j]) != cell:
                    raise MathIssue(f"entry ({i + 1 if i < a else last_row.name}, "
                                    f"{j + 1 if j < b else last_col.name}) of a matrix with dots "
                                    "does not follow the pattern of entries (1, 1) and (1, 2)")
        r, c = fresh_index("r"), fresh_index("c")
        mr, mc = ast.Letter(name=f"\\row{r}"), ast.Letter(name=f"\\col{c}")
        inner = replace(env, bound={**env.bound, mr.name: r, mc.name: c})
        size_r, size_c = self.decl.sizes[last_row.name], self.decl.sizes[last_col.name]
        off_val = self.value(_substitute_labels(off, {"1": mr, "2": mc}), inner)
        entry = off_val.expr
        if square:
            diag_val = self.value(_substitute_labels(diag, {"1": mr}), inner)
            if not diag_val.is_scalar:
                raise MathIssue("a matrix with dots whose entries are not numbers")
            delta = sp.KroneckerDelta(r, c)
            entry = delta * diag_val.expr + (1 - delta) * off_val.expr
        if not off_val.is_scalar:
            raise MathIssue("a matrix with dots whose entries are not numbers")
        return Value(entry, rows=Axis(r, size_r), cols=Axis(c, size_c))

    def _n_frac(self, node: ast.Frac, env: Env) -> Value:
        assert node.num is not None and node.den is not None
        d = self.derivative_parts(node)
        if d is not None:
            body, wrts = d
            if not body:
                raise self.err(node, "an operator \\frac{\\partial}{\\partial x} needs "
                               "something to act on")
            return self.derivatives(node, body, wrts, env)
        num = self.value(node.num, env)
        den = self.scalar_of(node.den, env, "a denominator")
        return V.scale(num, 1 / den)

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
            return self.derivative(node, body, wrts[0], env)
        mark = ast.Letter(name="\\partial", line=node.line, col=node.col)
        inner = ast.Frac(num=ast.Product(items=(mark, *body), line=node.line, col=node.col),
                         den=ast.Product(items=(mark, *wrts[-1]), line=node.line, col=node.col),
                         line=node.line, col=node.col)
        return self.derivatives(node, (inner,), wrts[:-1], env)

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
        subs, sups = (split_scripts(first, self.decl.indices) if isinstance(first, ast.Postfix)
                      else ((), ()))
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
                rest and isinstance(rest[0], ast.Group) and rest[0].delim == "("
            ):  # g'(z): the derivative of the call g(z)
                call_node = ast.Product(items=(replace(item, primes=0), rest[0]),
                                        line=item.line, col=item.col)
                val = self.derivative(item, (call_node,), (env.prime,), env)
                pos += 2
            elif (call := self._call(item, rest, env)) is not None:
                val, pos = call, pos + 2
            elif isinstance(item, ast.Postfix) and item.primes:
                val, pos = self._primed(item, env), pos + 1
            else:
                val, pos = self.value(item, env), pos + 1
            acc = val if acc is None else _combine(acc, val, op)
        assert acc is not None
        return acc

    def _slash_derivative(self, items: tuple[ast.Node, ...], env: Env) -> Value | None:
        """``\\partial y_i / \\partial x_k``: the fraction written inline."""
        if len(items) < 4 or not _is_marker(items[0]):
            return None
        for k in range(2, len(items) - 1):
            it = items[k]
            if isinstance(it, ast.Op) and it.op == "/" and _is_marker(it.operand):
                return self.derivative(items[0], items[1:k], items[k + 1:], env)
        return None

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
        if isinstance(nxt, ast.Postfix) and isinstance(nxt.base, ast.Group) and not nxt.sups:
            sub = nxt.subs[0] if nxt.subs else None
            nxt = nxt.base
        if not (isinstance(nxt, ast.Group) and nxt.delim == "(" and len(nxt.items) == 1):
            raise self.err(item, f"{item.name} needs one argument in parentheses")
        arg = self.value(nxt.items[0], env)
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
            head = item.base.name
            subs, sups = split_scripts(item, self.decl.indices)
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
        inner = replace(env, bound={**env.bound, var.name: sym})
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




def _items_is_marker(node: ast.Node) -> bool:
    """``\\partial``, ``\\delta`` or ``d``, bare or with a power: not a variable."""
    base = node.base if isinstance(node, ast.Postfix) else node
    return isinstance(base, ast.Letter) and (base.name in MARKERS or base.name == "d")


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


def _pattern_label(first: ast.Node, last: ast.Node, numeral: str = "1") -> ast.Node | None:
    """What stands in ``last`` where ``first`` has the subscript ``numeral`` (``b_1`` / ``b_m``:
    m)."""
    found: list[ast.Node] = []

    def walk(a: object, b: object, in_sub: bool) -> bool:
        if isinstance(a, ast.Num) and in_sub and a.text == numeral:
            found.append(b)  # type: ignore[arg-type]
            return True
        if isinstance(a, ast.Node) and isinstance(b, ast.Node):
            if type(a) is not type(b):
                return False
            for name, va in vars(a).items():
                if name in ("line", "col"):
                    continue
                vb = getattr(b, name)
                sub = in_sub or (isinstance(a, ast.Postfix) and name == "subs")
                if not walk(va, vb, sub):
                    return False
            return True
        if isinstance(a, tuple) and isinstance(b, tuple):
            return len(a) == len(b) and all(walk(x, y, in_sub) for x, y in zip(a, b, strict=True))
        return a == b

    if not walk(first, last, False) or not found:
        return None
    if any(f != found[0] for f in found):
        return None
    return found[0]


def _substitute_label(node: object, label: ast.Node, in_sub: bool = False) -> object:
    """``node`` with every subscript 1 replaced by ``label``."""
    return _substitute_labels(node, {"1": label})


def _substitute_labels(node: object, labels: dict[str, ast.Node], in_sub: bool = False
                       ) -> object:
    """``node`` with every subscript numeral in ``labels`` replaced by its label."""
    if isinstance(node, ast.Num) and in_sub and node.text in labels:
        return labels[node.text]
    if isinstance(node, ast.Node):
        changes = {}
        for name, value in vars(node).items():
            if name in ("line", "col"):
                continue
            sub = in_sub or (isinstance(node, ast.Postfix) and name == "subs")
            changes[name] = _substitute_labels(value, labels, sub)
        return replace(node, **changes)
    if isinstance(node, tuple):
        return tuple(_substitute_labels(x, labels, in_sub) for x in node)
    return node


def _is_condition(node: ast.Node) -> bool:
    return isinstance(node, ast.Group) and len(node.items) == 1 and isinstance(
        node.items[0], ast.Rel)


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


def _spell(node: ast.Node | None) -> str:
    """A short spelling of a set as written (for messages)."""
    if isinstance(node, ast.Letter):
        return node.name
    if isinstance(node, ast.Num):
        return node.text
    if isinstance(node, ast.Group):
        opened, closed = ("\\{", "\\}") if node.curly else (node.delim, "]")
        return opened + ", ".join(_spell(it) for it in node.items) + closed
    return "..."


def _show(values: dict[str, int]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in values.items()) or "every point"
