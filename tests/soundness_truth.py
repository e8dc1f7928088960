"""The truth of every step of the adversarial probes in ``tests/soundness/``, decided by
brute force in plain Python and NumPy (never by derive).

Each step is a function ``fn(rng, *sizes)`` that yields ``(lhs, rhs)`` pairs, one per value
of the step's free indices, with random real inputs from ``rng``. Sizes run over 1..4
(every combination when there are several), each with a few random draws. Quantities are
1-based (:class:`Vec`): an entry outside its range is *undefined*, and so is a NaN or a
division by zero. A side of a ``cases`` construct is a :class:`Rows` of the values of the
rows whose condition holds at that point.

Truth classes (the corpus' convention, ``tests/corpus/README.md``):

- ``"p"``: both sides are defined and equal at every instance;
- ``"r"``: at some instance they differ, or a side is undefined (a refutation is right,
  a proof is a false verdict);
- ``"-"``: not a statement with one meaning: rows of a ``cases`` that apply at the same
  point disagree (some hold, some do not) or no row applies, or TeX itself rejects the
  notation (``2^3^2``). Only ``unknown`` is right.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np

Pair = tuple[Any, Any]
Step = Callable[..., Iterable[Pair]]


class Undefined(Exception):
    """A value the notation leaves undefined at this instance."""


class Vec:
    """A 1-based vector of random reals: ``v[0]`` or ``v[n + 1]`` is undefined."""

    def __init__(self, values: np.ndarray) -> None:
        self.a = np.asarray(values, dtype=float)

    @classmethod
    def rand(cls, rng: np.random.Generator, n: int, positive: bool = False) -> Vec:
        return cls(rng.uniform(0.3, 2.0, n) if positive else rng.normal(size=n))

    def __len__(self) -> int:
        return len(self.a)

    def __getitem__(self, i: int) -> float:
        if not 1 <= i <= len(self.a):
            raise Undefined(f"entry {i} of a vector of {len(self.a)}")
        return float(self.a[i - 1])

    def bumped(self, i: int, h: float) -> Vec:
        b = self.a.copy()
        b[i - 1] += h
        return Vec(b)


class Rows(tuple):
    """The values of the ``cases`` rows that apply at one point (possibly none)."""


def rows(*pairs: tuple[bool, Any]) -> Rows:
    """``rows((cond, value), ...)``: the values of the rows whose condition holds."""
    return Rows(v for ok, v in pairs if ok)


def S(lo: int, hi: int, f: Callable[[int], Any]) -> Any:
    """``Σ_{k=lo}^{hi} f(k)``; empty (0) when ``hi < lo``."""
    return sum((f(k) for k in range(lo, hi + 1)), 0)


def P(lo: int, hi: int, f: Callable[[int], Any]) -> Any:
    """``Π_{k=lo}^{hi} f(k)``; empty (1) when ``hi < lo``."""
    out: Any = 1
    for k in range(lo, hi + 1):
        out = out * f(k)
    return out


def d(i: int, j: int) -> int:
    """Kronecker's δ."""
    return int(i == j)


def fd(f: Callable[[Vec], float], v: Vec, j: int, h: float = 1e-5) -> float:
    """∂f/∂v_j by central differences."""
    return (f(v.bumped(j, h)) - f(v.bumped(j, -h))) / (2 * h)


def fd2(f: Callable[[Vec], float], v: Vec, j: int, k: int, h: float = 1e-4) -> float:
    """∂²f/∂v_j∂v_k by central differences of central differences."""
    return fd(lambda w: fd(f, w, k, h), v, j, h)


def fd_scalar(f: Callable[[float], float], t: float, h: float = 1e-5) -> float:
    return (f(t + h) - f(t - h)) / (2 * h)


def softmax(z: Vec) -> Vec:
    e = np.exp(z.a - z.a.max())
    return Vec(e / e.sum())


def idx(n: int) -> range:
    """Index values 1..n."""
    return range(1, n + 1)


def _undefined(x: Any) -> bool:
    if x is None:
        return True
    if isinstance(x, (int, Fraction)):
        return False
    return not math.isfinite(float(x))


def _same(a: Any, b: Any) -> bool:
    if _undefined(a) or _undefined(b):
        return False
    if isinstance(a, (int, Fraction)) and isinstance(b, (int, Fraction)):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-7)


def _instance(a: Any, b: Any) -> str:
    """'ok', 'fail' or 'ambiguous' for one instance."""
    left = list(a) if isinstance(a, Rows) else [a]
    right = list(b) if isinstance(b, Rows) else [b]
    if not left or not right:
        return "ambiguous"  # no row applies: the notation gives no value here
    outcomes = {_same(x, y) for x in left for y in right}
    if outcomes == {True}:
        return "ok"
    return "fail" if outcomes == {False} else "ambiguous"


NOT_A_CLAIM = "-"


def decide(fn: Step | str, sizes: int = 1, trials: int = 3, seed: int = 18) -> str:
    """The truth class of one step: sizes run over 1..4 each, ``trials`` draws each."""
    if isinstance(fn, str):
        return fn
    seen = set()
    for vals in itertools.product(range(1, 5), repeat=sizes):
        for t in range(trials):
            rng = np.random.default_rng([seed, t, *vals])
            try:
                found = [_instance(a, b) for a, b in _pairs(fn, rng, vals)]
            except (Undefined, ZeroDivisionError):
                found = ["fail"]
            seen.update(found)
            if "fail" in seen:
                return "r"
    return "-" if "ambiguous" in seen else "p"


def _pairs(fn: Step, rng: np.random.Generator, vals: tuple[int, ...]) -> Iterator[Pair]:
    with np.errstate(all="ignore"):
        out = fn(rng, *vals)
        yield from ([out] if isinstance(out, tuple) and len(out) == 2
                    and not isinstance(out, Rows) else out)


def const(a: Any, b: Any) -> Step:
    """A step between two numbers (no sizes, no inputs)."""
    return lambda rng, *_: [(a, b)]


# ====================================================================== the probes
# TRUTH[file][line] = the steps whose right-hand member starts on that line, in order;
# each entry is a Step (with its number of sizes, see SIZES) or NOT_A_CLAIM.
TRUTH: dict[str, dict[int, list[Any]]] = {}
SIZES: dict[str, int] = {}  # files whose steps have two sizes (K, D); default one


def probe(name: str, sizes: int = 1, **lines: list[Any]) -> None:
    TRUTH[name] = {int(k[1:]): v for k, v in lines.items()}
    SIZES[name] = sizes


# --- pasted Unicode ----------------------------------------------------------------
probe("u01_minus_arith.md", L3=[const(5 - 3, 8)], L5=[const(5 - 3, 2)])
probe("u02_en_dash.md", L3=[const(7 - 2, 5)], L5=[const(7 - 2, 9)])


def _sigmoid(t: float) -> float:
    return 1 / (1 + math.exp(-t))


def _sig_step(sign: int) -> Step:
    def fn(rng, K):
        t = float(rng.normal())
        s = _sigmoid(t)
        return [(fd_scalar(_sigmoid, t), sign * s * (1 - s))]
    return fn


probe("u03_sigmoid_minus.tex", L3=[_sig_step(1)], L4=[_sig_step(-1)])
probe("u04_times_dot.md", L1=[const(3 * 4, 12)], L3=[const(3 * 4, 7)],
      L5=[const(2 * 5, 10)], L7=[const(2 * 5, 7)])


def _theta_minus_theta(rng, K):
    th = Vec.rand(rng, K)
    return [(S(1, K, lambda k: th[k]) - S(1, K, lambda k: th[k]), 0)]


def _theta_vs_z(rng, K):
    th, z = Vec.rand(rng, K), Vec.rand(rng, K)
    return [(S(1, K, lambda k: th[k]), S(1, K, lambda k: z[k]))]


probe("u05_greek.md", L4=[_theta_minus_theta], L6=[_theta_vs_z])


def _square(double: bool) -> Step:
    def fn(rng, K):
        x = float(rng.normal())
        return [(x ** 2, 2 * x if double else x * x)]
    return fn


probe("u06_superscript_two.md", L2=[_square(False)], L4=[_square(True)])
probe("u07_unicode_sum.md", L3=[lambda r, K: [(S(1, K, lambda k: 1), K)]],
      L5=[lambda r, K: [(S(2, K, lambda k: 1), K)]])


def _sum_except(minus_j: bool) -> Step:
    def fn(rng, K):
        y = Vec.rand(rng, K)
        for j in idx(K):
            total = S(1, K, lambda k: y[k])
            yield (S(1, K, lambda k, j=j: y[k] if k != j else 0), total - y[j] if minus_j else total)
    return fn


probe("u08_neq.md", L4=[_sum_except(True)], L6=[_sum_except(False)])


def _from_two(minus_first: bool) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        total = S(1, K, lambda k: z[k])
        return [(S(2, K, lambda k: z[k]), total - z[1] if minus_first else total)]
    return fn


probe("u09_in_set.md", L4=[_from_two(True)], L6=[_from_two(False)])
probe("u10_ellipsis_char.md", L3=[lambda r, K: [(S(1, K, lambda k: 1), K)]],
      L5=[lambda r, K: [(S(2, K, lambda k: 1), K)]])


def _grad_sq(factor: float) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        L = lambda v: S(1, K, lambda k: v[k] ** 2)  # noqa: E731
        for j in idx(K):
            yield (fd(L, z, j), factor * z[j])
    return fn


probe("u11_partial_char.md", L5=[_grad_sq(2)], L7=[_grad_sq(1)])
probe("u12_unknown_char.md", L3=[NOT_A_CLAIM], L5=[NOT_A_CLAIM])


def _x_pm_x(sign: int) -> Step:
    def fn(rng, K):
        x = Vec.rand(rng, K)
        return [(x[k] + sign * x[k], 0) for k in idx(K)]
    return fn


probe("u13_math_italic.md", L4=[_x_pm_x(-1)], L6=[_x_pm_x(1)])
probe("u14_nbsp_minus.md", L3=[const(5 - 3, 2)], L5=[const(5 - 3, 8)])


def _neg_let(plus: bool) -> Step:
    def fn(rng, K):
        x = Vec.rand(rng, K)
        return [((-x[k]) + x[k], 0) if plus else (-x[k], x[k]) for k in idx(K)]
    return fn


probe("u15_minus_in_let.md", L5=[_neg_let(True)], L7=[_neg_let(False)])


def _cube_prime(correct: bool) -> Step:
    def fn(rng, K):
        t = float(rng.normal())
        return [(fd_scalar(lambda u: u ** 3, t), 3 * t ** 2 if correct else t ** 3)]
    return fn


probe("u16_prime_char.md", L4=[_cube_prime(True)], L6=[_cube_prime(False)])
probe("u17_hyphen_minus.md", L1=[const(9 - 4, 5)], L3=[const(9 - 4, 13)])


def _upto_j(to_j: bool) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        for j in idx(K):
            yield (S(1, j, lambda k: z[k]), S(1, j if to_j else K, lambda k: z[k]))
    return fn


probe("u18_leq_sum.md", L4=[_upto_j(True)], L6=[_upto_j(False)])


# --- sums over sets -------------------------------------------------------------------
def _set_sum(lo: Callable[[int], int], rhs: Callable[[Vec, int], Any]) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        return [(S(lo(K), K, lambda k: z[k]), rhs(z, K))]
    return fn


probe("s01_set_shift.md", L4=[_set_sum(lambda K: 2, lambda z, K: S(1, K, lambda k: z[k]))],
      L6=[_set_sum(lambda K: 2, lambda z, K: S(2, K, lambda k: z[k]))])
probe("s02_set_count.md", L3=[lambda r, K: [(S(3, K, lambda k: 1), K)]],
      L5=[lambda r, K: [(S(3, K, lambda k: 1), S(3, K, lambda k: 1))]])
probe("s03_set_delta.md", L3=[lambda r, K: [(S(2, K, lambda k: d(k, 1)), 1)]],
      L5=[lambda r, K: [(S(2, K, lambda k: d(k, 1)), 0)]])
probe("s04_set_explicit.md", L1=[const(sum(k * k for k in {1, 2, 3}), 14)],
      L3=[const(sum(k * k for k in {1, 2, 3}), 30)], L5=[const(sum({1, 3}), 6)])


def _from_j(lower_j: bool) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        for j in idx(K):
            yield (S(j, K, lambda k: z[k]), S(j if lower_j else 1, K, lambda k: z[k]))
    return fn


probe("s05_set_from_j.md", L4=[_from_j(False)], L6=[_from_j(True)])
probe("s06_set_bracket.md", L4=[_set_sum(lambda K: 1, lambda z, K: S(1, K, lambda k: z[k]))],
      L6=[lambda r, K: (lambda z: [(S(1, K - 1, lambda k: z[k]), S(1, K, lambda k: z[k]))])(
          Vec.rand(r, K))])
# a set that also carries an upper limit: the set decides (2..K), the limit adds nothing
probe("s07_set_and_upper.md",
      L4=[_set_sum(lambda K: 2, lambda z, K: S(1, K, lambda k: z[k]))])


def _any_subset(count: bool) -> Step:
    """A sum over an undeclared set S: the claim must hold for every S ⊆ {1..K}."""
    def fn(rng, K):
        z = Vec.rand(rng, K)
        for r in range(K + 1):
            for sub in itertools.combinations(idx(K), r):
                if count:
                    yield (len(sub), K)
                else:
                    yield (sum((z[k] for k in sub), 0.0), S(1, K, lambda k: z[k]))
    return fn


probe("s08_undeclared_set.md", L4=[_any_subset(False)], L6=[_any_subset(True)])


def _below_j(rng, K):
    z = Vec.rand(rng, K)
    for j in idx(K):
        yield (S(1, K, lambda k, j=j: z[k] if k < j else 0), S(1, j - 1, lambda k: z[k]))


probe("s09_condition_sums.md", L4=[_sum_except(True)], L6=[_sum_except(False)],
      L8=[_below_j],
      L10=[lambda r, K: [(S(1, K, lambda k, j=j: int(k > j)), K - j) for j in idx(K)]],
      L12=[lambda r, K: [(S(1, K, lambda k, j=j: int(k <= j)), j + 1) for j in idx(K)]])
probe("s10_substack.tex", L4=[_sum_except(True)], L5=[_sum_except(False)])
probe("s11_set_empty.md", L4=[lambda r, K: [(S(K + 1, K, lambda k: 1), 0)]],
      L6=[lambda r, K: [(S(K + 1, K, lambda k: 1), 1)]])
probe("s12_setminus.md", L4=[_sum_except(True)], L6=[_sum_except(False)])


def _two_ends(count: bool) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        members = {1, K}  # a set: {1, K} is {1} when K = 1
        if count:
            return [(len(members), 2)]
        return [(sum(z[k] for k in members), z[1] + z[K])]
    return fn


probe("s13_set_two_elements.md", L4=[_two_ends(False)], L6=[_two_ends(True)])
probe("s14_prod_set.md", L3=[lambda r, K: [(P(2, K, lambda k: 3), 3 ** K)]],
      L5=[lambda r, K: [(P(2, K, lambda k: 3), Fraction(3) ** (K - 1))]])


# --- cases ------------------------------------------------------------------------------
def _jac_rows(rng, K):
    z = Vec.rand(rng, K)
    for i, j in itertools.product(idx(K), repeat=2):
        lhs = fd(lambda v, i=i: v[i], z, j)
        yield (lhs, rows((i == j, 1), (i == j, 2), (i != j, 0)))


probe("c01_contradictory_rows.md", L4=[_jac_rows])


def _product_rule(as_cases: bool) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        for i, j, k in itertools.product(idx(K), repeat=3):
            lhs = fd(lambda v, i=i, k=k: v[i] * v[k], z, j)
            if as_cases:
                rhs = rows((i == j, z[k]), (j == k, z[i]), (i != j and j != k, 0))
            else:
                rhs = d(i, j) * z[k] + d(j, k) * z[i]
            yield (lhs, rhs)
    return fn


probe("c02_product_slip.md", L4=[_product_rule(True)], L6=[_product_rule(False)])


def _square_rows(rng, K):
    z = Vec.rand(rng, K)
    for i, j in itertools.product(idx(K), repeat=2):
        lhs = fd(lambda v, i=i: v[i] ** 2, z, j)
        yield (lhs, rows((i == j, 2 * z[i]), (j == i, 2 * z[j]), (i != j, 0)))


probe("c03_overlap_agree.md", L4=[_square_rows])


def _non_covering(rng, K):
    z = Vec.rand(rng, K)
    for i, j in itertools.product(idx(K), repeat=2):
        yield (fd(lambda v, i=i: v[i], z, j), rows((i == j, 1), (i < j, 0)))


probe("c04_non_covering.md", L4=[_non_covering])


def _either_rows(exact: bool) -> Step:
    def fn(rng, K):
        for i, j, k in itertools.product(idx(K), repeat=3):
            lhs = rows((i == j, 1), (j == k, 1), (i != j and j != k, 0))
            rhs = d(i, j) + d(j, k) - (d(i, j) * d(j, k) if exact else 0)
            yield (lhs, rhs)
    return fn


probe("c05_otherwise_complement.md", L3=[_either_rows(True)], L5=[_either_rows(False)])


def _le_rows(total: bool) -> Step:
    def fn(rng, K):
        for i, j in itertools.product(idx(K), repeat=2):
            first = rows((i <= j, 1), (i > j, 0))
            if total:
                second = rows((i > j, 1), (i <= j, 0))
                yield (Rows(a + b for a in first for b in second), 1)
            else:
                yield (first, d(i, j))
    return fn


probe("c06_inequality_rows.md", L3=[_le_rows(True)], L5=[_le_rows(False)])
probe("c07_otherwise_only.md", L3=[const(5, 5)],
      L5=[lambda r, K: [(rows((i == j, 3), (i != j, 5)), 5 - 2 * d(i, j))
                        for i, j in itertools.product(idx(K), repeat=2)]])


# --- dependent limits and bound indices -------------------------------------------------
probe("d01_triangle_count.md",
      L3=[lambda r, K: [(S(1, K, lambda c: S(1, c, lambda j: 1)), Fraction(K * (K + 1), 2))]],
      L5=[lambda r, K: [(S(1, K, lambda c: S(1, c, lambda j: 1)), K ** 2)]])


def _triangle(rhs: Callable[[Vec, int], float]) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        return [(S(1, K, lambda c: S(1, c, lambda j: z[j])), rhs(z, K))]
    return fn


probe("d02_triangle_swap.md",
      L4=[_triangle(lambda z, K: S(1, K, lambda j: (K - j + 1) * z[j]))],
      L6=[_triangle(lambda z, K: S(1, K, lambda j: j * z[j]))])
probe("d03_rename_triangle.md",
      L4=[_triangle(lambda z, K: S(1, K, lambda a: S(1, a, lambda b: z[b])))],
      L6=[_triangle(lambda z, K: S(1, K, lambda a: S(1, a, lambda b: z[a])))])
