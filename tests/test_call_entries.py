"""``\\sigma(\\mathbf{z})_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}``: a function defined entry by entry
(issue 19, item 4; derive.latex.infer.call_entry, derive.latex.definitions).

The notes define a vector function by its entry ``i``. It is the indexed function
``\\sigma_i(\\mathbf{z})`` for both readers (the elaborator's ``_call``, the referee's ``call``
read ``\\sigma(\\mathbf{z})_i`` as ``\\sigma_i(\\mathbf{z})`` where such a definition exists).
It used to be a product of a tensor \\sigma and a bracket, and a defining step was refuted.
The call-product policy (derive.latex.ambiguity) still lists "an entry of a call" as a
reading it does not read, so these steps are unknown (ambiguous); the tests check the
verdict of the written form, the readers' own reading, as the policy lists it.

Must-not-apply rows: ``f(z)_i`` of a function defined without an index (an entry of its
value, read as before), and of a name never defined (unknown). Truth by brute force
(NumPy, sizes 1-4, central differences), never by derive.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.verify import verify_file

DEF = "$$\\sigma(\\mathbf{z})_i = \\frac{e^{z_i}}{\\sum_{k=1}^{K} e^{z_k}}$$\n\n"


def results(tmp_path, body: str) -> list[dict]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return verify_file(str(p))


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def truth(name: str) -> bool:
    rng = np.random.default_rng(9)
    for n in (1, 2, 3, 4):
        z, eps = rng.normal(size=n), 1e-6
        s = softmax(z)
        for i in range(n):
            for j in range(n):
                step = np.eye(n)[j] * eps
                fd = (softmax(z + step)[i] - softmax(z - step)[i]) / (2 * eps)
                d = float(i == j)
                lhs, rhs = {
                    "sums to one": (s.sum(), 1.0),
                    "sums to two": (s.sum(), 2.0),
                    "jacobian": (fd, s[i] * (d - s[j])),
                    "jacobian wrong sign": (fd, s[i] * (d + s[j])),
                }[name]
                if not np.isclose(lhs, rhs, atol=1e-5):
                    return False
    return True


@pytest.mark.parametrize("name, step, expected", [
    ("sums to one", "\\sum_{i=1}^{K} \\sigma(\\mathbf{z})_i = 1", "proved"),
    ("sums to two", "\\sum_{i=1}^{K} \\sigma(\\mathbf{z})_i = 2", "refuted"),
    ("jacobian", "\\frac{\\partial \\sigma(\\mathbf{z})_i}{\\partial z_j} = \\sigma(\\mathbf{z})_i"
     " (\\delta_{ij} - \\sigma(\\mathbf{z})_j)", "proved"),
    ("jacobian wrong sign", "\\frac{\\partial \\sigma(\\mathbf{z})_i}{\\partial z_j} = "
     "\\sigma(\\mathbf{z})_i (\\delta_{ij} + \\sigma(\\mathbf{z})_j)", "refuted"),
])
def test_a_function_defined_entry_by_entry(tmp_path, name, step, expected):
    assert truth(name) == (expected == "proved")
    got = results(tmp_path, DEF + f"$$ {step} $$")
    assert any("\\sigma_{i}(\\mathbf{z})" in line for line in got[0].get("inferred", []))
    # the call-product policy (derive.latex.ambiguity) keeps "an entry of a call" a reading
    # it does not read, so the step is unknown; the readers' own reading of the written
    # form (f(z)_i as the entry, both readers) is the one listed with a verdict
    assert got[-1]["verdict"] == "unknown"
    assert "a product (line 3:" in got[-1]["note"] and f"): {expected}" in got[-1]["note"]


@pytest.mark.parametrize("name, rhs, expected", [("sums to one", "1", "proved"),
                                                 ("sums to two", "2", "refuted")])
def test_an_entry_of_a_function_defined_whole(tmp_path, name, rhs, expected):
    """Must not apply as an indexed function: f(z) = softmax(z) is defined without an index;
    f(z)_i is entry i of its value (it was read as f applied to the entry z_i, and the true
    sum was refuted: shapes differ)."""
    assert truth(name) == (expected == "proved")
    body = ("$$\\sum_{k=1}^{K} z_k = \\sum_{k=1}^{K} z_k$$\n\n$$f(z) = \\text{softmax}(z)$$\n\n"
            f"$$\\sum_{{i=1}}^{{K}} f(z)_i = {rhs}$$")
    got = results(tmp_path, body)
    assert got[-1]["verdict"] == "unknown"  # (the policy, as above)
    assert "a product (line 5:" in got[-1]["note"] and f"): {expected}" in got[-1]["note"]
    assert not any("f_{i}" in line for line in got[-1].get("inferred", []))
