"""Definitions a reader sees (issue 19, items 3-5): each mechanism with rows where it must
apply and rows where it must not.

1. A definition through an invertible function (:mod:`derive.latex.inverses`):
   ``\\log(\\lambda_i) = \\beta^\\top x_i`` defines ``\\lambda_i = \\exp(\\beta^\\top x_i)`` when
   ``\\lambda_i`` is otherwise undefined. Not for ``\\sin``, ``x^2``, ``\\log(a + b)``, a name
   defined before or an equation that writes the name on both sides.
2. How far a ``\\sum`` reaches when a later term uses its letter (``\\sum_i a_i + b_i``): a
   point of the ambiguity policy (:mod:`derive.latex.sum_reach`); a definition whose body
   meets it is not inferred. Not met when no later term uses the letter, when the later use
   is bound by a sum of its own, or when the use comes before the sum.
3. A definition ending a sentence (``L = \\sum_i y_i.``) is read without its full stop.
4. A first definition derive does not read claims its pattern: a later equation with the
   same pattern is not silently taken as the definition; another pattern (another argument
   list) or a new section is a definition of its own.
5. A definition written again word for word is a definition (restated), not a proof;
   another equation for the name is a claim.
6. A name defined in two sections with two equations is read per section: each section with
   its own definition, never the first one everywhere.

The truth of every checked row is decided by brute force in :func:`truth` (NumPy, random
values, sizes 1-3), never by derive.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.verify import verify_file


def verdicts(tmp_path, body: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return [r["verdict"] for r in verify_file(str(p))]


def _fd(f, x: np.ndarray, k: int, h: float = 1e-6) -> float:
    e = np.zeros_like(x)
    e[k] = h
    return (f(x + e) - f(x - e)) / (2 * h)


def truth(name: str) -> bool:
    """Each checked row's claim at random values and sizes 1-3, by brute force."""
    rng = np.random.default_rng(1)
    for n in (1, 2, 3):
        for _ in range(4):
            a, b, c = rng.uniform(0.2, 2.0, size=3)
            beta, x, y = rng.normal(size=n), rng.normal(size=n), rng.uniform(0.1, 1, size=n)
            k = int(rng.integers(n))
            lam = lambda bb, x=x: np.exp(bb @ x)  # noqa: E731
            lhs, rhs = {
                "exp of a sum": (np.exp(a + b), np.exp(a) * np.exp(b)),
                "exp of a sum wrong": (np.exp(a + b), np.exp(a) + np.exp(b)),
                "log link derivative": (_fd(lam, beta, k), lam(beta) * x[k]),
                "log link derivative wrong": (_fd(lam, beta, k), x[k]),
                "ln": (np.exp(a), np.exp(a)),
                "exp inverse": (np.log(c + 1), np.log(c + 1)),
                "exp inverse wrong": (np.log(c + 1), np.log(c) + 1),
                "log of exp": (np.log(np.exp(a)), a),
                "log of exp wrong": (np.log(np.exp(a)), 2 * a),
                "sum with a constant": (y.sum() + a, a + y.sum()),
                "two sums": (y.sum() + x.sum(), (y + x).sum()),
                "off by one": (y.sum() + 1, 2 + y.sum()),
                "derivative of a sum": (_fd(lambda v: v.sum(), y, k), 1.0),
                "derivative of a sum wrong": (_fd(lambda v: v.sum(), y, k), y[k]),
                "commuted": (a + b, b + a),
                "other section": (b, a),
            }[name]
            if not np.isclose(lhs, rhs, rtol=1e-5, atol=1e-6):
                return False
    return True


INVERSE = [
    ("exp of a sum", "$$\\log(\\lambda) = a + b$$\n$$\\lambda = e^{a} e^{b}$$",
     ["definition", "proved"]),
    ("exp of a sum wrong", "$$\\log(\\lambda) = a + b$$\n$$\\lambda = e^{a} + e^{b}$$",
     ["definition", "refuted"]),
    ("log link derivative",
     "$$\\log(\\lambda_i) = \\sum_{j=1}^{D} \\beta_j x_{ij}$$\n"
     "$$\\frac{\\partial \\lambda_i}{\\partial \\beta_k} = \\lambda_i x_{ik}$$",
     ["definition", "proved"]),
    ("log link derivative wrong",
     "$$\\log(\\lambda_i) = \\sum_{j=1}^{D} \\beta_j x_{ij}$$\n"
     "$$\\frac{\\partial \\lambda_i}{\\partial \\beta_k} = x_{ik}$$",
     ["definition", "refuted"]),
    ("ln", "$$\\ln \\mu = a$$\n$$\\mu = e^{a}$$", ["definition", "proved"]),
    ("exp inverse", "$$\\exp(z) = c + 1$$\n$$z = \\log(c + 1)$$", ["definition", "proved"]),
    ("exp inverse wrong", "$$\\exp(z) = c + 1$$\n$$z = \\log(c) + 1$$",
     ["definition", "refuted"]),
    # must not apply: the name is defined before, so the equation is a claim about it
    ("log of exp", "$$\\lambda = e^{a}$$\n$$\\log(\\lambda) = a$$", ["definition", "proved"]),
    ("log of exp wrong", "$$\\lambda = e^{a}$$\n$$\\log(\\lambda) = 2a$$",
     ["definition", "refuted"]),
]


