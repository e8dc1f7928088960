"""Vector and matrix notation in steps (issue 9), lowered by the one LaTeX lowering
(:mod:`derive.latex.values`: a vector or matrix is its generic entry with named axes) to the
indexed form the engine proves. Each form has a correct step (proved) and the slips authors
make (transposed, a missing 1/N, sigma sigma^T written sigma^T sigma): refuted or unknown,
never proved. Every expectation is checked independently with NumPy on random numbers."""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.verify import verify_file

HEADER = r"""% derive: size N, D, K
% derive: index n in 1..N
% derive: index d, e in 1..D
% derive: index j, k in 1..K
% derive: tensor X_{n d}, S_{n k}, Y_{n k}, x_d, s_k, y_k, \sigma_k, W_{d k}
% derive: let \mathbf{1}_k = 1
"""

rng = np.random.default_rng(9)
N, D, K = 4, 3, 5
X, S, Y = rng.normal(size=(N, D)), rng.normal(size=(N, K)), rng.normal(size=(N, K))
x, s, y, sig = rng.normal(size=D), rng.normal(size=K), rng.normal(size=K), rng.normal(size=K)
ones = np.ones(K)
i_d, i_k = np.arange(D)[:, None], np.arange(K)[None, :]  # the indexed side on a grid

# (step, verdicts allowed, NumPy left side, NumPy right side); None: shapes differ
CASES = [
    (r"x_d (s_k - y_k) = x (s - y)^\top", {"proved"},
     lambda: x[i_d] * (s - y)[i_k], lambda: np.outer(x, s - y)),
    (r"x_d (s_k - y_k) = (s - y) x^\top", {"unknown"},  # transposed: K×D, not D×K
     lambda: x[i_d] * (s - y)[i_k], None),
    (r"(x (s - y)^\top)_{dk} = x_d (s_k - y_k)", {"proved"},
     lambda: np.outer(x, s - y), lambda: x[i_d] * (s - y)[i_k]),
    (r"((s - y) x^\top)_{dk} = x_d (s_k - y_k)", {"unknown"}, None, None),  # d is not a row
    (r"x (s - y)^\top = x \otimes (s - y)", {"proved"},
     lambda: np.outer(x, s - y), lambda: np.outer(x, s - y)),
    (r"x \otimes (s - y) = (s - y) \otimes x", {"unknown", "refuted"},
     lambda: np.outer(x, s - y), None),
    (r"\frac{1}{N} \sum_n X_{nd} (S_{nk} - Y_{nk}) = X^\top (S - Y)/N", {"proved"},
     lambda: X.T @ (S - Y) / N, lambda: X.T @ (S - Y) / N),
    (r"\frac{1}{N} \sum_n X_{nd} (S_{nk} - Y_{nk}) = X^\top (S - Y)", {"refuted"},
     lambda: X.T @ (S - Y) / N, lambda: X.T @ (S - Y)),
    (r"\frac{1}{N} \sum_n X_{nd} (S_{nk} - Y_{nk}) = (S - Y)^\top X / N", {"unknown"},
     lambda: X.T @ (S - Y) / N, None),
    (r"\sigma_j \delta_{jk} - \sigma_j \sigma_k = \operatorname{diag}(\sigma) - \sigma\sigma^\top",
     {"proved"}, lambda: np.diag(sig) - np.outer(sig, sig),
     lambda: np.diag(sig) - np.outer(sig, sig)),
    (r"\operatorname{diag}(\sigma) - \sigma\sigma^\top = \operatorname{diag}(\sigma) - "
     r"\sigma^\top\sigma", {"unknown", "refuted"}, lambda: np.diag(sig) - np.outer(sig, sig),
     lambda: np.diag(sig) - sig @ sig),  # broadcasting a scalar is not what was meant
    (r"\sigma_j \delta_{jk} - \sigma_j \sigma_k = \operatorname{diag}(\sigma) - \sigma",
     {"unknown", "refuted"}, None, None),
    (r"s_k y_k = s \odot y", {"proved"}, lambda: s * y, lambda: s * y),
    (r"s_k y_k = s^\top y", {"unknown", "refuted"}, lambda: s * y, None),
    (r"(s \odot y)_2 = s_2 y_2", {"proved"}, lambda: (s * y)[1], lambda: s[1] * y[1]),
    (r"(s \odot y)_2 = s_1 y_2", {"refuted"}, lambda: (s * y)[1], lambda: s[0] * y[1]),
    (r"\mathbf{1}^\top s = \sum_k s_k", {"proved"}, lambda: ones @ s, lambda: s.sum()),
    (r"\mathbf{1}^\top s = \sum_k s_k^2", {"refuted"}, lambda: ones @ s, lambda: (s**2).sum()),
]


