"""The proof links themselves: every kernel output's matrix form against its claim.

These tests need the proof engine; without it (or with a verdict other than
``proved``) they fail, they never skip.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.errors import DeriveError
from derive.kernels import api, links
from derive.kernels.emit import emitted_source


@pytest.mark.parametrize("name", sorted(links.LINKS))
def test_link_is_proved(name):
    res = links.check(name)
    assert res.verdict.status == "proved", (name, res.verdict.status, str(res.verdict.residual))
    if res.claim_verdict is not None:
        assert res.claim_verdict.status == "proved", (res.link.claim, res.claim_verdict.status)


def test_public_kernel_runs_behind_the_proofs():
    X = np.eye(2)
    loss, g = api.loss_and_grad(X, np.array([0, 1]), np.zeros((2, 2)))
    assert abs(float(loss) - np.log(2)) < 1e-15 and g.shape == (2, 2)


def test_emitted_header_states_claims_and_assumptions():
    text = emitted_source()
    assert "mean_l2_loss_grad (proved)" in text and "Σ_k Y_nk = 1" in text
    assert "import sympy" not in text and "import derive" not in text


def test_an_unproved_link_refuses_the_kernel(monkeypatch):
    bad = links.LINKS["grad_mean"]
    wrong = links.Link(bad.name + "_mutant", bad.kernel, bad.output, bad.form * 2, bad.indices,
                       bad.target, bad.claim, bad.statement)
    monkeypatch.setitem(links.LINKS, wrong.name, wrong)
    with pytest.raises(DeriveError, match=r"link 'grad_mean_mutant' .* is (refuted|unknown)"):
        links.require((wrong,))
