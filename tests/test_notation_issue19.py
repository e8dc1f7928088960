"""Spellings of unseen notes (issue 19, items 1-3), each read through ``derive verify`` on
a small notes file with nothing declared, and each with the case where its rule must NOT
apply (another spelling, a colliding name, a size of 1).

Every rule here is a true step proved and a slip refuted in the notation; the must-not rows
keep a step unknown (never proved) where the notation does not decide its meaning.
"""

from __future__ import annotations

import pytest

from derive.latex.verify import verify_file


def verdicts(tmp_path, body: str, name: str = "n.md") -> list[str]:
    p = tmp_path / name
    p.write_text(body + "\n")
    return [r["verdict"] for r in verify_file(str(p))]


def notes(tmp_path, body: str, name: str = "n.md") -> list[dict]:
    p = tmp_path / name
    p.write_text(body + "\n")
    return verify_file(str(p))


# -- Lagrange's primes: f'(a) where the notes define f(x) ---------------------------------
LOGISTIC = r"""$$ f(x) = \frac{e^x}{e^x + b} $$

$$ g(x) = - a \log(f(x)) - (1 - a) \log(1 - f(x)) $$
"""


@pytest.mark.parametrize("step, expected", [
    (r"f'(x) = \frac{e^x b}{(e^x + b)^2}", "proved"),
    (r"f'(x) = \frac{e^x}{(e^x + b)^2}", "refuted"),
    (r"g'(x) = - a \frac{f'(x)}{f(x)} - (1 - a) \frac{-1 \cdot f'(x)}{1 - f(x)}", "proved"),
    (r"g'(x) = f(x) - a", "proved"),
    (r"g'(x) = a - f(x)", "refuted"),
    (r"g''(x) = f'(x)", "proved"),
    (r"g''(x) = 2 f'(x)", "refuted"),
    # at another point: the derivative of the body by its parameter, then the point
    (r"f'(y) = \frac{e^y b}{(e^y + b)^2}", "proved"),
    (r"f'(2) = \frac{2 e^2 b}{(e^2 + b)^2}", "refuted"),
    (r"f'(x)^2 = \frac{e^{2x} b^2}{(e^x + b)^4}", "proved"),
])
def test_a_prime_on_a_function_of_one_argument_is_its_derivative(tmp_path, step, expected):
    out = verdicts(tmp_path, LOGISTIC + f"\n$$ {step} $$")
    assert out == ["definition", "definition", expected], out


@pytest.mark.parametrize("block", [
    r"$$ y' = 2 y $$",                          # a primed letter no function defines
    r"$$ h(x, z) = x z $$" "\n\n" r"$$ h'(x, z) = z $$",  # two arguments: by which?
    r"$$ f_k(x) = k x $$" "\n\n" r"$$ f_k'(x) = k $$",    # an indexed family
])
def test_a_prime_the_notes_do_not_define_stays_unknown(tmp_path, block):
    recs = notes(tmp_path, block)
    last = recs[-1]
    assert last["verdict"] == "unknown", recs
    assert "prime" in last["note"], last


# -- a function called inside another function's body --------------------------------------
CALLS = r"""$$ f(x) = x^2 + 1 $$

$$ g(x) = 3 f(x) $$

$$ h(t) = 3 f(x) + t $$
"""


@pytest.mark.parametrize("step, expected", [
    # g(y): the x passed on to f is g's argument, here y (read as the global x, the true
    # step was refuted and the false one proved)
    ("g(y) = 3 y^2 + 3", "proved"),
    ("g(y) = 3 x^2 + 3", "refuted"),
    ("g(x) = 3 x^2 + 3", "proved"),
    # must not apply: h's parameter is t, so the x in its body is the x of the notes
    ("h(y) = 3 x^2 + 3 + y", "proved"),
    ("h(y) = 3 y^2 + 3 + y", "refuted"),
])
def test_an_argument_passed_on_inside_a_body_is_the_callers(tmp_path, step, expected):
    out = verdicts(tmp_path, CALLS + f"\n$$ {step} $$")
    assert out[-1] == expected, out
