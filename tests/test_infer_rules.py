"""Inference rules (issue 19, "nothing declared"): one case table per rule, each with the
rows where the rule must NOT fire."""

from __future__ import annotations

import pytest

from derive.errors import DeriveError
from derive.latex.infer import inference
from derive.latex.prose import inline_definitions
from derive.latex.sources import read_text
from derive.latex.verify import verify_notes


def defs(text: str, fmt: str = "md") -> list[tuple[str, str]]:
    return [(d.pattern, d.body) for d in inline_definitions(read_text(text, fmt))]


def lets(text: str, fmt: str = "md") -> list[str]:
    return [d.rest for d in inference(read_text(text, fmt)).directives if d.keyword == "let"]


def verdicts(text: str, fmt: str = "md") -> list[tuple[str, str]]:
    return [(r["verdict"], r.get("note", "")) for r in verify_notes(read_text(text, fmt))]


# -- definitions in prose and inline maths ----------------------------------------------

PROSE_DEFINES = [
    # (notes, fmt, the definitions read)
    ("where $p_k = e^{z_k}$ is the output.", "md", [("p_k", "e^{z_k}")]),
    ("Let $a_j = \\sum_i w_{ij} x_i$.", "md", [("a_j", "\\sum_i w_{ij} x_i")]),
    ("- Softmax: \\(\\hat{y}_i = e^{z_i}\\)", "md", [("\\hat{y}_i", "e^{z_i}")]),
    ("We define $s := W x$ here.", "md", [("s", "W x")]),
    ("We denote $q \\triangleq 2 r$ here.", "md", [("q", "2 r")]),
    ("with $J(\\theta) \\equiv \\theta^2$ as the loss.", "md", [("J(\\theta)", "\\theta^2")]),
    ("Define $\\mathcal{L} = -\\log p$ first.", "tex", [("\\mathcal{L}", "-\\log p")]),
    # must NOT fire
    ("where $y_i = 1$ if the class is i.", "md", []),      # a condition on a label
    ("for $i = j$ the term is", "md", []),                   # two indices
    ("then $x = x + 1$ repeats", "md", []),                   # an update, not a definition
    ("we get $a = b = c$ so", "md", []),                      # a chain, not one definition
    ("`$p = q$` in code", "md", []),                          # inline code is never read
    ("$$p = q + 1$$", "md", []),                              # a display: not inline
    ("the rule $\\log x = 1/x$ gives", "md", []),              # a function law
]


@pytest.mark.parametrize(("notes", "fmt", "want"), PROSE_DEFINES)
def test_prose_definitions(notes, fmt, want):
    assert defs(notes, fmt) == want


def test_prose_definition_becomes_a_let_in_every_source_kind():
    md = "where $p_k = e^{z_k}$ and\n\n$$\\sum_{k=1}^{K} p_k = \\sum_{k=1}^{K} e^{z_k}$$\n"
    assert lets(md) == ["p_k = e^{z_k}"]
    tex = "where $p_k = e^{z_k}$ and\n\\[ \\sum_{k=1}^{K} p_k = \\sum_{k=1}^{K} e^{z_k} \\]\n"
    assert lets(tex, "tex") == ["p_k = e^{z_k}"]
    import json

    nb = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "where $p_k = e^{z_k}$ and"},
        {"cell_type": "code", "metadata": {}, "source": "p = 1", "outputs": [],
         "execution_count": None},
        {"cell_type": "markdown", "metadata": {},
         "source": "$$\\sum_{k=1}^{K} p_k = \\sum_{k=1}^{K} e^{z_k}$$"}]})
    assert lets(nb, "ipynb") == ["p_k = e^{z_k}"]


def test_first_written_definition_wins_and_later_ones_are_checked():
    text = ("where $p_k = e^{z_k}$ and\n\n$$p_k = e^{z_k} + 0$$\n")
    assert lets(text) == ["p_k = e^{z_k}"]
    # the inline definition is a step of its own (derive.latex.inline_steps): a definition
    assert [v for v, _ in verdicts(text)] == ["definition", "proved"]
    wrong = ("where $p_k = e^{z_k}$ and\n\n$$p_k = e^{2 z_k}$$\n")
    assert [v for v, _ in verdicts(wrong)] == ["definition", "refuted"]


# -- on by default; explicit declarations win; a conflict is an error --------------------

def test_inference_is_on_by_default_and_manual_turns_definitions_off():
    text = "$$L = \\sum_{k=1}^{K} y_k$$\n"
    assert lets(text) == ["L = \\sum_{k=1}^{K} y_k"]
    assert lets("% derive: auto\n" + text) == ["L = \\sum_{k=1}^{K} y_k"]  # a no-op
    assert lets("% derive: manual\n" + text) == []
    assert lets("% derive: manual\nwhere $p_k = e^{z_k}$ and\n\n" + text) == []


EXPLICIT = [
    # (declarations, notes, expected lets): the hand-written line wins
    ("% derive: tensor p_k\n% derive: size K\n% derive: index k in 1..K\n",
     "$$p_k = e^{z_k}$$\n", []),
    ("% derive: let p_k = e^{2 z_k}\n", "where $p_k = e^{z_k}$ and\n", []),
    # a function f(x, W) beside a declared score vector f_j: not the same pattern
    ("% derive: size K\n% derive: index j in 1..K\n% derive: tensor f_j\n",
     "where $f(x, W) = W x$ and\n", []),
    # index k declared over 1..N although a sum runs to K: the declared range is kept
    ("% derive: size N\n% derive: index k in 1..N\n", "$$\\sum_{k=1}^{K} y_k = 0$$\n", []),
]


@pytest.mark.parametrize(("decl", "notes", "want"), EXPLICIT)
def test_explicit_declarations_win(decl, notes, want):
    assert lets(decl + notes) == want


