"""One step's verdict assembled: the values of its two members compared concretely or by the
proof engine, a counterexample in the notes' own spelling, and the record of the step."""

from __future__ import annotations

import re
import time
from typing import Any

import sympy as sp

from derive.engine.claims import sums_to_one
from derive.engine.scope import as_expr
from derive.errors import DeriveError
from derive.latex import ast, guards
from derive.latex.as_read import as_read
from derive.latex.blocks import (
    fault,
)
from derive.latex.conditions import Condition, _apply, _never, _with_condition
from derive.latex.dependence import misreading
from derive.latex.input_relations import input_relation, relation_note
from derive.latex.step_chains import Member, StepChain
from derive.latex.step_result import StepResult
from derive.latex.undefined_derivatives import atom_names
from derive.latex.values import (
    MathIssue,
    Value,
    entries_equal_shape,
    lift_indexed,
    materialize,
)
from derive.latex.verify_common import (
    _entry_count_counterexample,
    _equality_key,
    _jsonable,
    _scope,
    _shape_at,
    exact_zero,
)
from derive.latex.written_sums import written_out

__all__ = ["VerdictRules"]


class VerdictRules:
    """Verdict of one step (a part of :class:`derive.latex.verify._Checker`)."""

    def _guarded_step(self, number: int, step: int, chain: StepChain,
                      vals: list[Value | MathIssue], cond: Condition) -> StepResult:
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
                note: str = "", **extra: Any) -> StepResult:
        """The typed result of step ``step`` of chain ``chain``, at its right member."""
        node = right.node
        rec: dict[str, Any] = {
            "file": self.notes.source, "line": node.line or right.segment.line,
            "column": node.col or right.segment.col, "chain": chain, "step": step,
            "verdict": verdict}
        if note:
            rec["note"] = self._in_notes_spelling(note)
        rec.update(extra)
        return StepResult.from_dict(rec)

    def step(self, number: int, step: int, chain: StepChain, vals: list[Value | MathIssue],
             cond: Condition) -> StepResult:
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
        written = self._written_guards(a, b)
        try:
            if cond.notes and _never(_apply(cond.weight, cond),
                                     _scope(self.decl, {}, cond.subst)):
                return self._record(number, step, left, right, "unknown",
                                    "; ".join([*cond.notes, "condition can never hold"]))
            if cond.weight != 1 or cond.subst or cond.tensors:
                a, b = _with_condition(a, cond), _with_condition(b, cond)
            # a number either side with a partial operation SymPy cancelled ((K - 1)/(K - 1)
            # is 1) goes to the engine, whose spot check evaluates what was written
            numbers = not written and all(v.is_scalar and not v.expr.free_symbols
                                          and not v.expr.has(sp.Derivative) for v in (a, b))
            if a.concrete is not None or b.concrete is not None or numbers:
                return self._concrete(number, step, left, right, a, b, started)
            scalar_side = left if a.is_scalar else right
            scope = _scope(self.decl, {}, cond.subst)
            a, b = lift_indexed(a, b, scope.index_ranges, self._written(scalar_side.node))
            if a.is_scalar != b.is_scalar and (a.broadcast or b.broadcast):
                raise MathIssue(f"a {a.shape_text()} equated with a {b.shape_text()} that adds "
                                "a scalar to every entry of a vector, or is a \\nabla^2 that "
                                "may be the Laplacian: the notes may use a letter for a vector "
                                "and for a scalar, so no shape refutation")
            if a.is_scalar != b.is_scalar and (a if a.is_scalar else b).expr == 0:
                # X^T(y - X b) = 0: the zero vector written as the number 0, never a shape
                # mismatch to refute
                raise MathIssue(f"a {(b if a.is_scalar else a).shape_text()} equated with 0: "
                                "read as the zero vector or matrix, which derive does not "
                                "check entry by entry")
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
        # the unit direction of a differential (derive.latex.differentials) is every one
        extra: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] = dict(self.elab.direction_ranges)
        for ax in (a.rows, a.cols):
            if ax is not None:
                extra[ax.sym] = (sp.Integer(1), ax.size)
        rec = self._engine(number, step, left, right, a.expr, b.expr,
                           _scope(self.decl, extra, cond.subst), cond_notes, started, written)
        if rec.verdict == "refuted":
            rec = self._at_written_size(rec, (number, step, left, right), a.expr, b.expr,
                                        extra, cond, started)
        return rec

    def _at_written_size(self, rec: StepResult, where: tuple[int, int, Member, Member],
                         lhs: sp.Expr, rhs: sp.Expr, extra: dict, cond: Condition,
                         started: float) -> StepResult:
        """A refutation read again at the size a member writes a sum out to
        (derive.latex.written_sums): refuted there it stands with that counterexample,
        otherwise the step is ambiguous (the size general, or the one written out)."""
        number, step, left, right = where
        m = written_out([left.node, right.node])
        if m is None:
            return rec
        sizes = set(self.decl.sizes.values())
        limits = {sym for side in (lhs, rhs) for total in side.atoms(sp.Sum)
                  for _, _, hi in total.limits for sym in as_expr(hi).free_symbols
                  if sym in sizes and sym not in cond.subst}
        if not limits:
            return rec
        at = {sym: sp.Integer(m) for sym in limits}
        subst = {**cond.subst, **at}
        again = self._engine(number, step, left, right, lhs.xreplace(at), rhs.xreplace(at),
                             _scope(self.decl, extra, subst), cond.notes, started)
        shown = ", ".join(f"{self.decl.display.get(str(s), str(s))} = {m}"
                          for s in sorted(limits, key=str))
        if again.verdict == "refuted":
            cex = dict(again.counterexample or {})
            cex["sizes"] = {**dict(cex.get("sizes") or {}),
                            **{self.decl.display.get(str(s), str(s)): m for s in limits}}
            note = "; ".join(x for x in (again.note, f"at {shown}, the sum written out") if x)
            return again.evolve(counterexample=cex, note=note)
        general = rec.note or "a counterexample"
        return self._record(number, step, left, right, "unknown",
                            f"ambiguous: with the size general: refuted ({general}); at "
                            f"{shown} (the sum written out with {m} terms): {again.verdict}",
                            read=rec.read)

    def _written(self, node: ast.Node) -> tuple[sp.Symbol, ...]:
        """Index symbols of the letters of ``node`` in the order they are written."""
        letters = sorted((n for n in ast.walk(node) if isinstance(n, ast.Letter)),
                         key=lambda n: (n.line, n.col))
        return tuple(self.decl.indices[n.name][0] for n in letters
                     if n.name in self.decl.indices)

    def _concrete(self, number: int, step: int, left: Member, right: Member, a: Value,
                  b: Value, started: float) -> StepResult:
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

    def _written_guards(self, *values: Value) -> tuple[sp.Expr, ...]:
        """The partial operations the members' readings wrote (derive.latex.guards) that
        the engine's spot check can evaluate."""
        found: list[sp.Expr] = []
        for v in values:
            entry = self.guarded.get(id(v))
            if entry is not None and entry[0] is v:
                found.extend(g for g in entry[1] if g not in found)
        return guards.kept(found, [s for s, _, _ in self.decl.indices.values()])

    def _engine(self, number: int, step: int, left: Member, right: Member, lhs: sp.Expr,
                rhs: sp.Expr, scope: Any, cond_notes: list[str],
                started: float, written: tuple[sp.Expr, ...] = ()) -> StepResult:
        prove = self.prove
        if prove is None:
            from derive.engine.prover import prove_equal as prove
        name = (f"{self.notes.source}:{right.node.line}: "
                f"chain {number + self.chains_before} step {step}")
        key = (*_equality_key(lhs, rhs, scope, self.assumptions), tuple(map(sp.srepr, written)))
        earlier = self.decided.get(key)
        try:
            if earlier is not None:  # the same equality, already decided: by value
                verdict = earlier[1]
            else:
                verdict = prove(lhs, rhs, scope=scope, assumptions=tuple(self.assumptions),
                                name=name, **({"guards": written} if written else {}))
                self.decided[key] = (f"{number}.{step}", verdict)
        except NotImplementedError:
            return self._record(number, step, left, right, "unknown",
                                "the proof engine is not available yet")
        except Exception as exc:  # the engine failing is a verdict, not a crash
            return self._record(number, step, left, right, "unknown",
                                f"engine error: {type(exc).__name__}: {exc}")
        secs = round(time.perf_counter() - started, 4)
        labels = {str(label): name for label, name in self.elab.dependent.items()}
        opaque = sorted({labels.get(n, n) for n in atom_names(lhs, rhs)})
        if opaque and verdict.status != "proved":
            # the atoms stand for derivatives the notes never give: a failure for some
            # values of them is no refutation (derive.latex.undefined_derivatives)
            named = [self.undefined[n].message() for n in opaque if n in self.undefined]
            return self._record(number, step, left, right, "unknown", "; ".join([
                *cond_notes, *named, "the step does not hold for every value of the "
                "derivatives of " + ", ".join(opaque) + ", which the notes leave undefined: "
                "it may hold for the true ones"]), seconds=secs,
                read=as_read(lhs, rhs, self.decl.display))
        # a name the notes define with something derive does not read is no input: its
        # own reason (derive.latex.dependence) says more
        inputs = (input_relation(left.node, right.node, lambda n: self._is_input(n) and (
                      getattr(self.uses.get(n), "how", None) != "defined"),
                                 [*self.decl.indices, *self.decl.sizes])
                  if verdict.status == "refuted" else None)
        if inputs is not None:
            return self._record(number, step, left, right, "unknown",
                                "; ".join([*cond_notes, relation_note(inputs)]), seconds=secs,
                                read=as_read(lhs, rhs, self.decl.display))
        misread = (misreading(lhs, rhs, verdict.status, self.inferred, self.uses)
                   if verdict.status in ("proved", "refuted") else None)
        if misread is not None:
            return self._record(number, step, left, right, "unknown",
                                "; ".join([*cond_notes, misread]), seconds=secs,
                                read=as_read(lhs, rhs, self.decl.display))
        if verdict.status == "refuted":
            labelled = self._as_labels(lhs, rhs, scope, name, verdict)
            if isinstance(labelled, str):
                return self._record(number, step, left, right, "unknown",
                                    "; ".join([*cond_notes, labelled]), seconds=secs,
                                    read=as_read(lhs, rhs, self.decl.display))
            verdict = labelled
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
                self._with_directions(verdict.counterexample.as_dict()))
        return self._record(number, step, left, right, verdict.status, note, **extra_fields)

    def _as_labels(self, lhs: sp.Expr, rhs: sp.Expr, scope: Any, name: str,
                   verdict: Any) -> Any:
        """A refutation read again with every cross-entropy target a label distribution
        (derive.latex.label_targets): its refutation there (a counterexample whose targets
        sum to one), or, when the step holds or is undecided there, the reason it is
        ambiguous; the refutation itself when the step writes no target."""
        extra = []
        for target, (slot, count) in sorted(self.targets.items()):
            tensor = self.decl.tensors.get(target)
            if tensor is None or len(tensor.slots) != count or not any(
                    e.base == tensor.base for e in (*lhs.atoms(sp.Indexed),
                                                   *rhs.atoms(sp.Indexed))):
                continue
            if any(a.base == tensor.base and a.kind in ("sums_to_one", "one_hot")
                   for a in self.assumptions):
                continue
            extra.append((target, sums_to_one(tensor.base, axis=slot - count)))
        if not extra:
            return verdict
        prove = self.prove
        if prove is None:
            from derive.engine.prover import prove_equal as prove
        again = prove(lhs, rhs, scope=scope, assumptions=(*self.assumptions,
                                                          *(a for _, a in extra)),
                      name=name)
        if again.status == "refuted":
            return again
        names = ", ".join(t for t, _ in extra)
        return (f"ambiguous: {names} read as any vector: refuted; {names} read as a label "
                f"distribution (summing to one, as the target of the cross-entropy the notes "
                f"write): {again.status}")

    def _is_input(self, name: str) -> bool:
        """Is ``name`` a quantity nothing defines (a tensor, label or scalar of the notes
        with no definition, not differentiated by others)?"""
        return (name in self.decl.tensors or name in self.decl.scalars) and (
            name not in self.decl.defs and name not in self.undefined)

    def _in_notes_spelling(self, note: str) -> str:
        """Sizes renamed internally (``k2`` for the size ``k`` beside the index ``k``) are
        shown as the notes spell them."""
        for spelling, sym in self.decl.sizes.items():
            if sym.name != spelling:
                # a function, not a template: a spelling such as \ell is not an escape
                note = re.sub(rf"(?<![\w']){re.escape(sym.name)}(?![\w'])",
                              lambda _m, s=spelling: s, note)
        return note

    def _with_directions(self, cex: dict[str, Any]) -> dict[str, Any]:
        """A differential's unit direction (derive.latex.differentials) shown as the value
        of ``dX``: the unit vector or matrix at the direction's indices, which leave the
        counterexample's indices (so the referee reads the same direction)."""
        indices = dict(cex.get("indices") or {})
        sizes = {sym: sp.Integer(cex["sizes"][str(sym)]) for sym in self.decl.sizes.values()
                 if str(sym) in (cex.get("sizes") or {})}
        values = dict(cex.get("values") or {})
        for name, entry in self.elab.directions.items():
            if name in self.decl.scalars:
                values["d" + self.decl.display.get(name, name)] = 1
                continue
            qs = [str(q) for q in entry.indices]
            if not all(q in indices for q in qs):
                continue
            spans = [tuple(as_expr(b).xreplace(sizes) for b in self.elab.direction_ranges[q])
                     for q in entry.indices]
            if not all(lo.is_Integer and hi.is_Integer for lo, hi in spans):
                continue
            at = [int(indices.pop(q)) for q in qs]

            def unit(axis: int, fixed: tuple[int, ...], at: list[int] = at,
                     spans: list = spans) -> Any:
                lo, hi = int(spans[axis][0]), int(spans[axis][1])
                if axis == len(spans) - 1:
                    return [int((*fixed, k) == tuple(at)) for k in range(lo, hi + 1)]
                return [unit(axis + 1, (*fixed, k)) for k in range(lo, hi + 1)]

            values["d" + self.decl.display.get(name, name)] = unit(0, ())
        return {**cex, "indices": indices, "values": values}

    def _in_notes_symbols(self, cex: dict[str, Any]) -> dict[str, Any]:
        display = self.decl.display
        out = dict(cex)
        out["values"] = {display.get(k, k): v for k, v in cex.get("values", {}).items()}
        out["sizes"] = {display.get(k, k): v for k, v in cex.get("sizes", {}).items()}
        out["indices"] = {k.split("'")[0] + ("'" if "'" in k else ""): v
                          for k, v in cex.get("indices", {}).items()}
        return _jsonable(out)
