"""Fold the engine's expanded forms back into the abbreviations a family declares.

The prover works on fully expanded expressions: every ``σ_k`` is the fraction
``exp(Σ_l θ_lk x_l) / Σ_c exp(Σ_l θ_lc x_l)``. A report must read ``σ_k``. A family's
:class:`~derive.models.family.Notation` lists its folds (``symbol`` ← ``form``); this
module finds each form in an expression, whatever the names of its summation indices,
and puts the symbol back. Nothing here knows a model letter: the forms are the
family's. Every rewrite is an identity, so a folded step equals the step the engine took.

Two kinds of form are recognised:

- a *normalised exponential* ``e^{u_q} / Σ_c e^{u_c}`` (``u`` an indexed quantity): its
  fractions are folded inside products and powers, with any common scale of the
  exponents (a temperature) and any leading indices (a sample), and a left-over
  ``1/Σ_c e^{u_c}`` is taken into a sum over the same classes;
- any other form is a *pattern*, matched node by node (sums and products in any order;
  a sum's terms may be a part of a larger sum, or all negated, or split over a product
  of exponentials); a pattern that is a power ``B^e`` also folds ``B^p`` (``p ≠ 1``)
  into ``symbol^{p/e}``.

>>> import sympy as sp
>>> from derive.models.family import Fold, Notation
>>> a, s = sp.IndexedBase("a"), sp.Symbol("s")
>>> q, d = sp.symbols("q d", integer=True)
>>> total = Notation(folds=(Fold(s, sp.Sum(a[q], (q, 1, 3))),))
>>> fold(2 * sp.Sum(a[d], (d, 1, 3)), total)
2*s
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sympy as sp

from derive.engine.scope import as_expr
from derive.models.family import Fold, Notation

__all__ = ["fold", "merge", "tidy_dummies", "unfolded"]

Env = dict[sp.Basic, sp.Basic]


def merge(notations: Iterable[Notation]) -> Notation:
    """One notation holding every given one's folds, names, orders and letters
    (the first to name a thing wins)."""
    folds: list[Fold] = []
    names: dict[str, str] = {}
    order: list[tuple] = []
    dummies: dict = {}
    letters: dict = {}
    for n in notations:
        folds.extend(f for f in n.folds if f not in folds)
        order.extend(n.factor_order)
        for mine, theirs in ((names, n.names), (dummies, n.dummies), (letters, n.letters)):
            for key, value in theirs.items():
                mine.setdefault(key, value)
    return Notation(folds=tuple(folds), names=names, factor_order=tuple(order),
                    dummies=dummies, letters=letters)


def _rebuild(expr: sp.Basic, rule: Callable[[sp.Basic], sp.Basic]) -> sp.Basic:
    """Apply ``rule`` bottom-up (children first), rebuilding every node."""
    if not expr.args or isinstance(expr, sp.Indexed | sp.IndexedBase):
        return rule(expr)
    args = tuple(_rebuild(a, rule) for a in expr.args)
    if args != expr.args:
        expr = expr.func(*args)
    return rule(expr)


def _topdown(expr: sp.Basic, rule: Callable[[sp.Basic], sp.Basic | None]) -> sp.Basic:
    """Replace the largest nodes ``rule`` folds; look inside the others (and inside what
    a fold leaves, e.g. the rest of a sum)."""
    for _ in range(16):  # a sum may hold the form more than once
        folded = rule(expr)
        if folded is None or folded == expr:
            break
        expr = folded
    return _children(expr, rule)


def _children(expr: sp.Basic, rule: Callable[[sp.Basic], sp.Basic | None]) -> sp.Basic:
    if not expr.args or isinstance(expr, sp.Indexed | sp.IndexedBase):
        return expr
    args = tuple(_topdown(a, rule) for a in expr.args)
    return expr.func(*args) if args != expr.args else expr


# --------------------------------------------------------------------------- patterns


def _same_atom(pat: sp.Basic, expr: sp.Basic) -> bool:
    """Atoms compare by name: the engine strips shapes and may rebuild assumptions."""
    if isinstance(pat, sp.IndexedBase):
        return isinstance(expr, sp.IndexedBase) and str(pat.label) == str(expr.label)
    if isinstance(pat, sp.Symbol):
        return isinstance(expr, sp.Symbol) and pat.name == expr.name
    return pat == expr


def _match(pat: sp.Basic, expr: sp.Basic, holes: frozenset, env: Env,
           bound: frozenset) -> Env | None:
    """Bindings extending ``env`` under which ``pat`` is ``expr``, or ``None``.

    ``holes`` bind to anything free of the expression's bound variables ``bound``; a
    summation index of the pattern binds to the expression's own summation index.
    """
    if pat in env:
        return env if env[pat] == expr else None
    if pat in holes:
        if expr.free_symbols & bound:
            return None
        return {**env, pat: expr}
    if not pat.args or isinstance(pat, sp.IndexedBase):
        return env if _same_atom(pat, expr) else None
    scaled = _scaled_hole(pat, holes)
    if scaled is not None and scaled[1] not in env:  # −u matches −t, and z₂ − z₁ as u = z₁ − z₂
        coeff, hole = scaled
        return _match(hole, sp.expand(expr / coeff), holes, env, bound)
    if isinstance(pat, sp.Sum):
        if not isinstance(expr, sp.Sum) or len(pat.limits) != len(expr.limits):
            return None
        for (pv, plo, phi), (ev, elo, ehi) in zip(pat.limits, expr.limits, strict=True):
            for p, e in ((plo, elo), (phi, ehi)):
                env = _match(p, e, holes, env, bound)
                if env is None:
                    return None
            env, bound = {**env, pv: ev}, bound | {ev}
        return _match(pat.function, expr.function, holes, env, bound)
    if pat.func != expr.func or len(pat.args) != len(expr.args):
        return None
    if isinstance(pat, sp.Add | sp.Mul):
        for order in itertools.permutations(expr.args):
            found = _match_all(pat.args, order, holes, env, bound)
            if found is not None:
                return found
        return None
    return _match_all(pat.args, expr.args, holes, env, bound)


def _scaled_hole(pat: sp.Basic, holes: frozenset) -> tuple[sp.Expr, sp.Symbol] | None:
    """``pat`` = a number times a placeholder → ``(number, placeholder)``."""
    if not isinstance(pat, sp.Mul):
        return None
    coeff, rest = pat.as_coeff_Mul()
    if coeff.is_Number and coeff != 1 and rest in holes:
        return coeff, rest
    return None


def _match_all(pats, exprs, holes, env, bound) -> Env | None:
    for p, e in zip(pats, exprs, strict=True):
        env = _match(p, e, holes, env, bound)
        if env is None:
            return None
    return env


def _within_sum(form: sp.Add, terms: tuple[sp.Basic, ...], holes: frozenset):
    """``terms`` = a multiple of the form's terms (``−t``, ``−2t``) + others →
    ``(factor, env, indices of the chosen terms)``."""
    if len(terms) < len(form.args):
        return None
    factors = [sp.S.One, sp.S.NegativeOne]
    for t in terms:
        coeff = t.as_coeff_Mul()[0]
        if coeff.is_Rational and coeff != 0 and coeff not in factors:
            factors.append(coeff)
    for sign in factors:
        signed = [t / sign for t in terms]
        for chosen in itertools.permutations(range(len(terms)), len(form.args)):
            env = _match_all(form.args, [signed[i] for i in chosen], holes, {}, frozenset())
            if env is not None:
                return sign, env, set(chosen)
    return None


@dataclass(frozen=True)
class _Pattern:
    fold: Fold

    def __call__(self, expr: sp.Basic) -> sp.Basic | None:
        form, symbol = self.fold.form, self.fold.symbol
        holes = frozenset(self.fold.holes)
        env = _match(form, expr, holes, {}, frozenset())
        if env is not None:
            return symbol.xreplace(env)
        if isinstance(form, sp.Add) and isinstance(expr, sp.Add):
            found = _within_sum(form, expr.args, holes)
            if found is not None:
                sign, env, chosen = found
                rest = [t for i, t in enumerate(expr.args) if i not in chosen]
                return sp.Add(sign * symbol.xreplace(env), *rest)
        if isinstance(form, sp.Add) and isinstance(expr, sp.Mul):
            # e^{a} e^{b} is e^{a + b}: the form may be split over exponentials
            exps = [f for f in expr.args if isinstance(f, sp.exp)]
            found = _within_sum(form, tuple(f.args[0] for f in exps), holes)
            if found is not None and len(exps) > 1:
                sign, env, chosen = found
                rest = [f for f in expr.args if f not in [exps[i] for i in chosen]]
                return sp.Mul(sp.exp(sign * symbol.xreplace(env)), *rest)
        if isinstance(form, sp.Add) and isinstance(expr, sp.Mul):
            inside = self._into_sum(expr)
            if inside is not None:
                return inside
        if isinstance(form, sp.Mul) and isinstance(expr, sp.Mul):
            found = _within_product(form, expr.args, holes)
            if found is not None:
                power, env, chosen = found
                rest = [f for i, f in enumerate(expr.args) if i not in chosen]
                return sp.Mul(symbol.xreplace(env) ** power, *rest)
        if isinstance(form, sp.Pow) and form.exp.is_Number:
            base, power = expr.as_base_exp() if isinstance(expr, sp.Pow) else (expr, sp.S.One)
            # only a power: a bare ``1 + e^{−t}`` stays as written (``log(1 + e^{−t})``
            # is the softplus a reader expects, not ``log(1/s)``)
            if power.is_Number and power != 1 and not isinstance(base, sp.Symbol | sp.Indexed):
                env = _match(form.base, base, holes, {}, frozenset())
                if env is not None:
                    return symbol.xreplace(env) ** (power / form.exp)
        return None

    def _into_sum(self, expr: sp.Mul) -> sp.Basic | None:
        """``e^{b} Σ_n g_n e^{u_n}`` → ``Σ_n g_n e^{b + u_n}`` when the form is then found
        inside the sum (an engine that pulls a constant factor out of a sum splits it)."""
        sums = [f for f in expr.args if isinstance(f, sp.Sum)]
        if len(sums) != 1:
            return None
        total = sums[0]
        dummies = {v for v, _, _ in total.limits}
        outside = [f for f in expr.args if isinstance(f, sp.exp)
                   and not f.free_symbols & dummies]
        if not outside:
            return None
        body = sp.Add(*(sp.Mul(term, *outside) for term in sp.Add.make_args(total.function)))
        folded = _topdown(body, self)
        if folded == body or any(folded.has(f) for f in outside):
            return None
        rest = [f for f in expr.args if f is not total and f not in outside]
        return sp.Mul(sp.Sum(folded, *total.limits), *rest)


def _within_product(form: sp.Mul, factors: tuple[sp.Basic, ...], holes: frozenset):
    """``factors`` = the form's factors raised to a whole power (``e^{2t} (1 + e^t)^{-2}``
    is the square of ``e^t/(1 + e^t)``) + others → ``(power, env, chosen indices)``."""
    if len(factors) < len(form.args):
        return None
    for power in (1, 2, 3, 4, -1, -2):
        powered = [f**power for f in form.args]
        for chosen in itertools.permutations(range(len(factors)), len(powered)):
            env = _match_all(powered, [factors[i] for i in chosen], holes, {}, frozenset())
            if env is not None:
                return power, env, set(chosen)
    return None


# --------------------------------------------------------------------------- normalised


@dataclass(frozen=True)
class _Normalised:
    """``symbol[*prefix, q] = e^{scale·u[*prefix, q]} / Σ_{c=lo}^{hi} e^{scale·u[*prefix, c]}``."""

    symbol: sp.IndexedBase
    exponent: str  # the label of ``u``
    lo: sp.Expr
    hi: sp.Expr

    @staticmethod
    def of(fold: Fold) -> _Normalised | None:
        """The fold read as a normalised exponential, if it is one."""
        sym, form = fold.symbol, fold.form
        if not isinstance(sym, sp.Indexed) or not isinstance(form, sp.Mul):
            return None
        num = [f for f in form.args if isinstance(f, sp.exp)]
        den = [f for f in form.args if isinstance(f, sp.Pow) and f.exp == -1
               and isinstance(f.base, sp.Sum)]
        if len(num) != 1 or len(den) != 1 or len(form.args) != 2:
            return None
        u, total = num[0].args[0], den[0].base
        if not isinstance(u, sp.Indexed) or len(total.limits) != 1:
            return None
        c, lo, hi = total.limits[0]
        q = u.indices[-1]
        if u.indices != sym.indices or total.function != sp.exp(u.xreplace({q: c})):
            return None
        return _Normalised(sym.base, str(u.base.label), lo, hi)

    # A "key" identifies a family u_{prefix, ·} scaled by a common factor (1 or 1/T).
    def _is_u(self, f: sp.Basic) -> bool:
        return isinstance(f, sp.Indexed) and str(f.base.label) == self.exponent

    def _parts(self, u: sp.Expr):
        """``scale · u[*prefix, q]`` → ``((scale, prefix), q)``."""
        us = [f for f in sp.Mul.make_args(u) if self._is_u(f)]
        if len(us) != 1:
            return None
        scale = sp.Mul(*[f for f in sp.Mul.make_args(u) if f is not us[0]])
        if any(self._is_u(a) for a in sp.preorder_traversal(scale)):
            return None
        return (scale, tuple(us[0].indices[:-1])), us[0].indices[-1]

    def _partition_key(self, s: sp.Expr):
        """``Σ_d exp(scale · u[*prefix, d])`` over ``d = lo..hi`` → its key."""
        if not isinstance(s, sp.Sum) or len(s.limits) != 1:
            return None
        d, lo, hi = s.limits[0]
        if lo != self.lo or str(hi) != str(self.hi) or not isinstance(s.function, sp.exp):
            return None
        parts = self._parts(s.function.args[0])
        if parts is None or parts[1] != d:
            return None
        key = parts[0]
        if key[0].has(d) or any(p.has(d) for p in key[1]):
            return None
        return key

    def _exp_terms(self, f: sp.Expr):
        """``exp(u₁ − 2u₂)``, each ``u`` scaled → ``[(key₁, q₁, 1), (key₂, q₂, −1) ×2]``."""
        if not isinstance(f, sp.exp):
            return None
        out = []
        for term in sp.Add.make_args(f.args[0]):
            coeff, rest = term.as_coeff_Mul()
            if not (coeff.is_Integer and coeff != 0):
                coeff, rest = sp.Integer(1), term
            parts = self._parts(rest)
            if parts is None:
                return None
            sign = 1 if coeff > 0 else -1
            out.extend([(*parts, sign)] * abs(int(coeff)))
        return out

    def _sym(self, key, q: sp.Expr, sign: int = 1) -> sp.Expr:
        s = self.symbol[(*key[1], q)] if key[1] else self.symbol[q]
        return s if sign > 0 else 1 / s

    def __call__(self, expr: sp.Basic) -> sp.Basic:
        if isinstance(expr, sp.Pow):
            expr = sp.Mul(expr, evaluate=False)  # a lone 1/Σ_c e^{u_c} keeps its shape
        if not isinstance(expr, sp.Mul):
            return expr
        budget: dict = {}  # how many 1/S factors of each key are free
        denominators: dict = {}
        rest: list[sp.Expr] = []
        for f in sp.Mul.make_args(expr):
            base, power = f.as_base_exp()
            key = self._partition_key(base)
            if key is not None and power.is_Integer:
                budget[key] = budget.get(key, 0) - int(power)
                denominators[key] = base
            else:
                rest.append(f)
        if not budget:
            return expr
        out: list[sp.Expr] = []
        for f in rest:
            terms = self._exp_terms(f)
            if terms is not None:
                used: dict = {}  # e^{u} uses a 1/S, e^{-u} uses an S
                for key, _, sign in terms:
                    used[key] = used.get(key, 0) + sign
                if all(abs(budget.get(key, 0)) >= abs(cnt) and budget.get(key, 0) * cnt >= 0
                       for key, cnt in used.items()):
                    for key, q, sign in terms:
                        budget[key] -= sign
                        out.append(self._sym(key, q, sign))
                    continue
            out.append(f)
        # A remaining 1/S goes into a sum over the same classes: Σ_c e^{u_c} g_c / S = Σ_c σ_c g_c.
        for idx, f in enumerate(out):
            if not isinstance(f, sp.Sum) or len(f.limits) != 1:
                continue
            d = f.limits[0][0]
            for key, left in budget.items():
                if left > 0 and d not in denominators[key].free_symbols:
                    inner = self(sp.Mul(f.function, denominators[key] ** -1))
                    if not inner.has(denominators[key]):
                        out[idx] = sp.Sum(inner, *f.limits)
                        budget[key] -= 1
                        break
        leftover = [denominators[key] ** -cnt for key, cnt in budget.items() if cnt != 0]
        return sp.Mul(*out, *leftover)


# --------------------------------------------------------------------------- fold


def _passes(notation: Notation) -> list[Callable[[sp.Basic], sp.Basic]]:
    out: list[Callable[[sp.Basic], sp.Basic]] = []
    for f in notation.folds:
        norm = _Normalised.of(f)
        if norm is not None:
            if not any(p == norm for p in out):
                out.append(norm)
            continue
        pattern = _Pattern(f)
        out.append(lambda e, pattern=pattern: _topdown(e, pattern))
    return out


def fold(expr: sp.Expr, notation: Notation) -> sp.Expr:
    """Every declared form in ``expr`` replaced by its symbol (an identity rewrite)."""
    expr = as_expr(expr)
    for step in _passes(notation):
        expr = _rebuild(expr, step) if isinstance(step, _Normalised) else step(expr)
    return expr


def unfolded(notation: Notation) -> Notation:
    """The same notation with no folds (to print a definition itself)."""
    from dataclasses import replace

    return replace(notation, folds=())


# --------------------------------------------------------------------------- dummies

_SPARE = "pqrstuvw"


def tidy_dummies(expr: sp.Expr, notation: Notation | None = None,
                 taken: frozenset[str] = frozenset()) -> sp.Expr:
    """Rename summation indices to the letters the notation gives their range (its
    ``dummies``, e.g. ``n`` over samples), never to a letter already in use.

    >>> K = sp.Symbol("K", integer=True, positive=True)
    >>> y, k, d = sp.IndexedBase("y"), sp.Symbol("k", integer=True), sp.Symbol("d", integer=True)
    >>> tidy_dummies(sp.Sum(y[d], (d, 1, K)) * y[k], Notation(dummies={K: "ck"}))
    y[k]*Sum(y[c], (c, 1, K))
    """
    pools = {str(size): letters for size, letters in (notation.dummies if notation else {}).items()}
    return _tidy(expr, pools, taken)


def _tidy(expr: sp.Expr, pools: dict[str, str], taken: frozenset[str]) -> sp.Expr:
    if not isinstance(expr, sp.Basic) or not expr.args:
        return expr
    taken = taken | {s.name for s in expr.free_symbols if isinstance(s, sp.Symbol)}
    if isinstance(expr, sp.Sum):
        body, limits = expr.function, []
        for v, lo, hi in expr.limits:
            pool = pools.get(str(hi), "") + _SPARE
            name = next((ch for ch in pool if ch not in taken), None)
            if name is not None and name != v.name:
                new = sp.Symbol(name, integer=True)
                body = body.xreplace({v: new})
                v = new
            taken = taken | {v.name}
            limits.append((v, lo, hi))
        return sp.Sum(_tidy(body, pools, taken), *limits)
    args = tuple(_tidy(a, pools, taken) if isinstance(a, sp.Expr) else a for a in expr.args)
    return expr.func(*args) if args != expr.args else expr
