"""The probes' truth decider (tests/soundness_truth.decide) and its domain rule: an input
under a square root or a log is drawn where they exist; sizes and index values never are.
Each row's truth is plain arithmetic, stated beside it."""

from __future__ import annotations

import math

import pytest

from .soundness_truth import _ln, _pw, _rt, _scal, decide


def _size(fn):
    """A step in one size K and one real input a."""
    return lambda rng, K: [fn(float(rng.normal()), K)]


ROWS = [
    # (name, step, sizes, truth)
    ("root squared: true where the root exists", _scal(1, lambda a: (_rt(a) ** 2, a)), 1, "p"),
    ("root of a square: false at a = -1", _scal(1, lambda a: (_rt(a * a), a)), 1, "r"),
    ("half power twice: a root", _scal(1, lambda a: (_pw(a, 0.5) * _pw(a, 0.5), a)), 1, "p"),
    ("exp of log", _scal(1, lambda a: (math.exp(_ln(a)), a)), 1, "p"),
    ("log of a product, both logs written", _scal(2, lambda a, b: (
        _ln(a * b), _ln(a) + _ln(b))), 1, "p"),
    ("a false step on the domain stays false", _scal(1, lambda a: (_ln(a), a - 1)), 1, "r"),
    # never excused: a size or an index, another real power, a division by zero
    ("log of K - 1: undefined at K = 1 for every input",
     _size(lambda a, K: (_ln(K - 1) + a, _ln(K - 1) + a)), 1, "r"),
    ("root of 1 - K: undefined at K = 2 for every input",
     _size(lambda a, K: (_rt(1 - K) ** 2, 1 - K)), 1, "r"),
    ("a real power 1/3 of a negative base", _scal(1, lambda a: (_pw(a, 1 / 3) ** 3, a)), 1, "r"),
    ("division by K - 1", _size(lambda a, K: ((K - 1) / (K - 1), 1)), 1, "r"),
]


@pytest.mark.parametrize("name, step, sizes, truth", ROWS, ids=[r[0] for r in ROWS])
def test_the_domain_rule(name, step, sizes, truth):
    assert decide(step, sizes) == truth
