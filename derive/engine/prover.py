"""The prover: decide ``lhs = rhs`` for all sizes, or refute it with a counterexample.

1. Derivatives are taken by SymPy (``diff``), leaving sums of Kronecker deltas.
2. Both sides go to the normal form of :mod:`derive.engine.algebra` with the claim's
   assumptions as rewrite rules; ``proved`` only if the difference is exactly 0
   (after the δ case split), and a numeric spot check agrees.
3. Otherwise a counterexample is searched at small concrete sizes with small
   integer inputs; the true side is computed by finite differences of the original
   function (:mod:`derive.engine.numeric`) and must agree with SymPy's derivative there.
   ``refuted`` only with such a point, else ``unknown`` with the residual.

>>> import sympy as sp
>>> K = sp.Symbol("K", integer=True, positive=True)
>>> c, q = sp.symbols("c q", integer=True)
>>> z = sp.IndexedBase("z", shape=(K,))
>>> prove_equal(sp.Sum(sp.exp(z[c]) / sp.Sum(sp.exp(z[q]), (q, 1, K)), (c, 1, K)), 1).status
'proved'
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterable, Iterator

import numpy as np
import sympy as sp
from sympy.core.symbol import Str

import derive.engine.algebra as algebra
import derive.engine.ranges as ranges
from derive.engine.claims import Assumption, Claim, Counterexample, Step, Verdict
from derive.engine.numeric import Point, evaluate
from derive.engine.renaming import same_up_to_bound_names
from derive.engine.scope import Scope, as_expr
from derive.errors import DeriveError

__all__ = ["differentiate", "free_symbols", "freshen", "prove", "prove_equal"]

_RTOL = 1e-6  # two sides "differ" when apart by more than this (FD error is ~1e-9)
_SPOT_RTOL = 1e-5  # the net for a proof: random float inputs, second derivatives by FD


def freshen(expr: sp.Expr, only: set | None = None) -> sp.Expr:
    """Give summation indices fresh names (all of them, or those in ``only``).

    Notes reuse letters (``Σ_l θ_lc x_l`` next to a free ``l``); SymPy's ``diff``
    with respect to ``θ_lm`` would then capture the bound ``l`` and answer wrongly.
    """
    if not expr.args or (only is not None and not (expr.atoms(sp.Symbol) & only)):
        return expr
    args = [freshen(a, only) for a in expr.args]
    if any(a is not b for a, b in zip(args, expr.args, strict=True)):
        expr = expr.func(*args)
    if isinstance(expr, sp.Sum | sp.Product):
        mp = {
            lim[0]: sp.Dummy(str(lim[0]), integer=True)
            for lim in expr.limits
            if only is None or lim[0] in only
        }
        if mp:
            limits = [(mp.get(v, v), lo, hi) for v, lo, hi in expr.limits]
            return expr.func(expr.function.xreplace(mp), *limits)
    return expr


def free_symbols(expr: sp.Basic, bound: frozenset = frozenset()) -> set[sp.Symbol]:
    """Symbols not bound by a Sum or Product, including a Derivative's variables."""
    if isinstance(expr, sp.Symbol):
        return set() if expr in bound else {expr}
    if isinstance(expr, sp.IndexedBase):
        return set()
    if isinstance(expr, sp.Lambda):  # the argument of an undefined function of a vector
        return free_symbols(expr.expr, bound | set(expr.variables))
    if isinstance(expr, Str):
        return set()
    if isinstance(expr, sp.Sum | sp.Product):
        inner = bound | {lim[0] for lim in expr.limits}
        out = free_symbols(expr.function, inner)
        # Limits are innermost first: a limit's range may use the letters of the later
        # (enclosing) ones.
        for p, (_, lo, hi) in enumerate(expr.limits):
            outer = bound | {lim[0] for lim in expr.limits[p + 1 :]}
            out |= free_symbols(lo, outer) | free_symbols(hi, outer)
        return out
    return set().union(*(free_symbols(a, bound) for a in expr.args)) if expr.args else set()