@pytest.mark.parametrize("name, body, expected", INVERSE)
def test_a_definition_through_an_invertible_function(tmp_path, name, body, expected):
    assert truth(name) == (expected[-1] == "proved")
    assert verdicts(tmp_path, body) == expected


@pytest.mark.parametrize("body", [
    "$$\\lambda^2 = a$$\n$$\\lambda = a^{1/2}$$",  # a power: not one-to-one
    "$$\\sin(\\lambda) = a$$\n$$\\lambda = a$$",  # not in the table
    "$$\\log(\\lambda + b) = a$$\n$$\\lambda = e^{a} - b$$",  # not one bare name
    "$$\\log(\\lambda) = \\lambda + a$$\n$$\\lambda = a$$",  # the name on both sides
])
def test_no_definition_from_a_function_that_is_not_undone(tmp_path, body):
    """Must not apply: no row defines lambda, so no step after it is proved (each second
    step holds only for some values, or not at all, of a lambda the equation allows)."""
    got = verdicts(tmp_path, body)
    assert "definition" not in got[:1] and got[-1] != "proved"


REACH = [
    # must not apply: no later term writes the sum's letter, or a sum of its own binds it
    ("sum with a constant", "$$\\sum_{i=1}^{n} y_i + a = a + \\sum_{i=1}^{n} y_i$$", "proved"),
    ("two sums", "$$\\sum_{i=1}^{n} y_i + \\sum_{i=1}^{n} x_i = \\sum_{i=1}^{n} (y_i + x_i)$$",
     "proved"),
    ("off by one", "$$\\sum_{i=1}^{n} y_i + 1 = 2 + \\sum_{i=1}^{n} y_i$$", "refuted"),
]


@pytest.mark.parametrize("name, body, expected", REACH)
def test_a_sum_no_later_term_reaches_into_is_read_as_written(tmp_path, name, body, expected):
    assert truth(name) == (expected == "proved")
    assert verdicts(tmp_path, body) == [expected]


def test_a_sum_whose_letter_a_later_term_uses_is_checked_under_both_reaches(tmp_path):
    """sum_i a_i + a_i = 2 sum_i a_i holds when the sum reaches over a_i (the whole is
    sum_i 2 a_i) and fails when it ends at its term (a free a_i): the readings disagree."""
    rng = np.random.default_rng(2)
    a = rng.normal(size=3)
    assert np.isclose((a + a).sum(), 2 * a.sum()) and not np.isclose(a.sum() + a[0],
                                                                       2 * a.sum())
    p = tmp_path / "n.md"
    p.write_text("$$\\sum_{i=1}^{n} a_i + a_i = 2 \\sum_{i=1}^{n} a_i$$\n")
    (rec,) = verify_file(str(p))
    assert rec["verdict"] == "unknown" and "readings disagree" in rec["note"]
    assert [r["verdict"] for r in rec["readings"]] == ["refuted", "proved"]


def test_a_definition_whose_sum_reach_is_a_reading_point_is_not_inferred(tmp_path):
    """The body sum_i a_i + b_i would be read one way for every step: a true step written
    with the other reading (sum_i (a_i + b_i)) could be refuted. The name stays undefined."""
    got = verdicts(tmp_path, "$$\\ell = \\sum_{i=1}^{n} a_i + b_i$$\n"
                             "$$\\ell = \\sum_{i=1}^{n} (a_i + b_i)$$")
    assert got == ["definition", "unknown"]


@pytest.mark.parametrize("name, end, expected", [
    ("derivative of a sum", "1", ["definition", "proved"]),
    ("derivative of a sum wrong", "y_k", ["definition", "refuted"]),
])
@pytest.mark.parametrize("stop", [".", ",", ""])
def test_a_definition_ending_a_sentence(tmp_path, name, end, expected, stop):
    assert truth(name) == (expected[-1] == "proved")
    body = (f"$$L = \\sum_{{i=1}}^{{n}} y_i{stop}$$\n"
            f"$$\\frac{{\\partial L}}{{\\partial y_k}} = {end}$$")
    assert verdicts(tmp_path, body) == expected


