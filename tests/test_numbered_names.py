"""Numbered names, function chains and the words that define, in more languages (issue 19).

1. ``x_1``, ``x_2``, ``g_1`` written with numerals only, never with a letter index, never bare
   (:mod:`derive.latex.numeral_names`): names of their own, not entries of a vector ``x``.
2. ``A = g(B) = expr``: the second link defines the function ``g``
   (:mod:`derive.latex.function_chains`).
3. "令", "Soit", "Sei", "Sea", ... before the maths: a definition
   (:mod:`derive.latex.definition_words`).

Each verdict row's truth is decided by brute force (:func:`truth`: NumPy at random values,
finite differences for derivatives), never by derive.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.chains import extract
from derive.latex.definitions import prose_defines
from derive.latex.numeral_names import directive, numeral_names
from derive.latex.tokens import tokenize
from derive.latex.verify import verify_file


def verdicts(tmp_path, body: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return [r["verdict"] for r in verify_file(str(p))]


def _d(f, x: float, h: float = 1e-6) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


def truth(name: str) -> bool:
    """Each row's claim at random values, by brute force."""
    rng = np.random.default_rng(1)
    for _ in range(20):
        a, b, c = rng.uniform(0.3, 2.0, size=3)
        v = rng.normal(size=3)
        lhs, rhs = {
            # g(x_2) = x_2^2 + c
            "dg = 2 x_2": (_d(lambda t, b=b, c=c: t * t + c, a), 2 * a),
            "dg = 3 x_2": (_d(lambda t, b=b, c=c: t * t + c, a), 3 * a),
            # x_1 = g_2(x_2) = c / x_2, x_2 = g_3(x_3) = x_3 + b: dx_1/dx_3 = -c / x_2^2
            "chain": (_d(lambda t, b=b, c=c: c / (t + b), a), -c / (a + b) ** 2),
            "chain sign": (_d(lambda t, b=b, c=c: c / (t + b), a), c / (a + b) ** 2),
            "two names": (a * b, b * a),
            "two names apart": (a + b, 2 * a),
            # x_1 beside x_i: entries of one vector x
            "entries": (v[:2].sum(), v[0] + v[1]),
            "entries wrong": (v[:2].sum(), v[0] + v[0]),
            # L = f(u) = u^3 + c
            "df = 3u^2": (_d(lambda t, b=b, c=c: t ** 3 + c, a), 3 * a * a),
            "df = 3u": (_d(lambda t, b=b, c=c: t ** 3 + c, a), 3 * a),
            # a defined as b + 1, then a claim a = 2b
            "a = 2b": (b + 1, 2 * b),
            "a + b = 2b": (a + b, 2 * b),  # free scalars
        }[name]
        if not np.isclose(lhs, rhs, rtol=1e-5, atol=1e-6):
            return False
    return True


# --- 1. the reading rule, on the maths as written ---------------------------------------

RULE = [
    # must apply
    (r"L = g_1(x_1) = -\log(x_1)", {"g_1", "x_1"}),
    (r"x_{1} + x2 + x_3", {"x_1", "x_2", "x_3"}),
    (r"\frac{c1}{x_2} + c2", {"c_1", "c_2", "x_2"}),
    (r"x_1 - max({Z}_i)", {"x_1"}),  # the x of the word max is no use of x
    (r"x_1 - \max(z_1)", {"x_1", "z_1"}),
    (r"a x_1", {"x_1"}),  # a is used bare, x is not
    (r"x_{12} + x_1", {"x_12", "x_1"}),
    # must not apply
    (r"x_1 + x_i", set()),  # a letter index: x_1 is an entry of x
    (r"x_1 + x_{ij}", set()),
    (r"x_1 + x", set()),  # the bare letter: x is a vector, x_1 its entry
    (r"x^{(i)} + x_1", set()),
    (r"x_1^T y_1", {"y_1"}),  # transposed: a vector
    (r"x_1^\top + x_2", set()),
    (r"\mathbf{x} + x_1", set()),  # the bold vector of the entries x_1
    (r"W_1 + W_2", set()),  # capitals: layer matrices
    (r"e_1 + d_1", set()),
    (r"x_12", set()),  # TeX prints x_1 then 2
    (r"", set()),
    # Greek letters
    (r"h(x) = \theta_0 + \theta_1 x", {"\\theta_0", "\\theta_1"}),
    (r"\lambda_1 + \lambda_{2}", {"\\lambda_1", "\\lambda_2"}),
    (r"\theta_0 + \theta^T x", set()),  # the vector theta: theta_0 its entry
    (r"\theta_0 + \theta_j", set()),
    (r"\pi_1 + \delta_1", set()),  # the constant, Kronecker's delta
    (r"\alpha\theta_1", {"\\theta_1"}),  # alpha used bare is no use of theta
]


