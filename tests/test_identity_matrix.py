"""The identity matrix in a sum (derive.latex.identity; the referee's own entry,
derive.latex.referee.evaluate.IDENTITY): ``A + \\lambda I`` is A plus λ times the identity of
A's size, where A is a square matrix. Rows where it must apply, and rows where it must not
(beside a matrix that is not square, a vector, a coefficient that is a vector, a size
subscript, a name the notes declare). Each verdict row's truth is decided by brute force:
both members computed with plain Python lists at D = 1, 2, 3 with drawn entries.
"""

from __future__ import annotations

import random

import pytest

from derive.latex.verify import verify_file

HEADER = r"""% derive: size D, K
% derive: index i, j in 1..D
% derive: index k in 1..K
% derive: tensor A_{ij}, B_{ik}, w_{i}
% derive: scalar \lambda

"""


def eye(n: int, c: float = 1.0) -> list[list[float]]:
    return [[c if i == j else 0.0 for j in range(n)] for i in range(n)]


def madd(a, b, s: float = 1.0):
    return [[x + s * y for x, y in zip(ra, rb, strict=True)] for ra, rb in zip(a, b, strict=True)]


def mvec(a, w):
    return [sum(x * y for x, y in zip(row, w, strict=True)) for row in a]


def flat(m) -> list[float]:
    return [x for r in m for x in r] if isinstance(m[0], list) else list(m)


def close(a, b) -> bool:
    return all(abs(x - y) < 1e-9 for x, y in zip(flat(a), flat(b), strict=True))


def truth(lhs, rhs) -> bool:
    rng = random.Random(7)
    for n in (1, 2, 3):
        for _ in range(3):
            a = [[rng.uniform(-2, 2) for _ in range(n)] for _ in range(n)]
            w = [rng.uniform(-2, 2) for _ in range(n)]
            lam = rng.uniform(0.5, 2)
            if not close(lhs(a, w, lam, n), rhs(a, w, lam, n)):
                return False
    return True


def verdicts(tmp_path, body: str, header: str = HEADER) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(header + body + "\n")
    return [r["verdict"] for r in verify_file(str(p))]


@pytest.mark.parametrize("step, lhs, rhs", [
    (r"(A + \lambda I) w = A w + \lambda w",
     lambda a, w, lam, n: mvec(madd(a, eye(n, lam)), w),
     lambda a, w, lam, n: [x + lam * y for x, y in zip(mvec(a, w), w, strict=True)]),
    (r"(A + \lambda I) w = A w + 2 \lambda w",
     lambda a, w, lam, n: mvec(madd(a, eye(n, lam)), w),
     lambda a, w, lam, n: [x + 2 * lam * y for x, y in zip(mvec(a, w), w, strict=True)]),
    (r"A + I = A", lambda a, w, lam, n: madd(a, eye(n)), lambda a, w, lam, n: a),
    (r"A + 2 \lambda \mathbf{I} - \lambda \cdot \mathbf{I} = A + \lambda I",
     lambda a, w, lam, n: madd(madd(a, eye(n, 2 * lam)), eye(n, lam), -1),
     lambda a, w, lam, n: madd(a, eye(n, lam))),
    (r"I + A = A + \mathbb{I}", lambda a, w, lam, n: madd(eye(n), a),
     lambda a, w, lam, n: madd(a, eye(n))),
    (r"A - \boldsymbol{I} = A - 2 I", lambda a, w, lam, n: madd(a, eye(n), -1),
     lambda a, w, lam, n: madd(a, eye(n, 2), -1)),
])
def test_the_identity_in_a_sum_by_brute_force(tmp_path, step, lhs, rhs):
    expected = "proved" if truth(lhs, rhs) else "refuted"
    assert verdicts(tmp_path, f"$$ {step} $$") == [expected]


@pytest.mark.parametrize("step, why", [
    (r"B + I = B", "D×K matrix"),                   # not square: no size for I
    (r"w + I = w", "column vector"),                # beside a vector
    (r"A + w I = A", "times an identity"),          # a vector coefficient
    (r"\lambda + I = \lambda", "beside a scalar"),  # beside a scalar
])
def test_the_identity_where_no_square_matrix_gives_its_size_is_unknown(tmp_path, step, why):
    p = tmp_path / "n.md"
    p.write_text(HEADER + f"$$ {step} $$\n")
    (rec,) = verify_file(str(p))
    assert rec["verdict"] == "unknown" and why in rec["note"], rec["note"]


def test_a_size_subscript_is_not_read_as_the_identity(tmp_path):
    assert verdicts(tmp_path, r"$$ A + I_D = A + I $$") == ["unknown"]


def test_a_declared_i_is_the_notes_own(tmp_path):
    # I declared a scalar: never the identity (brute force: (λ + I) - I = λ for scalars)
    header = HEADER.replace(r"scalar \lambda", r"scalar \lambda, I")
    assert verdicts(tmp_path, r"$$ (\lambda + I) - I = \lambda $$", header) == ["proved"]
    assert verdicts(tmp_path, r"$$ A + \lambda I = A + \lambda I $$", header) == ["unknown"]