def differentiate(expr: sp.Expr, scope: Scope | None = None) -> sp.Expr:
    """Evaluate every ``Derivative`` node with SymPy's ``diff`` (no ``doit`` on sums).

    Before each ``diff`` the function is put in normal form (value-preserving, and
    without assumptions: ``Σ_k y_k = 1`` must not be used before differentiating by
    ``y``), so that SymPy differentiates ``z_k − log Σ_c e^{z_c}`` rather than the
    log of a quotient, and a second derivative starts from the simplified first.
    """
    if not expr.has(sp.Derivative):
        return expr
    scope = scope or Scope.infer(expr)

    def one(e: sp.Derivative) -> sp.Expr:
        out = e.expr
        for var in e.variables:
            try:
                out = algebra.to_sympy(algebra.to_poly(out, scope), scope, like=e)
            except algebra.Unsupported:
                pass
            out = freshen(out, only=var.atoms(sp.Symbol)).diff(var)
        return out

    return expr.replace(lambda e: isinstance(e, sp.Derivative), one)


def _rules(assumptions: Iterable[Assumption], scope: Scope) -> list:
    """The algebra's rules for the assumptions: ``Σ_k y_k = 1`` as a rewrite of that sum
    (``sums_to_one``, ``one_hot``); ``y^k = y`` and ``y_j y_k = δ_jk y_k`` on entries
    (``binary``, ``one_hot``). ``nonnegative`` licenses no rewrite here: it only shapes
    the inputs the counterexample search and the spot check draw."""
    rules: list = []
    for a in assumptions:
        shape = scope.shape_of(a.base)
        if shape is None:
            raise DeriveError(f"assumption {a}: {a.base} has no shape; declare it in the Scope")
        axis = a.axis % len(shape)
        if a.kind in ("sums_to_one", "one_hot"):
            syms = [sp.Symbol(f"_a{p}", integer=True) for p in range(len(shape))]
            body = a.base[tuple(syms)] if len(syms) > 1 else a.base[syms[0]]
            free = {s: (1, shape[p]) for p, s in enumerate(syms) if p != axis}
            lhs = sp.Sum(body, (syms[axis], 1, shape[axis]))
            rules.append(algebra.make_rule(lhs, sp.Integer(1), free, str(a)))
        if a.kind in ("binary", "one_hot"):
            one_hot_axis = axis if a.kind == "one_hot" else None
            rules.append(algebra.make_entry_rule(a.base, shape, one_hot_axis, str(a)))
    return rules


