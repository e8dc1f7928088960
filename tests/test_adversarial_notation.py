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
