"""Finite-difference checks of i05_statsse_22491_multivariate_poisson_loglik.md (plain NumPy, never derive).

|T| = 1, 4, 9 points; d = 1, 3 functions; F[t, k] = f_k(t) ~ U(0.1, 2), theta_k ~ U(0.1, 2) (so lambda_t > 0);
y_t ~ Poisson(lambda_t); 4 draws each. The algebra step is compared directly; rtol = atol = 1e-9.
"""
from math import lgamma

import numpy as np


def draws():
    rng = np.random.default_rng(22491)
    for m in (1, 4, 9):
        for d in (1, 3):
            for _ in range(4):
                F, theta = rng.uniform(0.1, 2.0, size=(m, d)), rng.uniform(0.1, 2.0, size=d)
                lam = F @ theta
                yield lam, rng.poisson(lam).astype(float)


def step_22_1():
    out = []
    for lam, y in draws():
        lf = np.array([lgamma(v + 1) for v in y])
        first = np.sum(np.log(np.exp(-lam) * lam**y / np.exp(lf)))
        last = np.sum(-lam + y * np.log(lam) - lf)  # the sum covering the trailing -log(y_t!)
        out.append(np.allclose(first, last, rtol=1e-9, atol=1e-9))
    return all(out)
