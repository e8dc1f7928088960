"""Primes without a declaration (issue 19): the variable of ``'`` read from the context
(derive.latex.prime_variables), and the referee's own reading (derive.latex.referee.primes).

Every row's expected verdict is decided here, independently of derive, by central finite
differences in float64 at sample points (:func:`truth`): ``proved`` only where the step
holds under the author's reading at every point, ``refuted`` where it fails at one. Rows
where the rule must NOT apply expect ``unknown`` and show, by the same brute force, that
the readings a careless reader could take disagree (so any verdict would be a guess).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from derive.latex.verify import verify_file

POINTS = ((-1.3, 0.6), (-0.4, 1.7), (0.7, -0.9), (1.9, 0.3))  # (x, y)
H = 1e-5


def fd(f: Callable[[float, float], float], x: float, y: float, by: str) -> float:
    """df/dx or df/dy at (x, y) by central differences."""
    if by == "x":
        return (f(x + H, y) - f(x - H, y)) / (2 * H)
    return (f(x, y + H) - f(x, y - H)) / (2 * H)


def truth(lhs: Callable[[float, float], float], rhs: Callable[[float, float], float]) -> str:
    same = all(math.isclose(lhs(x, y), rhs(x, y), rel_tol=1e-4, abs_tol=1e-4)
               for x, y in POINTS)
    return "proved" if same else "refuted"


def verdicts(tmp_path, body: str) -> list[str]:
    return [r["verdict"] for r in records(tmp_path, body)]


def records(tmp_path, body: str) -> list[dict]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return verify_file(str(p))


def g(x: float, y: float) -> float:
    return x * x * y


def u(x: float, y: float) -> float:
    return x ** 3


DEF_G = "Let $g = x^2 y$.\n\n"
DEF_U = "$$ u = x^3 $$\n\n"

# (name, notes, the verdicts of the steps after the definitions, author's lhs, rhs)
APPLIES = [
    # the display's left side differentiates by x: the primes after it are d/dx
    ("display", DEF_G + r"$$ \frac{\partial g}{\partial x} = (x^2 y)' = 2 x y $$",
     lambda x, y: fd(g, x, y, "x"), lambda x, y: 2 * x * y),
    ("display, a slip", DEF_G + r"$$ \frac{\partial g}{\partial x} = (x^2 y)' = x^2 $$",
     lambda x, y: fd(g, x, y, "x"), lambda x, y: x * x),
    ("display by y", DEF_G + r"$$ \frac{\partial g}{\partial y} = (x^2 y)' = x^2 $$",
     lambda x, y: fd(g, x, y, "y"), lambda x, y: x * x),
    ("operator form", r"$$ \frac{\partial}{\partial x} (x^3 y) = (x^3 y)' = 3 x^2 y $$",
     lambda x, y: 3 * x * x * y, lambda x, y: 3 * x * x * y),
    # the prose right before the display says by which variable
    ("prose before", "Differentiating with respect to $y$:\n\n$$ (x^2 y^3)' = 3 x^2 y^2 $$",
     lambda x, y: fd(lambda a, b: a * a * b ** 3, x, y, "y"), lambda x, y: 3 * x * x * y * y),
    ("prose before, a slip", "The derivative w.r.t. $y$ is\n$$ (x^2 y^3)' = 2 x y^3 $$",
     lambda x, y: fd(lambda a, b: a * a * b ** 3, x, y, "y"), lambda x, y: 2 * x * y ** 3),
    # a notation the prose states, for the displays after it in its section
    ("notation", DEF_U + "Here $u'$ denotes the derivative of $u$ with respect to $x$.\n\n"
     "Then\n\n$$ u' = 3 x^2 $$", lambda x, y: fd(u, x, y, "x"), lambda x, y: 3 * x * x),
    ("notation, a slip", DEF_U + "We write $u'$ for the derivative of $u$ w.r.t. $x$.\n\n"
     "Then\n\n$$ u' = 3 x $$", lambda x, y: fd(u, x, y, "x"), lambda x, y: 3 * x),
    # ... and for the display right before it
    ("notation after", DEF_U + r"$$ \frac{d u}{d x} = u' = 3 x^2 $$" "\n\n"
     "Here $u'$ is the derivative of $u$ w.r.t. $x$.",
     lambda x, y: fd(u, x, y, "x"), lambda x, y: 3 * x * x),
]


@pytest.mark.parametrize("name, body, lhs, rhs", APPLIES, ids=[r[0] for r in APPLIES])
def test_an_undeclared_prime_takes_the_variable_its_context_gives(tmp_path, name, body, lhs,
                                                                  rhs):
    out = [v for v in verdicts(tmp_path, body) if v != "definition"]
    expected = truth(lhs, rhs)
    assert out and out[-1] == expected, (name, out)
    assert "refuted" not in out[:-1] and "unknown" not in out, (name, out)


SIG = r"$$ \sigma(t) = \frac{1}{1 + e^{-t}} $$" "\n\n"


def sig(t: float) -> float:
    return 1 / (1 + math.exp(-t))


# (name, notes, the readings a careless reader could take: (lhs, rhs) each; they disagree)
MUST_NOT = [
    # the display says x, the prose says y: ambiguous
    ("display and prose disagree", DEF_G + "Differentiating with respect to $y$,\n\n"
     r"$$ \frac{\partial g}{\partial x} = (x^2 y)' $$",
     [(lambda x, y: fd(g, x, y, "x"), lambda x, y: fd(g, x, y, "x")),
      (lambda x, y: fd(g, x, y, "x"), lambda x, y: fd(g, x, y, "y"))]),
    # a notation stated in another section does not reach this one
    ("another section", DEF_U + "# One\n\nHere $u'$ is the derivative of $u$ w.r.t. $x$.\n\n"
     "# Two\n\n$$ u' = 3 x^2 $$",
     [(lambda x, y: fd(u, x, y, "x"), lambda x, y: 3 * x * x),
      (lambda x, y: 0.0, lambda x, y: 3 * x * x)]),
    # x' is written as a variable of a derivative elsewhere: a name of its own
    ("a derivative's variable", r"$$ \frac{\partial (x' y)}{\partial x'} = y $$" "\n\n"
     r"$$ \frac{\partial (x y)}{\partial x} = x' y $$",
     [(lambda x, y: y, lambda x, y: 1.0 * y), (lambda x, y: y, lambda x, y: 2.0 * y)]),
    # x' inside a call's parentheses: another point
    ("an argument", "% derive: let k(a, b) = a b\n"
     r"$$ \frac{\partial k(x, y)}{\partial x} = k(x', y) $$" "\n\n"
     r"$$ \frac{\partial (x y)}{\partial x} = x' y $$",
     [(lambda x, y: y, lambda x, y: 1.0 * y), (lambda x, y: y, lambda x, y: 2.0 * y)]),
    # the prose names x' without speaking of derivatives: another point
    ("named in the prose", "For another point $x'$ close to $x$,\n\n"
     r"$$ \frac{\partial (x y)}{\partial x} = x' y $$",
     [(lambda x, y: y, lambda x, y: 1.0 * y), (lambda x, y: y, lambda x, y: 2.0 * y)]),
    # two variables on the left: no one variable
    ("a second derivative", DEF_G + r"$$ \frac{\partial^2 g}{\partial x \partial y} = (2 x y)' $$",
     [(lambda x, y: 2 * x, lambda x, y: fd(lambda a, b: 2 * a * b, x, y, "x")),
      (lambda x, y: 2 * x, lambda x, y: fd(lambda a, b: 2 * a * b, x, y, "y"))]),
    # the prime is on the first member itself: the display does not define it
    ("the prime on the left", DEF_U + r"$$ u' = \frac{d u}{d x} $$",
     [(lambda x, y: fd(u, x, y, "x"), lambda x, y: fd(u, x, y, "x")),
      (lambda x, y: 0.0, lambda x, y: fd(u, x, y, "x"))]),
    # ... even where the unprimed name is defined and the derivative would fit
    ("named in the prose, x defined", "Let $x = t^2$. For another point $x'$,\n\n"
     r"$$ \frac{\partial (x y)}{\partial t} = x' y $$",
     [(lambda t, y: 2 * t * y, lambda t, y: 2 * t * y), (lambda t, y: 2 * t * y,
                                                          lambda t, y: 5.0 * y)]),
    # the first member's own prime under the display's operator: by x (2x) or by y (0)?
    ("a prime inside the left side", r"$$ \frac{\partial}{\partial y} (x^2 y)' = 2 x $$",
     [(lambda x, y: fd(lambda a, b: fd(lambda c, d: c * c * d, a, b, "x"), x, y, "y"),
       lambda x, y: 2 * x),
      (lambda x, y: fd(lambda a, b: fd(lambda c, d: c * c * d, a, b, "y"), x, y, "y"),
       lambda x, y: 2 * x)]),
    # a name the notes never define: its derivative is not known (never silently 0)
    ("an undefined name", DEF_G + r"$$ \frac{\partial g}{\partial x} = v' x^2 + 2 x y $$",
     [(lambda x, y: fd(g, x, y, "x"), lambda x, y: 2 * x * y),
      (lambda x, y: fd(g, x, y, "x"), lambda x, y: x * x + 2 * x * y)]),
    # a prime after a call's parentheses: by its argument, or by the display's variable?
    ("after a call", SIG + r"$$ \frac{\partial}{\partial x} \sigma(2 x) = \sigma(2 x)' $$",
     [(lambda x, y: fd(lambda a, b: sig(2 * a), x, y, "x"),
       lambda x, y: fd(lambda a, b: sig(2 * a), x, y, "x")),
      (lambda x, y: fd(lambda a, b: sig(2 * a), x, y, "x"),
       lambda x, y: fd(lambda a, b: sig(a), 2 * x, y, "x"))]),
]


@pytest.mark.parametrize("name, body, readings", MUST_NOT, ids=[r[0] for r in MUST_NOT])
def test_a_prime_the_context_does_not_decide_is_never_read(tmp_path, name, body, readings):
    found = {truth(lhs, rhs) for lhs, rhs in readings}
    assert found == {"proved", "refuted"}, found  # the readings disagree: no verdict is sound
    out = [v for v in verdicts(tmp_path, body) if v != "definition"]
    assert out[-1] == "unknown", (name, out)


def test_a_prime_on_a_call_stays_lagranges_notation(tmp_path):
    # d/dx sigma(2x) = sigma'(2x) 2: the display's x never reaches sigma' (its own argument)
    body = SIG + r"$$ \frac{\partial}{\partial x} \sigma(2 x) = 2 \sigma'(2 x) $$"
    expected = truth(lambda x, y: fd(lambda a, b: sig(2 * a), x, y, "x"),
                     lambda x, y: 2 * fd(lambda a, b: sig(a), 2 * x, y, "x"))
    assert verdicts(tmp_path, body)[-1] == expected == "proved"


def test_the_displays_variable_never_reaches_a_call_beside_a_bracket(tmp_path):
    # (x^2)' is d/dx; sigma'(2x) stays sigma' at 2x (not d sigma(2x)/dx = 2 sigma'(2x))
    body = SIG + r"$$ \frac{\partial}{\partial x} (x^2 + \sigma(2 x)) = (x^2)' + 2 \sigma'(2 x) $$"
    expected = truth(lambda x, y: fd(lambda a, b: a * a + sig(2 * a), x, y, "x"),
                     lambda x, y: 2 * x + 2 * fd(lambda a, b: sig(a), 2 * x, y, "x"))
    assert verdicts(tmp_path, body)[-1] == expected == "proved"


def test_a_declared_prime_wins_over_the_context(tmp_path):
    body = DEF_G + "% derive: prime y\n" r"$$ \frac{\partial g}{\partial x} = 2 x y + (x^2 y)' - x^2 $$"
    expected = truth(lambda x, y: fd(g, x, y, "x"),
                     lambda x, y: 2 * x * y + fd(g, x, y, "y") - x * x)
    assert verdicts(tmp_path, body)[-1] == expected == "proved"


def test_the_ambiguous_reason_lists_the_readings(tmp_path):
    body = DEF_G + "Differentiating with respect to $y$,\n\n" \
        r"$$ \frac{\partial g}{\partial x} = (x^2 y)' $$"
    note = records(tmp_path, body)[-1]["note"]
    assert "ambiguous" in note and "d/d(x)" in note and "d/d(y)" in note, note


def test_the_referee_reads_the_prime_on_its_own(tmp_path, monkeypatch):
    # the referee's reader finds no variable: the proof is not confirmed (unknown)
    import sys

    monkeypatch.setattr(sys.modules["derive.latex.referee.gate"], "own_prime",
                        lambda *a, **k: None)
    body = DEF_G + r"$$ \frac{\partial g}{\partial x} = (x^2 y)' $$"
    recs = records(tmp_path, body)
    assert recs[-1]["verdict"] == "unknown" and "referee" in recs[-1]["note"], recs[-1]


# the referee's own reader, alone: (notes text, the chain as written, the variable or None)
OWN = [
    ("", r"\frac{\partial g}{\partial x} = (x^2 y)'", "x"),
    ("", r"\frac{\partial}{\partial y} (x y) = (x y)'", "y"),
    ("Differentiating with respect to $y$,\n\n", r"(x^2 y)' = x^2", "y"),
    ("Differentiating with respect to $y$,\n\n", r"\frac{\partial g}{\partial x} = (x^2 y)'",
     None),  # the display and the prose disagree
    ("", r"\frac{\partial^2 g}{\partial x \partial y} = (x^2 y)'", None),  # two variables
    ("", r"u' = \frac{d u}{d x}", None),  # the prime on the left
    ("Here $u'$ is the derivative of $u$ w.r.t. $x$.\n\nThen\n\n", "u' = 3 x^2", "x"),
    ("For another point $x'$,\n\n", "u' = 3 x^2", None),  # no derivative spoken of
    ("", r"\frac{\partial}{\partial y} (x^2 y)' = 2 x", None),  # the prime on the left
]


@pytest.mark.parametrize("prose, chain, variable", OWN, ids=[r[1] + " " + r[0][:20] for r in OWN])
def test_the_referees_own_reading_of_a_prime(prose, chain, variable):
    from derive.latex import ast
    from derive.latex.parser import parse_block
    from derive.latex.referee.decls import Decls
    from derive.latex.referee.evaluate import Evaluator, Point
    from derive.latex.referee.primes import own_prime

    text = prose + "$$ " + chain + " $$\n"
    line = text.count("\n", 0, text.index("$$")) + 1
    members = parse_block(chain, line, 4)[0].members
    ev = Evaluator(Decls(), Point(sizes={}, free={}, tensors={}))
    got = own_prime(members, text, frozenset(), ev.derivative_parts)
    assert got == (None if variable is None else ast.Letter(name=variable)), got


@pytest.mark.parametrize("prose, chain, variable", OWN, ids=[r[1] + " " + r[0][:20] for r in OWN])
def test_the_elaborators_reading_of_a_prime_alone(prose, chain, variable):
    # the same table, read by derive.latex.prime_variables: the two readers agree on it
    from derive.latex import ast
    from derive.latex.declarations import Declarations
    from derive.latex.elaborate import Elaborator
    from derive.latex.parser import parse_block
    from derive.latex.prime_variables import PrimeContext

    text = prose + "$$ " + chain + " $$\n"
    line = text.count("\n", 0, text.index("$$")) + 1
    members = parse_block(chain, line, 4)[0].members
    parts = Elaborator(Declarations(source="n.md")).derivative_parts
    ctx = PrimeContext(text, members, parts, (), lambda name: True)
    got = ctx.reading(members, line)
    assert (got.variable if got else None) == (
        None if variable is None else ast.Letter(name=variable)), got
