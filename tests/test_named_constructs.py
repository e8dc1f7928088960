"""Named constructs of published notes, each one registry entry in the reader and one entry
of the referee's own tables (issue 19): ``\\log_2`` (a logarithm to a base).

Each construct has a case table of steps read end to end through ``derive verify`` (a true
step proved, a false one refuted), the rows where its rule must NOT apply (another spelling,
another base, a base that is no number), and a table driving the referee alone on the same
steps. The truth of every row is decided by brute force: both sides are evaluated with
Python's ``math`` at a few points, never by derive.
"""

from __future__ import annotations

import math

import pytest

from derive.latex.chains import extract
from derive.latex.parser import parse_block
from derive.latex.referee import Referee, Step, gate
from derive.latex.verify import verify_file

POINTS = (0.3, 1.7, 2.0, 5.5)


def verdicts(tmp_path, head: str, step: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(f"{head}\n$$\n{step}\n$$\n")
    return [r["verdict"] for r in verify_file(str(p))]


def holds(lhs, rhs) -> bool:
    """Whether two one-variable functions agree at every point of :data:`POINTS`."""
    return all(math.isclose(lhs(x), rhs(x), rel_tol=1e-12, abs_tol=1e-12) for x in POINTS)


def ruling(head: str, step: str) -> str:
    """agree / disagree / abstain: what the referee alone makes of ``step`` reported proved."""
    referee = Referee(extract(head + "\n$$1 = 1$$\n", "n.md").directives)
    assert referee.error == ""
    members = parse_block(step, 1, 1, referee.d.text_names)[0].members
    out = gate({"verdict": "proved"}, referee, Step(members[0], members[1], (), (), members, 1))
    if out["verdict"] == "proved":
        return "agree"
    return "disagree" if out.get("disagreement") else "abstain"


# -- \log_b: a logarithm to a base ----------------------------------------------------------
LOG_HEAD = "% derive: scalar x"
LN = math.log
LOG_ROWS = [  # step, truth (lhs, rhs as functions of x), verdict
    (r"\log_2 x = \frac{\log x}{\log 2}", (lambda x: LN(x, 2), lambda x: LN(x) / LN(2)),
     "proved"),
    (r"\log_{2} x \log 2 = \log x", (lambda x: LN(x, 2) * LN(2), LN), "proved"),
    (r"\log_{10} x \log 10 = \log x", (lambda x: LN(x, 10) * LN(10), LN), "proved"),
    # \log_2 (x)^2 also reads \log_2((x)^2) (a call-power point, tests/test_call_powers.py);
    # the power on the name has one reading, the power of the value
    (r"\log_2^2 x = (\log_2 x)^2", (lambda x: LN(x, 2) ** 2, lambda x: LN(x, 2) ** 2),
     "proved"),
    (r"\log_2 x = \log x", (lambda x: LN(x, 2), LN), "refuted"),  # x = 2: 1 vs 0.69
    (r"\log_2 x = \log_{10} x", (lambda x: LN(x, 2), lambda x: LN(x, 10)), "refuted"),
    (r"\log_2^2 x = 2 \log_2 x", (lambda x: LN(x, 2) ** 2, lambda x: 2 * LN(x, 2)),
     "refuted"),                                                       # the power is outside
    (r"\log_2 x = \log x \log 2", (lambda x: LN(x, 2), lambda x: LN(x) * LN(2)),
     "refuted"),                                                       # times, not over
]


@pytest.mark.parametrize(("step", "truth", "verdict"), LOG_ROWS)
def test_a_logarithm_to_a_base(tmp_path, step, truth, verdict):
    assert holds(*truth) == (verdict == "proved")  # the row's truth, by brute force
    assert verdicts(tmp_path, LOG_HEAD, step) == [verdict]


@pytest.mark.parametrize("step", [
    r"\log_1 x = \log x",            # base 1: no logarithm
    r"\log_{0} x = \log x",          # base 0
    r"\log_{x} x = 1",               # a letter: not read
    r"\exp_2 x = \exp x",            # no such function
    r"\ln_2 x = \log x",             # \ln is natural: a base is an error
])
def test_a_base_that_is_not_read_leaves_the_step_unknown(tmp_path, step):
    assert verdicts(tmp_path, LOG_HEAD, step) == ["unknown"]


@pytest.mark.parametrize(("step", "truth", "expected"), [
    (row[0], row[1], "agree" if row[2] == "proved" else "disagree") for row in LOG_ROWS
] + [
    (r"\log_1 x = \log x", None, "abstain"),
    (r"\log_{x} x = 1", None, "abstain"),
])
def test_the_referee_reads_a_base_on_its_own(step, truth, expected):
    assert truth is None or holds(*truth) == (expected == "agree")
    assert ruling(LOG_HEAD, step) == expected


# -- \nabla: the gradient, and \nabla^2 the Hessian ----------------------------------------
GRAD_HEAD = "\n".join([
    "% derive: size D", "% derive: index i, j in 1..D", "% derive: tensor w_i, A_{ij}",
    "% derive: scalar t", r"% derive: let f(w) = \frac{1}{2} w^\top A w",
    r"% derive: let g(w) = \sum_{i=1}^{D} w_i^3"])
A3 = ((2.0, 1.0, -0.5), (0.0, -1.0, 3.0), (1.5, 0.25, 0.5))  # not symmetric
W3 = (0.7, -1.2, 0.4)
H = 1e-4


def _f(w):
    return 0.5 * sum(w[i] * A3[i][j] * w[j] for i in range(3) for j in range(3))


def _g(w):
    return sum(x ** 3 for x in w)


def _moved(w, *moves):
    out = list(w)
    for k, d in moves:
        out[k] += d
    return out


def _grad(fn):
    return [(fn(_moved(W3, (k, H))) - fn(_moved(W3, (k, -H)))) / (2 * H) for k in range(3)]


def _hess(fn):
    return [[(fn(_moved(W3, (a, H), (b, H))) - fn(_moved(W3, (a, H), (b, -H)))
              - fn(_moved(W3, (a, -H), (b, H))) + fn(_moved(W3, (a, -H), (b, -H))))
             / (4 * H * H) for b in range(3)] for a in range(3)]


def _flat(v) -> list[float]:
    return [x for r in v for x in (r if isinstance(r, list) else [r])]


def _same(xs, ys) -> bool:
    flat = _flat
    return all(math.isclose(x, y, abs_tol=1e-5) for x, y in zip(flat(xs), flat(ys),
                                                                  strict=True))


SYM = [[(A3[a][b] + A3[b][a]) / 2 for b in range(3)] for a in range(3)]
GRAD_ROWS = [  # step, (brute-force lhs, rhs) at D = 3, verdict
    (r"\nabla_w^2 f(w) = \frac{1}{2} (A + A^\top)", (_hess(_f), SYM), "proved"),
    (r"\nabla^2_w f(w) = \frac{1}{2} (A^\top + A)", (_hess(_f), SYM), "proved"),
    (r"\nabla^2 f(w) = \frac{1}{2} (A + A^\top)", (_hess(_f), SYM), "proved"),
    (r"\nabla f(w) = \frac{1}{2} (A + A^\top) w",
     (_grad(_f), [sum(SYM[a][b] * W3[b] for b in range(3)) for a in range(3)]), "proved"),
    (r"\nabla^2_w f(w) = A", (_hess(_f), [list(r) for r in A3]), "refuted"),
    (r"\nabla f(w) = A w",
     (_grad(_f), [sum(A3[a][b] * W3[b] for b in range(3)) for a in range(3)]), "refuted"),
    (r"\nabla^2_w f(w) = A^\top A",
     (_hess(_f), [[sum(A3[k][a] * A3[k][b] for k in range(3)) for b in range(3)]
                  for a in range(3)]), "refuted"),
]
SCALAR_ROWS = [  # a scalar variable: the second derivative (t = 1.3)
    (r"\nabla^2_t t^3 = 6 t", "proved"),
    (r"\nabla^2_t t^3 = 3 t", "refuted"),
]


@pytest.mark.parametrize(("step", "truth", "verdict"), GRAD_ROWS)
def test_a_gradient_and_a_hessian(tmp_path, step, truth, verdict):
    assert _same(*truth) == (verdict == "proved")  # the row's truth, by brute force
    assert verdicts(tmp_path, GRAD_HEAD, step) == [verdict]


@pytest.mark.parametrize(("step", "verdict"), SCALAR_ROWS)
def test_a_hessian_by_a_scalar_is_the_second_derivative(tmp_path, step, verdict):
    t = 1.3
    second = (((t + H) ** 3 - 2 * t ** 3 + (t - H) ** 3) / H ** 2)
    rhs = 6 * t if "6 t" in step else 3 * t
    assert math.isclose(second, rhs, rel_tol=1e-5) == (verdict == "proved")
    assert verdicts(tmp_path, GRAD_HEAD, step) == [verdict]


@pytest.mark.parametrize("step", [
    # the Laplacian reading (the trace, true as a Laplacian): never refuted on its shape
    r"\nabla^2_w f(w) = \sum_{i=1}^{D} A_{ii}",
    r"\nabla^2_w g(w) = 0",
    r"\nabla^3_w f(w) = 0",                  # no third-order reading
    r"\nabla^2_w (A w) = 0",                 # a Hessian of a vector
    r"\nabla^2 f = A",                       # no variable: no call, no subscript
    r"\nabla_{w}^{3} g(w) = 0",
])
def test_a_gradient_that_is_not_read_leaves_the_step_unknown(tmp_path, step):
    assert verdicts(tmp_path, GRAD_HEAD, step) == ["unknown"]


@pytest.mark.parametrize(("step", "expected"), [
    (row[0], "agree" if row[2] == "proved" else "disagree") for row in GRAD_ROWS
] + [(row[0], "agree" if row[1] == "proved" else "disagree") for row in SCALAR_ROWS] + [
    (r"\nabla^3_w f(w) = 0", "abstain"),
    (r"\nabla^2_w (A w) = 0", "abstain"),
    (r"\nabla^2 f = A", "abstain"),
])
def test_the_referee_reads_a_gradient_on_its_own(step, expected):
    assert ruling(GRAD_HEAD, step) == expected


# -- |x|: the absolute value of a scalar ----------------------------------------------------
ABS_HEAD = "\n".join(["% derive: size D", "% derive: index i in 1..D",
                      "% derive: tensor w_i, A_{ii}", "% derive: scalar t", "% derive: scalar s",
                      "% derive: scalar c"])
TS = ((1.5, -0.5), (-2.0, 3.0), (-1.0, -4.0), (0.5, 0.25))  # (t, s), signs of every kind
ABS_ROWS = [  # step, (lhs, rhs) of (t, s), verdict
    (r"|t|^2 = t^2", (lambda t, s: abs(t) ** 2, lambda t, s: t ** 2), "proved"),
    (r"\lvert -t \rvert = |t|", (lambda t, s: abs(-t), lambda t, s: abs(t)), "proved"),
    (r"\left| t \right| + 1 = 1 + |t|", (lambda t, s: abs(t) + 1, lambda t, s: 1 + abs(t)),
     "proved"),
    (r"c |t| + c |s| = c (|t| + |s|)",
     (lambda t, s: 3 * abs(t) + 3 * abs(s), lambda t, s: 3 * (abs(t) + abs(s))), "proved"),
    (r"\frac{\partial}{\partial t} (t^2 + 3 |s|) = 2 t",
     (lambda t, s: ((t + H) ** 2 - (t - H) ** 2) / (2 * H), lambda t, s: 2 * t), "proved"),
    (r"|t| \cdot |s| + |s| = |s| (|t| + 1)",
     (lambda t, s: abs(t) * abs(s) + abs(s), lambda t, s: abs(s) * (abs(t) + 1)), "proved"),
]
ABS_TRUE_UNDECIDED = [  # true, outside the decided fragment: never refuted
    (r"2 |t - s| = |2 s - 2 t|", (lambda t, s: 2 * abs(t - s), lambda t, s: abs(2 * s - 2 * t))),
    (r"|t| \cdot |s| = |t s|", (lambda t, s: abs(t) * abs(s), lambda t, s: abs(t * s))),
]
ABS_FALSE = [  # false steps: refuted, or unknown, never proved
    (r"|t|^2 = t", (lambda t, s: abs(t) ** 2, lambda t, s: t)),
    (r"c |t| + c |s| = c (|t| - |s|)",
     (lambda t, s: 3 * abs(t) + 3 * abs(s), lambda t, s: 3 * (abs(t) - abs(s)))),
    (r"|t - s| = |t| - |s|", (lambda t, s: abs(t - s), lambda t, s: abs(t) - abs(s))),
    (r"|t| = t", (lambda t, s: abs(t), lambda t, s: t)),
]


def _abs_holds(truth) -> bool:
    return all(math.isclose(truth[0](t, s), truth[1](t, s), abs_tol=1e-6) for t, s in TS)


@pytest.mark.parametrize(("step", "truth", "verdict"), ABS_ROWS)
def test_an_absolute_value(tmp_path, step, truth, verdict):
    assert _abs_holds(truth)  # the row's truth, by brute force
    assert verdicts(tmp_path, ABS_HEAD, step) == [verdict]


@pytest.mark.parametrize(("step", "truth"), ABS_TRUE_UNDECIDED)
def test_a_true_step_with_an_absolute_value_is_never_refuted(tmp_path, step, truth):
    assert _abs_holds(truth)
    assert verdicts(tmp_path, ABS_HEAD, step) in (["proved"], ["unknown"])


@pytest.mark.parametrize(("step", "truth"), ABS_FALSE)
def test_a_false_step_with_an_absolute_value_is_never_proved(tmp_path, step, truth):
    assert not _abs_holds(truth)
    assert verdicts(tmp_path, ABS_HEAD, step) in (["refuted"], ["unknown"])


def test_a_false_sum_of_absolute_values_is_refuted(tmp_path):
    # D = 1, w_1 = -1: 1 vs -1
    step = r"\sum_{i=1}^{D} |w_i| = \sum_{i=1}^{D} w_i"
    assert abs(-1.0) != -1.0
    assert verdicts(tmp_path, ABS_HEAD, step) == ["refuted"]


@pytest.mark.parametrize("step", [
    r"|A| = 1",                          # a matrix: the determinant? not read
    r"|w| = 1",                          # a vector: a norm? not read
    r"p(t | s) = p(t | s)",              # a conditional bar, never an absolute value
    r"(t | s | t) = t^2 |s|",            # bars inside parentheses: no product with |s|
    r"t | s = s",                        # a single bar: "divides" or nothing
])
def test_a_bar_that_is_no_absolute_value_of_a_scalar_is_not_read_as_one(tmp_path, step):
    assert verdicts(tmp_path, ABS_HEAD, step) == ["unknown"]


def test_bars_in_parentheses_stay_conditional_bars():
    from derive.latex.tokens import tokenize
    kinds = [t.type for t in tokenize(r"P(y | x) = |t|", 1, 1, source="n.md", tolerant=True)]
    assert kinds.count("MID") == 1 and kinds.count("ABSOPEN") == kinds.count("ABSCLOSE") == 1


@pytest.mark.parametrize(("step", "expected"), [
    (row[0], "agree") for row in ABS_ROWS[:4] + ABS_TRUE_UNDECIDED
] + [(row[0], "disagree") for row in ABS_FALSE[:2]] + [
    (r"|A| = 1", "abstain"),
    (r"|w| = 1", "abstain"),
])
def test_the_referee_reads_an_absolute_value_on_its_own(step, expected):
    assert ruling(ABS_HEAD, step) == expected


# -- a sum with dots whose term at a letter i is written out differently ----------------------
DOTS_HEAD = "\n".join(["% derive: size n, K", "% derive: index i, j, k in 1..n",
                       "% derive: index m in 1..K", "% derive: tensor p_i, y_i, u_m"])
EXC = r"p_iy_1 + p_iy_2 + \dots + (p_i - y_i) + \dots + p_i y_n"
EXC2 = r"p_iy_1 + p_iy_2 + \dots + p_i + \dots + p_i y_n - y_i"


def _but(n, i, term, exc):
    """The reading: the pattern at every j in 1..n but i, plus the exception."""
    return sum(term(j) for j in range(1, n + 1) if j != i) + exc


DOTS_ROWS = [  # step, lhs - rhs of (n, i, p, y) with p, y 1-based, verdict
    (f"{EXC} = {EXC2}", lambda n, i, p, y: _but(n, i, lambda j: p[i] * y[j], p[i] - y[i])
     - (_but(n, i, lambda j: p[i] * y[j], p[i]) - y[i]), "proved"),
    (rf"{EXC2} = p_i (y_1 + y_2 + \dots + y_n) - y_i",
     lambda n, i, p, y: _but(n, i, lambda j: p[i] * y[j], p[i]) - y[i]
     - (p[i] * sum(y[1:]) - y[i]), "refuted"),        # n = 1: p_i - y_i vs p_i y_i - y_i
    (r"p_1 y_1 + p_2 y_2 + \dots + p_i + \dots + p_n y_n = \sum_{j \neq i} p_j y_j + p_i",
     lambda n, i, p, y: 0.0, "proved"),               # the reading, term by term
    (r"p_1 y_1 + p_2 y_2 + \dots + p_i + \dots + p_n y_n = \sum_{j=1}^{n} p_j y_j",
     lambda n, i, p, y: _but(n, i, lambda j: p[j] * y[j], p[i])
     - sum(p[j] * y[j] for j in range(1, n + 1)), "refuted"),
]


def _dots_hold(diff) -> bool:
    import random
    rnd = random.Random(7)
    for n in range(1, 5):
        for i in range(1, n + 1):
            p = [0.0] + [rnd.uniform(-2, 2) for _ in range(n)]
            y = [0.0] + [rnd.uniform(-2, 2) for _ in range(n)]
            if abs(diff(n, i, p, y)) > 1e-9:
                return False
    return True


@pytest.mark.parametrize(("step", "diff", "verdict"), DOTS_ROWS)
def test_a_sum_with_dots_and_the_term_at_a_letter_written_out(tmp_path, step, diff, verdict):
    assert _dots_hold(diff) == (verdict == "proved")  # the row's truth, by brute force
    assert verdicts(tmp_path, DOTS_HEAD, step) == [verdict]


@pytest.mark.parametrize("step", [
    # the exception names two letters: at which index is it?
    r"p_1 + p_2 + \dots + y_i p_k + \dots + p_n = p_1 + p_2 + \dots + y_i p_k + \dots + p_n",
    # at a letter of another range (m runs over 1..K, the dots over 1..n)
    r"p_1 + p_2 + \dots + u_m + \dots + p_n = \sum_{j=1}^{n} p_j",
    # three runs of dots, a sign inside the run, dots without a last term
    r"p_1 + p_2 + \dots + y_i + \dots + y_k + \dots + p_n = \sum_{j=1}^{n} p_j",
    r"p_1 + p_2 + \dots - y_i + \dots + p_n = \sum_{j=1}^{n} p_j",
    r"p_1 + p_2 + \dots + y_i + \dots = \sum_{j=1}^{n} p_j",
])
def test_dots_around_a_term_that_is_no_clear_exception_stay_unknown(tmp_path, step):
    assert verdicts(tmp_path, DOTS_HEAD, step) == ["unknown"]


@pytest.mark.parametrize(("step", "expected"), [
    (row[0], "agree" if row[2] == "proved" else "disagree") for row in DOTS_ROWS
] + [
    (r"p_1 + p_2 + \dots + u_m + \dots + p_n = \sum_{j=1}^{n} p_j", "abstain"),
    (r"p_1 + p_2 + \dots + y_i p_k + \dots + p_n = \sum_{j=1}^{n} p_j", "abstain"),
])
def test_the_referee_reads_the_exception_on_its_own(step, expected):
    assert ruling(DOTS_HEAD, step) == expected


def test_the_exception_is_read_only_where_the_reader_confirms_its_range():
    from derive.latex.dotted_sums import dotted_sum
    from derive.latex.parser import parse_expr_text
    from derive.latex.values import MathIssue
    node = parse_expr_text(EXC, 1, 1, frozenset())
    seen: list[tuple[str, str]] = []
    read = dotted_sum(node.terms, lambda name, start, label: seen.append((name, start)) or True)
    assert seen == [("i", "1")] and read is not None
    with pytest.raises(MathIssue):
        dotted_sum(node.terms, lambda name, start, label: False)
    with pytest.raises(MathIssue):
        dotted_sum(node.terms)  # no reader to confirm it: not read
