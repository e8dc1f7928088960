"""Macros the notes define (issue 9): expanded by substitution only, with the cases where
expansion must not apply (a name that is a prefix of another, an escaped backslash, a use
before the definition) and the errors (argument count, a macro that uses itself, a body that
runs TeX code), each naming file:line:column; the rest of the file is still checked."""

from __future__ import annotations

import pytest

from derive.errors import DeriveError
from derive.latex.chains import extract
from derive.latex.macros import MAX_STEPS, expand, find_definitions
from derive.latex.verify import verify_file

from .cpu_timing import cpu_limit

SOFTMAX = r"""% derive: size K
% derive: index i, j, k, c in 1..K
% derive: tensor z_i, y_i
% derive: let p_i = \frac{e^{z_i}}{\sum_{c=1}^K e^{z_c}}
"""


def expanded(defs: str, formula: str) -> str:
    macros = find_definitions(defs, "n.tex").visible(10**9)
    return expand(formula, 1, 1, macros, "n.tex")[0]


@pytest.mark.parametrize("defs, formula, result", [
    (r"\newcommand{\x}{z}", r"\x + \xi", r"z + \xi"),  # \x is not the start of \xi
    (r"\newcommand{\x}{z}", r"\xi_\x", r"\xi_z"),
    (r"\newcommand{\vz}[1]{z_{#1}}", r"\vz{i} + \vz j", r"z_{i} + z_{j}"),
    (r"\newcommand{\vz}[1]{z_{#1}}", r"\vz\alpha", r"z_{\alpha}"),
    (r"\newcommand{\pd}[2]{\frac{\partial #1}{\partial #2}}", r"\pd{L}{z_j}",
     r"\frac{\partial L}{\partial z_j}"),
    (r"\newcommand{\pd}[2]{\frac{\partial #1}{\partial #2}}", r"\pd{\log p_{i}}{z_{j}}",
     r"\frac{\partial \log p_{i}}{\partial z_{j}}"),  # nested braces in an argument
    (r"\newcommand{\sw}[2]{#2 #1}", r"\sw{a}{b}", r"b a"),  # arguments in any order
    (r"\newcommand{\tw}[1]{#1 + #1}", r"\tw{z}", r"z + z"),
    (r"\newcommand{\e}[1][k]{e_{#1}}", r"\e + \e[j]", r"e_{k} + e_{j}"),  # optional argument
    (r"\renewcommand{\vec}[1]{\mathbf{#1}}", r"\vec{x}", r"\mathbf{x}"),
    (r"\DeclareMathOperator{\sm}{softmax}", r"\sm(z)", r"\operatorname{softmax}(z)"),
    (r"\DeclareMathOperator*{\am}{arg\,max}", r"\am", r"\operatorname{arg\,max}"),
    (r"\def\R{\mathbb{R}}", r"x \in \R^K", r"x \in \mathbb{R}^K"),
    (r"\def\f#1#2{#1^{#2}}", r"\f{a}{b}", r"a^{b}"),
    (r"\newcommand\p{p}", r"\p_i", r"p_i"),  # the name without braces
    (r"\newcommand{\a}{\b} \newcommand{\b}{c}", r"\a", r"c"),  # a body using another macro
    (r"\newcommand{\x}{z}", r"a \\x", r"a \\x"),  # \\ then x is a line break, not \x
    (r"\newcommand{\s}{\sigma}", r"\s x", r"\sigma x"),  # the body stays apart from x
])
def test_expansion_substitutes_only(defs, formula, result):
    assert expanded(defs, formula) == result


@pytest.mark.parametrize("defs, formula, message", [
    (r"\newcommand{\pd}[2]{\frac{\partial #1}{\partial #2}}", r"a = \pd{L} = b",
     r"n\.tex:1:5: \\pd takes 2 arguments but 1 is written: expected \\pd\{\.\.\}\{\.\.\}"),
    (r"\newcommand{\pd}[2]{#1 #2}", r"\pd", r"n\.tex:1:1: \\pd takes 2 arguments but 0 are"),
    (r"\newcommand{\a}{\a x}", r"y + \a", rf"n\.tex:1:5: macro expansion exceeded {MAX_STEPS}"),
    (r"\newcommand{\a}{\b} \newcommand{\b}{\a}", r"\a", r"exceeded .* steps at \\[ab]"),
    (r"\newcommand{\a}{\a\a}", r"\a", r"exceeded"),  # doubling: the step budget ends it
    (r"\newcommand{\a}[1]{#1#1#1#1#1#1#1#1#1#1}", r"\a{\a{\a{\a{\a{\a{xxxxxxxxx}}}}}}",
     r"exceeded"),  # nested copies: many steps
    (r"\newcommand{\a}[1]{#1#1#1#1#1#1#1#1#1#1}", r"\a{" + "x" * 25_000 + "}",
     r"n\.tex:1:1: macro expansion of \\a grew the formula past"),
    (r"\newcommand{\a}{\def\b{c}}", r"\a", r"\\a is not expanded: n\.tex:1:1: .*uses \\def"),
    (r"\newcommand{\a}{#2}", r"\a", r"uses #2 but 0 argument\(s\) are declared"),
])
def test_expansion_errors_name_the_call(defs, formula, message):
    with cpu_limit(5.0), pytest.raises(DeriveError, match=message):  # CPU: load-proof
        expanded(defs, formula)


