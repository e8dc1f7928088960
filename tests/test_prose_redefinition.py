"""Definitions in the prose that a defining word announces (issue 18 red team, q05/q29 probes).

- "Let $a = 2x$ ... Now let $a = 3x$": the name is defined again with another body; each
  definition is read in its own part of the notes (derive.latex.infer.prose_redefinitions,
  derive.latex.section_readings), never the first one for the whole file.
- "Note that $q = 2x$ would be wrong. Let $q = x^2$.": beside an inline equation after a
  defining word, a bare inline equation of the same name is a claim, not its definition.

Each step's truth is decided here by brute force (a few real x), never by derive; the
verdicts of the definitions themselves ('definition') are skipped.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from derive.latex.verify import verify_file

Side = Callable[[float], float]


def _truth(lhs: Side, rhs: Side) -> str:
    xs = (-1.5, -1.0, 0.0, 0.5, 1.0, 2.0)
    return "proved" if all(abs(lhs(x) - rhs(x)) < 1e-9 for x in xs) else "refuted"


ROWS = [
    # must apply: a second defining word with another body
    ("Let $a = 2x$. Then\n\n$$ a + a = 4x $$\n\nNow let $a = 3x$ instead.\n\n$$ a + a = 6x $$\n",
     [(lambda x: 4 * x, lambda x: 4 * x), (lambda x: 6 * x, lambda x: 6 * x)]),
    ("Let $a = 2x$.\n\n$$ a = 2x $$\n\nNow let $a = 3x$.\n\n$$ a = 2x $$\n",
     [(lambda x: 2 * x, lambda x: 2 * x), (lambda x: 3 * x, lambda x: 2 * x)]),
    ("Sei $a = x^2$.\n\n$$ a - x^2 = 0 $$\n\nJetzt sei $a = 3x$.\n\n$$ a - 3x = 0 $$\n",
     [(lambda x: 0.0, lambda x: 0.0), (lambda x: 0.0, lambda x: 0.0)]),
    # must apply: a display defines first, a defining word redefines
    ("$$ a = 2x $$\n\n$$ a + a = 4x $$\n\nNow let $a = 3x$ instead.\n\n$$ a + a = 6x $$\n",
     [(lambda x: 4 * x, lambda x: 4 * x), (lambda x: 6 * x, lambda x: 6 * x)]),
    # must apply: the defining word wins over a bare inline equation, before or after it
    ("Note that $q = 2x$ would be wrong here.\n\nLet $q = x^2$. Then\n\n$$ q + q = 2x^2 $$\n",
     [(lambda x: x * x, lambda x: 2 * x), (lambda x: 2 * x * x, lambda x: 2 * x * x)]),
    ("Let $q = x^2$. It is not $q = 2x$.\n\n$$ q - x^2 = 0 $$\n",
     [(lambda x: x * x, lambda x: 2 * x), (lambda x: 0.0, lambda x: 0.0)]),
    # must not apply: the same body twice (spacing aside) is one definition; the second
    # is a claim about it (true)
    ("Let $a = 2 x$.\n\n$$ a + a = 4x $$\n\nAgain, let $a = 2x$.\n\n$$ a = 2x $$\n",
     [(lambda x: 4 * x, lambda x: 4 * x), (lambda x: 2 * x, lambda x: 2 * x),
      (lambda x: 2 * x, lambda x: 2 * x)]),
]


@pytest.mark.parametrize(("text", "steps"), ROWS, ids=[r[0][:40] for r in ROWS])
def test_defining_words_decide_and_redefine(tmp_path, text, steps):
    p = tmp_path / "n.md"
    p.write_text("% derive: scalar x\n" + text)
    got = [r["verdict"] for r in verify_file(str(p)) if r["verdict"] != "definition"]
    assert got == [_truth(lhs, rhs) for lhs, rhs in steps]


def test_no_defining_word_keeps_the_first_definition(tmp_path):
    # neither equation is announced: the first written defines (as before), the second is
    # a claim about it (false here: 3x vs 2x)
    p = tmp_path / "n.md"
    p.write_text("% derive: scalar x\nWe have $a = 2x$ here.\n\nAnd so $a = 3x$.\n")
    got = [r["verdict"] for r in verify_file(str(p))]
    assert got == ["definition", _truth(lambda x: 2 * x, lambda x: 3 * x)]


def test_a_redefinition_on_the_same_line_leaves_the_name_undefined(tmp_path):
    # no line to start a new reading at: neither body is read for the steps after it
    # (a + a = 6x holds under the second definition, 3x, and fails under the first, 2x)
    p = tmp_path / "n.md"
    p.write_text("% derive: scalar x\nLet $a = 2x$; and now let $a = 3x$.\n\n$$ a + a = 6x $$\n")
    last = verify_file(str(p))[-1]
    assert last["line"] == 4
    assert _truth(lambda x: 6 * x, lambda x: 6 * x) != _truth(lambda x: 4 * x, lambda x: 6 * x)
    assert last["verdict"] == "unknown", last
