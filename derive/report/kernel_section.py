"""A family's "Kernels" subsection: the numerical checks of its kernels and, for each, the
matrix form whose entries the engine proved equal to the indexed closed form.

A family that declares no kernels (and has no checked kernel linked to its claims) gets
one sentence saying so.

>>> from derive.report.data import ReportData
>>> from derive.report.style import Style
>>> "no kernels" in kernels(ReportData(claims=[], mutants=[]), Style(None), [], "demo")
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import sympy as sp

from derive.engine.claims import Verdict
from derive.report.data import ReportData
from derive.report.marks import key
from derive.report.sources import one_sign
from derive.report.style import Style
from derive.report.tables import escape_text, kernel_table

__all__ = ["attribute", "declared_kernels", "entry_style", "entry_tex", "kernel_form",
           "kernels", "leftovers", "sizes_sentence"]


def kernel_form(matrix: Any, style: Style) -> str:
    """A kernel's matrix form in the family's notation. The notation's ``matrix_names``
    renames matrices (``W`` → ``Θ``) and the values of matrix functions: ``"Softmax"``
    names the function's value as a matrix (``P``), ``"Softmax(row)"`` its value on one
    row, written as a *column* (``s``, so the Jacobian reads ``diag(s) − s sᵀ``)."""
    if isinstance(matrix, str) or not isinstance(matrix, sp.Basic):
        return str(matrix)
    names = style.notation.matrix_names
    subs: dict[sp.Basic, sp.Basic] = {}
    for node in sp.preorder_traversal(matrix):
        kind = type(node).__name__
        shape = getattr(node, "shape", None)
        if not isinstance(node, sp.MatrixExpr) or shape is None or isinstance(
                node, sp.MatrixSymbol):
            continue
        rows, cols = shape
        if rows == 1 and f"{kind}(row)" in names:
            col = sp.MatrixSymbol(names[f"{kind}(row)"], cols, 1)
            subs[sp.Transpose(node)] = col
            subs[sp.DiagMatrix(node)] = sp.DiagMatrix(col)
            subs[node] = col.T
        elif kind in names:
            subs[node] = sp.MatrixSymbol(names[kind], rows, cols)
    for sym in matrix.atoms(sp.MatrixSymbol):
        if sym.name in names:
            subs[sym] = sp.MatrixSymbol(names[sym.name], *sym.shape)
    tex = style.raw(matrix.xreplace(subs))
    return tex.replace("^{T}", r"^{\mathsf{T}}")


def entry_style(style: Style) -> tuple[Style, dict[tuple[str, int], sp.IndexedBase]]:
    """The style an indexed form of the kernels section is printed in, and the entries it
    renames: ``(quantity, number of indices) → matrix letter`` from the notation's
    ``matrix_entries`` (``σ_{nk}`` → ``P_{nk}`` for ``"Softmax"``, ``σ_k`` → ``s_k`` for
    ``"Softmax(row)"``), so the section writes each quantity one way. The renamed entries
    keep their quantity's place in the factor order (probabilities before labels)."""
    notation = style.notation
    renames: dict[tuple[str, int], sp.IndexedBase] = {}
    for kind, label in notation.matrix_entries.items():
        letter = notation.matrix_names.get(kind)
        if letter:
            renames[(label, 1 if kind.endswith("(row)") else 2)] = sp.IndexedBase(letter)
    if not renames:
        return style, renames
    labels = {label for label, _ in renames}
    order = tuple(
        group + tuple(b for (label, _), b in renames.items()
                      if label in {str(getattr(q, "label", q)) for q in group})
        if labels & {str(getattr(q, "label", q)) for q in group} else group
        for group in notation.factor_order)
    return Style(replace(notation, factor_order=order)), renames


def entry_tex(entry: sp.Expr, style: Style) -> str:
    """An indexed closed form as the kernels section writes it (see :func:`entry_style`)."""
    shown, renames = entry_style(style)
    folded = style.folded(one_sign(entry))
    subs = {e: renames[key][e.indices] for e in folded.atoms(sp.Indexed)
            if (key := (str(e.base.label), len(e.indices))) in renames}
    return shown.raw(folded.xreplace(subs))


def sizes_sentence(sizes: Mapping[str, int], lead: str) -> str:
    if not sizes:
        return ""
    said = ", ".join(f"${k} = {v}$" for k, v in sizes.items())
    return f" {lead} a small fixed random problem with {said}."


