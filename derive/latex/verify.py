"""Check every step of every chain of a notes file through the proof engine.

>>> import os, tempfile
>>> src = "% derive: size K\\n% derive: index k in 1..K\\n% derive: tensor y_k\\n$$y_k = y_k$$\\n"
>>> path = os.path.join(tempfile.mkdtemp(), "n.md")
>>> _ = open(path, "w").write(src)
>>> [r["verdict"] for r in verify_file(path, prove=lambda *a, **k: None)]  # doctest: +SKIP
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from derive.engine.scope import as_expr
from derive.errors import DeriveError
from derive.latex import ast
from derive.latex.ambiguity import (
    MAX_READINGS,
    Chooser,
    Context,
    Point,
    choices,
    combine,
    describe,
    explicit,
)
from derive.latex.as_read import as_read
from derive.latex.blocks import Block, fault, parse_blocks, reparse, text_names
from derive.latex.chains import Directive, Notes, Segment
from derive.latex.concrete_data import data_gate
from derive.latex.declarations import Declarations, parse_declarations
from derive.latex.definitions import SectionTracker, is_defining_link
from derive.latex.dependence import Use, dependence, misreading
from derive.latex.elaborate import Elaborator, Env
from derive.latex.errors import located
from derive.latex.parser import parse_expr_text
from derive.latex.referee import for_notes
from derive.latex.scope import scope_hint, to_rest
from derive.latex.side_conditions import broken, display_conditions, stated
from derive.latex.sources import read_source, relocate, relocate_error
from derive.latex.values import (
    Axis,
    MathIssue,
    Value,
    entries_equal_shape,
    free_with_derivatives,
    lift_indexed,
    materialize,
    reset_fresh_indices,
)

__all__ = ["Member", "StepChain", "check_notes", "collect_chains", "verify_file",
           "verify_notes"]


@dataclass
class Member:
    """One member of a chain; ``directives`` are those in force for the step that ends at
    this member (the ``where``/``prime`` lines before its own block, not an earlier one's)."""

    node: ast.Node
    segment: Segment
    directives: tuple[Directive, ...] = ()
    # how the link from the member before is written ('=', or a defining ':=')
    link: str = "="


@dataclass
class StepChain:
    members: list[Member] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    # a block that could not be read: its one step is unknown with this located message,
    # and the rest of the file is still checked
    error: str = ""
    base: Member | None = None  # the member that conditioned continuations start from


def collect_chains(notes: Notes, decl: Declarations,
                   blocks: tuple[Block, ...] | None = None) -> list[StepChain]:
    """All chains of the notes, with ``=``-continued blocks joined to the previous chain;
    ``blocks`` are the notes' blocks already parsed (:mod:`derive.latex.blocks`)."""
    if blocks is None:
        blocks = parse_blocks(notes, decl.text_names)
    pending = sorted(decl.block_directives, key=lambda d: d.line)
    chains: list[StepChain] = []
    by_block: dict[int, list[Directive]] = {}
    for parsed_block in blocks:
        seg = parsed_block.segment
        if seg.block not in by_block:  # a directive governs every chain of the next block
            by_block[seg.block] = []
            while pending and pending[0].line < seg.line:
                by_block[seg.block].append(pending.pop(0))
        attach = by_block[seg.block]
        if any(d.keyword == "skip" for d in attach):
            chains.append(StepChain(members=[Member(ast.Num(text="0"), seg)],
                                    directives=attach))
            continue
        if parsed_block.error:
            chains.append(StepChain(members=[Member(ast.Num(text="0"), seg)],
                                    directives=attach, error=parsed_block.error))
            continue
        parsed = parsed_block.chains
        # a condition written after the line acts as a 'where' for that line only
        own = [Directive(line=seg.line, col=seg.col, keyword="where", rest=c,
                         rest_col=seg.col) for c in seg.conds or (
                             () if any(d.keyword == "where" for d in attach) else
                             display_conditions(notes.text, notes.math, seg.line, seg.text,
                                                decl.indices))]
        for n, chain in enumerate(parsed):
            if n == 0 and seg.continues:
                if not chains:
                    raise located(notes.source, seg.line, seg.col, "a block starts with '=' "
                                  "but no chain comes before it: expected a left-hand side")
                last = chains[-1]
                if any(d.keyword == "where" for d in attach + own):
                    # "If i = j: = ...", "If i \neq j: = ...": each case continues from the
                    # last member written before the cases, under its own condition only
                    base = last.base or last.members[-1]
                    kept = tuple(d for d in base.directives if d.keyword != "where")
                    members = [Member(m, seg, (*kept, *attach, *own), link)
                               for m, link in _linked(chain)]
                    chains.append(StepChain(
                        members=[base, *members],
                        directives=[d for d in last.directives if d.keyword != "where"]
                        + attach + own, base=base))
                    continue
                # conditions go forward along a chain: a continued block keeps those of
                # the blocks before it and adds its own, which do not reach back
                before = last.members[-1].directives
                members = [Member(m, seg, (*before, *attach), link) for m, link in _linked(chain)]
                last.members.extend(members)
                last.directives.extend(attach + own)
            else:
                members = [Member(m, seg, (*attach, *own), link) for m, link in _linked(chain)]
                chains.append(StepChain(members=members, directives=list(attach) + own))
    return chains


def _linked(chain: ast.Chain) -> list[tuple[ast.Node, str]]:
    """Each member of a parsed chain with how the link before it is written."""
    links = ("=", *chain.links) if len(chain.links) == len(chain.members) - 1 else ()
    return [(m, links[n] if links else "=") for n, m in enumerate(chain.members)]


def _assumptions(decl: Declarations, elab: Elaborator) -> list[Any]:
    from derive.engine.claims import binary, nonnegative, one_hot, sums_to_one

    out = []
    for lhs, rhs, line, col in decl.assumptions:
        if isinstance(rhs, str):  # a hypothesis on every entry of a quantity
            entry = elab.value(lhs, Env())
            if not (entry.is_scalar and isinstance(entry.expr, sp.Indexed)):
                raise located(decl.source, line, col, f"assume: expected an entry of a "
                              f"quantity, such as y_n, before the {rhs} hypothesis")
            out.append({"binary": binary, "nonnegative": nonnegative}[rhs](entry.expr.base))
            continue
        total = elab.value(lhs, Env())
        one = elab.value(rhs, Env())
        ok = (total.is_scalar and isinstance(total.expr, sp.Sum) and one.is_scalar
              and one.expr == 1 and isinstance(total.expr.function, sp.Indexed))
        if ok:
            var = total.expr.limits[0][0]
            idx = list(total.expr.function.indices)
            ok = var in idx
        if not ok:
            raise located(decl.source, line, col, "assume: expected a quantity that sums to "
                          "one, such as \\sum_{k=1}^K y_k = 1")
        out.append(sums_to_one(total.expr.function.base, axis=idx.index(var) - len(idx)))
    # {0, 1} entries that also sum to one along an axis are one-hot rows: the engine then
    # knows y_a y_b = δ_ab y_b there, which neither hypothesis gives alone.
    for a in [a for a in out if a.kind == "sums_to_one"]:
        if any(b.kind == "binary" and b.base == a.base for b in out):
            out = [b for b in out if b.base != a.base or b.kind not in ("binary", "sums_to_one")]
            out.append(one_hot(a.base, axis=a.axis))
    return out


def _scope(decl: Declarations, extra: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]],
           subst: dict[sp.Symbol, sp.Expr] | None = None) -> Any:
    """Ranges of the notes' indices (sizes bound by ``where K = 3`` are numbers)."""
    from derive.engine.scope import Scope

    def fix(rng: tuple) -> tuple:
        return tuple(as_expr(b).xreplace(subst) for b in rng) if subst else rng

    ranges = {sym: fix((lo, hi)) for sym, lo, hi in decl.indices.values()}
    ranges |= {sym: fix(r) for sym, r in extra.items()}
    labels = {t.base: fix(t.label_range) for t in decl.tensors.values() if t.label_range}
    return Scope(index_ranges=ranges, label_bases=labels)


