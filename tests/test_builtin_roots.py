"""``\\sqrt`` read as a power (derive.latex.macros.BUILTINS): ``\\sqrt[n]{x}`` is
``(x)^{1/n}``, ``n`` 2 when not written; the notes' own ``\\newcommand{\\sqrt}`` wins. Case
table with the rows where a proof must NOT follow (a root of a square, whose sign is lost);
each row's truth decided here by brute force (NumPy), never by derive.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.sources import read_text
from derive.latex.verify import verify_notes


def verdict(notes: str) -> str:
    return verify_notes(read_text(notes, "md"))[-1]["verdict"]


def holds(lhs, rhs) -> bool:
    rng = np.random.default_rng(3)
    return all(np.isclose(lhs(t), rhs(t)) for t in rng.normal(size=6) * 2)


ROWS = [
    # (the step, lhs, rhs): proved when it holds at every t, refuted when not
    ("\\sqrt{e^{2t}} = e^{t}", lambda t: np.sqrt(np.exp(2 * t)), np.exp),
    ("\\sqrt{e^{2t}} = e^{2t}", lambda t: np.sqrt(np.exp(2 * t)), lambda t: np.exp(2 * t)),
    ("\\sqrt[3]{e^{3t}} = e^{t}", lambda t: np.cbrt(np.exp(3 * t)), np.exp),
    ("\\sqrt[3]{e^{3t}} = e^{3t}", lambda t: np.cbrt(np.exp(3 * t)), lambda t: np.exp(3 * t)),
    ("\\frac{1}{\\sqrt{1 + e^{t}}} \\sqrt{1 + e^{t}} = 1",
     lambda t: 1 / np.sqrt(1 + np.exp(t)) * np.sqrt(1 + np.exp(t)), lambda t: 1.0),
    ("\\sqrt{4} = 2", lambda t: np.sqrt(4.0), lambda t: 2.0),
    ("\\sqrt{9} = 4", lambda t: np.sqrt(9.0), lambda t: 4.0),
]


@pytest.mark.parametrize(("step", "lhs", "rhs"), ROWS)
def test_a_root_is_a_power(step, lhs, rhs):
    assert verdict(f"$${step}$$\n") == ("proved" if holds(lhs, rhs) else "refuted")


def test_a_root_of_a_square_is_never_proved_equal_to_its_base():
    # sqrt(x^2) = |x|, not x: false for x < 0, and derive may not prove it
    assert not holds(lambda t: np.sqrt(t ** 2), lambda t: t)
    assert verdict("$$\\sqrt{x^2} = x$$\n") != "proved"


def test_the_notes_own_sqrt_wins():
    # a file that defines \sqrt as a square (its own notation) is read with its definition
    notes = "$$\\newcommand{\\sqrt}[1]{(#1)^{2}}$$\n\n$$\\sqrt{e^{t}} = e^{2t}$$\n"
    assert verdict(notes) == "proved"
    assert verdict(notes.replace("e^{2t}$$", "e^{t/2}$$")) == "refuted"