@pytest.mark.parametrize("math, expected", RULE)
def test_the_numbered_name_rule(math, expected):
    assert set(numeral_names(math)) == expected


def test_a_name_declared_by_hand_keeps_its_meaning():
    notes = extract("% derive: tensor x_i\n$$x_1 + x_2 = y_1$$\n", "n.md")
    assert set(numeral_names(notes.math, notes.directives)) == {"y_1"}
    notes = extract("% derive: tensor \\theta_j\n$$\\theta_1 + \\lambda_2 = 0$$\n", "n.md")
    assert set(numeral_names(notes.math, notes.directives)) == {"\\lambda_2"}


def test_manual_and_an_own_name_line_imply_no_line():
    for head in ("% derive: manual\n", "% derive: name x_1\n"):
        notes = extract(head + "$$x_1 = x_2$$\n", "n.md")
        assert directive(notes.math, notes.directives) is None
    notes = extract("$$x_2 = x_{10} + x1$$\n", "n.md")
    found = directive(notes.math, notes.directives)
    assert found is not None and (found.keyword, found.rest) == ("name", "x_1, x_2, x_10")


TOKENS = [
    ("x_1", {"x_1"}, ["x_1"]),
    ("x_{1}", {"x_1"}, ["x_1"]),
    ("x1", {"x_1"}, ["x_1"]),
    ("x_1^2", {"x_1"}, ["x_1", "^", "2"]),
    ("x_2", {"x_1"}, ["x", "_", "2"]),  # not a declared name
    ("x_1", set(), ["x", "_", "1"]),  # no names: an entry, as before
    ("x_12", {"x_1", "x_12"}, ["x", "_", "1", "2"]),
    ("y_1", {"x_1"}, ["y", "_", "1"]),
]


@pytest.mark.parametrize("text, names, expected", TOKENS)
def test_the_tokenizer_reads_a_numbered_name_as_one_letter(text, names, expected):
    assert [t.value for t in tokenize(text, 1, 1, names)] == expected


# --- verdicts ----------------------------------------------------------------------------

CHAIN = "令 $x_1=g_2(x_2)=\\frac{c}{x_2}$\n\n令 $x_2=g_3(x_3)=x_3+b$\n\n"


@pytest.mark.parametrize("name, body, expected", [
    ("dg = 2 x_2", "令 $x_1=g(x_2)=x_2^2+c$\n\n$\\frac{\\partial g(x_2)}{\\partial x_2}=2x_2$",
     ["definition", "definition", "proved"]),
    ("dg = 3 x_2", "令 $x_1=g(x_2)=x_2^2+c$\n\n$\\frac{\\partial g(x_2)}{\\partial x_2}=3x_2$",
     ["definition", "definition", "refuted"]),
    ("chain", CHAIN + "$\\frac{\\partial x_1}{\\partial x_3}=-\\frac{c}{x_2^2}$",
     ["definition"] * 4 + ["proved"]),
    ("chain sign", CHAIN + "$\\frac{\\partial x_1}{\\partial x_3}=\\frac{c}{x_2^2}$",
     ["definition"] * 4 + ["refuted"]),
    ("two names", "$$x_1 x_2 = x_2 x_1$$", ["proved"]),
    ("two names apart", "$$x_1 + x_2 = 2 x_1$$", ["refuted"]),
])
def test_numbered_names_are_quantities_of_their_own(tmp_path, name, body, expected):
    assert truth(name) == (expected[-1] == "proved")
    assert verdicts(tmp_path, body) == expected


@pytest.mark.parametrize("name, body", [
    ("entries", r"$$\sum_{i=1}^{2} x_i = x_1 + x_2$$"),
    ("entries wrong", r"$$\sum_{i=1}^{2} x_i = x_1 + x_1$$"),
])
def test_x_1_beside_x_i_is_an_entry_of_x(tmp_path, name, body):
    """Must not apply: x_1 beside x_i is entry 1 of x (read as a name of its own, the sum
    and x_1 + x_2 would be unrelated)."""
    assert verdicts(tmp_path, body) == (["proved"] if truth(name) else ["refuted"])


def test_the_inferred_name_line_is_shown_and_can_be_pasted(tmp_path):
    p = tmp_path / "n.md"
    p.write_text("$$x_1 x_2 = x_2 x_1$$\n")
    from derive.latex.verify import check_file

    checked = check_file(str(p))
    assert "% derive: name x_1, x_2" in checked.inferred
    q = tmp_path / "m.md"
    q.write_text("% derive: manual\n% derive: name x_1, x_2\n% derive: scalar x_1, x_2\n"
                 "$$x_1 x_2 = x_2 x_1$$\n")
    assert [r["verdict"] for r in verify_file(str(q))] == ["proved"]