def _numeric_equal(lhs, rhs) -> bool | None:
    if lhs is None or rhs is None:
        return None
    a, b = np.asarray(lhs()), np.asarray(rhs())
    return a.shape == b.shape and bool(np.allclose(a, b))


@pytest.mark.parametrize("step, allowed, lhs, rhs", CASES, ids=[c[0] for c in CASES])
def test_matrix_forms(tmp_path, step, allowed, lhs, rhs):
    numeric = _numeric_equal(lhs, rhs)  # the independent check of the expectation
    if "proved" in allowed:
        assert numeric is True
    elif numeric is not None:
        assert numeric is False
    p = tmp_path / "n.md"
    p.write_text(HEADER + f"$$ {step} $$\n")
    (rec,) = verify_file(str(p))
    assert rec["verdict"] in allowed, rec
    assert rec["verdict"] != "proved" or allowed == {"proved"}


@pytest.mark.parametrize("step", [
    r"x_d x_e = x x^\top",  # square: the index written first is the row
    r"x_e x_d = x x^\top",  # symmetric, so read either way it holds
])
def test_square_entries_are_read_row_first(tmp_path, step):
    p = tmp_path / "n.md"
    p.write_text(HEADER + f"$$ {step} $$\n")
    assert [r["verdict"] for r in verify_file(str(p))] == ["proved"]


@pytest.mark.parametrize("step, verdict", [
    (r"x_d W_{ek} = x W", "unknown"),  # d and e both run over D: one too many free indices
    (r"x_d s_k + y_j = x s^\top", "unknown"),  # a third free index is no axis
    (r"x_d s_k = x s^\top + x_d", "unknown"),  # d free on both sides: a parameter, no row
    (r"x_d s_k = x", "unknown"),  # one axis, two free indices
    (r"s_k = s^\top", "proved"),  # a row vector's one axis
])
def test_lifting_applies_only_where_it_is_unambiguous(tmp_path, step, verdict):
    p = tmp_path / "n.md"
    p.write_text(HEADER + f"$$ {step} $$\n")
    assert [r["verdict"] for r in verify_file(str(p))] == [verdict]


def test_a_chain_from_indexed_to_matrix_form(tmp_path):
    p = tmp_path / "n.md"
    p.write_text(HEADER + r"""$$ \frac{\partial}{\partial W_{dk}} \sum_j \sum_e W_{ej} x_e (s_j - y_j)
  = x_d (s_k - y_k) = x (s - y)^\top = x \otimes (s - y) $$
$$ \frac{\partial}{\partial W_{dk}} \sum_j \sum_e W_{ej} x_e (s_j - y_j)
  = x_d (s_k - y_k) = (s - y) x^\top $$
""")
    assert [r["verdict"] for r in verify_file(str(p))] == ["proved"] * 3 + ["proved", "unknown"]


@pytest.mark.parametrize("step, allowed", [
    # k over 0..K is entry k + 1; the engine's fragment has no shifted index (k'1 - 1) yet:
    # unknown is honest, refuted would be the lifting's bug
    (r"s_k y_k = s \odot y", {"proved", "unknown"}),
    # residual 0, but the numeric net under a proof reads entries 1-based and cannot
    # evaluate entry 0: unknown (a net with holes is no net), never refuted
    (r"(s \odot y)_k = s_k y_k", {"proved", "unknown"}),
    (r"(s \odot y)_k = s_{k+1} y_k", {"refuted", "unknown"}),  # off by one
])
def test_indices_from_zero(tmp_path, step, allowed):
    p = tmp_path / "n.md"
    p.write_text("% derive: size K\n% derive: index k in 0..K\n% derive: tensor s_k, y_k\n"
                 f"$$ {step} $$\n")
    (rec,) = verify_file(str(p))
    assert rec["verdict"] in allowed, rec


@pytest.mark.parametrize("header, step, allowed", [
    ("% derive: index k in 1..K\n", r"\sum_k (s \odot y)_k = \sum_k s_k y_k", {"proved"}),
    ("% derive: index k in 1..K\n", r"\sum_k (s \odot y)_k = \sum_k s_k", {"refuted"}),
    # a sum's variable that starts at 0: which entry it picks is not guessed
    ("% derive: index k in 0..K\n", r"\sum_k (s \odot y)_k = \sum_k s_k y_k", {"unknown"}),
])
def test_entries_inside_sums(tmp_path, header, step, allowed):
    p = tmp_path / "n.md"
    p.write_text("% derive: size K\n" + header + "% derive: tensor s_k, y_k\n"
                 f"$$ {step} $$\n")
    (rec,) = verify_file(str(p))
    assert rec["verdict"] in allowed, rec