probe("d04_triangle_product.md",
      L3=[lambda r, K: [(P(1, K, lambda c: P(1, c, lambda j: 2)), 2 ** (K * (K + 1) // 2))]],
      L5=[lambda r, K: [(P(1, K, lambda c: P(1, c, lambda j: 2)), 2 ** (K * K))]])


def _upper_weighted(rng, K):
    z = Vec.rand(rng, K)
    return [(S(1, K, lambda c: S(c, K, lambda j: z[c])), S(1, K, lambda c: (K - c + 1) * z[c]))]


probe("d05_upper_triangle.md", L4=[_upper_weighted],
      L6=[lambda r, K: [(S(1, K, lambda c: S(c, K, lambda j: 1)), Fraction(K * (K - 1), 2))]])
probe("d06_strict_triangle.md",
      L3=[lambda r, K: [(S(1, K, lambda c: S(1, c - 1, lambda j: 1)), Fraction(K * (K - 1), 2))]],
      L5=[lambda r, K: [(S(1, K, lambda c: S(1, c - 1, lambda j: 1)), Fraction(K * (K + 1), 2))]])


def _shadow_free(rng, K):
    z = Vec.rand(rng, K)
    for j in idx(K):
        yield (z[j] * S(1, K, lambda jj: z[jj]), z[j] * S(1, K, lambda k: z[k]))


def _capture(rng, K):
    z = Vec.rand(rng, K)
    for j in idx(K):
        yield (S(1, K, lambda jj: z[jj] * z[jj]), S(1, K, lambda k, j=j: z[k] * z[j]))


probe("d07_bound_equals_free.md", L4=[_shadow_free], L6=[_capture])


def _two_sums(diagonal: bool) -> Step:
    def fn(rng, K):
        z, w = Vec.rand(rng, K), Vec.rand(rng, K)
        lhs = S(1, K, lambda k: z[k]) * S(1, K, lambda k: w[k])
        if diagonal:
            return [(lhs, S(1, K, lambda a: z[a] * w[a]))]
        return [(lhs, S(1, K, lambda a: S(1, K, lambda b: z[a] * w[b])))]
    return fn


probe("d08_same_name_two_sums.md", L4=[_two_sums(False)], L6=[_two_sums(True)])


def _shadowed(times_k: bool) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        inner = S(1, K, lambda k: z[k])
        return [(S(1, K, lambda _k: inner), (K if times_k else 1) * inner)]
    return fn


probe("d09_shadowed_inner.md", L4=[_shadowed(True)], L6=[_shadowed(False)])


def _tri_from_j(lower_j: bool) -> Step:
    def fn(rng, K):
        for j in idx(K):
            lhs = S(j, K, lambda c: S(1, c, lambda i: 1))
            yield (lhs, S(j if lower_j else 1, K, lambda c: c))
    return fn


probe("d10_triangle_depends_on_free.md", L4=[_tri_from_j(True)], L6=[_tri_from_j(False)])


# --- matrices: entry (d, k) of a D×K right-hand side -------------------------------------
def _ce_grad(rhs: Callable[[Vec, Vec, Vec, int, int], float]) -> Step:
    def fn(rng, K, D):
        th = rng.normal(size=(D, K))
        x, y = Vec.rand(rng, D), Vec(rng.dirichlet(np.ones(K)))

        def loss(flat: Vec) -> float:
            z = flat.a.reshape(D, K).T @ x.a
            return float(-(y.a * (z - np.log(np.exp(z).sum()))).sum())

        flat = Vec(th.ravel())
        s = softmax(Vec(th.T @ x.a))
        for dd, k in itertools.product(idx(D), idx(K)):
            yield (fd(loss, flat, (dd - 1) * K + k), rhs(x, s, y, dd, k))
    return fn


_entry = lambda x, s, y, dd, k: x[dd] * (s[k] - y[k])  # noqa: E731
probe("m01_outer_gradient.md", sizes=2, L9=[_ce_grad(_entry)],
      L11=[_ce_grad(lambda x, s, y, dd, k: x[dd] * (s[k] + y[k]))], L13=[_ce_grad(_entry)])
probe("m02_otimes.md", sizes=2, L9=[_ce_grad(_entry)],
      L11=[_ce_grad(lambda x, s, y, dd, k: x[dd] * (y[k] - s[k]))])


def _outer(rhs: Callable[[Vec, Vec, int, int], float], lhs_entry: bool = True) -> Step:
    def fn(rng, K, D):
        x, y = Vec.rand(rng, D), Vec.rand(rng, K)
        for dd, k in itertools.product(idx(D), idx(K)):
            yield (x[dd] * y[k], rhs(x, y, dd, k))
    return fn


# (y x^T) is K×D: its entry (d, k) is y_d x_k, outside the vectors when D ≠ K
probe("m03_transposed_outer.md", sizes=2, L5=[_outer(lambda x, y, dd, k: y[dd] * x[k])],
      L7=[_outer(lambda x, y, dd, k: x[dd] * y[k])])
probe("m04_entry_swap.md", sizes=2, L5=[_outer(lambda x, y, dd, k: x[dd] * y[k])],
      L7=[_outer(lambda x, y, dd, k: x[dd] * y[dd])])
probe("m05_literal_transpose.tex",
      L1=[const(np.array([[1, 2], [3, 4]]).T.tolist() == [[1, 3], [2, 4]], True)],
      L2=[const(np.array([[1, 2], [3, 4]]).T.tolist() == [[1, 2], [3, 4]], True)])
# a scalar with three free indices against a D×K matrix: no one reading
probe("m06_extra_free_index.md", sizes=2, L5=[NOT_A_CLAIM])


def _s_outer(inner: bool) -> Step:
    def fn(rng, K):
        s = Vec.rand(rng, K)
        for j, k in itertools.product(idx(K), repeat=2):
            yield (s[j] * s[k], float(s.a @ s.a) if inner else s[j] * s[k])
    return fn


# I is not declared: the identity matrix or an unknown quantity
probe("m07_matrix_one_size.md", L4=[NOT_A_CLAIM], L6=[_s_outer(False)], L8=[_s_outer(True)])

# --- scripts, overflow, huge numbers, division by zero ------------------------------------
# TeX rejects 2^3^2 ("Double superscript"): it has no value to compare
probe("x01_double_superscript.md", L1=[NOT_A_CLAIM], L3=[NOT_A_CLAIM],
      L5=[const(2 ** (3 ** 2), 512)], L7=[const((2 ** 3) ** 2, 64)])
probe("x02_double_subscript.md", L4=[NOT_A_CLAIM])


def _tower(rng, *_):
    # log(e^{e^{e^{e^{10}}}}) = e^{e^{e^{10}}} > 0, so the tower exceeds 1: compare the logs
    # of both sides, log(1) = 0 (the third exponent alone is already out of float range)
    with mpmath.workdps(30):
        log_lhs = mpmath.exp(mpmath.exp(mpmath.exp(10)))
        return [(int(log_lhs > 0), 0)]


probe("x03_tower_overflow.md", L1=[_tower], L3=[const(3 + 4, 7)], L5=[const(3 + 4, 8)])
probe("x04_huge_integers.md", L1=[const(2 ** 100000 + 1, 2 ** 100000)],
      L3=[const(2 ** 100000 * 2, 2 ** 100001)], L5=[const(10 ** 400 - 10 ** 400, 0)])
probe("x05_division_by_zero.md", L1=[const(None, None)], L3=[const(None, 1)],
      L5=[const(4 + 4, 8)])
probe("x06_size_division_by_zero.md",
      L3=[lambda r, K: [(Fraction(S(2, K, lambda k: 1), S(2, K, lambda k: 1)), 1)]],
      L5=[lambda r, K: [(Fraction(1, K - K), 0)]])


def _at_60_digits(f: Callable[[], Any], rhs: float) -> Step:
    """A step between numbers past float64's range, evaluated with 60 digits."""
    def fn(rng, *_):
        with mpmath.workdps(60):
            return [(float(f()), rhs)]
    return fn


probe("x07_huge_float_exponent.md",
      L2=[_at_60_digits(lambda: mpmath.exp(1000) * mpmath.exp(-1000), 1.0)],
      L4=[_at_60_digits(lambda: mpmath.exp(1000) - mpmath.exp(1000) + 1, 2.0)])

# --- δ with indices outside their range ----------------------------------------------------
probe("k01_delta_beyond_range.md", L3=[lambda r, K: [(S(1, K, lambda k: d(k, K + 1)), 0)]],
      L5=[lambda r, K: [(S(1, K, lambda k: d(k, K + 1)), 1)]])
probe("k02_delta_zero.md", L3=[lambda r, K: [(S(1, K, lambda k: d(k, 0)), 0)]],
      L5=[lambda r, K: [(S(1, K, lambda k: d(k, 0)), 1)]])
probe("k03_delta_size_one.md", L3=[lambda r, K: [(S(1, K, lambda k: d(k, 2)), 1)]],
      L5=[lambda r, K: [(S(2, K, lambda k: d(k, 2)), 1)]])
probe("k04_delta_other_range.md", sizes=2,
      L4=[lambda r, K, D: [(S(1, K, lambda k, dd=dd: d(k, dd)), 1) for dd in idx(D)]])


def _delta_K(rng, K):
    z = Vec.rand(rng, K)
    return [(S(1, K, lambda k: d(k, K) * z[k]), z[K])]


probe("k05_size_letter_as_index.md", L4=[_delta_K],
      L6=[lambda r, K: [(S(1, K - 1, lambda k: d(k, K)), 1)]])
probe("k06_delta_same_letter.md", L3=[lambda r, K: [(S(1, K, lambda k: d(k, k)), K)]],
      L5=[lambda r, K: [(S(1, K, lambda k, j=j: d(j, k) ** 2), 1) for j in idx(K)]],
      L7=[lambda r, K: [(S(1, K, lambda k, j=j: d(j, k) ** 2), K) for j in idx(K)]])

# --- empty ranges, sizes of 1 --------------------------------------------------------------
probe("e01_empty_range.md", L4=[lambda r, K: [(S(K + 1, K, lambda k: 1.0), 0)]],
      L6=[const(S(1, 0, lambda k: 1.0), 0)], L8=[const(S(5, 3, lambda k: 1), -1)])
probe("e02_shifted_counts.md", L3=[lambda r, K: [(S(2, K, lambda k: 1), K - 1)]],
      L5=[lambda r, K: [(S(3, K, lambda k: 1), K - 2)]])
probe("e03_shifted_products.md",
      L3=[lambda r, K: [(P(2, K, lambda k: 2), Fraction(2) ** (K - 1))]],
      L5=[lambda r, K: [(P(3, K, lambda k: 2), Fraction(2) ** (K - 2))]])


def _softmax_first(rhs: Callable[[Vec, int], float]) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        return [(math.exp(z[1]) / S(1, K, lambda k: math.exp(z[k])), rhs(z, K))]
    return fn


probe("e04_softmax_size_one.md", L4=[_softmax_first(lambda z, K: 1)],
      L6=[_softmax_first(lambda z, K: 1 / (1 + S(2, K, lambda k: math.exp(z[k] - z[1]))))])
probe("e05_off_diagonal_pairs.md",
      L3=[lambda r, K: [(S(1, K, lambda k: S(1, K, lambda j: int(j != k))), K * (K - 1))]],
      L5=[lambda r, K: [(S(1, K, lambda k: S(1, K, lambda j: int(j != k))), K * K - 1)]])

# --- colliding names ----------------------------------------------------------------------
probe("n01_bound_size_letter.md", L3=[const(S(1, 3, lambda k: k), 6)],
      L5=[lambda r, K: [(S(1, K, lambda k: k), Fraction(K * (K + 1), 2))]])
probe("n02_index_i.md",
      L3=[lambda r, K: [(S(1, K, lambda i: i * i), Fraction(K * (K + 1) * (2 * K + 1), 6))]],
      L5=[lambda r, K: [(S(1, K, lambda i: i), K * K)]])


def _sum_e(exp: bool) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        f = math.exp if exp else (lambda v: v)
        return [(S(1, K, lambda e: f(z[e])), S(1, K, lambda k: f(z[k])))]
    return fn


probe("n03_index_e.md", L4=[_sum_e(False)], L6=[_sum_e(True)])


def _sum_d(weighted: bool) -> Step:
    def fn(rng, D):
        x = Vec.rand(rng, D)
        return [(S(1, D, lambda dd: (dd if weighted else 1) * x[dd]), S(1, D, lambda j: x[j]))]
    return fn


probe("n04_index_d.md", L4=[_sum_d(False)], L6=[_sum_d(True)])
probe("n05_size_and_index_k.md", L4=[lambda r, k: [(S(1, k, lambda c: 1), k)]],
      L6=[lambda r, k: (lambda z: [(S(1, k, lambda c: z[c]), S(1, k, lambda j: z[j]))])(
          Vec.rand(r, k))],
      L8=[lambda r, k: [(S(1, k, lambda c: 1), k + 1)]])


# --- derivatives ---------------------------------------------------------------------------
def _sq_grad_k(rng, K):
    z = Vec.rand(rng, K)
    L = lambda v: S(1, K, lambda k: v[k] ** 2)  # noqa: E731
    for j, k in itertools.product(idx(K), repeat=2):
        yield (fd(L, z, j), 2 * z[k])


probe("g01_square_gradient.md", L4=[_grad_sq(2)], L6=[_sq_grad_k])


def _lse_hessian(rhs: Callable[[Vec, int, int], float]) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        lse = lambda v: math.log(S(1, K, lambda c: math.exp(v[c])))  # noqa: E731
        s = softmax(z)
        for j, k in itertools.product(idx(K), repeat=2):
            yield (fd2(lse, z, j, k), rhs(s, j, k))
    return fn


probe("g02_logsumexp_hessian.md", L5=[_lse_hessian(lambda s, j, k: s[j] * (d(j, k) - s[k]))],
      L7=[_lse_hessian(lambda s, j, k: s[k] * (d(j, k) - s[j]))],
      L9=[_lse_hessian(lambda s, j, k: s[j] * (1 - s[k]))])


def _dz(rhs_delta: bool) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        return [(fd(lambda v, j=j: v[j], z, k), d(j, k) if rhs_delta else 1)
                for j, k in itertools.product(idx(K), repeat=2)]
    return fn


probe("g03_delta_of_self.md", L4=[_dz(True)], L6=[_dz(False)])


def _sig_chain(rhs: Callable[[float, float], float]) -> Step:
    def fn(rng, K):
        t = float(rng.normal())
        return [(fd_scalar(_sigmoid, t), rhs(t, _sigmoid(t)))]
    return fn


probe("g04_sigmoid_ascii.tex",
      L4=[_sig_chain(lambda t, s: math.exp(-t) / (1 + math.exp(-t)) ** 2)],
      L5=[_sig_chain(lambda t, s: s * (1 - s))],
      L6=[_sig_chain(lambda t, s: s * (1 + s))])

# --- no declarations, auto -----------------------------------------------------------------
probe("a01_no_declarations.md", L1=[lambda r, K: [(S(1, K, lambda k: 2), 2 * K)]],
      L3=[lambda r, K: [(S(1, K, lambda k: 2), K)]])


def _softmax_diag(sign: int) -> Step:
    def fn(rng, K):
        o = Vec.rand(rng, K)
        for j in idx(K):
            p = softmax(o)
            yield (fd(lambda v, j=j: softmax(v)[j], o, j), p[j] * (1 + sign * p[j]))
    return fn


def _definition(rng, K):
    o = Vec.rand(rng, K)
    return [(softmax(o)[j], math.exp(o[j]) / S(1, K, lambda k: math.exp(o[k]))) for j in idx(K)]


probe("a02_auto_softmax.md", L2=[_definition], L4=[_softmax_diag(-1)], L6=[_softmax_diag(1)])


def _log_softmax_jac(rng, K):
    a = Vec.rand(rng, K)
    q = softmax(a)
    for i, j in itertools.product(idx(K), repeat=2):
        yield (fd(lambda v, i=i: math.log(softmax(v)[i]), a, j), d(i, j) - q[j])


probe("a03_auto_unicode.tex", L3=[_definition], L6=[_log_softmax_jac])


def _zero_sum(rhs_double: bool) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        return [(S(1, K, lambda k: z[k] - z[k]), 2 * S(1, K, lambda k: z[k]) if rhs_double
                 else 0)]
    return fn


probe("a04_none_unicode.md", L1=[_zero_sum(False)], L3=[_zero_sum(True)])


# --- real-valued identities that hold only for some signs -----------------------------------
def _rlog(v: float) -> float | None:
    return math.log(v) if v > 0 else None


def _log_product(rng, K):
    a, b = (float(v) for v in rng.normal(size=2))
    la, lb, lab = _rlog(a), _rlog(b), _rlog(a * b)
    return [(lab, None if la is None or lb is None else la + lb)]


probe("v01_log_product.md", L2=[_log_product],
      L4=[lambda r, K: (lambda a: [(math.log(math.exp(a)), a)])(float(r.normal()))])


def _root(rhs_abs: bool) -> Step:
    def fn(rng, K):
        x = float(rng.normal())
        return [((x ** 2) ** 0.5, abs(x) if rhs_abs else x)]
    return fn


probe("v02_sqrt_square.md", L2=[_root(False)], L4=[_root(True)])
probe("v03_power_of_power.md", L2=[_root(False)],
      L4=[lambda r, K: (lambda x: [((x ** 3) ** 2, x ** 6)])(float(r.normal()))])


def _log_square(rng, K):
    x = float(rng.normal())
    lx = _rlog(x)
    return [(math.log(x * x), None if lx is None else 2 * lx)]


probe("v04_exp_log.md", L2=[_log_square],
      L4=[lambda r, K: (lambda x: [(math.exp(math.log(math.exp(x))), math.exp(x))])(
          float(r.normal()))])


# --- characters the character table must map, or refuse (homoglyphs) --------------------
probe("w01_superscript_run.md", L3=[const(2 ** 32, 4294967296)], L5=[const(2 ** 32, 512)])


def _inverse(rhs_neg: bool) -> Step:
    def fn(rng, K):
        x = float(rng.uniform(0.3, 2.0)) * (1 if rng.random() < 0.5 else -1)
        return [(x ** -1 * x ** 2, x) if not rhs_neg else (x ** -1, -x)]
    return fn


probe("w02_superscript_minus.md", L2=[_inverse(False)], L4=[_inverse(True)])
probe("w03_subscript_digits.md", L4=[lambda r, K: (lambda x: [(x[1] - x[1], 0)])(Vec.rand(r, K))],
      L6=[lambda r, K: (lambda x: [(x[1], x[2])])(Vec.rand(r, K))])
probe("w04_fullwidth_digits.md", L1=[const(12 + 3, 15)], L3=[const(12 + 3, 6)])
# a Greek capital kappa is another symbol than the size K: the claim holds only if they
# are equal, so every pair of values is tried
probe("w05_greek_kappa_homoglyph.md",
      L4=[lambda r, K: [(S(1, kappa, lambda k: 1), K) for kappa in idx(4)]])
probe("w06_cyrillic_a_homoglyph.md",
      L3=[lambda r, K: (lambda a, a_cyr: [(a_cyr - a, 0)])(*(float(v) for v in r.normal(size=2)))])
probe("w07_double_minus.md", L1=[const(5 - -3, 8)], L3=[const(5 - -3, 2)])
probe("w08_dot_operator.md", L1=[const(3 * 4, 12)], L3=[const(3 * 4, 12)], L5=[const(3 * 4, 7)])
probe("w09_zero_width_space.md", L1=[const(5 - 3, 2)], L3=[const(5 - 3, 8)])
probe("w10_crlf_lines.md", L4=[lambda r, K: [(S(1, K, lambda k: 3), 3 * K)]],
      L6=[lambda r, K: [(S(1, K, lambda k: 3), K)]])
probe("w11_bom_and_tabs.md", L3=[lambda r, K: [(S(1, K, lambda k: k - k), 0)]],
      L5=[lambda r, K: [(S(1, K, lambda k: 1), K - 1)]])
probe("w12_vulgar_half.md", L1=[const(Fraction(1, 2) * 2, 1)], L3=[const(Fraction(1, 2) * 2, 2)])


def _exp_cancel(rhs_double: bool) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        lhs = S(1, K, lambda k: math.exp(-z[k]) * math.exp(z[k]))
        return [(lhs, S(1, K, lambda k: math.exp(2 * z[k])) if rhs_double else K)]
    return fn


probe("w13_minus_sign_in_exponent_of_sum.md", L4=[_exp_cancel(False)], L6=[_exp_cancel(True)])


def _decay_prime(sign: int) -> Step:
    def fn(rng, K):
        t = float(rng.normal())
        return [(fd_scalar(lambda u: math.exp(-u), t), sign * math.exp(-t))]
    return fn


probe("w14_prime_derivative_unicode.tex", L4=[_decay_prime(-1)], L6=[_decay_prime(1)])


# --- sets, conditions and cases as the reader now reads them ---------------------------------
probe("y01_odd_progression.md", L3=[const(sum(range(1, 8, 2)), 16)],
      L5=[const(sum(range(1, 8, 2)), 28)])


def _descending(rhs_zero: bool) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        members = set(range(K, 0, -1))  # {K, ..., 1} is the set {1, ..., K}
        return [(sum(z[k] for k in members), 0 if rhs_zero else S(1, K, lambda k: z[k]))]
    return fn


probe("y02_descending_set.md", L4=[_descending(False)], L6=[_descending(True)])
probe("y03_comma_condition.md", L4=[_sum_except(True)], L6=[_sum_except(False)])
probe("y04_double_inequality.md", L3=[lambda r, K: [(S(1, K, lambda k: 1), K)]],
      L5=[lambda r, K: [(S(2, K, lambda k: 1), K)]])


def _all_equal(rhs: Callable[[int, int, int], int]) -> Step:
    def fn(rng, K):
        for i, j, k in itertools.product(idx(K), repeat=3):
            yield (rows((i == j == k, 1), (not i == j == k, 0)), rhs(i, j, k))
    return fn


probe("y05_chained_condition.md", L3=[_all_equal(lambda i, j, k: d(i, j) * d(j, k))],
      L5=[_all_equal(lambda i, j, k: d(i, j))])
probe("y06_otherwise_first.md",
      L3=[lambda r, K: [(rows((i != j, 0), (i == j, 1)), d(i, j))
                        for i, j in itertools.product(idx(K), repeat=2)]],
      L5=[lambda r, K: [(rows((i != j, 0), (i == j, 1)), 0)
                        for i, j in itertools.product(idx(K), repeat=2)]])
probe("y07_braced_base_power.md", L3=[const((2 ** 3) ** 2, 64)], L5=[const((2 ** 3) ** 2, 512)])


def _odd_rows(rng, K):
    z = Vec.rand(rng, K)
    for i, j in itertools.product(idx(K), repeat=2):
        yield (fd(lambda v, i=i: v[i], z, j), rows((i == j, 1), (i % 2 == 1 and i != j, 0)))


probe("y08_set_with_gap_in_words.md", L4=[_odd_rows])


@functools.cache
def truth_table() -> dict[str, dict[str, list[str]]]:
    """The truth class of every probe step, by brute force (keys as in expected.json)."""
    return {name: {str(line): [decide(fn, SIZES[name]) for fn in steps]
                   for line, steps in sorted(lines.items())}
            for name, lines in sorted(TRUTH.items())}


# --- notation of the third red team (z*): display styles, pair sums, indicators, calls -------
def _zsum(lo: int, rhs: Callable[[int], Any],
          body: Callable[[Vec, int], Any] | None = None) -> Step:
    """Σ_{k=lo}^{K} body (default 1) against rhs(K)."""
    def fn(rng, K):
        z = Vec.rand(rng, K)
        f = (lambda k: 1) if body is None else (lambda k: body(z, k))
        return [(S(lo, K, f), rhs(K))]
    return fn


def _zz(fn: Callable[[Vec, int], tuple[Any, Any]], positive: bool = False) -> Step:
    """A step on a vector z of size K, for every free index value k (or none)."""
    def step(rng, K):
        z = Vec.rand(rng, K, positive)
        return [fn(z, k) for k in idx(K)]
    return step


def _zjk(fn: Callable[[Vec, int, int], tuple[Any, Any]]) -> Step:
    def step(rng, K):
        z = Vec.rand(rng, K)
        return [fn(z, j, k) for j, k in itertools.product(idx(K), repeat=2)]
    return step


def _pairs_less(K: int) -> int:
    return sum(1 for i in idx(K) for j in idx(K) if i < j)


probe("z01_sum_limits.md", L4=[_zz(lambda z, k: (S(1, len(z), lambda c: z[c])
                                               - S(1, len(z), lambda c: z[c]), 0))],
      L6=[_zsum(2, lambda K: K)], L8=[_zsum(1, lambda K: 2 * K, lambda z, k: 2)])
probe("z02_textstyle.md", L4=[_zsum(1, lambda K: 2 * K, lambda z, k: 2)],
      L6=[_zsum(1, lambda K: K + 1)],
      L8=[_zz(lambda z, k: (S(1, len(z), lambda c: z[c]), S(1, len(z), lambda c: z[c])))],
      L10=[const(Fraction(1, 2) + Fraction(1, 2), 2)])
probe("z03_pairs_less.md", L3=[lambda r, K: [(_pairs_less(K), Fraction(K * (K - 1), 2))]],
      L5=[lambda r, K: [(_pairs_less(K), Fraction(K * (K + 1), 2))]],
      L7=[lambda r, K: [(_pairs_less(K), Fraction(K * (K - 1), 2))]],
      L9=[lambda r, K: [(_pairs_less(K), K * K)]])


def _neq_pairs(minus_squares: bool) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        lhs = sum(z[i] * z[j] for i in idx(K) for j in idx(K) if i != j)
        total = S(1, K, lambda k: z[k])
        return [(lhs, total ** 2 - (S(1, K, lambda k: z[k] ** 2) if minus_squares else 0))]
    return fn


probe("z04_pairs_neq.md", L4=[_neq_pairs(True)], L6=[_neq_pairs(False)],
      L8=[lambda r, K: [(sum(1 for i in idx(K) for j in idx(K) if i != j), K * K - K)]])


def _prod_exp(lo_rhs: int) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        return [(P(2, K, lambda k: math.exp(z[k])), math.exp(S(lo_rhs, K, lambda k: z[k])))]
    return fn


probe("z05_prod_sets.md", L4=[const(2 * 2 * 2, 8)], L6=[_prod_exp(1)], L8=[_prod_exp(2)],
      L10=[lambda r, K: [(P(1, K, lambda k: 3), 3 ** K)]])
probe("z06_indicator_mathbb.md",
      L4=[_zjk(lambda z, j, k: (S(1, len(z), lambda c: d(c, j) * z[c]), z[j]))],
      L6=[_zjk(lambda z, j, k: (S(1, len(z), lambda c: 1 - d(c, j)), len(z)))],
      L8=[_zjk(lambda z, j, k: (S(1, len(z), lambda c: d(c, j)), 1))],
      L10=[_zjk(lambda z, j, k: (S(1, len(z), lambda c: d(c, j)), 2))])
probe("z07_indicator_mathbf.md",
      L4=[_zjk(lambda z, j, k: (S(1, len(z), lambda c: d(c, j)), 1))],
      L6=[_zjk(lambda z, j, k: (S(1, len(z), lambda c: int(c <= j)), len(z)))],
      L8=[_zjk(lambda z, j, k: (S(1, len(z), lambda c: int(c <= j)), j))])
probe("z08_iverson.md",
      L4=[_zjk(lambda z, j, k: (S(1, len(z), lambda c: d(c, j) * z[c]), z[j]))],
      L6=[_zjk(lambda z, j, k: (S(1, len(z), lambda c: d(c, j)), len(z)))],
      L8=[_zjk(lambda z, j, k: (S(1, len(z), lambda c: int(c < j)), j - 1))])


def _softmax_k(rhs: Callable[[Vec, int, float], Any]) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        s = softmax(z)
        return [(s[k], rhs(z, k, S(1, K, lambda c: math.exp(z[c])))) for k in idx(K)]
    return fn


probe("z09_operatorname_softmax.md", L4=[_softmax_k(lambda z, k, t: math.exp(z[k]) / t)],
      L6=[_softmax_k(lambda z, k, t: math.exp(z[k]) / t + 1)],
      L8=[lambda r, K: (lambda s: [(S(1, K, lambda k: s[k]), 1)])(softmax(Vec.rand(r, K)))],
      L10=[_softmax_k(lambda z, k, t: math.exp(z[k]))])
probe("z10_exp_left_right.md", L4=[_zz(lambda z, k: (math.exp(z[k]) * math.exp(-z[k]), 1))],
      L6=[_zz(lambda z, k: (math.exp(2 * z[k]), 2 * math.exp(z[k])))],
      L8=[_zz(lambda z, k: (math.exp(S(1, len(z), lambda c: z[c])),
                            P(1, len(z), lambda c: math.exp(z[c]))))],
      L10=[_zz(lambda z, k: (math.exp(z[k]) * math.exp(-z[k]), 0))])


def _dx(f: Callable[[float], float], rhs: Callable[[float], float], order: int = 1) -> Step:
    def fn(rng, K):
        x = float(rng.normal())
        g = f if order == 1 else (lambda u: fd_scalar(f, u, 1e-4))
        return [(fd_scalar(g, x, 1e-4 if order == 2 else 1e-5), rhs(x))]
    return fn


probe("z11_frac_d_dx.md", L2=[_dx(lambda x: x ** 3, lambda x: 3 * x * x)],
      L4=[_dx(lambda x: math.exp(2 * x), lambda x: math.exp(2 * x))],
      L6=[_dx(lambda x: x * x, lambda x: 2 * x)], L8=[_dx(lambda x: x * x, lambda x: x)],
      L10=[_dx(lambda x: x ** 3, lambda x: 6 * x, order=2)])
probe("z12_tfrac_dfrac.md", L1=[const(Fraction(1, 2) + Fraction(1, 2), 1)],
      L3=[const(Fraction(1, 6), Fraction(1, 5))], L5=[const(Fraction(1, 2) * 2, 1)],
      L7=[const(Fraction(1, 2) * 4, 12)],
      L9=[const(1 / (1 + Fraction(1, 2)), Fraction(2, 3))])


def _ab(fn: Callable[[float, float], tuple[Any, Any]]) -> Step:
    return lambda rng, K: [fn(*(float(v) for v in rng.normal(size=2)))]


probe("z13_times_juxtapose.md", L2=[const(2 * 3 * 4, 24)], L4=[_ab(lambda a, b: (a * b, b * a))],
      L6=[_ab(lambda a, b: (a * (b + 1), a * b + 1))],
      L8=[_ab(lambda a, b: (a * (b + 1), a * b + a))],
      L10=[const(2 * 34, 24)])  # TeX prints "3 4" as 34


def _shifted(shift_den: bool, use_max: bool) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        a = max(z.a) if use_max else float(rng.normal()) + 2.0
        den = S(1, K, lambda c: math.exp(z[c] - (a if shift_den else 0)))
        plain = S(1, K, lambda c: math.exp(z[c]))
        return [(math.exp(z[k] - a) / den, math.exp(z[k]) / plain) for k in idx(K)]
    return fn


probe("z14_stable_softmax.md", L5=[_shifted(True, False)], L7=[_shifted(False, False)],
      L9=[_shifted(True, True)], L11=[_shifted(False, True)])


def _lse(shift_rhs: bool, use_max: bool, keep_a: bool = True) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        a = max(z.a) if use_max else float(rng.normal()) + 2.0
        lhs = math.log(S(1, K, lambda c: math.exp(z[c])))
        if not shift_rhs:
            return [(lhs, a)]
        return [(lhs, (a if keep_a else 0) + math.log(S(1, K, lambda c: math.exp(z[c] - a))))]
    return fn


probe("z15_logsumexp_shift.md", L5=[_lse(True, False)], L7=[_lse(True, False, keep_a=False)],
      L9=[_lse(True, True)], L11=[_lse(False, True)])


def _xt(fn: Callable[[Vec, float], tuple[Any, Any]]) -> Step:
    return lambda rng, K: [fn(Vec.rand(rng, K), float(rng.normal()))]


probe("z16_unicode_subscripts.md", L5=[_xt(lambda x, t: (x[1] + x[1], 2 * x[1]))],
      L7=[_xt(lambda x, t: (x[1], x[2]))], L9=[_xt(lambda x, t: (t ** 2 * t ** 3, t ** 5))],
      L11=[_xt(lambda x, t: (t ** 2 + t ** 2, t ** 4))],
      L13=[_xt(lambda x, t: (S(1, len(x), lambda k: x[k]), S(1, len(x), lambda k: x[k])))])
probe("z17_spaces_in_numbers.md", L1=[const(1000 + 1, 1001)], L3=[const(1000, 1)],
      L5=[const(2 + 3, 5)], L7=[const(2000 - 1, 1999)], L9=[const(1000 * 2, 2000)])
probe("z18_left_unbalanced.md", L1=[NOT_A_CLAIM],  # \left( without \right: TeX's error
      L3=[NOT_A_CLAIM],  # "(1 + 2 \cdot 2": which part does the open bracket hold?
      L5=[const((1 + 2) * 2, 6)], L7=[const((1 + 2) * 2, 6)], L9=[const((1 + 2) * 2, 9)])


def _rows_jk(r1: int, r2: int, first_cond: Callable[[int, int], bool] = lambda j, k: j == k
             ) -> Step:
    def fn(rng, K):
        z = Vec.rand(rng, K)
        for j, k in itertools.product(idx(K), repeat=2):
            c = first_cond(j, k)
            yield (fd(lambda v, k=k: v[k], z, j), rows((c, r1), (not c, r2)))
    return fn


probe("z19_cases_else.md", L4=[_rows_jk(1, 0)], L6=[_rows_jk(1, 1)], L8=[_rows_jk(1, 0)],
      L10=[_rows_jk(0, 1, lambda j, k: j != k)], L12=[_rows_jk(1, 0)])


def _under(cond: Callable[[int, int], bool], fn: Callable[[Vec, int, int], tuple[Any, Any]]
           ) -> Step:
    """A step claimed only where ``cond`` holds (a condition in words after it)."""
    def step(rng, K):
        z = Vec.rand(rng, K)
        return [fn(z, j, k) for j, k in itertools.product(idx(K), repeat=2) if cond(j, k)]
    return step


_ALL = lambda j, k: True  # noqa: E731
probe("z20_forall.md", L4=[_under(_ALL, lambda z, j, k: (z[k] - z[k], 0))],
      L6=[_under(_ALL, lambda z, j, k: (d(j, k), 1))],
      L8=[_under(lambda j, k: j != k, lambda z, j, k: (d(j, k), 0))],
      L10=[_under(lambda j, k: j == k, lambda z, j, k: (d(j, k), 1))],
      L12=[_under(lambda j, k: j != k, lambda z, j, k: (d(j, k) * z[j], z[k]))])


def _sq_loss(z: Vec) -> float:
    return S(1, len(z), lambda c: z[c] ** 2)


probe("z21_shadowed_index.md",
      L5=[_zz(lambda z, k: (fd(_sq_loss, z, k), 2 * z[k]))],
      L7=[_zz(lambda z, k: (fd(_sq_loss, z, k), 2 * S(1, len(z), lambda c: z[c])))],
      L9=[_zz(lambda z, k: (S(1, len(z), lambda c: fd(_sq_loss, z, c)),
                            2 * S(1, len(z), lambda c: z[c])))],
      L11=[_zz(lambda z, k: (S(1, len(z), lambda c: z[c] * fd(_sq_loss, z, c)),
                             2 * _sq_loss(z)))],
      L13=[_zz(lambda z, k: (z[k] * S(1, len(z), lambda c: z[c]),
                             S(1, len(z), lambda c: z[k] * z[c])))])


def _xy(fn: Callable[[Vec, Vec], tuple[Any, Any]]) -> Step:
    return lambda rng, D: [fn(Vec.rand(rng, D), Vec.rand(rng, D))]


def _dot(x: Vec, y: Vec) -> float:
    return S(1, len(x), lambda e: x[e] * y[e])


probe("z22_transposes.md", L4=[_xy(lambda x, y: (_dot(x, y), _dot(x, y)))],
      L6=[_xy(lambda x, y: (_dot(x, y), _dot(x, y) + 1))],
      L8=[_xy(lambda x, y: (_dot(x, y), _dot(y, x)))],
      L10=[_xy(lambda x, y: (_dot(x, y), _dot(x, y)))],
      L12=[NOT_A_CLAIM])  # x' y: the transpose of x, or another vector x'?
probe("z23_norms.md", L4=[_xy(lambda x, y: (float(np.sum(x.a ** 2)), _dot(x, x)))],
      L6=[_xy(lambda x, y: (float(np.sum(x.a ** 2)), S(1, len(x), lambda e: x[e])))],
      L8=[_xy(lambda x, y: (float(np.sum(x.a ** 2)), _dot(x, x)))],
      L10=[_xy(lambda x, y: (float(np.sum(np.abs(x.a))), S(1, len(x), lambda e: x[e])))],
      L12=[_xy(lambda x, y: (float(np.sum(x.a ** 2)), _dot(x, x)))])


def _mats(fn: Callable[[np.ndarray, np.ndarray], tuple[Any, Any]]) -> Step:
    return lambda rng, D: [fn(rng.normal(size=(D, D)), rng.normal(size=(D, D)))]


probe("z24_trace.md", L4=[_mats(lambda A, B: (np.trace(A), float(np.sum(np.diag(A)))))],
      L6=[_mats(lambda A, B: (np.trace(A), float(np.sum(A))))],
      L8=[_mats(lambda A, B: (np.trace(A @ B), np.trace(B @ A)))],
      L10=[_mats(lambda A, B: (np.trace(A.T), np.trace(A)))],
      L12=[_mats(lambda A, B: (np.trace(A @ B), np.trace(A) * np.trace(B)))],
      L14=[_mats(lambda A, B: (np.trace(B), np.trace(A)))])
probe("z25_log_bases.md", L2=[const(math.log2(8), 3)], L4=[const(math.log2(8), math.log(8))],
      L6=[const(math.log10(100), 2)],
      L8=[lambda r, K: (lambda t: [(math.log(math.exp(t)), t)])(float(r.normal()))],
      L10=[NOT_A_CLAIM])  # \lg: log base 10 or base 2, by the author's field
probe("z26_roots.md", L1=[const(8 ** (1 / 3), 2)], L3=[const(8 ** (1 / 3), 8 ** 0.5)],
      L5=[const(16 ** 0.5, 4)], L7=[const(16 ** 0.25, 4)])


def _at(f: Callable[[float], float], x0: float, rhs: Callable[[float], float]) -> Step:
    return lambda rng, K: (lambda x: [(fd_scalar(f, x0), rhs(x))])(float(rng.normal()))


probe("z27_eval_bar.md", L2=[_at(lambda x: x * x, 3.0, lambda x: 6)],
      L4=[_at(lambda x: x ** 3, 1.0, lambda x: 3)],
      L6=[_at(lambda x: x * x, 3.0, lambda x: 2 * x)])
probe("z28_invisible_chars.md", L1=[const(5 - 3, 2)], L3=[const(5 - 3, 8)],
      L5=[const(7 - 2, 5)],
      L7=[NOT_A_CLAIM])  # U+2063 INVISIBLE SEPARATOR between 2 and 3: a list, not a number


def _sig_t(fn: Callable[[float], tuple[Any, Any]]) -> Step:
    return lambda rng, K: [fn(float(rng.normal()))]


probe("z29_sigmoid_calls.md", L3=[_sig_t(lambda t: (1 - _sigmoid(t), _sigmoid(-t)))],
      L5=[_sig_t(lambda t: (_sigmoid(-t), -_sigmoid(t)))],
      L7=[_sig_t(lambda t: (_sigmoid(t) + _sigmoid(-t), 1))],
      L9=[_sig_t(lambda t: (_sigmoid(2 * t), 2 * _sigmoid(t)))])
probe("z30_min_max_abs.md", L2=[_ab(lambda a, b: (max(a, b) + min(a, b), a + b))],
      L4=[lambda rng, K: [(max(a, b), a) for a, b in [(-1.0, 1.0), tuple(rng.normal(size=2))]]],
      L6=[_ab(lambda a, b: (abs(a) ** 2, a * a))],
      L8=[lambda rng, K: [(abs(a), a) for a in (-1.5, float(rng.normal()))]],
      L10=[_ab(lambda a, b: (max(a, b) - min(a, b), abs(a - b)))])
probe("z31_binom_cdots.md", L4=[_zsum(1, lambda K: math.comb(K, 2), lambda z, k: k - 1)],
      L6=[_zsum(1, lambda K: math.comb(K, 2), lambda z, k: k)],
      L8=[_zz(lambda z, k: (S(1, len(z), lambda c: z[c]), S(1, len(z), lambda c: z[c])))],
      L10=[lambda rng, K: (lambda z: [(S(1, K, lambda c: z[c]), z[1])])(Vec.rand(rng, K))
           if K > 1 else [(None, 0)]])
probe("z32_delta_comma.md",
      L4=[_zjk(lambda z, j, k: (S(1, len(z), lambda c: d(k, c) * z[c]), z[k]))],
      L6=[_zjk(lambda z, j, k: (S(1, len(z), lambda c: d(k, c)), len(z)))],
      L8=[_zjk(lambda z, j, k: (fd(_sq_loss, z, j), 2 * z[j]))],
      L10=[_zjk(lambda z, j, k: (fd(_sq_loss, z, j), 2 * z[k]))])


# --- bold names with no declaration: shapes inferred from the products (infer_shapes) ---
def _rows(a: np.ndarray, b: np.ndarray) -> list[Pair]:
    """Entry by entry: two arrays of one shape are equal where every entry is."""
    return [(float(x), float(y)) for x, y in zip(a.ravel(), b.ravel(), strict=True)]


probe("h01_bold_shapes.md", sizes=2,
      L1=[lambda rng, D, K: (lambda u, v: [(float(u @ v), float(v @ u))])(
          rng.normal(size=D), rng.normal(size=D))],
      # A B = B A: only square matrices make both sides one shape; false there
      L3=[lambda rng, D, K: (lambda A, B: _rows(A @ B, B @ A))(
          rng.normal(size=(D, D)), rng.normal(size=(D, D)))],
      L5=[NOT_A_CLAIM],  # c c of a column vector: no product; a scalar reading is a guess
      L7=[lambda rng, D, K: (lambda u, M: [(float(u @ M @ u), float(u @ M.T @ u))])(
          rng.normal(size=D), rng.normal(size=(D, D)))],
      L9=[lambda rng, D, K: (lambda u, M: [(float(u @ M @ u), float(u @ u))])(
          rng.normal(size=D), rng.normal(size=(D, D)))],
      L11=[lambda rng, D, K: (lambda P, q, r: _rows(P @ q + r, r + P @ q))(
          rng.normal(size=(D, K)), rng.normal(size=K), rng.normal(size=D))],
      # g^T g (a scalar) = g g^T (a D x D matrix): two shapes, never equal
      L13=[lambda rng, D, K: (lambda g: [(float(g @ g), None)])(rng.normal(size=D))])
# --- functions of vectors, broadcasting, vectors written with dots (issue 19) ---------------
def _ew(fn: Callable[[np.ndarray, np.ndarray], tuple[Any, Any]]) -> Step:
    """A step between two vectors (or two scalars) of x, y: compared entry by entry; sides
    of different shapes are no equality (undefined)."""
    def step(rng, n):
        lhs, rhs = (np.atleast_1d(np.asarray(s, dtype=float))
                    for s in fn(Vec.rand(rng, n).a, Vec.rand(rng, n).a))
        if lhs.shape != rhs.shape:
            raise Undefined("sides of different shapes")
        return list(zip(lhs.tolist(), rhs.tolist(), strict=True))
    return step


def _softmax_np(v: np.ndarray) -> np.ndarray:
    return np.exp(v) / np.exp(v).sum()


probe("f01_elementwise_functions.md",
      L5=[_ew(lambda x, y: (np.log(np.exp(x)), x))],
      L7=[_ew(lambda x, y: (np.exp(x) @ y, S(1, len(x), lambda i: math.exp(x[i - 1]) * y[i - 1])))],
      L9=[_ew(lambda x, y: (np.exp(x) @ y, math.exp(x @ y)))],
      L11=[_ew(lambda x, y: (np.exp(x) @ y, y @ np.exp(x)))],
      L13=[_ew(lambda x, y: (np.exp(x + y), np.exp(x) * np.exp(y)))],
      # e^x e^y of two column vectors side by side: inner, outer or entrywise product
      L15=[NOT_A_CLAIM],
      L17=[_ew(lambda x, y: (np.log(np.exp(x) + np.exp(y)), x + y))],
      L19=[_ew(lambda x, y: (np.log(np.exp(x) * np.exp(y)), x + y))],
      L21=[_ew(lambda x, y: (np.exp(x) / np.exp(x).sum(), _softmax_np(x)))],
      L23=[_ew(lambda x, y: (np.exp(x) / np.exp(x).sum(), _softmax_np(y)))],
      L25=[_ew(lambda x, y: (np.exp(x) @ np.exp(y), np.exp(x + y).sum()))],
      L27=[_ew(lambda x, y: (np.exp(x) @ np.exp(y), np.exp(x).sum() + np.exp(y).sum()))])
# exp of a square matrix: the matrix exponential (expm [[0,1],[0,0]] = [[1,1],[0,1]]) or the
# entries' exponentials ([[1,e],[1,1]]): the two readings differ, so no step has one meaning
probe("f02_matrix_functions.md", L5=[NOT_A_CLAIM], L7=[NOT_A_CLAIM], L9=[NOT_A_CLAIM],
      L11=[const(math.exp(1), math.exp(1))], L13=[const(math.exp(1), 1)], L15=[NOT_A_CLAIM])


def _xyc(fn: Callable[[np.ndarray, np.ndarray, float], tuple[Any, Any]]) -> Step:
    """A step of two vectors x, y and a scalar c, compared entry by entry."""
    return _ew(lambda x, y: fn(x, y, float(np.sin(7 * x.sum() + 3)) + 0.5))


# a scalar added to a vector is added to each entry (NumPy's broadcasting); a matrix plus a
# scalar has two readings, A + cI and A + c 11^T, which differ: no one meaning
probe("f03_broadcasting.md",
      L6=[_xyc(lambda x, y, c: ((1 - x) @ y, y.sum() - x @ y))],
      L8=[_xyc(lambda x, y, c: ((1 - x) @ y, 1 - x @ y))],
      L10=[_xyc(lambda x, y, c: ((c - x) @ y, (x - c) @ y))],
      L12=[NOT_A_CLAIM], L14=[NOT_A_CLAIM], L16=[NOT_A_CLAIM],
      L18=[_ew(lambda x, y: (1 - np.array([1.0, 2.0]), np.array([0.0, -1.0])))],
      L20=[_xyc(lambda x, y, c: (2 * (x - c), 2 * x - 2 * c))],
      L22=[_xyc(lambda x, y, c: (x - c, x - c * y))],
      L24=[_xyc(lambda x, y, c: ((x + c) @ (x + c), x @ x + 2 * c * x.sum() + len(x) * c * c))],
      L26=[_xyc(lambda x, y, c: ((x + c) @ (x + c), x @ x + c * c))])


def _nk(fn: Callable[[Vec, Vec, Vec], tuple[Any, Any]]) -> Step:
    """A step of x, y (length n) and z (length K), compared entry by entry (1-based Vec: an
    entry written outside its vector is undefined)."""
    def step(rng, n, K):
        x, y, z = Vec.rand(rng, n), Vec.rand(rng, n), Vec.rand(rng, K)
        try:
            lhs, rhs = (np.atleast_1d(np.asarray(s, dtype=float)) for s in fn(x, y, z))
        except ValueError as exc:  # a product of vectors of different lengths
            raise Undefined(str(exc)) from None
        if lhs.shape != rhs.shape:
            raise Undefined("sides of different shapes")
        return list(zip(lhs.tolist(), rhs.tolist(), strict=True))
    return step


def _listed(v: Vec, last: int, first: int = 1) -> np.ndarray:
    """(v_first, ..., v_last) as written: each entry read from v (undefined outside it)."""
    step = 1 if last >= first else -1
    return np.array([v[i] for i in range(first, last + step, step)])


# a vector written (x_1, \ldots, x_n): entry i is x_i; (x_1, x_2, \ldots, x_n) writes an x_2
# that n = 1 does not have; (x_1, \ldots, y_n) shows no one pattern
probe("f04_dotted_vectors.md", sizes=2,
      L6=[_nk(lambda x, y, z: (_listed(x, len(x)) @ y.a, S(1, len(x), lambda i: x[i] * y[i])))],
      L8=[_nk(lambda x, y, z: (_listed(x, len(x)) @ y.a, S(1, len(x), lambda i: x[i])))],
      L10=[_nk(lambda x, y, z: (np.array([x[i] - y[i] for i in idx(len(x))]), x.a - y.a))],
      L12=[_nk(lambda x, y, z: (np.array([x[i] - y[i] for i in idx(len(x))]) @ y.a,
                                x.a @ y.a - y.a @ y.a))],
      L14=[NOT_A_CLAIM],
      L16=[_nk(lambda x, y, z: (np.array([x[i] * y[i] for i in idx(len(x))]) @ x.a,
                                S(1, len(x), lambda i: x[i] ** 2 * y[i])))],
      L18=[_nk(lambda x, y, z: (_listed(x, len(z)) @ _listed(x, len(z)),
                                S(1, len(x), lambda i: x[i] ** 2)))],
      L20=[_nk(lambda x, y, z: (np.array([x[1], x[2], *x.a[2:]]) @ y.a, x.a @ y.a))],
      L22=[_nk(lambda x, y, z: (_listed(z, len(z)) @ _listed(z, len(z)),
                                S(1, len(z), lambda k: z[k] ** 2)))],
      L24=[_nk(lambda x, y, z: (_listed(x, 1, len(x)) @ y.a, x.a @ y.a))],
      # oneDAL's w = \{w_0, \ldots, w_p\}: the brace list as the vector (equal as vectors,
      # the two are also equal as sets of entries)
      L26=[_nk(lambda x, y, z: (_listed(x, len(x)), x.a))],
      L28=[_nk(lambda x, y, z: (np.array([x[i] + z[i] for i in idx(len(x))]) @ y.a,
                                x.a @ y.a + z.a @ y.a))])


def _sig_np(v: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-v))


# x × y: the cross product of 3-vectors (or NumPy's x * y entrywise) is no inner product;
# x * y: NumPy's entrywise product, or the inner product in other notes: no one meaning
probe("f05_divide_and_times.md",
      L6=[_ew(lambda x, y: ((x / y) @ y, x.sum()))],
      L8=[_ew(lambda x, y: ((x / y) @ y, (x @ y) / (y @ y)))],
      L10=[_ew(lambda x, y: (_sig_np(x) @ y, float(np.sum(y / (1 + np.exp(-x))))))],
      L12=[_ew(lambda x, y: (_sig_np(x) @ y, float(_sig_np(np.array(x @ y)))))],
      L14=[_ew(lambda x, y: (1 - _sig_np(x), _sig_np(-x)))],
      L16=[NOT_A_CLAIM], L18=[NOT_A_CLAIM],
      L20=[_ew(lambda x, y: ((1 / x) @ x, float(len(x))))])


# --- derivatives of quantities the notes never define (o*): the chain rule ---------------
# p (a vector) and q (a scalar) are differentiated by x but defined nowhere: a step is true
# when it holds for every differentiable p, so each is checked at random smooth instances
# p_j(x, z) = 0.6 + 0.3 tanh((A x + B z + b)_j) and q(x) = tanh(a·x) + x·x, derivatives by
# central differences.
def _undefined_p(rng: np.random.Generator, n: int) -> Callable[[np.ndarray, np.ndarray],
                                                                np.ndarray]:
    a, b, c = rng.normal(size=(n, n)), rng.normal(size=(n, n)), rng.normal(size=n)
    return lambda x, z: 0.6 + 0.3 * np.tanh(a @ x + b @ z + c)


def _jac(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """jac[j, i] = ∂f_j/∂x_i."""
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))]).T


