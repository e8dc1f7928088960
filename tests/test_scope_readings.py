"""Operator scope as a reading point of the ambiguity policy (issue 18, derive.latex.ambiguity).

``\\frac{\\partial}{\\partial z_k} a - b`` is read strictly (the operator on ``a``) and wide
(on ``a - b``); the step is proved or refuted only when both readings agree, else unknown
(ambiguous) with both listed. No point where the scope is written out (the operand in
brackets, ``\\left( \\right)``) or where there is no operand (``\\frac{\\partial f}{\\partial x}``).

Each row's truth under each reading is decided here by brute force (central differences at
sizes K = 1..3, every k, random z), never by derive.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from derive.latex.verify import verify_file

HEADER = "% derive: size K\n% derive: index k in 1..K\n% derive: tensor z_k\n"
Fn = Callable[[np.ndarray, int], float]


def _d(f: Fn, z: np.ndarray, k: int, h: float = 1e-6) -> float:
    """∂f/∂z_k by central differences."""
    e = np.zeros_like(z)
    e[k] = h
    return (f(z + e, k) - f(z - e, k)) / (2 * h)


def _holds(lhs: Callable[[np.ndarray, int], float], rhs: Fn) -> bool:
    for size in (1, 2, 3):
        for seed in range(3):
            z = np.random.default_rng([18, size, seed]).normal(size=size)
            for k in range(size):
                if not np.isclose(lhs(z, k), rhs(z, k), rtol=1e-6, atol=1e-6):
                    return False
    return True


def truth(first: Fn, rest: Fn, rhs: Fn, point: bool) -> str:
    """The verdict the policy must give: each reading's truth by brute force; 'unknown'
    where they disagree. ``point`` False: the scope is written out (strict only)."""
    strict = _holds(lambda z, k: _d(first, z, k) + rest(z, k), rhs)
    wide = _holds(lambda z, k: _d(lambda w, q: first(w, q) + rest(w, q), z, k), rhs)
    if not point or strict == wide:
        return "proved" if strict else "refuted"
    return "unknown"


def sq(z, k):
    return z[k] ** 2


def three(z, k):
    return -3 * z[k]


def zero(z, k):
    return 0.0


# (step, operand, the rest of the member (signed), right-hand side, a scope point?)
ROWS = [
    # must apply: the readings disagree
    (r"\frac{\partial}{\partial z_k} z_k^2 - 3 z_k = 2 z_k - 3", sq, three,
     lambda z, k: 2 * z[k] - 3, True),
    (r"\frac{\partial}{\partial z_k} z_k^2 - 3 z_k = 2 z_k - 3 z_k", sq, three,
     lambda z, k: -z[k], True),
    (r"\partial_{z_k} z_k^2 + 5 = 2 z_k", sq, lambda z, k: 5.0, lambda z, k: 2 * z[k], True),
    (r"\frac{\mathrm{d}}{\mathrm{d} z_k} z_k^2 - 3 z_k = 2 z_k - 3", sq, three,
     lambda z, k: 2 * z[k] - 3, True),
    # must apply and agree: both false, both true
    (r"\frac{\partial}{\partial z_k} z_k^2 - 3 z_k = 2 z_k + 3", sq, three,
     lambda z, k: 2 * z[k] + 3, True),
    (r"\frac{\partial}{\partial z_k} z_k^2 - 0 = 2 z_k", sq, zero, lambda z, k: 2 * z[k], True),
    (r"\frac{\partial}{\partial z_k} z_k^3 + z_k^2 = 3 z_k^2 + 2 z_k", lambda z, k: z[k] ** 3,
     lambda z, k: z[k] ** 2, lambda z, k: 3 * z[k] ** 2 + 2 * z[k], True),
    # must not apply: brackets write the scope out
    (r"\frac{\partial}{\partial z_k} (z_k^2) - 3 z_k = 2 z_k - 3 z_k", sq, three,
     lambda z, k: -z[k], False),
    (r"\frac{\partial}{\partial z_k} (z_k^2) - 3 z_k = 2 z_k - 3", sq, three,
     lambda z, k: 2 * z[k] - 3, False),
    (r"\frac{\partial}{\partial z_k} \left( z_k^2 \right) - 3 z_k = - z_k", sq, three,
     lambda z, k: -z[k], False),
    (r"\frac{\partial}{\partial z_k} [z_k^2] - 3 z_k = 2 z_k - 3", sq, three,
     lambda z, k: 2 * z[k] - 3, False),
]


@pytest.mark.parametrize(("step", "first", "rest", "rhs", "point"), ROWS,
                         ids=[r[0] for r in ROWS])
def test_scope_is_a_reading_point(tmp_path, step, first, rest, rhs, point):
    want = truth(first, rest, rhs, point)
    p = tmp_path / "n.md"
    p.write_text(f"{HEADER}$$ {step} $$\n")
    (r,) = verify_file(str(p))
    assert r["verdict"] == want, r.get("note")
    listed = " ".join(x["reading"] for x in r.get("readings") or [])
    assert ("acts on the whole member" in listed) == point, r.get("readings")
    if want == "unknown":
        assert "ambiguous" in r["note"]


@pytest.mark.parametrize(("step", "verdict"), [
    # no operand after the operator: no scope question (df/dx = 3x², so 3x² - 3x² = 0)
    (r"\frac{\partial f}{\partial x} - 3 x^2 = 0", "proved"),
    (r"\frac{d f}{d x} + 1 = 3 x^2", "refuted"),  # x = 0: 1 vs 0
    (r"\frac{d f}{d x} + 1 = 3 x^2 + 1", "proved"),
])
def test_no_operand_no_point(tmp_path, step, verdict):
    p = tmp_path / "n.md"
    p.write_text(f"% derive: scalar x\n% derive: let f = x^3\n$$ {step} $$\n")
    (r,) = verify_file(str(p))
    assert r["verdict"] == verdict and not r.get("readings"), r
