"""A prime on a bracketed sum, ``\\left(\\sum_k e^{z_k}\\right)'`` (issue 19; prime_variables).

The prime of a bracket is the derivative by the variable the notes state ("with respect to
$z_j$", derive.latex.prime_variables). A bracket written with a size command (``\\left(``,
``\\bigl(``) starts its member after the command, so the prose before the display was not
found and the step was unknown; it is now read as ``( ... )'`` is. A prime on a bare
``\\sum`` (``\\sum'``: the derivative of a sum written elsewhere, or a primed sum over part
of a range) stays unknown, as does a bracket whose variable is not stated or is stated
twice.

Truth by brute force (central differences, sizes 1-4, every j), never by derive.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.verify import verify_file

WRT = "Primes denote the derivative with respect to $z_j$.\n\n"


def verdicts(tmp_path, body: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return [r["verdict"] for r in verify_file(str(p)) if r["verdict"] != "definition"]


def truth(name: str) -> bool:
    rng = np.random.default_rng(2)
    for n in (1, 2, 3, 4):
        for _ in range(3):
            z = rng.normal(size=n)
            for j in range(n):
                f, rhs = {
                    "exp sum": (lambda v: np.exp(v).sum(), np.exp(z[j])),
                    "exp sum 2x": (lambda v: np.exp(v).sum(), 2 * np.exp(z[j])),
                    "square sum": (lambda v: (v ** 2).sum(), 2 * z[j]),
                    "square sum from 2": (lambda v: (v[1:] ** 2).sum(), 2 * z[j]),
                }[name]
                eps = 1e-6
                step = np.eye(n)[j] * eps
                fd = (f(z + step) - f(z - step)) / (2 * eps)
                if not np.isclose(fd, rhs, atol=1e-5):
                    return False
    return True


ROWS = [
    ("exp sum", WRT + "$$\\left(\\sum_{k=1}^K e^{z_k}\\right)' = e^{z_j}$$", "proved"),
    ("exp sum 2x", WRT + "$$\\left(\\sum_{k=1}^K e^{z_k}\\right)' = 2 e^{z_j}$$", "refuted"),
    ("exp sum", WRT + "$$(\\sum_{k=1}^K e^{z_k})' = e^{z_j}$$", "proved"),
    ("square sum", WRT + "$$\\bigl(\\sum_{k=1}^K z_k^2\\bigr)' = 2 z_j$$", "proved"),
    ("square sum", WRT + "$$\\Big(\\sum_{k=1}^K z_k^2\\Big)' = 2 z_j$$", "proved"),
    # another range: the sum from 2 misses z_1 (z runs over 1..K, as the first display
    # says), so the step is false at j = 1
    ("square sum from 2", "$$\\sum_{k=1}^K z_k^2 = \\sum_{k=1}^K z_k z_k$$\n\n" + WRT
     + "$$\\left(\\sum_{k=2}^K z_k^2\\right)' = 2 z_j$$", "refuted"),
]


@pytest.mark.parametrize("name, body, expected", ROWS)
def test_a_prime_on_a_bracketed_sum(tmp_path, name, body, expected):
    assert truth(name) == (expected == "proved")
    assert verdicts(tmp_path, body)[-1] == expected


NOT_PINNED = [
    ("no variable stated", "Then\n\n$$\\left(\\sum_{k=1}^K e^{z_k}\\right)' = e^{z_j}$$"),
    ("two variables stated", "Primes denote derivatives with respect to $z_j$ and with "
     "respect to $z_k$.\n\n$$\\left(\\sum_{k=1}^K e^{z_k}\\right)' = e^{z_j}$$"),
    ("a prime on a bare sum", WRT + "$$\\sum_{k=1}^K{}' e^{z_k} = e^{z_j}$$"),
    ("a prime on the operator", WRT + "$$\\sum'_{k} e^{z_k} = e^{z_j}$$"),
]


@pytest.mark.parametrize("name, body", NOT_PINNED)
def test_a_prime_with_no_one_variable_is_unknown(tmp_path, name, body):
    assert truth("exp sum")
    assert verdicts(tmp_path, body) == ["unknown"], name
