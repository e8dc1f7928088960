"""The rows of a ``cases`` block: which rows can apply at once, and whether they cover
every index value.

A row's condition is an indicator (a Kronecker delta ``δ_ij`` or ``1 − δ_ij``), and the
truth of such conditions depends only on which indices are equal to each other and to
the numbers written in them. So the check enumerates index values: with n index symbols
and written numbers up to M, the values 1..M+n realise every pattern of equalities.
Conditions on anything else (``k + 1 = j``, more than six indices) are not enumerated and
the answer is ``exact = False``: callers then treat every pair of rows as possibly
overlapping and coverage as unknown (never the lucky answer).

>>> import sympy as sp
>>> i, j, k = sp.symbols("i j k", integer=True)
>>> t = analyse([sp.KroneckerDelta(i, j), sp.KroneckerDelta(j, k)])
>>> t.exact, t.overlaps, t.covered
(True, ((0, 1),), False)
>>> analyse([sp.KroneckerDelta(i, j), 1 - sp.KroneckerDelta(i, j)]).overlaps
()
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

__all__ = ["CaseTable", "analyse"]

MAX_ASSIGNMENTS = 200_000


@dataclass(frozen=True)
class CaseTable:
    """``overlaps``: pairs of rows (by position among the conditioned rows) that can both
    apply; ``covered``: some row applies at every index value; ``witness``: index values
    (by name) at which the first overlap, or else a gap, occurs. ``exact`` is False when
    the conditions could not be enumerated: then every pair is listed as overlapping and
    ``covered`` is False."""

    exact: bool
    overlaps: tuple[tuple[int, int], ...]
    covered: bool
    witness: dict[str, int]


def _plain(weights: list[sp.Expr]) -> bool:
    """Every delta compares a symbol or a whole number with a symbol or a whole number."""
    for w in weights:
        for d in w.atoms(sp.KroneckerDelta):
            if not all(a.is_Symbol or a.is_Integer for a in d.args):
                return False
        if not w.free_symbols <= {s for d in w.atoms(sp.KroneckerDelta)
                                  for s in d.free_symbols}:
            return False
    return True


def analyse(weights: list[sp.Expr]) -> CaseTable:
    """Overlap and coverage of rows whose conditions are the indicators ``weights``."""
    n = len(weights)
    every_pair = tuple(itertools.combinations(range(n), 2))
    unknown = CaseTable(exact=False, overlaps=every_pair, covered=False, witness={})
    # labels (y_n) are values like indices: stand-ins for the enumeration
    stand = {a: sp.Dummy(str(a)) for w in weights for a in w.atoms(sp.Indexed)}
    weights = [w.xreplace(stand) for w in weights]
    if not _plain(weights):
        return unknown
    syms = sorted(set().union(*(w.free_symbols for w in weights)), key=str)
    numbers = [int(a) for w in weights for d in w.atoms(sp.KroneckerDelta)
               for a in d.args if a.is_Integer]
    top = max([0, *numbers]) + len(syms)
    if len(syms) > 6 or max(top, 1) ** len(syms) > MAX_ASSIGNMENTS:
        return unknown
    evaluate = sp.lambdify(syms, weights,
                           modules=[{"KroneckerDelta": lambda a, b: int(a == b)}])
    overlaps: set[tuple[int, int]] = set()
    covered = True
    witness: dict[str, int] = {}
    gap: dict[str, int] = {}
    names = {s: str(s) for s in syms}
    names |= {d: str(a) for a, d in stand.items()}
    for values in itertools.product(range(1, top + 1), repeat=len(syms)):
        row = evaluate(*values)
        on = [r for r in range(n) if row[r]]
        for pair in itertools.combinations(on, 2):
            if pair not in overlaps and not witness:
                witness = {names[s]: v for s, v in zip(syms, values, strict=True)}
            overlaps.add(pair)
        if not on and covered:
            covered = False
            gap = {names[s]: v for s, v in zip(syms, values, strict=True)}
    return CaseTable(exact=True, overlaps=tuple(sorted(overlaps)), covered=covered,
                     witness=witness or gap)
