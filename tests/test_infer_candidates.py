"""Equations inference must not read as definitions (derive.latex.infer_candidates), and
the pattern a quantity is typed from: one case table per rule, each with the rows where
the rule must NOT fire (issue 19 item 4, nothing declared)."""

from __future__ import annotations

import pytest

from derive.latex.infer import inference
from derive.latex.sources import read_text
from derive.latex.verify import verify_notes


def inferred(text: str) -> list[str]:
    return [f"{d.keyword} {d.rest}" for d in inference(read_text(text, "md")).directives]


def verdicts(text: str) -> list[str]:
    return [r["verdict"] for r in verify_notes(read_text(text, "md"))]


SUM_Y = "$$L = \\sum_{i=1}^{n} y_i$$\n"

CANDIDATES = [
    # (notes, a line that must be inferred, a line that must not)
    # entry condition: 'y_i = 1' (the class is i) is a condition on one entry, not y = 1
    ("$$y_i = 1$$\n\n" + SUM_Y, "tensor y_{i}", "let y_i = 1"),
    ("$$y_i = -1$$\n\n" + SUM_Y, "tensor y_{i}", "let y_i = -1"),
    # must NOT fire: no index subscript (a scalar constant is defined by its value)
    ("$$\\epsilon = 1$$\n\n$$a = \\epsilon$$\n", "let \\epsilon = 1", None),
    # must NOT fire: the body is not a bare number
    ("$$y_i = 2 z_i$$\n\n" + SUM_Y, "let y_i = 2 z_i", "tensor y_{i}"),
    # self-reference: an update writes the name on both sides
    ("$$w_{t+1} = w_t - \\alpha g_t$$\n", None, "let w_{t+1} = w_t - \\alpha g_t"),
    # self-reference: the list of a vector's entries
    ("$$y = \\{ y_1, \\ldots, y_n \\}$$\n\n" + SUM_Y, "tensor y_{i}",
     "let y = \\{ y_1, \\ldots, y_n \\}"),
    # must NOT fire: another name's entries (a colliding first letter, another spelling)
    ("$$\\hat{y} = \\sigma(y)$$\n\n$$a = \\hat{y}$$\n", "let \\hat{y} = \\sigma(y)", None),
    ("$$Y = \\{ y_1, \\ldots, y_n \\}$$\n\n" + SUM_Y, "let Y = \\{ y_1, \\ldots, y_n \\}",
     None),
]


@pytest.mark.parametrize(("notes", "want", "unwanted"), CANDIDATES)
def test_not_definitions(notes, want, unwanted):
    got = inferred(notes)
    if want is not None:
        assert want in got
    if unwanted is not None:
        assert unwanted not in got


def test_entry_condition_read_as_a_definition_proved_a_false_step():
    """y_k = 1 read as 'let y_k = 1' made every entry 1, so the false sum below was proved."""
    text = "$$y_k = 1$$\n\n$$\\sum_{k=1}^{K} y_k = K$$\n"
    assert verdicts(text)[-1] == "refuted"


ENUMERATED = [
    # (notes, tensor line wanted or None): the pattern comes from a use with index letters,
    # not from y_n of an enumeration y_1..y_n (n is the size there)
    ("$$X = \\{ y_1, \\ldots, y_n \\}$$\n\n" + SUM_Y, "tensor y_{i}"),
    # the use with index letters written first: the same
    (SUM_Y + "$$X = \\{ y_1, \\ldots, y_n \\}$$\n", "tensor y_{i}"),
    # must NOT fire: n is a size (a sum's limit) and no use of y has an index letter
    ("$$X = \\{ y_1, \\ldots, y_n \\}$$\n\n$$\\sum_{k=1}^{n} x_k = 0$$\n", None),
]


@pytest.mark.parametrize(("notes", "want"), ENUMERATED)
def test_pattern_from_a_use_with_index_letters(notes, want):
    got = [line for line in inferred(notes) if line.startswith("tensor y")]
    assert got == ([want] if want else [])
