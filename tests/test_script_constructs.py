"""Scripts and decorations as TeX reads them (issue 19, "Robust reading"; the construct
registry's font and text entries, derive.latex.script_labels).

Four spellings published notes use and the parser used to reject:

- a word as the whole subscript, ``y_\\text{pred}``, ``y_{\\mathrm{pred}}``,
  ``y_{\\text{pred}, i}``: one name of its own (never entry "pred" of ``y``, never a product
  of letters); one upright letter, ``x_\\text{i}``, is the letter (TeX: ``_\\text{i}`` is
  ``_{\\text{i}}``);
- a sign as the whole subscript, ``p_+``, ``p_{-}``: one name;
- a decoration around a subscripted letter, ``\\hat{y_i}``, ``\\mathbb{\\hat{y_i}}``: the
  decorated letter with its subscript (``\\hat{y}_i``), a name distinct from ``y``;
- ``\\exp^{x}`` with no argument after it: ``e^{x}``.

Each has token rows (must apply, must not apply: another script, an argument after
``\\exp^2``, a superscript word) and verdict rows through ``derive verify`` with nothing
declared. A verdict row's truth is decided by brute force: both members evaluated in Python
at a grid of small values (``truth`` below), never by derive; a true step must be proved, a
false one refuted.
"""

from __future__ import annotations

import itertools
import math

import pytest

from derive.errors import DeriveError
from derive.latex.tokens import tokenize
from derive.latex.verify import verify_file


def values(text: str) -> list[str]:
    return [t.value for t in tokenize(text, 1, 1)]