def test_a_first_definition_not_read_claims_its_pattern(tmp_path):
    """L(p) is first defined by an equation derive does not read (\\binom: a construct
    derive does not read, as \\sqrt was before it was read as a power); the second equation with
    the same pattern is a claim about that L (not its definition), and L stays undefined.
    The first equation is L's definition, whose value is unread (session 32: 'definition'
    with the reason, never a claim checked)."""
    got = verdicts(tmp_path, "$$L(\\mathbf{p}) = \\binom{p_1}{2}$$\n"
                             "$$L(\\mathbf{p}) = - \\sum_{i=1}^{n} y_i \\log p_i$$\n"
                             "$$\\frac{\\partial L}{\\partial p_k} = - \\frac{y_k}{p_k}$$")
    assert got == ["definition", "unknown", "unknown"]


@pytest.mark.parametrize("body", [
    # another pattern (another argument list): a function of its own
    "$$f(a) = \\binom{a}{2}$$\n$$f(a, b) = a + b$$",
    # a new section
    "# A\n$$f(a) = \\binom{a}{2}$$\n# B\n$$f(a) = a + 1$$",
])
def test_an_unread_definition_does_not_claim_another_pattern_or_section(tmp_path, body):
    # the first: f's definition, its value unread (session 32); the second: another f
    assert verdicts(tmp_path, body) == ["definition", "definition"]


@pytest.mark.parametrize("name, body, expected", [
    ("commuted", "$$p = a + b$$\n$$p = a + b$$", ["definition", "definition"]),
    ("commuted", "$$p = a + b$$\n$$p = b + a$$", ["definition", "proved"]),
])
def test_a_definition_written_again_is_no_proof(tmp_path, name, body, expected):
    assert truth(name)
    assert verdicts(tmp_path, body) == expected


@pytest.mark.parametrize("body, expected", [
    ("# A\n$$p = a$$\n# B\n$$p = b$$\n$$p = a$$", ["definition", "definition", "refuted"]),
    ("# A\n$$p = a$$\n# B\n$$p = b$$\n$$p = b$$", ["definition", "definition", "definition"]),
    ("# A\n$$p = a$$\n$$p = a$$\n# B\n$$p = b$$", ["definition", "definition", "definition"]),
])
def test_a_later_section_reads_its_own_definition(tmp_path, body, expected):
    """p = a in section B, where p = b: false (a and b differ), never proved by reading
    section A's p = a everywhere."""
    assert not truth("other section")
    assert verdicts(tmp_path, body) == expected


def test_one_section_two_definitions_the_second_is_a_claim(tmp_path):
    """Must not apply: in one section the first definition stands and a second equation for
    the name is checked against it (false here: a and b differ)."""
    assert not truth("other section")
    assert verdicts(tmp_path, "$$p = a$$\n$$p = b$$") == ["definition", "refuted"]


@pytest.mark.parametrize("end, expected", [("2 w", "proved"), ("3 w", "refuted")])
def test_two_definitions_in_one_display_are_both_read(tmp_path, end, expected):
    """t = s w \\qquad s = 2 defines t and s (two equations, issue 19 item 4), so t = 2 w holds
    and t = 3 w does not (w = 1). The display used to be skipped as a definition, and the
    later step itself was taken as t's definition: t = 3 w was proved."""
    rng = np.random.default_rng(3)
    w = rng.normal(size=4)
    assert np.allclose(2 * w, eval(end.replace(" w", " * w"))) == (expected == "proved")
    got = verdicts(tmp_path, f"$$t = s w \\qquad s = 2$$\n\n$$t = {end}$$")
    assert got == ["definition", "definition", expected]


@pytest.mark.parametrize("body, expected", [
    # the restated definition opens section B: a later equation there is a claim (false)
    ("# A\n$$p = a$$\n# B\n$$p = a$$\n$$p = b$$", ["definition", "definition", "refuted"]),
    # a chain that goes on from the definition is the same definition, its links claims
    ("# A\n$$p = a$$\n# B\n$$p = a = a + 0$$\n$$p = b$$",
     ["definition", "definition", "proved", "refuted"]),
])
def test_a_restated_definition_defines_its_section(tmp_path, body, expected):
    assert not truth("other section") and truth("commuted")
    assert verdicts(tmp_path, body) == expected