def _entries(v: Value) -> sp.Expr:
    return (v.rows.size if v.rows else sp.S.One) * (v.cols.size if v.cols else sp.S.One)


def _shape_at(v: Value, at: dict) -> str:
    """``v``'s shape in words, its sizes at the point ``at``."""
    def n(ax: Any) -> int:
        return int(as_expr(ax.size).xreplace(at))

    if v.is_scalar:
        return "scalar"
    if v.rows and not v.cols:
        return f"column vector of length {n(v.rows)}"
    if v.cols and not v.rows:
        return f"row vector of length {n(v.cols)}"
    return f"{n(v.rows)}×{n(v.cols)} matrix"


def _entry_count_counterexample(a: Value, b: Value, scope: Any, sizes: dict[str, sp.Symbol],
                                fixed: dict[sp.Symbol, sp.Expr]) -> dict[sp.Symbol, int] | None:
    """Sizes at which the two sides of a step have different *numbers of entries* (a
    D-vector equated with a scalar), or None.

    Only a difference in the number of entries refutes: a row against a column, or D×K
    against K×D, may be the author's layout convention (numerator vs denominator layout),
    so those stay unknown. A scalar side whose free indices do not all occur free on the
    other side may be the generic entry of it (``x_d s_k = x``), so that stays unknown too.
    """
    if a.concrete is not None or b.concrete is not None or (a.is_scalar and b.is_scalar):
        return None
    index_syms = set(scope.index_ranges)
    for one, other in ((a, b), (b, a)):
        if one.is_scalar:
            own = free_with_derivatives(one.expr) & index_syms
            if not own <= (free_with_derivatives(other.expr) & index_syms):
                return None
    diff = sp.expand(_entries(a) - _entries(b))
    if diff == 0:
        return None
    size_syms = sorted(diff.free_symbols | _entries(a).free_symbols | _entries(b).free_symbols,
                       key=str)
    if not all(sym in set(sizes.values()) for sym in size_syms):
        return None  # a shape that is not a product of declared sizes: leave it unknown
    ordered = sorted(size_syms, key=str)
    for values in ((2, 3, 4, 5, 6, 7), (2,) * 6, (3,) * 6, (4, 3, 2, 5, 6, 7)):
        at = {sym: sp.Integer(v) for sym, v in zip(ordered, values, strict=False)}
        at.update({k: v for k, v in fixed.items() if k in at})
        dims = [as_expr(ax.size).xreplace(at) for v in (a, b) for ax in (v.rows, v.cols) if ax]
        if not all(d.is_Integer and d >= 1 for d in dims):
            continue
        if diff.xreplace(at) != 0:
            return {sym: int(at[sym]) for sym in ordered}
    return None


@dataclass
class Condition:
    """What the ``where`` lines of a block say: a weight (product of indicators), index
    substitutions, and literal values of sizes and tensors (``where K = 3``,
    ``where z = [1, 2]``)."""

    weight: sp.Expr = sp.S.One
    subst: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    tensors: dict[str, sp.Matrix] = field(default_factory=dict)  # by the base's name
    notes: list[str] = field(default_factory=list)

    def bind(self, sym: sp.Symbol, value: sp.Expr) -> None:
        """``sym = value``; a second, different value makes the condition impossible."""
        if sym in self.subst:
            old = self.subst[sym]
            self.weight *= sp.KroneckerDelta(old, value) if not (
                old.is_number and value.is_number) else sp.Integer(int(old == value))
            return
        self.subst[sym] = value


def _apply(expr: sp.Expr, cond: Condition) -> sp.Expr:
    """``expr`` under the block's literal bindings: sizes become numbers, finite sums are
    written out, and the entries of a literal tensor are read from it."""
    expr = expr.xreplace(cond.subst)
    if not cond.tensors:
        return expr
    expr = expr.replace(
        lambda e: isinstance(e, sp.Sum) and all(
            lo.is_Integer and hi.is_Integer for _, lo, hi in e.limits),
        lambda e: sp.S.Zero if any((hi - lo + 1).is_Integer and hi - lo + 1 <= 0
                                   for _, lo, hi in e.limits) else e.doit(deep=False))

    def entry(e: sp.Indexed) -> sp.Expr:
        mat = cond.tensors[str(e.base.label)]
        idx = [int(q) for q in e.indices]
        r, c = (idx[0], 1) if len(idx) == 1 else idx
        if not (1 <= r <= mat.rows and 1 <= c <= mat.cols):
            raise MathIssue(f"{e} is outside the literal value {mat.tolist()} given by 'where'")
        return mat[r - 1, c - 1]

    expr = expr.replace(
        lambda e: isinstance(e, sp.Indexed) and str(e.base.label) in cond.tensors
        and all(q.is_Integer for q in e.indices), entry)
    left = [e for e in expr.atoms(sp.Indexed) if str(e.base.label) in cond.tensors]
    if left:
        raise MathIssue(f"{left[0]} has a literal value from 'where' but a symbolic index: "
                        "write the entries with numbers, or the sizes as numbers too")
    return expr