def verdicts(tmp_path, body: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return [r["verdict"] for r in verify_file(str(p))]


def truth(lhs, rhs, names: int, sizes=(1, 2, 3)) -> bool:
    """Whether ``lhs == rhs`` at every point of a small grid: ``names`` scalar inputs from
    {-1.5, 0.5, 2}, and (for a sum) every size in ``sizes`` with vectors drawn likewise."""
    grid = (-1.5, 0.5, 2.0)
    for n in sizes:
        for point in itertools.product(grid, repeat=names):
            vec = [point[k % names] + 0.25 * k for k in range(n)] if names else []
            if not math.isclose(lhs(point, vec), rhs(point, vec), rel_tol=1e-12,
                                abs_tol=1e-12):
                return False
    return True


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


# -- a word as the whole subscript: one name ------------------------------------------------
WORD_LABELS = [r"y_\text{pred}", r"y_{\text{pred}}", r"y_{\mathrm{pred}}", r"y_\mathrm{pred}",
               r"y_{\operatorname{pred}}", r"y_{ \text{pred} }", r"y_{\textrm{pred}}"]


@pytest.mark.parametrize("written", WORD_LABELS)
def test_a_word_subscript_is_one_name(written):
    assert values(f"{written} + 1") == [r"y_{\text{pred}}", "+", "1"]


@pytest.mark.parametrize("written, expected", [
    (r"y_{\text{pred}, i}", [r"y_{\text{pred}}", "_", "{", "i", "}"]),   # entry i of the name
    (r"y_{\text{pred},i}^2", [r"y_{\text{pred}}", "_", "{", "i", "}", "^", "2"]),
    (r"x_\text{i}", ["x", "_", "i"]),                                     # one upright letter
    (r"x_{\text{i}}", ["x", "_", "{", "i", "}"]),
    (r"\hat{y}_{\text{pred}}", [r"\hat{y}_{\text{pred}}"]),              # a decorated base
])
def test_word_subscript_rows(written, expected):
    assert values(written) == expected


def test_a_superscript_word_is_read_as_before():
    # x^{\text{CE}}: an annotation (or a declared name), never folded into a label
    assert values(r"x^{\text{CE}}") == ["x", "^", "{", "CE", "}"]


@pytest.mark.parametrize("written", [
    r"y_{i \text{pred}}",    # no one name; never the entry (i, pred) of y
    r"(a)_{\text{pred}}",    # no letter to label
    r"y_{\text{pred} i}",    # the word and an index without a comma
])
def test_a_word_in_a_subscript_that_labels_no_letter_is_not_read(written):
    with pytest.raises(DeriveError, match="not the label of one symbol"):
        values(written)


# x_new = x_old - 2 (x_old free): brute force decides each step
X_NEW = r"$$ x_{\text{new}} = x_{\text{old}} - 2 $$" + "\n\n"


@pytest.mark.parametrize("step, lhs, rhs", [
    (r"x_{\text{new}} + 2 = x_{\text{old}}", lambda p, v: p[0] - 2 + 2, lambda p, v: p[0]),
    (r"x_\mathrm{new} = x_{\operatorname{old}}", lambda p, v: p[0] - 2, lambda p, v: p[0]),
    (r"2 x_{\text{new}} = x_{\text{old}} + x_{\text{old}} - 4",
     lambda p, v: 2 * (p[0] - 2), lambda p, v: 2 * p[0] - 4),
    (r"x_{\text{new}} = x_{\text{old}} - 1", lambda p, v: p[0] - 2, lambda p, v: p[0] - 1),
])
def test_word_labelled_scalars_by_brute_force(tmp_path, step, lhs, rhs):
    expected = "proved" if truth(lhs, rhs, 1) else "refuted"
    assert verdicts(tmp_path, X_NEW + f"$$ {step} $$") == ["definition", expected]


@pytest.mark.parametrize("step, lhs, rhs, names", [
    # two labels of one letter are two quantities, never one entry at two equal indices
    (r"y_{\text{pred}} - y_{\text{true}} = 0", lambda p, v: p[0] - p[1], lambda p, v: 0, 2),
    (r"y_{\text{pred}} - y_{\text{true}} = y_\text{pred} - y_\mathrm{true}",
     lambda p, v: p[0] - p[1], lambda p, v: p[0] - p[1], 2),
    # x_\text{i} is x_i: a size of 1 and larger
    (r"\sum_{i=1}^{n} x_\text{i} = \sum_{i=1}^{n} x_i", lambda p, v: sum(v),
     lambda p, v: sum(v), 1),
    (r"\sum_{i=1}^{n} x_\text{i} = \sum_{i=1}^{n} x_i^2", lambda p, v: sum(v),
     lambda p, v: sum(t * t for t in v), 1),
])
def test_word_subscripts_by_brute_force(tmp_path, step, lhs, rhs, names):
    # a false relation between inputs only may be unknown (derive.latex.input_relations):
    # never proved
    got = verdicts(tmp_path, f"$$ {step} $$")
    assert got == ["proved"] if truth(lhs, rhs, names) else got in (["refuted"], ["unknown"])


@pytest.mark.parametrize("step, lhs, rhs", [
    # a colliding name: y = 3x and y_pred = 2x are two quantities
    (r"y_{\text{pred}} + y = 5 x", lambda p, v: 2 * p[0] + 3 * p[0], lambda p, v: 5 * p[0]),
    (r"y_{\text{pred}} = y", lambda p, v: 2 * p[0], lambda p, v: 3 * p[0]),
])
def test_a_labelled_name_beside_its_letter_by_brute_force(tmp_path, step, lhs, rhs):
    expected = "proved" if truth(lhs, rhs, 1) else "refuted"
    body = "$$ y = 3 x $$\n\n$$ y_{\\text{pred}} = 2 x $$\n\n" + f"$$ {step} $$"
    assert verdicts(tmp_path, body) == ["definition", "definition", expected]


# -- a sign as the whole subscript ----------------------------------------------------------
@pytest.mark.parametrize("written, expected", [
    (r"p_+", ["p_{+}"]), (r"p_{+}", ["p_{+}"]), (r"p_{ - }", ["p_{-}"]), (r"p_-", ["p_{-}"]),
    (r"\hat{p}_+", [r"\hat{p}_{+}"]),
    (r"x_{+1}", ["x", "_", "{", "+", "1", "}"]),       # a signed number: not a label
    (r"x_{i+1}", ["x", "_", "{", "i", "+", "1", "}"]),
    (r"\sum_+ x", [r"\sum", "_", "+", "x"]),            # no letter to label
])
def test_sign_subscript_rows(written, expected):
    assert values(written) == expected


P_PLUS = "$$ p_+ = \\frac{1}{1+e^{-z}} $$\n\n$$ p_{-} = 1 - p_+ $$\n\n"


@pytest.mark.parametrize("step, lhs, rhs", [
    (r"p_+ + p_- = 1", lambda p, v: sigmoid(p[0]) + 1 - sigmoid(p[0]), lambda p, v: 1),
    (r"p_{+} = p_{-}", lambda p, v: sigmoid(p[0]), lambda p, v: 1 - sigmoid(p[0])),
    (r"p_- = \frac{1}{1+e^{z}}", lambda p, v: 1 - sigmoid(p[0]), lambda p, v: sigmoid(-p[0])),
])
def test_sign_labels_by_brute_force(tmp_path, step, lhs, rhs):
    expected = "proved" if truth(lhs, rhs, 1) else "refuted"
    assert verdicts(tmp_path, P_PLUS + f"$$ {step} $$")[-1] == expected


# -- a decoration around a subscripted letter -----------------------------------------------
@pytest.mark.parametrize("written, expected", [
    (r"\hat{y_i}", [r"\hat{y}", "_", "i"]),
    (r"\hat{y_{i}}^{2}", [r"\hat{y}", "_", "{", "i", "}", "^", "{", "2", "}"]),
    (r"\mathbb{\hat{y_i}}", [r"\mathbb{\hat{y}}", "_", "i"]),
    (r"\widehat{\textbf w}", [r"\widehat{\mathbf{w}}"]),
    (r"\mathcal{L_{\log}}", [r"\mathcal{L}", "_", "{", r"\log", "}"]),
    (r"\bar{\theta_j}", [r"\bar{\theta}", "_", "j"]),
    (r"\hat{y}", [r"\hat{y}"]),                          # as before
    (r"\hat{\mathbf{y}}", [r"\hat{\mathbf{y}}"]),        # as before: a name of its own
])
def test_decorated_subscript_rows(written, expected):
    assert values(written) == expected


@pytest.mark.parametrize("written", [r"\hat{x^2}", r"\hat{y_i z}", r"\hat{2_i}"])
def test_a_decoration_around_more_than_a_subscripted_letter_is_not_read(written):
    with pytest.raises(DeriveError, match="expects one letter"):
        values(written)


@pytest.mark.parametrize("step, same", [
    (r"\sum_{i=1}^n \hat{y_i} = \sum_{i=1}^n \hat{y}_i", True),
    (r"\sum_{i=1}^n \mathbb{\hat{y_i}} + 1 = \sum_{i=1}^n \mathbb{\hat{y}}_i + 1", True),
    # \hat{y_i} is never y_i, and \mathbb{\hat{y}} never \hat{y}
    (r"\sum_{i=1}^n \hat{y_i} = \sum_{i=1}^n y_i", False),
    (r"\sum_{i=1}^n \mathbb{\hat{y_i}} = \sum_{i=1}^n \hat{y}_i", False),
])
def test_decorated_names_by_brute_force(tmp_path, step, same):
    # two distinct vectors a, b of length n (n = 1, 2, 3): the sum of a against that of
    # either a (the same name) or b (another name)
    lhs = lambda p, v: sum(v)  # noqa: E731
    rhs = (lambda p, v: sum(v)) if same else (lambda p, v: sum(v) + 1)  # b = a + 1/n
    got = verdicts(tmp_path, f"$$ {step} $$")  # inputs only: a false one may be unknown
    assert got == ["proved"] if truth(lhs, rhs, 1) else got in (["refuted"], ["unknown"])


# -- \exp^{x} with no argument is e^{x} ----------------------------------------------------
@pytest.mark.parametrize("written, expected", [
    (r"\exp^{x}", ["e", "^", "{", "x", "}"]),
    (r"1 + \exp^{x} = y", ["1", "+", "e", "^", "{", "x", "}", "=", "y"]),
    (r"(\exp^{-x})", ["(", "e", "^", "{", "-", "x", "}", ")"]),
    (r"\exp^2(x)", [r"\exp", "^", "2", "(", "x", ")"]),    # an argument: a power of exp?
    (r"\exp^{x} y", [r"\exp", "^", "{", "x", "}", "y"]),
    (r"\exp(x)^2", [r"\exp", "(", "x", ")", "^", "2"]),     # as before
    (r"\exp^{x} \cdot y", ["e", "^", "{", "x", "}", r"\cdot", "y"]),
])
def test_exp_power_rows(written, expected):
    assert values(written) == expected


@pytest.mark.parametrize("step, lhs, rhs", [
    (r"\frac{\exp^{z}}{1+\exp^{z}} = \frac{1}{1+e^{-z}}",
     lambda p, v: math.exp(p[0]) / (1 + math.exp(p[0])), lambda p, v: sigmoid(p[0])),
    (r"\log(1 + \exp^{-z}) = \log(1+e^{z})",
     lambda p, v: math.log(1 + math.exp(-p[0])), lambda p, v: math.log(1 + math.exp(p[0]))),
    (r"\exp^{z} \cdot \exp^{z} = e^{2z}", lambda p, v: math.exp(p[0]) ** 2,
     lambda p, v: math.exp(2 * p[0])),
])
def test_exp_powers_by_brute_force(tmp_path, step, lhs, rhs):
    expected = "proved" if truth(lhs, rhs, 1) else "refuted"
    assert verdicts(tmp_path, f"$$ {step} $$") == [expected]


@pytest.mark.parametrize("step", [
    r"\exp^2(z) = e^{2z}",            # (\exp z)^2 or \exp(z^2)? not read
    r"\exp^{z} \exp^{z} = e^{2z}",    # the second exp may be the first one's argument
])
def test_exp_with_an_argument_after_its_superscript_stays_unread(tmp_path, step):
    assert verdicts(tmp_path, f"$$ {step} $$") == ["unknown"]


# -- a \left...\right group as a script (MathJax: x^\left(1 - x\right) is x^{(1 - x)}) -------
@pytest.mark.parametrize("written, same_as", [
    (r"x^\left(1 - x\right) + 1", r"x^{(1 - x)} + 1"),
    (r"x^\left(\frac{a}{b}\right)", r"x^{(\frac{a}{b})}"),
    (r"x_\left[i\right] y", r"x_{[i]} y"),
    (r"x^\left(a^\left(b\right)\right) c", r"x^{(a^{(b)})} c"),       # nested
    (r"\left(a\right)^2", r"(a)^2"),                                    # no script: as before
    (r"x^{\left(a\right)}", r"x^{(a)}"),                                # braced: as before
])
def test_left_right_script_rows(written, same_as):
    assert values(written) == values(same_as)


@pytest.mark.parametrize("step, lhs, rhs", [
    (r"e^\left(2 z\right) = e^{z} e^{z}", lambda p, v: math.exp(2 * p[0]),
     lambda p, v: math.exp(p[0]) ** 2),
    (r"e^\left(2 z\right) = e^{z}", lambda p, v: math.exp(2 * p[0]),
     lambda p, v: math.exp(p[0])),
])
def test_left_right_scripts_by_brute_force(tmp_path, step, lhs, rhs):
    expected = "proved" if truth(lhs, rhs, 1) else "refuted"
    assert verdicts(tmp_path, f"$$ {step} $$") == [expected]


# -- an empty group after a complete group is nothing (TeX's empty atom) ---------------------
@pytest.mark.parametrize("written, same_as", [
    (r"\frac{a}{b}{} = c", r"\frac{a}{b} = c"),
    (r"x^{2}{} y", r"x^{2} y"),
    (r"a{}b", r"a b"),
])
def test_an_empty_group_after_a_group_is_nothing(written, same_as):
    assert values(written) == values(same_as)


@pytest.mark.parametrize("written, expected", [
    (r"\frac{a}{}", [r"\frac", "{", "a", "}", "{", "}"]),   # frac's second argument: kept
    (r"x^{} y", ["x", "^", "{", "}", "y"]),                  # a script's argument: kept
])
def test_an_empty_argument_is_kept(written, expected):
    assert values(written) == expected


@pytest.mark.parametrize("step, lhs, rhs", [
    (r"\frac{\partial}{\partial z}{} z^2 = 2 z", lambda p, v: 2 * p[0], lambda p, v: 2 * p[0]),
    (r"\frac{\partial}{\partial z}{} z^2 = z", lambda p, v: 2 * p[0], lambda p, v: p[0]),
])
def test_empty_groups_by_brute_force(tmp_path, step, lhs, rhs):
    expected = "proved" if truth(lhs, rhs, 1) else "refuted"
    assert verdicts(tmp_path, f"$$ {step} $$") == [expected]


# -- operators derive does not know: named, never a letter (constructs.UNKNOWN_OPERATORS) ---
@pytest.mark.parametrize("step", [
    r"\mathbb{E}[c] = c",                 # true for every distribution: never refuted
    r"\mathbb{E}_{x}[c] = c",             # a subscript never makes it a tensor E_x
    r"\mathbb{E}[a x + b] = a \mathbb{E}[x] + b",
    r"\mathrm{E}[c] = c", r"\operatorname{E}_{x}[c] = c", r"\text{E}(c) = c",
    r"\mathrm{E}\left[c\right] = c",
    r"\mathbb{P}(y = 1) + \mathbb{P}(y = 0) = 1",
])
def test_an_expectation_is_an_unknown_operator_named(tmp_path, step):
    p = tmp_path / "n.md"
    p.write_text(f"$$ {step} $$\n")
    (rec,) = verify_file(str(p))
    assert rec["verdict"] == "unknown"
    assert "(an expectation)" in rec["note"] or "(a probability)" in rec["note"]


@pytest.mark.parametrize("written, expected", [
    (r"\mathrm{E} = m c^2", ["E", "=", "m", "c", "^", "2"]),   # alone: the letter E
    (r"x^{\mathrm{E}}", ["x", "^", "{", "E", "}"]),
    (r"\mathbf{E} x", [r"\mathbf{E}", "x"]),                  # a bold E: a matrix name
    (r"\mathbb{R}^n", [r"\mathbb{R}", "^", "n"]),              # a set: as before
])
def test_letters_that_are_not_unknown_operators(written, expected):
    assert values(written) == expected


def test_an_expectation_in_a_declaration_is_an_error():
    with pytest.raises(DeriveError, match=r"\\mathbb\{E\} \(an expectation\)"):
        values(r"\mathbb{E}[x]")


# -- a condition word in math italics between control spaces: "\ where\ " -------------------
def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.type, t.value) for t in tokenize(text, 1, 1)]


