"""A long row-final remark gets a line of its own in an annotated copy, and nowhere else;
an ``=`` inside parentheses does not cut a quoted member (issue 22's layout)."""

from __future__ import annotations

import pytest

from derive.report.notes import display_blocks, write_annotated_notes
from derive.report.remarks import MIN_REMARK, remark_breaks
from derive.report.rows import member_text, row_members

LONG = r"\text{(where I is 1 when y = k and 0 otherwise, for every sample)}"
assert len(LONG) > MIN_REMARK


def _breaks(src: str, markdown: bool = True) -> list[tuple[int, str]]:
    return remark_breaks(src, [b[:2] for b in display_blocks(src)], markdown)


@pytest.mark.parametrize("src, broken", [
    (r"\begin{align} a &= b \qquad " + LONG + r" \\ &= c \end{align}", True),
    (r"\begin{align*} a &= b \quad " + LONG + r" \end{align*}", True),
    (r"\begin{gather} a = b \qquad " + LONG + r" \end{gather}", True),
    ("$$ a = b \\qquad " + LONG + " $$", True),  # Markdown: becomes a gather*
    (r"$$ \begin{aligned} a &= b \qquad " + LONG + r" \end{aligned} $$", True),
    # a short remark fits beside its formula
    (r"\begin{align} a &= b \qquad \text{(by (3))} \end{align}", False),
    # a remark that carries the row's tag or label stays with it
    (r"\begin{align} a &= b \qquad " + LONG + r" \label{eq:x} \end{align}", False),
    (r"\begin{align} a &= b \qquad " + LONG + r" \tag{4} \end{align}", False),
    # inside braces it is part of a formula, not a remark
    (r"\begin{align} a &= \underbrace{b \qquad " + LONG + r"}_{n} \end{align}", False),
    # a wide space before more maths is not a remark
    (r"\begin{align} a &= b \qquad c = d + e + f + g + h + i + j + k + l + m \end{align}",
     False),
    # an equation cannot hold a second row
    (r"\begin{equation} a = b \qquad " + LONG + r" \end{equation}", False),
])
def test_where_a_remark_is_moved(src: str, broken: bool) -> None:
    assert bool(_breaks(src)) == broken


def test_a_single_display_of_a_tex_document_is_left_alone() -> None:
    r"""``\[ … \]`` in a LaTeX document cannot hold ``\\``: no break there."""
    src = r"\[ a = b \qquad " + LONG + r" \]"
    assert _breaks(src, markdown=False) == []
    assert _breaks(src, markdown=True) != []


def test_the_mark_stays_on_the_row_and_the_remark_is_unnumbered(tmp_path) -> None:
    src = ("\\documentclass{article}\n\\begin{document}\n\\begin{align}\n"
           "a &= b \\qquad " + LONG + " \\\\\n&= b\n\\end{align}\n\\end{document}\n")
    res = [{"file": "n.tex", "line": 4, "column": 6, "chain": 1, "step": 1,
            "verdict": "proved"},
           {"file": "n.tex", "line": 5, "column": 3, "chain": 1, "step": 2,
            "verdict": "proved"}]
    out = open(write_annotated_notes("n.tex", src, res, str(tmp_path))).read()
    row = out[out.index("a &= b"):]
    # the row, its mark, the break, the aligned remark without a number, then the next row
    assert row.index(r"\derivestep{1}{1}") < row.index(r"\\ &\qquad \text{(where")
    assert row.index(r"\notag") < row.index(r"\derivestep{1}{2}")
    assert row.count(r"\notag") == 1


def test_an_equals_sign_inside_parentheses_is_not_a_member_boundary() -> None:
    t = r"- \sum_i \nabla \log p(y^{(i)} = k \mid x^{(i)}; \theta) = c"
    members = [member_text(t, m) for m in row_members(t, (0, len(t)))]
    assert members == [r"- \sum_i \nabla \log p(y^{(i)} = k \mid x^{(i)}; \theta)", "c"]
    # an unmatched parenthesis (a half-open interval) does not swallow the next '='
    t = r"x \in (0, 1] = y"
    assert [t[a:b].strip() for a, b in row_members(t, (0, len(t)))] == [r"x \in (0, 1]", "y"]