@pytest.mark.parametrize("defs, message", [
    (r"\newcommand{\a}", "expected the body in braces"),
    (r"\def\a#1.{x}", r"delimited parameters are not"),
    (r"\newcommand{}{x}", "expected a command name"),
])
def test_malformed_definitions_say_where(defs, message):
    with pytest.raises(DeriveError, match=rf"n\.tex:2:1: .*{message}"):
        extract(f"intro\n{defs}\n$$a = b$$\n", "n.tex")


def test_verify_expands_definitions_anywhere(tmp_path):
    p = tmp_path / "n.tex"
    p.write_text(SOFTMAX + r"""\newcommand{\pd}[2]{\frac{\partial #1}{\partial #2}}
\DeclareMathOperator{\sm}{softmax}
\[ \pd{p_i}{z_j} = p_i (\delta_{ij} - p_j) \]
\[ \pd{p_i}{z_j} = p_i \delta_{ij} \]
\[ \sm(z)_j = p_j \]
\[ \newcommand{\y}{y} \sum_k \y_k p_j = p_j \sum_k y_k \]
""")
    got = [r["verdict"] for r in verify_file(str(p))]
    assert got == ["proved", "refuted", "proved", "proved"]


def test_use_before_definition_and_errors_leave_the_rest_checked(tmp_path):
    p = tmp_path / "n.tex"
    p.write_text(SOFTMAX + r"""\[ \zz_i = z_i \]
\newcommand{\zz}{z}
\newcommand{\pd}[2]{\frac{\partial #1}{\partial #2}}
\newcommand{\loop}{\loop}
\[ \zz_i = z_i \]
\[ a = \pd{p_i} \]
\[ \loop = z_i \]
\[ z_i + z_j = z_j + z_i \]
""")
    recs = verify_file(str(p))
    assert [r["verdict"] for r in recs] == ["unknown", "proved", "unknown", "unknown", "proved"]
    assert "n.tex:5:4: unsupported command \\zz" in recs[0]["note"]  # not yet defined there
    assert "n.tex:10:8: \\pd takes 2 arguments but 1 is written" in recs[2]["note"]
    assert "n.tex:11:4: macro expansion exceeded" in recs[3]["note"]


def test_an_error_inside_an_expansion_points_at_the_call(tmp_path):
    p = tmp_path / "n.tex"
    p.write_text(SOFTMAX + "\\newcommand{\\bad}{\\qq}\n\\[ z_i = \\bad \\]\n")
    (r,) = verify_file(str(p))
    assert r["verdict"] == "unknown" and "n.tex:6:10: unsupported command \\qq" in r["note"]


def test_declarations_use_the_notes_macros(tmp_path):
    p = tmp_path / "n.tex"
    p.write_text(r"""% derive: size K
% derive: index i, j, k in 1..K
% derive: tensor \vz_i
% derive: let \pp_i = \frac{e^{\vz_i}}{\sum_{k=1}^K e^{\vz_k}}
\newcommand{\vz}{\mathbf{z}}
\newcommand{\pp}{\hat{p}}
\[ \frac{\partial \pp_i}{\partial \vz_j} = \pp_i (\delta_{ij} - \pp_j) \]
\[ \frac{\partial \hat{p}_i}{\partial \mathbf{z}_j} = \hat{p}_i \delta_{ij} \]
""")
    assert [r["verdict"] for r in verify_file(str(p))] == ["proved", "refuted"]


def test_a_directive_with_a_bad_macro_call_is_located(tmp_path):
    p = tmp_path / "n.tex"
    p.write_text("\\newcommand{\\f}[2]{#1_{#2}}\n% derive: tensor \\f{z}\n$$ a = a $$\n")
    with pytest.raises(DeriveError, match=r"n\.tex:2:\d+: \\f takes 2 arguments"):
        verify_file(str(p))
