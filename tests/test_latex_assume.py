"""``% derive: assume`` with the entry hypotheses: {0, 1} labels, nonnegative entries, and
both with Σ = 1 (one-hot rows). Each step's truth is stated by hand beside it."""

from __future__ import annotations

import pytest

from derive.errors import DeriveError
from derive.latex.verify import verify_file

HEADER = r"""% derive: size K
% derive: index k in 1..K
% derive: tensor y_k, t_k
"""

SUM = r"% derive: assume \sum_{k=1}^K y_k = 1" "\n"
BIN = r"% derive: assume y_k \in \{0, 1\}" "\n"
NONNEG = r"% derive: assume y_k \geq 0 \quad \text{for every } k" "\n"

CASES = [
    # y² = y holds for 0 and 1 only
    (BIN, r"y_k^2 = y_k", "proved"),
    ("", r"y_k^2 = y_k", "refuted"),  # y = 2
    (NONNEG, r"y_k^2 = y_k", "refuted"),
    # Σ y² = 1 holds for one-hot rows, not for soft labels (0.6, 0.4)
    (SUM + BIN, r"\sum_{k=1}^K y_k^2 = 1", "proved"),
    # a relation of the inputs alone, against a number: it may state what they are
    # (derive.latex.input_relations), so its counterexample is no refutation
    (SUM + NONNEG, r"\sum_{k=1}^K y_k^2 = 1", "unknown"),
    # the same claim against the label's own sum is algebra about y: refuted at (0.6, 0.4)
    (SUM + BIN, r"\sum_{k=1}^K y_k^2 = \sum_{k=1}^K y_k", "proved"),
    (SUM + NONNEG, r"\sum_{k=1}^K y_k^2 = \sum_{k=1}^K y_k", "refuted"),
    (SUM, r"\sum_{k=1}^K y_k^2 = \sum_{k=1}^K y_k", "refuted"),
    # the BCE gradient needs nothing of the label
    ("", r"\frac{\partial}{\partial t_k} \left( -y_k \log \frac{1}{1 + e^{-t_k}} - (1 - y_k) "
         r"\log \left(1 - \frac{1}{1 + e^{-t_k}}\right) \right) = \frac{1}{1 + e^{-t_k}} - y_k",
     "proved"),
]


@pytest.mark.parametrize(("assume", "step", "verdict"), CASES)
def test_entry_hypotheses(tmp_path, assume, step, verdict):
    p = tmp_path / "n.tex"
    p.write_text(HEADER + assume + f"\\[ {step} \\]\n")
    assert [r["verdict"] for r in verify_file(str(p))] == [verdict]


def test_a_soft_label_counterexample_satisfies_the_hypotheses(tmp_path):
    p = tmp_path / "n.tex"
    p.write_text(HEADER + SUM + NONNEG + r"\[ \sum_{k=1}^K y_k^2 = \sum_{k=1}^K y_k \]" "\n")
    (rec,) = verify_file(str(p))
    y = rec["counterexample"]["values"]["y"]
    assert all(v >= 0 for v in y) and abs(sum(y) - 1) < 1e-12 and any(0 < v < 1 for v in y)


def test_a_hypothesis_on_something_that_is_not_an_entry_is_an_error_at_its_line(tmp_path):
    p = tmp_path / "n.tex"
    p.write_text(HEADER + "% derive: assume 3 \\ge 0\n\\[ y_k = y_k \\]\n")
    with pytest.raises(DeriveError, match=r"n\.tex:4:\d+: assume: expected an entry"):
        verify_file(str(p))
