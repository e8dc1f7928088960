"""The construct registry (issue 19): presentation is transparent, an unknown construct
makes only its own links unknown, relations and ``\\quad`` between equations separate chains.

One row per spelling: the block with the construct reads exactly as the plain block (the
syntax trees compare equal; positions are not compared). Then the rows where a rule must
NOT apply.
"""

from __future__ import annotations

import pytest

from derive.latex import ast
from derive.latex.constructs import REGISTRY, lookup
from derive.latex.parser import parse_block
from derive.latex.verify import verify_file


def read(text: str) -> list[ast.Chain]:
    return parse_block(text, 1, 1, source="n.md", tolerant=True)


# (written, read as)
TRANSPARENT = [
    (r"a = b \, c", "a = b c"),
    (r"a = b \; c \! d", "a = b c d"),
    (r"a = b \quad + c", "a = b + c"),
    (r"a = b \hspace{1em} c", "a = b c"),
    (r"a = b \vspace{2pt} c", "a = b c"),
    (r"a = b \kern 2pt c", "a = b c"),
    (r"a = b \kern{3mu} c", "a = b c"),
    (r"a = {\rm d} c", "a = {d} c"),
    (r"a = {\bf x}", r"a = {\mathbf{x}}"),
    (r"a = \mathsf{T}", "a = T"),
    (r"a = \boldsymbol{\theta}", r"a = \boldsymbol{\theta}"),
    (r"a = \bm x", r"a = \bm{x}"),
    (r"a = \big( b \big)", "a = (b)"),
    (r"a = \Big[ b \Big]", "a = [b]"),
    (r"a = \bigg( b \bigg)", "a = (b)"),
    (r"\displaystyle a = \textstyle b", "a = b"),
    (r"a = \left. b \right.", "a = b"),
    (r"a = \color{red} b", "a = b"),
    (r"a = \textcolor{blue}{b}", "a = {b}"),
    (r"a = b \tag{3}", "a = b"),
    (r"a = b \label{eq:x}", "a = b"),
    (r"a = b \nonumber", "a = b"),
    (r"a = b \notag", "a = b"),
    (r"a = {} b", "a = b"),
    (r"a = x^\mathsf{T} y", r"a = x^\top y"),  # an upright T: the transpose mark
    (r"a = x^\top y", r"a = x^\top y"),
    (r"a = x^{\intercal} y", r"a = x^{\intercal} y"),
    (r"a = x_1 + \dots + x_n", r"a = x_1 + \ldots + x_n"),
    (r"a = x_1 + \dotsc + x_n", r"a = x_1 + \ldots + x_n"),
    (r"a = x_1 + \cdots + x_n", r"a = x_1 + \cdots + x_n"),
    (r"a = \varsigma", r"a = \varsigma"),
    (r"a = \varpi + \varrho", r"a = \varpi + \varrho"),
    (r"\eqalign{ a &= b \\ &= c }", "a = b = c"),
    (r"\boxed{a = b + c}", "a = b + c"),
    (r"a = \frac{b}{c}.", r"a = \frac{b}{c}"),
    (r"a = b, \\ c = d.", r"a = b \\ c = d"),
    (r"\begin{gathered} a = b \end{gathered}", "a = b"),
    (r"\begin{eqnarray} a &=& b \end{eqnarray}", "a = b"),
    (r"a = \begin{cases} 1, & \text{if } i = j \\ 0, & \text{otherwise} \end{cases}",
     r"a = \begin{cases} 1 & \text{if } i = j \\ 0 & \text{otherwise} \end{cases}"),
]


@pytest.mark.parametrize("written, plain", TRANSPARENT, ids=[t[0] for t in TRANSPARENT])
def test_presentation_is_transparent(written, plain):
    assert read(written) == read(plain)


# (written, the chains it is: each a list of member spellings, "?" for an unreadable one)
SEPARATED = [
    # a relation other than '=' is one unknown link, after the block's '=' links; an arrow
    # joins two equations, not two quantities: it makes no link
    (r"a = b \le c = d", [["a", "b"], ["c", "d"], ["b", "?"]]),
    (r"a = b \approx c", [["a", "b"], ["c"], ["b", "?"]]),
    (r"a = b \propto c = d", [["a", "b"], ["c", "d"], ["b", "?"]]),
    (r"a \approx b = c \sim d = e", [["a"], ["b", "c"], ["d", "e"], ["a", "?"], ["c", "?"]]),
    (r"a = b \Rightarrow c = d", [["a", "b"], ["c", "d"]]),
    (r"a = b \implies c = d", [["a", "b"], ["c", "d"]]),
    (r"a = b \quad\implies\quad c = d", [["a", "b"], ["c", "d"]]),
    (r"a = b \rightarrow c = d", [["a", "b"], ["c", "d"]]),
    (r"a = b \to c = d", [["a", "b"], ["c", "d"], ["b", "?"]]),
    (r"a = b < c = d", [["a", "b"], ["c", "d"], ["b", "?"]]),
    (r"a = b \text{and} c = d", [["a", "b"], ["c", "d"]]),
    (r"a = b \quad\text{so}\quad c = d", [["a", "b"], ["c", "d"]]),
    (r"a = b \qquad c = d + e", [["a", "b"], ["c", "d + e"]]),
    (r"a = b \quad c = d + e", [["a", "b"], ["c", "d + e"]]),
    (r"a = b, \quad c = d + e", [["a", "b"], ["c", "d + e"]]),
    (r"a = b, c = d + e", [["a", "b"], ["c", "d + e"]]),
    (r"a = \sqrt{b} = c", [["a", "?", "c"]]),
    (r"a = b = \foo c = d", [["a", "b", "?", "d"]]),
    (r"f: \mathbb{R}^n \to \mathbb{R}", []),
    (r"\sigma: \mathbb{R}^{K} \rightarrow \mathbb{R}^K, \quad s = b", [["s", "b"]]),
]