@pytest.mark.parametrize("written, same_as", [
    (r"X = 1 \ where\ x", r"X = 1 \text{where} x"),
    (r"a = b \ if\ c", r"a = b \text{if} c"),
])
def test_a_spaced_condition_word_is_the_word(written, same_as):
    assert kinds(written) == kinds(same_as)
    assert "where" in str(kinds(written)) or "if" in str(kinds(written))


@pytest.mark.parametrize("written, expected", [
    # not a condition word, or not between control spaces: the letters, as before
    (r"a\ bc\ d", [("LETTER", c) for c in "abcd"]),
    (r"a = when", [("LETTER", "a"), ("EQ", "=")] + [("LETTER", c) for c in "when"]),
    (r"a \ when", [("LETTER", "a")] + [("LETTER", c) for c in "when"]),
])
def test_letters_between_control_spaces_that_are_no_condition_word(written, expected):
    assert kinds(written) == expected


@pytest.mark.parametrize("written", [r"a = where", r"a \ where"])
def test_a_word_not_between_control_spaces_is_a_word_in_maths(written):
    # five letters side by side are a word, never a product (tokens._LETTER_RUN): unread,
    # an error where nothing may be unread
    with pytest.raises(DeriveError, match=r"a word in maths \('where'\)"):
        kinds(written)


