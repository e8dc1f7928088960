"""Check every step of every chain of a notes file through the proof engine.

>>> import os, tempfile
>>> src = "% derive: size K\\n% derive: index k in 1..K\\n% derive: tensor y_k\\n$$y_k = y_k$$\\n"
>>> path = os.path.join(tempfile.mkdtemp(), "n.md")
>>> _ = open(path, "w").write(src)
>>> [r["verdict"] for r in verify_file(path, prove=lambda *a, **k: None)]  # doctest: +SKIP
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from derive.errors import DeriveError
from derive.latex import ast
from derive.latex.chains import Directive, Notes, Segment, read_notes
from derive.latex.declarations import Declarations, parse_declarations
from derive.latex.elaborate import Elaborator, Env
from derive.latex.errors import located
from derive.latex.parser import parse_block, parse_expr_text
from derive.latex.scope import scope_hint, to_rest
from derive.latex.values import (
    MathIssue,
    Value,
    entries_equal_shape,
    lift_indexed,
    materialize,
    reset_fresh_indices,
)

__all__ = ["Member", "StepChain", "collect_chains", "verify_file", "verify_notes"]


@dataclass
class Member:
    node: ast.Node
    segment: Segment


@dataclass
class StepChain:
    members: list[Member] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    # a block that could not be read: its one step is unknown with this located message,
    # and the rest of the file is still checked
    error: str = ""
    base: Member | None = None  # the member that conditioned continuations start from


def collect_chains(notes: Notes, decl: Declarations) -> list[StepChain]:
    """All chains of the notes, with ``=``-continued blocks joined to the previous chain."""
    pending = sorted(decl.block_directives, key=lambda d: d.line)
    chains: list[StepChain] = []
    by_block: dict[int, list[Directive]] = {}
    for seg in notes.segments:
        if seg.block not in by_block:  # a directive governs every chain of the next block
            by_block[seg.block] = []
            while pending and pending[0].line < seg.line:
                by_block[seg.block].append(pending.pop(0))
        attach = by_block[seg.block]
        if any(d.keyword == "skip" for d in attach):
            chains.append(StepChain(members=[Member(ast.Num(text="0"), seg)],
                                    directives=attach))
            continue
        try:
            if seg.error:
                raise DeriveError(seg.error)
            parsed = parse_block(seg.text, seg.line, seg.col, decl.text_names, notes.source,
                                 seg.positions)
        except DeriveError as exc:
            chains.append(StepChain(members=[Member(ast.Num(text="0"), seg)],
                                    directives=attach, error=str(exc)))
            continue
        # a condition written after the line acts as a 'where' for that line only
        own = [Directive(line=seg.line, col=seg.col, keyword="where", rest=c,
                         rest_col=seg.col) for c in seg.conds]
        for n, chain in enumerate(parsed):
            members = [Member(m, seg) for m in chain.members]
            if n == 0 and seg.continues:
                if not chains:
                    raise located(notes.source, seg.line, seg.col, "a block starts with '=' "
                                  "but no chain comes before it: expected a left-hand side")
                if any(d.keyword == "where" for d in attach + own):
                    # "If i = j: = ...", "If i \neq j: = ...": each case continues from the
                    # last member written before the cases, under its own condition only
                    base = chains[-1].base or chains[-1].members[-1]
                    chains.append(StepChain(
                        members=[base, *members],
                        directives=[d for d in chains[-1].directives if d.keyword != "where"]
                        + attach + own, base=base))
                    continue
                chains[-1].members.extend(members)
                chains[-1].directives.extend(attach + own)
            else:
                chains.append(StepChain(members=members, directives=list(attach) + own))
    return chains


def _assumptions(decl: Declarations, elab: Elaborator) -> list[Any]:
    from derive.claims import sums_to_one

    out = []
    for lhs, rhs, line, col in decl.assumptions:
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
    return out


def _scope(decl: Declarations, extra: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]]) -> Any:
    from derive.model import Scope

    ranges = {sym: (lo, hi) for sym, lo, hi in decl.indices.values()} | extra
    labels = {t.base: t.label_range for t in decl.tensors.values() if t.label_range}
    return Scope(index_ranges=ranges, label_bases=labels)


def _with_condition(val: Value, weight: sp.Expr, subst: dict[sp.Symbol, sp.Expr]) -> Value:
    if val.concrete is not None:
        return Value(concrete=val.concrete.xreplace(subst) * weight)
    return Value(val.expr.xreplace(subst) * weight, val.rows, val.cols)


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


class _Checker:
    def __init__(self, notes: Notes, prove: Callable[..., Any] | None) -> None:
        reset_fresh_indices()
        notes = with_inferred(notes)
        self.notes = notes
        self.decl = parse_declarations(notes)
        self.elab = Elaborator(self.decl)
        self.assumptions = _assumptions(self.decl, self.elab)
        self.prove = prove
        self.subst: dict[sp.Symbol, sp.Expr] = {}

    def member_value(self, m: Member, env: Env) -> Value:
        return self.elab.value(m.node, env)

    def env_for(self, chain: StepChain) -> tuple[Env, sp.Expr, list[str]]:
        weight: sp.Expr = sp.Integer(1)
        subst = self.subst = {}
        prime = None
        values: dict[ast.Node, Value] = {}
        notes = []
        for d in chain.directives:
            if d.keyword == "where":
                # parsed as the bracket of an indicator so that both = and \neq are allowed;
                # several conditions are separated by commas
                cond = parse_expr_text(f"({d.rest})", d.line, d.rest_col - 1,
                                       self.decl.text_names, self.notes.source)
                rels = cond.items if isinstance(cond, ast.Group) else (cond,)
                for rel in rels:
                    weight *= self._condition(rel, subst, values)
                notes.append(f"where {d.rest.strip()}")
            elif d.keyword == "prime":
                prime = parse_expr_text(d.rest, d.line, d.rest_col, self.decl.text_names,
                                        self.notes.source)
        return Env(values=values, prime=prime), weight, notes

    def _condition(self, rel: ast.Node, subst: dict[sp.Symbol, sp.Expr],
                   values: dict[ast.Node, Value]) -> sp.Expr:
        """Record one ``where`` condition; returns the weight it puts on the block."""
        if isinstance(rel, ast.Rel) and rel.op == "=" and isinstance(rel.lhs, ast.Letter) and (
            rel.rhs is not None
        ):
            if rel.lhs.name in self.decl.indices:
                # "A = B when k = y_i" is A[k:=y_i] = B[k:=y_i]: substitute, the
                # engine does not move a free Kronecker delta into its arguments
                sym = self.decl.indices[rel.lhs.name][0]
                subst[sym] = self.elab.index(rel.rhs, Env())
            else:
                # "where x = [2, 2, 2]": in this block the symbol x has that value
                values[rel.lhs] = self.elab.value(rel.rhs, Env())
            return sp.Integer(1)
        return self.elab.indicator(rel, Env())

    def run(self) -> list[dict[str, Any]]:
        chains = collect_chains(self.notes, self.decl)
        results: list[dict[str, Any]] = []
        for number, chain in enumerate(chains, start=1):
            skip = [d for d in chain.directives if d.keyword == "skip"]
            if chain.error:
                results.append(self._record(number, 1, chain.members[0], chain.members[0],
                                            "unknown", f"not read: {chain.error}",
                                            unread=True))
                continue
            if skip:
                results.append(self._record(number, 1, chain.members[0], chain.members[0],
                                            "unknown", f"not checked: {skip[0].rest.strip()}"))
                continue
            self.elab.entry_vars = {}
            env, weight, cond_notes = self.env_for(chain)
            vals: list[Value | MathIssue] = []
            free = [_free_letters(m.node) for m in chain.members]
            if any(d.keyword == "scope" for d in chain.directives):  # declared: see .scope
                chain.members = [Member(to_rest(m.node), m.segment) for m in chain.members]
            for pos, m in enumerate(chain.members):
                # a \sum without an index never runs over a letter free in another member
                self.elab.free_hint = frozenset().union(
                    *(f for n, f in enumerate(free) if n != pos))
                try:
                    vals.append(self.member_value(m, env))
                except MathIssue as exc:
                    vals.append(MathIssue(f"{exc}{scope_hint(m.node)}"))
                except DeriveError as exc:  # e.g. an undeclared symbol: this member only
                    vals.append(MathIssue(f"not read: {exc}"))
            for step in range(1, len(chain.members)):
                results.append(self.step(number, step, chain, vals, weight, cond_notes))
        return results

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
             weight: sp.Expr, cond_notes: list[str]) -> dict[str, Any]:
        left, right = chain.members[step - 1], chain.members[step]
        a, b = vals[step - 1], vals[step]
        started = time.perf_counter()
        for v in (a, b):
            if isinstance(v, MathIssue):
                return self._record(number, step, left, right, "unknown", str(v))
        assert isinstance(a, Value) and isinstance(b, Value)
        if weight != 1 or self.subst:
            a, b = _with_condition(a, weight, self.subst), _with_condition(b, weight, self.subst)
        try:
            if a.concrete is not None or b.concrete is not None:
                return self._concrete(number, step, left, right, a, b, started)
            scalar_side = left if a.is_scalar else right
            a, b = entries_equal_shape(*lift_indexed(
                a, b, _scope(self.decl, {}).index_ranges, self._written(scalar_side.node)))
        except MathIssue as exc:
            return self._record(number, step, left, right, "unknown", str(exc))
        extra: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] = {}
        for ax in (a.rows, a.cols):
            if ax is not None:
                extra[ax.sym] = (sp.Integer(1), ax.size)
        return self._engine(number, step, left, right, a.expr, b.expr, extra, cond_notes,
                            started)

    def _written(self, node: ast.Node) -> tuple[sp.Symbol, ...]:
        """Index symbols of the letters of ``node`` in the order they are written."""
        from derive.latex.elaborate import _walk_nodes

        letters = sorted((n for n in _walk_nodes(node) if isinstance(n, ast.Letter)),
                         key=lambda n: (n.line, n.col))
        return tuple(self.decl.indices[n.name][0] for n in letters
                     if n.name in self.decl.indices)

    def _concrete(self, number: int, step: int, left: Member, right: Member, a: Value,
                  b: Value, started: float) -> dict[str, Any]:
        ma, mb = materialize(a), materialize(b)
        if ma.free_symbols or mb.free_symbols:
            raise MathIssue("a literal matrix compared with a symbolic one")
        secs = round(time.perf_counter() - started, 4)
        if ma.shape != mb.shape:
            return self._record(number, step, left, right, "refuted",
                                f"shapes differ: {ma.rows}×{ma.cols} vs {mb.rows}×{mb.cols} "
                                "(exact arithmetic)",
                                seconds=secs, counterexample={
                                    "lhs": _jsonable(ma.tolist()), "rhs": _jsonable(mb.tolist())})
        for r in range(ma.rows):
            for c in range(ma.cols):
                if sp.nsimplify(ma[r, c] - mb[r, c]) != 0:
                    return self._record(
                        number, step, left, right, "refuted",
                        f"entry ({r + 1}, {c + 1}): {ma[r, c]} vs {mb[r, c]} (exact arithmetic)",
                        seconds=secs, counterexample={
                            "entry": [r + 1, c + 1], "lhs": _jsonable(ma.tolist()),
                            "rhs": _jsonable(mb.tolist())})
        return self._record(number, step, left, right, "proved", "exact arithmetic",
                            seconds=secs)

    def _engine(self, number: int, step: int, left: Member, right: Member, lhs: sp.Expr,
                rhs: sp.Expr, extra: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]],
                cond_notes: list[str], started: float) -> dict[str, Any]:
        prove = self.prove
        if prove is None:
            from derive.prover import prove_equal as prove
        name = f"{self.notes.source}:{right.node.line}: chain {number} step {step}"
        try:
            verdict = prove(lhs, rhs, scope=_scope(self.decl, extra),
                            assumptions=tuple(self.assumptions), name=name)
        except NotImplementedError:
            return self._record(number, step, left, right, "unknown",
                                "the proof engine is not available yet")
        except Exception as exc:  # the engine failing is a verdict, not a crash
            return self._record(number, step, left, right, "unknown",
                                f"engine error: {type(exc).__name__}: {exc}")
        secs = round(time.perf_counter() - started, 4)
        extra_fields: dict[str, Any] = {"seconds": secs}
        note = "; ".join([*cond_notes, verdict.note] if verdict.note else cond_notes)
        if verdict.status == "unknown":
            extra_fields["residual"] = str(verdict.residual)
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


def _free_letters(node: ast.Node) -> frozenset[str]:
    """Letters of a member other than the indices its own sums bind (d-markers excluded)."""
    from derive.latex.elaborate import _walk_nodes

    nodes = list(_walk_nodes(node))
    bound = set()
    for n in nodes:
        if isinstance(n, ast.BigOp) and n.sub is not None:
            head = n.sub.items[0] if isinstance(n.sub, ast.Stack) else n.sub
            head = head.lhs if isinstance(head, ast.Rel) else head
            if isinstance(head, ast.Letter):
                bound.add(head.name)
    return frozenset(n.name for n in nodes if isinstance(n, ast.Letter)
                     and n.name not in bound and n.name != "d")


def with_inferred(notes: Notes) -> Notes:
    """The notes with the declarations they imply added (explicit ones always win)."""
    from dataclasses import replace as _replace

    from derive.latex.infer import infer_directives

    return _replace(notes, directives=notes.directives + tuple(infer_directives(notes)))


def verify_notes(notes: Notes, prove: Callable[..., Any] | None = None) -> list[dict[str, Any]]:
    """Verdicts (JSON-ready dicts) for every step of already extracted notes."""
    return _Checker(notes, prove).run()


def verify_file(path: str, prove: Callable[..., Any] | None = None) -> list[dict[str, Any]]:
    """Verdicts for every step of the notes file at ``path``; raises DeriveError on bad input."""
    return verify_notes(read_notes(path), prove)
