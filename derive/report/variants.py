"""A family's wrong variants, each with its verdict and the counterexample that refutes it.

>>> from derive.report.style import Style
>>> variants([], [], Style(None), label="cex").startswith(r"\\subsection{Wrong variants")
True
"""

from __future__ import annotations

from derive.report.data import Entry
from derive.report.marks import key, verdict_tex
from derive.report.sources import variant_tex
from derive.report.style import Style
from derive.report.tables import counterexample_table, escape_text

__all__ = ["variants"]


def _box(e: Entry, style: Style) -> str:
    c, v = e.claim, e.verdict
    head = rf"\textbf{{{variant_tex(c.description)}}} \quad {verdict_tex(v)}" + "\n"
    head += rf"\[ {style.statement(c)} \]"
    if c.assumptions:
        head += "assuming " + ", ".join(style.assumption_text(a) for a in c.assumptions)
    if v.counterexample is not None:
        cex = v.counterexample.as_dict()
        head += "\n" + counterexample_table(cex, lhs=style.lhs(c))
    return head


def variants(claims: list[Entry], mutants: list[Entry], style: Style, label: str = "") -> str:
    """The "Wrong variants" subsection: two variants side by side, grouped by claim."""
    lab = rf"\label{{{label}}}" if label else ""
    parts = [
        rf"\subsection{{Wrong variants and their counterexamples}}{lab}",
        "Each wrong variant of a claim (a sign flipped, an index swapped, a factor or "
        "an assumption dropped, \\ldots) must be refuted by a concrete counterexample: small "
        "sizes, indices and inputs at which the two sides differ. The true value is computed "
        "by central finite differences of the original function, independently of the "
        "symbolic derivative.",
    ]
    if not mutants:
        parts.append("This family declares no wrong variants.")
    known = {e.claim.name for e in claims}
    for of in dict.fromkeys(str(e.claim.mutant_of) for e in mutants):
        boxes = [_box(e, style) for e in mutants if e.claim.mutant_of == of]
        theorem = rf"Theorem~\ref{{thm:{key(of)}}} " if of in known else ""
        parts.append(rf"\subsubsection{{Variants of {theorem}(\texttt{{{escape_text(of)}}})}}"
                     rf"\label{{cex:{key(of)}}}")
        for pos in range(0, len(boxes), 2):
            pair = boxes[pos : pos + 2]
            parts.append(
                "\\noindent\n"
                + "\\hfill\n".join(
                    "\\begin{minipage}[t]{0.48\\linewidth}\\small\n" + b + "\n\\end{minipage}"
                    for b in pair
                )
                + "\n"
            )
    not_refuted = [e for e in mutants if e.verdict.status != "refuted"]
    if not_refuted:
        names = ", ".join(r"\texttt{" + escape_text(e.claim.name) + "}" for e in not_refuted)
        parts.append(rf"\textbf{{Not refuted:}} {names}.")
    return "\n\n".join(parts)