def _with_condition(val: Value, cond: Condition) -> Value:
    weight = _apply(cond.weight, cond)
    if val.concrete is None:
        rows, cols = val.rows, val.cols
        rows = rows and Axis(rows.sym, as_expr(rows.size).xreplace(cond.subst))
        cols = cols and Axis(cols.sym, as_expr(cols.size).xreplace(cond.subst))
        if not cond.tensors or (rows is None and cols is None):
            return Value(_apply(val.expr, cond) * weight, rows, cols)
        # a vector or matrix over a literal tensor: its sizes are numbers now, so write
        # out its entries and read each from the literal
        val = Value(concrete=materialize(Value(val.expr, rows, cols)))
    return Value(concrete=val.concrete.applyfunc(lambda e: _apply(e, cond)) * weight)


def _never(weight: sp.Expr, scope: Any) -> bool:
    """Can the condition (a product of indicators) be shown to be 0 for every value?"""
    from derive.engine import algebra

    if weight == 0:
        return True
    try:
        return algebra.is_zero(algebra.to_poly(weight, scope))
    except algebra.Unsupported:
        return False


def exact_zero(d: sp.Expr) -> bool | None:
    """Is the exact number ``d`` zero? Rationals and algebraic numbers are decided
    symbolically; other constants are simplified, then told apart from 0 by evaluation
    to 60 digits only when that is unambiguous. None: undecided.

    >>> exact_zero(sp.Rational(1, 10**40)), exact_zero(sp.sqrt(2) * sp.sqrt(3) - sp.sqrt(6))
    (False, True)
    """
    d = sp.nsimplify(d, rational=True) if d.has(sp.Float) else d
    if d.is_Rational:
        return d == 0
    d = sp.simplify(d)
    if d.is_Rational:
        return d == 0
    if d.is_algebraic:
        try:
            x = sp.Dummy("x")
            return sp.minimal_polynomial(d, x) == x
        except (NotImplementedError, ValueError, sp.PolynomialError):
            pass
    z = d.is_zero
    if z is not None:
        return z
    value = d.evalf(60)
    if value.is_Number and abs(value) > sp.Float(10) ** -40:
        return False
    return None


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (int, float, str, bool)) or obj is None:
        return obj
    try:
        return float(obj)
    except (TypeError, ValueError):
        return str(obj)


# The independent referee: a file's directives to a judge(record, left, right, left_dirs,
# right_dirs, members, pos) that returns the record the referee lets stand.
REFEREE: Callable[[tuple[Directive, ...]], Callable[..., dict[str, Any]]] = for_notes


