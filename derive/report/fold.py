"""Fold the engine's expanded forms back into the abbreviations people write.

The prover works on fully expanded expressions: every ``σ_k`` is the fraction
``exp(Σ_l θ_lk x_l) / Σ_c exp(Σ_l θ_lc x_l)``. A report must read ``σ_k``. This module
recognises the model's builders (:func:`derive.models.softmax.logit`,
:func:`derive.models.softmax.softmax`, with a sample index, a bias or a temperature)
whatever the names of their bound indices, and puts the abbreviations back. Every
rewrite is an identity, so a folded step equals the step the engine took.

>>> from derive.models.softmax import softmax, k, theta, i, j
>>> import sympy as sp
>>> fold(softmax(k))
sigma[k]
>>> fold(sp.log(softmax(k, sample=sp.Symbol("n", integer=True))))
log(sigma[n, k])
"""

from __future__ import annotations

import sympy as sp

from derive.engine.scope import as_expr
from derive.models.softmax import D, K

__all__ = ["SIGMA", "Z", "fold", "fold_logits"]

Z = sp.IndexedBase("z")  #: logits: ``z_k``, or ``z_nk`` for sample ``n``
SIGMA = sp.IndexedBase("sigma")  #: softmax: ``σ_k``, or ``σ_nk`` for sample ``n``


def _is(f: sp.Basic, name: str) -> bool:
    """``f`` is an entry of the quantity called ``name`` (shapes are ignored)."""
    return isinstance(f, sp.Indexed) and str(f.base.label) == name


def _rebuild(expr: sp.Basic, rule) -> sp.Basic:
    """Apply ``rule`` bottom-up (children first), rebuilding every node."""
    if not expr.args or isinstance(expr, sp.Indexed | sp.IndexedBase):
        return rule(expr)
    args = tuple(_rebuild(a, rule) for a in expr.args)
    if args != expr.args:
        expr = expr.func(*args)
    return rule(expr)


# --------------------------------------------------------------------------- logits


def _as_logit(expr: sp.Basic) -> sp.Basic | None:
    """``Σ_l θ_lq x_l`` → ``z_q``; ``Σ_l θ_lq X_sl`` → ``z_sq`` (any name for ``l``)."""
    if not isinstance(expr, sp.Sum) or len(expr.limits) != 1:
        return None
    d, lo, hi = expr.limits[0]
    if lo != 1 or hi != D:
        return None
    factors = sp.Mul.make_args(expr.function)
    if len(factors) != 2:
        return None
    th = [f for f in factors if _is(f, "theta") and len(f.indices) == 2]
    if len(th) != 1 or th[0].indices[0] != d or th[0].indices[1].has(d):
        return None
    q = th[0].indices[1]
    other = factors[1] if factors[0] is th[0] else factors[0]
    if _is(other, "x") and other.indices == (d,):
        return Z[q]
    if _is(other, "X") and len(other.indices) == 2 and other.indices[1] == d:
        s = other.indices[0]
        if not s.has(d):
            return Z[s, q]
    return None


def _logit_rule(expr: sp.Basic) -> sp.Basic:
    folded = _as_logit(expr)
    if folded is not None:
        return folded
    if isinstance(expr, sp.Add):  # z_q + b_q → z_q (the biased logit)
        terms = list(expr.args)
        for t in expr.args:
            bias = [u for u in terms if _is(u, "b") and u.indices == t.indices[-1:]]
            if _is_z(t) and bias:
                terms.remove(bias[0])
        if len(terms) != len(expr.args):
            return sp.Add(*terms)
    if isinstance(expr, sp.Mul):  # e^{b_q} e^{z_q} → e^{z_q}
        factors = list(expr.args)
        for f in expr.args:
            if isinstance(f, sp.exp) and _is_z(f.args[0]):
                q = f.args[0].indices[-1]
                bias = [u for u in factors if isinstance(u, sp.exp) and _is(u.args[0], "b")
                        and u.args[0].indices == (q,)]
                if bias:
                    factors.remove(bias[0])
        if len(factors) != len(expr.args):
            return sp.Mul(*factors)
    return expr


def fold_logits(expr: sp.Expr) -> sp.Expr:
    """Replace every logit sum by ``z``.

    >>> from derive.models.softmax import logit, j
    >>> fold_logits(logit(j) + 1)
    z[j] + 1
    """
    return _rebuild(as_expr(expr), _logit_rule)


# --------------------------------------------------------------------------- softmax

# A "logit key" identifies a family z_{prefix, ·} scaled by a common factor (1 or 1/T).
_Key = tuple[sp.Expr, tuple[sp.Expr, ...]]


def _is_z(f: sp.Basic) -> bool:
    return isinstance(f, sp.Indexed) and f.base.label == Z.label


def _logit_parts(u: sp.Expr) -> tuple[_Key, sp.Expr] | None:
    """``scale · z[*prefix, q]`` → ``((scale, prefix), q)``."""
    zs = [f for f in sp.Mul.make_args(u) if _is_z(f)]
    if len(zs) != 1:
        return None
    scale = sp.Mul(*[f for f in sp.Mul.make_args(u) if f is not zs[0]])
    if any(_is_z(a) for a in sp.preorder_traversal(scale)):
        return None
    return (scale, tuple(zs[0].indices[:-1])), zs[0].indices[-1]


