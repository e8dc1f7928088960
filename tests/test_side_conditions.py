"""Conditions stated in the prose for a display (derive.latex.side_conditions): the sentence
that leads into a display, or a "where ..." sentence after it, even with no blank line
between paragraphs. Each row where the rule acts has rows where it must not: a condition
in another display's sentence, another sentence, other letters, a comment."""

from __future__ import annotations

import pytest

from derive.latex.side_conditions import broken, display_conditions, stated
from derive.latex.verify import verify_file

LSE = r"\log \sum_{i=1}^{n} e^{x_i}"
# true only for j != k (the off-diagonal Hessian entry of log-sum-exp)
OFF = (rf"$$\frac{{\partial^2}}{{\partial x_k \partial x_j}} {LSE} = "
       r"-\frac{e^{x_k} e^{x_j}}{(\sum_{i=1}^{n} e^{x_i})^2}$$")
# true only for j = k (the diagonal entry)
DIAG = (rf"$$\frac{{\partial^2}}{{\partial x_k \partial x_j}} {LSE} = "
        r"\frac{e^{x_k}}{\sum_{i=1}^{n} e^{x_i}} - "
        r"\frac{e^{x_k} e^{x_k}}{(\sum_{i=1}^{n} e^{x_i})^2}$$")


def verdict(tmp_path, text: str) -> str:
    p = tmp_path / "n.md"
    p.write_text(text, encoding="utf-8")
    recs = [r for r in verify_file(str(p)) if r["line"] == text[:text.index(r"\frac{\partial^2")
                                                                ].count("\n") + 1]
    assert len(recs) == 1, recs
    return recs[0]["verdict"]


CASES = [
    # (notes, refuted?)
    (f"Case 2: \\(j \\neq k\\)\n{OFF}\nNext.\n", False),      # lead-in, no blank lines
    (f"Case 1: \\(j = k\\)\n{DIAG}\nNext.\n", False),          # an equality condition
    (f"The second derivative\n{OFF}\nwhere \\(j \\neq k\\).\n", False),  # a 'where' after
    (f"<!-- written with $$ displays -->\nCase 2: \\(j \\neq k\\)\n{OFF}\n", False),
    # must NOT apply
    (f"The second derivative\n{OFF}\n", True),                          # no condition
    (f"Case 2: \\(j \\neq k\\)\n$$a = a$$\nThen\n{OFF}\n", True),        # another display's
    (f"Case 1: \\(j = k\\)\n{OFF}\nCase 2: \\(j \\neq k\\)\n$$a = a$$\n", True),  # the next one's
    (f"{OFF}\nInterpretation: for \\(j \\neq k\\) it is negative.\n", True),  # no connective
    (f"We had \\(j \\neq k\\) before. Now\n{OFF}\n", True),             # another sentence
    (f"Case 2: \\(i \\neq k\\)\n{OFF}\n", True),                         # other letters
    (f"For \\(j \\neq k\\)\n\n{DIAG}\n", True),                          # another paragraph
    (f"Case 2: \\(j \\neq k\\)\n{DIAG}\n", True),                        # the case breaks it
]


@pytest.mark.parametrize(("notes", "refuted"), CASES)
def test_prose_condition_for_the_display(tmp_path, notes, refuted):
    got = verdict(tmp_path, notes)
    assert (got == "refuted") == refuted, got


def test_broken_names_the_condition_and_needs_both_letters():
    conds = {("j", "k", False), ("i", "l", True)}
    assert broken(conds, {"j": 2, "k": 2}) == "j \\neq k"
    assert broken(conds, {"i": 1, "l": 2}) == "i = l"
    assert broken(conds, {"j": 2}) is None          # k not in the counterexample
    assert broken(conds, {"j": 1, "k": 2, "i": 3, "l": 3}) is None


def test_stated_without_display_map_finds_delimiters():
    text = "Case 2: $j \\neq k$\n$$f = 0$$\nCase 1: $j = k$\n$$g = 0$$\n"
    assert stated(text, "", 2) == {("j", "k", False)}
    assert stated(text, "", 4) == {("j", "k", True)}
    assert stated(text, "", 1) == set()              # prose, not a display
    # a comment that mentions $$ opens no display
    text = "<!-- uses $$ and \\( \\) -->\nCase 2: $j \\neq k$\n$$f = 0$$\n"
    assert stated(text, "", 3) == {("j", "k", False)}


