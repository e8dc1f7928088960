"""A bold capital read as the design matrix of its lower case's rows (derive.latex.infer_shapes).

``\\mathbf{X}`` beside ``\\mathbf{x}_i`` (inferred ``tensor \\mathbf{x}_{id}``) is the matrix whose
row i is x_i, written ``let \\mathbf{X} = \\mathbf{x}``, only where every product it is in fits
that n x D shape. Case table: where it must act and where it must not (columns as samples,
X a size, X subscripted, one or three slots, X alone, a plain capital, two quantities of that
lower case, a hand declaration). Then verdicts, each row's truth decided by NumPy at small
sizes (never by derive).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from derive.latex.chains import extract
from derive.latex.infer import inference
from derive.latex.verify import verify_file

ALIAS = "let \\mathbf{X} = \\mathbf{x}"
SUM = "\\sum_{i=1}^{n} (y_i - \\mathbf{w}^T \\mathbf{x}_i)^2"


def lines(text: str) -> list[str]:
    found = inference(extract(text, "n.md"))
    return [f"{d.keyword} {' '.join(d.rest.split())}" for d in found.directives] + [
        f"conflict {c.split(' ')[0]}" for c in found.conflicts]


# (notes, lines that must be inferred, lines that must not)
ACTS = [
    # the least-squares loss both ways: X w over the features, rows over the samples
    (f"$$L = {SUM} = \\|\\mathbf{{y}} - \\mathbf{{X}}\\mathbf{{w}}\\|^2$$\n",
     [ALIAS, "tensor \\mathbf{x}_{id}"], ["tensor \\mathbf{X}_{id}", "conflict \\mathbf{X}"]),
    # X^T y with y over the samples, X^T X w over the features
    (f"$$L = {SUM}$$\n\n$$g = -\\mathbf{{X}}^T \\mathbf{{y}} + "
     "\\mathbf{X}^T\\mathbf{X}\\mathbf{w}$$\n", [ALIAS], []),
    # a plain lower case x_{id} (the entries written with both slots)
    ("$$L = \\sum_{i=1}^{n} \\sum_{d=1}^{D} y_i x_{id} w_d = \\mathbf{y}^T\\mathbf{X}\\mathbf{w}$$\n",
     ["let \\mathbf{X} = x"], []),
]

DOES_NOT_ACT = [
    # no product pins its orientation (no vector over n or D beside it): X^T X fits an n x D
    # X and a D x n one alike, so which are its rows is not said
    ("$$s = \\sum_{i=1}^{n} \\sum_{d=1}^{D} \\mathbf{x}_{id}$$\n\n"
     "$$\\mathbf{B} = \\mathbf{X}^T\\mathbf{X}$$\n", ["conflict \\mathbf{X}"], [ALIAS]),
    # square (x_{ij} over n x n): no use can tell its rows from its columns
    ("$$s = \\sum_{i=1}^{n} \\sum_{j=1}^{n} y_i x_{ij} z_j = "
     "\\mathbf{y}^T \\mathbf{X}\\mathbf{z}$$\n", [], ["let \\mathbf{X} = x"]),
    # the author's columns are the samples: w^T X with w over the features does not fit
    (f"$$L = {SUM}$$\n\n$$a = \\mathbf{{w}}^T \\mathbf{{X}} \\mathbf{{y}}$$\n",
     ["conflict \\mathbf{X}"], [ALIAS, "tensor \\mathbf{X}_{di}"]),
    # X y with y over the samples: X would be D x n
    (f"$$L = {SUM}$$\n\n$$\\mathbf{{g}} = \\mathbf{{X}} \\mathbf{{y}} + \\mathbf{{w}}$$\n",
     ["conflict \\mathbf{X}"], [ALIAS]),
    # X X: an n x D matrix times itself, n and D made one size; no vector says so
    (f"$$L = {SUM}$$\n\n$$\\mathbf{{B}} = \\mathbf{{X}}\\mathbf{{X}}$$\n",
     ["conflict \\mathbf{X}"], [ALIAS]),
    # the same with no vector over n or D beside it: the matrix's own sizes decide
    ("$$s = \\sum_{i=1}^{n} \\sum_{d=1}^{D} \\mathbf{x}_{id}$$\n\n"
     "$$\\mathbf{B} = \\mathbf{X}^T\\mathbf{X} + \\mathbf{X}\\mathbf{X}$$\n",
     ["conflict \\mathbf{X}"], [ALIAS]),
    # X is a size (a sum's limit): a capital that means something else
    (f"$$L = {SUM} + \\sum_{{k=1}}^{{X}} k = \\|\\mathbf{{y}} - \\mathbf{{X}}\\mathbf{{w}}\\|^2$$\n",
     [], [ALIAS]),
    # X written with its subscripts: a quantity of its own (the slot mechanism)
    (f"$$L = {SUM}$$\n\n$$t = \\mathbf{{X}}\\mathbf{{w}} + \\mathbf{{X}}_{{11}}$$\n",
     [], [ALIAS]),
    # one slot: x_i a scalar per sample, no rows to stack into a matrix
    ("$$L = \\sum_{i=1}^{n} x_i y_i = \\mathbf{y}^T \\mathbf{X} \\mathbf{w}$$\n", [],
     [ALIAS, "let \\mathbf{X} = x"]),
    # three slots: which two would be the rows and the columns?
    ("$$L = \\sum_{i=1}^{n} \\sum_{j=1}^{m} \\sum_{k=1}^{K} x_{ijk} y_i = \\mathbf{y}^T "
     "\\mathbf{X}\\mathbf{w}$$\n", [], [ALIAS, "let \\mathbf{X} = x"]),
    # X alone, in no product and no transpose: nothing says it is that matrix
    (f"$$L = {SUM} = f(\\mathbf{{X}})$$\n", [], [ALIAS]),
    # a plain capital is not bold: not read as a matrix here
    (f"$$L = {SUM} = \\|\\mathbf{{y}} - X\\mathbf{{w}}\\|^2$$\n", [], ["let X = \\mathbf{x}"]),
    # x written plain with two slots and bold with two: one quantity (a bold name with
    # all its subscripts is the entry: infer_facts, tests/test_bold_indexed.py), never a bold tensor
    ("$$L = \\sum_{i=1}^{n} \\sum_{d=1}^{D} y_i w_d x_{id} \\mathbf{x}_{id} = \\mathbf{y}^T"
     "\\mathbf{X}\\mathbf{w}$$\n", ["tensor x_{id}"], [ALIAS, "tensor \\mathbf{x}_{id}"]),
    # a hand declaration of X wins
    (f"% derive: size n, D\n% derive: index i in 1..n\n% derive: index d in 1..D\n"
     f"% derive: tensor \\mathbf{{X}}_{{id}}\n$$L = {SUM} = \\|\\mathbf{{y}} - "
     "\\mathbf{X}\\mathbf{w}\\|^2$$\n", [], [ALIAS]),
]


@pytest.mark.parametrize(("text", "want", "never"), ACTS + DOES_NOT_ACT)
def test_design_matrix(text: str, want: list[str], never: list[str]) -> None:
    got = lines(text)
    for line in want:
        assert line in got, (line, got)
    for line in never:
        assert line not in got, (line, got)


def _verdicts(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "n.md"
    path.write_text(text, encoding="utf-8")
    return [r["verdict"] for r in verify_file(str(path))]


def _grad_fd(f, w: np.ndarray) -> np.ndarray:
    h = 1e-6
    return np.array([(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(len(w))])


RNG = np.random.default_rng(29)
X, W, Y = RNG.normal(size=(4, 3)), RNG.normal(size=3), RNG.normal(size=4)


def _loss(w: np.ndarray) -> float:
    """sum_i (y_i - w^T x_i)^2 with x_i the rows of X."""
    return float(sum((Y[i] - W @ X[i] if w is W else Y[i] - w @ X[i]) ** 2
                     for i in range(len(Y))))


LOSS = f"$$\\mathcal{{L}}(\\mathbf{{w}}) = {SUM}$$\n\n"


def test_norm_form_proved_and_slip_refuted(tmp_path: Path) -> None:
    # truth first: the stacked rows give ||y - Xw||^2; ||y + Xw||^2 differs
    assert np.isclose(_loss(W), float(np.sum((Y - X @ W) ** 2)))
    assert not np.isclose(_loss(W), float(np.sum((Y + X @ W) ** 2)))
    text = LOSS + (
        "$$\\mathcal{L}(\\mathbf{w}) = \\|\\mathbf{y} - \\mathbf{X}\\mathbf{w}\\|^2$$\n\n"
        "$$\\mathcal{L}(\\mathbf{w}) = \\|\\mathbf{y} + \\mathbf{X}\\mathbf{w}\\|^2$$\n")
    assert _verdicts(tmp_path, text) == ["definition", "proved", "refuted"]


def test_gradient_proved_and_slip_refuted(tmp_path: Path) -> None:
    fd = _grad_fd(_loss, W)
    assert np.allclose(fd, -2 * X.T @ Y + 2 * X.T @ X @ W, atol=1e-5)
    assert not np.allclose(fd, -X.T @ Y + X.T @ X @ W, atol=1e-3)  # the 2 dropped
    text = LOSS + (
        "$$\\frac{\\partial \\mathcal{L}(\\mathbf{w})}{\\partial \\mathbf{w}} = "
        "-2\\mathbf{X}^T \\mathbf{y} + 2\\mathbf{X}^T\\mathbf{X}\\mathbf{w}$$\n\n"
        "$$\\frac{\\partial \\mathcal{L}(\\mathbf{w})}{\\partial \\mathbf{w}} = "
        "-\\mathbf{X}^T \\mathbf{y} + \\mathbf{X}^T\\mathbf{X}\\mathbf{w}$$\n")
    assert _verdicts(tmp_path, text) == ["definition", "proved", "refuted"]


def test_columns_as_samples_stays_unknown(tmp_path: Path) -> None:
    # the author's X has the x_i as columns: y^T - w^T X is the residual row. True for that
    # X, so never refuted; derive does not read that orientation: unknown
    cols = X.T
    assert np.isclose(_loss(W), float(np.sum((Y - W @ cols) ** 2)))
    text = LOSS + ("$$\\mathcal{L}(\\mathbf{w}) = \\|\\mathbf{y}^T - \\mathbf{w}^T"
                   "\\mathbf{X}\\|^2$$\n")
    assert _verdicts(tmp_path, text) == ["definition", "unknown"]


def test_explain_lines_paste_back(tmp_path: Path) -> None:
    text = LOSS + ("$$\\mathcal{L}(\\mathbf{w}) = \\|\\mathbf{y} - \\mathbf{X}\\mathbf{w}"
                   "\\|^2$$\n")
    found = inference(extract(text, "n.md"))
    assert ALIAS in [f"{d.keyword} {d.rest}" for d in found.directives]
    pasted = "% derive: manual\n" + "\n".join(found.lines()) + "\n" + text
    got = _verdicts(tmp_path, pasted)  # (the pasted let makes the first step a proof)
    assert len(got) == 2 and got[-1] == "proved" and "unknown" not in got, got


def test_orientation_not_pinned_stays_unknown(tmp_path: Path) -> None:
    # X X^T = sum_i x_i x_i^T is true for an author whose X has the x_i as columns (D x n),
    # X^T X = sum_i x_i x_i^T for one whose rows are the x_i; nothing else says which: both
    # unknown, never refuted on a guessed orientation
    cols, rows = X.T, X
    outer = sum(np.outer(x, x) for x in X)
    assert np.allclose(cols @ cols.T, outer) and np.allclose(rows.T @ rows, outer)
    text = ("$$ L = \\sum_{i=1}^{n} (y_i - \\mathbf{w}^T \\mathbf{x}_i)^2 $$\n\n"
            "$$ \\mathbf{X}\\mathbf{X}^T = \\sum_{i=1}^{n} \\mathbf{x}_i \\mathbf{x}_i^T $$\n\n"
            "$$ \\mathbf{X}^T\\mathbf{X} = \\sum_{i=1}^{n} \\mathbf{x}_i \\mathbf{x}_i^T $$\n")
    assert _verdicts(tmp_path, text) == ["definition", "unknown", "unknown"]
