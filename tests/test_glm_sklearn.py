"""The canonical-link families against the libraries users train with: SciPy's L-BFGS
driven by derive's proven gradient reaches scikit-learn's ``PoissonRegressor`` and
``Ridge`` optima and ``numpy.linalg.lstsq``'s least-squares solution.

The objectives, side by side (N samples, intercept ``b`` never penalised):

* ``PoissonRegressor(alpha=α)`` minimises ``(1/(2N)) Σ_n deviance(y_n, e^{η_n}) + (α/2)‖w‖²``;
  the half deviance is ``y log(y/μ) − y + μ``, so the objective is derive's mean loss
  ``(1/N) Σ_n (e^{η_n} − y_n η_n) + λ‖w‖²`` with ``λ = α/2``, plus terms free of ``w, b``;
* ``Ridge(alpha=α)`` minimises ``‖y − Xw − b‖² + α‖w‖²``, which is twice derive's summed
  loss ``Σ_n (η_n²/2 − y_n η_n) + λ‖w‖²`` with ``λ = α/2``, plus ``‖y‖²``;
* ``lstsq`` minimises ``‖XW − Y‖²``: derive's loss with ``λ = 0`` and no bias.

Each comparison is on the optimum (relative difference of the coefficients ≤ 1e-6) and on
the predictions; the ridge optimum is also checked against the proved normal equations.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.kernels import loss_and_grad_lsq, loss_and_grad_poisson

sklearn = pytest.importorskip("sklearn")
optimize = pytest.importorskip("scipy.optimize")
from sklearn.linear_model import PoissonRegressor, Ridge  # noqa: E402


def _fit(kernel, X, Y, lam, reduction, bias=True):
    d, k = X.shape[1], Y.shape[1]

    def fun(theta):
        W = theta[: d * k].reshape(d, k)
        if not bias:
            loss, gW = kernel(X, Y, W, lam=lam, reduction=reduction)
            return float(loss), gW.ravel()
        loss, gW, gb = kernel(X, Y, W, lam=lam, b=theta[d * k:], reduction=reduction)
        return float(loss), np.concatenate([gW.ravel(), gb])

    res = optimize.minimize(fun, np.zeros(d * k + (k if bias else 0)), jac=True,
                            method="L-BFGS-B",
                            options={"maxiter": 5000, "gtol": 1e-12, "ftol": 1e-16})
    return res.x[: d * k].reshape(d, k), res.x[d * k:]


def _rel(a, b):
    return float(np.linalg.norm(np.ravel(a) - np.ravel(b)) / np.linalg.norm(np.ravel(b)))


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(20)
    X = rng.standard_normal((200, 5))
    w = np.array([0.3, -0.2, 0.1, 0.0, 0.25])
    counts = rng.poisson(np.exp(X @ w + 0.4)).astype(float)
    reals = X @ w + 0.5 + 0.1 * rng.standard_normal(200)
    return X, counts, reals


def test_poisson_reaches_scikit_learns_poisson_regressor(data):
    X, counts, _ = data
    alpha = 0.05
    ref = PoissonRegressor(alpha=alpha, tol=1e-12, max_iter=10000, solver="newton-cholesky")
    ref.fit(X, counts)
    W, b = _fit(loss_and_grad_poisson, X, counts[:, None], alpha / 2, "mean")
    print(f"Poisson: rel. diff coef {_rel(W[:, 0], ref.coef_):.2e}, "
          f"intercept {abs(b[0] - ref.intercept_) / abs(ref.intercept_):.2e}")
    assert _rel(W[:, 0], ref.coef_) <= 1e-6
    assert abs(b[0] - ref.intercept_) <= 1e-6 * abs(ref.intercept_)
    pred = np.exp(X @ W[:, 0] + b[0])
    assert _rel(pred, ref.predict(X)) <= 1e-6
    # the penalty read as α instead of α/2 lands elsewhere: the comparison can fail
    W2, _ = _fit(loss_and_grad_poisson, X, counts[:, None], alpha, "mean")
    assert _rel(W2[:, 0], ref.coef_) > 1e-3


def test_ridge_reaches_scikit_learns_ridge_and_the_normal_equations(data):
    X, _, reals = data
    alpha = 3.0
    ref = Ridge(alpha=alpha, solver="cholesky").fit(X, reals)
    W, b = _fit(loss_and_grad_lsq, X, reals[:, None], alpha / 2, "sum")
    print(f"Ridge: rel. diff coef {_rel(W[:, 0], ref.coef_):.2e}, "
          f"intercept {abs(b[0] - ref.intercept_) / abs(ref.intercept_):.2e}")
    assert _rel(W[:, 0], ref.coef_) <= 1e-6
    assert abs(b[0] - ref.intercept_) <= 1e-6 * abs(ref.intercept_)
    assert _rel(X @ W[:, 0] + b[0], ref.predict(X)) <= 1e-6
    # the proved normal equations of the mean loss, (XᵀX + 2Nλ I) W = XᵀY, on centred data
    # (the unpenalised intercept is the mean): λ = α/(2N) for the mean loss
    Xc, yc = X - X.mean(0), reals - reals.mean()
    lam = alpha / (2 * len(X))
    Wn = np.linalg.solve(Xc.T @ Xc + 2 * len(X) * lam * np.eye(5), Xc.T @ yc)
    assert _rel(Wn, ref.coef_) <= 1e-10
    W3, _ = _fit(loss_and_grad_lsq, X, reals[:, None], alpha, "sum")  # α for α/2: elsewhere
    assert _rel(W3[:, 0], ref.coef_) > 1e-3


def test_least_squares_reaches_lstsq_with_several_targets(data):
    X, _, reals = data
    rng = np.random.default_rng(1)
    Y = np.column_stack([reals, X @ rng.standard_normal(5) + 0.2 * rng.standard_normal(200)])
    ref, *_ = np.linalg.lstsq(X, Y, rcond=None)
    W, _ = _fit(loss_and_grad_lsq, X, Y, 0.0, "mean", bias=False)
    print(f"lstsq: rel. diff {_rel(W, ref):.2e}")
    assert _rel(W, ref) <= 1e-6
    assert _rel(X @ W, X @ ref) <= 1e-6
