"""The Hessian of a scalar by a vector written as a second derivative (elaborate_derivatives,
referee/evaluate): ``\\frac{\\partial^2 L}{\\partial \\mathbf{w}^2}`` and ``\\frac{\\partial^2
L}{\\partial \\mathbf{w} \\partial \\mathbf{w}^T}`` are the matrix of ``d^2 L / d w_a d w_b``.
It is symmetric, so the layout (numerator or denominator) does not matter. Where it would
(two different vectors, a vector-valued body, a matrix variable) the step stays unknown.

Each row's truth is decided by NumPy finite differences at small sizes, never by derive.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from derive.latex.verify import verify_file

RNG = np.random.default_rng(2929)
N, D = 4, 3
X, Y = RNG.normal(size=(N, D)), RNG.integers(0, 2, size=N).astype(float)
A, W, LAM = RNG.normal(size=D), RNG.normal(size=D), 0.7


def sig(t: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-t))


def loss(w: np.ndarray) -> float:
    p = sig(X @ w)
    return float(-np.sum(Y * np.log(p) + (1 - Y) * np.log(1 - p)) + LAM * (w @ A) ** 2)


def hessian_fd(f, w: np.ndarray, h: float = 1e-4) -> np.ndarray:
    E = np.eye(len(w))
    return np.array([[(f(w + h * E[a] + h * E[b]) - f(w + h * E[a] - h * E[b])
                       - f(w - h * E[a] + h * E[b]) + f(w - h * E[a] - h * E[b])) / (4 * h * h)
                      for b in range(len(w))] for a in range(len(w))])


P = sig(X @ W)
TRUE = (X.T * (P * (1 - P))) @ X + 2 * LAM * np.outer(A, A)
LOSS = ("$$\n\\mathcal{L}(\\mathbf{w})=-\\sum_{i=1}^n[y_i\\log(\\sigma(\\mathbf{w}^\\intercal"
        "\\mathbf{x}_i))+(1-y_i)\\log(1-\\sigma(\\mathbf{w}^\\intercal\\mathbf{x}_i))] +\\lambda "
        "(\\mathbf{w}^\\intercal\\mathbf{a})^2\n$$\n\n")
SUM = ("\\sum_{i=1}^n[\\sigma(\\mathbf{w}^\\intercal\\mathbf{x}_i)(1-\\sigma(\\mathbf{w}^"
       "\\intercal\\mathbf{x}_i))\\mathbf{x}_i\\mathbf{x}_i^\\intercal]")
SQUARED = "\\frac{\\partial^2 \\mathcal{L}(\\mathbf{w})}{\\partial \\mathbf{w}^2}"
BY_WT = "\\frac{\\partial^2 \\mathcal{L}(\\mathbf{w})}{\\partial \\mathbf{w} \\partial \\mathbf{w}^T}"

# (left side, right side, the matrix the right side means, expected verdict)
ROWS = [
    (SQUARED, f"{SUM} + 2\\lambda \\mathbf{{a}}\\mathbf{{a}}^T", TRUE, "proved"),
    (BY_WT, f"{SUM} + 2\\lambda \\mathbf{{a}}\\mathbf{{a}}^T", TRUE, "proved"),
    # slips: the penalty's term dropped, its factor 2 dropped
    (SQUARED, SUM, TRUE - 2 * LAM * np.outer(A, A), "refuted"),
    (BY_WT, f"{SUM} + \\lambda \\mathbf{{a}}\\mathbf{{a}}^T", TRUE - LAM * np.outer(A, A),
     "refuted"),
]


@pytest.mark.parametrize(("lhs", "rhs", "means", "verdict"), ROWS)
def test_hessian_rows(tmp_path: Path, lhs: str, rhs: str, means: np.ndarray,
                      verdict: str) -> None:
    fd = hessian_fd(loss, W)
    assert np.allclose(fd, TRUE, atol=1e-4)  # the closed form, by finite differences
    assert np.allclose(fd, means, atol=1e-4) == (verdict == "proved")
    path = tmp_path / "n.md"
    path.write_text(LOSS + f"$$\n{lhs} = {rhs}\n$$\n", encoding="utf-8")
    assert [r["verdict"] for r in verify_file(str(path))] == ["definition", verdict]


# where the layout would matter or there is no matrix: never proved or refuted
NOT_A_HESSIAN = [
    # two different vectors: d^2 L / dw dv is a b^T in one layout, b a^T in the other
    ("$$L = (\\mathbf{w}^T\\mathbf{a})(\\mathbf{v}^T\\mathbf{b}) + \\mathbf{a}^T\\mathbf{b}$$\n\n"
     "$$\\frac{\\partial^2 L}{\\partial \\mathbf{w} \\partial \\mathbf{v}} = "
     "\\mathbf{a}\\mathbf{b}^T$$\n"),
    # a vector-valued body: its second derivative is no matrix
    ("$$s = \\mathbf{a}^T\\mathbf{w}$$\n\n$$\\frac{\\partial^2}{\\partial \\mathbf{w}^2} "
     "\\mathbf{a} (\\mathbf{w}^T\\mathbf{w}) = 2 \\mathbf{a}$$\n"),
    # a matrix variable: d^2 / dW^2 has four indices
    ("$$L = \\mathbf{a}^T \\mathbf{W} \\mathbf{b}$$\n\n"
     "$$\\frac{\\partial^2 L}{\\partial \\mathbf{W}^2} = 0$$\n"),
]


@pytest.mark.parametrize("text", NOT_A_HESSIAN)
def test_not_a_hessian_stays_unknown(tmp_path: Path, text: str) -> None:
    b = RNG.normal(size=D)
    # truth of the first row: the two layouts differ, so neither reading may decide it
    assert not np.allclose(np.outer(A, b), np.outer(b, A))
    path = tmp_path / "n.md"
    path.write_text(text, encoding="utf-8")
    got = [r["verdict"] for r in verify_file(str(path))]
    assert got[-1] == "unknown", got


def test_scalar_second_derivative_unchanged(tmp_path: Path) -> None:
    # d^2 (x^3) / dx^2 = 6x (by hand: 3x^2 then 6x); 3x is a slip
    x, h = 1.3, 1e-4
    assert np.isclose(((x + h) ** 3 - 2 * x ** 3 + (x - h) ** 3) / h ** 2, 6 * x, atol=1e-5)
    path = tmp_path / "n.md"
    path.write_text("$$\\frac{\\partial^2 x^3}{\\partial x^2} = 6x$$\n\n"
                    "$$\\frac{\\partial^2 x^3}{\\partial x^2} = 3x$$\n", encoding="utf-8")
    assert [r["verdict"] for r in verify_file(str(path))] == ["proved", "refuted"]
