"""Two readings of what follows a formula (issue 19): ``\\text{where } z_i = ...`` after a
formula that uses ``z_i`` is a second equation (derive.latex.tokens._defines_an_entry), and
``L(\\mathbf{w})`` after an ``L`` defined alone is read neither as a call nor as a product
(derive.latex.ambiguity._dependence_argument). Case tables with the rows where each must
NOT apply; every verdict's truth is decided here by brute force (NumPy), never by derive.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.sources import read_text
from derive.latex.verify import verify_notes


def verdicts(text: str) -> list[tuple[str, str]]:
    return [(r["verdict"], r.get("note", "")) for r in verify_notes(read_text(text, "md"))]


def holds(lhs, rhs) -> bool:
    rng = np.random.default_rng(1)
    for n in (1, 2, 5):
        x = rng.normal(size=n)
        if not np.isclose(lhs(x), rhs(x)):
            return False
    return True


WHERE = "$$L = \\sum_{i=1}^{n} z_i^2 \\quad \\text{%s } z_i = 2 x_i$$\n\n$$L = %s$$\n"
ENTRY_VERDICTS = [
    # (word, the right member of the claim after it, lhs, rhs)
    ("where", "\\sum_{i=1}^{n} 4 x_i^2", lambda x: ((2 * x) ** 2).sum(),
     lambda x: (4 * x ** 2).sum()),
    ("with", "\\sum_{i=1}^{n} 4 x_i^2", lambda x: ((2 * x) ** 2).sum(),
     lambda x: (4 * x ** 2).sum()),
    ("with", "\\sum_{i=1}^{n} 2 x_i^2", lambda x: ((2 * x) ** 2).sum(),
     lambda x: (2 * x ** 2).sum()),
]


@pytest.mark.parametrize(("word", "right", "lhs", "rhs"), ENTRY_VERDICTS)
def test_where_gives_the_entries_a_value(word, right, lhs, rhs):
    got = [v for v, _ in verdicts(WHERE % (word, right))]
    assert got[:2] == ["definition", "definition"]  # L, then z_i: two equations
    assert got[2] == ("proved" if holds(lhs, rhs) else "refuted")


CONDITION = "a condition written after the formula"
NOT_ENTRIES = [
    # must NOT apply: the formula after the word stays a condition, its link unknown
    "$$\\ell_i = -y_i \\log p_i \\quad \\text{where } y_i = 1$$\n",     # a number
    "$$\\ell_i = -y_i \\log p_i \\quad \\text{if } y_i = p_k$$\n",      # 'if': a condition
    "$$a_i = z_i \\quad \\text{where } z_i = z_i + 1$$\n",               # the name itself
    "$$a = \\sum_{i=1}^{n} x_i \\quad \\text{where } z_i = 2 x_i$$\n",   # z not in the formula
    "$$a = \\sum_{i=1}^{n} x_{z_i} \\quad \\text{where } z_i = 2 x_i$$\n",  # z only a subscript
    "$$a = \\sum_{i=1}^{n} z_{i+1} \\quad \\text{where } z_{i+1} = 2 x_i$$\n",  # not letters
]


@pytest.mark.parametrize("notes", NOT_ENTRIES)
def test_a_condition_after_the_formula_stays_one(notes):
    got = verdicts(notes)
    assert got and all(v == "unknown" and CONDITION in note for v, note in got)


def test_two_index_letters_and_a_continued_formula():
    got = [v for v, _ in verdicts(
        "$$L = \\sum_{i=1}^{n} z_{ij}^2 \\quad \\text{where } z_{ij} = 2 x_{ij}$$\n")]
    assert got == ["definition", "definition"]


# -- L(\mathbf{w}) after L defined alone: neither a call nor a product ------------------

DEPENDENCE = [
    # (notes, verdict of the last step, a word of its note)
    # the vector L depends on, after the L of a definition without arguments: unknown (the
    # product reading made a true step refuted: a vector times a scalar vs a scalar)
    ("$$\\|\\mathbf{w}\\|^2 = \\sum_{j=1}^{p} w_j^2$$\n\n$$L = \\|\\mathbf{w}\\|^2$$\n\n"
     "$$L(\\mathbf{w}) = \\sum_{j=1}^{p} w_j^2$$\n", "unknown", "defined without arguments"),
    # must NOT apply: not one bold name in the parentheses (a product, as before: true)
    ("$$c = 3$$\n\n$$c(a + b) = 3a + 3b$$\n", "proved", ""),
    ("$$c = 3$$\n\n$$c(x) = 3x$$\n", "proved", ""),
    # must NOT apply: L defined with its argument (a call, as before: true)
    ("$$L(\\mathbf{w}) = \\|\\mathbf{w}\\|^2$$\n\n$$L(\\mathbf{w}) = \\sum_{j=1}^{p} w_j^2$$\n",
     "proved", ""),
    # must NOT apply: a scalar declared by hand multiplies, as written (true)
    ("% derive: scalar c\n% derive: size p\n% derive: index j in 1..p\n% derive: tensor w_{j}\n"
     "$$c(\\mathbf{w}) = c \\mathbf{w}$$\n", "proved", ""),
]


@pytest.mark.parametrize(("notes", "want", "word"), DEPENDENCE)
def test_a_name_defined_alone_before_a_vector(notes, want, word):
    verdict, note = verdicts(notes)[-1]
    assert verdict == want
    assert word in note
