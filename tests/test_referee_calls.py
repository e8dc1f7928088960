"""The referee's reading of a function whose parameter is a declared vector or matrix, called
with another argument (``let tr(A) = Σ_i A_ii``, then ``tr(B)``, ``tr(AB)``, ``f(w)``).

The body's entries of the parameter are the argument's entries, each slot counted from the
start of the parameter's declared range; called with the parameter itself it is the declared
quantity; an argument of another shape or length, a literal, a scalar or a matrix for a
vector is an abstention, never a guess. Each row drives the gate on one step as if the engine
had proved it, so what stands is the referee's own reading.
"""

from __future__ import annotations

import pytest

from derive.latex.chains import extract
from derive.latex.parser import parse_block
from derive.latex.referee import Referee, Step, gate

HEAD = (
    "% derive: size D, K\n"
    "% derive: index i, j in 1..D\n"
    "% derive: index k in 1..K\n"
    "% derive: index m in 0..D\n"
    "% derive: tensor A_{ij}, B_{ij}, C_{ik}, x_i, w_i, v_k, u_m, q_m\n"
    "% derive: scalar t\n"
    "% derive: let \\operatorname{tr}(A) = \\sum_{i=1}^{D} A_{ii}\n"
    "% derive: let r(A) = \\sum_{j=1}^{D} A_{1j}\n"
    "% derive: let f(x) = \\sum_{i=1}^{D} x_i^2\n"
    "% derive: let g(u) = u_0 + 2 u_D\n"
    "$$1 = 1$$\n"
)


def _ruling(step: str) -> str:
    """agree / disagree / abstain: what the gate makes of ``step`` reported proved."""
    referee = Referee(extract(HEAD, "n.md").directives)
    assert referee.error == ""
    members = parse_block(step, 1, 1, referee.d.text_names)[0].members
    out = gate({"verdict": "proved"}, referee, Step(members[0], members[1], (), (), members, 1))
    if out["verdict"] == "proved":
        return "agree"
    return "disagree" if out.get("disagreement") else "abstain"


@pytest.mark.parametrize(("step", "ruling"), [
    # another matrix: its entries, never the declared parameter's
    (r"\operatorname{tr}(B) = \sum_{i=1}^{D} B_{ii}", "agree"),
    (r"\operatorname{tr}(B) = \operatorname{tr}(A)", "disagree"),
    (r"\operatorname{tr}(A B) = \operatorname{tr}(B A)", "agree"),
    (r"\operatorname{tr}(A B) = \sum_{i=1}^{D} \sum_{j=1}^{D} A_{ij} B_{ji}", "agree"),
    (r"\operatorname{tr}(A B) = \operatorname{tr}(A) \operatorname{tr}(B)", "disagree"),
    (r"\operatorname{tr}(A + B) = \operatorname{tr}(A) + \operatorname{tr}(B)", "agree"),
    # the parameter itself: the declared quantity
    (r"\operatorname{tr}(A) = \sum_{i=1}^{D} A_{ii}", "agree"),
    (r"\operatorname{tr}(A) = \sum_{i=1}^{D} B_{ii}", "disagree"),
    # orientation: the first row of a transpose is the first column
    (r"r(A^\top) = \sum_{j=1}^{D} A_{j1}", "agree"),
    (r"r(A^\top) = \sum_{j=1}^{D} A_{1j}", "disagree"),
    # a vector parameter
    (r"f(w) = \sum_{i=1}^{D} w_i^2", "agree"),
    (r"f(w) = \sum_{i=1}^{D} x_i^2", "disagree"),
    (r"f(x) = \sum_{i=1}^{D} x_i^2", "agree"),
    # a range that starts at 0: slot 0 is the argument's first entry, D its last
    (r"g(q) = q_0 + 2 q_D", "agree"),
    (r"g(q) = q_1 + 2 q_D", "disagree"),
    # an argument of another shape or length, a literal, a scalar: never read
    (r"\operatorname{tr}(C) = \operatorname{tr}(C)", "abstain"),
    (r"f(v) = f(v)", "abstain"),
    (r"f(A) = f(A)", "abstain"),
    (r"f(t) = f(t)", "abstain"),
    (r"f(\begin{bmatrix} 1 \\ 2 \end{bmatrix}) = 5", "abstain"),
])
def test_a_call_reads_its_arguments_entries(step, ruling):
    assert _ruling(step) == ruling
