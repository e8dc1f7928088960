"""Bold vectors and matrices declared from the products they are in (derive.latex.infer_shapes).

Case table: what inference writes for a bold name with nothing declared, where it must act
(products, transposes, sums, chains, squares) and where it must not (a subscripted bold
name, a hand declaration, a definition, a plain letter, a bold 1, a use whose shapes do not
fit, sizes the notes already name). Then verdicts, each decided independently by NumPy
finite differences at small sizes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from derive.latex.chains import extract
from derive.latex.infer import inference
from derive.latex.verify import verify_file


def lines(text: str) -> list[str]:
    found = inference(extract(text, "n.md"))
    return [f"{d.keyword} {' '.join(d.rest.split())}" for d in found.directives] + [
        f"conflict {c.split(' ')[0]}" for c in found.conflicts]


# (notes, lines that must be inferred, lines that must not)
ACTS = [
    ("$$\\mathbf{z} = \\mathbf{W}\\mathbf{x} + \\mathbf{b}$$\n",
     ["size D", "size K", "index d in 1..D", "index k in 1..K", "tensor \\mathbf{W}_{dk}",
      "tensor \\mathbf{b}_{d}", "tensor \\mathbf{x}_{k}"], []),
    ("$$a = \\mathbf{w}^T \\mathbf{x}$$\n",
     ["size D", "index d in 1..D", "tensor \\mathbf{w}_{d}", "tensor \\mathbf{x}_{d}"], []),
    ("$$a = \\boldsymbol{\\theta}^\\top \\mathbf{x}$$\n",
     ["tensor \\boldsymbol{\\theta}_{d}", "tensor \\mathbf{x}_{d}"], []),
    ("$$g = \\mathbf{X}^T(\\mathbf{X}\\mathbf{w} - \\mathbf{y})$$\n",
     ["tensor \\mathbf{X}_{dk}", "tensor \\mathbf{w}_{k}", "tensor \\mathbf{y}_{d}"], []),
    # a square: A A makes the rows and columns one size, two letters for its two slots
    ("$$B = \\mathbf{A}\\mathbf{A}$$\n",
     ["index d, e in 1..D", "tensor \\mathbf{A}_{de}"], []),
    # the two sides of an equation have one shape
    ("$$\\mathbf{M}\\mathbf{v} + \\mathbf{b} = \\mathbf{b} + \\mathbf{v}$$\n",
     ["index d, e in 1..D", "tensor \\mathbf{M}_{de}"], []),
    # a fresh size is none the notes write: D and K are taken here
    # (and never the letter of a bold name: M is \\mathbf{M}'s)
    ("$$\\sum_{k=1}^{K} \\sum_{d=1}^{D} y_{kd} = \\mathbf{a}^T \\mathbf{M} \\mathbf{b}$$\n",
     ["size N", "index n in 1..N", "tensor \\mathbf{a}_{n}"], ["size M", "index m in 1..M"]),
    # a vector the notes index (y_i over 1..n) keeps its length in a bold product
    ("$$s = \\sum_{i=1}^{n} y_i$$\n\n$$\\mathbf{g} = \\mathbf{X}^T \\mathbf{y}$$\n",
     ["tensor \\mathbf{X}_{id}"], ["tensor \\mathbf{y}_{d}", "size N"]),
]

DOES_NOT_ACT = [
    # subscripted: the slot mechanism reads it (x_i, a tensor over i), never a bare vector
    ("$$s = \\sum_{i=1}^{n} \\mathbf{x}_i$$\n\n$$t = \\mathbf{x}^T \\mathbf{y}$$\n",
     [], ["tensor \\mathbf{x}_{d}"]),
    # a hand declaration wins
    ("% derive: size N\n% derive: index n in 1..N\n% derive: tensor \\mathbf{x}_{n}, "
     "\\mathbf{y}_{n}\n$$t = \\mathbf{x}^T \\mathbf{y}$$\n",
     [], ["tensor \\mathbf{x}_{d}", "size D"]),
    # plain letters are not bold: z = W x + b says nothing about their shapes here
    ("$$z = W x + b$$\n", [], ["tensor W_{dk}", "tensor x_{k}", "size D"]),
    # the bold one is a constant, not a vector to declare
    ("$$t = \\mathbf{1}^T \\mathbf{y}$$\n", [], ["tensor \\mathbf{1}_{d}"]),
    # shapes that do not fit: two column vectors side by side; nothing guessed
    ("$$t = \\mathbf{u}\\mathbf{v}$$\n",
     ["conflict \\mathbf{u}", "conflict \\mathbf{v}"],
     ["tensor \\mathbf{u}_{d}", "tensor \\mathbf{v}_{d}", "size D"]),
    # a matrix times a vector is a vector, and a vector times a vector is no product
    ("$$t = \\mathbf{A}\\mathbf{x}\\mathbf{x}$$\n",
     ["conflict \\mathbf{A}", "conflict \\mathbf{x}"],
     ["tensor \\mathbf{x}_{d}", "tensor \\mathbf{A}_{dk}"]),
    # a capital beside its lower case (X beside x_i): a matrix built from them, a relation
    # derive cannot read, so never declared unrelated to them
    ("$$L = \\sum_{i=1}^{n} (y_i - \\mathbf{w}^T \\mathbf{x}_i)^2 = "
     "\\|\\mathbf{y} - \\mathbf{X}\\mathbf{w}\\|^2$$\n", [], ["tensor \\mathbf{X}_{id}"]),
    # a defined name is its definition's, not a fresh vector
    ("$$\\mathbf{z} = \\mathbf{W}\\mathbf{x}$$\n", [], ["tensor \\mathbf{z}_{d}"]),
]


@pytest.mark.parametrize(("text", "want", "never"), ACTS + DOES_NOT_ACT)
def test_bold_shapes(text: str, want: list[str], never: list[str]) -> None:
    got = lines(text)
    for line in want:
        assert line in got, (line, got)
    for line in never:
        assert line not in got, (line, got)


def _verdicts(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "n.md"
    path.write_text(text, encoding="utf-8")
    return [r["verdict"] for r in verify_file(str(path))]


def _gradient_fd(X: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Central differences of J(w) = ||X w - y||^2 / 2."""
    def J(v: np.ndarray) -> float:
        return float(np.sum((X @ v - y) ** 2) / 2)
    h = 1e-6
    return np.array([(J(w + h * e) - J(w - h * e)) / (2 * h) for e in np.eye(len(w))])


