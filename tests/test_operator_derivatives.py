"""``\\frac{\\partial}{\\partial a_j} h_i``: the operator form differentiates the next factor, and
what it differentiates is never silently independent (issue 19, item 4; infer_facts).

A name the notes differentiate but never define is ``unknown`` (derive.latex.infer.Undefined)
for ``\\frac{\\partial h_i}{\\partial a_j}``; the operator form ``\\frac{\\partial}{\\partial a_j}
h_i`` escaped the rule, so h was an independent tensor and the derivative 0: a true
``\\frac{\\partial}{\\partial a_j} h_i = e^{a_j}`` (h_i = \\sum_k e^{a_k}, defined in a form not
read) was refuted, and a false ``... = 0`` would have been proved.

Truth by brute force (central differences, sizes 1-3), never by derive.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.verify import verify_file


def verdicts(tmp_path, body: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return [r["verdict"] for r in verify_file(str(p)) if r["verdict"] != "definition"]


def truth(rhs: str) -> bool:
    """h_i = sum_k e^{a_k}: d h_i / d a_j = e^{a_j}."""
    rng = np.random.default_rng(8)
    for n in (1, 2, 3):
        a, eps = rng.normal(size=n), 1e-6
        for j in range(n):
            step = np.eye(n)[j] * eps
            fd = (np.exp(a + step).sum() - np.exp(a - step).sum()) / (2 * eps)
            if not np.isclose(fd, {"e^{a_j}": np.exp(a[j]), "0": 0.0}[rhs], atol=1e-5):
                return False
    return True


@pytest.mark.parametrize("rhs", ["e^{a_j}", "0"])
def test_an_undefined_operand_of_the_operator_is_unknown(tmp_path, rhs):
    """h_i defined in a form derive does not read: unknown, true or false."""
    assert truth("e^{a_j}") and not truth("0")
    body = ("where $g_i = e^{a_i}, h_i = \\sum^K_{k=1}e^{a_k} = \\Sigma$\n\n"
            f"$$\\frac{{\\partial}}{{\\partial a_j}}h_i = {rhs}$$")
    assert verdicts(tmp_path, body) == ["unknown"]


@pytest.mark.parametrize("rhs, expected", [("e^{a_j}", "proved"), ("0", "refuted")])
def test_a_defined_operand_of_the_operator_is_read(tmp_path, rhs, expected):
    """Must not apply: h_i defined (and read) is differentiated as defined."""
    assert truth(rhs) == (expected == "proved")
    body = ("$$h_i = \\sum_{k=1}^{K} e^{a_k}$$\n\n"
            f"$$\\frac{{\\partial}}{{\\partial a_j}} h_i = {rhs}$$")
    assert verdicts(tmp_path, body) == [expected]
