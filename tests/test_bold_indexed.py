"""A bold name with an index, ``\\mathbf{w}_k`` (issue 19, item 4; derive.latex.infer).

1. Beside its plain entries ``w_{kd}``, ``\\mathbf{w}_k`` is row k of w in a bold font (both
   readers read ``\\mathbf{w}`` as ``w`` when only ``w`` is a quantity). Inference used to
   give ``\\mathbf{w}_k`` scalar entries of its own, so the true ``\\mathbf{w}_k \\cdot
   \\mathbf{x} = \\sum_d w_{kd} x_d`` was refuted (shapes differ), with or without a
   declaration of w.
2. ``\\mathbf{w}_k \\cdot \\mathbf{x}`` with no entries written: two bold vectors' inner
   product, read as ``\\mathbf{w}_k^T \\mathbf{x}`` is (one hidden length for both).

Must-not-apply rows: a bold name whose plain letter is never written with an index keeps a
quantity of its own; a plain ``w_k \\cdot x`` (scalars) is no inner product of vectors.
Truth by brute force (NumPy, sizes 1-3), never by derive.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.verify import verify_file


def verdicts(tmp_path, body: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return [r["verdict"] for r in verify_file(str(p)) if r["verdict"] != "definition"]


def truth(name: str) -> bool:
    rng = np.random.default_rng(6)
    for k_size in (1, 2, 3):
        for d_size in (1, 2, 3):
            w, x = rng.normal(size=(k_size, d_size)), rng.normal(size=d_size)
            for k in range(k_size):
                lhs, rhs = {
                    "row dot x": (w[k] @ x, (w[k] * x).sum()),
                    "row dot x + 1": (w[k] @ x, (w[k] * x).sum() + 1),
                    "dot commutes": (w[k] @ x, x @ w[k]),
                    "dot twice": (w[k] @ x, 2 * (x @ w[k])),
                    "norm of row": (np.linalg.norm(w[k]) ** 2, (w[k] ** 2).sum()),
                }[name]
                if not np.isclose(lhs, rhs):
                    return False
    return True


DECLARED = ("% derive: size K, D\n% derive: index k in 1..K\n% derive: index d in 1..D\n"
            "% derive: tensor w_{kd}\n% derive: tensor x_{d}\n\n")
ROW = "$$\\mathbf{w}_k \\cdot \\mathbf{x} = \\sum_{d=1}^{D} w_{kd} x_d$$"


@pytest.mark.parametrize("name, body, expected", [
    ("row dot x", ROW, "proved"),
    ("norm of row", "$$\\|\\mathbf{w}_k\\|^2 = \\sum_{d=1}^{D} w_{kd}^2$$", "proved"),
    ("row dot x", DECLARED + ROW, "proved"),
    ("row dot x + 1", "$$\\mathbf{w}_k \\cdot \\mathbf{x} = \\sum_{d=1}^{D} w_{kd} x_d + 1$$",
     "refuted"),
    ("row dot x", "$$\\boldsymbol{w}_k \\cdot \\boldsymbol{x} = \\sum_{d=1}^{D} w_{kd} x_d$$",
     "proved"),
    ("row dot x", DECLARED + "$$\\mathbf{x} \\cdot \\mathbf{w}_k = \\sum_{d=1}^{D} w_{kd} x_d$$",
     "proved"),
    # no entries written: the inner product of two bold vectors of one hidden length
    ("dot commutes", "Scores $s_k = \\mathbf{w}_k \\cdot \\mathbf{x}$.\n\n"
     "$$\\mathbf{w}_k \\cdot \\mathbf{x} = \\mathbf{x} \\cdot \\mathbf{w}_k$$", "proved"),
    ("dot twice", "Scores $s_k = \\mathbf{w}_k \\cdot \\mathbf{x}$.\n\n"
     "$$\\mathbf{w}_k \\cdot \\mathbf{x} = 2 \\mathbf{x} \\cdot \\mathbf{w}_k$$", "refuted"),
])
def test_a_bold_row_beside_its_entries(tmp_path, name, body, expected):
    assert truth(name) == (expected == "proved")
    assert verdicts(tmp_path, body)[-1] == expected


def test_plain_scalars_under_cdot_are_no_vectors(tmp_path):
    """Must not apply: w_k \\cdot x with w_k, x plain letters never written otherwise are a
    product of scalars (2 w_k x = 2 x w_k proved; as vectors it would be too, so check the
    reading: no hidden length is inferred)."""
    p = tmp_path / "n.md"
    p.write_text("$$\\sum_{k=1}^{K} w_k \\cdot x = x \\sum_{k=1}^{K} w_k$$\n")
    results = verify_file(str(p))
    assert [r["verdict"] for r in results] == ["proved"]
    assert not any("size D" in line for line in results[0].get("inferred", []))


def test_a_bold_name_whose_letter_has_no_entries_keeps_its_own(tmp_path):
    """Must not apply: \\mathbf{x}_i with no x_{..} anywhere is a quantity of its own (sample
    vectors of a hidden length), as before."""
    p = tmp_path / "n.md"
    p.write_text("$$\\sum_{i=1}^{n} \\mathbf{w}^T \\mathbf{x}_i = \\mathbf{w}^T "
                 "\\sum_{i=1}^{n} \\mathbf{x}_i$$\n")
    results = verify_file(str(p))
    assert [r["verdict"] for r in results] == ["proved"]
    assert any("tensor \\mathbf{x}_{" in line for line in results[0].get("inferred", []))
