"""A step under each plausible reading (derive.latex.ambiguity): the readings' values, and
the verdict when they agree, or ``unknown (ambiguous)`` with the readings listed."""

from __future__ import annotations

import itertools
from dataclasses import replace

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
from derive.latex.blocks import (
    fault,
)
from derive.latex.conditions import Condition
from derive.latex.elaborate import Env
from derive.latex.labels import declare_labels
from derive.latex.layouts import LayoutUndecided
from derive.latex.scope import scope_hint
from derive.latex.step_chains import StepChain
from derive.latex.step_result import StepResult
from derive.latex.values import (
    MathIssue,
    Value,
)
from derive.latex.verify_common import _free_letters, _one_row_applies

__all__ = ["ReadingRules"]


class ReadingRules:
    """Readings of an ambiguous step (a part of :class:`derive.latex.verify._Checker`)."""

    def _evaluate(self, chain: StepChain, pos: int, key: tuple, env: Env,
                  free: list[frozenset[str]]) -> Value | MathIssue:
        """Member ``pos`` of ``chain`` under the conditions ``key`` of the step it is in."""
        m = chain.members[pos]
        own = self.env_for(m.directives)[0].prime if m.directives != key else env.prime
        env = replace(env, prime=own)
        found = self.prime_reading
        if own is None and found is not None:  # undeclared: read from the context
            env = replace(env, prime=found.variable, prime_inferred=True, prime_note=found.note)
        # a \sum without an index never runs over a letter free in another member
        self.elab.free_hint = frozenset().union(*(f for n, f in enumerate(free) if n != pos))
        try:
            return self.member_value(m, env)
        except LayoutUndecided as exc:  # the checker reads the step under both layouts
            return exc
        except MathIssue as exc:
            return MathIssue(f"{exc}{scope_hint(m.node)}")
        except DeriveError as exc:  # e.g. an undeclared symbol: this member
            return MathIssue(f"not read: {exc}")
        except Exception as exc:  # fault barrier: this member only
            return MathIssue(fault(exc))

    def _context(self, free: list[frozenset[str]], pos: int) -> Context:
        """What decides between readings of member ``pos``: the other members' free letters
        and the notes' index letters."""
        return Context(other_free=frozenset().union(*(f for n, f in enumerate(free)
                                                       if n != pos)),
                       indices=frozenset(self.decl.indices), **self.sup_context,
                       **self.call_context, jacobians=frozenset(self.jacobians),
                       layout=self.stated_layout)

    def _explicit(self, node: ast.Node, ctx: Context, chooser: Chooser) -> ast.Node:
        """``node`` made explicit (derive.latex.ambiguity); a label it now names
        (``a^{L}``) is declared like its letter (derive.latex.labels)."""
        out = explicit(node, ctx, chooser)
        declare_labels(out, self.decl, getattr(self.referee, "decls", None))
        return out

    def _readings(self, number: int, step: int, chain: StepChain, written: list[ast.Node],
                  key: tuple, env: Env, cond: Condition,
                  met: dict[tuple[str, int, int], Point]) -> StepResult:
        """The ambiguity policy (derive.latex.ambiguity): a step whose members meet points
        the context does not decide is checked once per reading (each member's tree made
        explicit that way, read by the engine and the referee alike); proved or refuted
        only when every reading agrees, else unknown (ambiguous). The record lists the
        readings, each with its verdict, the formula as read and, refuted, its counterexample."""
        left, right = chain.members[step - 1], chain.members[step]
        combos = choices(met)
        where = ", ".join(f"{p.kind} at line {p.line}:{p.col}" for p in met.values())
        if combos is None:
            return self._record(number, step, left, right, "unknown",
                                f"ambiguous ({where}): more than {MAX_READINGS} readings")
        free0 = [_free_letters(n) for n in written]
        done: list[tuple[str, StepResult]] = []
        for choice in combos:
            members = list(chain.members)
            for pos in (step - 1, step):
                members[pos] = replace(members[pos], node=self._explicit(
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
                     **({"note": rec["note"]} if rec.get("note") else {}),
                     # each reading refuted at its own point (the referee confirmed it)
                     **({"counterexample": rec["counterexample"]}
                        if rec["verdict"] == "refuted" and rec.get("counterexample") else {})}
                    for text, rec in done]
        verdict = combine([rec["verdict"] for _, rec in done])
        if verdict != "unknown":
            first = done[0][1]
            return first.evolve(note="; ".join(x for x in (first.note, f"{verdict} under every "
                                                         f"reading ({where})") if x),
                                readings=readings)
        shown = " | ".join(f"{r['reading']}: {r['verdict']}" for r in readings)
        why = ("unknown under every reading"
               if all(r["verdict"] == "unknown" for r in readings) else "the readings disagree")
        same = {r.get("note") for r in readings}
        if why.startswith("unknown") and len(same) == 1 and None not in same:
            why += f", each for one reason: {same.pop()}"  # its construct at file:line:col
        return self._record(number, step, left, right, "unknown",
                            f"ambiguous: {why} ({shown})", readings=readings)

    def _ambiguous(self, number: int, step: int, chain: StepChain, key: tuple, env: Env,
                   cond: Condition, free: list[frozenset[str]], logged: dict) -> StepResult:
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
            return recs[0].evolve(note="; ".join(x for x in (recs[0].note, what + ", and the "
                                                 "step holds under every row that applies")
                                                 if x))
        for rec in recs:
            if rec["verdict"] == "refuted" and _one_row_applies(
                    rec.get("counterexample") or {}, [logged[p][2] for p in places]):
                return rec.evolve(note="; ".join(x for x in (rec.note, "at the counterexample "
                                                             "at most one row of each cases "
                                                             "applies") if x))
        return self._record(number, step, left, right, "unknown",
                            f"{what} with different values, and the step does not hold "
                            "under every one of them")
