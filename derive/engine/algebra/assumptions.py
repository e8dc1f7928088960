"""Rewrite rules from hypotheses on the entries of a quantity: ``binary(y)`` and
``one_hot(y, axis)`` (applied where a monomial is formed), and ``Σ_{a=1}^{m} y_a = 1`` over
a range written as a number (the last entry eliminated wherever an entry is built).

Each applies only to entries whose indices are *provably* inside the declared shape: an
entry read past it is not covered by the hypothesis.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from derive.engine.algebra.context import Unsupported, trace_rule
from derive.engine.algebra.powers import subs_poly
from derive.engine.algebra.registry import rule
from derive.engine.algebra.terms import (
    MONOMIAL_RULES,
    Atom,
    Delta,
    Ind,
    Index,
    Ix,
    Poly,
    _atom_poly,
    _idx_subs,
    poly_add,
    substitutes,
    user_name,
    within,
)
from derive.engine.scope import as_expr

__all__ = ["EliminationRule", "EntryRule", "make_entry_rule"]


@dataclass(frozen=True)
class EntryRule:
    """A hypothesis on every entry of one quantity, used where a monomial is formed.

    ``binary``: each entry is 0 or 1, so ``y^k = y`` for a natural ``k ≥ 1``. One-hot along
    an axis of ``axes``: also ``y_a y_b = δ_ab y_b`` when the other indices are the same.
    Applied only to entries whose indices are provably inside ``ranges`` (the declared
    shape); an entry read past the shape is not covered by the hypothesis.
    """

    base: str
    ranges: tuple[Ix, ...]
    axes: tuple[int, ...]  # one-hot along each of these (none: binary only)
    label: str


_ENTRY: ContextVar[Mapping[str, EntryRule] | None] = ContextVar("derive_entry_rules", default=None)


def make_entry_rule(base: sp.IndexedBase, shape: tuple, axis: int | None, label: str) -> EntryRule:
    """The rule for ``binary(base)`` (``axis`` None) or ``one_hot(base, axis)``."""
    ranges = tuple(Ix(f"_r{p}", sp.Integer(1), as_expr(hi)) for p, hi in enumerate(shape))
    axes = () if axis is None else (axis % len(shape),)
    return EntryRule(user_name(str(base.label)), ranges, axes, label)


@rule("binary entries", "monomial", "y^k = y for a natural k ≥ 1 (each entry 0 or 1)",
      "the entry's indices provably inside the declared shape, one per axis; traced as "
      "'use <label>'")
def _inside(atom: Ind, rule: EntryRule) -> bool:
    return len(atom.idx) == len(rule.ranges) and all(
        within(q, r) for q, r in zip(atom.idx, rule.ranges, strict=True)
    )


@rule("one-hot entries", "monomial", "y_a y_b = δ_ab y_b along the one-hot axis",
      "both entries of one quantity, provably inside its declared shape, equal at every "
      "index but one declared one-hot axis; traced as 'use <label>'")
def _one_hot_axis(a: Atom, b: Atom, entry: Mapping[str, EntryRule]) -> int | None:
    """The one-hot axis along which entries ``a`` and ``b`` differ, all else the same."""
    if not (isinstance(a, Ind) and isinstance(b, Ind) and a.base == b.base):
        return None
    for ax in entry[a.base].axes:
        if all(p == q for n, (p, q) in enumerate(zip(a.idx, b.idx, strict=True)) if n != ax):
            return ax
    return None


def _apply_entry_rules(out: list, entry: Mapping[str, EntryRule]) -> bool:
    """Apply binary and one-hot rules to the factors ``out`` of one monomial, in place;
    False when the product is 0 (``y_a y_b`` with ``a``, ``b`` provably different)."""
    while True:
        hits = [
            n for n, (a, e) in enumerate(out)
            if isinstance(a, Ind) and a.base in entry and e.denominator == 1 and e > 0
            and _inside(a, entry[a.base])
        ]
        for n in hits:
            if out[n][1] != 1:
                trace_rule(f"use {entry[out[n][0].base].label}")
            out[n] = (out[n][0], Fraction(1))  # y^k = y for an entry in {0, 1}
        pair = next(
            ((p, q, ax) for p, q in itertools.combinations(hits, 2)
             if (ax := _one_hot_axis(out[p][0], out[q][0], entry)) is not None),
            None,
        )
        if pair is None:
            return True
        a, b, ax = out[pair[0]][0], out[pair[1]][0], pair[2]
        trace_rule(f"use {entry[a.base].label}")
        pair = pair[:2]
        delta = Delta.make(a.idx[ax], b.idx[ax])
        if not delta:
            return False
        # y_a y_b = δ_ab y_b: keep the entry with the smaller key (either is right)
        del out[max(pair, key=lambda n: out[n][0].key)]
        ((dmono, _),) = delta.items()
        for atom, _ in dmono:
            if not any(x == atom for x, _ in out):
                out.append((atom, Fraction(1)))


@dataclass(frozen=True)
class EliminationRule:
    """``Σ_{a=1}^{m} y[..., a, ...] = rhs`` over an integer range (a size written as a
    number): the last entry ``y[..., m, ...]`` is replaced by ``rhs − Σ_{a<m} y[..., a, ...]``
    wherever the other indices are provably inside ``ranges``."""

    base: str
    axis: int
    last: int
    ranges: tuple  # per position: an Ix (its range) or None at the axis
    rhs: Poly
    label: str


_ELIM: ContextVar[Mapping[str, EliminationRule] | None] = ContextVar("derive_elim", default=None)


def _elimination(p: Poly, rhs: Poly, label: str) -> EliminationRule:
    atoms = []
    for mono, c in p.items():
        if c != 1 or len(mono) != 1 or mono[0][1] != 1 or not isinstance(mono[0][0], Ind):
            raise Unsupported(f"assumption {label} is not a plain sum")
        atoms.append(mono[0][0])
    first = atoms[0]
    axes = [n for n, q in enumerate(first.idx) if isinstance(q, int)]  # the others are vars
    if len({(a.base, len(a.idx)) for a in atoms}) != 1 or len(axes) != 1:
        raise Unsupported(f"assumption {label} is not a plain sum")
    (axis,) = axes
    if any(a.idx[:axis] + a.idx[axis + 1:] != first.idx[:axis] + first.idx[axis + 1:]
           for a in atoms):
        raise Unsupported(f"assumption {label} is not a plain sum")
    values = sorted(a.idx[axis] for a in atoms)
    if values != list(range(1, len(atoms) + 1)):
        raise Unsupported(f"assumption {label} is not a sum over 1..m")
    ranges = tuple(None if n == axis else q for n, q in enumerate(first.idx))
    return EliminationRule(first.base, axis, len(atoms), ranges, rhs, label)


@rule("eliminate the last entry", "Ind",
      "y_m = rhs − Σ_{a<m} y_a for Σ_{a=1}^{m} y_a = rhs over a range written as a number",
      "the entry at the last position m of the axis, every other index provably inside the "
      "range the hypothesis was stated for")
def _entry_poly(base: str, idx: tuple) -> Poly:
    """The entry ``base[idx]``, or its elimination (``y_m = 1 − Σ_{a<m} y_a``)."""
    rule = (_ELIM.get() or {}).get(base)
    if (
        rule is None
        or len(idx) != len(rule.ranges)
        or idx[rule.axis] != rule.last
        or not all(r is None or within(q, r) for q, r in zip(idx, rule.ranges, strict=True))
    ):
        return _atom_poly(Ind(base, idx))
    mp = {r: q for q, r in zip(idx, rule.ranges, strict=True) if r is not None}
    out = subs_poly(rule.rhs, mp)
    for a in range(1, rule.last):
        other = tuple(a if n == rule.axis else q for n, q in enumerate(idx))
        out = poly_add(out, _atom_poly(Ind(base, other)), Fraction(-1))
    return out



@substitutes(Ind)
def _subs_ind(atom: Ind, mp: Mapping[Ix, Index]) -> Poly:
    return _entry_poly(atom.base, tuple(_idx_subs(a, mp) for a in atom.idx))


def _entry_rules_in_force(out: list) -> bool:
    """The binary and one-hot rules in force (:data:`_ENTRY`) on one monomial's factors."""
    entry = _ENTRY.get()
    return not entry or _apply_entry_rules(out, entry)


MONOMIAL_RULES.append(_entry_rules_in_force)
