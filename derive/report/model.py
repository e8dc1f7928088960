"""A family's "Model and notation" subsection, from the prose and symbols it declares.

>>> from derive.report.style import Style
>>> "Assumptions" in model_section(Style(None), [])
True
"""

from __future__ import annotations

from dataclasses import replace

from derive.report.data import Entry
from derive.report.marks import tt
from derive.report.style import Style

__all__ = ["model_section"]


def _definitions(style: Style) -> str:
    """The declared definitions, two to a row, each side printed as declared (no folding:
    ``σ_k`` is defined by its fraction)."""
    plain = Style(replace(style.notation, folds=()))
    items = []
    for lhs, rhs, note in style.notation.definitions:
        lhs_tex = lhs if isinstance(lhs, str) else plain.tex(lhs)
        rhs_tex = rhs if isinstance(rhs, str) else plain.tex(rhs)
        items.append(f"{lhs_tex} &= {rhs_tex}{note},")
    rows = [" &\n".join(items[pos : pos + 2]) for pos in range(0, len(items), 2)]
    return " \\\\\n".join(rows)


def model_section(style: Style, claims: list[Entry]) -> str:
    n = style.notation
    assumptions: dict[str, list[str]] = {}
    for e in claims:
        for a in e.claim.assumptions:
            assumptions.setdefault(style.assumption(a), []).append(e.claim.name)
    parts = [r"\subsection{Model and notation}"]
    if n.prose:
        parts.append(n.prose)
    if n.symbols:
        table = "\n".join(f"{a} & {b} \\\\" for a, b in n.symbols)
        parts.append("\\begin{center}\n\\begin{tabular}{ll}\n\\toprule\n" + table
                     + "\n\\bottomrule\n\\end{tabular}\n\\end{center}")
    if n.definitions:
        parts.append("The definitions are\n\\begin{align*}\n" + _definitions(style)
                     + "\n\\end{align*}\n" + n.remarks)
    elif n.remarks:
        parts.append(n.remarks)
    listed = "\n".join(
        rf"\item ${a}$ \quad (used by {', '.join(tt(c) for c in cs)})"
        for a, cs in sorted(assumptions.items())
    )
    if listed:
        parts.append(r"\paragraph{Assumptions.} "
                     + (n.assumptions or "The hypotheses the claims use, and the claims that "
                        "use them:")
                     + "\n\\begin{itemize}\n" + listed + "\n\\end{itemize}\n"
                     "Claims not listed assume nothing beyond the definitions above.")
    else:
        parts.append(r"\paragraph{Assumptions.} No claim of this family assumes anything "
                     "beyond the definitions above.")
    return "\n\n".join(parts)