def test_explicit_index_range_is_not_overridden():
    found = inference(read_text("% derive: size N\n% derive: index k in 1..N\n"
                                "$$\\sum_{k=1}^{K} y_k = 0$$\n"))
    assert not [d for d in found.directives if d.keyword == "index" and "k" in d.rest]


def test_declared_quantity_defined_in_prose_is_an_error_naming_both_places():
    text = ("% derive: size K\n% derive: index k in 1..K\n% derive: tensor p_k\n"
            "where $p_k = e^{z_k}$ and\n\n$$p_k = p_k$$\n")
    with pytest.raises(DeriveError) as err:
        inference(read_text(text, source="n.md"))
    msg = str(err.value)
    assert "n.md:4:8" in msg and "n.md:3:" in msg and "p" in msg


# -- never silently independent ---------------------------------------------------------

JACOBIAN = "$$\\frac{\\partial p_k}{\\partial z_j} = p_k(\\delta_{jk} - p_j)$$\n"
SOFTMAX = "The outputs are $p_k = \\frac{e^{z_k}}{\\sum_{c=1}^{K} e^{z_c}}$ for each class.\n\n"


def test_softmax_jacobian_defined_only_in_prose_is_proved():
    assert [v for v, _ in verdicts(SOFTMAX + JACOBIAN)] == ["definition", "proved"]


def test_softmax_jacobian_with_p_never_defined_is_unknown_naming_p_and_the_line():
    ((verdict, note),) = verdicts("Some text.\n\n" + JACOBIAN)
    assert verdict == "unknown"
    # the name, that it is differentiated, the line, and the line to add
    assert "p" in note and "differentiated" in note and "line 3" in note
    assert "derive: let p_" in note


UNDEFINED_ROWS = [
    # (notes, verdicts): p is differentiated by z somewhere and never defined
    # a step that differentiates p by z: unknown (it was refuted when p was independent)
    (JACOBIAN, ["unknown"]),
    # a derivative by p itself holds whatever p is: the proof stands
    (JACOBIAN + "$$\\frac{\\partial (y_k p_k^2)}{\\partial p_k} = 2 y_k p_k$$\n",
     ["unknown", "proved"]),
    # an algebraic step with p and no derivative: a proof holds for every p
    (JACOBIAN + "$$p_k - y_k + y_k = p_k$$\n", ["unknown", "proved"]),
    # ... but its refutation treats p as free: unknown
    (JACOBIAN + "$$\\sum_{k=1}^{K} p_k = 1$$\n", ["unknown", "unknown"]),
    # must NOT fire: p declared by hand is the user's independent quantity
    ("% derive: size K\n% derive: index j, k in 1..K\n% derive: tensor p_k, z_j\n" + JACOBIAN,
     ["refuted"]),
    # must NOT fire: p differentiated by itself only
    ("$$\\frac{\\partial p_k^2}{\\partial p_k} = 2 p_k$$\n", ["proved"]),
    # the prose defines something else (q), not p: p is still undefined
    ("where $q_k = e^{z_k}$ here.\n\n" + JACOBIAN, ["definition", "unknown"]),
]


@pytest.mark.parametrize(("notes", "want"), UNDEFINED_ROWS)
def test_never_silently_independent(notes, want):
    assert [v for v, _ in verdicts(notes)] == want


# -- --explain prints lines a user can copy ------------------------------------------------

def test_inferred_lines_pasted_with_manual_give_the_same_reading():
    text = SOFTMAX + JACOBIAN + "$$\\sum_{k=1}^{K} p_k = 1$$\n"
    found = inference(read_text(text))
    pasted = [line for line in found.lines() if line.startswith("% derive:")]
    assert any(line.startswith("% derive: let p_k") for line in pasted)
    again = "% derive: manual\n" + "\n".join(pasted) + "\n" + text
    assert inference(read_text(again)).directives == []
    before = [v for v, _ in verdicts(text)]
    after = [v for v, _ in verdicts(again)]
    # the same claims; the inline equation that defines p_k is a definition, and with the
    # let pasted by hand it restates a declared name: a claim, proved
    assert before == ["definition", "proved", "proved"]
    assert after == ["proved", "proved", "proved"]


def test_json_records_carry_the_inferred_lines():
    recs = verify_notes(read_text(SOFTMAX + JACOBIAN))
    assert recs and all("% derive: size K" in r["inferred"] for r in recs)


def test_explain_prints_copyable_lines_and_undefined(tmp_path, capsys):
    from derive.cli import main

    p = tmp_path / "n.md"
    p.write_text("Some text.\n\n" + JACOBIAN)
    main(["verify", "--explain", "-q", str(p)])
    out = capsys.readouterr().out
    assert "% derive: tensor z_{j}" in out
    assert "% undefined: p_k is differentiated by z" in out


# -- hidden sizes (u^T v with the length never written) are one letter each -------------

HIDDEN_SIZES = [
    # (notes, sizes inferred)  -- two groups of vectors multiplied so: two sizes, each a
    # single letter a '% derive: size' line reads (never 'D_2')
    ("$$a = u^T v$$\n\n$$b = w^T w$$\n", {"D", "P"}),
    # D already a letter of the notes: the next free one
    ("$$a = u^T v + D$$\n", {"P"}),
    # must NOT add a size: no transposed product
    ("$$a = u + v$$\n", set()),
]


@pytest.mark.parametrize(("notes", "want"), HIDDEN_SIZES)
def test_hidden_sizes_are_single_letters(notes, want):
    got = {d.rest for d in inference(read_text(notes, "md")).directives if d.keyword == "size"}
    assert got == want
    verdicts(notes)  # the inferred lines are read back without a DeriveError