# -- a step that holds for the author's data only (derive.latex.concrete_data) ---------

DATA = [
    # (step, refuted?)
    (r"\prod_{i=1}^{5} \theta^{x_i} (1 - \theta)^{1 - x_i} = \theta^{3} (1 - \theta)^{4}",
     False),                                       # the author's counts: unknown
    # (x beside theta: against a number alone, x = 17 relates inputs only and is unknown
    # by derive.latex.input_relations before this rule is asked)
    (r"\theta \sum_{i=1}^{5} x_i = 17 \theta", False),
    # must NOT apply: the refutation stands
    (r"\theta \sum_{i=1}^{5} x_i = \theta", True),      # no number read off the data
    (r"\theta \sum_{i=1}^{5} x_i = 2 \theta", True),    # 2: a factor a slip may drop
    (r"\sum_{i=1}^{5} 3 x_i = 4 x_1", True),          # the data on both sides
    (r"\sum_{i=1}^{3} x_i = 3 x_1", True),            # no new number (3 on both sides)
    (r"\frac{\partial}{\partial x_1} \sum_{i=1}^{3} 5 x_i = 7", True),  # a derivative
]


@pytest.mark.parametrize(("step", "refuted"), DATA)
def test_a_step_with_the_authors_data(tmp_path, step, refuted):
    p = tmp_path / "n.md"
    p.write_text(f"$$ {step} $$\n", encoding="utf-8")
    (rec,) = [r for r in verify_file(str(p)) if r["verdict"] != "definition"]
    assert (rec["verdict"] == "refuted") == refuted, rec
    if not refuted:
        assert rec["verdict"] == "unknown" and "author's data" in rec["note"]


# -- the display is checked under the condition its prose states -------------------------

UNDER = [
    # (notes, verdict)
    (f"Case 2: \\(j \\neq k\\)\n{OFF}\nNext.\n", "proved"),
    (f"Case 1: \\(j = k\\)\n{DIAG}\nNext.\n", "proved"),
    (f"The second derivative\n{OFF}\nwhere \\(j \\neq k\\).\n", "proved"),
    # a slip under its condition stays a slip
    (f"Case 2: \\(j \\neq k\\)\n{OFF.replace('= -', '= ')}\n", "refuted"),
    # a condition on a letter the display does not write is not applied (nothing to check)
    (f"Case 2: \\(i \\neq m\\)\n{OFF}\n", "refuted"),
]


@pytest.mark.parametrize(("notes", "want"), UNDER)
def test_display_checked_under_its_prose_condition(tmp_path, notes, want):
    assert verdict(tmp_path, notes) == want


def test_display_conditions_need_both_letters_in_the_display():
    text = "Case 1: $i = j$\n$$f_i = g_i$$\nCase 2: $i \\neq j$\n$$f_{ij} = 0$$\n"
    assert display_conditions(text, "", 2, "f_i = g_i", "ij") == []
    assert display_conditions(text, "", 4, "f_{ij} = 0", "ij") == ["i \\neq j"]
    assert display_conditions(text, "", 4, "f_{ij} = 0", "i") == []   # j not an index


def test_a_condition_on_letters_that_are_not_indices_is_not_a_where(tmp_path):
    """'\\(a \\neq b\\)' before a display of scalars a, b: no where line (which would
    stop the file: 'undeclared index a'), the step is checked as written."""
    p = tmp_path / "n.md"
    p.write_text("Here \\(a \\neq b\\)\n$$a + b = b + a + 1$$\n", encoding="utf-8")
    assert [r["verdict"] for r in verify_file(str(p))] == ["refuted"]


@pytest.mark.parametrize(("step", "gated"), [
    (r"\sum_{i=1}^{2} x_i = 7", True),
    (r"x_1 + x_2 = 7", False),                      # no sum or product over the data
    (r"\frac{d}{d x_1} \sum_{i=1}^{2} x_i^2 = 7", False),   # a derivative
])
def test_data_gate_needs_an_aggregate_and_no_derivative(step, gated):
    from derive.latex.concrete_data import data_gate
    from derive.latex.parser import parse_block

    left, right = parse_block(step, 1, 1, (), "n.md")[0].members
    rec = {"verdict": "refuted", "counterexample": {"values": {"x": [1, 2]}}}
    assert (data_gate(rec, left, right)["verdict"] == "unknown") == gated
