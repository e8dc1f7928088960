"""Spellings of published notes read through the construct registry (issue 19, items 1-2).

Each construct has a case table (the block with it reads as the plain spelling, and a true
step is proved and a false one refuted through ``derive verify`` with nothing declared),
then the rows where its rule must NOT apply: another spelling, a colliding user name, the
same letters somewhere the rule does not cover. The truth of each step is decided by hand
at a brute-force size in the comment beside it.
"""

from __future__ import annotations

import pytest

from derive.latex import ast
from derive.latex.parser import parse_block
from derive.latex.verify import verify_file


def read(text: str) -> list[ast.Chain]:
    return parse_block(text, 1, 1, source="n.md", tolerant=True)


def notes(tmp_path, body: str) -> list[dict]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return verify_file(str(p))


def verdicts(tmp_path, body: str) -> list[str]:
    return [r["verdict"] for r in notes(tmp_path, body)]


# -- an upright T alone in a superscript is the transpose ---------------------------------
UPRIGHT_T = [r"x^{\text{T}}", r"x^\text{T}", r"x^{\mathrm{T}}", r"x^\mathrm{T}",
             r"x^{\mathsf{T}}", r"x^\mathsf{T}", r"x^{\textrm{T}}", r"x^{\text T}"]


@pytest.mark.parametrize("written", UPRIGHT_T)
def test_an_upright_t_superscript_is_the_transpose(written):
    assert read(f"a = {written} y") == read(r"a = x^{\top} y")


@pytest.mark.parametrize("written", UPRIGHT_T[:3])
@pytest.mark.parametrize("rhs, expected", [
    (r"\sum_{i=1}^{D} w_i x_i", "proved"),
    (r"\sum_{i=1}^{D} w_i x_i + 1", "refuted"),    # D = 1, w = x = 0: 0 vs 1
    (r"\sum_{i=1}^{D} 2 w_i x_i", "refuted"),      # D = 1, w = x = 1: 1 vs 2
])
def test_an_upright_transpose_is_read_in_a_step(tmp_path, written, rhs, expected):
    w = written.replace("x^", "w^")
    assert verdicts(tmp_path, f"$$ {w} x = {rhs} $$") == [expected]


@pytest.mark.parametrize("written", [
    r"x^{\text{t}}",         # another letter: an annotation, not read
    r"x^{\text{T} 2}",       # T is not the whole superscript
    r"x^{\text{Tr}}",        # a word
    r"x_{\text{T}}",         # a subscript: a label, never a transpose
])
def test_an_upright_t_that_is_not_the_whole_superscript_is_not_a_transpose(written):
    assert read(f"a = {written} y") != read(r"a = x^{\top} y")


def test_a_scalar_named_t_keeps_italic_powers_and_upright_transposes(tmp_path):
    # a declared scalar T: a^T is a power (unknown: a symbolic power), a^{\text{T}} is the
    # transpose of a scalar, never a power: a^{\text{T}} a^2 = a^{T+2} is not proved
    head = "% derive: scalar T, a\n\n"
    assert read(r"a^{T}") != read(r"a^{\text{T}}")
    out = verdicts(tmp_path, head + r"$$ a^{\text{T}} a^{2} = a^{T+2} $$")
    assert out != ["proved"], out


# -- TeX's one-character argument: \textbf X is \textbf{X} ---------------------------------
@pytest.mark.parametrize("written, plain", [
    (r"\textbf X", r"\mathbf{X}"),
    (r"\textbf x + 1", r"\mathbf{x} + 1"),
    (r"\mathrm d", "d"),
])
def test_a_text_command_takes_one_character_without_braces(written, plain):
    assert read(f"a = {written}") == read(f"a = {plain}")


@pytest.mark.parametrize("written, plain", [(r"\textbf Xy", r"\mathbf{X} y"),
                                            (r"\textbf xy", r"\mathbf{x} y")])
def test_a_bare_text_argument_is_one_character_only(written, plain):
    # TeX takes the one character X; y is a factor of its own, never part of the name
    assert read(f"a = {written}") == read(f"a = {plain}")


# -- a \text{word} opening an equation names what it defines -------------------------------
WORDS = "$$ \\text{error} = a - b $$\n\n$$ \\text{gap} = a + b $$\n\n"


@pytest.mark.parametrize("step, expected", [
    (r"2 \cdot \text{error} = 2 a - 2 b", "proved"),
    (r"2 \cdot \text{error} = 2 a + 2 b", "refuted"),       # a = 0, b = 1: -2 vs 2
    (r"\text{error} + \text{gap} = 2 a", "proved"),
    (r"\text{error} \cdot \text{gap} = a^2 - b^2", "proved"),
    (r"\text{error} + \text{gap} = 2 b", "refuted"),        # a = 1, b = 0: 2 vs 0
])
def test_a_word_that_an_equation_defines_is_a_name(tmp_path, step, expected):
    out = verdicts(tmp_path, WORDS + f"$$ {step} $$")
    assert out == ["definition", "definition", expected], out


def test_a_defined_word_in_aligned_rows(tmp_path):
    body = ("$$ \\begin{aligned} \\text{loss} &= (a - b)^2 \\\\ &= a^2 - 2 a b + b^2 "
            "\\end{aligned} $$\n\n$$ \\text{loss} = (b - a)^2 $$")
    assert verdicts(tmp_path, body) == ["definition", "proved", "proved"]


@pytest.mark.parametrize("written", [
    r"\text{where} = a - b",     # a condition word, never a name
    r"\text{and} = a - b",       # a connective
    r"\text{the error} = a - b",  # two words
    r"\text{error} == a - b",    # not an equation
])
def test_a_word_that_is_not_a_defined_name_stays_unread(written):
    (chain,) = read(written)[:1]
    assert not any(isinstance(m, ast.Letter) and m.name.startswith("\\text")
                   for m in chain.members), chain


def test_a_word_after_other_math_is_not_a_name():
    # "a + \text{error} = b": the word is not the equation's first member
    chains = read(r"a + \text{error} = a - b")
    assert not any(isinstance(n, ast.Letter) and n.name == r"\text{error}"
                   for n in ast.walk(tuple(chains))), chains


def test_a_word_the_notes_never_define_is_no_quantity(tmp_path):
    # without its definition, \text{error} in a product is a remark: the step is unknown,
    # never proved or refuted as if error were an independent quantity
    out = verdicts(tmp_path, r"$$ 2 \cdot \text{error} = 2 a - 2 b $$")
    assert out == ["unknown"] or all(v == "unknown" for v in out), out


@pytest.mark.parametrize("sep, expected", [
    (r"\quad\text{and}\quad", ["proved", "refuted"]),
    # two definitions separated by \qquad or ',' are both read (def29)
    (r"\qquad", ["proved", "refuted"]),
    (",", ["proved", "refuted"]),
])
def test_two_definitions_on_one_display_line(tmp_path, sep, expected):
    # dev a10: "t_i = s e^{x_i} \qquad s = (\sum_j e^{x_j})^{-1}"; Σ t_i = 1 by construction;
    # "\quad\text{and}\quad s = ..." was blanked as a remark and s read as independent
    text = (rf"$$t_i=s e^{{x_i}} {sep} s=\left(\sum_{{j=1}}^n e^{{x_j}}\right)^{{-1}}$$"
            "\n\n$$\\sum_{i=1}^n t_i = 1$$\n\n$$\\sum_{i=1}^n t_i = 2$$")
    out = verdicts(tmp_path, text)
    assert out[-2:] == expected, out
