"""Steps the readers must reach (issue 19, "never reached"): every step a notes file writes
gets a record on the line of its right-hand member, even where derive cannot read it."""

from __future__ import annotations

import pytest

import derive
from derive.latex.chains import Segment
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
