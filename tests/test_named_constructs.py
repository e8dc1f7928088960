"""Named constructs of published notes, each one registry entry in the reader and one entry
of the referee's own tables (issue 19): ``\\log_2`` (a logarithm to a base).

Each construct has a case table of steps read end to end through ``derive verify`` (a true
step proved, a false one refuted), the rows where its rule must NOT apply (another spelling,
another base, a base that is no number), and a table driving the referee alone on the same
steps. The truth of every row is decided by brute force: both sides are evaluated with
Python's ``math`` at a few points, never by derive.
"""

from __future__ import annotations

import math

import pytest

from derive.latex.chains import extract
from derive.latex.parser import parse_block
from derive.latex.referee import Referee, Step, gate
from derive.latex.verify import verify_file

POINTS = (0.3, 1.7, 2.0, 5.5)


def verdicts(tmp_path, head: str, step: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(f"{head}\n$$\n{step}\n$$\n")
    return [r["verdict"] for r in verify_file(str(p))]


def holds(lhs, rhs) -> bool:
    """Whether two one-variable functions agree at every point of :data:`POINTS`."""
    return all(math.isclose(lhs(x), rhs(x), rel_tol=1e-12, abs_tol=1e-12) for x in POINTS)


def ruling(head: str, step: str) -> str:
    """agree / disagree / abstain: what the referee alone makes of ``step`` reported proved."""
    referee = Referee(extract(head + "\n$$1 = 1$$\n", "n.md").directives)
    assert referee.error == ""
    members = parse_block(step, 1, 1, referee.d.text_names)[0].members
    out = gate({"verdict": "proved"}, referee, Step(members[0], members[1], (), (), members, 1))
    if out["verdict"] == "proved":
        return "agree"
    return "disagree" if out.get("disagreement") else "abstain"


# -- \log_b: a logarithm to a base ----------------------------------------------------------
LOG_HEAD = "% derive: scalar x"
LN = math.log
LOG_ROWS = [  # step, truth (lhs, rhs as functions of x), verdict
    (r"\log_2 x = \frac{\log x}{\log 2}", (lambda x: LN(x, 2), lambda x: LN(x) / LN(2)),
     "proved"),
    (r"\log_{2} x \log 2 = \log x", (lambda x: LN(x, 2) * LN(2), LN), "proved"),
    (r"\log_{10} x \log 10 = \log x", (lambda x: LN(x, 10) * LN(10), LN), "proved"),
    (r"\log_2 (x)^2 = (\log_2 x)^2", (lambda x: LN(x, 2) ** 2, lambda x: LN(x, 2) ** 2),
     "proved"),
    (r"\log_2 x = \log x", (lambda x: LN(x, 2), LN), "refuted"),  # x = 2: 1 vs 0.69
    (r"\log_2 x = \log_{10} x", (lambda x: LN(x, 2), lambda x: LN(x, 10)), "refuted"),
    (r"\log_2 (x)^2 = 2 \log_2 x", (lambda x: LN(x, 2) ** 2, lambda x: 2 * LN(x, 2)),
     "refuted"),                                                       # the power is outside
    (r"\log_2 x = \log x \log 2", (lambda x: LN(x, 2), lambda x: LN(x) * LN(2)),
     "refuted"),                                                       # times, not over
]


@pytest.mark.parametrize(("step", "truth", "verdict"), LOG_ROWS)
def test_a_logarithm_to_a_base(tmp_path, step, truth, verdict):
    assert holds(*truth) == (verdict == "proved")  # the row's truth, by brute force
    assert verdicts(tmp_path, LOG_HEAD, step) == [verdict]


@pytest.mark.parametrize("step", [
    r"\log_1 x = \log x",            # base 1: no logarithm
    r"\log_{0} x = \log x",          # base 0
    r"\log_{x} x = 1",               # a letter: not read
    r"\exp_2 x = \exp x",            # no such function
    r"\ln_2 x = \log x",             # \ln is natural: a base is an error
])
def test_a_base_that_is_not_read_leaves_the_step_unknown(tmp_path, step):
    assert verdicts(tmp_path, LOG_HEAD, step) == ["unknown"]


@pytest.mark.parametrize(("step", "truth", "expected"), [
    (row[0], row[1], "agree" if row[2] == "proved" else "disagree") for row in LOG_ROWS
] + [
    (r"\log_1 x = \log x", None, "abstain"),
    (r"\log_{x} x = 1", None, "abstain"),
])
def test_the_referee_reads_a_base_on_its_own(step, truth, expected):
    assert truth is None or holds(*truth) == (expected == "agree")
    assert ruling(LOG_HEAD, step) == expected
