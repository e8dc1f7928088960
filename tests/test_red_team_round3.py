r"""Red team, round 3 (issue 18, the sixth probe round ``tests/soundness/r*``): the mechanism
fixed after the probes found false proofs, as case tables with rows where it must apply and
rows where it must not. Every row's truth is decided by brute force on numbers
(:func:`tests.soundness_truth.decide`, plain Python at sizes 1..4), never by derive.

**Values a step writes that SymPy cancels** (:mod:`derive.latex.guards`). SymPy simplifies
as it builds: ``(K - 1)/(K - 1)`` is 1, ``(z_j - z_k)^2/(z_j - z_k)`` is ``z_j - z_k``,
``e^{\log \sum_{k=2}^K e^{z_k}}`` is the sum; each step is false where the written value is
undefined (K = 1, j = k) and was proved. The elaboration keeps every division, every power
with a negative or non-integer exponent and every log as written; the engine's spot check
evaluates them beside the sides, undefined only where they are for every input value tried
(the inputs' values are not judged: ``(\sqrt{a})^2 = a`` is still proved, the probes
r05/r06/r40 are OPEN; ``\log_3 x = \ln x / \ln 3`` keeps its proof). A size written bare
(``(K^2 - 1)/(K - 1)``) is drawn as a size (1..4), never as a real. Not guarded: a value
under a sum or product (its letter is bound), a number, a denominator never 0 (``K/K``,
``\epsilon/K``), a power with a nonnegative integer exponent.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import pytest
import sympy as sp

from derive import prove_equal
from derive.engine import Scope
from derive.latex import guards
from derive.latex.verify import verify_file

from .soundness_truth import Undefined, Vec, d, decide, idx

Truth = Callable[..., object]


def _ln(v: float) -> float:
    if v <= 0:
        raise Undefined("log")
    return math.log(v)


def _rt(v: float) -> float:
    if v < 0:
        raise Undefined("root")
    return math.sqrt(v)


def _a(fn: Callable[[float], tuple]) -> Truth:
    return lambda rng, K: [fn(float(v)) for v in rng.normal(size=3)]


def _z(fn: Callable[[Vec, int], tuple]) -> Truth:
    return lambda rng, K: [fn(Vec.rand(rng, K), K)]


def _zjk(fn: Callable[[Vec, int, int], tuple]) -> Truth:
    def step(rng, K):
        z = Vec.rand(rng, K)
        return [fn(z, j, k) for j in idx(K) for k in idx(K)]
    return step


def _tot(z: Vec) -> float:
    return sum(z[k] for k in idx(len(z)))


JK = "% derive: size K\n% derive: index j, k in 1..K\n% derive: tensor z_k\n"
A = "% derive: scalar a\n"
SZ = "% derive: size K\n% derive: index k in 1..K\n% derive: tensor z_k\n"

# (notes, truth by brute force, the truth class, the verdict derive must give)
ROWS = [
    # must apply: a cancelled value undefined at K = 1, at j = k, at a < 0
    (SZ + r"$$ \frac{K-1}{K-1} \sum_{k=1}^{K} z_k = \sum_{k=1}^{K} z_k $$",
     _z(lambda z, K: ((K - 1) / (K - 1) * _tot(z), _tot(z))), "r", "unknown"),
    (SZ + r"$$ (K - 1)^{-1} (K - 1) = 1 $$",
     _z(lambda z, K: ((K - 1) ** -1 * (K - 1), 1)), "r", "unknown"),
    (JK + r"$$ \frac{z_j - z_k}{z_j - z_k} = 1 $$",
     _zjk(lambda z, j, k: ((z[j] - z[k]) / (z[j] - z[k]), 1)), "r", "unknown"),
    (JK + r"$$ \frac{(z_j - z_k)^2}{z_j - z_k} = z_j - z_k $$",
     _zjk(lambda z, j, k: ((z[j] - z[k]) ** 2 / (z[j] - z[k]), z[j] - z[k])), "r", "unknown"),
    (JK + r"$$ \frac{1 - \delta_{jk}}{1 - \delta_{jk}} = 1 $$",
     _zjk(lambda z, j, k: ((1 - d(j, k)) / (1 - d(j, k)), 1)), "r", "unknown"),
    (JK + r"$$ \frac{\delta_{jk}}{\delta_{jk}} = 1 $$",
     _zjk(lambda z, j, k: (d(j, k) / d(j, k), 1)), "r", "unknown"),
    (SZ + r"$$ e^{\log \sum_{k=2}^{K} e^{z_k}} = \sum_{k=2}^{K} e^{z_k} $$",
     _z(lambda z, K: (math.exp(_ln(sum(math.exp(z[k]) for k in range(2, K + 1)))),
                      sum(math.exp(z[k]) for k in range(2, K + 1)))), "r", "unknown"),
    (SZ + r"$$ \left(\sqrt{1 - K}\right)^2 \sum_{k=1}^{K} z_k = (1 - K) \sum_{k=1}^{K} z_k $$",
     _z(lambda z, K: (_rt(1 - K) ** 2 * _tot(z), (1 - K) * _tot(z))), "r", "unknown"),
    # a size written bare: drawn 1..4 (K = 1 makes the left side 0/0)
    (SZ + "% derive: scalar a\n" + r"$$ \frac{K^2 - 1}{K - 1} a = (K + 1) a $$",
     lambda rng, K: [((K * K - 1) / (K - 1) * float(rng.normal()), 0.0)], "r", "unknown"),
    # must not apply: never undefined, or still written in a side
    (SZ + r"$$ \frac{K}{K} \sum_{k=1}^{K} z_k = \sum_{k=1}^{K} z_k $$",
     _z(lambda z, K: (K / K * _tot(z), _tot(z))), "p", "proved"),
    (SZ + "% derive: scalar \\epsilon\n" + r"$$ \sum_{k=1}^{K} \frac{\epsilon}{K} = \epsilon $$",
     lambda rng, K: (lambda e: [(sum(e / K for _ in idx(K)), e)])(float(rng.normal())),
     "p", "proved"),
    (JK + r"$$ \frac{z_j z_k}{z_k} = z_j $$",
     _zjk(lambda z, j, k: (z[j] * z[k] / z[k], z[j])), "p", "proved"),
    (JK + r"$$ (1 - \delta_{jk})^2 = 1 - \delta_{jk} $$",
     _zjk(lambda z, j, k: ((1 - d(j, k)) ** 2, 1 - d(j, k))), "p", "proved"),
    (JK + r"$$ \frac{\delta_{jk}}{1 + \delta_{jk}} = \frac{\delta_{jk}}{2} $$",
     _zjk(lambda z, j, k: (Fraction(d(j, k), 1 + d(j, k)), Fraction(d(j, k), 2))), "p", "proved"),
    (A + r"$$ (\sqrt{a^2 + 1})^2 = a^2 + 1 $$",
     _a(lambda x: (_rt(x * x + 1) ** 2, x * x + 1)), "p", "proved"),
    (A + r"$$ \exp(\ln(1 + e^{a})) = 1 + e^{a} $$",
     _a(lambda x: (math.exp(_ln(1 + math.exp(x))), 1 + math.exp(x))), "p", "proved"),
    (A + r"$$ \log e^{a} = a $$", _a(lambda x: (_ln(math.exp(x)), x)), "p", "proved"),
    (A + r"$$ (a^2)^{3} = a^6 $$", _a(lambda x: ((x * x) ** 3, x ** 6)), "p", "proved"),
    (SZ + r"$$ \left(\sqrt{K - 1}\right)^2 \sum_{k=1}^{K} z_k = (K - 1) \sum_{k=1}^{K} z_k $$",
     _z(lambda z, K: (_rt(K - 1) ** 2 * _tot(z), (K - 1) * _tot(z))), "p", "proved"),
    (SZ + r"$$ e^{\log \sum_{k=1}^{K} e^{z_k}} = \sum_{k=1}^{K} e^{z_k} $$",
     _z(lambda z, K: (math.exp(_ln(sum(math.exp(z[k]) for k in idx(K)))),
                      sum(math.exp(z[k]) for k in idx(K)))), "p", "proved"),
    # a bound letter: the value under the sum is not guarded on its own
    (SZ + r"$$ \sum_{k=1}^{K} \frac{z_k^2}{z_k} = \sum_{k=1}^{K} z_k $$",
     _z(lambda z, K: (sum(z[k] ** 2 / z[k] for k in idx(K)), _tot(z))), "p", "proved"),
    # the size of a sum never 0: K^2/K with K bare
    (SZ + "% derive: scalar a\n" + r"$$ \frac{K^2}{K} a = K a $$",
     lambda rng, K: (lambda x: [(K * K / K * x, K * x)])(float(rng.normal())), "p", "proved"),
]


@pytest.mark.parametrize("notes, truth, cls, verdict", ROWS, ids=[r[0].split("$$")[1][:40]
                                                                  for r in ROWS])
def test_cancelled_values(tmp_path, notes, truth, cls, verdict):
    assert decide(truth) == cls  # the row's truth, by brute force
    path = tmp_path / "n.md"
    path.write_text(notes + "\n", encoding="utf-8")
    (result,) = verify_file(str(path))
    assert result["verdict"] == verdict, result.get("note")


def test_a_guard_undefined_at_a_point_leaves_the_claim_unproved():
    K = sp.Symbol("K", integer=True, positive=True)
    a = sp.Symbol("a", real=True)
    assert prove_equal(sp.Integer(1), sp.Integer(1), scope=Scope()).status == "proved"
    v = prove_equal(sp.Integer(1), sp.Integer(1), scope=Scope(),
                    guards=[sp.Pow(K - 1, -1, evaluate=False)])
    assert v.status == "unknown" and "K=1" in v.note
    # the inputs' values are not judged: undefined only for every input tried
    # log(a - 1/5) is defined at |a| (drawn at least 1/4), not at a tenth of it: no verdict
    assert prove_equal(a, a, scope=Scope(), guards=[sp.log(a - sp.Rational(1, 5))]).status \
        == "proved"
    assert prove_equal(a, a, scope=Scope(), guards=[sp.sqrt(1 - K)]).status == "unknown"
    assert prove_equal(sp.sqrt(a) + a, a + sp.sqrt(a), scope=Scope(),
                       guards=[sp.sqrt(a)]).status == "proved"
    assert prove_equal(a, a, scope=Scope(), guards=[sp.Pow(K, -1, evaluate=False)]).status \
        == "proved"
    # a size written bare is drawn as a size
    assert prove_equal((K ** 2 - 1) / (K - 1), K + 1, scope=Scope()).status == "unknown"
    assert prove_equal(K ** 2 / K, K, scope=Scope()).status == "proved"


def test_guards_collected_and_kept():
    K = sp.Symbol("K", integer=True, positive=True)
    j, dummy = sp.Symbol("j", integer=True), sp.Symbol("k'1", integer=True)
    z, a = sp.IndexedBase("z"), sp.Symbol("a")
    with guards.collecting() as found:
        guards.note("divide", K - 1)
        guards.note("divide", sp.Integer(3))  # a number: nothing to judge
        guards.note("power", a, sp.Integer(2))  # defined everywhere
        guards.note("power", a, sp.Rational(-1))
        guards.note("log", z[j])
        guards.note("log", z[dummy])
        with guards.collecting():
            guards.note("log", a)  # nested: the enclosing collection gets it too
    assert found == [1 / (K - 1), 1 / a, sp.log(z[j]), sp.log(z[dummy]), sp.log(a)]
    total = sp.log(sp.Sum(z[dummy], (dummy, 1, K)))  # its own sum binds the letter: kept
    kept = guards.kept([*found, total, sp.Derivative(z[j], z[j])], [j])
    assert kept == (1 / (K - 1), 1 / a, sp.log(z[j]), sp.log(a), total)  # no bound letter
    guards.note("log", a)  # outside a collection: ignored