class _Checker:
    def __init__(self, notes: Notes, prove: Callable[..., Any] | None) -> None:
        from derive.latex.infer import inference

        reset_fresh_indices()
        #: the symbols each section defines (a step that only introduces one: 'definition')
        self.sections = SectionTracker(notes, notes.directives)
        own = notes
        # parse once: every block to its trees here, read by inference and the checker
        self.blocks = parse_blocks(notes, text_names(notes.directives))
        found = inference(notes, self.blocks)
        implied = tuple(found.directives)
        notes = replace(notes, directives=notes.directives + implied)
        #: names the notes differentiate by others but never define (derive.latex.infer)
        self.undefined = found.undefined
        #: what was inferred, as lines a user can copy (every record of the file carries them)
        self.inferred_lines = found.lines()
        #: (line, col) of a chain's first member -> the name that chain defines
        self.defines = {at: name for name, at in found.definitions.items()}
        #: name -> (line, col) of the definition inference read for it (prose or display)
        self.definitions = dict(found.definitions)
        self.notes = notes
        self.decl = parse_declarations(notes)
        self.blocks = reparse(self.blocks, notes, self.decl.text_names)
        #: quantities no line declares by hand, by their SymPy base: read from use, so
        #: independent unless the notes show otherwise (derive.latex.dependence)
        self.inferred = _inferred_quantities(own, implied, self.decl)
        self.uses: dict[str, Use] = {}
        self.elab = Elaborator(self.decl)
        self.assumptions = _assumptions(self.decl, self.elab)
        self.prove = prove
        self.referee = REFEREE(notes.directives)
        #: equality key -> ("chain.step" that decided it, its verdict)
        self.decided: dict[tuple, tuple[str, Any]] = {}

    def member_value(self, m: Member, env: Env) -> Value:
        return self.elab.value(m.node, env)

    def env_for(self, directives: tuple[Directive, ...]) -> tuple[Env, Condition]:
        """The environment and condition the ``where``/``prime`` lines give a block."""
        cond = Condition()
        prime = None
        values: dict[ast.Node, Value] = {}
        for d in directives:
            if d.keyword == "where":
                # parsed as the bracket of an indicator so that both = and \neq are allowed;
                # several conditions are separated by commas
                parsed = parse_expr_text(f"({d.rest})", d.line, d.rest_col - 1,
                                         self.decl.text_names, self.notes.source)
                rels = parsed.items if isinstance(parsed, ast.Group) else (parsed,)
                for rel in rels:
                    self._condition(rel, cond, values)
                cond.notes.append(f"where {d.rest.strip()}")
            elif d.keyword == "prime":
                prime = parse_expr_text(d.rest, d.line, d.rest_col, self.decl.text_names,
                                        self.notes.source)
        return Env(values=values, prime=prime), cond

    def _condition(self, rel: ast.Node, cond: Condition, values: dict[ast.Node, Value]) -> None:
        """Record one ``where`` condition."""
        if isinstance(rel, ast.Rel) and rel.op == "=" and isinstance(rel.lhs, ast.Letter) and (
            rel.rhs is not None
        ):
            name = rel.lhs.name
            if name in self.decl.indices:
                # "A = B when k = y_i" is A[k:=y_i] = B[k:=y_i]: substitute, the
                # engine does not move a free Kronecker delta into its arguments
                sym = self.decl.indices[name][0]
                cond.bind(sym, self.elab.index(rel.rhs, Env()))
                return
            if name in self.decl.sizes:
                value = self.elab.value(rel.rhs, Env())
                n = value.expr if value.is_scalar else None
                if n is None or not (n.is_Integer and n > 0):
                    raise located(self.notes.source, rel.line, rel.col,
                                  f"where {name} = ...: a size is a positive integer, "
                                  f"got {value.concrete.tolist() if n is None else n}")
                cond.bind(self.decl.sizes[name], n)
                return
            # "where x = [2, 2, 2]": in this block the symbol x has that value
            value = self.elab.value(rel.rhs, Env())
            tensor = self.decl.tensors.get(name)
            mat = value.concrete
            flat = mat is not None and 1 in (mat.rows, mat.cols)
            if tensor is not None and mat is not None and (
                (len(tensor.shape) == 1 and flat) or (len(tensor.shape) == 2 and not flat)
            ):
                # the notes' x, x^T, x_1 all read the literal through the declared tensor,
                # in its declared shape (a vector x_i is a column however it is written)
                self._literal_tensor(rel, tensor, mat, cond)
                return
            # otherwise (a list given for one row of a declared matrix, a defined name)
            # the bare name is the literal as written, in this block only
            if name in self.decl.scalars and value.is_scalar:
                cond.bind(self.decl.scalars[name], value.expr)
            values[rel.lhs] = value
            return
        cond.weight *= self.elab.indicator(rel, Env())

    def _literal_tensor(self, rel: ast.Rel, tensor: Any, mat: sp.Matrix,
                        cond: Condition) -> None:
        """A literal value of a declared tensor keeps the declared shape: a vector ``x_i``
        is a column whatever way the list is written; its sizes take the literal's."""
        if len(tensor.shape) == 1 and 1 in (mat.rows, mat.cols):
            mat = mat if mat.cols == 1 else mat.T
            dims = (mat.rows,)
        elif len(tensor.shape) == 2:
            dims = (mat.rows, mat.cols)
        else:
            raise located(self.notes.source, rel.line, rel.col,
                          f"where {tensor.spelling} = ...: {tensor.spelling} is declared with "
                          f"{len(tensor.shape)} indices, got a {mat.rows}×{mat.cols} matrix")
        for size, n in zip(tensor.shape, dims, strict=True):
            size = as_expr(size).xreplace(cond.subst)
            if size.is_Integer:
                if size != n:
                    cond.weight = sp.Integer(0)  # the literal contradicts a fixed size
            elif size.is_Symbol:
                cond.bind(size, sp.Integer(n))
            else:
                raise MathIssue(f"{tensor.spelling} has size {size}: cannot take it from a "
                                "literal value")
        cond.tensors[str(tensor.base.label)] = mat

    def run(self) -> list[dict[str, Any]]:
        chains = collect_chains(self.notes, self.decl, self.blocks)
        self.uses = dependence(([m.node for m in c.members] for c in chains if not c.error),
                               self.elab.derivative_parts)
        results: list[dict[str, Any]] = []
        for number, chain in enumerate(chains, start=1):
            skip = [d for d in chain.directives if d.keyword == "skip"]
            if skip:
                results.append(self._record(number, 1, chain.members[0], chain.members[0],
                                            "unknown", f"not checked: {skip[0].rest.strip()}"))
                continue
            if chain.error:
                results.append(self._record(number, 1, chain.members[0], chain.members[0],
                                            "unknown", f"not read: {chain.error}",
                                            unread=True))
                continue
            self.elab.entry_vars = {}
            free = [_free_letters(m.node) for m in chain.members]
            # the ambiguity policy: each member's notation made explicit where the context
            # decides; the points it does not decide are checked reading by reading
            written = [m.node for m in chain.members]
            points: list[dict[tuple[str, int, int], Point]] = []
            for pos, m in enumerate(chain.members):
                chooser = Chooser()
                chain.members[pos] = replace(m, node=explicit(
                    m.node, self._context(free, pos), chooser))
                points.append(dict(chooser.met))
            free = [_free_letters(m.node) for m in chain.members]
            if any(d.keyword == "scope" for d in chain.directives):  # declared: see .scope
                chain.members = [Member(to_rest(m.node), m.segment, m.directives, m.link)
                                 for m in chain.members]
            conds: dict[tuple, tuple[Env, Condition]] = {}
            memo: dict[tuple, Value | MathIssue] = {}
            logs: dict[tuple, dict] = {}  # the ambiguous cases each member reads
            defined = self._definition_step(number, chain)
            if defined is not None:
                results.append(defined)
            for step in range(1 + (defined is not None), len(chain.members)):
                # a step holds under the conditions of the block its right member is in;
                # each member keeps its own block's notation (prime)
                key = chain.members[step].directives
                if key not in conds:
                    conds[key] = self.env_for(key)
                env, cond = conds[key]
                vals: list[Value | MathIssue] = [MathIssue("not evaluated")] * len(chain.members)
                for pos in (step - 1, step):
                    if (pos, key) not in memo:
                        self.elab.case_log = {}
                        memo[pos, key] = self._evaluate(chain, pos, key, env, free)
                        logs[pos, key] = dict(self.elab.case_log)
                    vals[pos] = memo[pos, key]
                ambiguous = {**logs[step - 1, key], **logs[step, key]}
                met = {**points[step - 1], **points[step]}
                if met:
                    rec = self._undefined_gate(self._readings(
                        number, step, chain, written, key, env, cond, met), chain, step)
                    rec = self._data(rec, chain, step)
                    results.append(self._defines(self._side_conditions(rec), chain, step))
                    continue
                if ambiguous:
                    rec = self._ambiguous(number, step, chain, key, env, cond, free, ambiguous)
                else:
                    rec = self._guarded_step(number, step, chain, vals, cond)
                rec = self._undefined_gate(self._referee(rec, chain, step), chain, step)
                rec = self._data(rec, chain, step)
                results.append(self._defines(self._side_conditions(rec), chain, step))
        for rec in results:
            rec["inferred"] = list(self.inferred_lines)
        return results

    def _definition_step(self, number: int, chain: StepChain) -> dict[str, Any] | None:
        """The record of the chain's first step when it only introduces a symbol
        (:mod:`derive.latex.definitions`), else None (the step is checked)."""
        if chain.base is not None or len(chain.members) < 2:
            return None
        left, right = chain.members[0], chain.members[1]
        if left.segment.continues or any(isinstance(n, ast.Unreadable)
                                         for m in (left, right) for n in ast.walk(m.node)):
            return None  # a member derive cannot read: the step is unknown with the reason
        head = self.sections.defines(left.node, right.node, right.link,
                                     left.segment.line, left.segment.col)
        if head is None:
            return None
        at = self.definitions.get(head)
        starts = self.sections.starts
        if at is not None and at < (left.node.line, left.node.col) and not (
            is_defining_link(right.link)
        ) and sum(s <= at[0] for s in starts) == sum(s <= left.node.line for s in starts):
            # the name's definition was read before, in this section (the prose before,
            # another display): this equation is a claim about it, checked like every other
            return None
        return self._record(number, 1, left, right, "definition", f"defines {head}")

    def _defines(self, rec: dict[str, Any], chain: StepChain, step: int) -> dict[str, Any]:
        """The first step of a chain whose first member inference read as a definition
        (``p_k = \\frac{...}``) says which name it defines (``defines``)."""
        first = chain.members[0].node
        name = self.defines.get((first.line, first.col)) if step == 1 else None
        if name is not None:
            rec = {**rec, "defines": name}
        return rec

    def _names(self, node: ast.Node, seen: set[str]) -> set[str]:
        """The names ``node`` uses, through the definitions it uses (``L`` defined by the
        ``p_k`` in its body uses ``p``)."""
        from derive.latex.infer import _heads

        out = set()
        for name, _, _ in _heads(node):
            out.add(name)
            if name not in seen:
                seen.add(name)
                for d in self.decl.defs.get(name, ()):
                    out |= self._names(d.body, seen)
        return out

    def _undefined_gate(self, rec: dict[str, Any], chain: StepChain, step: int
                        ) -> dict[str, Any]:
        """Never silently independent: a step that uses a name the notes differentiate by
        another quantity but never define (derive.latex.infer.Undefined) is ``unknown``
        when it differentiates by one of those quantities, or would be refuted (the
        counterexample treats the name as free), with the message saying where to define
        it. A proof that differentiates by nothing it depends on stands: it holds for
        every value of the name."""
        from derive.latex.infer import _derivatives, _heads

        if not self.undefined or rec.get("verdict") not in ("proved", "refuted"):
            return rec
        nodes = (chain.members[step - 1].node, chain.members[step].node)
        used: set[str] = set()
        for node in nodes:
            used |= self._names(node, set())
        hit = [u for name, u in sorted(self.undefined.items()) if name in used]
        if not hit:
            return rec
        by = {h for node in nodes for _, den in _derivatives(node) for h, _, _ in _heads(den)}
        hit = [u for u in hit if u.variables & by] or (
            hit if rec["verdict"] == "refuted" else [])
        if not hit:
            return rec
        out = {k: v for k, v in rec.items() if k != "counterexample"}
        out["verdict"] = "unknown"
        out["note"] = "; ".join(u.message() for u in hit)
        return out

    def _referee(self, rec: dict[str, Any], chain: StepChain, step: int) -> dict[str, Any]:
        """The verdict the independent referee lets stand (derive.latex.referee.gate)."""
        left, right = chain.members[step - 1], chain.members[step]
        return self.referee(rec, left.node, right.node, left.directives, right.directives,
                            tuple(m.node for m in chain.members), step)

    def _evaluate(self, chain: StepChain, pos: int, key: tuple, env: Env,
                  free: list[frozenset[str]]) -> Value | MathIssue:
        """Member ``pos`` of ``chain`` under the conditions ``key`` of the step it is in."""
        m = chain.members[pos]
        own = self.env_for(m.directives)[0].prime if m.directives != key else env.prime
        # a \sum without an index never runs over a letter free in another member
        self.elab.free_hint = frozenset().union(*(f for n, f in enumerate(free) if n != pos))
        try:
            return self.member_value(m, replace(env, prime=own))
        except MathIssue as exc:
            return MathIssue(f"{exc}{scope_hint(m.node)}")
        except DeriveError as exc:  # e.g. an undeclared symbol: this member
            return MathIssue(f"not read: {exc}")
        except Exception as exc:  # fault barrier: this member only
            return MathIssue(fault(exc))

    def _data(self, rec: dict[str, Any], chain: StepChain, step: int) -> dict[str, Any]:
        """A refutation of a step written with the author's data is unknown
        (derive.latex.concrete_data)."""
        return data_gate(rec, chain.members[step - 1].node, chain.members[step].node)

    def _side_conditions(self, rec: dict[str, Any]) -> dict[str, Any]:
        """A refutation whose counterexample makes two indices equal that the prose beside
        the display states distinct ("where $j \\neq k$") is no refutation: unknown, naming
        the condition (derive.latex.side_conditions)."""
        cex = rec.get("counterexample") or {}
        indices = cex.get("indices") if isinstance(cex, dict) else None
        if rec.get("verdict") != "refuted" or not isinstance(indices, dict):
            return rec
        cut = broken(stated(self.notes.text, self.notes.math, int(rec.get("line") or 0)),
                     indices)
        if cut is None:
            return rec
        out = {k: v for k, v in rec.items() if k != "counterexample"}
        out["verdict"] = "unknown"
        out["note"] = "; ".join(x for x in (rec.get("note", ""), (
            f"the prose beside this display states {cut}, and the counterexample breaks "
            "it: write the condition in the display (e.g. ', j \\neq k' after the step) to "
            "check the step under it")) if x)
        return out

    def _context(self, free: list[frozenset[str]], pos: int) -> Context:
        """What decides between readings of member ``pos``: the other members' free letters
        and the notes' index letters."""
        return Context(other_free=frozenset().union(*(f for n, f in enumerate(free)
                                                       if n != pos)),
                       indices=frozenset(self.decl.indices))

    def _readings(self, number: int, step: int, chain: StepChain, written: list[ast.Node],
                  key: tuple, env: Env, cond: Condition,
                  met: dict[tuple[str, int, int], Point]) -> dict[str, Any]:
        """The ambiguity policy (derive.latex.ambiguity): a step whose members meet points
        the context does not decide is checked once per reading (each member's tree made
        explicit that way, read by the engine and the referee alike); proved or refuted
        only when every reading agrees, else unknown (ambiguous). The record lists the
        readings, each with its verdict and the formula as read."""
        left, right = chain.members[step - 1], chain.members[step]
        combos = choices(met)
        where = ", ".join(f"{p.kind} at line {p.line}:{p.col}" for p in met.values())
        if combos is None:
            return self._record(number, step, left, right, "unknown",
                                f"ambiguous ({where}): more than {MAX_READINGS} readings")
        free0 = [_free_letters(n) for n in written]
        done: list[tuple[str, dict[str, Any]]] = []
        for choice in combos:
            members = list(chain.members)
            for pos in (step - 1, step):
                members[pos] = replace(members[pos], node=explicit(
                    written[pos], self._context(free0, pos), Chooser(chosen=dict(choice))))
            alt = replace(chain, members=members)
            free = [_free_letters(m.node) for m in members]
            self.elab.case_log = {}
            vals: list[Value | MathIssue] = [MathIssue("not evaluated")] * len(members)
            for pos in (step - 1, step):
                vals[pos] = self._evaluate(alt, pos, key, env, free)
            cases = dict(self.elab.case_log)
            rec = (self._ambiguous(number, step, alt, key, env, cond, free, cases)
                   if cases else self._guarded_step(number, step, alt, vals, cond))
            done.append((describe(met, choice), self._referee(rec, alt, step)))
        readings = [{"reading": text, "verdict": rec["verdict"],
                     **({"read": rec["read"]} if rec.get("read") else {}),
                     **({"note": rec["note"]} if rec.get("note") else {})}
                    for text, rec in done]
        verdict = combine([rec["verdict"] for _, rec in done])
        if verdict != "unknown":
            rec = dict(done[0][1])
            rec["note"] = "; ".join(x for x in (rec.get("note", ""), f"{verdict} under every "
                                                f"reading ({where})") if x)
            rec["readings"] = readings
            return rec
        shown = " | ".join(f"{r['reading']}: {r['verdict']}" for r in readings)
        why = ("unknown under every reading"
               if all(r["verdict"] == "unknown" for r in readings) else "the readings disagree")
        return self._record(number, step, left, right, "unknown",
                            f"ambiguous: {why} ({shown})", readings=readings)

    def _ambiguous(self, number: int, step: int, chain: StepChain, key: tuple, env: Env,
                   cond: Condition, free: list[frozenset[str]], logged: dict) -> dict[str, Any]:
        """A step through a ``cases`` whose rows can apply at once: checked once per choice
        of the row that wins where they overlap. Proved only if every reading is (the step
        holds for every row that applies); refuted only at a counterexample where no two
        rows apply (every reading fails there); else unknown (ambiguous)."""
        places = sorted(logged)
        choices = list(itertools.product(*(range(logged[p][0]) for p in places)))
        left, right = chain.members[step - 1], chain.members[step]
        (line, col), (_, table, _) = places[0], logged[places[0]]
        pair = table.overlaps[0] if table.overlaps else (0, 1)
        at = ", ".join(f"{k} = {v}" for k, v in table.witness.items())
        what = (f"ambiguous: rows {pair[0] + 1} and {pair[1] + 1} of the cases at "
                f"{line}:{col} both apply" + (f" (at {at})" if at else ""))
        if len(choices) > 16:
            return self._record(number, step, left, right, "unknown",
                                f"{what}; too many readings to check")
        recs = []
        try:
            for choice in choices:
                self.elab.case_first = dict(zip(places, choice, strict=True))
                self.elab.case_log = {}
                vals: list[Value | MathIssue] = [MathIssue("not evaluated")] * len(
                    chain.members)
                for pos in (step - 1, step):
                    vals[pos] = self._evaluate(chain, pos, key, env, free)
                recs.append(self._guarded_step(number, step, chain, vals, cond))
        finally:
            self.elab.case_first = {}
            self.elab.case_log = {}
        if all(r["verdict"] == "proved" for r in recs):
            rec = dict(recs[0])
            rec["note"] = "; ".join(x for x in (rec.get("note", ""), what + ", and the step "
                                                "holds under every row that applies") if x)
            return rec
        for rec in recs:
            if rec["verdict"] == "refuted" and _one_row_applies(
                    rec.get("counterexample") or {}, [logged[p][2] for p in places]):
                rec = dict(rec)
                rec["note"] = "; ".join(x for x in (rec.get("note", ""), "at the "
                                        "counterexample at most one row of each cases applies")
                                        if x)
                return rec
        return self._record(number, step, left, right, "unknown",
                            f"{what} with different values, and the step does not hold "
                            "under every one of them")

    def _guarded_step(self, number: int, step: int, chain: StepChain,
                      vals: list[Value | MathIssue], cond: Condition) -> dict[str, Any]:
        """The fault barrier of one step: whatever goes wrong inside it (SymPy's
        OverflowError on e^{e^{e^{e^{10}}}}, a RecursionError) makes this step unknown
        with the reason, and the rest of the file is still checked."""
        try:
            return self.step(number, step, chain, vals, cond)
        except DeriveError as exc:
            reason = f"not read: {exc}"
        except Exception as exc:
            reason = fault(exc)
        return self._record(number, step, chain.members[step - 1], chain.members[step],
                            "unknown", reason)

    def _record(self, chain: int, step: int, left: Member, right: Member, verdict: str,
                note: str = "", **extra: Any) -> dict[str, Any]:
        node = right.node
        rec = {"file": self.notes.source, "line": node.line or right.segment.line,
               "column": node.col or right.segment.col, "chain": chain, "step": step,
               "verdict": verdict}
        if note:
            rec["note"] = self._in_notes_spelling(note)
        rec.update(extra)
        return rec

    def step(self, number: int, step: int, chain: StepChain, vals: list[Value | MathIssue],
             cond: Condition) -> dict[str, Any]:
        left, right = chain.members[step - 1], chain.members[step]
        a, b = vals[step - 1], vals[step]
        started = time.perf_counter()
        # a member the parser could not read names the construct first; the step is unread
        unread = [v for v, m in ((a, left), (b, right)) if isinstance(m.node, ast.Unreadable)]
        for v in (*unread, a, b):
            if isinstance(v, MathIssue):
                return self._record(number, step, left, right, "unknown", str(v),
                                    **({"unread": True} if unread else {}))
        assert isinstance(a, Value) and isinstance(b, Value)
        cond_notes = cond.notes
        try:
            if cond.notes and _never(_apply(cond.weight, cond),
                                     _scope(self.decl, {}, cond.subst)):
                return self._record(number, step, left, right, "unknown",
                                    "; ".join([*cond.notes, "condition can never hold"]))
            if cond.weight != 1 or cond.subst or cond.tensors:
                a, b = _with_condition(a, cond), _with_condition(b, cond)
            numbers = all(v.is_scalar and not v.expr.free_symbols
                          and not v.expr.has(sp.Derivative) for v in (a, b))
            if a.concrete is not None or b.concrete is not None or numbers:
                return self._concrete(number, step, left, right, a, b, started)
            scalar_side = left if a.is_scalar else right
            scope = _scope(self.decl, {}, cond.subst)
            a, b = lift_indexed(a, b, scope.index_ranges, self._written(scalar_side.node))
            sizes = _entry_count_counterexample(a, b, scope, self.decl.sizes, cond.subst)
            if sizes is not None:
                shown = ", ".join(f"{k} = {v}" for k, v in sizes.items())
                at = {sym: sp.Integer(v) for sym, v in sizes.items()}
                return self._record(
                    number, step, left, right, "refuted",
                    f"shapes differ: a {_shape_at(a, at)} vs a {_shape_at(b, at)} at {shown}",
                    seconds=round(time.perf_counter() - started, 4),
                    trace={"rules": ["count the entries"], "numeric": False,
                           "equality": [str(a.expr), str(b.expr)]},
                    counterexample={"sizes": {str(k): v for k, v in sizes.items()},
                                    "shapes": [_shape_at(a, at), _shape_at(b, at)]})
            a, b = entries_equal_shape(a, b)
        except MathIssue as exc:
            return self._record(number, step, left, right, "unknown", str(exc))
        extra: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] = {}
        for ax in (a.rows, a.cols):
            if ax is not None:
                extra[ax.sym] = (sp.Integer(1), ax.size)
        return self._engine(number, step, left, right, a.expr, b.expr,
                            _scope(self.decl, extra, cond.subst), cond_notes, started)

    def _written(self, node: ast.Node) -> tuple[sp.Symbol, ...]:
        """Index symbols of the letters of ``node`` in the order they are written."""
        letters = sorted((n for n in ast.walk(node) if isinstance(n, ast.Letter)),
                         key=lambda n: (n.line, n.col))
        return tuple(self.decl.indices[n.name][0] for n in letters
                     if n.name in self.decl.indices)

    def _concrete(self, number: int, step: int, left: Member, right: Member, a: Value,
                  b: Value, started: float) -> dict[str, Any]:
        ma, mb = materialize(a), materialize(b)
        if ma.free_symbols or mb.free_symbols:
            raise MathIssue("a literal matrix compared with a symbolic one")
        secs = round(time.perf_counter() - started, 4)
        trace = {"rules": ["exact arithmetic"], "numeric": False,
                 "equality": [str(ma.tolist()), str(mb.tolist())]}
        if ma.shape != mb.shape:
            return self._record(number, step, left, right, "refuted",
                                f"shapes differ: {ma.rows}×{ma.cols} vs {mb.rows}×{mb.cols} "
                                "(exact arithmetic)",
                                seconds=secs, trace=trace, counterexample={
                                    "lhs": _jsonable(ma.tolist()), "rhs": _jsonable(mb.tolist())})
        undecided = []
        for r in range(ma.rows):
            for c in range(ma.cols):
                zero = exact_zero(ma[r, c] - mb[r, c])
                if zero is None:
                    undecided.append((r + 1, c + 1))
                elif not zero:
                    return self._record(
                        number, step, left, right, "refuted",
                        f"entry ({r + 1}, {c + 1}): {ma[r, c]} vs {mb[r, c]} (exact arithmetic)",
                        seconds=secs, trace=trace, counterexample={
                            "entry": [r + 1, c + 1],
                            "difference": str(sp.simplify(ma[r, c] - mb[r, c])),
                            "lhs": _jsonable(ma.tolist()),
                            "rhs": _jsonable(mb.tolist())})
        if undecided:
            return self._record(number, step, left, right, "unknown",
                                f"exact arithmetic could not decide entry {undecided[0]}",
                                seconds=secs, trace=trace)
        return self._record(number, step, left, right, "proved", "exact arithmetic",
                            seconds=secs, trace=trace)

    def _engine(self, number: int, step: int, left: Member, right: Member, lhs: sp.Expr,
                rhs: sp.Expr, scope: Any, cond_notes: list[str],
                started: float) -> dict[str, Any]:
        prove = self.prove
        if prove is None:
            from derive.engine.prover import prove_equal as prove
        name = f"{self.notes.source}:{right.node.line}: chain {number} step {step}"
        key = _equality_key(lhs, rhs, scope, self.assumptions)
        earlier = self.decided.get(key)
        try:
            if earlier is not None:  # the same equality, already decided: by value
                verdict = earlier[1]
            else:
                verdict = prove(lhs, rhs, scope=scope, assumptions=tuple(self.assumptions),
                                name=name)
                self.decided[key] = (f"{number}.{step}", verdict)
        except NotImplementedError:
            return self._record(number, step, left, right, "unknown",
                                "the proof engine is not available yet")
        except Exception as exc:  # the engine failing is a verdict, not a crash
            return self._record(number, step, left, right, "unknown",
                                f"engine error: {type(exc).__name__}: {exc}")
        secs = round(time.perf_counter() - started, 4)
        misread = (misreading(lhs, rhs, verdict.status, self.inferred, self.uses)
                   if verdict.status in ("proved", "refuted") else None)
        if misread is not None:
            return self._record(number, step, left, right, "unknown",
                                "; ".join([*cond_notes, misread]), seconds=secs,
                                read=as_read(lhs, rhs, self.decl.display))
        trace: dict[str, Any] = {"rules": list(getattr(verdict, "rules", ()) or ()),
                                 "numeric": bool(getattr(verdict, "numeric", False)),
                                 "equality": [str(lhs), str(rhs)]}
        if earlier is not None:
            trace["inherits"] = earlier[0]
        extra_fields: dict[str, Any] = {"seconds": secs, "trace": trace}
        note = "; ".join([*cond_notes, verdict.note] if verdict.note else cond_notes)
        if verdict.status == "unknown":
            extra_fields["residual"] = str(verdict.residual)
        extra_fields["read"] = as_read(lhs, rhs, self.decl.display)  # the step as read
        if verdict.counterexample is not None:
            extra_fields["counterexample"] = self._in_notes_symbols(
                verdict.counterexample.as_dict())
        return self._record(number, step, left, right, verdict.status, note, **extra_fields)

    def _in_notes_spelling(self, note: str) -> str:
        """Sizes renamed internally (``k2`` for the size ``k`` beside the index ``k``) are
        shown as the notes spell them."""
        for spelling, sym in self.decl.sizes.items():
            if sym.name != spelling:
                note = re.sub(rf"(?<![\w']){re.escape(sym.name)}(?![\w'])", spelling, note)
        return note

    def _in_notes_symbols(self, cex: dict[str, Any]) -> dict[str, Any]:
        display = self.decl.display
        out = dict(cex)
        out["values"] = {display.get(k, k): v for k, v in cex.get("values", {}).items()}
        out["sizes"] = {display.get(k, k): v for k, v in cex.get("sizes", {}).items()}
        out["indices"] = {k.split("'")[0] + ("'" if "'" in k else ""): v
                          for k, v in cex.get("indices", {}).items()}
        return _jsonable(out)