def prove_equal(
    lhs: sp.Expr,
    rhs: sp.Expr,
    *,
    scope: Scope | None = None,
    assumptions: Iterable[Assumption] = (),
    name: str = "",
    budget: float = 20.0,
    guards: Iterable[sp.Expr] = (),
) -> Verdict:
    """Decide ``lhs = rhs`` for all positive integer sizes and all index values in range.

    Both sides are plain SymPy (``IndexedBase``, ``Sum``, ``KroneckerDelta``, ``exp``,
    ``log``); ``Derivative`` nodes are allowed and evaluated by the prover. ``budget`` is
    the normal form's time limit in seconds (with a size limit beside it); past it the
    verdict is ``unknown`` with the reason. ``guards`` are values the claim writes that SymPy
    may have cancelled (``1/(K - 1)`` in ``(K - 1)/(K - 1)``, :mod:`derive.latex.guards`):
    the spot check under a proof evaluates them beside the sides, and one undefined at the
    sizes and indices of a point (for every input value tried) leaves the claim unproved.

    >>> import sympy as sp
    >>> K = sp.Symbol("K", integer=True, positive=True)
    >>> j, k, c = sp.symbols("j k c", integer=True)
    >>> z = sp.IndexedBase("z", shape=(K,))
    >>> def s(q):
    ...     return sp.exp(z[q]) / sp.Sum(sp.exp(z[c]), (c, 1, K))
    >>> v = prove_equal(sp.Derivative(s(k), z[j]), s(k) * (sp.KroneckerDelta(j, k) - s(j)))
    >>> v.status
    'proved'
    """
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    scope = scope or Scope.infer(lhs, rhs)
    missing = scope.unranged(lhs, rhs)
    if missing:
        names = ", ".join(map(str, missing))
        raise DeriveError(
            f"index {names} has no range: write it in a quantity with a declared shape, or "
            f"pass scope=Scope({{{missing[0]}: (1, K)}}) with its range"
        )
    assumptions = tuple(assumptions)
    start = time.perf_counter()
    verdict = Verdict(name=name, status="unknown", assumptions=tuple(map(str, assumptions)))
    token = algebra._BUDGET.set(algebra.Budget(seconds=budget).start())
    try:
        _decide(verdict, lhs, rhs, scope, assumptions, tuple(guards))
    except RecursionError:
        verdict.status, verdict.counterexample = "unknown", None
        verdict.note = "over budget: the expression is nested too deeply (recursion limit)"
        verdict.residual = lhs - rhs
    finally:
        algebra._BUDGET.reset(token)
    verdict.seconds = time.perf_counter() - start
    return verdict


def _decide(verdict: Verdict, lhs, rhs, scope: Scope, assumptions: tuple,
            guards: tuple = ()) -> None:
    try:
        derived_l, derived_r = differentiate(lhs, scope), differentiate(rhs, scope)
    except algebra.OverBudget as exc:
        verdict.note = f"over budget: {exc}"
        verdict.residual = lhs - rhs
        return
    closed = False
    if lhs.has(sp.Derivative) or rhs.has(sp.Derivative):
        verdict.rules.append("differentiate")
    verdict.rules.append("normal form")
    try:
        rules = _rules(assumptions, scope)
        # Sums over consecutive ranges of one index joined first (engine/ranges.py).
        joined_l, joined_r = ranges.join(derived_l), ranges.join(derived_r)
        plain = algebra.to_poly(joined_l, scope)
        with algebra.traced() as applied:  # what the normal form did, for the record
            left = algebra.to_poly(joined_l, scope, rules)
            right = algebra.to_poly(joined_r, scope, rules)
            residual = algebra.poly_sub(left, right)
            like = sp.Tuple(lhs, rhs)
            used = tuple(a for a in assumptions if f"use {a}" in applied)
            verdict.steps = _steps(plain, left, right, residual, scope, used, like)
            verdict.residual = algebra.to_sympy(residual, scope, like)
            closed = algebra.is_zero(residual, rules)
        if joined_l != derived_l or joined_r != derived_r:
            verdict.rules.append("join consecutive ranges")
        verdict.rules.extend(applied)
    except algebra.OverBudget as exc:
        verdict.note = f"over budget: {exc}"
        verdict.residual = derived_l - derived_r
    except algebra.Unsupported as exc:
        verdict.note = f"outside the decided fragment: {exc}"
        verdict.residual = derived_l - derived_r
        # the same expression up to the names of its bound indices (engine/renaming.py)
        if same_up_to_bound_names(derived_l, derived_r):
            closed, verdict.note = True, ""
            verdict.rules.append("the same up to the names of bound indices")
    search = _Search(lhs, rhs, derived_l, derived_r, scope, assumptions, guards)
    if closed:
        bad = search.spot_check()
        if bad is None:
            verdict.status = "proved"
            verdict.residual = sp.Integer(0)
        elif "cannot evaluate" in bad:
            verdict.note = f"residual 0, but the numeric check {bad['cannot evaluate']}"
        else:  # the algebra and the numbers disagree: never claim a proof
            verdict.note = f"internal inconsistency: residual 0 but numbers differ at {bad}"
    else:
        cex = search.counterexample()
        if cex is not None:
            verdict.status, verdict.counterexample = "refuted", cex


