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

__all__ = ["proof_chain", "tag_of", "theorems", "traced_chain"]

_DIFFERENTIATE = "differentiate"
_DELTA_RULE = "sum the Kronecker deltas"
_SPLIT_RULE = "split the Kronecker-delta cases"
_NORMAL_FORM = "normal form"
_DELTA_SUM = r"sum the Kronecker deltas: $\sum_{c} a_{c} \delta_{cj} = a_{j}$"


def tag_of(rule: str, style: Style, claim) -> str:
    """The proof tag printed for an engine rule (the rule's own words; its mathematics as
    mathematics). Every tag the report prints comes from here, from a traced rule."""
    if rule == _DELTA_RULE:
        return _DELTA_SUM
    if rule == _SPLIT_RULE:
        return "split the cases of the Kronecker deltas"
    if rule == _DIFFERENTIATE:
        return "derivative"  # as short as the old tag: the proof lines keep their width
    return style.label(rule, claim)


def traced_chain(entry: Entry, style: Style | None = None
                 ) -> tuple[list[tuple[str, sp.Expr]], str]:
    """The lines of the proof chain as ``(rule, expression)``: each rule is one the engine
    recorded in the verdict's rule trace (``Verdict.rules``), and a closing remark (empty
    for a proof). A line whose rule the trace does not hold is not shown."""
    if style is None:
        from derive.report.printer import every_family

        style = Style(every_family())
    claim, verdict = entry.claim, entry.verdict
    rules = list(getattr(verdict, "rules", ()) or ())
    derived: list[tuple[str, sp.Expr]] = []
    claimed = difference = None
    first = _DELTA_RULE if _DELTA_RULE in rules else (
        _DIFFERENTIATE if _DIFFERENTIATE in rules else _NORMAL_FORM)
    for step in verdict.steps:
        if step.label == "statement":
            continue
        if step.label.startswith("claimed closed form"):
            claimed = step
        elif step.label.startswith("difference"):
            difference = step
        elif step.label.startswith("differentiate and sum"):
            derived.append((first, step.expr))
        elif step.label in rules:  # "use <assumption>": traced only where it fired
            derived.append((step.label, step.expr))
    derived = [(r, e) for r, e in derived if r in rules]
    if verdict.status != "proved":
        if verdict.note:
            why = escape_text(verdict.note)
        elif _residual(entry) == 0:
            why = ("the two sides reduce to the same form, but the engine did not accept the "
                   "reduction as a proof (a step it could not justify)")
        else:
            why = "the engine could not reduce the difference of the two sides to zero"
        return _plain_derivative(derived), why
    rule = _chain_rule_lines(entry, style) if _DIFFERENTIATE in rules else []
    lines = rule + (list(derived) if rule else _plain_derivative(derived))
    printed = [style.tex(e) for _, e in lines]
    if claimed is not None and style.tex(claimed.expr) not in printed[-1:]:
        split = (difference is not None and difference.label.startswith("difference (cases")
                 and _SPLIT_RULE in rules)
        lines.append((_SPLIT_RULE if split else _NORMAL_FORM, claimed.expr))
        printed.append(style.tex(claimed.expr))
    if style.tex(claim.rhs) not in printed[-1:] and _NORMAL_FORM in rules:
        lines.append((_NORMAL_FORM, claim.rhs))
    return lines, ""


def proof_chain(entry: Entry, style: Style | None = None) -> tuple[list[tuple[str, sp.Expr]], str]:
    """The lines of the proof chain with their printed tags, and a closing remark (empty
    for a proof): :func:`traced_chain` with each rule as its tag.

    The engine's steps are: the statement, the derived side after each rewrite, the
    claimed side in the same normal form, and their difference. The chain shows the
    derived side step by step, then the claimed side, then the claim as stated.
    """
    if style is None:
        from derive.report.printer import every_family

        style = Style(every_family())
    lines, remark = traced_chain(entry, style)
    return [(tag_of(r, style, entry.claim), e) for r, e in lines], remark


def _plain_derivative(lines: list[tuple[str, sp.Expr]]) -> list[tuple[str, sp.Expr]]:
    """With no chain-rule line before it, the engine's first step is the derivative
    itself with the deltas summed: tagged with what the trace says was done first."""
    return list(lines)


def _residual(entry: Entry) -> sp.Expr:
    found = [st.expr for st in entry.verdict.steps if st.label.startswith("difference")]
    return found[-1] if found else entry.verdict.residual


def _chain_rule_lines(entry: Entry, style: Style) -> list[tuple[str, sp.Expr]]:
    """The derivative as SymPy's chain rule gives it, before any Kronecker delta is summed:
    shown only when the engine proves it equal to the next line (its delta-summed form)
    and the claim's own trace holds the differentiation."""
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
    return [(_DIFFERENTIATE, raw)] if check.status == "proved" else []


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
        numeric = (r"\par The engine closed this step numerically (a numeric check, not an "
                   "exact reduction)." if getattr(entry.verdict, "numeric", False) else "")
        body.extend([r"\begin{proof}", chain + numeric, r"\end{proof}"] if chain else [])
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
        "out: each line equals the one before, and the tag on the right names the rule the "
        "engine recorded for it (its rule trace): \\emph{derivative} (SymPy's chain "
        "rule: the derivative of an entry by an entry is a product of Kronecker deltas), "
        r"\emph{sum the Kronecker deltas} ($\sum_{c} a_{c} \delta_{cj} = a_{j}$), "
        "\\emph{use} an assumption, \\emph{split the cases} of a Kronecker delta, and "
        "\\emph{normal form} (both sides brought to the engine's canonical form of sums, "
        "products and powers; read from the claim's side it is the claim's form). A claim "
        "the engine did not prove says so and shows no proof.",
    ]
    parts.extend(theorem(e, style) for e in claims)
    return "\n\n".join(parts)