def _partition_key(s: sp.Expr) -> _Key | None:
    """``Σ_d exp(scale · z[*prefix, d])`` over ``d = 1..K`` → its key."""
    if not isinstance(s, sp.Sum) or len(s.limits) != 1:
        return None
    d, lo, hi = s.limits[0]
    if lo != 1 or hi != K or not isinstance(s.function, sp.exp):
        return None
    parts = _logit_parts(s.function.args[0])
    if parts is None or parts[1] != d:
        return None
    key = parts[0]
    if key[0].has(d) or any(p.has(d) for p in key[1]):
        return None
    return key


def _exp_terms(f: sp.Expr) -> list[tuple[_Key, sp.Expr, int]] | None:
    """``exp(u₁ − 2u₂)``, each ``u`` a scaled logit → ``[(key₁, q₁, 1), (key₂, q₂, −1) ×2]``."""
    if not isinstance(f, sp.exp):
        return None
    out: list[tuple[_Key, sp.Expr, int]] = []
    for term in sp.Add.make_args(f.args[0]):
        coeff, rest = term.as_coeff_Mul()
        if not (coeff.is_Integer and coeff != 0):
            coeff, rest = sp.Integer(1), term
        parts = _logit_parts(rest)
        if parts is None:
            return None
        sign = 1 if coeff > 0 else -1
        out.extend([(*parts, sign)] * abs(int(coeff)))
    return out


def _sigma(key: _Key, q: sp.Expr, sign: int = 1) -> sp.Expr:
    s = SIGMA[(*key[1], q)] if key[1] else SIGMA[q]
    return s if sign > 0 else 1 / s


def _softmax_rule(expr: sp.Basic) -> sp.Basic:
    if isinstance(expr, sp.Pow):
        expr = sp.Mul(expr, evaluate=False)  # a lone 1/Σ_c e^{z_c} keeps its shape
    if not isinstance(expr, sp.Mul):
        return expr
    factors = list(sp.Mul.make_args(expr))
    budget: dict[_Key, int] = {}  # how many 1/S factors of each key are free
    denominators: dict[_Key, sp.Expr] = {}
    rest: list[sp.Expr] = []
    for f in factors:
        base, power = f.as_base_exp()
        key = _partition_key(base)
        if key is not None and power.is_Integer:
            budget[key] = budget.get(key, 0) - int(power)
            denominators[key] = base
        else:
            rest.append(f)
    if not budget:
        return expr
    out: list[sp.Expr] = []
    for f in rest:
        terms = _exp_terms(f)
        if terms is not None:
            used: dict[_Key, int] = {}  # e^{z} uses a 1/S, e^{-z} uses an S
            for key, _, sign in terms:
                used[key] = used.get(key, 0) + sign
            if all(abs(budget.get(key, 0)) >= abs(cnt) and budget.get(key, 0) * cnt >= 0
                   for key, cnt in used.items()):
                for key, q, sign in terms:
                    budget[key] -= sign
                    out.append(_sigma(key, q, sign))
                continue
        out.append(f)
    # Push a remaining 1/S into a sum over the same classes: Σ_c e^{z_c} g_c / S = Σ_c σ_c g_c.
    for idx, f in enumerate(out):
        if not isinstance(f, sp.Sum) or len(f.limits) != 1:
            continue
        d = f.limits[0][0]
        for key, left in budget.items():
            if left > 0 and d not in denominators[key].free_symbols:
                inner = _softmax_rule(sp.Mul(f.function, denominators[key] ** -1))
                if not inner.has(denominators[key]):
                    out[idx] = sp.Sum(inner, *f.limits)
                    budget[key] -= 1
                    break
    leftover = [denominators[key] ** -cnt for key, cnt in budget.items() if cnt != 0]
    return sp.Mul(*out, *leftover)


def fold(expr: sp.Expr) -> sp.Expr:
    """Fold logits into ``z`` and softmax fractions into ``σ`` (an identity rewrite).

    >>> from derive.models.softmax import softmax, k, j, theta, i
    >>> fold(sp.diff(softmax(k), theta[i, j]).doit()).has(SIGMA)
    True
    """
    return _rebuild(fold_logits(expr), _softmax_rule)


# --------------------------------------------------------------------------- dummies

_POOLS = {"N": "nstu", "D": "lpqr", "K": "cmkjgh"}


def tidy_dummies(expr: sp.Expr, taken: frozenset[str] = frozenset()) -> sp.Expr:
    """Rename summation indices to the letters of the notes (``n`` over samples, ``c``
    over classes, ``l`` over features), never to a letter already in use.

    >>> from derive.models.softmax import y, k
    >>> d = sp.Symbol("d", integer=True)
    >>> tidy_dummies(sp.Sum(y[d], (d, 1, K)) * y[k])
    y[k]*Sum(y[c], (c, 1, K))
    """
    if not isinstance(expr, sp.Basic) or not expr.args:
        return expr
    taken = taken | {s.name for s in expr.free_symbols if isinstance(s, sp.Symbol)}
    if isinstance(expr, sp.Sum):
        body, limits = expr.function, []
        for v, lo, hi in expr.limits:
            pool = _POOLS.get(str(hi), "") + "pqrstuvw"
            name = next((ch for ch in pool if ch not in taken), None)
            if name is not None and name != v.name:
                new = sp.Symbol(name, integer=True)
                body = body.xreplace({v: new})
                v = new
            taken = taken | {v.name}
            limits.append((v, lo, hi))
        return sp.Sum(tidy_dummies(body, taken), *limits)
    args = tuple(tidy_dummies(a, taken) if isinstance(a, sp.Expr) else a for a in expr.args)
    return expr.func(*args) if args != expr.args else expr
