r"""A sum written out with dots, ``T_1 + T_2 + \dots + T_n``, is the sum it shows
(derive/latex/dotted_sums.py in the elaborator, ``dotted_terms`` in the referee), and only
when every written term follows the first; otherwise the step is unknown naming the dots.

Each row's truth is decided by brute force in ``test_truth_by_brute_force`` (K = 1..4, random
z and w, the dotted side summed as its reading ``Σ_{k=1}^{n} T(k)``)."""

from __future__ import annotations

import numpy as np
import pytest

from derive.engine.claims import Verdict
from derive.latex import verify as V
from derive.latex.chains import extract

HEAD = ("% derive: size K\n% derive: index i, k in 1..K\n% derive: tensor z_k, w_k\n")
SUM = r"\sum_{k=1}^K z_k"

# (step, truth, brute force of lhs - rhs at z, w, K): truth "p" holds at every K, "r" not,
# "?" a sum with dots whose terms do not show one pattern (derive reads it as unknown)
ROWS = [
    (rf"z_1 + z_2 + \dots + z_K = {SUM}", "p", lambda z, w, K: 0.0),
    (rf"z_1 + \cdots + z_K = {SUM}", "p", lambda z, w, K: 0.0),
    (r"z_1 w_1 + z_2 w_2 + \ldots + z_K w_K = \sum_{k=1}^K z_k w_k", "p",
     lambda z, w, K: 0.0),
    (r"z_1 + z_2 + \dots + z_{K-1} = \sum_{k=1}^{K-1} z_k", "p", lambda z, w, K: 0.0),
    # false steps the reading must not prove: a wrong total, a term short
    (r"z_1 + z_2 + \dots + z_K = \sum_{k=2}^K z_k", "r", lambda z, w, K: z[0]),
    (r"z_1 + z_2 + \dots + z_K = K z_1", "r", lambda z, w, K: z.sum() - K * z[0]),
    (rf"z_1 + z_2 + \dots + z_{{K-1}} = {SUM}", "r", lambda z, w, K: -z[K - 1]),
    # no one pattern: a term skipped, the last term changing another index, a sign
    (rf"z_1 + z_3 + \dots + z_K = {SUM}", "?", None),
    (r"z_1 w_1 + z_2 w_1 + \dots + z_K w_K = \sum_{k=1}^K z_k w_k", "?", None),
    (r"z_1 w_1 + \dots + z_K w_1 = \sum_{k=1}^K z_k w_k", "?", None),
    (rf"z_1 - z_2 + \dots + z_K = {SUM}", "?", None),
    (rf"z_1 + z_2 + \dots = {SUM}", "?", None),
]


def _run(step: str, prove=None) -> dict:  # type: ignore[no-untyped-def]
    (rec,) = V.verify_notes(extract(HEAD + f"$${step}$$\n", "n.md"), prove=prove)
    return rec


@pytest.mark.parametrize(("step", "truth", "diff"), ROWS, ids=[str(n) for n in range(len(ROWS))])
def test_a_dotted_sum_is_read_as_the_sum_it_shows(step, truth, diff):
    rec = _run(step)
    want = {"p": "proved", "r": "refuted", "?": "unknown"}[truth]
    assert rec["verdict"] == want, rec
    if truth == "?":  # the reader's own reason, not only the referee's abstention
        assert rec["note"].startswith("a sum with dots"), rec


@pytest.mark.parametrize(("step", "truth", "diff"), ROWS, ids=[str(n) for n in range(len(ROWS))])
def test_the_referee_reads_the_dots_itself(step, truth, diff):
    """A stand-in engine answers ``proved``: a false row must meet the referee's reading."""
    def prove(lhs, rhs, **kw):  # type: ignore[no-untyped-def]
        return Verdict(name=kw.get("name", ""), status="proved")

    rec = _run(step, prove)
    if truth == "p":
        assert rec["verdict"] == "proved", rec
    elif truth == "r":
        assert rec["verdict"] == "unknown" and rec.get("disagreement"), rec
    else:
        assert rec["verdict"] == "unknown" and "dots" in rec["note"], rec


@pytest.mark.parametrize("k", [n for n, row in enumerate(ROWS) if row[2] is not None])
def test_truth_by_brute_force(k):
    _, truth, diff = ROWS[k]
    rng = np.random.default_rng(k)
    worst = max(abs(diff(rng.normal(size=K), rng.normal(size=K), K))
                for K in range(1, 5) for _ in range(3))
    assert ("p" if worst < 1e-12 else "r") == truth
