"""Domains stated in the prose (derive.latex.prose_domains): "\\(y_i\\) is one-hot",
"$y_n \\in \\{0, 1\\}$", "$\\sum_k t_k = 1$" restrict the checks and the counterexample
search to the author's domain; the rows where the rule must not act come with them."""

from __future__ import annotations

import pytest

from derive.latex.prose_domains import domain_assumptions, prose_domains
from derive.latex.verify import verify_file

READ = [
    # (prose, domains read)
    (r"where \(y_i\) is one-hot.", [("y", "one_hot")]),
    (r"where $\mathbf{y}$ is a one-hot vector.", [("y", "one_hot")]),
    (r"for a one-hot label $t$ we get", [("t", "one_hot")]),
    (r"Since only one \(y_i = 1\):", [("y", "one_hot")]),
    (r"labels $y_n \in \{0, 1\}$ here", [("y", "binary")]),
    (r"with $\sum_{k=1}^{K} t_k = 1$ here", [("t", "sums_to_one")]),
    (r"and $t_k$ sums to one.", [("t", "sums_to_one")]),
    # must NOT be read
    (r"set $y$ to whichever one-hot vector you like", []),          # no 'is'
    (r"where \(y_i = 1\) for the true class", []),                   # no 'only one'
    ("<!-- here $y$ is one-hot -->\ntext", []),                      # a comment
    (r"where $y$ is one-hot. Later $y$ is not one-hot (soft labels).", []),  # taken back
    (r"where $y$ is one-hot; with label smoothing it changes", []),  # taken back
    (r"where $y_{nk}$ is one-hot", []),                              # two indices: which axis?
    (r"where $y = x$ is one-hot", []),                               # not a lone quantity
]


@pytest.mark.parametrize(("prose", "want"), READ)
def test_domains_read_from_prose(prose, want):
    assert [(d.name, d.kind) for d in prose_domains(prose + "\n")] == want


def test_assume_lines_only_for_a_vector_over_one_ranged_index():
    (one_hot,) = prose_domains(r"where $y$ is one-hot." + "\n")
    ranges = {"i": ("1", "C")}
    assert domain_assumptions([one_hot], ["y_{i}"], ranges) == [
        r"y_{i} \in \{0, 1\}", r"\sum_{i=1}^{C} y_{i} = 1"]
    assert domain_assumptions([one_hot], ["y_{ik}"], ranges) == []   # two indices
    assert domain_assumptions([one_hot], ["y_{j}"], ranges) == []    # no range for j
    assert domain_assumptions([one_hot], ["z_{i}"], ranges) == []    # another quantity


GRAD = (r"$$\frac{\partial}{\partial z_j} \left(-\sum_{i=1}^{C} y_i \log "
        r"\frac{e^{z_i}}{\sum_{k=1}^{C} e^{z_k}}\right) = "
        r"\frac{e^{z_j}}{\sum_{k=1}^{C} e^{z_k}} - RHS$$")


def verdict(tmp_path, text: str) -> str:
    p = tmp_path / "n.md"
    p.write_text(text, encoding="utf-8")
    recs = verify_file(str(p))
    return [r["verdict"] for r in recs if r["verdict"] != "definition"][-1]


@pytest.mark.parametrize(("prose", "rhs", "want"), [
    (r"where \(y_i\) is one-hot.", "y_j", "proved"),         # true for one-hot labels
    # no domain: y = [2, 1] is no label distribution (the weights of a log under a sum,
    # derive.latex.label_targets); at soft labels that sum to one the step holds: unknown
    ("", "y_j", "unknown"),
    (r"where \(y_i\) is one-hot. Not one-hot later (soft labels).", "y_j", "unknown"),
    (r"where \(y_i\) is one-hot.", "2 y_j", "refuted"),     # a slip stays a slip
])
def test_a_one_hot_domain_in_prose(tmp_path, prose, rhs, want):
    assert verdict(tmp_path, f"{prose}\n\n{GRAD.replace('RHS', rhs)}\n") == want
