"""Steps the readers must reach (issue 19, "never reached"): every step a notes file writes
gets a record on the line of its right-hand member, even where derive cannot read it."""

from __future__ import annotations

import pytest

import derive
from derive.latex.chains import Segment
from derive.latex.inline_steps import is_step, line_conditions
from derive.latex.step_chains import link_spots


def _records(text: str) -> list[tuple[int, str]]:
    return [(r.line, r.verdict) for r in derive.verify_text(text)]


# --- an unreadable block still shows one step per '=' link ---------------------------------

LINKS = [
    # (segment text, first line, first col, the (line, col) of every link's right member)
    ("a = b", 3, 1, [(3, 5)]),
    ("a = b = c", 3, 1, [(3, 5), (3, 9)]),
    ("a\n= b\n&= c", 3, 4, [(4, 3), (5, 4)]),          # a right member on the next lines
    ("L =\n b", 7, 1, [(8, 2)]),                        # '=' ends its line: the next line
    ("a &=& b", 1, 1, [(1, 7)]),                        # eqnarray's &=&
    ("\\Large \\begin{array}{rcl} a &=& b \\\\\n&=& c \\end{array}", 1, 1,
     [(1, 33), (2, 5)]),                                # an array laying out the display
    # must NOT be links: = inside a group, a script, brackets, cases, <= / >= / !=
    ("\\sum_{k=1}^K z_k", 2, 5, [(2, 5)]),
    ("f(x=1) + [y=2]", 2, 5, [(2, 5)]),
    ("\\begin{cases} a = 1 \\\\ b = 2 \\end{cases}", 1, 1, [(1, 1)]),
    ("x = \\begin{array}{c} a = 1 \\end{array}", 1, 1, [(1, 5)]),  # an array inside
    ("a <= b >= c != d", 1, 1, [(1, 1)]),
    ("\\{a = b\\} = c", 1, 1, [(1, 13)]),              # \{ is a brace written, not a group
]


@pytest.mark.parametrize(("text", "line", "col", "want"), LINKS)
def test_link_spots(text: str, line: int, col: int, want: list[tuple[int, int]]) -> None:
    seg = Segment(text=text, line=line, col=col, block=0, continues=False)
    assert link_spots(seg) == want


def test_an_unreadable_block_has_a_step_on_each_links_line() -> None:
    # 'b)' closes nothing: the block cannot be parsed; both of its steps are still reported
    text = "$$\nL = a + b)\n= c\n$$\n\n$$\nM = a)\n$$\n"
    got = derive.verify_text(text)
    assert [(r.line, r.verdict) for r in got] == [(2, "unknown"), (3, "unknown"),
                                                  (7, "unknown")]
    assert all(r.note.startswith("not read") for r in got)


# --- a formula inside a sentence is a step when it states an equation ----------------------

STEPS = [
    # (inline formula, is it a step?)
    ("a = 2 b", True),
    ("a = b", False),                                       # two letters: read as i = j
    ("\\hat{y} = \\sigma(z)", True),
    ("L=g_1(x_1)=-\\log(x_1)", True),
    ("\\frac{\\partial z}{\\partial w} = x", True),
    ("x_4=g_5(Z_i)=Z_i-\\max(Z)", True),                   # x_4 is not x
    ("W = W(\\beta)", True),                                # a call is not the name
    ("\\dot{\\lambda}_i = \\ddot{\\lambda}_i = \\lambda_i", True),
    ("p := e^{z}", True),
    ("f = (a, b) + (c, d)", True),                          # two tuples, not one listing
    # must NOT be steps
    ("\\sum_{i=1}^n x_i", False),                           # '=' in a script
    ("f(x=1)", False),                                      # '=' in an argument
    ("y_i = 1", False), ("x = 0", False),                   # an event
    ("i = j", False), ("j = k + 1", False), ("k = y_i", False),  # a condition on indices
    ("i = 1, \\dots, n", False), ("i=1,2", False),          # a range
    ("x = (x_1, x_2)", False), ("z = [z_1, \\dots, z_C]", False),  # a vector by its entries
    ("x = \\left(x_1, x_2\\right)", False),
    ("u=(u_i)", False), ("w = [w_{k}]", False),             # the vector of the entries
    ("y = (a_i + b_i)", True),                              # a formula in parentheses
    ("\\theta = \\theta - \\alpha g", False),               # an update rule
    ("= b", False), ("& = b", False),                       # a continuation
    ("a \\leq b", False), ("a", False), ("", False),
]


