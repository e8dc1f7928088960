"""A family's claims as theorems, each followed by the engine's proof as a chain of equalities.

A claim the engine did not prove is stated with its verdict and the reason (the
difference of the two sides that does not vanish); it never gets a proof environment.

>>> from derive.report.data import Entry
>>> from derive.report.style import Style
>>> theorems([], Style(None)).startswith(r"\\subsection{Proved identities}")
True
"""

from __future__ import annotations

import sympy as sp

from derive.report.chain import chain_latex
from derive.report.data import Entry
from derive.report.marks import key, tt, verdict_tex
from derive.report.sources import cite_source, one_sign, variant_tex
from derive.report.style import Style
from derive.report.tables import escape_text

__all__ = ["proof_chain", "theorems"]

_CHAIN_RULE = "chain rule"
_DELTA_SUM = r"sum the Kronecker deltas: $\sum_{c} a_{c} \delta_{cj} = a_{j}$"


def proof_chain(entry: Entry, style: Style | None = None) -> tuple[list[tuple[str, sp.Expr]], str]:
    """The lines of the proof chain, and a closing remark (empty for a proof).

    The engine's steps are: the statement, the derived side after each rewrite, the
    claimed side in the same normal form, and their difference. The chain shows the
    derived side step by step, then the claimed side, then the claim as stated.
    """
    if style is None:
        from derive.report.printer import every_family

        style = Style(every_family())
    claim, verdict = entry.claim, entry.verdict
    derived: list[tuple[str, sp.Expr]] = []
    claimed = difference = None
    for step in verdict.steps:
        if step.label == "statement":
            continue
        if step.label.startswith("claimed closed form"):
            claimed = step
        elif step.label.startswith("difference"):
            difference = step
        elif step.label.startswith("differentiate and sum"):
            derived.append((_DELTA_SUM, step.expr))
        else:
            derived.append((style.label(step.label, claim), step.expr))
    if verdict.status != "proved":
        if verdict.note:
            why = escape_text(verdict.note)
        elif _residual(entry) == 0:
            why = ("the two sides reduce to the same form, but the engine did not accept the "
                   "reduction as a proof (a step it could not justify)")
        else:
            why = "the engine could not reduce the difference of the two sides to zero"
        return _plain_derivative(derived, claim), why
    rule = _chain_rule_lines(entry, style)
    lines = rule + (list(derived) if rule else _plain_derivative(derived, claim))
    printed = [style.tex(e) for _, e in lines]
    if claimed is not None and style.tex(claimed.expr) not in printed[-1:]:
        label = style.label(difference.label, claim) if difference is not None else ""
        lines.append((label, claimed.expr))
        printed.append(style.tex(claimed.expr))
    if style.tex(claim.rhs) not in printed[-1:]:
        lines.append(("factor", claim.rhs))
    return lines, ""


def _plain_derivative(lines: list[tuple[str, sp.Expr]], claim) -> list[tuple[str, sp.Expr]]:
    """With no chain-rule line before it, the engine's first step is the derivative
    itself (or, with no derivative, the expanded form): tagged so, not as a sum of
    Kronecker deltas the reader never saw."""
    what = "differentiate" if claim.lhs.has(sp.Derivative) else "expand"
    return [(what if lab == _DELTA_SUM else lab, e) for lab, e in lines]


def _residual(entry: Entry) -> sp.Expr:
    found = [st.expr for st in entry.verdict.steps if st.label.startswith("difference")]
    return found[-1] if found else entry.verdict.residual


def _chain_rule_lines(entry: Entry, style: Style) -> list[tuple[str, sp.Expr]]:
    """The derivative as SymPy's chain rule gives it, before any Kronecker delta is summed:
    shown only when the engine proves it equal to the next line (its delta-summed form)."""
    from derive.engine.prover import differentiate, prove_equal

    claim = entry.claim
    summed = next((st.expr for st in entry.verdict.steps
                   if st.label.startswith("differentiate and sum")), None)
    lhs = claim.expanded()[0]
    if summed is None or not lhs.has(sp.Derivative):
        return []
    raw = differentiate(lhs, claim.scope)
    raw = raw.replace(lambda e: isinstance(e, sp.Sum) and e.function == 0, lambda e: sp.S.Zero)
    if raw == summed or style.tex(raw) == style.tex(summed):
        return []
    check = prove_equal(raw, summed, scope=claim.scope)
    return [(_CHAIN_RULE, raw)] if check.status == "proved" else []


def theorem(entry: Entry, style: Style) -> str:
    """One claim: the theorem, its definitions, and the proof (or why there is none)."""
    c = entry.claim
    title = variant_tex(c.description or c.name)
    meta = [tt(c.name), verdict_tex(entry.verdict)]  # tt: a long name may break
    if c.source:
        meta.append("source: " + cite_source(c.source))
    if c.assumptions:
        meta.append("assuming " + ", ".join(style.assumption_text(a) for a in c.assumptions))
    body = [rf"\begin{{theorem}}[{title}]\label{{thm:{key(c.name)}}}",
            r" \quad ".join(meta) + r"\par\nopagebreak",
            rf"\[ {style.statement(c)} \]"]
    defs = style.definitions(c)
    if defs:
        body.append(style.objective(c, "where $" + "$, $".join(defs) + "$."))
    body.append(r"\end{theorem}")
    lines, remark = proof_chain(entry, style)
    chain = ""
    lhs_tex = style.lhs(c)
    while lines and style.objective(c, style.tex(lines[0][1])) == lhs_tex:
        lines = lines[1:]  # "1 − s = 1 − s": a step that shows nothing new
    if lines:
        folded = [(lab, one_sign(style.folded(ex))) for lab, ex in lines]
        chain = style.objective(c, chain_latex(style.lhs(c), folded, printer=style.printer))
    if not remark:
        body.extend([r"\begin{proof}", chain, r"\end{proof}"] if chain else [])
    else:  # no proof environment (and no end-of-proof mark) for what is not proved
        left = _residual(entry)
        residual = "" if left == 0 else "\n" + chain_latex(
            r"\text{difference}", [("", one_sign(style.folded(left)))], printer=style.printer)
        body.append(rf"Not proved ({verdict_tex(entry.verdict)}): {remark}"
                    + (":" if residual else ".") + residual
                    + ("\nThe engine's steps, as far as they went:\n" + chain if chain else ""))
    return "\n".join(body)


def theorems(claims: list[Entry], style: Style, label: str = "") -> str:
    """The family's "Proved identities" subsection."""
    lab = rf"\label{{{label}}}" if label else ""
    parts = [
        rf"\subsection{{Proved identities}}{lab}",
        "Each claim is stated as a theorem and followed by the proof as the engine carried it "
        "out: each line equals the one before, and the tag on the right says what was done. "
        "The first line applies the chain rule (the derivative of an entry by an entry is a "
        "product of Kronecker deltas); the next sums those deltas "
        r"($\sum_{c} a_{c} \delta_{cj} = a_{j}$). A claim the engine did not prove says so "
        "and shows no proof.",
    ]
    parts.extend(theorem(e, style) for e in claims)
    return "\n\n".join(parts)
