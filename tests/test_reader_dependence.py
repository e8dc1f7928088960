"""Issue 19, failure class 2: a quantity the notes define or differentiate, but derive reads
no definition of, is never silently an independent quantity (derive.latex.dependence).

Read as independent, ``∂p_j/∂z_i`` is 0 and ``h_i = -λ_i`` is false at most values: a true
step would be refuted and ``∂p_j/∂z_i = 0`` proved. Each rule is tested where it must act
and where it must not (a definition read by derive, a hand declaration, a quantity only
written as data, another spelling)."""

from __future__ import annotations

import pytest

from derive.latex.verify import verify_file


def verdicts(tmp_path, text: str) -> list[dict]:
    p = tmp_path / "n.md"
    p.write_text(text, encoding="utf-8")
    return verify_file(str(p))


def kinds(recs: list[dict]) -> list[str]:
    return [r["verdict"] for r in recs]


JACOBIAN = r"$$\frac{\partial p_j}{\partial z_i} = p_j (\delta_{ij} - p_i)$$" + "\n"
DEFINE_P = r"% derive: let p_j = \frac{e^{z_j}}{\sum_{k=1}^K e^{z_k}}" + "\n"
SIZES = "% derive: size K\n% derive: index i, j, k in 1..K\n% derive: tensor z_k\n"


@pytest.mark.parametrize("name", ["p", r"\hat{y}", r"\sigma"])
def test_a_differentiated_quantity_never_read_as_independent(tmp_path, name):
    """The softmax Jacobian with p defined only in the prose: true, so never refuted."""
    step = JACOBIAN.replace("p_", name + "_")
    recs = verdicts(tmp_path, f"$$\\sum_{{k=1}}^K z_k = \\sum_{{k=1}}^K z_k$$\n\n{step}")
    assert kinds(recs) == ["proved", "unknown"]
    assert f"{name} is differentiated" in recs[1]["note"] or (  # or p_j, as first written
        f"{name}_j is differentiated" in recs[1]["note"])
    assert "define it" in recs[1]["note"]


def test_its_derivative_is_never_proved_zero(tmp_path):
    """Read as independent, ∂p_j/∂z_i = 0 would be proved: a false step proved."""
    recs = verdicts(tmp_path, "$$\\frac{\\partial p_j}{\\partial z_i} = 0$$\n")
    assert kinds(recs) == ["unknown"]


def test_a_definition_read_by_derive_still_decides(tmp_path):
    recs = verdicts(tmp_path, SIZES + DEFINE_P + JACOBIAN
                    + JACOBIAN.replace("(\\delta_{ij} - p_i)", "(\\delta_{ij} + p_i)"))
    assert kinds(recs) == ["proved", "refuted"]


def test_a_hand_declared_quantity_is_independent_as_declared(tmp_path):
    """'% derive: tensor p_k' says p is data: its derivative by z is 0, as declared."""
    recs = verdicts(tmp_path, SIZES + "% derive: tensor p_k\n" + JACOBIAN)
    assert kinds(recs) == ["refuted"]


def test_differentiating_by_itself_is_not_a_dependence(tmp_path):
    recs = verdicts(tmp_path, "$$\\frac{\\partial x_j}{\\partial x_i} = \\delta_{ij}$$\n")
    assert kinds(recs) == ["proved"]


@pytest.mark.parametrize("lhs", ["h_i", "h_{i}", r"\hat{h}^{(i)}"])
def test_a_quantity_defined_by_the_notes_is_not_refuted_at_any_value(tmp_path, lhs):
    """h_i = -λ_i names what h is (the notes' definition of h was not read): not refuted."""
    rhs = r"-\lambda_i" if "i" in lhs else r"-\lambda"
    recs = verdicts(tmp_path, f"$${lhs} = {rhs}$$\n")
    assert kinds(recs) != ["refuted"]  # read as a definition (inference), or unknown
    if kinds(recs) == ["unknown"]:
        assert "defined" in recs[0]["note"]


def test_a_consequence_of_an_unread_definition_is_not_refuted(tmp_path):
    """t is defined in one display (not read as a definition), then Σ t_i = 1 by
    construction: refuting it at t = [2, 1] would refute a true step."""
    text = ("$$t_i = \\frac{e^{x_i}}{\\sum_{j=1}^n e^{x_j}}$$\n\n"
            "$$\\sum_{i=1}^n t_i = 1$$\n")
    recs = verdicts(tmp_path, text)
    assert "refuted" not in kinds(recs)


def test_a_slip_on_data_is_still_refuted(tmp_path):
    """y and p only written as data (never defined, never differentiated): a slip in an
    algebraic step is still caught."""
    recs = verdicts(tmp_path, "$$-y_i (1 - p_i) = -y_i + p_i$$\n\n"
                    "$$-y_i (1 - p_i) = -y_i + y_i p_i$$\n")
    assert kinds(recs) == ["refuted", "proved"]


def test_a_number_is_a_value_not_a_definition(tmp_path):
    """y_i = 1 gives a value, not a definition: a slip using y elsewhere stays refuted."""
    recs = verdicts(tmp_path, "$$y_i = 1$$\n\n$$y_i + y_i = 3 y_i$$\n")
    assert kinds(recs)[1] == "refuted"


# --- a condition the prose states beside the display (derive.latex.side_conditions) -----

HESSIAN = (r"$$\frac{\partial^2}{\partial x_k \partial x_j} \log \sum_{i=1}^{n} e^{x_i} = "
           r"-\frac{e^{x_k} e^{x_j}}{(\sum_{i=1}^{n} e^{x_i})^2}$$")


@pytest.mark.parametrize("prose", [r"where $j \neq k$.", r"for \(k \ne j\)."])
def test_a_counterexample_breaking_the_stated_condition_is_no_refutation(tmp_path, prose):
    recs = verdicts(tmp_path, f"For the second derivative {HESSIAN} {prose}\n")
    assert kinds(recs) != ["refuted"]  # checked under the condition, or unknown naming it
    if kinds(recs) == ["unknown"]:
        assert "states" in recs[0]["note"]


@pytest.mark.parametrize("text", [
    f"For the second derivative {HESSIAN}.\n",                          # no condition
    f"For the second derivative {HESSIAN}.\n\nLater, $j \\neq k$.\n",    # another paragraph
    f"Here $i \\neq k$: {HESSIAN}.\n",                                  # other letters
])
def test_without_that_condition_the_refutation_stands(tmp_path, text):
    assert kinds(verdicts(tmp_path, text)) == ["refuted"]
