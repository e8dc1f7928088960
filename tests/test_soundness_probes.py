"""Adversarial probes (issue 18): small notes files in ``tests/soundness/`` written to break
the reader and the engine (pasted Unicode, sums over sets, overlapping cases, dependent
limits, matrix right-hand sides, double superscripts, empty ranges, sizes of 1, colliding
names, δ outside its range, huge numbers, division by zero).

The truth of every step is decided by brute force in ``tests/soundness_truth.py`` (plain
Python/NumPy at sizes 1..4 with random real inputs, never derive) and recorded in
``tests/soundness/expected.json``. A probe fails on any false verdict (``proved`` where the
step is not true, ``refuted`` where it is not false) and on any exception; ``unknown`` is
allowed and counted (``python -m tests.test_soundness_probes`` prints the table).

A probe whose false verdict is not yet fixed on main is a strict ``xfail`` naming the bug
(``OPEN``): it fails as soon as the bug is fixed, so the mark is removed then.
"""

from __future__ import annotations

import glob
import json
import os
import re
import unicodedata
from collections import Counter
from typing import Any

import pytest

from derive.latex.verify import verify_file

from .soundness_truth import TRUTH, truth_table

HERE = os.path.join(os.path.dirname(__file__), "soundness")
with open(os.path.join(HERE, "expected.json"), encoding="utf-8") as _fh:
    EXPECTED: dict[str, dict[str, list[str]]] = json.load(_fh)
FILES = sorted(os.path.basename(p) for p in glob.glob(os.path.join(HERE, "*.md"))
               + glob.glob(os.path.join(HERE, "*.tex")) if not p.endswith("README.md"))

# Probes with a false verdict or a crash on main that no fix has reached yet
# (each is written up in /work/findings/probes.md with its file text, verdict and truth).
_SIGN = ("OPEN: a root or a log of an input SymPy cancels ((\\sqrt{a})^2 -> a, e^{\\log a} -> a) "
         "is proved, true only for a > 0; the corpus reads e^{\\ln C} = C (04_srenevey:10) and "
         "d(-y log p)/dp = -y/p (02_zakariapz:17) as proved, so derive.latex.guards judges "
         "values undefined at a size or an index, never the sign of an input")
OPEN: dict[str, str] = dict.fromkeys(("r05_sqrt_square_inputs.md", "r06_exp_log_inputs.md",
                                      "r40_unicode_roots.md"), _SIGN)


def false_verdicts(results: list[dict[str, Any]],
                   expected: dict[str, list[str]]) -> list[tuple[int, int, str, str]]:
    """(line, n-th step on the line, verdict, truth) of every verdict the truth contradicts.

    A proved or refuted step with no recorded truth counts too (the table missed it)."""
    seen: Counter[int] = Counter()
    false = []
    for r in results:
        line, n = r["line"], seen[r["line"]]
        seen[line] += 1
        want = (expected.get(str(line), [])[n:n + 1] or ["none"])[0]
        if (r["verdict"] == "proved" and want != "p") or (
                r["verdict"] == "refuted" and want != "r"):
            false.append((line, n, r["verdict"], want))
    return false


def test_at_least_sixty_probes_each_with_its_truth():
    assert len(FILES) >= 60
    assert set(FILES) == set(EXPECTED) == set(TRUTH)
    assert sum(len(v) for lines in EXPECTED.values() for v in lines.values()) >= 150


@pytest.mark.parametrize("name", FILES)
def test_recorded_truth_is_the_brute_force_truth(name):
    assert truth_table()[name] == EXPECTED[name]


_LINK_COMMAND = re.compile(r"\\(?:coloneqq?|defeq|eqdef|eqqcolon|triangleq|equiv)(?![A-Za-z])")


@pytest.mark.parametrize("name", FILES)
def test_every_recorded_line_is_an_equation(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    for line in EXPECTED[name]:
        text = unicodedata.normalize("NFKC", lines[int(line) - 1])  # ＝ is =
        link = any(c in text for c in "=≔≜≝") or _LINK_COMMAND.search(text) is not None
        assert link and not text.startswith("%"), (name, line, text)


def test_false_verdicts_are_detected():
    """The check itself: a proof of a false step, a refutation of a true one, an
    unexpected line are false; unknowns never are."""
    exp = {"3": ["r", "p"], "5": ["p"]}
    ok = [{"line": 3, "verdict": "refuted"}, {"line": 3, "verdict": "unknown"},
          {"line": 5, "verdict": "proved"}]
    assert false_verdicts(ok, exp) == []
    bad = [{"line": 3, "verdict": "proved"}, {"line": 3, "verdict": "refuted"},
           {"line": 5, "verdict": "unknown"}, {"line": 7, "verdict": "proved"}]
    assert false_verdicts(bad, exp) == [(3, 0, "proved", "r"), (3, 1, "refuted", "p"),
                                        (7, 0, "proved", "none")]


# the open entries that are crashes (the others expect the false-verdict assertion only,
# so a new exception in them still fails)
CRASHES = {"d10_triangle_depends_on_free.md", "x03_tower_overflow.md", "x05_division_by_zero.md"}


def _param(name: str) -> Any:
    if name in OPEN:
        raises = None if name in CRASHES else AssertionError
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=OPEN[name],
                                                          raises=raises))
    return name


@pytest.mark.parametrize("name", [_param(n) for n in FILES])
def test_probe_has_no_false_verdict_and_no_crash(name):
    results = verify_file(os.path.join(HERE, name))  # an exception is a crash: it fails
    assert false_verdicts(results, EXPECTED[name]) == []


def summary() -> tuple[list[tuple[str, Counter[str], list]], Counter[str]]:
    """Per probe: verdict counts and false verdicts; and the totals."""
    rows, total = [], Counter()
    for name in FILES:
        try:
            results = verify_file(os.path.join(HERE, name))
        except Exception as exc:  # a crash is a finding: listed
            rows.append((name, Counter(crash=1), [f"{type(exc).__name__}: {exc}"[:120]]))
            total["crash"] += 1
            continue
        counts = Counter(r["verdict"] for r in results)
        false = false_verdicts(results, EXPECTED[name])
        total.update(counts)
        total["false"] += len(false)
        rows.append((name, counts, false))
    return rows, total


if __name__ == "__main__":
    table, totals = summary()
    for name, counts, false in table:
        flag = "OPEN " if name in OPEN else ""
        print(f"{name:36} {dict(counts)} {flag}{false or ''}")
    classes = Counter(c for lines in EXPECTED.values() for v in lines.values() for c in v)
    print(f"probes {len(FILES)}, steps {sum(classes.values())}, truth classes {dict(classes)}")
    print(f"verdicts {dict(totals)}")
