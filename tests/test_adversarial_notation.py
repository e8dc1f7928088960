"""Notation nobody here wrote (issue 18, the third red team): the readings its probes in
``tests/soundness/z*`` found wrong, each fixed at its mechanism and tested where the fix
must act and where it must not (another spelling, another word, a condition derive does
read, an equation after the words).
"""

from __future__ import annotations

from typing import Any

import pytest

from derive.latex.verify import verify_file

HEAD = "% derive: size K\n% derive: index j, k in 1..K\n% derive: tensor z_k\n"


def _records(tmp_path, text: str) -> list[dict[str, Any]]:
    p = tmp_path / "n.md"
    p.write_text(text, encoding="utf-8")
    return verify_file(str(p))


def _kinds(recs: list[dict[str, Any]]) -> list[str]:
    return [r["verdict"] for r in recs]


# --- a condition written in words after the formula (derive/latex/tokens.py, chains.py) --
# "δ_jk = 1 for j = k" is true; read without its condition it was refuted, and the words
# made "j = k" an equation of its own, refuted too.

@pytest.mark.parametrize("step", [
    r"\delta_{jk} = 1 \text{ for } j = k",
    r"\delta_{jk} = 1 \text{ if } j = k",
    r"\delta_{jk} = 1 ~\text{when}~ j = k",
    r"\delta_{jk} = 1, \qquad \text{whenever } j = k",     # once blanked as a remark
    r"\delta_{jk} = 0, \qquad \text{whenever } j \neq k",  # no '=' after the words
    r"\delta_{jk} = 1 \quad \text{provided } j = k",
    r"\delta_{jk} = 1, \ \forall j = k",
    r"\delta_{jk} = 0 \quad \forall j \neq k",
    r"\delta_{jk} = 1 \quad (j = k)",
    r"\delta_{jk} z_j = z_k \text{ for } j = k",
])
def test_a_condition_in_words_is_never_dropped(tmp_path, step):
    recs = _records(tmp_path, HEAD + f"$${step}$$\n")
    assert recs and "refuted" not in _kinds(recs) and "proved" not in _kinds(recs), recs
    assert all("condition written after the formula" in r.get("note", "") for r in recs), recs


@pytest.mark.parametrize("step, verdict", [
    # the condition derive reads (a comma, then the relation): checked under it
    (r"\delta_{jk} = 1, \quad j = k", "proved"),
    (r"\delta_{jk} = 1, \quad \text{if } j = k", "proved"),
    (r"\delta_{jk} = 2, \quad \text{if } j = k", "refuted"),
    # a quantifier over what derive checks for every value anyway: no condition
    (r"z_k - z_k = 0 \quad \forall k", "proved"),
    (r"z_k - z_k = 0 \quad \forall j, k", "proved"),
    (r"z_k - z_k = 0 \text{ for all } k", "proved"),
    (r"\delta_{jk} = 1 \quad \forall j, k", "refuted"),
    (r"z_k + z_k = z_k \quad \forall k", "refuted"),
])
def test_conditions_derive_reads_and_bare_quantifiers(tmp_path, step, verdict):
    recs = _records(tmp_path, HEAD + f"$${step}$$\n")
    assert _kinds(recs) == [verdict], recs


def test_a_value_given_after_where_is_still_a_second_equation(tmp_path):
    """'t_i = s e^{x_i} \\quad \\text{where } s = 2': s is a quantity of the equation before,
    so 's = 2' is its value (a second equation), not a condition."""
    text = ("% derive: size n\n% derive: index i in 1..n\n% derive: tensor x_i\n"
            "% derive: scalar s\n$$s e^{x_i} = e^{x_i} s \\quad \\text{where } s = 2$$\n")
    recs = _records(tmp_path, text)
    assert _kinds(recs)[0] == "proved", recs


def test_a_remark_in_words_is_still_a_remark(tmp_path):
    """'\\qquad \\text{(by the chain rule)}' and '\\quad \\text{for the softmax}' carry no
    relation: blanked as before, the step is checked."""
    for remark in (r"\qquad \text{(by the chain rule)}", r"\quad \text{for the softmax}"):
        recs = _records(tmp_path, HEAD + f"$$2 z_k = z_k + z_k {remark}$$\n")
        assert _kinds(recs) == ["proved"], (remark, recs)


# --- two numbers side by side (derive/latex/tokens.py) ------------------------------------
# TeX prints "3 4" as 34 and "1\,000" as a thousand: read as 3·4 and 1·000, a false step
# was proved (2 \times 3 4 = 24) and true ones refuted (1\,000 + 1 = 1001).

