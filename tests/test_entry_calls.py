"""Issue 19: softmax of a vector written at one entry, ``\\text{softmax}(x_j)`` for the j-th
output of softmax(x) (the elaborator's and the referee's builtin softmax), and a line that
writes it so is no definition replacing the softmax derive knows (derive.latex.infer).

Each row's truth is decided by brute force (NumPy softmax at random x, n = 1 and n = 3), not
by derive: the literal reading (softmax of a one-entry vector, 1) is what no author means."""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.verify import verify_file

HEAD = ("% derive: size n\n% derive: index i, j in 1..n\n% derive: tensor x_i\n"
        "% derive: tensor X_{ij}\n")
RNG = np.random.default_rng(11)


def _softmax(v):
    e = np.exp(v - v.max())
    return e / e.sum()


def _holds(lhs, rhs) -> bool:
    """At n = 1 and n = 3, every j, random x."""
    for n in (1, 3):
        x = RNG.normal(size=n)
        for j in range(n):
            if not np.isclose(lhs(x, j), rhs(x, j)):
                return False
    return True


def _check(tmp_path, body: str, head: str = HEAD) -> list[dict]:
    p = tmp_path / "n.md"
    p.write_text(head + body, encoding="utf-8")
    return verify_file(str(p))


ROWS = [
    (r"\text{softmax}(x_j) = \frac{e^{x_j}}{\sum_{i=1}^n e^{x_i}}",
     lambda x, j: _softmax(x)[j], lambda x, j: np.exp(x[j]) / np.exp(x).sum()),
    (r"softmax(x_j) = \frac{e^{x_j}}{\sum_{i=1}^n e^{x_i}}",
     lambda x, j: _softmax(x)[j], lambda x, j: np.exp(x[j]) / np.exp(x).sum()),
    (r"\log \text{softmax}(x_j) = x_j - \log \sum_{i=1}^n e^{x_i}",
     lambda x, j: np.log(_softmax(x)[j]), lambda x, j: x[j] - np.log(np.exp(x).sum())),
    # the slip of a published note: the sum's index typo makes the right side 1/n
    (r"\text{softmax}(x_j) = \frac{e^{x_j}}{\sum_{i=1}^n e^{x_j}}",
     lambda x, j: _softmax(x)[j], lambda x, j: np.exp(x[j]) / (len(x) * np.exp(x[j]))),
    (r"\text{softmax}(x_j) = e^{x_j}",
     lambda x, j: _softmax(x)[j], lambda x, j: np.exp(x[j])),
]


@pytest.mark.parametrize("display, lhs, rhs", ROWS)
def test_softmax_at_an_entry_is_the_entry_of_softmax(tmp_path, display, lhs, rhs):
    truth = "proved" if _holds(lhs, rhs) else "refuted"
    recs = _check(tmp_path, f"$${display}$$\n")
    assert [r["verdict"] for r in recs] == [truth], recs


# must not apply: not a vector at one index: unknown, never proved nor refuted
NOT_ENTRIES = [
    # a matrix entry: which axis softmax runs over is not written
    r"\text{softmax}(X_{ij}) = \frac{e^{X_{ij}}}{\sum_{i=1}^n e^{X_{ij}}}",
    # an expression of an entry: the softmax of what is not written
    r"\text{softmax}(x_j + 1) = \frac{e^{x_j + 1}}{\sum_{i=1}^n e^{x_i + 1}}",
    # logsumexp of an entry is no entry of a vector function (a scalar): not rewritten
    r"\text{logsumexp}(x_j) = \log \sum_{i=1}^n e^{x_i}",
]


@pytest.mark.parametrize("display", NOT_ENTRIES)
def test_only_a_vector_at_one_index_is_rewritten(tmp_path, display):
    recs = _check(tmp_path, f"$${display}$$\n")
    assert len(recs) == 1 and recs[0]["verdict"] == "unknown", recs


def test_the_brute_force_separates_the_readings():
    """softmax(x_j) read literally (a one-entry softmax, 1) differs from softmax(x)_j."""
    assert not _holds(lambda x, j: 1.0, lambda x, j: _softmax(x)[j])
    assert _holds(lambda x, j: _softmax(x)[j], lambda x, j: np.exp(x[j]) / np.exp(x).sum())


def test_a_line_writing_softmax_at_an_entry_defines_nothing(tmp_path):
    """A colliding definition: the later line softmax(x_j) = ... is not inferred as a
    definition with the parameter x_j replacing the softmax of every argument; the earlier
    true claims about softmax(x)_j stay proved (they were refuted before)."""
    body = ("$$\\log(\\text{softmax}(x)_j) = x_j - \\log \\sum_{i=1}^n e^{x_i}$$\n\n"
            "$$\\text{softmax}(x)_j = \\frac{e^{x_j}}{\\sum_{i=1}^n e^{x_i}}$$\n\n"
            "$$\\text{softmax}(x_j) = \\frac{e^{x_j}}{\\sum_{i=1}^n e^{x_i}}$$\n")
    assert _holds(lambda x, j: np.log(_softmax(x)[j]), lambda x, j: x[j] - np.log(
        np.exp(x).sum()))
    recs = _check(tmp_path, body)
    # the second line may be read as the notes' statement of softmax (a definition that
    # agrees with derive's); none is refuted
    assert [r["verdict"] for r in recs] in (["proved"] * 3,
                                            ["proved", "definition", "proved"]), recs
    assert not any("let \\text{softmax}" in line for r in recs for line in r.get(
        "inferred") or []), recs[0].get("inferred")


def test_a_builtin_defined_with_a_letter_parameter_is_still_the_notes_definition(tmp_path):
    """logsumexp(X) = log sum e^{x_i}: a letter parameter, the notes' own definition (kept:
    a published note writes it so, and later steps read it)."""
    body = "$$\\text{logsumexp}(X) = \\log(\\sum_{i=1}^n e^{x_i})$$\n"
    recs = _check(tmp_path, body, "% derive: size n\n% derive: index i in 1..n\n"
                                  "% derive: tensor x_i\n")
    assert any("let \\text{logsumexp}(X)" in line for line in recs[0].get("inferred") or []), \
        recs
