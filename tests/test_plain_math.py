"""Plain-text maths (derive.latex.sources.plain_math and the Markdown reader's plain lines):
which lines are read, what they are read as, and verdicts whose truth is decided by evaluating
both sides at numbers (never by derive)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import derive
from derive.latex.sources.markdown import read as read_md
from derive.latex.sources.plain_math import FUNCTIONS, is_prose, translate, transpose_declared

# (line, transpose, the LaTeX it is read as, or None: not maths)
TRANSLATE = [
    ("z * -log(sigmoid(x))", False, "z * (-\\log(\\operatorname{sigmoid}(x)))"),
    ("= (1 - z) * x + log(1 + exp(-x))", False, "= (1 - z) * x + \\log(1 + \\exp(-x))"),
    ("log((1 + exp(x)) / exp(x))", False, "\\log(\\frac{(1 + \\exp(x))}{\\exp(x)})"),
    ("x**2 + x^(n-1) = sqrt(y)", False, "x^{2} + x^{(n - 1)} = (y)^{1/2}"),
    ("-x^2 + 2.5", False, "-x^{2} + 2.5"),
    ("x_i + x_{ij} = 1", False, "x_{i} + x_{ij} = 1"),
    ("tanh(a) + ln(b)", False, "\\tanh(a) + \\ln(b)"),
    ("softmax(z) - y", False, "\\operatorname{softmax}(z) - y"),
    # one-letter names side by side; ' a transpose only when the notes say so
    ("(y-Xw)'(y-Xw)", True, "(y - X w)^{T} (y - X w)"),
    ("=y'y -2y'Xw + w'X'Xw", True, "= y^{T} y - 2 y^{T} X w + w^{T} X^{T} X w"),
    ("(y-Xw)'(y-Xw)", False, "(y - X w)' (y - X w)"),
    ("f'(x) + 1", False, "f' (x) + 1"),
    ("a = b.", False, "a = b"),
    # not maths: words, code, lists, unbalanced brackets, other characters
    ("So I think this might be", False, None),
    ("x = logits", False, None),
    ("x = x - lr * g", False, None),
    ("_sentinel=None,", False, None),
    ("max(x, 0) - x * z", False, None),
    ("= z * (x + log(1 + exp(-x))", False, None),
    ("x1 + 2", False, "x_{1} + 2"),
    ("h1=w1*i1+w2*i2", False, "h_{1} = w_{1} * i_{1} + w_{2} * i_{2}"),
    ("a_h1 = sigmoid(h1)", False, "a_{h1} = \\operatorname{sigmoid}(h_{1})"),
    ("lr2 = 3", False, None),
    ("ET1 = E1", False, None),
    ("w1_2 = 1", False, None),
    ("So = It", False, None),
    ("ET = E + T", False, None),
    ("CE = -log(p)", False, None),
    ("dE/dw = E / w", False, None),
    ("dE/dW = E / W", False, None),
    ("dE + dW = E", False, None),
    ("d(x^2)/d x = 2 * x", False, None),
    ("d (x) + 1", False, "d (x) + 1"),
    ("E = mc^2", False, None),
    ("1/2x", False, None),
    ("a / b c", False, None),
    ("x < 0", False, None),
    ("x · y", False, None),
    ("log x + 1", False, None),
    ("x", False, None),
    ("42", False, None),
    ("", False, None),
]


@pytest.mark.parametrize("line,transpose,want", TRANSLATE, ids=[r[0] or "empty" for r in TRANSLATE])
def test_translate(line: str, transpose: bool, want: str | None) -> None:
    got = translate(line, transpose)
    assert (None if got is None else got[0]) == want
    if got is not None:  # every character of the LaTeX comes from a character of the line
        assert len(got[1]) == len(got[0]) and all(0 <= k < len(line) for k in got[1])


def test_positions_point_at_the_characters_written() -> None:
    latex, at = translate("= a * exp(b)")  # type: ignore[misc]
    assert "= a * exp(b)"[at[latex.index("\\exp")]] == "e"
    assert "= a * exp(b)"[at[latex.index("b")]] == "b"


def test_every_function_of_the_table_reads() -> None:
    for name in FUNCTIONS:
        got = translate(f"{name}(x) + 1")
        assert got is not None and got[0] != f"{name}(x) + 1" and "x" in got[0]


@pytest.mark.parametrize("prose,want", [
    ("(I am using ' to denote the transpose as in matlab)", True),
    ("Here x' is the transpose of x.", True),
    ("We write ' for transpose.", True),
    ("a prime denotes the transpose", True),
    ("where f' is the derivative of f", False),
    ("the transpose of X is written X^T", False),
    ("it's the transpose we want", False),
])
def test_transpose_is_said_in_prose(prose: str, want: bool) -> None:
    assert transpose_declared(prose) is want


@pytest.mark.parametrize("line,want", [("and I expand it", True), ("Now I get the gradient", True),
                                       ("对于x < 0", True), ("= log(1 + exp(x)", False),
                                       ("(a + b", False), ("log(exp(x)) = x", False)])
def test_is_prose(line: str, want: bool) -> None:
    assert is_prose(line) is want


# --- which lines of a Markdown file are read ------------------------------------------------

def _lines(text: str) -> list[int]:
    return [s.line for s in read_md(text, "n.md").segments]


READ = [
    ("chain", "We have\nlog(exp(a)) + b\n= a + b\n= b + a\n", [2, 3, 4]),
    # prose between a member and its '=' continuation: the author's chain goes on
    ("prose-between", "The loss\n(a + b)^2\nand I expand it\n= a^2 + 2a b + b^2\n", [2, 4]),
    # a standalone equation that states a step
    ("standalone-step", "Note that\nlog(exp(a)) = a\nholds.\n", [2]),
    # never read: code (program code is an update, not a claim), prose with '=', conditions,
    # updates, a heading, a list bullet's dash, a '=' line with nothing before it
    ("code-fence", "```\nw = w - a * g\nlog(exp(a))\n= a\n```\n", []),
    ("inline-code", "Use `log(exp(a)) = a` here.\n", []),
    ("prose-with-equals", "Let x = logits and z = labels.\n", []),
    ("update", "Then\nw = w - a * g\n", []),
    ("condition", "When\ni = j\nwe get\n", []),
    ("heading", "# a = 2 * b\n", []),
    ("list", "- a = 2 * b\n- b = 1\n", [1]),
    ("lonely-continuation", "Something\n= a + b\n", []),
    ("lone-expression", "Here\nlog(exp(a)) + b\nis the loss.\n", []),
    # an equation to solve is no identity
    ("equation", "Solve\n2 * a + 3 = 7\nfor a.\n", []),
    # an indented block of plain maths (not a program): its lines, without their # comments
    ("indented-maths", "Net:\n\n    h1=w1*i1+w2*i2   # weights\n\n    a1 = log(exp(h1)) = h1\n",
     [3, 5]),
    ("indented-chain", "Text.\n\n    log(exp(a))\n    = a\n", [3, 4]),
    ("indented-comment-line", "Net:\n\n    # a1 = log(exp(h1)) = h1\n", []),
    # an indented block that holds program code is never read, not even its maths lines
    ("indented-program", "Code:\n\n    p = 1 / (1 + exp(-z))\n    def f(x):\n        return x\n", []),
    ("indented-program-call", "Code:\n\n    p = 1 / (1 + exp(-z))\n    y = np.exp(p)\n", []),
    ("indented-program-compare", "Code:\n\n    p = 1 / (1 + exp(-z))\n    q = a == b\n", []),
    ("fenced-maths", "Code:\n\n```\np = 1 / (1 + exp(-z))\n```\n", []),
    # a member that does not read ends the chain: the '=' lines after it are not read
    ("broken", "Then\nlog(exp(a))\n= a\n= (a\n= a + 0\n", [2, 3]),
    ("broken-head", "Then\nlog(exp(a))\n= (a\n= a\n", []),
    # a display between: the '=' line would continue the display, not the plain line
    ("display-between", "Then\nlog(exp(a))\n\n$$ c = c $$\n\n= a\n", [4]),
    ("display-between-chain", "Then\nlog(exp(a))\n= a\n\n$$ c = c $$\n\n= a + 0\n", [2, 3, 5]),
    # a line holding maths of its own is not plain text
    ("mixed", "Then $a$ is\nlog(exp(a))\n= a $b$\n", []),
]


@pytest.mark.parametrize("name,text,want", READ, ids=[r[0] for r in READ])
def test_which_lines_are_read(name: str, text: str, want: list[int]) -> None:
    assert _lines(text) == want


def test_list_item_is_read_without_its_marker() -> None:
    seg = read_md("- a = 2 * b\n", "n.md").segments[0]
    assert (seg.line, seg.col, seg.text) == (1, 3, "a = 2 * b")


def test_a_plain_line_keeps_its_file_positions() -> None:
    text = "Then\n  log(exp(a)) + b\n= a + b\n"
    segs = read_md(text, "n.md").segments
    assert [(s.line, s.col) for s in segs] == [(2, 3), (3, 1)]
    assert segs[0].positions is not None and segs[0].positions[0] == (2, 3)


# --- verdicts: truth by evaluating both sides at numbers ------------------------------------

def _sig(t: float) -> float:
    return 1 / (1 + math.exp(-t))


def _holds(lhs, rhs) -> bool:  # type: ignore[no-untyped-def]
    return all(math.isclose(lhs(a, b), rhs(a, b), rel_tol=1e-9, abs_tol=1e-9)
               for a, b in itertools.product((0.3, 0.7, 1.5, 2.0), (-1.5, 0.5, 2.0)))


# (name, notes, the step's line, lhs, rhs as functions of (a, b) = (z, x) or (a, b))
VERDICTS = [
    ("bce-true", "Then\nz * -log(sigmoid(x)) + (1 - z) * -log(1 - sigmoid(x))\n"
     "= z * log(1 + exp(-x)) + (1 - z) * (x + log(1 + exp(-x)))\n", 3,
     lambda z, x: -z * math.log(_sig(x)) - (1 - z) * math.log(1 - _sig(x)),
     lambda z, x: z * math.log(1 + math.exp(-x)) + (1 - z) * (x + math.log(1 + math.exp(-x)))),
    ("bce-false", "Then\nz * -log(sigmoid(x)) + (1 - z) * -log(1 - sigmoid(x))\n"
     "= z * log(1 + exp(-x)) + (1 - z) * log(1 + exp(-x))\n", 3,
     lambda z, x: -z * math.log(_sig(x)) - (1 - z) * math.log(1 - _sig(x)),
     lambda z, x: z * math.log(1 + math.exp(-x)) + (1 - z) * math.log(1 + math.exp(-x))),
    ("powers-true", "So\n(a + b)**2\n= a^2 + 2*a*b + b^2\n", 3,
     lambda a, b: (a + b) ** 2, lambda a, b: a * a + 2 * a * b + b * b),
    ("powers-false", "So\n(a + b)**2\n= a^2 + b^2\n", 3,
     lambda a, b: (a + b) ** 2, lambda a, b: a * a + b * b),
    ("division-true", "So\nlog((1 + exp(b)) / exp(b))\n= log(1 + exp(-b))\n", 3,
     lambda a, b: math.log((1 + math.exp(b)) / math.exp(b)), lambda a, b: math.log(1 + math.exp(-b))),
    ("division-false", "So\nlog((1 + exp(b)) / exp(b))\n= log(1 + exp(b))\n", 3,
     lambda a, b: math.log((1 + math.exp(b)) / math.exp(b)), lambda a, b: math.log(1 + math.exp(b))),
    ("sqrt-true", "So\nsqrt(exp(2*b))\n= exp(b)\n", 3,
     lambda a, b: math.sqrt(math.exp(2 * b)), lambda a, b: math.exp(b)),
    ("sqrt-false", "So\nsqrt(exp(2*b))\n= exp(2*b)\n", 3,
     lambda a, b: math.sqrt(math.exp(2 * b)), lambda a, b: math.exp(2 * b)),
    ("standalone-true", "Note that\nlog(exp(a) * exp(b)) = a + b\nholds.\n", 2,
     lambda a, b: math.log(math.exp(a) * math.exp(b)), lambda a, b: a + b),
    ("standalone-false", "Note that\nlog(exp(a) + exp(b)) = a + b\nholds.\n", 2,
     lambda a, b: math.log(math.exp(a) + math.exp(b)), lambda a, b: a + b),
]


@pytest.mark.parametrize("name,text,line,lhs,rhs", VERDICTS, ids=[r[0] for r in VERDICTS])
def test_verdicts_match_brute_force(name: str, text: str, line: int, lhs, rhs) -> None:  # type: ignore[no-untyped-def]
    got = [(r.line, r.verdict) for r in derive.verify_text(text)]
    want = "proved" if _holds(lhs, rhs) else "refuted"
    assert (line, want) in got, got


# --- transposes: shapes unknown, never proved by reading a vector as a scalar ----------------

DECLARED = "\n\nHere I use ' to denote the transpose.\n"


def _vectors_hold(lhs, rhs) -> bool:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(3, 1)), rng.normal(size=(3, 1))
    a, b = lhs(x, y), rhs(x, y)
    return a.shape == b.shape and np.allclose(a, b)


@pytest.mark.parametrize("name,text,lhs,rhs", [
    # false for vectors (a number against a matrix), true for numbers: never proved
    ("outer-inner", "So\nx'x\n= x x'" + DECLARED, lambda x, y: x.T @ x, lambda x, y: x @ x.T),
    ("swap", "So\nx'y\n= y x'" + DECLARED, lambda x, y: x.T @ y, lambda x, y: y @ x.T),
    # true for vectors: never refuted
    ("symmetric", "So\nx'y\n= y'x" + DECLARED, lambda x, y: x.T @ y, lambda x, y: y.T @ x),
    ("expand", "So\n(x-y)'(x-y)\n= x'x - 2x'y + y'y" + DECLARED,
     lambda x, y: (x - y).T @ (x - y), lambda x, y: x.T @ x - 2 * x.T @ y + y.T @ y),
])
def test_transposes_of_unknown_shapes(name: str, text: str, lhs, rhs) -> None:  # type: ignore[no-untyped-def]
    verdicts = {r.verdict for r in derive.verify_text(text)}
    assert verdicts, "the chain must be read"
    banned = "refuted" if _vectors_hold(lhs, rhs) else "proved"
    assert banned not in verdicts, verdicts


def test_a_prime_is_a_transpose_only_when_the_notes_say_so() -> None:
    said = read_md("So\nx'y\n= y'x" + DECLARED, "n.md").segments
    unsaid = read_md("So\nx'y\n= y'x\n", "n.md").segments
    assert [s.text for s in said] == ["x^{T} y", "y^{T} x"]
    assert [s.text for s in unsaid] == ["x' y", "y' x"]