@pytest.mark.parametrize("step", [
    r"1\,000 + 1 = 1001", "2\u202f000 - 1 = 1999", r"1\ 000 \cdot 2 = 2000",
    r"2 \times 3 4 = 24", r"1~000 = 1000",
])
def test_two_numbers_side_by_side_are_not_a_product(tmp_path, step):
    recs = _records(tmp_path, f"$${step}$$\n")
    assert _kinds(recs) == ["unknown"], recs
    assert "two numbers side by side" in recs[0]["note"], recs


@pytest.mark.parametrize("step, verdict", [
    (r"1000 + 1 = 1001", "proved"),
    (r"2 \cdot 3 4 = 68", "unknown"),            # 3 4 still one number or a product?
    (r"(2)(3) = 6", "proved"),                  # brackets make a product
    (r"2 \cdot 3 = 6", "proved"),
    ("2\u00a0+\u00a03 = 5", "proved"),          # spaces between a number and an operator
    (r"x_1 2 = 2 x_1", "proved"),               # a subscript digit, then a number
])
def test_numbers_apart_or_in_scripts_are_read(tmp_path, step, verdict):
    text = "% derive: size K\n% derive: index k in 1..K\n% derive: tensor x_k\n"
    assert _kinds(_records(tmp_path, text + f"$${step}$$\n")) == [verdict]


# --- a function's parameter is a vector or matrix (derive/latex/elaborate_names.py) -------
# "tr(A) = Σ_i A_ii" called as tr(B) read the body's A_ii as the declared A, not the
# argument's entries: tr(B) = tr(A) was proved. The engine now reads the argument's entry;
# the referee still reads the declared A there (reported), so the two disagree: unknown.

TRACE = ("% derive: size D\n% derive: index i, j in 1..D\n% derive: tensor A_{ij}, B_{ij}\n"
         "$$f(A) = \\sum_{i=1}^{D} A_{ii}$$\n\n")


@pytest.mark.parametrize("step", [r"f(B) = f(A)", r"f(A + B) = f(A)", r"f(B) = 2 f(B)"])
def test_a_call_with_another_argument_is_never_proved_false(tmp_path, step):
    recs = _records(tmp_path, TRACE + f"$${step}$$\n")
    assert _kinds(recs)[1] != "proved", recs


@pytest.mark.parametrize("step", [r"f(B) = \sum_{i=1}^{D} B_{ii}", r"f(A + B) = f(A) + f(B)",
                                  r"f(A) = \sum_{j=1}^{D} A_{jj}"])
def test_a_call_with_another_argument_reads_its_entries(tmp_path, monkeypatch, step):
    from derive.latex import verify as V

    monkeypatch.setattr(V, "REFEREE", lambda directives, *more: lambda rec, *args: rec)
    recs = _records(tmp_path, TRACE + f"$${step}$$\n")
    assert _kinds(recs)[1] == "proved", recs


def test_a_call_with_the_same_argument_is_read_as_before(tmp_path):
    recs = _records(tmp_path, TRACE + "$$f(A) = \\sum_{j=1}^{D} A_{jj}$$\n")
    assert _kinds(recs)[1] == "proved", recs


# --- \left without \right (derive/latex/tokens.py): TeX's error, never a guess -----------

@pytest.mark.parametrize("step", [r"\left(1 + 2) \cdot 2 = 6", r"\left(1 + 2) \cdot 2 = 5",
                                  r"(1 + 2\right) \cdot 2 = 6"])
def test_a_left_without_its_right_is_texs_error(tmp_path, step):
    recs = _records(tmp_path, f"$${step}$$\n")
    assert _kinds(recs) == ["unknown"], recs
    assert "TeX's error" in recs[0]["note"], recs


@pytest.mark.parametrize("step, verdict", [
    (r"\left(1 + 2\right) \cdot 2 = 6", "proved"),
    (r"\left(1 + 2\right) \cdot 2 = 5", "refuted"),
    (r"\left.\left(1 + 2\right) \cdot 2\right. = 6", "proved"),   # \left. and \right. pair
    (r"\bigl(1 + 2\bigr) \cdot 2 = 6", "proved"),                 # \bigl needs no \bigr
])
def test_paired_delimiters_are_read(tmp_path, step, verdict):
    assert _kinds(_records(tmp_path, f"$${step}$$\n")) == [verdict]
