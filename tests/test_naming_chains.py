"""A chain ``A = B = name`` ending with a name written there first names its value
(derive.latex.naming_chains; issue 19 item 4, definitions in the prose and displays).

Seen in dev3/e06 (laoliulaoliu: "设 $\\hat{y}_i = \\frac{e^{z_i}}{\\sum_c e^{z_c}} = p_i$ 为类i
的概率"), heldout1/a13 (physicsd00d: "$\\hat{y} = \\text{softmax}(v) = \\psi(v)$") and
dev3/f09 (bn3monkey: "$$\\prod_n p(C=t_n|x_n) = L(w,b)$$").

One case table: rows where the mechanism applies and rows where it must NOT (the name written
before, declared by hand, a two-member chain, an index letter the body does not write, a
numbered or offset subscript, a function every reader knows, a call whose argument the
member before does not write). Each checked step's truth is decided by brute force at small
sizes (numbers, below), never by derive: a false step is never proved, a true one never
refuted.
"""

from __future__ import annotations

import math

import pytest

from derive.latex.infer import inference
from derive.latex.sources import read_text
from derive.latex.verify import verify_notes

SOFTMAX = "\\frac{e^{z_i}}{\\sum_{c=1}^{C} e^{z_c}}"
DEF_LINK = f"$$y_i = {SOFTMAX} = p_i$$\n\n"


def inferred(text: str) -> list[str]:
    return [f"{d.keyword} {d.rest}" for d in inference(read_text(text, "md")).directives]


def steps(text: str) -> list[tuple[int, int, str, str]]:
    return [(r["line"], r["step"], r["verdict"], r.get("note") or "")
            for r in verify_notes(read_text(text, "md"))]


# ---- brute force: the steps' truth at C = 3 (numbers, not derive) ----
Z = (0.3, -1.2, 0.7)


def _p(i: int) -> float:
    return math.exp(Z[i]) / sum(math.exp(z) for z in Z)


def _jacobian_true(i: int, j: int) -> bool:
    """d p_i / d z_j = p_i (delta_ij - p_j), by central differences."""
    h = 1e-6

    def p_at(k: int, dz: float) -> float:
        zz = list(Z)
        zz[j] += dz
        return math.exp(zz[k]) / sum(math.exp(z) for z in zz)

    fd = (p_at(i, h) - p_at(i, -h)) / (2 * h)
    return abs(fd - _p(i) * ((i == j) - _p(j))) < 1e-6


TRUTH = {
    "jacobian": all(_jacobian_true(i, j) for i in range(3) for j in range(3)),
    "sum one": abs(sum(_p(i) for i in range(3)) - 1) < 1e-12,
    "sum two": abs(sum(_p(i) for i in range(3)) - 2) < 1e-12,
    "p is y squared": all(abs(_p(i) - _p(i) ** 2) < 1e-12 for i in range(3)),
}


def test_brute_force_truths():
    assert TRUTH == {"jacobian": True, "sum one": True, "sum two": False,
                     "p is y squared": False}


JACOBIAN = "$$\\frac{\\partial y_i}{\\partial z_j} = p_i (\\delta_{ij} - p_j)$$\n"

APPLIES = [
    # (notes, the let inferred, the line:step of the naming link, later step, its truth)
    (DEF_LINK + JACOBIAN, "let p_i = y_i", (1, 2), (3, 1), "jacobian"),
    # inline, after a defining word (e06's shape)
    (f"$$y_i = {SOFTMAX}$$\n\nLet $y_i = {SOFTMAX} = p_i$ be the probability of class $i$."
     "\n\n" + JACOBIAN, "let p_i = y_i", (3, 2), (5, 1), "jacobian"),
    # a bare letter named by the chain
    ("$$s = \\sum_{c=1}^{C} e^{z_c} = S$$\n\n$$y_i = \\frac{e^{z_i}}{S}$$\n\n"
     "$$\\sum_{i=1}^{C} y_i = 1$$\n", "let S = s", (1, 2), (5, 1), "sum one"),
    # a false step through the named value: never proved
    (DEF_LINK + "$$\\sum_{i=1}^{C} p_i = 2$$\n", "let p_i = y_i", (1, 2), (3, 1), "sum two"),
    (DEF_LINK + "$$p_i = y_i^2$$\n", "let p_i = y_i", (1, 2), (3, 1), "p is y squared"),
]