def _link(link: Mapping[str, Any], style: Style) -> str:
    matrix_tex = kernel_form(link.get("matrix"), style)
    entry = link.get("entry")
    verdict = link.get("verdict")
    status = verdict.status if isinstance(verdict, Verdict) else str(verdict)
    idx = "".join(style.raw(q) for q in link.get("indices", ("i", "j")))
    kernel = str(link.get("kernel", ""))
    claim = str(link.get("claim", ""))
    entry_shown = entry_tex(entry, style) if entry is not None else ""
    return (
        rf"\texttt{{{escape_text(kernel)}}}\label{{ker:{key(kernel)}}}, claim "
        rf"\texttt{{{escape_text(claim)}}} (Theorem~\ref{{thm:{key(claim)}}}): "
        rf"\verdict{{{status}}}"
        "\n\\begin{align*}\n"
        rf"&{{\bigl({matrix_tex}\bigr)}}_{{{idx}}} \\" "\n"
        rf"&\qquad = {entry_shown}" "\n\\end{align*}"
    )


def _kernel_name(row: Mapping[str, Any]) -> str:
    """``loss_and_grad`` for the check row ``loss_and_grad: dJ/dW``."""
    return str(row.get("kernel", "")).split(":")[0].strip()


def attribute(data: ReportData, claim_names: list[str],
              declared: tuple[str, ...] = ()) -> tuple[list, list]:
    """The links to the given claims (or of the ``declared`` kernels) and the check rows
    of those kernels."""
    links = [ln for ln in data.links or [] if str(ln.get("claim", "")) in claim_names
             or str(ln.get("kernel", "")) in declared]
    names = {str(ln.get("kernel", "")) for ln in links} | set(declared)
    return links, [r for r in data.kernel_rows or [] if _kernel_name(r) in names]


def declared_kernels(family: Any) -> tuple[str, ...]:
    """The names of the kernels a family declares (its ``kernels`` rows' ``name``)."""
    return tuple(str(getattr(k, "name", "")) for k in getattr(family, "kernels", ()) or ())


def leftovers(data: ReportData, claim_names: list[str],
              declared: tuple[str, ...] = ()) -> tuple[list, list]:
    """The links and check rows no family part shows (a kernel linked to no known claim)."""
    links, rows = attribute(data, claim_names, declared)
    return ([ln for ln in data.links or [] if ln not in links],
            [r for r in data.kernel_rows or [] if r not in rows])


def kernels(data: ReportData, style: Style, claim_names: list[str], label: str,
            shown: tuple[list, list] | None = None, heading: str = "subsection",
            declared: tuple[str, ...] = (), sizes: set[str] | None = None) -> str:
    """The kernels declared by a family or linked to its claims (or the ``shown`` links
    and rows), their checks and their matrix forms; ``sizes`` names the sizes the
    family has (a check problem's other sizes mean nothing there)."""
    links, rows = shown if shown is not None else attribute(data, claim_names, declared)
    parts = [rf"\{heading}{{Kernels}}\label{{{label}}}"]
    table = "tab:" + label.removeprefix("sec:")
    if data.kernel_rows is None:
        parts.append(
            "The kernel checks are not part of this build ("
            + escape_text(data.missing.get("kernels", "no kernels"))
            + "); they appear here when \\texttt{derive.kernels} is installed."
        )
        return "\n\n".join(parts)
    if not links and not rows:
        parts.append("This family declares no kernels yet: its closed forms are proved "
                     "above, and no generated NumPy code runs them.")
        return "\n\n".join(parts)
    if rows:
        parts.append(
            "The NumPy kernels are generated from the proven closed forms. Each is checked "
            "against a hand-written NumPy reference, central finite differences and the "
            "complex-step derivative. Table~\\ref{" + table + "} gives the "
            "relative error against each, as the power of ten above it, and the tolerance it "
            "is held to: column ``tol'' for the NumPy reference and the complex step, column "
            "``tol.\\ f.d'' for finite differences."
            + sizes_sentence({k: v for k, v in data.check_sizes.items()
                              if sizes is None or k in sizes}, "The checks run on")
        )
        parts.append(kernel_table(rows).replace(
            "\\end{tabular}\n\\end{center}",
            "\\end{tabular}\n\\captionof{table}{Kernel checks: relative errors and "
            "tolerances.}\\label{" + table + "}\n\\end{center}"))
    if links:
        parts.append(r"\subsubsection{Matrix form and indexed form}")
        parts.append(
            "A kernel runs a matrix form; it is offered only because the engine proved each "
            "entry of the matrix form equal to the indexed closed form, for symbolic sizes. "
            + style.notation.kernel_prose
        )
        parts.extend(_link(ln, style) for ln in links)
    return "\n\n".join(parts)
