"""Check every step of every chain of a notes file through the proof engine.

This module reads a file once (blocks, inference, declarations: :class:`_Checker`'s
set-up) and runs the step loop (:meth:`_Checker.run`), which makes one
:class:`~derive.latex.step_result.StepResult` per step; the rest of the checker is in
modules of one job each: the claims, chains of members (:mod:`derive.latex.step_chains`),
a block's ``where`` conditions (:mod:`derive.latex.conditions`), the gates around a
verdict, definition, undefined symbol, referee, side conditions
(:mod:`derive.latex.verify_gates`), the readings of an ambiguous step
(:mod:`derive.latex.verify_readings`), one step's verdict (:mod:`derive.latex.verify_verdicts`)
and what they share (:mod:`derive.latex.verify_common`). The map of the whole pipeline is
the docstring of :mod:`derive.latex`.

>>> import os, tempfile
>>> src = "% derive: size K\\n% derive: index k in 1..K\\n% derive: tensor y_k\\n$$y_k = y_k$$\\n"
>>> path = os.path.join(tempfile.mkdtemp(), "n.md")
>>> _ = open(path, "w").write(src)
>>> [r["verdict"] for r in verify_file(path, prove=lambda *a, **k: None)]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import sympy as sp

from derive.engine.scope import as_expr
from derive.errors import DeriveError
from derive.latex import ast, guards
from derive.latex.ambiguity import (
    Chooser,
    Point,
    call_context,
)
from derive.latex.blocks import (
    Block,
    definition_trees,
    parse_blocks,
    reparse,
    text_names,
)
from derive.latex.chains import Directive, Notes
from derive.latex.conditions import Condition
from derive.latex.declarations import parse_declarations
from derive.latex.definitions import SectionTracker, is_defining_link
from derive.latex.dependence import Use, dependence, stated
from derive.latex.differentials import varying_inputs
from derive.latex.elaborate import Elaborator, Env
from derive.latex.errors import located
from derive.latex.label_targets import cross_entropy_targets
from derive.latex.labels import label_context
from derive.latex.layouts import LayoutUndecided, stated_layout
from derive.latex.numeral_names import directive as numeral_directive
from derive.latex.parser import parse_expr_text
from derive.latex.prime_variables import PrimeContext, PrimeReading
from derive.latex.prose import inline_math
from derive.latex.referee import for_notes
from derive.latex.scope import to_rest
from derive.latex.sources import read_source_text, relocate, relocate_error
from derive.latex.step_chains import Member, StepChain, collect_chains
from derive.latex.step_result import StepResult
from derive.latex.undefined_derivatives import written_arguments
from derive.latex.values import (
    MathIssue,
    Value,
    reset_fresh_indices,
)
from derive.latex.verify_common import _assumptions, _free_letters, _inferred_quantities
from derive.latex.verify_common import exact_zero as exact_zero
from derive.latex.verify_gates import GateRules
from derive.latex.verify_readings import ReadingRules
from derive.latex.verify_verdicts import VerdictRules

__all__ = ["Checked", "Member", "StepChain", "check_file", "check_notes", "collect_chains",
           "verify_file", "verify_notes"]

# The independent referee: a file's directives (and the quantities it differentiates but
# never defines) to a judge(record, left, right, left_dirs, right_dirs, members, pos) that
# returns the record the referee lets stand.
REFEREE: Callable[..., Callable[..., dict[str, Any]]] = for_notes


class _Checker(GateRules, ReadingRules, VerdictRules):
    def __init__(self, notes: Notes, prove: Callable[..., Any] | None,
                 blocks: tuple[Block, ...] | None = None,
                 span: tuple[int, int] | None = None, chains_before: int = 0) -> None:
        """``blocks``: the notes' blocks already parsed; ``span``: the lines ``[first,
        end)`` of the one reading this checker makes (derive.latex.section_readings);
        ``chains_before``: the chains of the file's earlier readings (a step's name to the
        prover numbers its chain through the file, as its result does)."""
        from derive.latex.infer import inference

        self.chains_before = chains_before

        reset_fresh_indices()
        #: the symbols each section defines (a step that only introduces one: 'definition')
        self.sections = SectionTracker(notes, notes.directives)
        own = notes
        # parse once: every block to its trees here, read by inference and the checker
        self.blocks = blocks if blocks is not None else parse_blocks(
            notes, text_names(notes.directives))
        self.span = span
        if span is not None:
            self.blocks = tuple(b for b in self.blocks if span[0] <= b.segment.line < span[1])
        found = inference(notes, self.blocks, span)
        implied = tuple(found.directives)
        notes = replace(notes, directives=notes.directives + implied)
        #: names the notes differentiate by others but never define (derive.latex.infer)
        self.undefined = found.undefined
        #: letters with a meaning of their own the notes define (e = y - t): two readings
        self.fixed = found.fixed
        #: plain names the prose sets to a number ("Let $a = 3$"): never refuted at another
        self.settings = found.settings
        #: names defined with a link derive does not read: never refuted either
        self.unread_links = found.unread_links
        #: what was inferred, as lines a user can copy (every record of the file carries them)
        self.inferred_lines = found.lines()
        #: how many declarations inference added (``--explain`` says so before the lines)
        self.inferred_count = len(implied)
        #: (line, col) of a chain's first member -> the name that chain defines
        self.defines = {at: name for name, at in found.definitions.items()}
        #: name -> (line, col) of the definition inference read for it (prose or display)
        self.definitions = dict(found.definitions)
        self.notes = notes
        # the blocks that write a \text{} name only an inferred line introduces are read
        # again with it; a definition inferred from a display reuses that display's trees
        names = text_names(notes.directives)
        self.blocks = reparse(self.blocks, notes, names)
        trees = definition_trees(self.blocks, implied, names)
        self.decl = parse_declarations(notes, trees)
        #: quantities no line declares by hand, by their SymPy base: read from use, so
        #: independent unless the notes show otherwise (derive.latex.dependence)
        self.inferred = _inferred_quantities(own, implied, self.decl, trees)
        self.uses: dict[str, Use] = {}
        self.elab = Elaborator(self.decl)
        # never silently independent: what the notes differentiate but never define is read
        # through opaque atoms for its derivatives (derive.latex.undefined_derivatives)
        self.elab.dependent = {base: name for base, name in self.inferred.items()
                               if name in self.undefined}
        # ... and one written with its arguments (L(\mathbf{p})) depends only on them
        quantity: dict[str, Any] = {  # a vector with its slot's range, or a scalar
            n: (t.base, *self.decl.indices[t.slots[0]][1:]) for n, t in self.decl.tensors.items()
            if len(t.slots) == 1 and t.slots[0] in self.decl.indices} | dict(self.decl.scalars)
        written = written_arguments(
            (m for b in self.blocks for c in b.chains for m in c.members),
            [n for base, n in self.elab.dependent.items() if isinstance(base, sp.Symbol)
             and n in self.decl.scalars], quantity.__contains__)
        self.elab.arguments = {self.decl.scalars[n]: tuple(quantity[a] for a in args)
                               for n, args in written.items()}
        self.assumptions = _assumptions(self.decl, self.elab)
        self.prove = prove
        self.referee = REFEREE(notes.directives, {
            n: written.get(n) for n in self.elab.dependent.values()}, notes.text)
        #: what decides a bare superscript, power or label (derive.latex.labels)
        self.sup_context = label_context(
            own.directives, (m for b in self.blocks for c in b.chains for m in c.members),
            self.decl)
        #: what decides f(x), a call or a product (derive.latex.ambiguity.call_context)
        self.call_context = call_context(self.decl.defs, [  # L(\mathbf{p}): not L times p
            *(n for n in self.decl.scalars if n not in written), *self.decl.sizes,
            *self.decl.indices, *self.decl.tensors],
            (m for b in self.blocks for c in b.chains for m in c.members))
        #: equality key -> ("chain.step" that decided it, its verdict)
        self.decided: dict[tuple, tuple[str, Any]] = {}
        #: id of a member's value -> (the value, the partial operations its reading wrote:
        #: derive.latex.guards)
        self.guarded: dict[int, tuple[Value, list[sp.Expr]]] = {}
        #: what decides the variable of a prime no line declares (prime_variables)
        self.primes = PrimeContext(
            notes.text, (m for b in self.blocks for c in b.chains for m in c.members),
            self.elab.derivative_parts, self.decl.text_names, self.decl.defs.__contains__)
        #: the current chain's reading of its undeclared primes
        self.prime_reading: PrimeReading | None = None
        #: (line, col) of the fractions met as a Jacobian of a column by a column, and the
        #: layout the notes state in words (derive.latex.layouts)
        self.jacobians: set[tuple[int, int]] = set()
        self.stated_layout = stated_layout(notes.text)

    def member_value(self, m: Member, env: Env) -> Value:
        with guards.collecting() as found:
            value = self.elab.value(m.node, env)
        self.guarded[id(value)] = (value, found)
        return value

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

    def _inline_formulas(self) -> list[tuple[int, int, str]]:
        """(line, col, body) of every inline formula of this part of the notes."""
        text = self.notes.text
        out = []
        for offset, body in inline_math(text, self.notes.math):
            line = text.count("\n", 0, offset) + 1
            if self.span is None or self.span[0] <= line < self.span[1]:
                out.append((line, offset - text.rfind("\n", 0, offset), body))
        return out

    def _parse_quiet(self, text: str, line: int, col: int) -> ast.Node | None:
        """``text`` parsed as one expression, or None when it is not one."""
        try:
            return parse_expr_text(text, line, col, self.decl.text_names)
        except DeriveError:
            return None

    def run(self) -> list[StepResult]:
        chains = collect_chains(self.notes, self.decl, self.blocks)
        self.uses = dependence(([m.node for m in c.members] for c in chains if not c.error),
                               self.elab.derivative_parts)
        #: cross-entropy targets (derive.latex.label_targets): name -> (slot, slots)
        self.targets = cross_entropy_targets(
            [*(m.node for c in chains if not c.error for m in c.members),
             *(d.body for defs in self.decl.defs.values() for d in defs)], self._is_input)
        # ... and the inline formulas that are no step ("define $\Sigma_C = ...$ for c")
        for name, use in stated(self._inline_formulas(), self._parse_quiet).items():
            self.uses.setdefault(name, use)
        results: list[StepResult] = []
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
            # dz, dW: the one input whose differential the chain writes varies
            self.elab.varying = varying_inputs(
                (m.node for m in chain.members), self.decl)
            self.elab.directions, self.elab.direction_ranges = {}, {}
            if any(d.keyword == "scope" for d in chain.directives):  # declared: see .scope
                chain.members = [Member(to_rest(m.node), m.segment, m.directives, m.link)
                                 for m in chain.members]
            free = [_free_letters(m.node) for m in chain.members]
            # the ambiguity policy: each member's notation made explicit where the context
            # decides; the points it does not decide are checked reading by reading
            written = [m.node for m in chain.members]
            self.prime_reading = None if any(
                d.keyword == "prime" for m in chain.members for d in m.directives
            ) else self.primes.reading(written, written[0].line)
            points: list[dict[tuple[str, int, int], Point]] = []
            for pos, m in enumerate(chain.members):
                chooser = Chooser()
                chain.members[pos] = replace(m, node=self._explicit(
                    m.node, self._context(free, pos), chooser))
                points.append(dict(chooser.met))
            free = [_free_letters(m.node) for m in chain.members]
            conds: dict[tuple, tuple[Env, Condition]] = {}
            memo: dict[tuple, Value | MathIssue] = {}
            logs: dict[tuple, dict] = {}  # the ambiguous cases each member reads
            defined = self._definition_step(number, chain)
            if defined is not None:
                results.append(defined)
            function = self._function_step(number, chain, written)  # A = g(B) = expr
            naming = self._naming_step(number, chain, written)  # A = B = name
            for step in range(1 + (defined is not None), len(chain.members)):
                if step == 2 and function is not None:
                    results.append(function)
                    continue
                if naming is not None and step == len(chain.members) - 1:
                    results.append(naming)
                    continue
                if is_defining_link(chain.members[step].link):
                    # "lse(x) := \log(...)": written as a definition of a pattern derive does
                    # not read as a name; a definition is never a claim to prove or refute
                    results.append(self._record(
                        number, step, chain.members[step - 1], chain.members[step], "unknown",
                        f"written as a definition ({chain.members[step].link}) of a pattern "
                        "derive does not read as a name: not a claim"))
                    continue
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
                jacobians = {(v.line, v.col) for v in vals[step - 1:step + 1]
                             if isinstance(v, LayoutUndecided)} - self.jacobians
                if jacobians:  # a Jacobian met: its layout is a point (derive.latex.layouts)
                    self.jacobians |= jacobians
                    free0 = [_free_letters(n) for n in written]
                    for pos in (step - 1, step):
                        chooser = Chooser()
                        chain.members[pos] = replace(chain.members[pos], node=self._explicit(
                            written[pos], self._context(free0, pos), chooser))
                        points[pos] = dict(chooser.met)
                        for k in [k for k in memo if k[0] == pos]:
                            del memo[k]
                        self.elab.case_log = {}
                        memo[pos, key] = self._evaluate(chain, pos, key, env, free)
                        logs[pos, key] = dict(self.elab.case_log)
                        vals[pos] = memo[pos, key]
                ambiguous = {**logs[step - 1, key], **logs[step, key]}
                met = {**points[step - 1], **points[step]}
                if met:
                    rec = self._undefined_gate(self._readings(
                        number, step, chain, written, key, env, cond, met), chain, step)
                    rec = self._fixed_gate(rec, chain, step)
                    rec = self._data(rec, chain, step)
                    rec = self._implication(self._side_conditions(rec), chain)
                    results.append(self._defines(rec, chain, step))
                    continue
                if ambiguous:
                    rec = self._ambiguous(number, step, chain, key, env, cond, free, ambiguous)
                else:
                    rec = self._guarded_step(number, step, chain, vals, cond)
                rec = self._undefined_gate(self._referee(rec, chain, step), chain, step)
                rec = self._fixed_gate(rec, chain, step)
                rec = self._data(rec, chain, step)
                rec = self._implication(self._side_conditions(rec), chain)
                results.append(self._defines(rec, chain, step))
        return [rec.evolve(inferred=list(self.inferred_lines)) for rec in results]


def with_inferred(notes: Notes) -> Notes:
    """The notes with the declarations they imply added (explicit ones always win)."""
    from dataclasses import replace as _replace

    from derive.latex.infer import infer_directives

    return _replace(notes, directives=notes.directives + tuple(infer_directives(notes)))


def _run(notes: Notes, prove: Callable[..., Any] | None
         ) -> tuple[list[StepResult], tuple[str, ...], int]:
    """The result of every step of already extracted notes: one reading of the file, or
    one per span when its sections give a letter two meanings
    (:mod:`derive.latex.section_readings`), chains numbered on through the file; and what
    inference adds (lines a user can copy, how many declarations; per reading)."""
    from derive.latex.section_readings import reading_spans

    # x_1, g_2 as names of their own: decided from the maths as written, before the one parse
    named = numeral_directive(notes.math or notes.text, notes.directives)
    head = [f"% derive: {named.keyword} {named.rest}"] if named is not None else []
    if named is not None:
        notes = replace(notes, directives=(named, *notes.directives))
    blocks = parse_blocks(notes, text_names(notes.directives))
    spans = reading_spans(notes, blocks)
    if spans is None:
        checker = _Checker(notes, prove, blocks)
        return (checker.run(), (*head, *checker.inferred_lines),
                checker.inferred_count + len(head))
    out: list[StepResult] = []
    lines: list[str] = list(head)
    count = len(head)
    for lo, hi in spans:
        offset = max((r["chain"] for r in out), default=0)
        checker = _Checker(notes, prove, blocks, (lo, hi), offset)
        out += [r.evolve(chain=r["chain"] + offset) for r in checker.run()]
        # each reading's own lines, under a comment that says which lines they read
        lines.append(f"% lines {lo}-{hi - 1}, read on their own (a section gives a letter "
                     "another meaning):")
        lines += checker.inferred_lines
        count += checker.inferred_count
    return out, tuple(lines), count


def verify_notes(notes: Notes, prove: Callable[..., Any] | None = None) -> list[StepResult]:
    """The result of every step of already extracted notes: one reading of the file, or
    one per span when its sections give a letter two meanings
    (:mod:`derive.latex.section_readings`), chains numbered on through the file."""
    return _run(notes, prove)[0]


def _check(notes: Notes, prove: Callable[..., Any] | None
           ) -> tuple[list[StepResult], tuple[str, ...], int]:
    """The results of every step of notes read by a source reader (each quoting its step
    as the notes write it, at the file's own positions), the declarations inference added
    as lines, and how many declarations they are."""
    from derive.latex.terminal import quote_steps

    try:
        found, lines, count = _run(notes, prove)
        found = quote_steps(notes.math or notes.text, found)
        records = [StepResult.from_dict(r) for r in relocate(notes, found)]
    except DeriveError as exc:
        raise relocate_error(notes, exc) from None
    return records, lines, count


def check_notes(notes: Notes, prove: Callable[..., Any] | None = None
                ) -> list[StepResult]:
    """Verdicts for every step of notes read by a source reader: each record quotes its
    step as the notes write it (``formula``) and has the file's own positions (a
    notebook's ``cell``)."""
    return _check(notes, prove)[0]


@dataclass(frozen=True)
class Checked:
    """One verification run of a notes file: its characters as read (once), the result of
    every step, and what inference added (``inferred``: lines a user can copy, standing
    for ``declarations`` declarations); the renderers (terminal, JSON, ``--explain``,
    annotated copies) work from these."""

    path: str
    text: str
    records: list[StepResult]
    inferred: tuple[str, ...] = ()
    declarations: int = 0


def check_file(path: str, prove: Callable[..., Any] | None = None) -> Checked:
    """Read the notes file at ``path`` once (the reader its suffix names,
    :mod:`derive.latex.sources`) and check every step; raises DeriveError on bad input."""
    text, notes = read_source_text(path)
    return Checked(path, text, *_check(notes, prove))


def verify_file(path: str, prove: Callable[..., Any] | None = None) -> list[StepResult]:
    """Verdicts for every step of the notes file at ``path`` (read by the reader its suffix
    names, :mod:`derive.latex.sources`); raises DeriveError on bad input."""
    return check_file(path, prove).records
