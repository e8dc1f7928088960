"""The results table up front: one row per claim of every family, with links to its proof,
its refuted variants and the kernel built from it.

>>> from derive.report.data import ReportData
>>> "longtable" in results(ReportData(claims=[], mutants=[]), [])
True
"""

from __future__ import annotations

from derive.report.data import Entry, ReportData
from derive.report.marks import key, verdict_tex
from derive.report.sources import cite_source
from derive.report.style import Style
from derive.report.tables import escape_text

__all__ = ["results"]


def _row(e: Entry, mutants: list[Entry], style: Style, kernels: dict[str, str]) -> str:
    c = e.claim
    wrong = [m for m in mutants if m.claim.mutant_of == c.name]
    refuted = sum(m.verdict.status == "refuted" for m in wrong)
    assume = ", ".join(style.assumption_text(a) for a in c.assumptions) or "none"
    source = cite_source(c.source) if c.source else "--"
    published = style.notation.published.get(c.name)
    if published:
        source += r"; cf.~\cite{" + ",".join(published) + "}"
    links = []
    if wrong:
        links.append(rf"{refuted}/{len(wrong)}, \S\ref{{cex:{key(c.name)}}}")
    kern = kernels.get(c.name)
    if kern:
        links.append(rf"kernel \S\ref{{ker:{key(kern)}}}")
    return (rf"\ref{{thm:{key(c.name)}}} & ${style.statement(c)}$ & {verdict_tex(e.verdict)} & "
            rf"{assume} & {source} & {'; '.join(links) or '--'} \\")


def results(data: ReportData, parts: list[tuple[str, Style, list[Entry], list[Entry]]]) -> str:
    """``parts``: each family's title, style, claims and mutants, in document order."""
    kernels: dict[str, str] = {}
    for link in data.links or []:
        if link.get("claim"):
            kernels.setdefault(str(link["claim"]), str(link.get("kernel", "")))
    rows = []
    for title, style, claims, mutants in parts:
        if len(parts) > 1:
            rows.append(rf"\midrule \multicolumn{{6}}{{@{{}}l}}{{\textbf{{{escape_text(title)}}}}}"
                        r" \\ \midrule")
        rows.extend(_row(e, mutants, style, kernels) for e in claims)
    body = "\n".join(rows)
    return rf"""\section{{Results}}\label{{sec:results}}

Table~\ref{{tab:results}} lists every claim: the statement, the engine's verdict, what it
assumes, where it comes from, how many deliberately wrong variants of it are refuted (with a
link to their counterexamples) and the kernel built from it. The number in the first column
links to the proof.

\begin{{footnotesize}}
\setlength{{\tabcolsep}}{{3pt}}
% a statement's first line may be a fraction taller than the row's strut: without room
% above it, it is printed over the previous row's sum limits (rows 39/40 did)
\setlength{{\extrarowheight}}{{3pt}}
\begin{{longtable}}{{@{{}}r>{{\raggedright}}p{{0.33\linewidth}}l>{{\raggedright}}p{{0.13\linewidth}}>{{\raggedright}}p{{0.22\linewidth}}>{{\raggedright\arraybackslash}}p{{0.14\linewidth}}@{{}}}}
\caption{{The claims, their verdicts and where each is proved, refuted in a wrong variant
and used.}}\label{{tab:results}}\\
\toprule
thm. & statement & verdict & assuming & source & variants refuted; kernel \\
\midrule
\endfirsthead
\toprule
thm. & statement & verdict & assuming & source & variants refuted; kernel \\
\midrule
\endhead
{body}
\bottomrule
\end{{longtable}}
\end{{footnotesize}}
"""
