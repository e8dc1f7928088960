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
