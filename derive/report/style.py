"""How one family's mathematics is written: its printer, folds, hypotheses and objectives.

A :class:`Style` wraps a family's :class:`~derive.models.family.Notation`; every section
of the report writes a family's expressions through it, so nothing in the report names a
model letter.

>>> from derive.models.softmax import NOTATION, y
>>> from derive.engine.claims import sums_to_one
>>> Style(NOTATION).assumption(sums_to_one(y))
'\\\\sum_{k=1}^{K} y_{k} = 1'
"""

from __future__ import annotations

import inspect
import re
from dataclasses import replace

import sympy as sp

from derive.engine.claims import Assumption, Claim
from derive.models.family import Fold, Notation
from derive.report.fold import fold, tidy_dummies
from derive.report.printer import ReportPrinter
from derive.report.sources import one_sign
from derive.report.tables import escape_text

__all__ = ["Style"]

_UNICODE = {"Σ": r"\Sigma", "≠": r"\neq", "σ": r"\sigma", "θ": r"\theta", "δ": r"\delta",
            "λ": r"\lambda", "−": "-", "≤": r"\le", "∂": r"\partial"}


def _defines(fold: Fold, key: sp.Basic) -> bool:
    """Does ``fold`` put ``key`` back (so it must not fold ``key``'s own definition)?"""
    if isinstance(key, sp.IndexedBase):
        return str(key.label) in {str(b.label) for b in fold.symbol.atoms(sp.IndexedBase)}
    return str(key) in {str(a) for a in fold.symbol.free_symbols}


class Style:
    """A family's notation, with the printer and the folds that go with it."""

    def __init__(self, notation: Notation | None) -> None:
        self.notation = notation if notation is not None else Notation()
        self.printer = ReportPrinter(notation=self.notation)

    # -- expressions -------------------------------------------------------------------
    def folded(self, expr: sp.Expr, notation: Notation | None = None) -> sp.Expr:
        """``expr`` with the family's abbreviations folded in and its dummies renamed."""
        notation = notation or self.notation
        return tidy_dummies(fold(expr, notation), notation)

    def tex(self, expr: sp.Expr) -> str:
        """LaTeX of ``expr`` folded into the family's notation."""
        return self.printer.doprint(self.folded(expr))

    def raw(self, expr: sp.Expr) -> str:
        """LaTeX of ``expr`` as it is (a definition, a statement's left side)."""
        return self.printer.doprint(expr)

    def lhs(self, claim: Claim) -> str:
        """A claim's left side: folded (``1 − s``, not ``1 − 1/(1 + e^{−t})``), its
        summation indices as written."""
        return self.objective(claim, self.raw(fold(claim.lhs, self.notation)))

    def statement(self, claim: Claim) -> str:
        rhs = self.printer.doprint(one_sign(self.folded(claim.rhs)))
        return self.objective(claim, f"{self.lhs(claim)} = {rhs}")

    def objective(self, claim: Claim, tex: str) -> str:
        """The claim's objective written with its own symbol (J, J_Σ, J_λ): one per objective."""
        symbol = self.notation.objectives.get(claim.mutant_of or claim.name)
        if symbol is None or symbol == "J":
            return tex
        return re.sub(r"(?<![\\\w{])J(?![\w_])", lambda m: symbol, tex)

    # -- hypotheses --------------------------------------------------------------------
    def _letter(self, size: sp.Expr | None, default: str) -> str:
        for key, letter in self.notation.letters.items():
            if str(key) == str(size):
                return letter
        return default

    def assumption(self, a: Assumption) -> str:
        """A hypothesis in LaTeX (math mode): ``Σ_k y_k = 1``, with "for every n" for a
        matrix of labels; ``y_k ≥ 0``, ``y_k ∈ {0, 1}``."""
        shape = tuple(a.base.shape) if a.base.shape is not None else None
        name = self.raw(a.base)
        if shape is None:
            return r"\text{" + escape_text(str(a)) + "}"
        axis = a.axis % len(shape)
        letters = [self._letter(size, "k" if pos == axis else "n")
                   for pos, size in enumerate(shape)]
        sep = "" if all(len(x) == 1 for x in letters) else ","
        entry = f"{name}_{{{sep.join(letters)}}}"
        others = [letter for pos, letter in enumerate(letters) if pos != axis]
        every = rf" \text{{ for every }} {', '.join(others)}" if others else ""
        kind = getattr(a, "kind", "sums_to_one")
        total = rf"\sum_{{{letters[axis]}=1}}^{{{self.raw(shape[axis])}}} {entry} = 1"
        forms = {
            "sums_to_one": total + every,
            "nonnegative": rf"{entry} \ge 0",
            "binary": rf"{entry} \in \{{0, 1\}}",
            "one_hot": rf"{entry} \in \{{0, 1\}},\ {total}{every}",
        }
        if kind not in forms:
            return r"\text{" + escape_text(str(a)) + "}"
        if kind in ("nonnegative", "binary"):
            every = rf" \text{{ for every }} {', '.join(letters)}"
            return forms[kind] + every
        return forms[kind]

    def assumption_text(self, a: Assumption) -> str:
        """The hypothesis in running text: its mathematics in ``$…$``, "for every n" as
        words (so a narrow table column can break the line there)."""
        tex = self.assumption(a)
        math, sep, rest = tex.partition(r" \text{ for every } ")
        return f"${math}$ for every ${rest}$" if sep else f"${tex}$"

    def label(self, label: str, claim: Claim) -> str:
        """A proof step's tag: the engine's words, its mathematics as mathematics."""
        for a in claim.assumptions:
            if label == f"use {a}":
                return rf"use ${self.assumption(a)}$"
        m = re.fullmatch(r"difference \(cases (\w) = (\w), (\w) ≠ (\w)\)", label)
        if m:
            return rf"cases ${m[1]} = {m[2]}$ and ${m[3]} \neq {m[4]}$"
        if label == "difference":
            return "collect terms"
        return "".join(f"${_UNICODE[ch]}$" if ch in _UNICODE else escape_text(ch)
                       for ch in label)

    # -- definitions -------------------------------------------------------------------
    def definitions(self, claim: Claim) -> list[str]:
        """``σ_k = e^{z_k}/Σ_c e^{z_c}``-style lines for the claim's abbreviations, at the
        indices the claim uses them with."""
        out = []
        for key, build in claim.defs.items():
            arity = len(inspect.signature(build).parameters)
            if isinstance(key, sp.IndexedBase):
                used = [e for side in (claim.lhs, claim.rhs)
                        for e in sorted(side.atoms(sp.Indexed), key=sp.default_sort_key)
                        if e.base == key and len(e.indices) == arity]
                if not used:
                    continue
                lhs, rhs = used[0], build(*used[0].indices)
            else:
                if arity:
                    continue
                lhs, rhs = key, build()
            own = replace(self.notation, folds=tuple(
                f for f in self.notation.folds if not _defines(f, key)))
            body = self.folded(rhs, own)
            out.append(f"{self.raw(lhs)} = {self.raw(body)}")
        return out