def _chain(side: Callable[..., Any]) -> Step:
    """A step on L = -Σ_j y_j log p_j: side(dl_dx, dl_dp, jac_x, jac_z, y, p, i, j)."""
    def fn(rng, n):
        p = _undefined_p(rng, n)
        x, z, y = rng.normal(size=n), rng.normal(size=n), rng.uniform(0.1, 1.0, size=n)
        px = p(x, z)
        jx, jz = _jac(lambda v: p(v, z), x), _jac(lambda v: p(x, v), z)
        dl_dp = -y / px
        dl_dx = jx.T @ dl_dp
        return [side(dl_dx, dl_dp, jx, jz, y, px, i, j)
                for i in range(n) for j in range(n)]
    return fn


probe("o01_chain_undefined.md",
      L3=[_chain(lambda lx, lp, jx, jz, y, p, i, j: (lx[i], lp @ jx[:, i]))],
      L5=[_chain(lambda lx, lp, jx, jz, y, p, i, j: (lx[i], lp[1:] @ jx[1:, i]))],
      L7=[_chain(lambda lx, lp, jx, jz, y, p, i, j: (lx[i], lp @ jx[i, :]))],
      L9=[_chain(lambda lx, lp, jx, jz, y, p, i, j: (lx[i], -(y / p) @ jx[:, i]))],
      L11=[_chain(lambda lx, lp, jx, jz, y, p, i, j: (lx[i], -y[i] / p[i] * jx[i, i]))],
      L13=[_chain(lambda lx, lp, jx, jz, y, p, i, j: (jz[j, i], 0.0))])