def _equality_key(lhs: sp.Expr, rhs: sp.Expr, scope: Any, assumptions: Any) -> tuple:
    """What makes two engine calls the same question: both sides, the ranges and shapes,
    and the hypotheses (by value, never by where the step sits)."""
    def items(m: Any) -> str:
        return sp.srepr(sorted(((k, v) for k, v in dict(m or {}).items()), key=str))

    def canonical(e: sp.Expr) -> str:  # bound indices named by order of appearance
        bound: dict[sp.Basic, sp.Symbol] = {}
        for node in sp.preorder_traversal(e):
            if isinstance(node, sp.Sum):
                for lim in node.limits:
                    bound.setdefault(lim[0], sp.Symbol(f"_bound{len(bound)}", integer=True))
        return sp.srepr(e.xreplace(bound))

    return (canonical(lhs), canonical(rhs), items(getattr(scope, "index_ranges", None)),
            items(getattr(scope, "label_bases", None)), items(getattr(scope, "shapes", None)),
            tuple(map(str, assumptions)))


def _one_row_applies(cex: dict[str, Any], tables: list[tuple[sp.Expr, ...]]) -> bool:
    """At the counterexample's index values, does at most one row of each cases apply?
    False when that cannot be told (a condition's index is not in the counterexample)."""
    indices = cex.get("indices")
    if not isinstance(indices, dict):
        return False
    for weights in tables:
        on = 0
        for w in weights:
            at = w.xreplace({s: sp.Integer(indices[s.name]) for s in w.free_symbols
                             if isinstance(s, sp.Symbol) and s.name in indices})
            if not at.is_Integer:
                return False
            on += int(at)
        if on > 1:
            return False
    return True