def _shape(chains: list[ast.Chain]) -> list[list[ast.Node | str]]:
    return [["?" if isinstance(m, ast.Unreadable) else m for m in c.members] for c in chains]


def _plain(spelling: str) -> ast.Node | str:
    return "?" if spelling == "?" else read(spelling)[0].members[0]


@pytest.mark.parametrize("written, chains", SEPARATED, ids=[s[0] for s in SEPARATED])
def test_links_around_a_construct_are_kept(written, chains):
    assert _shape(read(written)) == [[_plain(m) for m in c] for c in chains]


def test_every_unreadable_member_names_its_construct_at_file_line_col():
    (chain,) = read(r"a = b = \foo c = d")
    bad = chain.members[2]
    assert isinstance(bad, ast.Unreadable)
    assert bad.message.startswith("n.md:1:9: unsupported command \\foo"), bad.message


# where a rule must NOT apply
def test_left_paren_is_a_bracket_not_an_invisible_delimiter():
    assert read(r"a = \left( b + c \right) d") == read("a = (b + c) d")
    assert read(r"a = \left( b + c \right) d") != read("a = b + c d")


def test_right_bar_with_a_script_is_an_evaluation_not_transparent():
    (chain,) = read(r"a = \left. b \right|_{x=0}")
    assert isinstance(chain.members[1], ast.Unreadable)
    assert "evaluated at a point" in chain.members[1].message


def test_quad_inside_a_term_is_space_not_a_separator():
    # no '=' after it: the \quad separates nothing (one chain, as today)
    assert read(r"a = b \quad c") == read("a = b c")
    assert read(r"a \quad = b") == read("a = b")


def test_boxed_term_stays_a_group():
    # \boxed{b + c} d is (b + c) d, never b + c d
    assert read(r"a = \boxed{b + c} d") == read("a = {b + c} d")
    assert read(r"a = \boxed{b + c} d") != read("a = b + c d")


def test_a_dot_inside_a_script_is_not_punctuation():
    assert read(r"a = \theta_{.k}.") != read(r"a = \theta_{k}")


def test_empty_script_group_is_not_dropped():
    # x^{} is not x: its member is unreadable, never x times what follows
    (chain,) = read(r"a = x^{} y")
    assert isinstance(chain.members[1], ast.Unreadable)


@pytest.mark.parametrize("written", [r"a = b, \quad x = 1", r"a = b \quad i = j",
                                     r"a = b, \quad \text{if } y = 1"])
def test_a_condition_after_the_formula_makes_its_link_unknown_never_dropped(written):
    # read as two equations, "a = b" would be checked without its condition
    (chain,) = read(written)[:1]
    assert isinstance(chain.members[1], ast.Unreadable), chain
    assert "condition" in chain.members[1].message


def test_relation_inside_a_script_is_unknown_not_a_separator():
    (chain,) = read(r"a = \sum_{i \le j} b_i")
    assert isinstance(chain.members[1], ast.Unreadable)


def test_declarations_stay_strict():
    from derive.errors import DeriveError

    with pytest.raises(DeriveError, match="unsupported command"):
        parse_block(r"a = \sqrt{b}", 1, 1, source="n.md")


def test_registry_meanings_are_known():
    meanings = {"transparent", "keep", "unwrap", "letter", "font", "text", "token",
                "relation", "unsupported"}
    assert {c.meaning for c in REGISTRY.values()} <= meanings
    assert lookup("nosuchcommand").meaning == "unsupported"


HEADER = """% derive: size K
% derive: index i, j in 1..K
% derive: tensor z_i
% derive: scalar a, b
"""


def test_a_block_keeps_a_verdict_for_every_link_it_can_read(tmp_path):
    p = tmp_path / "n.md"
    p.write_text(HEADER + "$$ a + b = b + a \\le a + b + 1 = 1 + b + a "
                 "\\qquad z_i \\hspace{1em} = \\foo z_i = z_i $$\n")
    recs = verify_file(str(p))
    verdicts = [r["verdict"] for r in recs]
    assert verdicts == ["proved", "proved", "unknown", "unknown", "unknown"], recs
    assert "\\le is a relation" in recs[4]["note"]  # after the block's '=' links
    assert "n.md:5:" in recs[2]["note"] and "\\foo" in recs[2]["note"]


def test_two_equations_separated_by_qquad_are_two_chains_not_a_product(tmp_path):
    p = tmp_path / "n.md"
    # read as one chain, "b + a b + b = 2 b" would be a wrong link: a true step refuted
    p.write_text(HEADER + "$$ a + b = b + a \\qquad b + b = 2 b $$\n")
    assert [r["verdict"] for r in verify_file(str(p))] == ["proved", "proved"]


# a misread spelling must never prove a false step (benchmarks/mutation.py mutates these)
@pytest.mark.parametrize("block", [
    r"{\bf x} - x + x = x",   # bold x is not x: read as x, this false step is proved
    r"x = x \quad 2",          # x = 2x: read with \quad as a separator, "x = x" is proved
])
def test_a_misread_spelling_never_proves_a_false_step(tmp_path, block):
    p = tmp_path / "n.md"
    p.write_text("% derive: scalar x, \\mathbf{x}\n$$ " + block + " $$\n")
    recs = verify_file(str(p))
    assert recs and all(r["verdict"] != "proved" for r in recs), recs
    assert any(r["verdict"] == "refuted" for r in recs), recs