def prove(claim: Claim) -> Verdict:
    """Decide one catalogue entry or user claim; the first step is its statement.

    >>> import sympy as sp
    >>> t = sp.Symbol("t")
    >>> s = sp.Symbol("s")
    >>> claim = Claim("sigmoid_grad", sp.Derivative(s, t), s * (1 - s),
    ...               defs={s: lambda: 1 / (1 + sp.exp(-t))})
    >>> prove(claim).status
    'proved'
    """
    lhs, rhs = claim.expanded()
    verdict = prove_equal(
        lhs, rhs, scope=claim.scope, assumptions=claim.assumptions, name=claim.name
    )
    verdict.steps.insert(0, Step("statement", sp.Eq(claim.lhs, claim.rhs, evaluate=False)))
    return verdict


def _steps(plain, left, right, residual, scope, assumptions, like) -> list[Step]:
    def show(p, scope):
        return algebra.to_sympy(p, scope, like)

    steps = [Step("differentiate and sum the Kronecker deltas", show(plain, scope))]
    if assumptions and left != plain:  # the assumptions the normal form used (traced)
        names = ", ".join(map(str, assumptions))
        steps.append(Step(f"use {names}", show(left, scope)))
    steps.append(Step("claimed closed form, normalised", show(right, scope)))
    pairs = algebra.split_deltas(residual)
    label = "difference"
    if pairs:
        label += " (cases " + "; ".join(f"{a} = {b}, {a} ≠ {b}" for a, b in pairs) + ")"
    steps.append(Step(label, show(residual, scope)))
    return steps


# ---------------------------------------------------------------- counterexamples