def _free_letters(node: ast.Node) -> frozenset[str]:
    """Letters of a member other than the indices its own sums bind (d-markers excluded)."""
    nodes = list(ast.walk(node))
    bound = set()
    for n in nodes:
        if isinstance(n, ast.BigOp) and n.sub is not None:
            head = n.sub.items[0] if isinstance(n.sub, ast.Stack) else n.sub
            head = head.lhs if isinstance(head, ast.Rel) else head
            if isinstance(head, ast.Letter):
                bound.add(head.name)
    return frozenset(n.name for n in nodes if isinstance(n, ast.Letter)
                     and n.name not in bound and n.name != "d")


def _inferred_quantities(own: Notes, implied: tuple[Directive, ...],
                         decl: Declarations) -> dict[sp.Basic, str]:
    """The tensors and scalars of ``decl`` that no line of the notes (``own``) declares by
    hand, by their SymPy base; the ``implied`` sizes and indices are kept, as hand
    declarations use them."""
    plain = tuple(d for d in implied if d.keyword not in ("tensor", "scalar"))
    try:
        hand = parse_declarations(replace(own, directives=own.directives + plain))
    except DeriveError:
        return {}
    return ({t.base.label: name for name, t in decl.tensors.items() if name not in hand.tensors}
            | {sym: name for name, sym in decl.scalars.items() if name not in hand.scalars})


