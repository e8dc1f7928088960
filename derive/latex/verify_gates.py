"""The gates around a step's verdict: a step that only introduces a symbol (``definition``),
a step naming a symbol the notes never define (``unknown``), the independent referee, and
side conditions the notes state."""

from __future__ import annotations

import re

from derive.latex import ast
from derive.latex.concrete_data import data_gate
from derive.latex.definitions import is_defining_link
from derive.latex.function_chains import call_pattern
from derive.latex.naming_chains import naming_symbol
from derive.latex.side_conditions import broken, stated
from derive.latex.step_chains import StepChain
from derive.latex.step_result import StepResult

__all__ = ["GateRules"]

#: what makes a value unread (a construct derive does not read, a formula that does not
#: parse), as opposed to what makes the step no claim or a claim with a condition derive does
#: not read (a condition after the formula, \\overset{!}{=}, a relation): only the former
#: leaves a first definition a definition (derive.latex.tokens, derive.latex.parser)
_UNREAD_VALUE = re.compile(r"unsupported command|unsupported environment|unexpected |"
                           r"formula ends too early|expects one letter|unbalanced|"
                           r"is not read: write \\frac|a word in maths")


class GateRules:
    """Definition, undefined-symbol, referee and side-condition gates (a part of
    :class:`derive.latex.verify._Checker`)."""

    def _definition_step(self, number: int, chain: StepChain) -> StepResult | None:
        """The record of the chain's first step when it only introduces a symbol
        (:mod:`derive.latex.definitions`), else None (the step is checked)."""
        if chain.base is not None or len(chain.members) < 2:
            return None
        left, right = chain.members[0], chain.members[1]
        if left.segment.continues:
            return None
        # left = <a member derive does not read>, linked by '=' (not \\le: a relation's
        # link is no definition, derive.latex.parser)
        unread_value = isinstance(right.node, ast.Unreadable) and (
            right.link == "=" or is_defining_link(right.link)) and not any(
            isinstance(n, ast.Unreadable) for n in ast.walk(left.node)) and (
            _UNREAD_VALUE.search(right.node.message) is not None)
        if unread_value:
            # x_{max} = \\max(x): the name's first definition, whose value derive does not
            # read: a definition all the same (no claim to check), saying what is unread; it
            # claims its pattern (a later equation for it is a claim), and the name stays
            # undefined (nothing refutes a later step by its value)
            assert isinstance(right.node, ast.Unreadable)
            head = self.sections.defines_unread(left.node, left.segment.line)
            at = self.definitions.get(head) if head is not None else None
            if head is None or (at is not None and at != (left.node.line, left.node.col)):
                return None
            return self._record(number, 1, left, right, "definition",
                                f"defines {head}; its value is not read: "
                                f"{right.node.message}")
        if any(isinstance(n, ast.Unreadable) for m in (left, right) for n in ast.walk(m.node)):
            # a member derive cannot read: the step is unknown with the reason; a first
            # definition still claims its name (a later equation for it is a claim)
            self.sections.claim(left.node, right.node, left.segment.line)
            return None
        again = self.sections.restates(left.node, right.node, left.segment.line)
        if again is not None:  # the definition read before, written again word for word
            return self._record(number, 1, left, right, "definition",
                                f"restates the definition of {again}")
        head = self.sections.defines(left.node, right.node, right.link,
                                     left.segment.line, left.segment.col)
        if head is None:
            return None
        at = self.definitions.get(head)
        starts = self.sections.starts
        here = (left.node.line, left.node.col)
        if at is not None and (at < here or (left.segment.inline and at != here)) and not (
            is_defining_link(right.link)
        ) and sum(s <= at[0] for s in starts) == sum(s <= left.node.line for s in starts):
            # the name's definition was read before, in this section (the prose before,
            # another display), or, for an inline equation, in the prose after it (a defining
            # word: "$q = 2x$ is wrong. Let $q = x^2$."): this equation is a claim about it,
            # checked like every other
            return None
        if not left.segment.inline:  # a display's definition (an inline one is prose)
            self.sections.remember(head, left.node, right.node)
        return self._record(number, 1, left, right, "definition", f"defines {head}")

    def _function_step(self, number: int, chain: StepChain,
                       written: list[ast.Node]) -> StepResult | None:
        """The record of step 2 of ``A = g(B) = expr`` when inference read its second link
        as the definition of the function ``g`` (:mod:`derive.latex.function_chains`), else
        None (the step is checked). ``written``: the members as the notes write them."""
        if chain.base is not None or len(written) < 3:
            return None
        node = written[1]
        head = call_pattern(node)
        if head is None or self.definitions.get(head) != (node.line, node.col) or any(
                isinstance(n, ast.Unreadable) for m in written[1:3] for n in ast.walk(m)):
            return None
        return self._record(number, 2, chain.members[1], chain.members[2], "definition",
                            f"defines {head}")

    def _naming_step(self, number: int, chain: StepChain,
                     written: list[ast.Node]) -> StepResult | None:
        """The record of the last step of ``A = B = name`` when inference read that link as
        the definition of ``name`` (:mod:`derive.latex.naming_chains`), else None (the step
        is checked). ``written``: the members as the notes write them."""
        if chain.base is not None or len(written) < 3:
            return None
        node = written[-1]
        found = naming_symbol(node)
        if found is None or self.definitions.get(found[0]) != (node.line, node.col) or any(
                isinstance(n, ast.Unreadable) for m in written[-2:] for n in ast.walk(m)):
            return None
        step = len(written) - 1
        return self._record(number, step, chain.members[step - 1], chain.members[step],
                            "definition", f"defines {found[0]}")

    def _defines(self, rec: StepResult, chain: StepChain, step: int) -> StepResult:
        """The first step of a chain whose first member inference read as a definition
        (``p_k = \\frac{...}``) says which name it defines (``defines``)."""
        first = chain.members[0].node
        name = self.defines.get((first.line, first.col)) if step == 1 else None
        if name is not None:
            rec = rec.evolve(defines=name)
        return rec

    def _names(self, node: ast.Node, seen: set[str]) -> set[str]:
        """The names ``node`` uses, through the definitions it uses (``L`` defined by the
        ``p_k`` in its body uses ``p``)."""
        from derive.latex.infer_facts import heads as _heads

        out = set()
        for name, _, _ in _heads(node):
            out.add(name)
            if name not in seen:
                seen.add(name)
                for d in self.decl.defs.get(name, ()):
                    out |= self._names(d.body, seen)
        return out

    def _undefined_gate(self, rec: StepResult, chain: StepChain, step: int
                        ) -> StepResult:
        """Never silently independent: a step that uses a name the notes differentiate by
        another quantity but never define (derive.latex.infer.Undefined) is ``unknown``
        when it differentiates by one of those quantities, or would be refuted (the
        counterexample treats the name as free), with the message saying where to define
        it. A proof that differentiates by nothing it depends on stands: it holds for
        every value of the name."""
        from derive.latex.infer_facts import derivatives as _derivatives
        from derive.latex.infer_facts import heads as _heads

        if not self.undefined or rec.get("verdict") not in ("proved", "refuted"):
            return rec
        nodes = (chain.members[step - 1].node, chain.members[step].node)
        used: set[str] = set()
        for node in nodes:
            used |= self._names(node, set())
        hit = [u for name, u in sorted(self.undefined.items()) if name in used]
        if rec["verdict"] == "proved":
            # its derivatives read as opaque atoms: a proof holds for every value of them
            # (derive.latex.undefined_derivatives)
            modeled = set(self.elab.dependent.values())
            hit = [u for u in hit if u.name not in modeled]
        if not hit:
            return rec
        by = {h for node in nodes for _, den in _derivatives(node) for h, _, _ in _heads(den)}
        hit = [u for u in hit if u.variables & by] or (
            hit if rec["verdict"] == "refuted" else [])
        if not hit:
            return rec
        return rec.evolve(drop=("counterexample",), verdict="unknown",
                          note="; ".join(u.message() for u in hit))

    def _letters_used(self, chain: StepChain, step: int) -> set[str]:
        """The letters the step writes, and those of the definitions it uses."""
        nodes = [chain.members[step - 1].node, chain.members[step].node]
        names: set[str] = set()
        for node in nodes:
            names |= self._names(node, set())
        nodes += [d.body for name in names for d in self.decl.defs.get(name, ())]
        return {n.name for node in nodes for n in ast.walk(node) if isinstance(n, ast.Letter)}

    def _fixed_gate(self, rec: StepResult, chain: StepChain, step: int) -> StepResult:
        """A step that writes a letter with a meaning of its own which the notes also
        define (``Let $e = y - t$``, derive.latex.infer_facts.FIXED_MEANINGS) has two
        readings, the notes' name and the constant: it is ``unknown``, never proved or
        refuted under one of them. A step that writes a name the prose sets to a number
        (``Let $a = 3$``, ``for $x = 0$``: a value, or a point the text evaluates at), or
        one a display defines with a link derive does not read (``s \\buildrel ... \\over
        =``), is never refuted: a counterexample gives the name another value."""
        from derive.latex.infer_facts import FIXED_MEANINGS

        verdict = rec.get("verdict")
        if verdict not in ("proved", "refuted") or not (self.fixed or (
                (self.settings or self.unread_links) and verdict == "refuted")):
            return rec
        used = self._letters_used(chain, step)
        hit = sorted(used & set(self.fixed))
        if hit:
            name, (line, col) = hit[0], self.fixed[hit[0]]
            return rec.evolve(drop=("counterexample",), verdict="unknown", note=(
                f"ambiguous: {name} is defined at {line}:{col} and is also "
                f"{FIXED_MEANINGS[name]}; rename the defined symbol"))
        at = rec.get("line") or 0  # a value holds on; a condition up to where it stops
        # an index condition the prose states for this display ("Case 1: $j = k$") is
        # one the step was checked under (derive.latex.side_conditions): it stands
        applied = {x for a, b, _ in stated(self.notes.text, self.notes.math, at)
                   if {a, b} <= used and {a, b} <= set(self.decl.indices)
                   for x in (a, b)} if verdict == "refuted" else set()
        hit = sorted((name, (line, col)) for name in used & set(self.settings) - applied
                     for line, col, end in self.settings[name]
                     if end is None or line <= at < end) if verdict == "refuted" else []
        if hit:
            name, (line, col) = hit[0]
            return rec.evolve(drop=("counterexample",), verdict="unknown", note=(
                f"{name} is given a value or a condition in the prose at {line}:{col}: a "
                f"counterexample giving it another refutes nothing the notes say (declare "
                f"'% derive: let {name} = ...' or '% derive: scalar {name}' to decide)"))
        hit = sorted(used & set(self.unread_links)) if verdict == "refuted" else []
        if hit:
            name, (line, col) = hit[0], self.unread_links[hit[0]]
            return rec.evolve(drop=("counterexample",), verdict="unknown", note=(
                f"{name} is defined at {line}:{col} with a link derive does not read: a "
                f"counterexample giving it any value refutes nothing (write '{name} := ...')"))
        return rec

    def _referee(self, rec: StepResult, chain: StepChain, step: int) -> StepResult:
        """The verdict the independent referee lets stand (derive.latex.referee.gate)."""
        left, right = chain.members[step - 1], chain.members[step]
        return StepResult.from_dict(self.referee(
            rec, left.node, right.node, left.directives, right.directives,
            tuple(m.node for m in chain.members), step))

    def _data(self, rec: StepResult, chain: StepChain, step: int) -> StepResult:
        """A refutation of a step written with the author's data is unknown
        (derive.latex.concrete_data)."""
        return StepResult.from_dict(
            data_gate(rec, chain.members[step - 1].node, chain.members[step].node))

    @staticmethod
    def _implication(rec: StepResult, chain: StepChain) -> StepResult:
        """A refutation of an equation written beside an implication arrow is no refutation:
        in "2x - 4 = 0 \\Rightarrow x = 2" the left is an equation to solve (a hypothesis),
        not an identity, so it failing for some x says nothing: unknown, naming the arrow."""
        if rec.get("verdict") != "refuted" or not chain.beside:
            return rec
        return rec.evolve(drop=("counterexample",), verdict="unknown", note="; ".join(
            x for x in (rec.note, (
                f"not an identity, but it stands beside {chain.beside}: an equation there may "
                "be a hypothesis or an equation to solve, so its failing for some values is "
                "no refutation (write it without the arrow to check it as an identity)"))
            if x))

    def _side_conditions(self, rec: StepResult) -> StepResult:
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
        return rec.evolve(drop=("counterexample",), verdict="unknown", note="; ".join(
            x for x in (rec.note, (
                f"the prose beside this display states {cut}, and the counterexample breaks "
                "it: write the condition in the display (e.g. ', j \\neq k' after the step) "
                "to check the step under it")) if x))

