"""Two readings that refuted true steps (issues 18/19, found by probing published notation).

1. A bold vector beside its own entries: ``\\mathbf{w}^T \\mathbf{x} = \\sum_i w_i x_i``. The
   bold name is the vector of the entries ``x_i`` (README: "the bold name of a declared vector
   x is x"); inference used to give ``\\mathbf{w}``, ``\\mathbf{x}`` a hidden size of their own,
   unrelated to ``w_i``, ``x_i``, and the true step was refuted.
2. ``\\sum_{i \\neq j}`` beside a sibling ``\\sum_i``: the sibling's ``i`` is bound by it, so it
   is not a use of ``i`` outside the pair sum; it was counted as one, the pair sum bound one
   letter and left the other free, and a true step was refuted. A definition whose body has a
   sum over ``a \\neq b`` is not inferred (its reading is a point the policy decides per step).

Truth of each row is decided by brute force in :func:`truth` (NumPy, sizes 1-3), never by
derive.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from derive.latex.verify import verify_file


def verdicts(tmp_path, body: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return [r["verdict"] for r in verify_file(str(p))]


def pair_sum(t, u):
    return sum(t[i] * t[j] * u[i] * u[j] for i, j in itertools.product(range(len(t)), repeat=2)
               if i != j)


def truth(name: str) -> bool:
    """Each row's step at random entries and sizes 1-3, by brute force."""
    rng = np.random.default_rng(0)
    for n in (1, 2, 3):
        for _ in range(5):
            w, x, t, u = (rng.normal(size=n) for _ in range(4))
            q = (t * (1 - t) * u * u).sum() - pair_sum(t, u)
            lhs, rhs = {
                "bold inner": (w @ x, (w * x).sum()),
                "bold inner + 1": (w @ x, (w * x).sum() + 1),
                "bold 2x": (w @ x, 2 * (w * x).sum()),
                "pair split": (q, (t * u * u).sum() - (t * t * u * u).sum() - pair_sum(t, u)),
                "pair split wrong": (q, (t * u * u).sum() - pair_sum(t, u)),
                "pairs as squares": (t.sum() - pair_sum(t, np.ones(n)),
                                     t.sum() - t.sum() ** 2 + (t * t).sum()),
                "pairs as squares wrong": (t.sum() - pair_sum(t, np.ones(n)),
                                           t.sum() - t.sum() ** 2 - (t * t).sum()),
            }[name]
            if not np.isclose(lhs, rhs):
                return False
    return True


BOLD = [
    ("bold inner", r"$$\mathbf{w}^T \mathbf{x} = \sum_{i=1}^n w_i x_i$$", "proved"),
    ("bold inner + 1", r"$$\mathbf{w}^T \mathbf{x} = \sum_{i=1}^n w_i x_i + 1$$", "refuted"),
    ("bold 2x", r"$$\boldsymbol{w}^\top \boldsymbol{x} = \sum_{i=1}^n 2 w_i x_i$$", "refuted"),
    ("bold inner", r"$$\bm{w}^T \bm{x} = \sum_{k=1}^K w_k x_k$$", "proved"),
]


@pytest.mark.parametrize("name, body, expected", BOLD)
def test_a_bold_vector_is_the_vector_of_its_entries(tmp_path, name, body, expected):
    assert truth(name) == (expected == "proved")
    assert verdicts(tmp_path, body) == [expected]


def test_a_bold_vector_with_no_entries_written_keeps_a_size_of_its_own(tmp_path):
    """Must not apply: \\mathbf{w}, \\mathbf{x} with no w_i, x_i anywhere are vectors of a
    hidden length, and a step about them alone is still read (u^T v = v^T u)."""
    assert verdicts(tmp_path, r"$$\mathbf{w}^T \mathbf{x} = \mathbf{x}^T \mathbf{w}$$") == [
        "proved"]


PAIR = r"\sum_i t_i (1 - t_i) u_i^2 - \sum_{i \ne j} t_i t_j u_i u_j"


@pytest.mark.parametrize("name, rhs", [
    ("pair split", r"\sum_i t_i u_i^2 - \sum_i t_i^2 u_i^2 - \sum_{i \ne j} t_i t_j u_i u_j"),
    ("pair split wrong", r"\sum_i t_i u_i^2 - \sum_{i \ne j} t_i t_j u_i u_j"),
])
def test_a_pair_sum_beside_a_sibling_sum_is_over_the_pairs(tmp_path, name, rhs):
    """In one member: true proved, false refuted (never the other way)."""
    got = verdicts(tmp_path, f"$$ {PAIR} = {rhs} $$")
    assert got == (["proved"] if truth(name) else ["refuted"])


@pytest.mark.parametrize("name, body", [
    ("pairs as squares", r"\sum_i t_i - \sum_{i \neq j} t_i t_j = "
     r"\sum_i t_i - \left(\sum_i t_i\right)^2 + \sum_i t_i^2"),
    ("pairs as squares wrong", r"\sum_i t_i - \sum_{i \neq j} t_i t_j = "
     r"\sum_i t_i - \left(\sum_i t_i\right)^2 - \sum_i t_i^2"),
])
def test_a_sibling_sum_is_not_a_use_outside_the_pair_sum(tmp_path, name, body):
    """The i of the sibling \\sum_i t_i was counted as i used outside, so the pair sum bound
    j and left i free: the true identity Σ_{i≠j} t_i t_j = (Σ t)^2 - Σ t^2 was refuted."""
    assert verdicts(tmp_path, f"$$ {body} $$") == (["proved"] if truth(name) else ["refuted"])


@pytest.mark.parametrize("name, rhs", [
    ("pair split", r"\sum_i t_i u_i^2 - \sum_i t_i^2 u_i^2 - \sum_{i \ne j} t_i t_j u_i u_j"),
    ("pair split wrong", r"\sum_i t_i u_i^2 - \sum_{i \ne j} t_i t_j u_i u_j"),
])
def test_a_definition_with_a_pair_sum_is_not_read_without_the_policy(tmp_path, name, rhs):
    """Q defined by its first equation with a pair sum: the true step was refuted at
    n = 3, i = 1, j = 2. Now the definition is not inferred; the step is never refuted when
    true and never proved when false."""
    got = verdicts(tmp_path, f"$$ Q(u) = {PAIR} $$\n\n$$ Q(u) = {rhs} $$")
    assert got[0] == "definition"
    assert got[1] != ("refuted" if truth(name) else "proved")


def test_an_enclosing_sum_still_decides_the_bound_letter(tmp_path):
    """Must not apply: \\sum_j \\sum_{i \\neq j} encloses the pair sum, so j is used outside
    and the pair sum binds i; the false step (drops the j = i exclusion) stays refuted."""
    body = (r"$$\sum_{j=1}^n \sum_{i \neq j} t_i t_j = \sum_{j=1}^n \sum_{i=1}^n t_i t_j$$")
    assert verdicts(tmp_path, body) == ["refuted"]