def with_inferred(notes: Notes) -> Notes:
    """The notes with the declarations they imply added (explicit ones always win)."""
    from dataclasses import replace as _replace

    from derive.latex.infer import infer_directives

    return _replace(notes, directives=notes.directives + tuple(infer_directives(notes)))


def verify_notes(notes: Notes, prove: Callable[..., Any] | None = None) -> list[dict[str, Any]]:
    """Verdicts (JSON-ready dicts) for every step of already extracted notes."""
    return _Checker(notes, prove).run()


def check_notes(notes: Notes, prove: Callable[..., Any] | None = None
                ) -> list[dict[str, Any]]:
    """Verdicts for every step of notes read by a source reader: each record quotes its
    step as the notes write it (``formula``) and has the file's own positions (a
    notebook's ``cell``)."""
    from derive.latex.terminal import quote_steps

    try:
        return relocate(notes, quote_steps(notes.math or notes.text,
                                           verify_notes(notes, prove)))
    except DeriveError as exc:
        raise relocate_error(notes, exc) from None


def verify_file(path: str, prove: Callable[..., Any] | None = None) -> list[dict[str, Any]]:
    """Verdicts for every step of the notes file at ``path`` (read by the reader its suffix
    names, :mod:`derive.latex.sources`); raises DeriveError on bad input."""
    return check_notes(read_source(path), prove)