LSQ = "$$J(\\mathbf{w}) = \\frac{1}{2}\\|\\mathbf{X}\\mathbf{w} - \\mathbf{y}\\|^2$$\n\n"


def test_least_squares_gradient_proved_and_slips_refuted(tmp_path: Path) -> None:
    rng = np.random.default_rng(19)
    X, w, y = rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=3)
    fd = _gradient_fd(X, w, y)
    # truth first, by finite differences (never by derive)
    assert np.allclose(fd, X.T @ (X @ w - y), atol=1e-5)
    assert not np.allclose(fd, X.T @ X @ w + X.T @ y, atol=1e-3)
    text = LSQ + (
        "$$\\nabla_{\\mathbf{w}} J(\\mathbf{w}) = \\mathbf{X}^T(\\mathbf{X}\\mathbf{w}"
        " - \\mathbf{y})$$\n\n"
        "$$\\nabla_{\\mathbf{w}} J(\\mathbf{w}) = \\mathbf{X}^T\\mathbf{X}\\mathbf{w}"
        " + \\mathbf{X}^T\\mathbf{y}$$\n")
    assert _verdicts(tmp_path, text) == ["definition", "proved", "refuted"]


def test_vector_used_as_a_scalar_is_never_proved(tmp_path: Path) -> None:
    # c c = c^2 holds for a scalar c, but c is a bold column vector: c c is no product;
    # c^T c = 2 c^T c is false (c = (1, 0, ...) gives 1 vs 2), so it is refuted, never
    # proved; c^T c = 0 relates the input c to a number (it may say what c is: unknown)
    c = np.array([1.0, 0.0])
    assert float(c @ c) != 2 * float(c @ c)
    text = ("$$\\mathbf{c}\\mathbf{c} = \\mathbf{c}^2$$\n\n"
            "$$\\mathbf{c}^T\\mathbf{c} = 2 \\mathbf{c}^T\\mathbf{c}$$\n\n"
            "$$\\mathbf{c}^T\\mathbf{c} = 0$$\n")
    assert _verdicts(tmp_path, text) == ["unknown", "refuted", "unknown"]


def test_explain_lines_paste_back(tmp_path: Path) -> None:
    # what --explain prints, pasted above the notes with 'manual', reads the same
    text = LSQ + ("$$\\nabla_{\\mathbf{w}} J(\\mathbf{w}) = \\mathbf{X}^T(\\mathbf{X}"
                  "\\mathbf{w} - \\mathbf{y})$$\n")
    found = inference(extract(text, "n.md"))
    pasted = "% derive: manual\n" + "\n".join(found.lines()) + "\n" + text
    got = _verdicts(tmp_path, pasted)
    assert len(got) == 2 and got[-1] == "proved" and "unknown" not in got, got