def test_a_name_line_with_an_entry_is_an_error(tmp_path):
    from derive.errors import DeriveError

    p = tmp_path / "n.md"
    p.write_text("% derive: name x_i\n$$a = a$$\n")
    with pytest.raises(DeriveError, match="numeral subscript"):
        verify_file(str(p))


# --- 2. A = g(B) = expr ------------------------------------------------------------------

@pytest.mark.parametrize("name, body, expected", [
    ("df = 3u^2", "Let $L = f(u) = u^3 + c$\n\n$$\\frac{d f(u)}{d u} = 3u^2$$",
     ["definition", "definition", "proved"]),
    ("df = 3u", "Let $L = f(u) = u^3 + c$\n\n$$\\frac{d f(u)}{d u} = 3u$$",
     ["definition", "definition", "refuted"]),
    ("df = 3u^2", "$$L = f(u) = u^3 + c$$\n\n$$\\frac{dL}{du} = 3u^2$$",
     ["definition", "definition", "proved"]),
])
def test_a_chain_through_a_call_defines_the_function(tmp_path, name, body, expected):
    assert truth(name) == (expected[-1] == "proved")
    assert verdicts(tmp_path, body) == expected


@pytest.mark.parametrize("body", [
    r"$$L = f(u) = f(u) + 0$$",  # the function on both sides: a claim about it
    r"$$L = \log(u) = \log(u) + 0$$",  # a known function
    r"$$L = f(2) = 3$$",  # not a pattern: a value
    r"$$L = f(u, u) = u$$",  # a repeated parameter
    r"$$L = \sigma(u) = \frac{1}{1 + e^{u}}$$",  # the logistic function: a claim (a slip)
])
def test_a_chain_that_is_no_function_definition(tmp_path, body):
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    records = verify_file(str(p))
    assert records[0]["verdict"] == "definition"  # L
    assert all(r["verdict"] != "definition" for r in records[1:]), records


def test_a_function_defined_before_is_checked(tmp_path):
    """Must not apply: f defined in the text first; a later y = f(z) = ... is a claim about
    it (true: proved, false: refuted; never 'definition')."""
    for rhs, expected in (("z^2 + 1", "proved"), ("z^2 + 2", "refuted")):
        body = f"where $f(z) = z^2 + 1$\n\n$$y = f(z) = {rhs}$$"
        assert verdicts(tmp_path, body)[-1] == expected


# --- 3. the defining words -----------------------------------------------------------------

@pytest.mark.parametrize("before, defines", [
    ("Let ", True), ("令 ", True), ("我们令 ", True), ("设 ", True), ("记 ", True),
    ("定义 ", True), ("Soit ", True), ("Posons ", True), ("Sei ", True), ("Sea ", True),
    ("Sia ", True), ("Seja ", True), ("Пусть ", True), ("On note ", True),
    # a sentence without a defining word defines nothing
    ("故 ", False), ("Hence ", False), ("Donc ", False), ("Also ", False),
    ("假设 ", False),  # suppose: a premise
    ("笔记 ", False),  # notes: 记 inside another word
    ("the season ", False), ("Seite ", False), ("", False),
])
def test_the_defining_words(before, defines):
    text = f"{before}$$a = b$$"
    assert prose_defines(text, 1, len(before) + 1) is defines


@pytest.mark.parametrize("word, expected", [
    ("Soit", "definition"), ("Sei", "definition"), ("令", "definition"),
    ("Donc", "unknown"), ("故", "unknown"),
])
def test_a_defining_word_introduces_a_declared_letter(tmp_path, word, expected):
    """a is declared by hand: 'Soit/Sei/令 a = 2b' defines it, 'Donc/故 a = 2b' claims it:
    false for free scalars, but a relation between inputs only, which may state what they
    are (derive.latex.input_relations), so checked and unknown, never a definition;
    'Donc a + b = 2b' writes b on both sides: algebra, refuted (a = 0, b = 1 holds; a = 1
    does not)."""
    assert truth("a = 2b") is False and truth("a + b = 2b") is False
    body = f"% derive: scalar a, b\n\n{word} $$a = 2b$$"
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    (rec,) = verify_file(str(p))
    assert rec["verdict"] == expected, rec
    if expected == "unknown":
        assert "relation between the notes' inputs" in rec["note"], rec
        claim = f"% derive: scalar a, b\n\n{word} $$a + b = 2b$$"
        assert verdicts(tmp_path, claim) == ["refuted"]