def _scalar_chain(side: Callable[[float, float, np.ndarray, int], tuple[Any, Any]]) -> Step:
    """A step on f = q² + 3q: side(df/dx_i, q, ∂q/∂x, i)."""
    def fn(rng, n):
        a = rng.normal(size=n)
        q = lambda v: float(np.tanh(a @ v) + v @ v)  # noqa: E731
        x = rng.normal(size=n)
        grad = _jac(lambda v: np.array([q(v)]), x)[0]
        f = lambda v: q(v) ** 2 + 3 * q(v)  # noqa: E731
        df = _jac(lambda v: np.array([f(v)]), x)[0]
        return [side(df[i], q(x), grad, i) for i in range(n)]
    return fn


probe("o02_chain_scalar.md",
      L3=[_scalar_chain(lambda df, q, g, i: (df, (2 * q + 3) * g[i]))],
      L5=[_scalar_chain(lambda df, q, g, i: (df, 2 * q * g[i]))],
      L7=[_scalar_chain(lambda df, q, g, i: (df, (2 * q + 3) * g[0]))])
probe("o03_dots_chain.md",  # the chain rule written out with dots
      L3=[_chain(lambda lx, lp, jx, jz, y, p, i, j: (lx[i], lp @ jx[:, i]))],
      # the last term by x_n: terms 1..n-1 by x_i, term n by x_n
      L5=[_chain(lambda lx, lp, jx, jz, y, p, i, j: (lx[i], lp[:-1] @ jx[:-1, i]
                                                     + lp[-1] * jx[-1, -1]))],
      L7=[_chain(lambda lx, lp, jx, jz, y, p, i, j: (lx[i], lp[:-1] @ jx[:-1, i]))])


# --- readings of the fourth red team (q*): inline steps, prose definitions, operator scope ----
# A definition (its verdict is ``definition``, never proved or refuted) is recorded as
# NOT_A_CLAIM so the steps after it on the same line keep their places.
DEF = NOT_A_CLAIM


def _x(fn: Callable[[float], tuple[Any, Any]]) -> Step:
    """A step in one real x (random, and 0, 1, -1)."""
    return lambda rng, K: [fn(x) for x in (float(rng.normal()), 0.0, 1.0, -1.0)]


def _two_readings(strict: Callable[[float], float], wide: Callable[[float], float],
                  rhs: Callable[[float], float]) -> Step:
    """``op a + b = rhs``: the operator on ``a`` only, or on ``a + b`` (both plausible)."""
    return _x(lambda x: (rows((True, strict(x)), (True, wide(x))), rhs(x)))


def _zk_scope(strict: Callable[[float], float], wide: Callable[[float], float],
              rhs: Callable[[float], float]) -> Step:
    """The same for z_k (every k, sizes 1..4): both readings depend on z_k only."""
    def step(rng, K):
        z = Vec.rand(rng, K)
        return [(rows((True, strict(z[k])), (True, wide(z[k]))), rhs(z[k])) for k in idx(K)]
    return step


def _zk(fn: Callable[[float], tuple[Any, Any]]) -> Step:
    def step(rng, K):
        z = Vec.rand(rng, K)
        return [fn(z[k]) for k in idx(K)]
    return step


probe("q01_inline_question.md", L1=[_ab(lambda x, y: (x + y, y + x))],
      L3=[_ab(lambda x, y: (x * y, x))])
# Let q = x^2; "it is not q = 2x" (false), "rather q = x·x" (true)
probe("q02_inline_not_definition.md",
      L1=[DEF, _x(lambda x: (x * x, 2 * x)), _x(lambda x: (x * x, x * x))],
      L3=[_x(lambda x: (2 * x * x, 2 * x * x))], L5=[_x(lambda x: (x * x - x * x, 0))])
# Define r = x^2; "let us check whether r = 2x" is a question (false), not a definition
probe("q03_let_us_check.md", L1=[DEF, _x(lambda x: (x * x, 2 * x))],
      L3=[_x(lambda x: (x * x - x * x, 0))], L5=[_x(lambda x: (x * x - 2 * x, 0))])
# u = 3x + 1; "where we see u = 1 when the input vanishes" is no definition of u
probe("q04_where_we_see.md", L1=[DEF], L5=[_x(lambda x: (3 * x + 1 - 3 * x, 1))],
      L7=[_x(lambda x: (3 * x + 1, 1))])
# "Let a = 2x" ... "Now let a = 3x instead": the steps after the second use a = 3x
probe("q05_redefined.md", L1=[DEF], L3=[_x(lambda x: (4 * x, 4 * x))], L5=[DEF],
      L7=[_x(lambda x: (6 * x, 6 * x))], L9=[_x(lambda x: (6 * x, 4 * x))])
# Sei b = 2x + 1; Soit c = x^2; "on voit que c = 2x est faux" (false)
probe("q06_other_language_let.md", L1=[DEF], L3=[_x(lambda x: (2 * x + 1 - 1, 2 * x))],
      L5=[DEF, _x(lambda x: (x * x, 2 * x))], L7=[_x(lambda x: (2 * x * x, 2 * x * x))],
      L9=[_x(lambda x: (x * x, 2 * x))])
# a display inside a code fence and inline code are not maths: no step there
probe("q07_code_fence.md", L9=[const(2 + 2, 4)])
probe("q08_html_comment.md", L3=[const(1 + 1, 2)])
probe("q09_inline_chain_correction.md", L1=[const(2 + 3, 6), const(2 + 3, 5)],
      L3=[const(4 * 2, 8), const(8, 2 ** 3)])
# ∂/∂z_k z_k^2 - 3 z_k: strict 2z_k - 3z_k, wide 2z_k - 3
probe("q10_scope_strict_wide.md",
      L4=[_zk_scope(lambda z: -z, lambda z: 2 * z - 3, lambda z: 2 * z - 3)],
      L6=[_zk_scope(lambda z: -z, lambda z: 2 * z - 3, lambda z: 2 * z + 3)],
      L8=[_zk(lambda z: (2 * z - 3 * z, 2 * z - 3 * z))],
      L10=[_zk(lambda z: (2 * z - 3, 2 * z - 3))],
      L12=[_zk_scope(lambda z: 2 * z + 0, lambda z: 2 * z, lambda z: 2 * z)],
      L14=[_zk_scope(lambda z: -z, lambda z: 2 * z - 3, lambda z: 2 * z - 3 * z)])
