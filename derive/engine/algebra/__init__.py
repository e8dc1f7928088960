"""Index-range-aware sum algebra: a canonical form for sums of Kronecker deltas.

SymPy leaves ``Σ_c f(c) δ_cj`` over a symbolic range unevaluated (or returns a
Piecewise on ``j ≤ K``), so it cannot close softmax proofs. This package puts an
expression into a normal form in which equal things look equal:

* a *polynomial* is a map ``factors -> coefficient`` (exact ``Fraction``);
  ``factors`` is a sorted tuple of ``(atom, exponent)`` and has no free dummies;
* every sum is folded into a closed ``SumAtom``: factors free of its dummies are
  pulled out (linearity), a body splits into one sum per connected group of
  dummies, nested dummies become nested sums, and dummies get canonical names
  (alpha-equivalent sums become the same atom);
* ``Σ_c δ_ce f(c) = f(e)`` is applied only when ``range(e) ⊆ range(c)`` is
  *provable* for positive integer sizes (never by assuming the condition);
* assumptions such as ``Σ_k y_k = 1`` are rewrite rules on sum atoms.

Whatever cannot be represented raises :class:`Unsupported`; the prover turns that
into ``unknown``, never ``proved``.

The modules, each below the next in the import order (no cycle):

* :mod:`.context`: :class:`Unsupported`, the :class:`Budget`, the trace of applied rules;
* :mod:`.registry`: :data:`RULES`, one entry per rewrite rule with its side conditions;
* :mod:`.terms`: the representation (indices, atoms, polynomials) and the dispatch tables
  the rules fill (an atom's substitution by its class, the monomial rules);
* :mod:`.powers`, :mod:`.sums`, :mod:`.assumptions`: the rewrite rules;
* :mod:`.convert`, :mod:`.zero`: the driver (SymPy -> normal form; is it zero?);
* :mod:`.printing`: normal form -> SymPy.

>>> import sympy as sp
>>> from derive.engine.scope import Scope
>>> K = sp.Symbol("K", integer=True, positive=True)
>>> c, j = sp.symbols("c j", integer=True)
>>> x = sp.IndexedBase("x", shape=(K,))
>>> scope = Scope(index_ranges={j: (1, K)})
>>> to_poly(sp.Sum(sp.KroneckerDelta(c, j) * x[c], (c, 1, K)), scope) == to_poly(x[j], scope)
True
"""

from derive.engine.algebra.assumptions import EliminationRule, EntryRule, make_entry_rule
from derive.engine.algebra.context import (
    _BUDGET,
    _NO_LIMIT,
    Budget,
    OverBudget,
    Unsupported,
    trace_rule,
    traced,
)
from derive.engine.algebra.convert import make_rule, to_poly
from derive.engine.algebra.printing import to_sympy
from derive.engine.algebra.registry import RULES, Rule
from derive.engine.algebra.sums import RewriteRule
from derive.engine.algebra.terms import Poly, poly_key, poly_sub
from derive.engine.algebra.zero import _divide, is_zero, split_deltas

__all__ = [
    "RULES",
    "Budget",
    "EliminationRule",
    "EntryRule",
    "OverBudget",
    "Poly",
    "RewriteRule",
    "Rule",
    "Unsupported",
    "is_zero",
    "make_entry_rule",
    "make_rule",
    "poly_key",
    "poly_sub",
    "split_deltas",
    "to_poly",
    "to_sympy",
    "trace_rule",
    "traced",
]

# names the prover and the soundness tests reach for (kept, not public)
_ = (_BUDGET, _NO_LIMIT, _divide)
