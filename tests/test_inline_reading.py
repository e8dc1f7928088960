"""Inline maths has one reading (issue 19, "never reached"): a formula in a sentence that
states an equation is a step (derive.latex.inline_steps), its definition is inferred from the
prose once (derive.latex.prose, derive.latex.infer), and a formula the words before it make a
hypothesis ("given that", "if", "suppose") is assumed, not checked. Each rule with the rows
where it must NOT apply; truth of the claims used is decided by brute force below."""

from __future__ import annotations

import itertools

import pytest

import derive
from derive.errors import DeriveError
from derive.latex.definitions import definition_head
from derive.latex.infer import inference
from derive.latex.inline_steps import premise
from derive.latex.parser import parse_block
from derive.latex.prose import inline_definitions
from derive.latex.sources import read_text


def _records(text: str, fmt: str = "md") -> list[tuple[int, str]]:
    return [(r.line, r.verdict) for r in derive.verify_text(text, format=fmt)]


# --- a hypothesis is assumed, not claimed ---------------------------------------------------

PREMISES = [
    # (the text before the formula on its line, is the formula a premise?)
    ("Given that ", True), ("given ", True), ("Assume ", True), ("assuming that ", True),
    ("Suppose ", True), ("supposing ", True), ("provided that ", True), ("If ", True),
    ("* if ", True), ("When ", True), ("whenever ", True), ("unless ", True),
    ("若 ", True), ("如果", True), ("假设 ", True),
    # must NOT apply: words that state or justify a claim, or a hypothesis word that is
    # not right before the formula
    ("so ", False), ("Since ", False), ("We have ", False), ("Let ", False),
    ("Then ", False), ("故 ", False), ("令 ", False), ("", False),
    ("if the loss is convex, then ", False), ("Given the model, ", False),
    ("lift ", False), ("gifted ", False),  # 'if' and 'given' inside a word
]


@pytest.mark.parametrize(("before", "want"), PREMISES)
def test_a_formula_after_a_hypothesis_word_is_a_premise(before: str, want: bool) -> None:
    for open_, close in (("$", "$"), ("\\(", "\\)")):
        text = f"Intro.\n{before}{open_}a = 2 b{close} here.\n"
        assert premise(text, text.index("a = 2 b")) is want, (before, open_)


def test_a_false_premise_is_never_refuted() -> None:
    # a + a = 3a only at a = 0: as a claim it is refuted, but the author assumes it
    assert [a for a in range(-3, 4) if a + a == 3 * a] == [0]
    for lead in ("Suppose", "Given that", "If", "Assume"):
        text = f"{lead} $a + a = 3 a$ holds.\n"
        assert _records(text) == [], lead
    # must NOT apply: the same formula stated as a claim is checked, and refuted
    assert _records("So $a + a = 3 a$ holds.\n") == [(1, "refuted")]


def test_a_step_under_a_premise_on_its_line_is_not_read_without_it() -> None:
    # a + a = 4b holds where a = 2b only (brute force: a = 1, b = 1 gives 2 != 4)
    assert any(a + a != 4 * b for a, b in itertools.product(range(-2, 3), repeat=2))
    assert all(a + a == 4 * b for a, b in itertools.product(range(-2, 3), repeat=2)
               if a == 2 * b)
    text = "If $a = 2 b + 0$, then $a + a = 4 b$.\n"
    assert _records(text) == []  # never refuted: its hypothesis is not one derive carries
    # must NOT apply: a step justified by 'since' is a claim, and a true one is proved
    assert _records("Since $a + a = 2 a$, we get $a + a + a = 3 a$.\n") == [
        (1, "proved"), (1, "proved")]
    # must NOT apply: the hypothesis after the step does not reach back (checked alone)
    assert _records("We get $a + a = 4 a$ here.\n") == [(1, "refuted")]


def test_a_premise_in_latex_and_a_notebook_alike() -> None:
    assert _records("Suppose \\(\\sigma(z) = \\frac{1}{2}\\) here.\n\\[ a + a = 2 a \\]\n",
                    "tex") == [(2, "proved")]


# --- one path: an inline definition is inferred from the prose, once -------------------------

def test_an_inline_definition_is_a_step_and_a_let_read_once() -> None:
    text = "where $p_k = e^{z_k}$ is the output.\n\n$$p_k + 0 = e^{z_k}$$\n"
    notes = read_text(text, "md")
    assert [s.inline for s in notes.segments] == [True, False]
    assert [(d.pattern, d.body) for d in inline_definitions(notes)] == [("p_k", "e^{z_k}")]
    found = inference(notes)
    assert [d.rest for d in found.directives if d.keyword == "let"] == ["p_k = e^{z_k}"]
    assert found.definitions == {"p": (1, 8)}  # the formula's own position
    assert _records(text) == [(1, "definition"), (3, "proved")]


def test_an_inline_definition_of_a_declared_quantity_is_an_error_not_a_second_reading() -> None:
    text = ("% derive: size K\n% derive: index k in 1..K\n% derive: tensor p_k, z_k\n"
            "where $p_k = e^{z_k}$ here.\n")
    with pytest.raises(DeriveError, match="declares p"):
        inference(read_text(text, "md"))


def test_a_hand_let_wins_over_an_inline_definition() -> None:
    text = "% derive: let p_k = e^{2 z_k}\nwhere $p_k = e^{z_k}$ and\n"
    assert [d.rest for d in inference(read_text(text, "md")).directives
            if d.keyword == "let"] == []


def test_equiv_defines_inline_as_in_a_display() -> None:
    # one table of defining spellings (prose.DEFINING) for the step reader and the prose
    text = "with $q \\equiv 2 r$ as the name.\n\n$$q + q = 4 r$$\n"
    assert _records(text) == [(1, "definition"), (3, "proved")]
    # must NOT apply: a chain of \equiv is not one definition
    assert [d.rest for d in inference(read_text("so $q \\equiv r = s$ here.\n", "md")).directives
            if d.keyword == "let"] == []


# --- a subscripted constant names a quantity --------------------------------------------------

HEADS = [
    ("\\pi_{ik} = p_{ik}", "\\pi"), ("\\pi_k = a", "\\pi"), ("\\pi_k^{(i)} = a", "\\pi"),
    # must NOT apply: the constant itself, and other constants with subscripts
    ("\\pi = a", None), ("\\pi^2 = a", None), ("e_k = a", None), ("\\delta_{jk} = a", None),
]


@pytest.mark.parametrize(("text", "want"), HEADS)
def test_definition_head_of_a_subscripted_constant(text: str, want: str | None) -> None:
    assert definition_head(parse_block(text, 1, 1)[0].members[0]) == want


def test_define_pi_inline_is_a_definition() -> None:
    text = ("% derive: size K\n% derive: index k in 1..K\n% derive: tensor p_k\n"
            "Define $\\pi_k = p_k$, the probabilities.\n")
    assert _records(text) == [(4, "definition")]