probe("q11_scope_d_dx.md",
      L2=[_two_readings(lambda x: 3 * x * x + x, lambda x: 3 * x * x + 1,
                        lambda x: 3 * x * x + 1)],
      L4=[_two_readings(lambda x: 3 * x * x + x, lambda x: 3 * x * x + 1,
                        lambda x: 3 * x * x + x)],
      L6=[_x(lambda x: (fd_scalar(lambda u: u ** 3 + u, x), 3 * x * x + 1))],
      L8=[_two_readings(lambda x: 3 * x * x + x, lambda x: 3 * x * x + 1,
                        lambda x: 3 * x * x)])
# f = x^3; ∂f/∂x has no operand: no scope question
probe("q12_scope_no_operand.md",
      L3=[_x(lambda x: (fd_scalar(lambda u: u ** 3, x) - 3 * x * x, 0))],
      L5=[_x(lambda x: (fd_scalar(lambda u: u ** 3, x) + 1, 3 * x * x + 1))],
      L7=[_x(lambda x: (fd_scalar(lambda u: u ** 3, x) + 1, 3 * x * x))])


def _t_pairs(fn: Callable[[Vec, float], tuple[Any, Any]]) -> Step:
    """Q = Σ_{i≠j} t_i t_j (the pairs) against a side in t."""
    def step(rng, n):
        t = Vec.rand(rng, n)
        q = S(1, n, lambda i: S(1, n, lambda j: t[i] * t[j] if i != j else 0))
        return [fn(t, q)]
    return step


def _t_others(fn: Callable[[Vec, int, float], tuple[Any, Any]]) -> Step:
    """R_j = Σ_{i≠j} t_i against a side, for every j."""
    def step(rng, n):
        t = Vec.rand(rng, n)
        return [fn(t, j, S(1, n, lambda i, j=j: t[i] if i != j else 0)) for j in idx(n)]
    return step


def _tot(t: Vec) -> float:
    return S(1, len(t), lambda k: t[k])


def _sq(t: Vec) -> float:
    return S(1, len(t), lambda k: t[k] ** 2)


# a hand-written let whose body sums over i ≠ j: read by the ambiguity policy
probe("q13_let_ne_sum.md", L5=[_t_pairs(lambda t, q: (q, _tot(t) ** 2 - _sq(t)))],
      L7=[_t_pairs(lambda t, q: (q, _tot(t) ** 2))])
probe("q14_let_ne_sum_free.md", L5=[_t_others(lambda t, j, r: (r, _tot(t) - t[j]))],
      L7=[_t_others(lambda t, j, r: (r, _tot(t)))])
def _dots_from(lo: int) -> Step:
    """z_1 + … + z_K (the sum it shows) against Σ_{k=lo}^{K} z_k."""
    def fn(rng, K):
        z = Vec.rand(rng, K)
        return [(S(1, K, lambda k: z[k]), S(lo, K, lambda k: z[k]))]
    return fn


probe("q15_dotted_size_one.md", L4=[_dots_from(1)], L6=[_dots_from(2)])


def _exception(full: bool) -> Step:
    """z_1 + … + z_{j-1} + z_{j+1} + … + z_K as written: at j = 1 it writes z_0 and at
    j = K a z_{K+1}, entries z does not have (undefined)."""
    def fn(rng, K):
        z = Vec.rand(rng, K)
        for j in idx(K):
            written = _listed(z, j - 1).sum() + _listed(z, K, j + 1).sum()
            yield (written, _tot(z) - (0 if full else z[j]))
    return fn


probe("q16_dotted_exception.md", L4=[_exception(False)], L6=[_exception(True)])
probe("q17_ne_sum_unicode.md", L4=[_sum_except(True)], L6=[_t_others(
    lambda t, j, r: (r, _tot(t) + t[j]))],
      L8=[_t_others(lambda t, j, r: (r * t[j], t[j] * _tot(t) - t[j] ** 2))])
# Σ_j t_j (a sibling binding j) + Σ_{i≠j} t_i t_j: the pairs
probe("q18_ne_sum_sibling_other_letter.md",
      L4=[_t_pairs(lambda t, q: (_tot(t) + q, _tot(t) + _tot(t) ** 2 - _sq(t)))],
      L6=[_t_pairs(lambda t, q: (_tot(t) + q, _tot(t) + _tot(t) ** 2))],
      L8=[_t_others(lambda t, j, r: (t[j] * r, t[j] * _tot(t) - t[j] ** 2))])


def _wxc(fn: Callable[[Vec, Vec, float], tuple[Any, Any]]) -> Step:
    def step(rng, n):
        return [fn(Vec.rand(rng, n), Vec.rand(rng, n), float(rng.normal()))]
    return step


def _dot(a: Vec, b: Vec) -> float:
    return S(1, len(a), lambda i: a[i] * b[i])


probe("q19_bold_collision.md", L5=[_wxc(lambda w, x, c: (_dot(w, x), _dot(w, x)))],
      L7=[_wxc(lambda w, x, c: (_dot(w, x) + c, S(1, len(w), lambda i: w[i] * x[i] + c)))],
      L9=[_wxc(lambda w, x, c: (_dot(x, x), _tot(x)))])
probe("q20_broadcast_sum.md",
      L5=[_wxc(lambda w, x, c: (S(1, len(x), lambda i: x[i] + c), _tot(x) + len(x) * c))],
      L7=[_wxc(lambda w, x, c: (S(1, len(x), lambda i: x[i] + c), _tot(x) + c))],
      L9=[_wxc(lambda w, x, c: (S(1, len(x), lambda i: x[i] + c), _tot(x) + len(x) * c))])
# f(x) = x^3 - x, f' its derivative
probe("q21_prime_declared.md", L2=[DEF],
      L4=[_x(lambda x: (fd_scalar(lambda u: u ** 3 - u, x), 3 * x * x - 1))],
      L6=[_x(lambda x: (fd_scalar(lambda u: u ** 3 - u, x), 3 * x * x))],
      L8=[_x(lambda x: (fd_scalar(lambda u: u ** 3 - u, 2.0), 11))])
# x' a name of its own (2x), not a derivative
probe("q22_prime_as_name.md", L2=[DEF], L4=[_x(lambda x: (2 * x + x, 3 * x))],
      L6=[_x(lambda x: (2 * x, 2))])


def _samples(fn: Callable[[Vec], tuple[Any, Any]]) -> Step:
    """x^{(i)} is sample i (a label, as parenthesised superscripts are in ML notes)."""
    return lambda rng, K: [fn(Vec.rand(rng, 4))]


probe("q23_sample_superscript.md", L1=[_samples(lambda s: (s[1] + s[2], s[1] + s[2]))],
      L3=[lambda rng, K: (lambda s: [(s[i] * s[j], s[i + j]) for i in (1, 2) for j in (1, 2)])(
          Vec.rand(rng, 4))],
      L5=[_samples(lambda s: (s[1] ** 2, s[1] * s[1]))])
probe("q24_abs.md", L2=[_ab(lambda x, y: (abs(x - y), abs(y - x)))],
      L4=[lambda rng, K: [(abs(x + y), abs(x) + abs(y)) for x, y in ((1.0, -1.0),
                                                                     tuple(rng.normal(size=2)))]],
      L6=[_ab(lambda x, y: (abs(x) ** 2, x * x))],
      L8=[lambda rng, K: [(abs(x), x) for x in (-1.0, float(rng.normal()))]])


def _grad_ww(fn: Callable[[np.ndarray], tuple[Any, Any]]) -> Step:
    """∇_w w^T w = 2w, entry by entry; a scalar added to a vector: to each entry."""
    def step(rng, n):
        w = rng.normal(size=n)
        lhs, rhs = fn(w)
        if isinstance(lhs, Rows):
            return [(rows(*((True, v[i]) for v in lhs)), rhs[i]) for i in range(n)]
        return list(zip(lhs, rhs, strict=True))
    return step


probe("q25_nabla_scope.md", L4=[_grad_ww(lambda w: (2 * w, 2 * w))],
      L6=[_grad_ww(lambda w: (2 * w, w))],
      L8=[_grad_ww(lambda w: (Rows((2 * w + 1, 2 * w)), 2 * w))])
# x_new = x_old - 2 (subscripted scalar names)
probe("q26_subscripted_scalars.md", L2=[DEF], L4=[_x(lambda x: (x - 2 + 2, x))],
      L6=[_x(lambda x: (x - 2, x))])
probe("q27_inline_step_then_wrong.md",
      L2=[_x(lambda x: ((x + 1) ** 2, x * x + 1)), _x(lambda x: ((x + 1) ** 2, x * x + 2 * x + 1))])
# "For x = 0 we get x^2 = x": a condition and a statement under it, no step of its own
probe("q28_inline_with_condition.md", L4=[_x(lambda x: ((x + 1) ** 2 - 1, x * x + 2 * x))])
# "Note that q = 2x would be wrong here. Let q = x^2.": the defining word decides
probe("q29_wrong_before_let.md", L2=[_x(lambda x: (x * x, 2 * x))], L4=[DEF],
      L6=[_x(lambda x: (2 * x * x, 2 * x * x))], L8=[_x(lambda x: (x * x, 2 * x))])


def _softmax_others(fn: Callable[[Vec, int, float], tuple[Any, Any]]) -> Step:
    def step(rng, K):
        p = softmax(Vec.rand(rng, K))
        return [fn(p, j, S(1, K, lambda k, j=j: p[k] if k != j else 0)) for j in idx(K)]
    return step


probe("q30_size_one_ne_sum.md", L5=[_softmax_others(lambda p, j, s: (s, 1 - p[j]))],
      L7=[_softmax_others(lambda p, j, s: (s, p[j]))],
      L9=[_softmax_others(lambda p, j, s: (s * p[j], p[j] - p[j] ** 2))])
probe("q31_redefined_section.md", L3=[DEF], L5=[_x(lambda x: (4 * x, 4 * x))], L9=[DEF],
      L11=[_x(lambda x: (2 * x * x, 2 * x * x))], L13=[_x(lambda x: (2 * x * x, 4 * x))])


def _kf(weighted: bool) -> Step:
    """f = Σ_k z_k; k a free letter (any value 1..K) outside the sum."""
    def fn(rng, K):
        z = Vec.rand(rng, K)
        f = _tot(z)
        for k in idx(K):
            yield (k * f, S(1, K, lambda c, k=k: (c if weighted else k) * z[c]))
    return fn


probe("q32_colliding_index_scalar.md", L1=[DEF], L3=[_kf(False)], L5=[_kf(True)])
probe("q33_mathrm_left_right.md", L2=[_x(lambda x: (2 * x + x, 3 * x))],
      L4=[_x(lambda x: (2 * x + x, 2 * x + 1))],
      L6=[_two_readings(lambda x: 2 * x + x, lambda x: 2 * x + 1, lambda x: 3 * x)])
probe("q34_inline_empty_ranges.md",
      L3=[lambda rng, K: [(S(1, K, lambda k: 1), K)], lambda rng, K: [(S(2, K, lambda k: 1),
                                                                        K - 1)]],
      L5=[lambda rng, K: [(S(3, K, lambda k: 1), K - 2)]])


# --- what the others landed this session, probed (q35..q43) ----------------------------------
def _lin(fn: Callable[[float, float, float], tuple[Any, Any]]) -> Step:
    """y = θ_0 + θ_1 x: fn(θ_0, θ_1, x); ∂y/∂θ_1 = x, ∂y/∂θ_0 = 1."""
    return lambda rng, K: [fn(*(float(v) for v in rng.normal(size=3)))]


probe("q35_numbered_greek.md", L1=[DEF],
      L3=[_lin(lambda t0, t1, x: (fd_scalar(lambda u: t0 + u * x, t1), x))],
      L5=[_lin(lambda t0, t1, x: (fd_scalar(lambda u: u + t1 * x, t0), x))],
      L7=[_lin(lambda t0, t1, x: (t0 + t1 * x - t1 * x, t0))])
probe("q36_numbered_beside_vector.md",
      L4=[lambda rng, K: (lambda t: [(_tot(t) - t[1], S(2, K, lambda k: t[k]))])(Vec.rand(rng, K))],
      L6=[lambda rng, K: (lambda t: [(_tot(t) - t[1], _tot(t))])(Vec.rand(rng, K))])
# f(x) = x^2 + 1, f' its derivative (no declaration: the prime read from its context)
probe("q37_undeclared_prime.md", L1=[DEF],
      L3=[_x(lambda x: (fd_scalar(lambda u: u * u + 1, x), 2 * x))],
      L5=[const(2, 3)],
      L7=[_x(lambda x: (fd_scalar(lambda u: u * u + 1, x) + x * x + 1, (x + 1) ** 2))])


def _dw(fn: Callable[[float, float, float, float], tuple[Any, Any]]) -> Step:
    """L = (wx - y)²/2 and the name dw = (wx - y) x: fn(∂L/∂w, dw, w, x)."""
    def step(rng, K):
        w, x, y = (float(v) for v in rng.normal(size=3))
        grad = fd_scalar(lambda u: 0.5 * (u * x - y) ** 2, w)
        return [fn(grad, (w * x - y) * x, w, x)]
    return step


probe("q38_gradient_name_dw.md", L1=[DEF], L3=[DEF], L5=[_dw(lambda g, dw, w, x: (g, dw))],
      L7=[_dw(lambda g, dw, w, x: (g, dw * w))])


def _ab_mat(fn: Callable[[np.ndarray, np.ndarray], tuple[Any, Any]]) -> Step:
    def step(rng, n):
        return [fn(rng.normal(size=(n, n)), rng.normal(size=(n, n)))]
    return step


probe("q39_frobenius.md", L4=[_ab_mat(lambda a, b: (float(np.sum(a * b)), float(np.sum(a * b))))],
      L6=[_ab_mat(lambda a, b: (float(np.sum(a * b)), float(np.sum(b * a))))],
      L8=[_ab_mat(lambda a, b: (float(np.sum(a * b)), float(np.sum(a * b.T))))])


def _ls(squared: bool) -> Step:
    """‖y - Xw‖² with X the matrix of the x_{ia} against Σ_i (y_i - Σ_a x_{ia} w_a)^(2 or 1)."""
    def step(rng, n, d):
        x, y, w = rng.normal(size=(n, d)), rng.normal(size=n), rng.normal(size=d)
        r = y - x @ w
        return [(float(r @ r), float((r ** 2).sum() if squared else r.sum()))]
    return step


probe("q40_design_matrix.md", sizes=2, L5=[_ls(True)], L7=[_ls(False)])
probe("q41_defining_words_more.md", L1=[DEF], L3=[_x(lambda x: (4 * x, 4 * x))], L5=[DEF],
      L7=[_x(lambda x: (0.0, 0.0))], L9=[_x(lambda x: (x * x, 2 * x))])


def _bias(fn: Callable[[Vec, Vec, int], tuple[Any, Any]]) -> Step:
    """y = θ_0 + Σ_k θ_k x_k: ∂y/∂θ_0 = 1, ∂y/∂θ_j = x_j; fn(x, derivative by θ_j, j) for
    every j (j = 0 the bias)."""
    def step(rng, K):
        x = Vec.rand(rng, K)
        return [fn(x, Vec(np.array([1.0, *x.a])), j) for j in idx(K)]
    return step


probe("q42_bias_and_weights.md", L1=[DEF],
      L3=[_bias(lambda x, g, j: (g[1], 1))],
      L5=[_bias(lambda x, g, j: (g[j + 1], x[j]))],
      L7=[_bias(lambda x, g, j: (g[2], x[1]))],
      L9=[_bias(lambda x, g, j: (g[j + 1], x[1]))])


def _dz(fn: Callable[[float, float, float, float], tuple[Any, Any]]) -> Step:
    """dz = a - y (a name); z = Σ_d w_d x_d: fn(dz, a, x_d, ∂z/∂w_d) for every d."""
    def step(rng, D):
        w, x = Vec.rand(rng, D), Vec.rand(rng, D)
        a, y = (float(v) for v in rng.normal(size=2))
        return [fn(a - y, a, x[d], fd(lambda v: _dot(v, x), w, d)) for d in idx(D)]
    return step


probe("q43_dz_beside_index_d.md", L1=[DEF], L3=[DEF],
      L5=[_dz(lambda dz, a, xd, g: (g, xd))],
      L7=[_dz(lambda dz, a, xd, g: (dz * xd, dz * xd))],
      L9=[_dz(lambda dz, a, xd, g: (dz * xd, a * xd))])
# a display defines a (2x); "Now let $a = 3x$" redefines it for the steps after
probe("q44_display_then_let.md", L1=[DEF], L3=[_x(lambda x: (4 * x, 4 * x))], L5=[DEF],
      L7=[_x(lambda x: (6 * x, 6 * x))], L9=[_x(lambda x: (6 * x, 4 * x))])


def _pos_x(fn: Callable[[float, float], tuple[Any, Any]]) -> Step:
    """A step in a positive base t and a real exponent x."""
    return lambda rng, K: [fn(0.1 + abs(float(rng.normal())), float(rng.normal()))]


# a parenthesised superscript of arithmetic beside a plain power of the same letter: the
# author's Bernoulli-style power (theta^x theta^(1-x) = theta), not a label
probe("q45_paren_power.md", L1=[_pos_x(lambda t, x: (t ** x * t ** (1 - x), t))],
      L3=[_pos_x(lambda t, x: (t ** x * t ** (1 - x), t ** 2))])


# --- red team, round 2 (t*): spellings not probed before, nothing declared --------------------
# U+2010..U+2015 dashes between numbers: a minus (a character derive does not know: unknown)
probe("t01_dashes.md", L1=[const(7 - 2, 5)], L3=[const(7 - 2, 9)], L5=[const(7 - 2, 5)],
      L7=[const(7 - 2, 9)], L9=[const(7 - 2, 5)], L11=[const(7 - 2, 9)])
probe("t02_minus_in_scripts.md",
      L1=[_x(lambda x: (math.exp(-x) * math.exp(x), 1))],
      L3=[_x(lambda x: (math.exp(-x) * math.exp(x), math.exp(2 * x)))],
      L5=[_pos_x(lambda t, x: (t ** -2 * t ** 2, 1))],
      L7=[_pos_x(lambda t, x: (t ** -2 * t ** 2, t ** 4))])
# ∕ (U+2215) and ⁄ (U+2044): division, left to right
probe("t03_division_slashes.md", L1=[const(Fraction(6, 3), 2)], L3=[const(Fraction(6, 3), 3)],
      L5=[const(Fraction(6, 3), 2)], L7=[const(Fraction(1, 2) + Fraction(1, 2), 1)],
      L9=[const(Fraction(8, 2) / 2, 2)], L11=[const(Fraction(8, 2) / 2, 8)])
probe("t04_fullwidth_operators.md", L1=[const(12 + 3, 15)], L3=[const(12 + 3, 9)],
      L5=[const(7 - 2, 5)], L7=[const(7 - 2, 9)])
# x²³ is x^23 (a run of superscript digits is one number)
probe("t05_superscript_digits.md",
      L1=[_x(lambda x: (x ** 2 * x ** 3, x ** 5))], L3=[_x(lambda x: (x ** 2 * x ** 3, x ** 6))],
      L5=[_pos_x(lambda t, x: (t ** -1 * t, 1))], L7=[const(Fraction(1, 2), 2)],
      L9=[_x(lambda x: (x ** 23, x ** 23))], L11=[_x(lambda x: (x ** 23, x ** 6))])
