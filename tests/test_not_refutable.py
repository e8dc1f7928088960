"""Steps a counterexample cannot refute, and the readings that a refutation must survive.

Each mechanism has rows where it must apply and rows where it must not; the truth of every
step is decided by brute force at small sizes (NumPy, random real inputs; never derive):
``holds(K)`` says whether the step holds for every input at size K.

- a relation between the notes' inputs only (:mod:`derive.latex.input_relations`): a
  hypothesis, a name or an equation to solve; unknown when false for free inputs;
- a quantity an inline formula names (``define $\\Sigma_C = ...$``) is never independent
  (:func:`derive.latex.dependence.stated`);
- a step linked by ``:=`` is a definition, never a claim;
- the words "derivative of" before an inline formula (:func:`derive.latex.inline_steps.premise`);
- a cross-entropy target read as a label distribution too (:mod:`derive.latex.label_targets`);
- a sum written out term by term read at the size it writes too
  (:mod:`derive.latex.written_sums`);
- the referee's own rulings on the same steps (:mod:`derive.latex.referee.claims`), without
  the checker's gates.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from derive.latex import verify as V
from derive.latex.chains import extract
from derive.latex.inline_steps import premise
from derive.latex.parser import parse_block
from derive.latex.referee.gate import Referee, Step

HEAD = ("% derive: size K\n% derive: index i, j, k in 1..K\n% derive: tensor z_k, y_k, t_k\n"
        "% derive: scalar a, b\n")


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def holds_everywhere(step: Callable[[np.random.Generator, int], list[tuple[float, float]]],
                     sizes: tuple[int, ...] = (1, 2, 3, 4)) -> bool:
    """Brute force: the step holds at every size, draw and free-index value."""
    rng = np.random.default_rng(0)
    return all(np.isclose(lhs, rhs) for n in sizes for _ in range(5)
               for lhs, rhs in step(rng, n))


def verdicts(text: str) -> list[dict]:
    return [dict(r) for r in V.verify_notes(extract(text, "n.md"))]


def _z(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.normal(size=n)


# (step as written, brute-force step, expected verdict when false for free inputs)
INPUT_ROWS = [
    # must apply: inputs only, no shared entry or a number side -> unknown
    (r"t_2 = 1 - t_1", lambda r, n: [(t[1], 1 - t[0]) for t in [_z(r, max(n, 2))]], "unknown"),
    (r"\sum_{k=1}^K z_k = 0", lambda r, n: [(_z(r, n).sum(), 0.0)], "unknown"),
    (r"\sum_{k=1}^K z_k = \sum_{k=1}^K y_k",
     lambda r, n: [(_z(r, n).sum(), _z(r, n).sum())], "unknown"),
    (r"a - 1 = e^{b} - 1", lambda r, n: [(r.normal() - 1, np.exp(r.normal()) - 1)], "unknown"),
    # must not apply: the sides share an entry (an algebra claim about any values)
    (r"(a + b)^2 = a^2 + b^2",
     lambda r, n: [((x + y) ** 2, x * x + y * y) for x, y in [r.normal(size=2)]], "refuted"),
    (r"\sum_{k=1}^K z_k^2 = \left(\sum_{k=1}^K z_k\right)^2",
     lambda r, n: [((z ** 2).sum(), z.sum() ** 2) for z in [_z(r, n)]], "refuted"),
    (r"z_1 + z_2 = 2 z_1", lambda r, n: [(z[0] + z[1], 2 * z[0]) for z in [_z(r, 2)]],
     "refuted"),
    # must not apply: a derivative
    (r"\frac{\partial}{\partial z_j} \sum_{k=1}^K z_k = 0", lambda r, n: [(1.0, 0.0)],
     "refuted"),
    # an empty range: the step holds, its proof stands
    (r"\sum_{k=2}^{1} z_k = 0", lambda r, n: [(0.0, 0.0)], "proved"),
]


@pytest.mark.parametrize(("step", "truth", "want"), INPUT_ROWS, ids=[r[0] for r in INPUT_ROWS])
def test_a_relation_between_inputs_only_is_not_refuted(step, truth, want):
    true = holds_everywhere(truth)
    assert true == (want == "proved")  # the row's truth, by brute force
    rec = verdicts(HEAD + f"$${step}$$\n")[-1]
    assert rec["verdict"] == want, rec
    if want == "unknown":
        assert "the notes' inputs only (" in rec["note"], rec  # the checker's own reason


def test_a_defined_quantity_is_no_input():
    """p is the softmax (a let): \\sum_k p_k = 2 is a claim about it, refuted (it is 1)."""
    assert holds_everywhere(lambda r, n: [(_softmax(_z(r, n)).sum(), 2.0)]) is False
    text = HEAD + "% derive: let p_k = \\frac{e^{z_k}}{\\sum_{j=1}^K e^{z_j}}\n"
    assert verdicts(text + "$$\\sum_{k=1}^K p_k = 2$$\n")[-1]["verdict"] == "refuted"


# --- a quantity an inline formula names --------------------------------------------------
SIGMA_STEP = (r"$$\frac{\partial}{\partial z_j} \frac{e^{z_i}}{\Sigma_C} = "
              r"-\frac{e^{z_i} e^{z_j}}{\Sigma_C \Sigma_C}$$" + "\n")
SIGMA_HEAD = ("% derive: size K, N\n% derive: index i, j, d in 1..K\n% derive: index C in 1..N\n"
              "% derive: tensor z_d, \\Sigma_C\n% derive: where i \\neq j\n")


def _sigma_truth(rng: np.random.Generator, n: int) -> list[tuple[float, float]]:
    """With Σ_C = Σ_d e^{z_d}: the derivative by z_j (i != j) by central differences."""
    z, out = _z(rng, n), []
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            h = 1e-6
            up, down = z.copy(), z.copy()
            up[j] += h
            down[j] -= h
            fd = (np.exp(up[i]) / np.exp(up).sum() - np.exp(down[i]) / np.exp(down).sum()) / (2 * h)
            out.append((fd, -np.exp(z[i]) * np.exp(z[j]) / np.exp(z).sum() ** 2))
    return out


def test_a_quantity_an_inline_formula_names_is_not_independent():
    assert holds_everywhere(_sigma_truth)  # true with Σ_C its definition
    named = "If we define $\\Sigma_C = \\sum_{d=1}^K e^{z_d} \\, \\text{for} \\; c = 1 \\cdots C$ then\n\n"
    inferred = SIGMA_HEAD.replace(", \\Sigma_C", "")  # Σ_C read from its use, not by hand
    rec = verdicts(inferred.replace("% derive: where", named + "% derive: where")
                   + SIGMA_STEP)[-1]
    assert rec["verdict"] == "unknown" and "\\Sigma is defined" in rec["note"], rec
    # must not apply: without the inline formula, Σ is a declared input and the step (false
    # for an independent Σ: its derivative by z_j is 0) is refuted
    assert verdicts(SIGMA_HEAD + SIGMA_STEP)[-1]["verdict"] == "refuted"


@pytest.mark.parametrize(("chain", "named"), [
    (r"\hat{y}_k = a_k = \frac{1}{1 + e^{-z_k}}", {"\\hat{y}", "a"}),  # each bare name
    (r"a_k = \frac{1}{1 + e^{-z_k}} = b_k", {"a"}),  # a formula ends the names
    (r"2 a_k = b_k = c_k", set()),  # the first member is no bare name
    (r"z_k = z_1", set()),  # its own entries are no other quantity
])
def test_a_chain_of_bare_names_names_each_of_them(chain, named):
    from derive.latex.dependence import dependence

    members = parse_block(chain, 1, 1, frozenset(), "n.md")[0].members
    assert set(dependence([members], lambda node: None)) == named


# --- := links --------------------------------------------------------------------------
def test_a_defining_link_is_never_a_claim():
    """2a := a + b defines no name derive reads (2a is no pattern): no verdict on it; the
    same step with '=' is a claim, false at a = 2, b = 1 (refuted)."""
    assert holds_everywhere(lambda r, n: [(2 * a, a + b) for a, b in [r.normal(size=2)]]) is False
    rec = verdicts("% derive: scalar a, b\n$$2 a := a + b$$\n")[0]
    assert rec["verdict"] == "unknown" and "written as a definition" in rec["note"], rec
    assert verdicts("% derive: scalar a, b\n$$2 a = a + b$$\n")[0]["verdict"] == "refuted"
    assert verdicts("$$1 + 1 = 3$$\n")[0]["verdict"] == "refuted"
    assert verdicts("$$a := 1 + 1 = 3$$\n")[-1]["verdict"] == "refuted"


# --- "derivative of $...$" -----------------------------------------------------------
@pytest.mark.parametrize(("text", "skipped"), [
    ("This comes from the derivative of \\(\\log x = 1/x\\) and the sign.", True),
    ("the gradient of $L = x^2$ is", True),
    ("the Jacobian of $s = Wx$ is", True),
    ("so $\\log x = 1/x$ here", False),
    ("derivatives of the loss: $a = b$", False),
    ("the derivative is $a = b$", False),
])
def test_the_thing_differentiated_is_not_a_claim(text, skipped):
    start = text.index("\\(") + 2 if "\\(" in text else text.index("$") + 1
    assert premise(text, start) is skipped


# --- a cross-entropy target ------------------------------------------------------------
CE = ("% derive: size K\n% derive: index i, k in 1..K\n% derive: tensor z_k, y_k\n"
      "% derive: let a_k = \\frac{e^{z_k}}{\\sum_{j=1}^K e^{z_j}}\n")


def _ce(rhs_sign: int) -> Callable[[np.random.Generator, int], list[tuple[float, float]]]:
    """a_i Σ_k y_k - y_i against a_i ± y_i, y drawn as a label distribution."""
    def fn(r: np.random.Generator, n: int) -> list[tuple[float, float]]:
        a, y = _softmax(_z(r, n)), r.dirichlet(np.ones(n))
        return [(a[i] * y.sum() - y[i], a[i] + rhs_sign * y[i]) for i in range(n)]
    return fn


@pytest.mark.parametrize(("loss", "rhs", "want"), [
    # must apply: true for a label distribution, false for any y -> ambiguous
    ("-\\sum_{k=1}^K y_k \\log a_k", "a_i - y_i", "unknown"),
    # false for a label distribution too: refuted, with a y that sums to one
    ("-\\sum_{k=1}^K y_k \\log a_k", "a_i + y_i", "refuted"),
    # must not apply: no log, y is any vector: refuted
    ("-\\sum_{k=1}^K y_k a_k", "a_i - y_i", "refuted"),
])
def test_a_cross_entropy_target_is_read_as_a_label_distribution_too(loss, rhs, want):
    assert holds_everywhere(_ce(-1 if rhs.endswith("- y_i") else 1)) is (
        rhs.endswith("- y_i"))
    recs = verdicts(CE + f"$$L = {loss}$$\n$$a_i \\sum_{{k=1}}^K y_k - y_i = {rhs}$$\n")
    rec = recs[-1]
    assert rec["verdict"] == want, rec
    if want == "refuted" and "log" in loss:
        assert abs(sum(rec["counterexample"]["values"]["y"]) - 1) < 1e-9, rec


# --- a sum written out -----------------------------------------------------------------
def _written(coef: float, terms: tuple[int, ...]
             ) -> Callable[[np.random.Generator, int], list[tuple[float, float]]]:
    def fn(r: np.random.Generator, n: int) -> list[tuple[float, float]]:
        z = _z(r, max(n, max(terms)))
        return [(coef * z[:n].sum(), sum(z[t - 1] for t in terms))]
    return fn


@pytest.mark.parametrize(("lhs", "rhs", "truth", "want"), [
    # must apply: true at K = 3 only -> ambiguous
    ("\\sum_{k=1}^K z_k", "z_1 + z_2 + z_3", _written(1, (1, 2, 3)), "unknown"),
    # written out, false at K = 3 as well: refuted at K = 3
    ("\\sum_{k=1}^K 2 z_k", "z_1 + z_2 + z_3", _written(2, (1, 2, 3)), "refuted"),
    # must not apply: not the pattern at 1, 2, 3 (a gap), a size of 1 (one term)
    ("\\sum_{k=1}^K z_k", "z_1 + z_2 + z_4", _written(1, (1, 2, 4)), "refuted"),
    ("\\sum_{k=1}^K z_k", "z_1", _written(1, (1,)), "refuted"),
])
def test_a_sum_written_out_is_read_at_its_size_too(lhs, rhs, truth, want):
    assert holds_everywhere(truth, sizes=(3,)) is (want == "unknown")
    assert holds_everywhere(truth) is False  # never at every size
    rec = verdicts(HEAD + f"$${lhs} = {rhs}$$\n")[-1]
    assert rec["verdict"] == want, rec
    if want == "unknown":
        assert "the sum written out with 3 terms" in rec["note"], rec  # the checker's reason
    if want == "refuted" and rhs.count("+") == 2 and "z_4" not in rhs:
        assert rec["counterexample"]["sizes"]["K"] == 3, rec


# --- the referee's own rulings ---------------------------------------------------------
def _confirm(text: str, step: str, cex: dict) -> tuple[str, str]:
    notes = extract(text + f"$${step}$$\n", "n.md")
    ref = Referee(notes.directives, text)
    left, right = parse_block(step, 1, 1, ref.d.text_names, "n.md")[0].members
    return ref.confirm(Step(left, right, (), (), (left, right), 1), cex)


@pytest.mark.parametrize(("text", "step", "cex", "ruling"), [
    (HEAD, "t_2 = 1 - t_1", {"sizes": {"K": 2}, "values": {"t": [1, 1]}}, "abstain"),
    (HEAD, "\\sum_{k=1}^K z_k = 0", {"sizes": {"K": 2}, "values": {"z": [1, 1]}}, "abstain"),
    # shared entries: the referee confirms the algebra slip
    (HEAD, "(a + b)^2 = a^2 + b^2", {"values": {"a": 1, "b": 1}, "lhs": 4, "rhs": 2}, "agree"),
    # Σ named by an inline formula: no value of it refutes
    (SIGMA_HEAD.replace("% derive: where i \\neq j\n", "") + "define $\\Sigma_C = "
     "\\sum_{d=1}^K e^{z_d}$ for c\n", "\\frac{\\partial \\Sigma_1}{\\partial z_1} = 1",
     {"sizes": {"K": 2, "C": 2}, "values": {"\\Sigma": [1, 1], "z": [2, 2]}}, "abstain"),
    # a cross-entropy target whose values do not sum to one
    (CE + "% derive: let L = -\\sum_{k=1}^K y_k \\log a_k\n", "a_1 \\sum_{k=1}^K y_k - y_1 = a_1 - y_1",
     {"sizes": {"K": 2}, "values": {"y": [2, 1], "z": [0, 0]}}, "abstain"),
    # a sum written out with 3 terms, a counterexample at K = 2
    (HEAD, "\\sum_{k=1}^K z_k = z_1 + z_2 + z_3",
     {"sizes": {"K": 2}, "values": {"z": [1, 1, 1]}}, "abstain"),
])
def test_the_referee_rules_on_its_own(text, step, cex, ruling):
    assert _confirm(text, step, cex)[0] == ruling


# --- softmax(z_j): the entry j of softmax(z), in both readers -------------------------
SOFT = "% derive: manual\n% derive: size K\n% derive: index j, k in 1..K\n% derive: tensor z_k\n% derive: scalar a\n"


def _soft_truth(rhs: Callable[[np.ndarray, int], float]
                ) -> Callable[[np.random.Generator, int], list[tuple[float, float]]]:
    return lambda r, n: [(_softmax(z)[j], rhs(z, j)) for z in [_z(r, n)] for j in range(n)]


@pytest.mark.parametrize(("step", "truth", "want"), [
    # must apply: the entry reading, true (proved) and a slip (refuted)
    (r"\text{softmax}(z_j) = \frac{e^{z_j}}{\sum_{k=1}^K e^{z_k}}",
     _soft_truth(lambda z, j: np.exp(z[j]) / np.exp(z).sum()), "proved"),
    (r"\text{softmax}(z_j) = \frac{e^{z_j}}{\sum_{k=1}^K e^{z_j}}",
     _soft_truth(lambda z, j: np.exp(z[j]) / (len(z) * np.exp(z[j]))), "refuted"),
    # must not apply: a scalar that is no entry of a vector, logsumexp of an entry
    (r"\text{softmax}(a) = 1", None, "unknown"),
    (r"\text{logsumexp}(z_j) = z_j", None, "unknown"),
])
def test_softmax_of_an_entry_is_that_entry_of_the_softmax(step, truth, want):
    if truth is not None:
        assert holds_everywhere(truth) is (want == "proved")
    rec = verdicts(SOFT + f"$${step}$$\n")[-1]
    assert rec["verdict"] == want, rec


@pytest.mark.parametrize(("body", "named"), [
    (r"\Sigma_C = \sum_{d=1}^K e^{z_d} \, \text{for} \; c = 1 \cdots C", {"\\Sigma"}),
    (r"g_i = e^{a_i}, h_i = \sum^K_{k=1}e^{a_k} = \Sigma", {"g", "h"}),  # two equations
    (r"g_i = e^{a_i} \quad h_i = 2", {"g"}),  # a name set to a number is a condition
    (r"i = 1, \dots, K", set()),  # an index range
    (r"z_k = z_1", set()),  # its own entries are no other quantity
])
def test_an_inline_formula_that_is_no_step_names_its_quantities(body, named):
    from derive.latex.dependence import stated

    def parse(text: str, line: int, col: int):  # type: ignore[no-untyped-def]
        try:
            return parse_block(text, line, col, frozenset(), "n.md")[0].members[0]
        except Exception:
            return None

    assert set(stated([(1, 1, body)], parse)) == named