class _Search:
    """Small concrete instances of a claim, drawn deterministically."""

    def __init__(self, lhs, rhs, derived_l, derived_r, scope: Scope, assumptions,
                 guards: tuple = ()):
        self.lhs, self.rhs = lhs, rhs
        # the guards whose inputs the sides write or the scope shapes
        sides = {e.base for e in sp.Tuple(lhs, rhs).atoms(sp.Indexed)}
        self.guards = tuple(g for g in guards if all(
            e.base in sides or scope.shape_of(e.base) is not None for e in g.atoms(sp.Indexed)))
        guards = self.guards
        self.derived = (derived_l, derived_r)
        self.scope = scope
        # base name -> (kinds assumed, axis of sums_to_one / one_hot)
        self.constraints: dict[str, tuple[frozenset, int]] = {}
        for a in assumptions:
            kinds, axis = self.constraints.get(str(a.base.label), (frozenset(), -1))
            if a.kind in ("sums_to_one", "one_hot"):
                axis = a.axis
            self.constraints[str(a.base.label)] = (kinds | {a.kind}, axis)
        both = sp.Tuple(lhs, rhs, *guards)
        bases = {e.base for e in both.atoms(sp.Indexed)}
        self.labels = {b: r for b, r in scope.label_bases.items() if b in bases}
        self.bases = sorted(bases - set(self.labels), key=str)
        symbols = free_symbols(both)
        self.free_idx = sorted((s for s in symbols if s in scope.index_ranges), key=str)
        self.shapes = {b: self._shape(b, both) for b in self.bases + list(self.labels)}
        size_syms: set[sp.Symbol] = set()
        for shape in self.shapes.values():
            for s in shape:
                size_syms |= as_expr(s).free_symbols
        for s in self.free_idx:
            for bound in scope.index_ranges[s]:
                size_syms |= as_expr(bound).free_symbols
        for r in self.labels.values():
            for bound in r:
                size_syms |= as_expr(bound).free_symbols
        # a limit that is an enclosing sum's or product's index (Σ_{c=1}^{K} Σ_{j=1}^{c}) is
        # bound, never a size drawn on its own
        bigops = both.atoms(sp.Sum, sp.Product)
        bound = {q[0] for s in bigops for q in s.limits}
        for lim in (q for s in bigops for q in s.limits):
            size_syms |= (lim[1].free_symbols | lim[2].free_symbols) - set(
                scope.index_ranges) - bound
        labels_of = {e.label for e in both.atoms(sp.IndexedBase)}
        scalars = {s for s in symbols if s not in labels_of}
        scalars -= size_syms | set(scope.index_ranges) | bound
        # a size written bare ((K^2 - 1)/(K - 1)) is a size: drawn 1..4, never a real
        bare = {s for s in scalars if s.is_integer and s.is_positive}
        size_syms |= bare
        scalars -= bare
        self.sizes = sorted(size_syms, key=str)
        self.scalars = sorted(scalars, key=str)

    def _shape(self, base: sp.IndexedBase, both: sp.Basic) -> tuple:
        shape = self.scope.shape_of(base)
        if shape is not None:
            return shape
        # No declared shape: the largest range any of its index positions runs over.
        ranges: dict[int, sp.Expr] = {}
        limits = {lim[0]: lim[2] for S in both.atoms(sp.Sum) for lim in S.limits}
        for e in both.atoms(sp.Indexed):
            if e.base != base:
                continue
            for p, q in enumerate(e.indices):
                hi = limits.get(q) or (self.scope.range_of(q) or (None, None))[1]
                if hi is None and q.is_Integer:
                    hi = q
                if hi is None:
                    raise DeriveError(f"cannot tell the shape of {base}: declare it in the Scope")
                ranges[p] = hi if p not in ranges else sp.Max(ranges[p], hi)
        return tuple(ranges[p] for p in sorted(ranges))

    # -- drawing instances
    def _distinct(self) -> dict:
        """Sizes that differ from each other (D=2, K=4, N=3), so that a counterexample
        shows which size goes where."""
        return {s: v for s, v in zip(self.sizes, itertools.cycle((2, 4, 3, 5, 6)))}

    def _size_plans(self) -> Iterator[dict]:
        seen = []
        plans = [self._distinct(), dict.fromkeys(self.sizes, 2)]
        plans += [{**dict.fromkeys(self.sizes, 2), s: 1} for s in self.sizes]
        plans += [dict.fromkeys(self.sizes, 1), dict.fromkeys(self.sizes, 3)]
        plans += [{**dict.fromkeys(self.sizes, 2), s: 3} for s in self.sizes]
        rng = np.random.default_rng(7)
        plans += [{s: int(rng.integers(1, 5)) for s in self.sizes} for _ in range(4)]
        for p in plans:
            if p not in seen:
                seen.append(p)
                yield p

    def _points(
        self, sizes: dict, draws: int, seed: int, spread: bool = False, most: int = 12,
        soft: bool = False,
    ) -> Iterator[Point]:
        """Points at these sizes: small integer inputs (one-hot rows where Σ = 1 is
        assumed; with ``soft``, rows that sum to 1 without being one-hot) for a readable
        counterexample, or with ``spread`` random non-degenerate floats and index values
        over the whole range; every input satisfies the assumptions (:func:`_constrained`)."""
        rng = np.random.default_rng(seed)
        ranges = []
        for s in self.free_idx:
            lo, hi = (int(as_expr(b).subs(sizes)) for b in self.scope.index_ranges[s])
            ranges.append(range(lo, hi + 1))
        combos = list(itertools.product(*ranges))
        if not combos:
            return
        if len(combos) > most:
            # the first and the last combination (every index at an end of its range)
            # and a random spread in between
            middle = rng.choice(range(1, len(combos) - 1), most - 2, replace=False)
            combos = [combos[0], *(combos[q] for q in sorted(middle)), combos[-1]]
        for _ in range(draws):
            arrays = {}
            for b in self.bases:
                shape = tuple(int(as_expr(s).subs(sizes)) for s in self.shapes[b])
                name = str(b.label)
                low = 0.25 if b.is_positive else -1.75
                if name in self.constraints:
                    kinds, axis = self.constraints[name]
                    arrays[name] = _constrained(rng, shape, kinds, axis, spread, soft)
                    if spread:
                        arrays[name] = _pad(rng, arrays[name], sizes, low)
                elif spread:
                    arrays[name] = _pad(rng, rng.uniform(low, 1.75, size=shape), sizes, low)
                else:
                    arrays[name] = rng.integers(-2, 3, size=shape).astype(float)
            for b, (lo, hi) in self.labels.items():
                shape = tuple(int(as_expr(s).subs(sizes)) for s in self.shapes[b])
                lo_, hi_ = int(as_expr(lo).subs(sizes)), int(as_expr(hi).subs(sizes))
                arrays[str(b.label)] = rng.integers(lo_, hi_ + 1, size=shape).astype(float)
            scalars = {}
            for s in self.scalars:
                choices = [1.0, 2.0] if (s.is_positive or s.is_nonnegative) else [-1.0, 1.0, 2.0]
                if spread:
                    scalars[s] = float(rng.uniform(0.25, 1.75) * rng.choice(choices))
                else:
                    scalars[s] = float(rng.choice(choices))
            for combo in combos:
                yield Point(sizes, dict(zip(self.free_idx, combo, strict=True)), arrays, scalars)

    # -- judging a point
    @staticmethod
    def _eval(exprs, pt: Point) -> list[float] | None:
        try:
            vals = [evaluate(e, pt) for e in exprs]
        except (DeriveError, IndexError, KeyError):
            return None
        return vals if all(math.isfinite(v) for v in vals) else None

    @staticmethod
    def _differ(a: float, b: float) -> bool:
        return abs(a - b) > _RTOL * max(1.0, abs(a), abs(b))

    def spot_plans(self) -> list[dict]:
        """Size tuples for the net under a proof: every size takes 1, 2, 3 and 4, and in
        each tuple the sizes differ from each other (D ≠ K ≠ N)."""
        if not self.sizes:
            return [{}]
        return [
            {s: 1 + (p + t) % 4 for p, s in enumerate(self.sizes)} for t in range(4)
        ]

    def spot_check(self) -> dict | None:
        """For a proved claim: the two sides agree at random points of several sizes.

        Returns None when they agree everywhere, else the point where they differ, or
        ``{"cannot evaluate": why}`` when a point cannot be evaluated (then the claim is
        not proved: a net with holes is no net).
        """
        for t, sizes in enumerate(self.spot_plans()):
            for pt in self._points(sizes, 1, seed=11 + t, spread=True, most=6):
                try:
                    vals = [evaluate(e, pt) for e in (self.lhs, self.rhs)]
                except (DeriveError, IndexError, KeyError) as exc:
                    return {"cannot evaluate": f"cannot evaluate at {self._where(pt)}: {exc}"}
                if not all(math.isfinite(v) for v in vals):
                    return {"cannot evaluate": f"gives {vals[0]} = {vals[1]} at "
                            f"{self._where(pt)}"}
                undefined = self._undefined_guard(pt)
                if undefined is not None:
                    g, at = undefined
                    shown = "; ".join(x for x in (self._where(at) if at.sizes or at.indices
                                                  else "", ", ".join(
                        f"{s}={v:.3g}" for s, v in at.scalars.items())) if x) or "a point"
                    return {"cannot evaluate": f"finds {g}, which the step writes, undefined "
                            f"at {shown}"}
                if abs(vals[0] - vals[1]) > _SPOT_RTOL * max(1.0, abs(vals[0]), abs(vals[1])):
                    return self._cex(pt, vals).as_dict()
        return None

    def _undefined_guard(self, pt: Point) -> tuple[sp.Expr, Point] | None:
        """A guard (a value the claim writes, see :func:`prove_equal`) undefined at the
        sizes and indices of ``pt`` whatever the inputs, with that point: undefined at
        ``pt``, at the inputs' absolute values and at a tenth of them. So a guard judges a
        value 0 at a size or an index (``1/(K - 1)`` at K = 1, ``1/(z_j - z_k)`` at j = k,
        ``\\log`` of an empty sum), never the inputs' values (a log or a root of an input,
        ``\\log(1 - \\hat y)``, is the author's positive quantity, as the corpus reads
        ``e^{\\ln C} = C``). A guard the point gives no value to is not judged."""
        draws = [pt, *(Point(pt.sizes, pt.indices,
                             {n: f * np.abs(a) for n, a in pt.arrays.items()},
                             {s: f * abs(v) for s, v in pt.scalars.items()})
                       for f in (1.0, 0.1))]
        for g in self.guards:
            try:
                if not any(math.isfinite(evaluate(g, at)) for at in draws):
                    return g, pt
            except (DeriveError, IndexError, KeyError, TypeError):
                continue
        return None

    @staticmethod
    def _where(pt: Point) -> str:
        sizes = ", ".join(f"{s}={v}" for s, v in pt.sizes.items())
        idx = ", ".join(f"{s}={v}" for s, v in pt.indices.items())
        return "; ".join(x for x in (sizes, idx) if x) or "the point"

    def counterexample(self) -> Counterexample | None:
        """The first point with a clear gap (≥ 5%); else the widest gap seen, if any.

        One-hot label rows are tried first (the readable counterexample); where only
        ``Σ = 1`` is assumed, rows that sum to 1 without being one-hot come next (soft
        labels with ``nonnegative``, small signed integers without), so a claim that holds
        only for one-hot labels is refuted."""
        found = self._search(soft=False)
        soft = any(
            "sums_to_one" in kinds and not kinds & {"one_hot", "binary"}
            for kinds, _ in self.constraints.values()
        )
        if found is None and soft:
            found = self._search(soft=True)
        if found is None or isinstance(found, Counterexample):
            return found
        return self._cex(found[1], found[2])

    def _search(self, soft: bool) -> Counterexample | tuple | None:
        """A point with a clear gap, else (gap, point, values) of the widest gap seen."""
        best: tuple[float, Point, list[float]] | None = None
        for p, sizes in enumerate(self._size_plans()):
            for pt in self._points(sizes, 3, seed=p, soft=soft):
                vals = self._eval((self.lhs, self.rhs), pt)
                if vals is None or not self._differ(*vals):
                    continue
                # Confirm with SymPy's derivative at the same point: both must differ.
                sym = self._eval(self.derived, pt)
                if (
                    sym is None
                    or not self._differ(*sym)
                    or self._differ(vals[0], sym[0])
                    or self._differ(vals[1], sym[1])
                ):
                    continue
                gap = abs(vals[0] - vals[1]) / max(1.0, abs(vals[0]), abs(vals[1]))
                if gap >= 0.05:
                    return self._cex(pt, vals)
                if best is None or gap > best[0]:
                    best = (gap, pt, vals)
        return best

    def _cex(self, pt: Point, vals) -> Counterexample:
        values: dict = {k: _plain(v) for k, v in pt.arrays.items()}
        values |= {str(s): _plain(v) for s, v in pt.scalars.items()}
        return Counterexample(
            sizes={str(s): int(v) for s, v in pt.sizes.items()},
            indices={str(s): int(v) for s, v in pt.indices.items()},
            values=values,
            # Finite differences are good to ~1e-10 here: more digits would be noise
            # (a true 0 would read 7e-11).
            lhs=round(vals[0], 9) + 0.0,
            rhs=float(f"{vals[1]:.12g}"),
        )


