"""A differential fuzzer for the proof engine (issue 8).

``generate(pick)`` draws a random expression of the engine's fragment (nested sums with
shifted, empty and reversed ranges such as 3..K, 1..K-2, 2..D; Kronecker deltas between
dummies, free indices of different ranges, integers and labels; exp, log and powers of
positive quantities; sigmoids 1/(1 + e^{-a}) and other rational functions of exponentials;
entries of a label vector h under an assumption kind; first and second derivatives) and
pairs it with a rewrite: a true one (alpha-renaming, expansion, exp/log rules, SymPy's
derivative, 1 − σ(a) = σ(−a), log σ(a) = −log(1 + e^{−a}), h² = h for binary h,
h_a h_b = δ_ab h_b for one-hot h) or a plausible one whose truth depends on the ranges or
the assumption (splitting off a first term, the length of a sum, the δ-sum rule, an order
swap, a sigmoid's sign flipped), sometimes perturbed (a bound ±1, a factor 2, an index
swapped, a δ dropped).

The label vector ``h`` (shape K) comes with one assumption kind per case (none, binary,
one_hot, soft labels = sums_to_one + nonnegative, sums_to_one alone, nonnegative): the
engine is told it, and the oracle draws h's entries from exactly that set (entries past
the shape, which no assumption covers, are unconstrained).

``truth(lhs, rhs)`` decides the pair by an evaluator that shares nothing with the engine's
normal form or its numeric module: it walks the SymPy tree itself at concrete sizes
K, D in 1..4, every value of the free indices, random rational entries (labels in range),
with 60-digit mpmath arithmetic (equal: within 1e-45, relative) and forward-mode dual numbers for derivatives (exact, no
finite differences). A sum over lo..hi with hi < lo is empty.

The property (``check``): never ``proved`` where the concrete values differ; never
``refuted`` where they agree everywhere.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

from derive.engine import Scope
from derive.models.softmax import D, K

mpmath.mp.dps = 60

j, i = sp.symbols("j i", integer=True)
DUMMIES = sp.symbols("c d e", integer=True)
f = sp.IndexedBase("f", shape=(K,))
g = sp.IndexedBase("g", shape=(D,))
A = sp.IndexedBase("A", shape=(K, D))
t = sp.IndexedBase("t", shape=(D,))  # a label: t_i in 1..K
p = sp.Symbol("p", positive=True)
h = sp.IndexedBase("h", shape=(K,))  # a label vector, under the case's assumption kind
KINDS = ["none", "binary", "one_hot", "soft", "sums_to_one", "nonnegative"]
SCOPE = Scope(index_ranges={j: (1, K), i: (1, D)}, label_bases={t: (1, K)})
RANGES = [(1, K), (3, K), (1, K - 2), (2, D), (1, D), (2, K), (1, K - 1), (2, 2), (3, 1)]
SIZES = [(1, 1), (1, 3), (2, 1), (2, 4), (3, 2), (4, 3), (4, 4), (3, 1)]


# ------------------------------------------------------------------ generating
class Gen:
    """Random expressions; ``pick(seq)`` chooses one element (hypothesis or random)."""

    def __init__(self, pick: Callable[[Sequence], object]):
        self.pick = pick

    def index(self, bound: list) -> sp.Expr:
        return self.pick([*bound, *bound, j, i, sp.Integer(1), sp.Integer(2), t[i]])

    def leaf(self, bound: list) -> sp.Expr:
        kind = self.pick(["f", "f", "g", "A", "p", "num", "delta", "h"])
        if kind == "h":
            return h[self.index(bound)]
        if kind == "f":
            return f[self.index(bound)]
        if kind == "g":
            return g[self.index(bound)]
        if kind == "A":
            return A[self.index(bound), self.index(bound)]
        if kind == "p":
            return p
        if kind == "num":
            return sp.Rational(self.pick([1, 2, 3, -1]), self.pick([1, 1, 2]))
        return sp.KroneckerDelta(self.index(bound), self.index(bound))

    def positive(self, bound: list, depth: int) -> sp.Expr:
        kind = self.pick(["exp", "p", "sumexp", "plus", "sigmoid", "ratio"])
        if kind == "exp" or depth <= 0:
            return sp.exp(self.expr(bound, 0))
        if kind == "p":
            return p
        if kind == "sumexp":
            return self.sum(bound, depth - 1, lambda b: sp.exp(self.expr(b, 0)))
        if kind == "sigmoid":
            return sigmoid(self.expr(bound, depth - 1))
        if kind == "ratio":  # e^a / (p + e^b): a rational function of exponentials
            return sp.exp(self.expr(bound, 0)) / (p + sp.exp(self.expr(bound, 0)))
        return p + sp.exp(self.expr(bound, 0))

    def sum(self, bound: list, depth: int, body: Callable | None = None) -> sp.Expr:
        free = [q for q in DUMMIES if q not in bound]
        if not free:
            return self.leaf(bound)
        var = free[0]
        lo, hi = self.pick(RANGES)
        inner = [*bound, var]
        b = body(inner) if body else self.expr(inner, depth)
        if not b.has(var) and self.pick([True, False]):
            b = b * self.leaf(inner)
        return sp.Sum(b, (var, lo, hi))

    def expr(self, bound: list, depth: int) -> sp.Expr:
        if depth <= 0:
            return self.leaf(bound)
        kind = self.pick(["add", "mul", "sum", "sum", "exp", "log", "pow", "delta", "sigmoid"])
        if kind == "sigmoid":
            a = self.expr(bound, depth - 1)
            return self.pick([sigmoid(a), 1 - sigmoid(a), sigmoid(a) * (1 - sigmoid(a))])
        if kind == "add":
            return self.expr(bound, depth - 1) + self.expr(bound, depth - 1)
        if kind == "mul":
            return self.expr(bound, depth - 1) * self.expr(bound, depth - 1)
        if kind == "sum":
            return self.sum(bound, depth - 1)
        if kind == "exp":
            return sp.exp(self.expr(bound, depth - 1))
        if kind == "log":
            return sp.log(self.positive(bound, depth - 1))
        if kind == "pow":
            return self.positive(bound, depth - 1) ** sp.Rational(self.pick([-1, 2, -2, 1]),
                                                               self.pick([1, 2]))
        return sp.KroneckerDelta(self.index(bound), self.index(bound)) * self.expr(
            bound, depth - 1)

    def top(self) -> sp.Expr:
        e = self.expr([], self.pick([1, 2, 2, 3]))
        kind = self.pick(["plain", "plain", "d1", "d2"])
        if kind == "plain":
            return e
        var = self.pick([f[j], g[i], A[j, i], f[1]])
        if kind == "d1":
            return sp.Derivative(e, var)
        return sp.Derivative(e, var, self.pick([f[j], g[i], p]))


def sigmoid(a: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-a))


# ------------------------------------------------------------------ rewriting
def _subterms(e: sp.Expr) -> list[sp.Expr]:
    return list(sp.preorder_traversal(e))


def _rewrites(e: sp.Expr) -> list[tuple[str, sp.Expr]]:
    """Candidate rewrites of the top of ``e``: (name, result)."""
    out: list[tuple[str, sp.Expr]] = []
    if isinstance(e, sp.Sum) and len(e.limits) == 1:
        (var, lo, hi), body = e.limits[0], e.function
        new = sp.Symbol(f"{var}r", integer=True)
        out.append(("alpha", sp.Sum(body.xreplace({var: new}), (new, lo, hi))))
        out.append(("split first term", body.xreplace({var: lo}) + sp.Sum(body, (var, lo + 1, hi))))
        if not body.has(var):
            out.append(("length", (hi - lo + 1) * body))
        for dl in body.atoms(sp.KroneckerDelta):
            for a, b in (dl.args, dl.args[::-1]):
                if a == var and not b.has(var):
                    out.append(("delta sum", (body / dl).xreplace({var: b})))
        if isinstance(body, sp.Sum) and len(body.limits) == 1:
            (v2, lo2, hi2), inner = body.limits[0], body.function
            out.append(("swap", sp.Sum(sp.Sum(inner, (var, lo, hi)), (v2, lo2, hi2))))
        out.append(("bound +1", sp.Sum(body, (var, lo, hi + 1))))
        out.append(("bound -1", sp.Sum(body, (var, lo + 1, hi))))
    if isinstance(e, sp.exp) and isinstance(e.args[0], sp.Add):
        out.append(("exp of sum", sp.Mul(*(sp.exp(a) for a in e.args[0].args))))
    if isinstance(e, sp.log) and isinstance(e.args[0], sp.exp):
        out.append(("log exp", e.args[0].args[0]))
    if isinstance(e, sp.log) and isinstance(e.args[0], sp.Mul):
        out.append(("log of product", sp.Add(*(sp.log(a) for a in e.args[0].args))))
    if isinstance(e, sp.Mul):
        for dl in e.atoms(sp.KroneckerDelta):
            if dl in e.args:
                a, b = dl.args
                if a.is_Symbol and a in (i, j):
                    out.append(("delta subs", e.xreplace({a: b})))
                out.append(("drop delta", e / dl))
    if isinstance(e, sp.Derivative):
        out.append(("sympy diff", e.doit()))
    # 1/(1 + e^X): the logistic σ(−X)
    if (isinstance(e, sp.Pow) and e.exp == -1 and isinstance(e.base, sp.Add)
            and len(e.base.args) == 2 and sp.Integer(1) in e.base.args):
        (ex,) = [a for a in e.base.args if a != 1]
        if isinstance(ex, sp.exp):
            arg = ex.args[0]
            out.append(("sigmoid flip", 1 - 1 / (1 + sp.exp(-arg))))  # σ(−X) = 1 − σ(X)
            out.append(("sigmoid over e^x", sp.exp(-arg) / (sp.exp(-arg) + 1)))
            out.append(("sigmoid sign lost", 1 / (1 + sp.exp(-arg))))  # false unless X = 0
            out.append(("sigmoid square", e ** 2))  # false
    if isinstance(e, sp.log) and isinstance(e.args[0], sp.Pow) and e.args[0].exp == -1:
        out.append(("log of a reciprocal", -sp.log(e.args[0].base)))
        out.append(("log of a reciprocal, sign lost", sp.log(e.args[0].base)))
    if isinstance(e, sp.Pow) and isinstance(e.base, sp.Indexed) and e.base.base == h:
        if e.exp.is_Integer and e.exp > 1:
            out.append(("binary power", e.base))  # h^k = h for h in {0, 1}
    if isinstance(e, sp.Mul):
        hs = [a for a in e.args if isinstance(a, sp.Indexed) and a.base == h]
        if len(hs) >= 2 and hs[0] != hs[1]:
            a, b = hs[0], hs[1]
            # h_a h_b = δ_ab h_b for one-hot h
            out.append(("one-hot product", e / (a * b) * sp.KroneckerDelta(a.indices[0],
                                                                           b.indices[0]) * b))
    return out


def pair(gen: Gen) -> tuple[sp.Expr, sp.Expr, str]:
    """A random expression and a rewrite of it (maybe true, maybe not); the rewrite's name,
    with the assumption kind on ``h`` after a bar when the expression uses ``h``
    (``kind_of(name)`` reads it back)."""
    lhs, rhs, name = _pair(gen)
    if sp.Tuple(lhs, rhs).has(h):
        name += " | " + gen.pick(KINDS)
    return lhs, rhs, name


def kind_of(name: str) -> str:
    return name.rsplit(" | ", 1)[1] if " | " in name else "none"


def assumptions_for(kind: str) -> list:
    from derive import binary, nonnegative, one_hot, sums_to_one

    return {"none": [], "binary": [binary(h)], "one_hot": [one_hot(h)],
            "soft": [sums_to_one(h), nonnegative(h)], "sums_to_one": [sums_to_one(h)],
            "nonnegative": [nonnegative(h)]}[kind]


def _pair(gen: Gen) -> tuple[sp.Expr, sp.Expr, str]:
    lhs = gen.top()
    candidates = [("expand", sp.expand(lhs))]
    for sub in _subterms(lhs):
        for name, new in _rewrites(sub):
            candidates.append((name, (sub, new)))
    name, what = gen.pick(candidates)
    rhs = what if name == "expand" else lhs.xreplace({what[0]: what[1]})
    perturb = gen.pick(["none", "none", "none", "x2", "+1", "swap index"])
    if perturb == "x2":
        rhs = 2 * rhs
    elif perturb == "+1":
        rhs = rhs + 1
    elif perturb == "swap index" and rhs.has(j):
        rhs = rhs.xreplace({j: sp.Integer(1)})
    return lhs, rhs, name + ("" if perturb == "none" else f" + {perturb}")


# ------------------------------------------------------------------ the independent oracle
@dataclass(frozen=True)
class Dual:
    """``a + b ε_level`` with ``ε² = 0``: exact forward-mode derivatives; a second
    derivative nests two levels (the higher level's parts are lower-level numbers)."""

    a: object
    b: object
    level: int = 1

    def _parts(self, o):
        top = max(self.level, _lvl(o))
        return top, _split(self, top), _split(o, top)

    def __add__(self, o):
        top, (sa, sb), (oa, ob) = self._parts(o)
        return Dual(sa + oa, sb + ob, top)

    __radd__ = __add__

    def __mul__(self, o):
        top, (sa, sb), (oa, ob) = self._parts(o)
        return Dual(sa * oa, sa * ob + sb * oa, top)

    __rmul__ = __mul__


def _lvl(x) -> int:
    return x.level if isinstance(x, Dual) else 0


def _split(x, top: int):
    return (x.a, x.b) if _lvl(x) == top else (x, mpmath.mpf(0))


def _re(x):
    while isinstance(x, Dual):
        x = x.a
    return x


def _exp(x):
    if isinstance(x, Dual):
        ea = _exp(x.a)
        return Dual(ea, ea * x.b, x.level)
    return mpmath.exp(x)


def _log(x):
    if isinstance(x, Dual):
        return Dual(_log(x.a), x.b * _pow(x.a, Fraction(-1)), x.level)
    if x <= 0:
        raise _Undefined("log of a non-positive number")
    return mpmath.log(x)


def _pow(x, r: Fraction):
    if isinstance(x, Dual):
        coef = mpmath.mpf(r.numerator) / r.denominator
        return Dual(_pow(x.a, r), coef * _pow(x.a, r - 1) * x.b, x.level)
    if x == 0 and r < 0:
        raise _Undefined("division by zero")
    if x < 0 and r.denominator != 1:
        raise _Undefined("fractional power of a negative number")
    if r.denominator == 1:
        return x ** int(r)
    return mpmath.power(x, mpmath.mpf(r.numerator) / r.denominator)


class _Undefined(Exception):
    pass


class Oracle:
    """Concrete values of the fuzzer's expressions: sizes, free index values, entries."""

    def __init__(self, sizes: dict, indices: dict, seed: int, labels: tuple = (),
                 kind: str = "none"):
        self.sizes, self.indices = sizes, indices
        self.rng = random.Random(seed)
        self.entries: dict[tuple, Fraction] = {
            ("t", (n + 1,)): Fraction(v) for n, v in enumerate(labels)}
        for q, v in enumerate(self.h_row(kind, sizes[K])):
            self.entries["h", (q + 1,)] = v

    def h_row(self, kind: str, kk: int) -> list[Fraction]:
        """h_1..h_K drawn from the set the assumption kind allows (none: left random)."""
        r = self.rng
        if kind == "binary":
            return [Fraction(r.randint(0, 1)) for _ in range(kk)]
        if kind == "one_hot":
            hot = r.randint(1, kk)
            return [Fraction(int(q == hot)) for q in range(1, kk + 1)]
        if kind == "soft":
            w = [r.randint(1, 5) for _ in range(kk)]
            return [Fraction(v, sum(w)) for v in w]
        if kind == "sums_to_one":
            row = [Fraction(r.randint(-9, 9), r.randint(1, 5)) for _ in range(kk - 1)]
            return [*row, 1 - sum(row)]
        if kind == "nonnegative":
            return [Fraction(r.randint(0, 9), r.randint(1, 5)) for _ in range(kk)]
        return []

    def entry(self, base: str, idx: tuple):
        key = (base, idx)
        if key not in self.entries:
            if base == "t":
                self.entries[key] = Fraction(self.rng.randint(1, self.sizes[K]))
            else:
                self.entries[key] = Fraction(self.rng.choice([-1, 1]) * self.rng.randint(1, 9),
                                             self.rng.randint(1, 5))
        return mpmath.mpf(self.entries[key].numerator) / self.entries[key].denominator

    def ev(self, e: sp.Expr, env: dict, seeds: dict):
        if isinstance(e, sp.Derivative):
            return self.derivative(e.expr, list(e.variables), env, seeds)
        if e.is_Integer or e.is_Rational:
            return mpmath.mpf(e.p) / e.q
        if e.is_number and not e.has(sp.Sum, sp.Derivative):  # E, exp(-3/4), √2
            return mpmath.mpf(str(sp.N(e, 70)))
        if e in env:
            return env[e]
        if e in self.sizes:
            return mpmath.mpf(self.sizes[e])
        if e in self.indices:
            return mpmath.mpf(self.indices[e])
        if e == p:
            return seeds.get(("p", ()), self.entry("p", ()))
        if isinstance(e, sp.Indexed):
            idx = tuple(self.int(q, env, seeds) for q in e.indices)
            key = (str(e.base.label), idx)
            return seeds.get(key, self.entry(*key))
        if isinstance(e, sp.KroneckerDelta):
            return mpmath.mpf(int(self.int(e.args[0], env, seeds) == self.int(e.args[1], env,
                                                                                 seeds)))
        if isinstance(e, sp.Add):
            out = self.ev(e.args[0], env, seeds)
            for a in e.args[1:]:
                out = out + self.ev(a, env, seeds)
            return out
        if isinstance(e, sp.Mul):
            out = self.ev(e.args[0], env, seeds)
            for a in e.args[1:]:
                out = out * self.ev(a, env, seeds)
            return out
        if isinstance(e, sp.Pow):
            if not e.exp.is_Rational:
                raise _Undefined("symbolic exponent")
            return _pow(self.ev(e.base, env, seeds), Fraction(int(e.exp.p), int(e.exp.q)))
        if isinstance(e, sp.exp):
            return _exp(self.ev(e.args[0], env, seeds))
        if isinstance(e, sp.log):
            return _log(self.ev(e.args[0], env, seeds))
        if isinstance(e, sp.Sum):
            return self.sum(e.function, list(e.limits), env, seeds)
        if isinstance(e, sp.Product):  # SymPy's expand writes exp(Σ) as Π exp
            return self.product(e.function, list(e.limits), env, seeds)
        raise _Undefined(f"cannot evaluate {type(e).__name__}")

    def int(self, e: sp.Expr, env: dict, seeds: dict) -> int:
        v = _re(self.ev(e, env, seeds))
        return int(v)

    def sum(self, body, limits, env, seeds):
        if not limits:
            return self.ev(body, env, seeds)
        (var, lo, hi), rest = limits[0], limits[1:]
        a, b = self.int(lo, env, seeds), self.int(hi, env, seeds)
        out = mpmath.mpf(0)
        for v in range(a, b + 1):  # empty when b < a
            out = out + self.sum(body, rest, {**env, var: mpmath.mpf(v)}, seeds)
        return out

    def product(self, body, limits, env, seeds):
        if not limits:
            return self.ev(body, env, seeds)
        (var, lo, hi), rest = limits[0], limits[1:]
        a, b = self.int(lo, env, seeds), self.int(hi, env, seeds)
        out = mpmath.mpf(1)
        for v in range(a, b + 1):  # empty (1) when b < a
            out = out * self.product(body, rest, {**env, var: mpmath.mpf(v)}, seeds)
        return out

    def derivative(self, expr, variables, env, seeds):
        if not variables:
            return self.ev(expr, env, seeds)
        var, rest = variables[0], variables[1:]
        if var == p:
            key = ("p", ())
        else:
            key = (str(var.base.label), tuple(self.int(q, env, seeds) for q in var.indices))
        old = seeds.get(key, self.entry(*key))
        level = 1 + max((_lvl(v) for v in seeds.values()), default=0)
        inner = {**seeds, key: Dual(old, mpmath.mpf(1), level)}
        val = self.derivative(expr, rest, env, inner)
        return val.b if _lvl(val) == level else mpmath.mpf(0)


def _close(a, b) -> bool:
    a, b = _re(a), _re(b)
    return abs(a - b) <= mpmath.mpf(10) ** -45 * max(1, abs(a), abs(b))


def _label_draws(kk: int, dd: int, draws: int) -> list[tuple]:
    """Every assignment of the labels t_1..t_D in 1..K when there are few, else some."""
    every = list(itertools.product(range(1, kk + 1), repeat=dd))
    if len(every) <= 27:
        return every
    rng = random.Random(kk * 10 + dd)
    return [tuple([kk] * dd), tuple([1] * dd)] + [
        tuple(rng.randint(1, kk) for _ in range(dd)) for _ in range(draws)]


def truth(lhs: sp.Expr, rhs: sp.Expr, draws: int = 2, kind: str = "none") -> str:
    """'agree' (equal at every defined point), 'differ', or 'undefined' (no defined point).

    Every size pair of SIZES, every value of the free indices, every label assignment
    (or a spread of them), random rational entries (h's drawn as ``kind`` allows, three
    rows per point when it is constrained); a reversed range sums nothing."""
    defined = 0
    for kk, dd in SIZES:
        sizes = {K: kk, D: dd}
        points = itertools.product(_label_draws(kk, dd, draws), range(1, kk + 1),
                                   range(1, dd + 1))
        for n, (labels, jv, iv) in enumerate(points):
            for r in range(3 if kind != "none" else 1):
                orc = Oracle(sizes, {j: jv, i: iv}, seed=n + 1000 * r, labels=labels,
                             kind=kind)
                try:
                    a, b = orc.ev(lhs, {}, {}), orc.ev(rhs, {}, {})
                except (_Undefined, ZeroDivisionError, OverflowError, ValueError):
                    continue
                defined += 1
                if not _close(a, b):
                    return "differ"
    return "agree" if defined else "undefined"


def check(lhs: sp.Expr, rhs: sp.Expr, budget: float = 5.0, kind: str = "none"
          ) -> tuple[str, str, bool]:
    """(engine verdict, concrete truth, is the verdict false?) with ``kind`` assumed on h."""
    import inspect

    from derive import prove_equal

    # (the budget keyword is new; without it the fuzzer also runs on older trees)
    kw = {"budget": budget} if "budget" in inspect.signature(prove_equal).parameters else {}
    if kind != "none":
        kw["assumptions"] = assumptions_for(kind)
    try:
        verdict = prove_equal(lhs, rhs, scope=SCOPE, **kw).status
    except Exception as exc:  # a crash is a bug too (RecursionError was one)
        return f"crash: {type(exc).__name__}", truth(lhs, rhs, kind=kind), True
    fact = truth(lhs, rhs, kind=kind)
    false = (verdict == "proved" and fact == "differ") or (
        verdict == "refuted" and fact == "agree")
    return verdict, fact, false
