"""Multi-label classification (K independent sigmoids), end to end: its catalogue is the
theorem's for ``A = Σ_k log(1 + e^{η_k})``; its kernel agrees with the binary
cross-entropy summed over labels and with central differences; L-BFGS with its gradient
reaches scikit-learn's one-vs-rest ``LogisticRegression`` optimum.

scikit-learn's ``LogisticRegression(C=C)`` minimises, per label, ``C Σ_n log-loss + ½‖w‖²``
(intercept not penalised): over K labels that is ``C`` times derive's summed loss with
``λ = 1/(2C)``.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.catalogue import family_of, mutants
from derive.engine import prove
from derive.errors import DeriveError
from derive.kernels import loss_and_grad_multilabel
from derive.models import family

FAMILY = family("multilabel")


def test_the_catalogue_is_the_theorems_for_its_A():
    names = [c.name for c in FAMILY.claims]
    assert names == [f"sigmoids_{s}" for s in (
        "mean_map", "curvature", "loss_form", "grad", "hessian", "sum_grad", "mean_l2_grad",
        "mean_l2_hessian")]
    assert all(family_of(n) == "multilabel" for n in names)
    assert all(len(mutants(n)) >= 2 for n in names)


@pytest.mark.parametrize("name", ["sigmoids_loss_form", "sigmoids_hessian"])
def test_claims_are_proved_and_their_mutants_refuted(name):
    (claim,) = [c for c in FAMILY.claims if c.name == name]
    assert prove(claim).status == "proved"
    assert {prove(m).status for m in mutants(name)} == {"refuted"}


def _bce(X, Y, W, b, lam):
    s = 1 / (1 + np.exp(-(X @ W + b)))
    return float(-(Y * np.log(s) + (1 - Y) * np.log(1 - s)).sum() + lam * (W ** 2).sum())


def test_the_kernel_is_the_summed_binary_cross_entropy_and_its_gradient():
    rng = np.random.default_rng(3)
    X, W = rng.standard_normal((30, 4)), 0.3 * rng.standard_normal((4, 3))
    Y, b = rng.integers(0, 2, (30, 3)).astype(float), rng.standard_normal(3)
    loss, gW, gb = loss_and_grad_multilabel(X, Y, W, lam=0.2, b=b, reduction="sum")
    assert loss == pytest.approx(_bce(X, Y, W, b, 0.2), rel=1e-12)
    h = 1e-6
    for q in np.ndindex(W.shape):
        E = np.zeros_like(W)
        E[q] = h
        fd = (_bce(X, Y, W + E, b, 0.2) - _bce(X, Y, W - E, b, 0.2)) / (2 * h)
        assert gW[q] == pytest.approx(fd, rel=1e-6, abs=1e-8)
    s = 1 / (1 + np.exp(-(X @ W + b)))
    assert np.allclose(gb, (s - Y).sum(0), rtol=1e-12)
    mean, _ = loss_and_grad_multilabel(X, Y, W)
    assert mean == pytest.approx(_bce(X, Y, W, 0.0, 0.0) / 30, rel=1e-12)


def test_labels_outside_zero_one_are_refused():
    with pytest.raises(DeriveError, match="expected labels 0/1"):
        loss_and_grad_multilabel(np.ones((2, 1)), np.full((2, 2), 2.0), np.zeros((1, 2)))


def test_lbfgs_reaches_scikit_learns_one_vs_rest_logistic_regression():
    pytest.importorskip("sklearn")
    optimize = pytest.importorskip("scipy.optimize")
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(5)
    X = rng.standard_normal((150, 4))
    Y = (X @ rng.standard_normal((4, 3)) + rng.standard_normal((150, 3)) > 0).astype(float)
    C, (d, k) = 0.7, (4, 3)

    def fun(theta):
        loss, gW, gb = loss_and_grad_multilabel(X, Y, theta[: d * k].reshape(d, k),
                                                lam=1 / (2 * C), b=theta[d * k:],
                                                reduction="sum")
        return float(loss), np.concatenate([gW.ravel(), gb])

    res = optimize.minimize(fun, np.zeros(d * k + k), jac=True, method="L-BFGS-B",
                            options={"maxiter": 5000, "gtol": 1e-12, "ftol": 1e-16})
    W, b = res.x[: d * k].reshape(d, k), res.x[d * k:]
    for c in range(k):
        ref = LogisticRegression(C=C, tol=1e-12, max_iter=10000).fit(X, Y[:, c])
        rel = np.linalg.norm(W[:, c] - ref.coef_[0]) / np.linalg.norm(ref.coef_[0])
        print(f"label {c}: rel. diff coef {rel:.2e}")
        assert rel <= 1e-6
        assert b[c] == pytest.approx(ref.intercept_[0], rel=1e-6)
        p = 1 / (1 + np.exp(-(X @ W[:, c] + b[c])))
        assert np.allclose(p, ref.predict_proba(X)[:, 1], rtol=1e-6)