def _constrained(
    rng: np.random.Generator, shape: tuple, kinds: frozenset, axis: int, spread: bool,
    soft: bool,
) -> np.ndarray:
    """Inputs satisfying every assumed kind: one-hot rows (``one_hot``, or ``binary`` with
    ``sums_to_one``); {0, 1} entries (``binary``); rows summing to 1 (``sums_to_one``):
    one-hot for a readable counterexample, else soft (positive, with ``nonnegative``) or
    signed; values ≥ 0 (``nonnegative``)."""
    binary = bool(kinds & {"binary", "one_hot"})
    total = bool(kinds & {"sums_to_one", "one_hot"})
    nonneg = "nonnegative" in kinds
    if binary and total:
        return _one_hot(rng, shape, axis)
    if binary:
        return rng.integers(0, 2, size=shape).astype(float)
    if total and spread:
        return _probabilities(rng, shape, axis) if nonneg else _signed_rows(rng, shape, axis)
    if total and soft:
        if nonneg:  # small fractions a person can check: rows like (1/4, 3/4)
            return _probabilities(rng, shape, axis, rng.integers(1, 4, size=shape))
        return _signed_rows(rng, shape, axis, integer=True)
    if total:
        return _one_hot(rng, shape, axis)
    if spread:
        return rng.uniform(0.0, 1.75, size=shape)
    return rng.integers(0, 3, size=shape).astype(float)


