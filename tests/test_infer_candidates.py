"""Equations inference must not read as definitions (derive.latex.infer_candidates), and
the pattern a quantity is typed from: one case table per rule, each with the rows where
the rule must NOT fire (issue 19 item 4, nothing declared)."""

from __future__ import annotations

import pytest

from derive.latex.infer import inference
from derive.latex.sources import read_text
from derive.latex.verify import verify_notes


def inferred(text: str) -> list[str]:
    return [f"{d.keyword} {d.rest}" for d in inference(read_text(text, "md")).directives]


def verdicts(text: str) -> list[str]:
    return [r["verdict"] for r in verify_notes(read_text(text, "md"))]


SUM_Y = "$$L = \\sum_{i=1}^{n} y_i$$\n"

CANDIDATES = [
    # (notes, a line that must be inferred, a line that must not)
    # entry condition: 'y_i = 1' (the class is i) is a condition on one entry, not y = 1
    ("$$y_i = 1$$\n\n" + SUM_Y, "tensor y_{i}", "let y_i = 1"),
    ("$$y_i = -1$$\n\n" + SUM_Y, "tensor y_{i}", "let y_i = -1"),
    # must NOT fire: no index subscript (a scalar constant is defined by its value)
    ("$$\\epsilon = 1$$\n\n$$a = \\epsilon$$\n", "let \\epsilon = 1", None),
    # must NOT fire: the body is not a bare number
    ("$$y_i = 2 z_i$$\n\n" + SUM_Y, "let y_i = 2 z_i", "tensor y_{i}"),
    # self-reference: an update writes the name on both sides
    ("$$w_{t+1} = w_t - \\alpha g_t$$\n", None, "let w_{t+1} = w_t - \\alpha g_t"),
    # self-reference: the list of a vector's entries
    ("$$y = \\{ y_1, \\ldots, y_n \\}$$\n\n" + SUM_Y, "tensor y_{i}",
     "let y = \\{ y_1, \\ldots, y_n \\}"),
    # must NOT fire: another name's entries (a colliding first letter, another spelling)
    ("$$\\hat{y} = \\sigma(y)$$\n\n$$a = \\hat{y}$$\n", "let \\hat{y} = \\sigma(y)", None),
    ("$$Y = \\{ y_1, \\ldots, y_n \\}$$\n\n" + SUM_Y, "let Y = \\{ y_1, \\ldots, y_n \\}",
     None),
]


@pytest.mark.parametrize(("notes", "want", "unwanted"), CANDIDATES)
def test_not_definitions(notes, want, unwanted):
    got = inferred(notes)
    if want is not None:
        assert want in got
    if unwanted is not None:
        assert unwanted not in got


def test_entry_condition_read_as_a_definition_proved_a_false_step():
    """y_k = 1 read as 'let y_k = 1' made every entry 1, so the false sum below was proved."""
    text = "$$y_k = 1$$\n\n$$\\sum_{k=1}^{K} y_k = K$$\n"
    # a relation between inputs only (y, K): refuted before the input-relations gate
    # (derive.latex.input_relations), unknown since; never proved
    assert verdicts(text)[-1] in ("refuted", "unknown")


ENUMERATED = [
    # (notes, tensor line wanted or None): the pattern comes from a use with index letters,
    # not from y_n of an enumeration y_1..y_n (n is the size there)
    ("$$X = \\{ y_1, \\ldots, y_n \\}$$\n\n" + SUM_Y, "tensor y_{i}"),
    # the use with index letters written first: the same
    (SUM_Y + "$$X = \\{ y_1, \\ldots, y_n \\}$$\n", "tensor y_{i}"),
    # must NOT fire: n is a size (a sum's limit) and no use of y has an index letter
    ("$$X = \\{ y_1, \\ldots, y_n \\}$$\n\n$$\\sum_{k=1}^{n} x_k = 0$$\n", None),
]


@pytest.mark.parametrize(("notes", "want"), ENUMERATED)
def test_pattern_from_a_use_with_index_letters(notes, want):
    got = [line for line in inferred(notes) if line.startswith("tensor y")]
    assert got == ([want] if want else [])


TRANSPOSED = [
    # (notes, tensor lines wanted, lines that must not be inferred)
    # a bare beta^T beside beta_j: beta is the vector of the entries beta_j
    ("$$a_i = \\beta^\\top x_i$$\n\n$$b = \\sum_{j=1}^{p} \\beta_j$$\n",
     ["tensor \\beta_{j}"], []),
    # must NOT fire: theta_k^T x, the entries theta_k are vectors of a length not written
    ("$$a_k = \\theta_k^T x$$\n\n$$b = \\sum_{k=1}^{K} \\theta_k^T x$$\n",
     [], ["tensor \\theta_{k}"]),
    # must NOT fire: a bare w^T w with no entry written is never a scalar
    ("$$a = w^T w$$\n", [], ["scalar w"]),
]