# --- 4. gradient names: dw, db -----------------------------------------------------------

GRADIENT_RULE = [
    # must apply: dw as the left side of an equation, never a differential
    ("dw = \\frac{1}{m} X^T e\ndb = 2", {"dw", "db"}),
    ("\\boxed{dw = 2 w}", {"dw"}),
    ("a = 1 \\\\ dw = 2 w", {"dw"}),
    # must not apply
    ("dw = 2 \n \\frac{dJ}{dw} = 3", set()),  # dw a differential elsewhere
    ("dw = 2 \n \\frac{d}{dw} w^2 = 2w", set()),
    ("dw = 2 \n J = \\int f \\, dw", set()),
    ("x = dw", set()),  # not the left side of an equation
    ("dwx = 1", set()),  # d glued to a word
    ("dw^2 = 1", set()),
    ("", set()),
    # differentials written as products elsewhere: the notes' d is a differential
    ("\\boxed{ds = (S - ss^T) dz}", set()),
    ("dw = 2 \n dL = g \\, dz", set()),
    # ... but a fraction's dz, or the name itself in an update, is no such product
    ("dw = 2 \n \\frac{d\\sigma}{dz} = 1 \n w - \\alpha dw", {"dw"}),
]


@pytest.mark.parametrize("math, expected", GRADIENT_RULE)
def test_the_gradient_name_rule(math, expected):
    from derive.latex.gradient_names import gradient_names

    assert set(gradient_names(math)) == expected


def test_a_declared_d_keeps_its_meaning():
    from derive.latex.gradient_names import gradient_names

    notes = extract("% derive: scalar d\n$$dw = 2$$\n", "n.md")
    assert gradient_names(notes.math, notes.directives) == frozenset()


@pytest.mark.parametrize("text, names, expected", [
    ("dw", {"dw"}, ["dw"]),
    ("dw = 1", {"dw"}, ["dw", "=", "1"]),
    ("dwx", {"dw"}, ["d", "w", "x"]),
    ("dz", {"dw"}, ["d", "z"]),
    ("dw", set(), ["d", "w"]),
])
def test_the_tokenizer_reads_a_gradient_name_as_one_letter(text, names, expected):
    assert [t.value for t in tokenize(text, 1, 1, names)] == expected


@pytest.mark.parametrize("name, body, expected", [
    ("dw + 1", "$$dw = 2w$$\n\n$$dw + 1 = 2w + 1$$", ["definition", "proved"]),
    ("dw + 1 wrong", "$$dw = 2w$$\n\n$$dw + 1 = 2w$$", ["definition", "refuted"]),
])
def test_a_gradient_name_is_a_name(tmp_path, name, body, expected):
    rng = np.random.default_rng(2)
    w = rng.normal(size=20)
    holds = bool(np.allclose(2 * w + 1, 2 * w + (1 if name == "dw + 1" else 0)))
    assert holds == (expected[-1] == "proved")
    assert verdicts(tmp_path, body) == expected


def test_a_differential_dw_stays_a_differential(tmp_path):
    """Must not apply: \\frac{d}{dw} beside dw = ...: no gradient name, the derivative is
    read as before (d/dw w^2 = 2w: true, proved)."""
    got = verdicts(tmp_path, "$$\\frac{d}{dw} w^2 = 2w$$\n\n$$dw = 3$$")
    assert got[0] == "proved" and got[1] != "definition"


@pytest.mark.parametrize("name, body, expected", [
    ("d/dtheta_0", r"$$J = (\theta_0 + \theta_1 a - b)^2$$" "\n\n"
     r"$$\frac{\partial J}{\partial \theta_0} = 2(\theta_0 + \theta_1 a - b)$$",
     ["definition", "proved"]),
    ("d/dtheta_0 wrong", r"$$J = (\theta_0 + \theta_1 a - b)^2$$" "\n\n"
     r"$$\frac{\partial J}{\partial \theta_0} = 2(\theta_0 + \theta_1 a - b) a$$",
     ["definition", "refuted"]),
])
def test_greek_numbered_names(tmp_path, name, body, expected):
    rng = np.random.default_rng(3)
    holds = True
    for _ in range(20):
        t0, t1, a, b = rng.normal(size=4)
        lhs = _d(lambda u, t1=t1, a=a, b=b: (u + t1 * a - b) ** 2, t0)
        rhs = 2 * (t0 + t1 * a - b) * (a if name.endswith("wrong") else 1)
        holds &= bool(np.isclose(lhs, rhs, rtol=1e-5, atol=1e-6))
    assert holds == (expected[-1] == "proved")
    assert verdicts(tmp_path, body) == expected