def _signed_rows(
    rng: np.random.Generator, shape: tuple, axis: int, integer: bool = False
) -> np.ndarray:
    """Rows summing to 1 along ``axis`` with entries of both signs (small integers, or
    floats): the last entry of each row makes up the difference."""
    if not shape or shape[axis] == 0:
        return np.zeros(shape)
    w = rng.integers(-2, 3, size=shape).astype(float) if integer else rng.uniform(
        -1.75, 1.75, size=shape)
    moved = np.moveaxis(w, axis, -1)
    moved[..., -1] = 1.0 - moved[..., :-1].sum(axis=-1)
    return np.moveaxis(moved, -1, axis)


def _one_hot(rng: np.random.Generator, shape: tuple, axis: int) -> np.ndarray:
    out = np.zeros(shape)
    if not shape or shape[axis] == 0:
        return out
    moved = np.moveaxis(out, axis, -1)
    flat = moved.reshape(-1, shape[axis])
    flat[np.arange(flat.shape[0]), rng.integers(0, shape[axis], size=flat.shape[0])] = 1.0
    return np.moveaxis(flat.reshape(moved.shape), -1, axis)


def _pad(rng: np.random.Generator, arr: np.ndarray, sizes: dict, low: float) -> np.ndarray:
    """``arr`` grown along every axis with random entries.

    A proof in the normal form holds for every value of every entry, so the net may read
    entries past a declared shape (a statement that writes ``w_i`` with ``i`` in 1..N for
    a K-row ``w``); a sum whose range runs past the shape then reads random numbers there
    and is caught instead of skipped.
    """
    big = 2 * max(sizes.values(), default=1) + 2
    out = rng.uniform(low, 1.75, size=tuple(max(n, big) for n in arr.shape))
    out[tuple(slice(0, n) for n in arr.shape)] = arr
    return out


def _probabilities(
    rng: np.random.Generator, shape: tuple, axis: int, weights: np.ndarray | None = None
) -> np.ndarray:
    """Positive rows that sum to 1 along ``axis`` (soft labels), from random ``weights``."""
    if not shape or shape[axis] == 0:
        return np.zeros(shape)
    w = rng.uniform(0.2, 1.0, size=shape) if weights is None else weights.astype(float)
    return w / w.sum(axis=axis, keepdims=True)


def _plain(v):
    """Arrays as nested lists of ints where exact (a person checks them by hand)."""
    arr = np.asarray(v)
    if np.all(arr == np.round(arr)):
        return np.asarray(arr, dtype=np.int64).tolist()
    return arr.tolist()
