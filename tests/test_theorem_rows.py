"""Softmax and logistic restate the canonical-link theorem's rows (glm.theorem_rows) in
their own notation: the catalogue's statement is the theorem's, and the notation a
family declares (glm.Written) is proved for that family, never trusted."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sympy as sp

from derive.engine.prover import prove
from derive.errors import DeriveError
from derive.models import family, glm, logistic, softmax
from derive.models.family import catalogue

# (family, row role in the theorem, the family's own name for it)
RESTATED = [
    ("logistic", "grad", "bce_grad_w"),
    ("logistic", "hessian", "bce_hessian_w"),
    ("logistic", "sum_grad", "sum_loss_grad_w"),
    ("logistic", "mean_l2_grad", "mean_l2_loss_grad_w"),
    ("logistic", "mean_l2_hessian", "mean_l2_loss_hessian_w"),
    ("logistic", "bias_grad", "bce_grad_b"),
    ("logistic", "mean_l2_bias_grad", "mean_l2_loss_grad_b"),
    ("softmax", "grad", "nll_grad_theta"),
    ("softmax", "hessian", "nll_hessian_theta"),
    ("softmax", "sum_grad", "sum_loss_grad"),
    ("softmax", "mean_l2_grad", "mean_l2_loss_grad"),
    ("softmax", "mean_grad", "mean_loss_grad"),
    ("softmax", "bias_grad", "nll_grad_bias"),
]
MODULES = {"logistic": logistic, "softmax": softmax}


@pytest.mark.parametrize(("fam", "role", "name"), RESTATED)
def test_the_catalogue_states_the_theorem_row(fam, role, name):
    row = MODULES[fam]._THEOREM[role]
    claim = next(c for c in family(fam).claims if c.name == name)
    assert (claim.lhs, claim.rhs, claim.assumptions) == (row.lhs, row.rhs, row.assumptions)
    assert claim.expanded() == catalogue([row], claim.scope)[0][0].expanded()
    # the family's own name, not the theorem's generic one
    assert not any(c.name == row.name for c in family(fam).claims)


def _logistic_written(**change) -> glm.Written:
    L = logistic
    base = glm.Written(
        weight=lambda a, q: L.w[a],
        label=lambda smp, q: L.y if smp is None else L.Y[smp],
        mean=lambda smp, q: L.s if smp is None else L.S[smp],
        curvature=lambda smp, q, r: L.s * (1 - L.s) if smp is None else L.S[smp] * (1 - L.S[smp]),
        defs=lambda data: {L.S: L._s_of_xn} if data else {L.s: L._s_of_x},
        loss=lambda: L.bce(), dataset=L.dataset_loss, delta=lambda q, r: 1,
        second=(L.l, glm.m), second_data=(L.l, glm.r))
    return replace(base, **change)


def _verdict(written: glm.Written, role: str) -> str:
    row = glm.theorem_rows("t", written, (), (), "")[role]
    claims, _ = catalogue([row], logistic.SCOPE)
    return prove(claims[0]).status


def test_logistic_notation_is_proved_not_trusted():
    L = logistic
    # the declared notation: proved
    assert _verdict(_logistic_written(), "hessian") == "proved"
    # a wrong curvature s for s(1 − s): the theorem's row in that notation is refuted
    wrong = _logistic_written(
        curvature=lambda smp, q, r: L.s if smp is None else L.S[smp])
    assert _verdict(wrong, "hessian") == "refuted"
    # one output: δ between outputs is 1; a δ_jr kept in logistic's notation names
    # output letters its scope does not have, and is refused, not decided
    with_delta = _logistic_written(delta=sp.KroneckerDelta)
    with pytest.raises(DeriveError, match="index j, r has no range"):
        _verdict(with_delta, "mean_l2_hessian")
    assert _verdict(_logistic_written(), "mean_l2_hessian") == "proved"
    # a mean that is not the derivative of the loss (1 − s for s): the gradient is refuted
    flipped = _logistic_written(mean=lambda smp, q: 1 - L.s if smp is None else 1 - L.S[smp])
    assert _verdict(flipped, "grad") == "refuted"


def test_restate_keeps_only_variants_the_theorem_has():
    row = softmax._THEOREM["grad"]
    kept = glm.restate(row, "g", source="", description="", keep=("sign flip",),
                       wrong={"own": (sp.Integer(0), None)})
    assert list(kept.wrong) == ["sign flip", "own"]
    assert kept.wrong["sign flip"] == row.wrong["sign flip"]
    assert (kept.lhs, kept.rhs, kept.defs) == (row.lhs, row.rhs, row.defs)
    with pytest.raises(KeyError):  # a label the theorem does not state
        glm.restate(row, "g", source="", description="", keep=("σ' kept",))