@pytest.mark.parametrize(("notes", "let", "named", "later", "truth"), APPLIES)
def test_the_last_link_names_the_value(notes, let, named, later, truth):
    if let is not None:
        assert let in inferred(notes)
    got = {(line, step): (verdict, note) for line, step, verdict, note in steps(notes)}
    assert got[named][0] == "definition", got
    verdict = got[later][0]
    assert verdict != ("refuted" if TRUTH[truth] else "proved"), (verdict, got)
    # where the mechanism applies, the true steps are decided
    assert verdict == ("proved" if TRUTH[truth] else "refuted"), (verdict, got)


def test_a_function_named_by_the_chain_takes_its_argument():
    """hat y = softmax(v) = psi(v): psi is the function softmax, never the constant hat y."""
    notes = ("$$\\hat{y} = \\text{softmax}(v) = \\psi(v)$$\n\n"
             "$$L = \\sum_{k=1}^{K} v_k$$\n")
    got = inferred(notes)
    assert "let \\psi(v) = \\text{softmax}(v)" in got, got
    assert not any(line.startswith("let \\psi(v) = \\hat{y}") for line in got), got


MUST_NOT = [
    # (notes, the let that must not be inferred, line:step, verdicts allowed there)
    # the name written before: a quantity, the link is a claim (false here: p_i = 2)
    ("$$L = \\sum_{i=1}^{C} p_i$$\n\n" + DEF_LINK, "let p_i = y_i", (3, 2),
     {"refuted", "unknown"}),
    # declared by hand: theirs wins, the link is a claim
    ("<!-- derive: tensor p_i -->\n" + DEF_LINK, "let p_i = y_i", (2, 2),
     {"refuted", "unknown"}),
    # two members: y_i = p_i is y's definition or a claim, never p's
    ("$$L = \\sum_{i=1}^{C} z_i$$\n\n$$y_i = p_i$$\n", "let p_i = y_i", None, set()),
    # an index letter the body does not write: p_k is no name for y_i
    (f"$$y_i = {SOFTMAX} = p_k$$\n", "let p_k = y_i", (1, 2), {"refuted", "unknown"}),
    # a numbered entry and an offset: entries or labels, no pattern
    (f"$$y_i = {SOFTMAX} = p_2$$\n", "let p_2 = y_i", (1, 2), {"refuted", "unknown"}),
    (f"$$y_i = {SOFTMAX} = p_{{i+1}}$$\n", "let p_{i+1} = y_i", (1, 2),
     {"refuted", "unknown"}),
    # a function every reader knows: a claim about it (true here)
    ("$$a = \\frac{1}{1 + e^{-u}} = \\sigma(u)$$\n", "let \\sigma(u) = a", (1, 2),
     {"proved"}),
    # a call whose argument the member before does not write: no function of u
    ("$$\\hat{y} = \\text{softmax}(v) = \\psi(u)$$\n", "let \\psi(u) = \\text{softmax}(v)",
     (1, 2), {"unknown", "refuted"}),
    # a sum's upper limit used later (K) or an index letter (k): a size or an index, never a
    # value named by the chain (reading K as 'let K = L' broke every sum over 1..K)
    ("$$L = \\sum_{i=1}^{n} y_i = \\sum_{i=1}^{n} 1 = K$$\n\n$$M = \\sum_{k=1}^{K} z_k$$\n\n"
     "$$\\sum_{k=1}^{K} 2 z_k = 2 M$$\n", "let K = L", (5, 1), {"proved"}),
    ("$$a = \\sum_{i=1}^{n} y_i = \\sum_{i=1}^{n} 1 = k$$\n\n$$M = \\sum_{j=1}^{n} z_{jk}$$\n",
     "let k = a", None, set()),
    # the name in an earlier member: the chain is about it
    ("$$p_i = 2 y_i - p_i = p_i$$\n\n" + "$$L = \\sum_{i=1}^{C} y_i$$\n", "let p_i = 2 y_i",
     None, set()),
]


@pytest.mark.parametrize(("notes", "unwanted", "at", "allowed"), MUST_NOT)
def test_not_a_name_given_by_the_chain(notes, unwanted, at, allowed):
    got = inferred(notes)
    assert unwanted not in got, got
    if at is not None:
        verdicts = {(line, step): verdict for line, step, verdict, _ in steps(notes)}
        assert verdicts[at] in allowed, verdicts


def test_explain_prints_the_inferred_name_as_a_line_to_copy():
    notes = DEF_LINK + JACOBIAN
    lines = inference(read_text(notes, "md")).lines()
    assert "% derive: let p_i = y_i" in lines, lines