@pytest.mark.parametrize("body", [
    r"$$ y = x^2 + 1 {WORD} x = 3 $$",
    r"$$ 2 y = y + y {WORD} y \in R $$",
])
def test_a_spaced_condition_word_reads_as_the_text_word(tmp_path, body):
    spaced = verdicts(tmp_path, body.replace("{WORD}", r"\ where\ "))
    worded = verdicts(tmp_path, body.replace("{WORD}", r"\text{ where }"))
    assert spaced == worded and spaced


# -- \frac12: TeX's arguments are one character each ----------------------------------------
@pytest.mark.parametrize("written, expected", [
    (r"\frac12 x", [r"\frac", "1", "2", "x"]),
    (r"\frac 12", [r"\frac", "1", "2"]),
    (r"\frac1n", [r"\frac", "1", "n"]),                                # as before
    (r"\frac{12}{3}", [r"\frac", "{", "12", "}", "{", "3", "}"]),      # braced: as before
    (r"x_{12}", ["x", "_", "{", "12", "}"]),                              # no \frac
])
def test_frac_digit_rows(written, expected):
    assert values(written) == expected


def test_digits_after_frac_of_two_digits_are_not_read():
    with pytest.raises(DeriveError, match=r"digits right after \\frac12"):
        values(r"\frac123")


@pytest.mark.parametrize("step, lhs, rhs", [
    (r"\frac12 z + \frac12 z = z", lambda p, v: p[0] / 2 + p[0] / 2, lambda p, v: p[0]),
    (r"\frac12 z = z", lambda p, v: p[0] / 2, lambda p, v: p[0]),
    (r"\frac 13 z^2 = \frac{z^2}{3}", lambda p, v: p[0] ** 2 / 3, lambda p, v: p[0] ** 2 / 3),
    (r"\frac 13 z = \frac{z}{12}", lambda p, v: p[0] / 3, lambda p, v: p[0] / 12),
])
def test_frac_digits_by_brute_force(tmp_path, step, lhs, rhs):
    expected = "proved" if truth(lhs, rhs, 1) else "refuted"
    assert verdicts(tmp_path, f"$$ {step} $$") == [expected]