@pytest.mark.parametrize(("body", "want"), STEPS)
def test_inline_formula_is_a_step(body: str, want: bool) -> None:
    assert is_step(body) is want


CONDITIONS = [
    # (a line, the inline formula checked on it, the conditions: None = not read)
    ("if $k \\neq y_i$, $a = b$", "a = b", ("k \\neq y_i",)),
    ("If $i \\ne j$: $a = b$.", "a = b", ("i \\neq j",)),
    ("* if $k = y_i$, $a = b$", "a = b", ("k = y_i",)),
    ("$a = b$ for $i \\neq j$", "a = b", ("i \\neq j",)),    # after the formula too
    ("Since $z = w^T x$, we have $a = b$", "a = b", ()),    # another step: no condition
    ("for $i = 1, \\dots, n$: $a = b$", "a = b", ()),       # a range: no condition
    ("so $x = (x_1, x_2)$ and $a = b$", "a = b", ()),       # a listing: no condition
    ("As $T \\to 1$, $a = b$", "a = b", None),              # a limit derive cannot read
    ("when $y_i = 1$, $a = b$", "a = b", None),             # an event on a label
    ("if $x > 0$ then $a = b$", "a = b", None),
]


@pytest.mark.parametrize(("line", "formula", "want"), CONDITIONS)
def test_conditions_on_the_line_of_an_inline_step(line: str, formula: str, want) -> None:
    text = "Intro.\n\n" + line + "\n\nMore $c = d$ here.\n"
    start = text.index(formula)
    assert line_conditions(text, start, start + len(formula)) == want


def test_inline_steps_in_markdown_prose() -> None:
    # each sentence's equation is a step on its own line: definitions and claims alike
    text = ("Let $s = a + b$ and take $c$.\n\n"                     # 1: a definition
            "So $\\frac{\\partial s}{\\partial a} = 1$ here.\n\n"  # 3: a true step
            "令 $t = 2 a$\n\n"                                       # 5: any lead-in word
            "故 $t + t = 4 a$\n\n"                                   # 7: a true step
            "Also \\(u = a b\\), so \\(u = b a\\).\n\n"              # 9: \( \) delimiters
            "- item: $w = a - b$ is it\n\n"                          # 11: in a list
            "> $v = 3 a$ quoted\n\n"                                 # 13: in a quote
            "Wrong: $t + t = 5 a$ here.\n\n"                         # 15: a slip
            "When $a = 1$, $s = b + 1$.\n\n"                         # 17: an event: not read
            "Code `$q = 1 + 1$` is not maths.\n")
    got = _records(text)
    assert [line for line, _ in got] == [1, 3, 5, 7, 9, 9, 11, 13, 15]
    verdicts = dict(got)
    assert verdicts[3] == "proved" and verdicts[7] == "proved" and verdicts[15] == "refuted"
    assert verdicts[1] == verdicts[5] == "definition"


def test_inline_condition_applies_to_the_step() -> None:
    # true only where k != j: read under the sentence's condition, never refuted without it
    text = ("<!-- derive: size K\n     index j, k in 1..K -->\n"
            "If $k \\neq j$, $\\sum_{c=1}^{K} \\delta_{kc} \\delta_{jc} = 0$ holds.\n")
    assert _records(text) == [(3, "proved")]
    assert _records(text.replace("If $k \\neq j$, ", "")) == [(3, "refuted")]


def test_a_display_continuing_with_equals_skips_an_inline_aside() -> None:
    text = ("$$\na = b + b\n$$\n\n"
            "where $c = 3 b$ is a name.\n\n"
            "$$\n= 2 b\n$$\n")
    got = derive.verify_text(text)
    # the '= 2 b' display continues 'a = b + b' (not the aside c = 3b): 2b = b + b holds
    assert [(r.line, r.verdict) for r in got if r.line == 8] == [(8, "proved")]


def test_a_dollar_formula_over_several_lines_that_states_equations_is_read() -> None:
    # a notebook writes $ \begin{align} ... \end{align}$ as its own paragraph
    text = "$ \\begin{align}\na + a &= 2 a \\\\\n&= a + a \\end{align}$\n"
    assert _records(text) == [(2, "proved"), (3, "proved")]


def test_a_derive_line_before_an_inline_step_governs_the_display_after_it() -> None:
    text = ("<!-- derive: size K\n     index i, j in 1..K -->\n"
            "% derive: where i = j\n"
            "Note $s = 2 t$ here.\n\n"
            "$$\\delta_{ij} = 1$$\n")
    assert _records(text) == [(4, "definition"), (6, "proved")]