probe("t06_product_dots.md", L1=[const(3 * 4, 12)], L3=[const(3 * 4, 7)], L5=[const(3 * 4, 12)],
      L7=[const(3 * 4, 12)], L9=[const(3 * 4, 7)], L11=[const(3 * 4, 7)])
# Σ and Π (Greek capitals) written as the big operators
probe("t07_greek_sigma_as_sum.md",
      L1=[lambda r, K: [(S(1, K, lambda k: 1), K)]], L3=[lambda r, K: [(S(2, K, lambda k: 1), K)]],
      L5=[lambda r, K: [(P(1, K, lambda k: 2), 2 ** K)]],
      L7=[lambda r, K: (lambda z: [(S(1, K, lambda k: z[k]), S(2, K, lambda k: z[k]))])(
          Vec.rand(r, K))])
# f(x) = x^3: f″ = 6x, f‴ = 6, f′ = 3x²
probe("t08_unicode_primes.md", L1=[DEF], L3=[_x(lambda x: (6 * x, 6 * x))],
      L5=[_x(lambda x: (6 * x, 3 * x * x))], L7=[const(6, 6)],
      L9=[_x(lambda x: (3 * x * x, 6 * x))])
# invisible characters inside a number: no part of it; ⁠ (word joiner) beside a space: "2 3"
probe("t09_invisible_characters.md", L1=[const(5 - 3, 2)], L3=[const(10 + 1, 11)],
      L5=[const(10 + 1, 11)], L7=[const(10 + 1, 2)], L9=[const(5 - 3, 8)])


def _accents(fn: Callable[[float, float, float], tuple[Any, Any]]) -> Step:
    """x̂ and x̄ (a letter with a combining accent) are symbols of their own beside x."""
    return lambda rng, K: [fn(*(float(v) for v in rng.normal(size=3)))]


probe("t10_combining_accents.md", L1=[_accents(lambda x, h, b: (h + b, b + h))],
      L3=[_accents(lambda x, h, b: (h - x, 0))], L5=[_accents(lambda x, h, b: (b, x))],
      L7=[_accents(lambda x, h, b: (0, 0))])  # é precomposed or e + U+0301: one letter


def _others(fn: Callable[[Vec, int, float], tuple[Any, Any]]) -> Step:
    """Σ_{k ≠ j} z_k for every j (j free): fn(z, j, the sum)."""
    def step(rng, K):
        z = Vec.rand(rng, K)
        return [fn(z, j, S(1, K, lambda k, j=j: z[k] if k != j else 0)) for j in idx(K)]
    return step


probe("t11_setminus_sums.md",
      L1=[_others(lambda z, j, s: (s, _tot(z) - z[j]))], L3=[_others(lambda z, j, s: (s, _tot(z)))],
      L5=[_others(lambda z, j, s: (s, _tot(z) - z[j]))], L7=[_others(lambda z, j, s: (s, _tot(z) - z[1]))],
      L9=[_others(lambda z, j, s: (s, _tot(z) - z[j]))], L11=[_others(lambda z, j, s: (s, _tot(z)))])


def _pair_sum(le: bool, body: Callable[[Vec, int, int], float]) -> Callable[[Vec, int], float]:
    """Σ over 1 ≤ j < k ≤ K (or j ≤ k) of body."""
    return lambda z, K: S(1, K, lambda k: S(1, k if le else k - 1, lambda j: body(z, j, k)))


def _zK(fn: Callable[[Vec, int], tuple[Any, Any]]) -> Step:
    return lambda rng, K: [fn(Vec.rand(rng, K), K)]


_one = _pair_sum(False, lambda z, j, k: 1)
_zz_pairs = _pair_sum(False, lambda z, j, k: z[j] * z[k])
probe("t12_pair_sums_undeclared.md",
      L1=[_zK(lambda z, K: (_one(z, K), Fraction(K * (K - 1), 2)))],
      L3=[_zK(lambda z, K: (_one(z, K), Fraction(K * (K + 1), 2)))],
      L5=[_zK(lambda z, K: (_zz_pairs(z, K), (_tot(z) ** 2 - _sq(z)) / 2))],
      L7=[_zK(lambda z, K: (_zz_pairs(z, K), _tot(z) ** 2 / 2))],
      L9=[_zK(lambda z, K: (_pair_sum(True, lambda z, j, k: 1)(z, K), Fraction(K * (K + 1), 2)))],
      L11=[_zK(lambda z, K: (_pair_sum(True, lambda z, j, k: 1)(z, K), Fraction(K * (K - 1), 2)))])


def _zizk(order: str) -> Step:
    """∂(z_i z_k)/∂z_j against cases rows in words ("if i = j and j = k", "else")."""
    def fn(rng, K):
        z = Vec.rand(rng, K)
        for i, j, k in itertools.product(idx(K), repeat=3):
            lhs = fd(lambda v, i=i, k=k: v[i] * v[k], z, j)
            both = (i == j and j == k, 2 * z[j])
            first = (i == j and j != k, z[k])
            second = (k == j and i != j, z[i])
            other = (not (i == j or k == j), 0)
            if order == "full":
                yield (lhs, rows(both, first, second, other))
            elif order == "missing":  # no row for i = j = k: "else" gives 0 there
                yield (lhs, rows(first, second, (not (first[0] or second[0]), 0)))
            else:  # the rows of "full" in another order, "else" first
                yield (lhs, rows(other, second, both, first))
    return fn


probe("t13_cases_rows_in_words.md", L1=[_zizk("full")], L3=[_zizk("missing")],
      L5=[_zizk("reordered")])


def _tri3(fn: Callable[[int], tuple[Any, Any]]) -> Step:
    return lambda rng, K: [fn(K)]


def _t3(K: int) -> int:
    return S(1, K, lambda a: S(1, a, lambda b: S(1, b, lambda c: 1)))