@pytest.mark.parametrize(("notes", "want", "unwanted"), TRANSPOSED)
def test_bare_transposed_name_is_the_vector_of_its_entries(notes, want, unwanted):
    got = inferred(notes)
    assert all(w in got for w in want), got
    assert not any(u in got for u in unwanted), got


FULL_USE = [
    # x_i (a row) written before x_{ij}: x is typed from the use with every slot
    ("$$a_i = \\sum_{j=1}^{p} x_{ij}$$\n\n$$b_i = w^T x_i$$\n", "tensor x_{ij}"),
    ("$$b_i = w^T x_i$$\n\n$$a_i = \\sum_{j=1}^{p} x_{ij}$$\n", "tensor x_{ij}"),
    # must NOT fire: only one-slot uses
    ("$$a = \\sum_{i=1}^{n} x_i$$\n", "tensor x_{i}"),
]


@pytest.mark.parametrize(("notes", "want"), FULL_USE)
def test_typed_from_the_use_with_every_slot(notes, want):
    assert [line for line in inferred(notes) if line.startswith("tensor x")] == [want]


LINK = "$$\\log(\\lambda_i) = z_i$$\n\n"
SUM_LAMBDA = "$$\\sum_{i=1}^{n} \\lambda_i = \\sum_{i=1}^{n} e^{z_i}$$\n"

# lambda stated through a function of itself and z: a function of z that the equation does
# not define (derive.latex.inverses reads log(lambda_i) = z_i alone as lambda_i = e^{z_i})
SELF = "$$\\log(\\lambda_i) = z_i - \\lambda_i$$\n\n"

IMPLICIT = [
    # (notes, verdict of the last step): lambda given through its logarithm is defined by
    # it, lambda_i = e^{z_i} (tests/test_definitions_read.py): the true step is proved
    (LINK + SUM_LAMBDA, "proved"),
    ("$$\\log \\lambda_i = z_i$$\n\n" + SUM_LAMBDA, "proved"),
    # lambda a function of z never defined: a refutation that treats it as free is unknown
    (SELF + SUM_LAMBDA, "unknown"),
    # ... and a proof that holds for every lambda stands
    (SELF + "$$\\lambda_i + z_i - z_i = \\lambda_i$$\n", "proved"),
    # must NOT fire: lambda defined (in the prose), the step is checked through it
    ("where $\\lambda_i = e^{z_i}$ here.\n\n" + LINK + SUM_LAMBDA, "proved"),
    # must NOT fire: a function of a sum, not of one quantity (nothing is said about a, b)
    # (the step shares a with its right side: a relation between inputs only that shares
    # nothing is left unknown by derive.latex.input_relations)
    ("$$\\log(a_i + b_i) = z_i$$\n\n$$\\sum_{i=1}^{n} a_i = \\sum_{i=1}^{n} (a_i + b_i)$$\n",
     "refuted"),
]


@pytest.mark.parametrize(("notes", "want"), IMPLICIT)
def test_quantity_stated_through_a_function_is_never_independent(notes, want):
    assert verdicts(notes)[-1] == want


def test_implicit_dependence_names_the_symbol_and_how():
    found = inference(read_text(SELF + SUM_LAMBDA, "md"))
    (u,) = found.undefined.values()
    assert u.name == "\\lambda" and u.variables == {"z"}
    assert "written as a function of z" in u.message()


WRAPPED = [
    # (display, the let inferred): the numbering wrappers around a display are not part
    # of the definition a user copies from --explain
    ("$$\\begin{equation} L = \\sum_{k=1}^{K} y_k \\label{eq:l} \\end{equation}$$\n",
     "let L = \\sum_{k=1}^{K} y_k"),
    ("$$\\begin{align} L &= \\sum_{k=1}^{K} y_k \\tag{3} \\end{align}$$\n",
     "let L = \\sum_{k=1}^{K} y_k"),
    # must NOT change: a display without wrappers, a body with \left( ... \right)
    ("$$L = \\sum_{k=1}^{K} y_k$$\n", "let L = \\sum_{k=1}^{K} y_k"),
    ("$$L = \\left( \\sum_{k=1}^{K} y_k \\right)$$\n",
     "let L = \\left( \\sum_{k=1}^{K} y_k \\right)"),
]


@pytest.mark.parametrize(("notes", "want"), WRAPPED)
def test_let_text_has_no_numbering_wrappers(notes, want):
    got = [line for line in inferred(notes) if line.startswith("let ")]
    assert got == [want]
    again = "% derive: manual\n% derive: size K\n% derive: index k in 1..K\n" + (
        "% derive: tensor y_{k}\n% derive: " + want + "\n$$L = L$$\n")
    assert verdicts(again) == ["proved"]  # the copied line reads back