probe("t14_dependent_limits_three.md",
      L1=[_tri3(lambda K: (P(1, K, lambda c: P(1, c, lambda j: 2)), 2 ** (K * (K + 1) // 2)))],
      L3=[_tri3(lambda K: (P(1, K, lambda c: P(1, c, lambda j: 2)), 2 ** (K * K)))],
      L5=[_tri3(lambda K: (_t3(K), Fraction(K * (K + 1) * (K + 2), 6)))],
      L7=[_tri3(lambda K: (_t3(K), Fraction(K * (K + 1), 2)))],
      L9=[_tri3(lambda K: (S(1, K, lambda a: S(a, K, lambda b: S(b, K, lambda c: 1))), _t3(K)))],
      L11=[_tri3(lambda K: (S(1, K, lambda a: S(1, a, lambda b: S(1, a, lambda c: 1))),
                            Fraction(K * (K + 1) * (K + 2), 6)))])


def _outer_free(rhs: Callable[[Vec, Vec, int, int], float]) -> Step:
    """x (D entries, d) and y (K entries, k): x_d y_k against an entry (d, k) of rhs."""
    def fn(rng, K, D):
        x, y = Vec.rand(rng, D), Vec.rand(rng, K)
        for dd, k in itertools.product(idx(D), idx(K)):
            yield (x[dd] * y[k], rhs(x, y, dd, k))
    return fn


def _ytx(x: Vec, y: Vec, dd: int, k: int) -> float:
    if len(x) != len(y):
        raise Undefined("y^T x of vectors of different lengths")
    return _dot(y, x)


# ((y x^T)^T)_{dk} = (x y^T)_{dk} = x_d y_k; ((x y^T)^T)_{dk} = y_d x_k (outside when D ≠ K);
# (y^T x)_{dk}: a number (an entry (d, k) only of a 1×1 matrix); ((x^T)^T y^T)_{dk} = x_d y_k
probe("t15_transposed_outer_sides.md", sizes=2,
      L1=[_outer_free(lambda x, y, dd, k: x[dd] * y[k])],
      L3=[_outer_free(lambda x, y, dd, k: y[dd] * x[k])],
      L5=[_outer_free(lambda x, y, dd, k: _ytx(x, y, dd, k) if dd == k == 1 else y[dd] * 0 + x[
          len(x) + 1])],
      L7=[_outer_free(lambda x, y, dd, k: x[dd] * y[k])])
# a = 2x \qquad b = 3x: two definitions; c = x + 1, \quad d = c^2: two more
probe("t16_qquad_definitions.md", L1=[DEF, DEF],
      L3=[_x(lambda x: (2 * x + 3 * x, 5 * x))], L5=[_x(lambda x: (6 * x * x, 5 * x))],
      L7=[DEF, DEF], L9=[_x(lambda x: ((x + 1) ** 2, x * x + 2 * x + 1))],
      L11=[_x(lambda x: ((x + 1) ** 2, x * x + 1))])


# "Let $a = x$", "Jetzt sei $b = y$": a name set to another letter is a definition
probe("t17_let_one_letter.md", L3=[_x(lambda x: (2 * x, 2 * x))], L5=[_x(lambda x: (2 * x, x))],
      L9=[_ab(lambda x, y: (0, 0))], L11=[_ab(lambda x, y: (y, y + 1))])


def _e_error(fn: Callable[[float, float, float], tuple[Any, Any]]) -> Step:
    """The notes define e = y - t (an error) and write e^2, \\exp: every step read both ways,
    e the notes' error (first row) or Euler's number (second): fn(y, t, e) -> (lhs, rhs)
    under one reading; the step holds under a reading when its sides agree there."""
    def step(rng, K):
        y, t = (float(v) for v in rng.normal(size=2))
        a, b = fn(y, t, y - t), fn(y, t, math.e)  # the difference of the sides, per reading
        return [(rows((True, a[0] - a[1]), (True, b[0] - b[1])), 0.0)]
    return step


def _half_sq_grad(y: float, t: float, e: float) -> float:
    """∂(e²/2)/∂y: e - its own derivative by y (1 for the error, 0 for the constant)."""
    return e * (1.0 if e != math.e else 0.0)


probe("t18_e_defined_as_error.md", L1=[DEF], L3=[DEF],
      L5=[_e_error(lambda y, t, e: (_half_sq_grad(y, t, e), e))],
      L7=[_e_error(lambda y, t, e: (_half_sq_grad(y, t, e), y - t))],
      L9=[_e_error(lambda y, t, e: (e * e, math.exp(2)))],
      L11=[_e_error(lambda y, t, e: (2 * e, e + e))])
probe("t19_inline_without_word.md", L3=[_x(lambda x: (x, x))], L5=[_x(lambda x: (x + 2, x))],
      L9=[_x(lambda x: (x, x))])
# \section{One}: a = 2x; \section{Two}: a = x^2
probe("t20_section_redefinition.tex", L3=[_x(lambda x: (4 * x, 4 * x))],
      L6=[_x(lambda x: (2 * x * x, 2 * x * x))], L7=[_x(lambda x: (2 * x * x, 4 * x))])


def _x12(fn: Callable[[float, float], tuple[Any, Any]]) -> Step:
    return lambda rng, K: [fn(*(float(v) for v in rng.normal(size=2)))]


# f = x_1^2 + x_1 x_2
probe("t21_numbered_hessian.md", L1=[DEF], L3=[_x12(lambda a, b: (2 * a + b, 2 * a + b))],
      L5=[_x12(lambda a, b: (a, a + b))], L7=[_x12(lambda a, b: (a, a))],
      L9=[const(1, 1)], L11=[_x12(lambda a, b: (2.0, 2 * b))])


def _sig(fn: Callable[[float, float], tuple[Any, Any]]) -> Step:
    """L = σ(z): fn(z, σ(z))."""
    return lambda rng, K: [fn(z, _sigmoid(z)) for z in (float(rng.normal()), 0.0, 2.0)]


probe("t22_function_chain_sigma.md", L1=[DEF, _sig(lambda z, s: (s, s))],
      L3=[_sig(lambda z, s: (fd_scalar(_sigmoid, z), s * (1 - s)))],
      L5=[_sig(lambda z, s: (fd_scalar(_sigmoid, z), s * (1 + s)))],
      L7=[_sig(lambda z, s: (fd_scalar(_sigmoid, z), s * (1 - s)))])
probe("t23_log_bases.md", L1=[const(math.log2(8), 3)], L3=[const(math.log2(8), 2)],
      L5=[const(math.log10(100), 2)],
      L7=[lambda r, K: (lambda a, b: [(math.log2(a) + math.log2(b), math.log2(a * b))])(
          0.1 + abs(float(r.normal())), 0.1 + abs(float(r.normal())))],
      L9=[_pos_x(lambda t, x: (math.log(t, 3), math.log(t) / math.log(3)))],
      L11=[_pos_x(lambda t, x: (math.log(t, 3), math.log(3) / math.log(t)))])
probe("t24_abs_bars.md", L1=[_x(lambda x: (abs(x) ** 2, x * x))],
      L3=[_ab(lambda x, y: (abs(x - y), abs(x) - abs(y)))],
      L5=[_ab(lambda x, y: (abs(x) * abs(y), abs(x * y)))], L7=[const(3, 3)],
      L9=[const(2, -2)], L11=[_x(lambda x: (abs(x), x))])
# x^{(2)}: a parenthesised number is a power (the convention of derive.latex.scripts)
probe("t25_paren_digit_superscript.md", L1=[_x(lambda x: (x ** 2, x ** 2))],
      L3=[_x(lambda x: (2 * x ** 2, 2 * x ** 2))], L5=[_x(lambda x: (x * x, x * x))],
      L7=[_x(lambda x: (x ** 3, x ** 3))])
probe("t26_colour.md", L1=[_x(lambda x: (3 * x, 3 * x))], L3=[_x(lambda x: (3 * x, 2 * x))],
      L5=[_x(lambda x: (2 * x, 2 * x))], L7=[_x(lambda x: (3 * x, 3 * x))],
      L9=[_x(lambda x: (x * x, x))])


def _dots(fn: Callable[[Vec, int], tuple[Any, Any]]) -> Step:
    """A dotted sum read as the sum it abbreviates (the convention: at K = 1
    ``z_1 + z_2 + \\dots + z_K`` is z_1)."""
    return lambda rng, K: [fn(Vec.rand(rng, K), K)]


probe("t27_dotted_sums.md",
      L1=[_dots(lambda z, K: (_tot(z), _tot(z)))], L3=[_dots(lambda z, K: (_tot(z), _tot(z) - z[1]))],
      L5=[_dots(lambda z, K: (_tot(z), z[1] + S(2, K, lambda k: z[k])))],
      L7=[_dots(lambda z, K: (S(2, K, lambda k: z[k]), _tot(z) - z[1]))],
      L9=[_dots(lambda z, K: (S(2, K, lambda k: z[k]), _tot(z)))],
      L11=[_dots(lambda z, K: (_tot(z), z[1] + z[2] + S(3, K, lambda k: z[k])))],
      L13=[_dots(lambda z, K: (S(1, K, lambda k: k), Fraction(K * (K + 1), 2)))],
      L15=[_dots(lambda z, K: (S(1, K, lambda k: k), K * K))],
      L17=[_dots(lambda z, K: (S(1, K - 1, lambda k: z[k]), _tot(z) - z[K]))],
      L19=[_dots(lambda z, K: (S(1, K - 1, lambda k: z[k]), _tot(z)))],
      L21=[_dots(lambda z, K: (P(1, K, lambda k: z[k]), P(1, K, lambda k: z[k])))],
      L23=[_dots(lambda z, K: (_sq(z), _tot(z)))])
# L = x^2 y: dL = 2xy dx + x^2 dy
probe("t28_differentials.md", L1=[DEF],
      L3=[lambda r, K: [(1, 1)]],  # the total differential, term by term: true
      L5=[_ab(lambda x, y: (x * x, x))],  # the dy coefficient: x^2 vs x
      L7=[_ab(lambda x, y: (fd_scalar(lambda u: u * u * y, x), 2 * x * y))])


def _lin2(fn: Callable[[float, float, float, float, float], tuple[Any, Any]]) -> Step:
    """y = w_1 x_1 + w_2 x_2 + b: fn(w1, w2, x1, x2, b)."""
    return lambda rng, K: [fn(*(float(v) for v in rng.normal(size=5)))]


probe("t29_numbered_linear.md", L1=[DEF],
      L3=[_lin2(lambda w1, w2, x1, x2, b: (fd_scalar(lambda u: u * x1 + w2 * x2 + b, w1), x1))],
      L5=[_lin2(lambda w1, w2, x1, x2, b: (fd_scalar(lambda u: w1 * x1 + u * x2 + b, w2), x1))],
      L7=[_lin2(lambda w1, w2, x1, x2, b: (fd_scalar(lambda u: w1 * x1 + w2 * x2 + u, b), 1))],
      L9=[const(1, 1)], L11=[_lin2(lambda w1, w2, x1, x2, b: (0.0, x1))])


def _jw(fn: Callable[[float, float, float], tuple[Any, Any]]) -> Step:
    """J(w) = (wx - y)^2 / 2: fn(w, x, y)."""
    return lambda rng, K: [fn(*(float(v) for v in rng.normal(size=3)))]


probe("t30_prime_chain.md", L1=[DEF], L3=[_jw(lambda w, x, y: ((w * x - y) * x, (w * x - y) * x))],
      L5=[_jw(lambda w, x, y: ((w * x - y) * x, w * x - y))],
      L7=[_jw(lambda w, x, y: (x * x, x * x))])
probe("t31_defining_words_languages.md", L3=[_x(lambda x: (2 * x, 2 * x))],
      L5=[_x(lambda x: (2 * x, x))], L7=[DEF], L9=[_x(lambda x: (2 * x, 2 * x))], L11=[DEF],
      L13=[_x(lambda x: (x * x, 2 * x))], L17=[_x(lambda x: (x, x))], L19=[DEF],
      L21=[_x(lambda x: (4 * x, 4 * x))], L23=[_x(lambda x: (5 * x, x))])
# a = 2x \qquad b = 3: two definitions (b never written before: no condition on it)
probe("t32_qquad_value_and_condition.md", L1=[DEF, DEF],
      L3=[_x(lambda x: (2 * x + 3, 2 * x + 3))], L5=[_x(lambda x: (2 * x + 3, 2 * x))],
      L7=[DEF, DEF], L9=[_ab(lambda x, y: (4 * y, 4 * y))], L11=[_ab(lambda x, y: (4 * y + 1, 4 * y))])
# "Let $a = 3$", "For $x = 0$": a value the prose sets (the steps hold at it)
probe("t33_value_set_in_prose.md", L3=[const(2 * 3, 6)], L5=[const(2 * 3, 7)],
      L9=[const(Fraction(1, 1 + 1), Fraction(1, 2))], L11=[DEF],
      L13=[const(Fraction(1, 2) + Fraction(1, 2), 1)])
# L's first definition (L = x^2) sits in a display with a \le: L = 3x is a claim about it
probe("t34_unread_first_definition.md", L1=[DEF, NOT_A_CLAIM],
      L3=[_x(lambda x: (x * x, 3 * x))], L5=[_x(lambda x: (x * x - 3 * x, 0))],
      L7=[_x(lambda x: (x * x - x * x, 0))])


def _tri_z(fn: Callable[[Vec, int], tuple[Any, Any]]) -> Step:
    return lambda rng, K: [fn(Vec.rand(rng, K, positive=True), K)]


# dependent limits with bodies that use the inner index; U+2212 in a subscript and a limit
probe("t35_dependent_limits_bodies.md",
      L1=[_tri_z(lambda z, K: (S(1, K, lambda c: S(1, c, lambda j: j)),
                               Fraction(K * (K + 1) * (K + 2), 6)))],
      L3=[_tri_z(lambda z, K: (S(1, K, lambda c: S(1, c, lambda j: j)), Fraction(K * (K + 1), 2)))],
      L5=[_tri_z(lambda z, K: (S(1, K, lambda c: S(1, c, lambda j: z[j])),
                               S(1, K, lambda j: (K - j + 1) * z[j])))],
      L7=[_tri_z(lambda z, K: (S(1, K, lambda c: S(1, c, lambda j: z[j])), S(1, K, lambda j: j * z[j])))],
      L9=[_tri_z(lambda z, K: (S(1, K, lambda c: S(c, K, lambda j: z[j])), S(1, K, lambda j: j * z[j])))],
      L11=[_tri_z(lambda z, K: (P(1, K, lambda c: P(1, c, lambda j: z[j])),
                                P(1, K, lambda j: z[j] ** (K - j + 1))))],
      L13=[_tri_z(lambda z, K: (S(2, K, lambda k: z[k - 1]), S(1, K - 1, lambda k: z[k])))],
      L15=[_tri_z(lambda z, K: (S(2, K, lambda k: z[k - 1]), _tot(z)))])
# definition links spelt ≔ ≜ \coloneq =: (the right side named), a step's reason over its
# '=' ((a), (b): claims), a demand (! over '=': no claim), \buildrel ... \over = (unread)
probe("t36_definition_links.md", L1=[DEF], L3=[_x(lambda x: (x, x))], L5=[DEF],
      L7=[_x(lambda x: (3 * x, 2 * x))], L9=[DEF], L11=[_x(lambda x: (x, x))], L13=[DEF],
      L15=[_x(lambda x: (x * x, x * x))], L17=[_x(lambda x: (x * x + 1, x * x))],
      L19=[_x(lambda x: ((x + 1) ** 2, x * x + 2 * x + 1)),
           _x(lambda x: (x * x + 2 * x + 1, x * x + 1))],
      L21=[NOT_A_CLAIM], L23=[_x(lambda x: (x - x, 0))], L25=[DEF, NOT_A_CLAIM],
      L27=[_x(lambda x: (x, x))])
# a = B =: s: a = B and s := B; b = B =: t = 7: t := B (unread there), then t = 7 (false)
probe("t37_reverse_definition_in_chain.md", L1=[DEF, DEF], L3=[_x(lambda x: (x * x + 1, x * x))],
      L5=[_x(lambda x: (1.0, 1.0))], L7=[DEF, NOT_A_CLAIM, _x(lambda x: (x + 2, 7))],
      L9=[_x(lambda x: (x + 2, x))], L11=[_x(lambda x: (x + 2 - x, 0))])
# \phantom{x}: room, no formula ("x +   = 2x" has no meaning); \vphantom{..}: sizes brackets;
# bold 𝐰, 𝐱 (vectors) beside the plain scalars w, x; math italic 𝑥 is x
probe("t38_invisible_and_bold.md", L1=[NOT_A_CLAIM],
      L3=[_x(lambda x: ((x + 1) ** 2, x * x + 2 * x + 1))],
      L5=[_x(lambda x: ((x + 1) ** 2, x * x + 1))], L7=[_x(lambda x: (2 * x, 2 * x))],
      L9=[lambda rng, K: (lambda w, x, a, b: [(_dot(w, x), a * b)])(
          Vec.rand(rng, K), Vec.rand(rng, K), *(float(v) for v in rng.normal(size=2)))],
      L11=[_x(lambda x: (2 * x, 2 * x))], L13=[_x(lambda x: (x, x))])


def _ne(fn: Callable[[Vec, int, int], tuple[Any, Any]]) -> Step:
    """A step with a free j (every value 1..K) on a positive vector z of size K."""
    def step(rng, K):
        z = Vec.rand(rng, K, positive=True)
        return [fn(z, j, K) for j in idx(K)]
    return step


def _skip(z: Vec, j: int, K: int, f: Callable[[int], float] = lambda k: 0.0) -> float:
    return S(1, K, lambda k: f(k) if k != j else 0)


probe("t39_ne_sums_and_products.md",
      L1=[_ne(lambda z, j, K: (P(1, K, lambda k: z[k] if k != j else 1),
                               P(1, K, lambda k: z[k]) / z[j]))],
      L3=[_ne(lambda z, j, K: (P(1, K, lambda k: z[k] if k != j else 1), P(1, K, lambda k: z[k])))],
      L5=[_ne(lambda z, j, K: (_skip(z, j, K, lambda k: z[k] * z[j]), z[j] * _tot(z) - z[j] ** 2))],
      L7=[_ne(lambda z, j, K: (_skip(z, j, K, lambda k: z[k] * z[j]), z[j] * _tot(z)))],
      L9=[_ne(lambda z, j, K: (_skip(z, j, K, lambda k: z[k]), _tot(z) - z[j]))],
      L11=[_ne(lambda z, j, K: (_skip(z, j, K, lambda k: z[k]), _tot(z)))],
      L13=[_ne(lambda z, j, K: (_skip(z, j, K, lambda k: z[k]), _tot(z) - z[j]))],
      L15=[_ne(lambda z, j, K: (_skip(z, j, K, lambda k: z[k]), _tot(z)))])


def _xw(fn: Callable[[np.ndarray, np.ndarray, np.ndarray], Any]) -> Step:
    """X (n×d), y (n), w (d) with n, d over 1..4: fn(X, y, w) -> pairs (lhs, rhs)."""
    return lambda rng, n, d: fn(rng.normal(size=(n, d)), rng.normal(size=n), rng.normal(size=d))


def _entry(a: np.ndarray, i: int, j: int) -> float:
    """a_{ij}, 1-based; outside the matrix: undefined."""
    if not (1 <= i <= a.shape[0] and 1 <= j <= a.shape[1]):
        raise Undefined(f"entry ({i}, {j}) of a {a.shape} matrix")
    return float(a[i - 1, j - 1])


def _grad_ls(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    return -2 * X.T @ (y - X @ w)


probe("t40_design_matrix_from_use.md", sizes=2,
      L1=[_xw(lambda X, y, w: [(float(np.sum((y - X @ w) ** 2)), S(1, len(y), lambda i: (
          y[i - 1] - S(1, len(w), lambda j: _entry(X, i, j) * w[j - 1])) ** 2))])],
      L3=[_xw(lambda X, y, w: [(float(np.sum((y - X @ w) ** 2)), S(1, len(y), lambda i: (
          y[i - 1] - S(1, len(w), lambda j: _entry(X, j, i) * w[j - 1])) ** 2))])],
      L5=[_xw(lambda X, y, w: list(zip(_grad_ls(X, y, w), -2 * X.T @ (y - X @ w), strict=True)))],
      L7=[_xw(lambda X, y, w: [(0.0, float("nan"))] if X.shape[0] != X.shape[1] else list(zip(
          _grad_ls(X, y, w), -2 * X @ (y - X @ w), strict=True)))],
      L9=[_xw(lambda X, y, w: [(float((X.T @ X)[j - 1, k - 1]), S(1, X.shape[0], lambda i, j=j, k=k: _entry(
          X, i, j) * _entry(X, i, k))) for j in idx(X.shape[1]) for k in idx(X.shape[1])])],
      L11=[_xw(lambda X, y, w: [(float((X.T @ X)[j - 1, k - 1]), S(1, X.shape[0], lambda i, j=j, k=k: _entry(
          X, j, i) * _entry(X, k, i))) for j in idx(X.shape[1]) for k in idx(X.shape[1])])])


def _cond(general: Callable[[float, float], tuple[Any, Any]],
          under: Callable[[float], tuple[Any, Any]]) -> Step:
    """A step after "When $c = d$ we get": true under the condition (c := d) or claimed for
    every c, d; two readings (the difference of the sides under each)."""
    def step(rng, K):
        c, d = (float(v) for v in rng.normal(size=2))
        g, u = general(c, d), under(d)
        return [(rows((True, g[0] - g[1]), (True, u[0] - u[1])), 0.0)]
    return step


# "If $a = 2b$ ... In general a - 2b = 0" (claimed in general: false); "When $c = d$ we
# get c² - d² = 0", "Wenn $u = v$, dann u + v = 2v": under the condition, or in general
probe("t41_condition_words.md", L3=[_ab(lambda a, b: (a - 2 * b, 0))],
      L5=[_ab(lambda a, b: ((a - 2 * b) ** 2, a * a - 4 * a * b + 4 * b * b))],
      L9=[_cond(lambda c, d: (c * c - d * d, 0), lambda d: (d * d - d * d, 0))],
      L13=[_cond(lambda u, v: (u + v, 2 * v), lambda v: (v + v, 2 * v))], L15=[DEF],
      L17=[_x(lambda v: (2 * v, 2 * v))])


def _abc(fn: Callable[[float, float, float], tuple[Any, Any]]) -> Step:
    """A step in three positive reals (powers of them stay real)."""
    return lambda rng, K: [fn(*(0.3 + abs(float(v)) for v in rng.normal(size=3)))]


# plain-text maths (an indented block): precedence as in Python and school algebra; x^y^z
# and a/2b have two conventions (no single meaning); x'y: a prime or a transpose
probe("t42_plain_text_precedence.md", L3=[_abc(lambda x, y, z: (-(x ** 2), -(x ** 2)))],
      L5=[_abc(lambda x, y, z: (-(x ** 2), (-x) ** 2))], L7=[NOT_A_CLAIM], L9=[NOT_A_CLAIM],
      L11=[_abc(lambda x, y, z: (x ** (y ** z), x ** (y ** z)))],
      L13=[_abc(lambda a, b, c: (a / b / c, a / (b * c)))],
      L15=[_abc(lambda a, b, c: (a / b / c, a * c / b))],
      L17=[_abc(lambda a, b, c: (a - b - c, a - (b - c)))], L19=[NOT_A_CLAIM], L21=[NOT_A_CLAIM],
      L23=[NOT_A_CLAIM], L25=[_ab(lambda a, b: ((-a) * (-b), a * b))])


# --- the sixth red team (r*, nothing declared in most): sizes of 1 and indices that
# coincide under a cancelled factor, real-undefined values (log of a negative, a root of a
# negative) that a simplification erases, symbolic powers, call powers, roots, 'where'
# entries, sample vectors, \mathcal calls, labels under a log, e as a name, prose
# definitions and conditions, restated definitions, one-slip derivations ------------------
def _ln(v: float) -> float:
    """The real log: undefined at v <= 0."""
    if v <= 0:
        raise Undefined(f"log of {v}")
    return math.log(v)


def _pw(base: float, ex: float) -> float:
    """The real power: undefined for a negative base and a non-integer exponent, or 0 to a
    negative power."""
    if base == 0 and ex < 0:
        raise Undefined("0 to a negative power")
    if base < 0 and not float(ex).is_integer():
        raise Undefined(f"{base} to the power {ex}")
    return float(base ** ex)


def _rt(v: float) -> float:
    return _pw(v, 0.5)


def _scal(n: int, fn: Callable[..., Any]) -> Step:
    """A step in n real scalars (normal draws: both signs)."""
    return lambda rng, *_: [fn(*(float(v) for v in rng.normal(size=n)))]


def _rzK(fn: Callable[[Vec, int], Any]) -> Step:
    """A step on a real vector z of size K: fn(z, K) -> (lhs, rhs)."""
    return lambda rng, K: [fn(Vec.rand(rng, K), K)]


def _rzjk(fn: Callable[[Vec, int, int, int], Any]) -> Step:
    """A step with free j, k (every pair of values 1..K) on a real vector z."""
    def step(rng, K):
        z = Vec.rand(rng, K)
        return [fn(z, j, k, K) for j in idx(K) for k in idx(K)]
    return step


def _zj(fn: Callable[[Vec, int, int], Any]) -> Step:
    def step(rng, K):
        z = Vec.rand(rng, K)
        return [fn(z, j, K) for j in idx(K)]
    return step


def _either(general: float, conditioned: float) -> Rows:
    """The difference of the sides read in general and under the prose's condition (0: the
    condition does not hold here, the conditional claim says nothing)."""
    return rows((True, general), (True, conditioned))


probe("r01_size_one_cancel.md",
      L1=[_rzK(lambda z, K: ((K - 1) / (K - 1) * _tot(z), _tot(z)))],
      L3=[_rzK(lambda z, K: (K / K * _tot(z), _tot(z)))],
      L5=[_rzK(lambda z, K: ((K - 1) * _tot(z) / (K - 1), _tot(z)))],
      L7=[_rzK(lambda z, K: ((K - 1) ** 2 / (K - 1) * _tot(z), (K - 1) * _tot(z)))])


def _smooth(fn: Callable[[float, int, int], tuple[Any, Any]]) -> Step:
    return lambda rng, K: [fn(float(rng.normal()), j, K) for j in idx(K)]


probe("r02_label_smoothing_size_one.md",
      L3=[_smooth(lambda e, j, K: (sum(e / (K - 1) for k in idx(K) if k != j), e))],
      L5=[_smooth(lambda e, j, K: (e / (K - 1) * (K - 1), e))],
      L7=[_smooth(lambda e, j, K: (S(1, K, lambda k: e / K), e))])
probe("r03_index_equal_cancel.md",
      L1=[_rzjk(lambda z, j, k, K: ((z[j] - z[k]) / (z[j] - z[k]), 1))],
      L3=[_rzjk(lambda z, j, k, K: ((z[j] - z[k]) ** 2 / (z[j] - z[k]), z[j] - z[k]))],
      L5=[_rzjk(lambda z, j, k, K: (z[j] * z[k] / z[k], z[j]))],
      L7=[_rzjk(lambda z, j, k, K: ((z[j] - z[k]) ** 2, z[j] ** 2 - 2 * z[j] * z[k] + z[k] ** 2))])
probe("r04_delta_cancel.md",
      L3=[_rzjk(lambda z, j, k, K: ((1 - d(j, k)) / (1 - d(j, k)), 1))],
      L5=[_rzjk(lambda z, j, k, K: ((1 - d(j, k)) ** 2, 1 - d(j, k)))],
      L7=[_rzjk(lambda z, j, k, K: (Fraction(d(j, k), 1 + d(j, k)), Fraction(d(j, k), 2)))],
      L9=[_rzjk(lambda z, j, k, K: (d(j, k) / d(j, k), 1))])
probe("r05_sqrt_square_inputs.md", L1=[_scal(1, lambda a: (_rt(a) ** 2, a))],
      L3=[_scal(1, lambda a: (_rt(a * a), abs(a)))],
      L5=[_scal(1, lambda a: (_pw(a, 0.5) * _pw(a, 0.5), a))],
      L7=[_scal(1, lambda a: (_rt(a * a + 1) * _rt(a * a + 1), a * a + 1))])
probe("r06_exp_log_inputs.md", L1=[_scal(1, lambda a: (math.exp(_ln(a)), a))],
      L3=[_scal(1, lambda a: (math.exp(_ln(1 + math.exp(a))), 1 + math.exp(a)))],
      L5=[_scal(2, lambda a, b: (_ln(math.exp(a)) + _ln(math.exp(b)), a + b))],
      L7=[_scal(2, lambda a, b: (math.exp(_ln(a) + _ln(b)), a * b))])
probe("r07_log_split_by_form.md",
      L1=[_scal(2, lambda a, b: (_ln((1 + math.exp(a)) * (1 + math.exp(b))),
                                 _ln(1 + math.exp(a)) + _ln(1 + math.exp(b))))],
      L3=[_scal(2, lambda a, b: (_ln((1 + a) * (1 + b)), _ln(1 + a) + _ln(1 + b)))],
      L5=[_scal(2, lambda a, b: (_ln(a * a * b * b), 2 * _ln(abs(a)) + 2 * _ln(abs(b))))],
      L7=[_scal(2, lambda a, b: (_ln(math.exp(a) / (math.exp(a) + math.exp(b))),
                                 a - _ln(math.exp(a) + math.exp(b))))])
probe("r08_symbolic_powers.md",
      L1=[_scal(3, lambda t, a, b: (_pw(1 + math.exp(-t), a) * _pw(1 + math.exp(-t), b),
                                    _pw(1 + math.exp(-t), a + b)))],
      L3=[_scal(3, lambda t, a, b: (_pw(1 - t, a) * _pw(1 - t, b), _pw(1 - t, a + b)))],
      L5=[_scal(2, lambda t, a: (_pw(t * t, a), _pw(t, 2 * a)))],
      L7=[_scal(2, lambda t, a: (_pw(math.exp(t), a), math.exp(a * t)))])


def _bern(fn: Callable[[float, float, float], tuple[Any, Any]]) -> Step:
    """σ = 1/(1 + e^{-t}) and a real y (any sign: the step is claimed for every y)."""
    return _scal(2, lambda t, y: fn(_sigmoid(t), t, y))


probe("r09_bernoulli_likelihood.md", L1=[DEF],
      L3=[_bern(lambda s, t, y: (_pw(s, y) * _pw(1 - s, 1 - y),
                                 math.exp(y * _ln(s) + (1 - y) * _ln(1 - s))))],
      L5=[_bern(lambda s, t, y: (_ln(_pw(s, y) * _pw(1 - s, 1 - y)),
                                 y * t - _ln(1 + math.exp(t))))],
      L7=[_bern(lambda s, t, y: (_ln(_pw(s, y) * _pw(1 - s, 1 - y)),
                                 y * t - _ln(1 + math.exp(-t))))])


def _tanhish(fn: Callable[[float, float, float], tuple[Any, Any]]) -> Step:
    """s = 1 - 2/(1 + e^{-t}), in (-1, 1): negative for t > 0."""
    return _scal(3, lambda t, a, b: fn(1 - 2 / (1 + math.exp(-t)), a, b))


probe("r10_base_not_positive.md", L1=[DEF],
      L3=[_tanhish(lambda s, a, b: (_pw(s, a) * _pw(s, b), _pw(s, a + b)))],
      L5=[_tanhish(lambda s, a, b: (s ** 2 * s ** 3, s ** 5))],
      L7=[_tanhish(lambda s, a, b: (_rt(s * s), s))])


def _maybe(f: Callable[[], float]) -> float | None:
    """A reading's value, None where it is undefined (never equal to anything)."""
    try:
        return f()
    except Undefined:
        return None


probe("r11_log_call_powers.md",
      L1=[_scal(1, lambda x: (rows((True, _maybe(lambda: _ln(x) ** 2)),
                                   (True, _maybe(lambda: _ln(x * x)))), _maybe(lambda: 2 * _ln(x))))],
      L3=[_scal(1, lambda x: (_ln(1 + math.exp(x)) ** 2, _ln(1 + math.exp(x)) * _ln(1 + math.exp(x))))],
      L5=[_scal(1, lambda x: (_ln(1 + math.exp(x)) ** 2, 2 * _ln(1 + math.exp(x))))],
      L7=[_scal(1, lambda x: (rows((True, _ln(math.exp(x)) ** 2), (True, _ln(math.exp(2 * x)))),
                              x * x))],
      L9=[_scal(1, lambda x: (rows((True, math.exp(x) ** 2), (True, math.exp(x * x))),
                              math.exp(2 * x)))])
probe("r12_exp_entry_power.md",
      L1=[_zj(lambda u, j, K: (rows((True, math.exp(u[j]) ** 2), (True, math.exp(u[j] ** 2))),
                               math.exp(2 * u[j])))],
      L3=[_zj(lambda u, j, K: (math.exp(u[j]) ** 2, math.exp(2 * u[j])))],
      L5=[_zj(lambda u, j, K: (math.exp(u[j] ** 2), math.exp(u[j] ** 2)))])
probe("r13_nth_roots.md", L1=[const(8 ** (1 / 3), 2)], L3=[const(27 ** (1 / 3), 9)],
      L5=[_scal(1, lambda a: (_pw(math.exp(4 * a), 0.25), math.exp(a)))],
      L7=[NOT_A_CLAIM],  # a real cube root of a negative, or the principal power: no one reading
      L9=[_scal(1, lambda a: (_rt(a * a), a))])


def _wxy(fn: Callable[[float, Vec, Vec], Any]) -> Step:
    """A scalar weight w and samples x_i, y_i, i in 1..n."""
    return lambda rng, n: [fn(float(rng.normal()), Vec.rand(rng, n), Vec.rand(rng, n))]


def _rls(w: float, x: Vec, y: Vec) -> float:
    return S(1, len(x), lambda i: (w * x[i] - y[i]) ** 2)


probe("r14_where_entry.md", L1=[DEF, DEF],
      L3=[_wxy(lambda w, x, y: (fd_scalar(lambda v: _rls(v, x, y), w),
                                2 * S(1, len(x), lambda i: (w * x[i] - y[i]) * x[i])))],
      L5=[_wxy(lambda w, x, y: (fd_scalar(lambda v: _rls(v, x, y), w),
                                S(1, len(x), lambda i: (w * x[i] - y[i]) * x[i])))],
      L7=[_wxy(lambda w, x, y: (_rls(w, x, y), S(1, len(x), lambda i: (w * x[i] - y[i]) ** 2)))])


def _ax(fn: Callable[[Vec, Vec], tuple[float, float]]) -> Step:
    """'..., where a_i = 1': the step read in general and under the condition."""
    def step(rng, n):
        a, x = Vec.rand(rng, n), Vec.rand(rng, n)
        g, u = fn(a, x), fn(Vec(np.ones(n)), x)
        return [(_either(g[0] - g[1], u[0] - u[1]), 0.0)]
    return step


probe("r15_where_number_condition.md",
      L1=[_ax(lambda a, x: (S(1, len(x), lambda i: a[i] * x[i]), _tot(x)))],
      L3=[_ax(lambda a, x: (S(1, len(x), lambda i: a[i] * x[i]), 2 * _tot(x)))],
      L5=[_ax(lambda a, x: (S(1, len(x), lambda i: a[i] + x[i]), _tot(a) + _tot(x)))])


def _Xw(fn: Callable[[np.ndarray, np.ndarray], Any]) -> Step:
    """Samples x_i (the rows of an n×d X) and a weight vector w of d, n, d over 1..4."""
    return lambda rng, n, dd: fn(rng.normal(size=(n, dd)), rng.normal(size=dd))


probe("r16_sample_partners.md", sizes=2, L1=[DEF],
      L3=[_Xw(lambda X, w: [(float(X[i - 1] @ w), S(1, len(w), lambda j, i=i: w[j - 1] * _entry(X, i, j)))
                            for i in idx(X.shape[0])])],
      L5=[_Xw(lambda X, w: [(float(np.sum(X @ w)), S(1, len(w), lambda j: w[j - 1] * S(
          1, X.shape[0], lambda i: _entry(X, i, j))))])],
      L7=[_Xw(lambda X, w: [(float(np.sum(X @ w)), S(1, len(w), lambda j: w[j - 1] * S(
          1, X.shape[0], lambda i: _entry(X, j, i))))])])
probe("r17_scalar_weight_samples.md",
      L1=[_wxy(lambda w, x, y: (S(1, len(x), lambda i: (w * x[i]) ** 2), w * w * _sq(x)))],
      L3=[_wxy(lambda w, x, y: (S(1, len(x), lambda i: (w * x[i]) ** 2), w * _sq(x)))],
      L5=[_wxy(lambda w, x, y: (fd_scalar(lambda v: _rls(v, x, y), w),
                                2 * S(1, len(x), lambda i: (w * x[i] - y[i]) * x[i])))])


def _half_sq(w: Vec) -> float:
    return 0.5 * _sq(w)


probe("r18_mathcal_call.md", L1=[DEF],
      L3=[lambda rng, dd: (lambda w: [(fd(_half_sq, w, k), w[k]) for k in idx(dd)])(Vec.rand(rng, dd))],
      L5=[lambda rng, dd: (lambda w: [(_half_sq(w), 0.5 * float(w.a @ w.a))])(Vec.rand(rng, dd))],
      L7=[lambda rng, dd: (lambda w: [(_half_sq(Vec(2 * w.a)), 2 * _half_sq(w))])(Vec.rand(rng, dd))])


def _ce(y: Vec, z: Vec) -> float:
    return -S(1, len(z), lambda k: y[k] * math.log(softmax(z)[k]))


def _rlse(z: Vec) -> float:
    return math.log(S(1, len(z), lambda c: math.exp(z[c])))


def _yz(fn: Callable[[Vec, Vec], Any]) -> Step:
    return lambda rng, K: fn(Vec.rand(rng, K), Vec.rand(rng, K))


def _as_distribution(y: Vec) -> Vec:
    a = np.abs(y.a) + 0.1
    return Vec(a / a.sum())


probe("r19_label_under_log.md", L1=[DEF],
      L3=[_yz(lambda y, z: [(_ce(y, z), -S(1, len(z), lambda k: y[k] * z[k]) + _tot(y) * _rlse(z))])],
      L5=[_yz(lambda y, z: [(_either(*(
          _ce(v, z) + S(1, len(z), lambda k, v=v: v[k] * z[k]) - _rlse(z)
          for v in (y, _as_distribution(y)))), 0.0)])],
      L7=[_yz(lambda y, z: [(fd(lambda v: _ce(y, v), z, j), softmax(z)[j] * _tot(y) - y[j])
                            for j in idx(len(z))])],
      L9=[_yz(lambda y, z: [(rows(*((True, fd(lambda v, u=u: _ce(u, v), z, j)
                                      - (softmax(z)[j] - u[j] + 1)) for u in (y, _as_distribution(y)))),
                             0.0) for j in idx(len(z))])])
probe("r20_residual_e.md", L1=[DEF],
      L3=[_wxy(lambda w, x, y: (S(1, len(x), lambda i: (y[i] - w * x[i]) ** 2), _rls(w, x, y)))],
      L5=[_wxy(lambda w, x, y: (fd_scalar(lambda v: _rls(v, x, y), w),
                                -2 * S(1, len(x), lambda i: (y[i] - w * x[i]) * x[i])))],
      L7=[_wxy(lambda w, x, y: (fd_scalar(lambda v: _rls(v, x, y), w),
                                2 * S(1, len(x), lambda i: (y[i] - w * x[i]) * x[i])))])


def _basis(k: int, K: int) -> np.ndarray:
    return np.eye(K)[k - 1]


probe("r21_basis_vectors.md",
      L3=[_zj(lambda z, k, K: (float(_basis(k, K) @ z.a), z[k]))],
      L5=[_rzjk(lambda z, j, k, K: (float(_basis(j, K) @ _basis(k, K)), d(j, k)))],
      L7=[_zj(lambda z, k, K: (float(_basis(k, K) @ z.a), z[1]))])
probe("r22_restated_definition.md", L1=[DEF],
      L3=[_scal(2, lambda a, b: ((a + b) ** 2, a * a + 2 * a * b + b * b))],
      L5=[_scal(2, lambda a, b: (a + b, a + b))],
      L7=[_scal(2, lambda a, b: ((a + b) ** 2, a * a + b * b))])


def _margin_loss(t: float, y: float) -> float:
    return math.log(1 + math.exp(-y * t))


probe("r23_prose_definitions.md", L1=[DEF, DEF],
      L3=[_scal(2, lambda t, y: (fd_scalar(lambda v: _margin_loss(v, y), t),
                                 -y / (1 + math.exp(y * t))))],
      L5=[_scal(2, lambda t, y: (fd_scalar(lambda v: _margin_loss(v, y), t),
                                 -y / (1 + math.exp(-y * t))))],
      L7=[_scal(2, lambda t, y: (_margin_loss(t, y), math.log(1 + math.exp(-y * t))))])


def _rjac(z: Vec, j: int, k: int) -> float:
    return fd(lambda v: softmax(v)[j], z, k)


def _case(cond: Callable[[int, int], bool], rhs: Callable[[Vec, int, int], float]) -> Step:
    """'For <cond>, ∂p_j/∂z_k = rhs': in general or under the condition."""
    return _rzjk(lambda z, j, k, K: (_either(_rjac(z, j, k) - rhs(softmax(z), j, k),
                                            _rjac(z, j, k) - rhs(softmax(z), j, k) if cond(j, k)
                                            else 0.0), 0.0))


probe("r24_prose_case_conditions.md", L1=[DEF],
      L3=[_case(lambda j, k: j == k, lambda p, j, k: p[j] * (1 - p[j]))],
      L7=[_case(lambda j, k: j == k, lambda p, j, k: p[j] * (1 - p[k]))],
      L11=[_case(lambda j, k: j != k, lambda p, j, k: p[j] * p[k])],
      L15=[_rzjk(lambda z, j, k, K: (_rjac(z, j, k), softmax(z)[j] * (d(j, k) - softmax(z)[k])))])
probe("r25_open_sentence_condition.md",
      L3=[_rzjk(lambda z, j, k, K: (_either(d(j, k) * z[j] - z[k],
                                           d(j, k) * z[j] - z[k] if j == k else 0.0), 0.0))],
      L5=[_rzjk(lambda z, j, k, K: (d(j, k) * z[j], d(j, k) * z[k]))])
probe("r26_empty_ranges.md", L1=[_rzK(lambda z, K: (S(K + 1, K, lambda k: z[k]), 0))],
      L3=[_rzK(lambda z, K: (S(2, K, lambda k: z[k]), _tot(z) - z[1]))],
      L5=[_rzK(lambda z, K: (S(1, K - 1, lambda k: z[k]), _tot(z) - z[K]))],
      L7=[_rzK(lambda z, K: (S(2, K, lambda k: 1), K - 1))],
      L9=[_rzK(lambda z, K: (S(3, K, lambda k: 1), K - 2))])


def _pj(fn: Callable[[Vec, Vec, int, int], tuple[Any, Any]]) -> Step:
    return _zj(lambda z, j, K: fn(z, softmax(z), j, K))


probe("r27_softmax_size_one.md", L1=[DEF],
      L3=[_pj(lambda z, p, j, K: (sum(p[k] for k in idx(K) if k != j), 1 - p[j]))],
      L5=[_pj(lambda z, p, j, K: (sum(p[k] for k in idx(K) if k != j) / (1 - p[j]), 1))],
      L7=[_pj(lambda z, p, j, K: (_ln(1 - p[j]), _ln(sum(math.exp(z[k]) for k in idx(K) if k != j))
                                  - _rlse(z)))])


def _mean(z: Vec) -> float:
    return _tot(z) / len(z)


probe("r28_sample_variance.md", L1=[DEF],
      L3=[_rzK(lambda z, K: (S(1, K, lambda k: z[k] - _mean(z)), 0))],
      L5=[_rzK(lambda z, K: (1 / (K - 1) * S(1, K, lambda k: z[k] - _mean(z)), 0))],
      L7=[_rzK(lambda z, K: (S(1, K, lambda k: (z[k] - _mean(z)) ** 2), _sq(z) - K * _mean(z) ** 2))])
probe("r29_log_sqrt_mix.md",
      L1=[_scal(1, lambda a: (_ln(_rt(1 + math.exp(a))), 0.5 * _ln(1 + math.exp(a))))],
      L3=[_scal(1, lambda a: (_ln(_rt(a)), 0.5 * _ln(a)))],
      L5=[_scal(1, lambda a: (_rt(math.exp(2 * a)), math.exp(a)))],
      L7=[_scal(1, lambda a: (_rt((1 - math.exp(a)) ** 2), 1 - math.exp(a)))])
probe("r30_abs_values.md", L1=[_scal(1, lambda a: (abs(a) ** 2, a * a))],
      L3=[_scal(2, lambda a, b: (abs(a * b), abs(a) * abs(b)))],
      L5=[_scal(2, lambda a, b: (abs(a + b), abs(a) + abs(b)))],
      L7=[_scal(2, lambda a, b: (_rt(a * a * b * b), abs(a) * abs(b)))])
probe("r31_pair_sums_size_one.md",
      L1=[_rzK(lambda z, K: (S(1, K, lambda j: sum(z[k] for k in idx(K) if k != j)), (K - 1) * _tot(z)))],
      L3=[_rzK(lambda z, K: (S(1, K, lambda j: sum(1 for k in idx(K) if k != j)), K * K - K))],
      L5=[_rzK(lambda z, K: (S(1, K, lambda j: sum(1 for k in idx(K) if k != j)), K * K - 1))],
      L7=[_rzK(lambda z, K: (S(1, K, lambda j: S(1, K, lambda k, j=j: (1 - d(j, k)) * z[j] * z[k])),
                            _tot(z) ** 2 - _sq(z)))])


def _t(fn: Callable[[float], tuple[Any, Any]]) -> Step:
    return _scal(1, fn)


probe("r32_sigmoid_slips.md", L1=[DEF],
      L3=[_t(lambda t: (fd_scalar(_sigmoid, t), math.exp(-t) / (1 + math.exp(-t)) ** 2))],
      L5=[_t(lambda t: (fd_scalar(_sigmoid, t), _sigmoid(t) * (1 - _sigmoid(t))))],
      L7=[_t(lambda t: (fd_scalar(_sigmoid, t), _sigmoid(t) * (1 + _sigmoid(t))))],
      L9=[_t(lambda t: (1 - _sigmoid(t), _sigmoid(-t)))])


def _logit_loss(w: float, x: float, y: float) -> float:
    return math.log(1 + math.exp(-y * w * x))


def _wxy3(fn: Callable[[float, float, float], tuple[Any, Any]]) -> Step:
    return _scal(3, lambda w, x, y: fn(w, x, y))


probe("r33_logistic_grad_slips.md", L1=[DEF],
      L3=[_wxy3(lambda w, x, y: (fd_scalar(lambda v: _logit_loss(v, x, y), w),
                                 -y * x * math.exp(-y * w * x) / (1 + math.exp(-y * w * x))))],
      L5=[_wxy3(lambda w, x, y: (fd_scalar(lambda v: _logit_loss(v, x, y), w),
                                 -y * x / (1 + math.exp(y * w * x))))],
      L7=[_wxy3(lambda w, x, y: (fd_scalar(lambda v: _logit_loss(v, x, y), w),
                                 -y * x / (1 + math.exp(-y * w * x))))])
probe("r34_cross_entropy_slips.md", L1=[DEF],
      L3=[_yz(lambda y, z: [(_ce(y, z), -S(1, len(z), lambda k: y[k] * z[k]) + _tot(y) * _rlse(z))])],
      L5=[_yz(lambda y, z: [(_ce(y, z), -S(1, len(z), lambda k: y[k] * z[k]) - _tot(y) * _rlse(z))])])
probe("r35_log_bases.md", L1=[const(math.log10(100), 2)], L3=[const(math.log2(8), 3)],
      L5=[const(math.log2(8), 2)],
      L7=[_scal(2, lambda a, b: (_ln(a * b) / math.log(10), _ln(a) / math.log(10) + _ln(b) / math.log(10)))])


def _tail(z: Vec, K: int) -> float:
    return S(2, K, lambda k: math.exp(z[k]))


def _zab(fn: Callable[[Vec, int, float, float], tuple[Any, Any]]) -> Step:
    return lambda rng, K: [fn(Vec.rand(rng, K), K, *(float(v) for v in rng.normal(size=2)))]


probe("r36_powers_of_empty_sums.md",
      L1=[_zab(lambda z, K, a, b: (_pw(_tail(z, K), a) * _pw(_tail(z, K), b), _pw(_tail(z, K), a + b)))],
      L3=[_zab(lambda z, K, a, b: (_pw(math.exp(_rlse(z)), a) * _pw(math.exp(_rlse(z)), b),
                                   _pw(math.exp(_rlse(z)), a + b)))],
      L5=[_rzK(lambda z, K: (_ln(_tail(z, K)), _ln(S(1, K, lambda k: math.exp(z[k])) - math.exp(z[1]))))])
probe("r37_text_names.md", L1=[DEF],
      L3=[_scal(2, lambda a, b: ((a - b) ** 2, a * a - 2 * a * b + b * b))],
      L5=[_scal(2, lambda a, b: ((a - b) ** 2, a * a + b * b))],
      L7=[_scal(2, lambda a, b: ((a - b) ** 2, a * a + b * b))],
      L9=[_scal(2, lambda a, b: ((a - b) ** 2, a * a - 2 * a * b + b * b))])


def _Ka(fn: Callable[[int, float], tuple[Any, Any]]) -> Step:
    return lambda rng, K: [fn(K, float(rng.normal()))]


probe("r38_zero_powers.md", L3=[_Ka(lambda K, a: (a ** 0, 1))],
      L5=[_Ka(lambda K, a: (_pw(0.0, a), 0.0))],
      L7=[_Ka(lambda K, a: (a ** K / a ** (K - 1), a))],
      L9=[_Ka(lambda K, a: (a ** (K - 1) / a ** (K - 1), 1))])


def _pk(fn: Callable[[Vec, Vec, int], tuple[Any, Any]]) -> Step:
    return _zj(lambda z, k, K: fn(z, softmax(z), k))


probe("r39_sqrt_of_softmax.md", L1=[DEF],
      L3=[_pk(lambda z, p, k: (_rt(p[k]) * _rt(p[k]), p[k]))],
      L5=[_pk(lambda z, p, k: (_rt(p[k] ** 2), p[k]))],
      L7=[_pk(lambda z, p, k: (_ln(_rt(p[k])), 0.5 * z[k] - 0.5 * _rlse(z)))],
      L9=[_pk(lambda z, p, k: (_rt(p[k] ** 2), -p[k]))])
probe("r40_unicode_roots.md", L1=[_scal(1, lambda a: (_rt(a) * _rt(a), a))],
      L3=[const(math.sqrt(4), 2)], L5=[_scal(1, lambda a: (_rt(math.exp(2 * a)), math.exp(a)))])


def _xv(fn: Callable[[np.ndarray, np.ndarray], Any]) -> Step:
    return lambda rng, dd: fn(rng.normal(size=dd), rng.normal(size=dd))


def _quad(x: np.ndarray) -> float:
    return float(x @ x)


probe("r41_vector_function_calls.md", L1=[DEF],
      L3=[_xv(lambda x, v: [(fd(lambda u: _quad(u.a), Vec(x), i), 2 * x[i - 1]) for i in idx(len(x))])],
      L5=[_xv(lambda x, v: [(_quad(x + v), _quad(x) + 2 * float(x @ v) + _quad(v))])],
      L7=[_xv(lambda x, v: [(_quad(x + v), _quad(x) + _quad(v))])])
probe("r42_ratio_of_differences.tex",
      L2=[_scal(2, lambda a, b: ((a * a - b * b) / (a + b), a - b))],
      L4=[_scal(2, lambda a, b: ((a - a) * b / (a - a), b))],
      L6=[_scal(2, lambda a, b: (b * (a - a) / (a - a) ** 2, 0))])


def _prod(z: Vec, K: int, skip: int = 0) -> float:
    return P(1, K, lambda k: z[k] if k != skip else 1.0)


probe("r43_product_over_other.md",
      L1=[_zj(lambda z, j, K: (P(1, K, lambda k: math.exp(z[k]) if k != j else 1.0),
                               P(1, K, lambda k: math.exp(z[k])) / math.exp(z[j])))],
      L3=[_zj(lambda z, j, K: (_prod(z, K) / z[j], _prod(z, K, j)))],
      L5=[_rzK(lambda z, K: (_prod(z, K) / _prod(z, K), 1))])
probe("r44_size_minus_one_power.md",
      L1=[_rzK(lambda z, K: ((K - 1) / (K - 1) + _tot(z), 1 + _tot(z)))],
      L3=[_rzK(lambda z, K: ((K - 1) ** -1 * (K - 1) * _tot(z), _tot(z)))],
      L5=[_rzK(lambda z, K: ((K * K - 1) / (K - 1) * _tot(z), (K + 1) * _tot(z)))])
