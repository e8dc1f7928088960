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
from collections import Counter
from typing import Any

import pytest

from derive.latex.verify import verify_file

from .soundness_truth import TRUTH, truth_table

HERE = os.path.join(os.path.dirname(__file__), "soundness")
with open(os.path.join(HERE, "expected.json"), encoding="utf-8") as _fh:
    EXPECTED: dict[str, dict[str, list[str]]] = json.load(_fh)
FILES = sorted(os.path.basename(p) for p in glob.glob(os.path.join(HERE, "*.md"))
               + glob.glob(os.path.join(HERE, "*.tex")))

# Probes with a false verdict or a crash on main that no fix has reached yet
# (each is written up in /work/findings/probes.md with its file text, verdict and truth).
OPEN: dict[str, str] = {
    'a03_auto_unicode.tex': 'issue 18 path 1: a Unicode minus or dash is read as a plus',
    'a04_none_unicode.md': 'issue 18 path 1: a Unicode minus or dash is read as a plus',
    'c01_contradictory_rows.md': 'issue 18 path 3: overlapping cases rows are added, otherwise weighted 1 - sum',
    'c02_product_slip.md': 'issue 18 path 3: overlapping cases rows are added, otherwise weighted 1 - sum',
    'c03_overlap_agree.md': 'issue 18 path 3: overlapping cases rows are added, otherwise weighted 1 - sum',
    'c05_otherwise_complement.md': 'issue 18 path 3: overlapping cases rows are added, otherwise weighted 1 - sum',
    'd01_triangle_count.md': 'issue 18 path 4: a nested sum whose limit is the outer index is evaluated wrongly',
    'd02_triangle_swap.md': 'issue 18 path 4: a nested sum whose limit is the outer index is evaluated wrongly; and an index used as a number (k^2, j z_j) makes a true sum refuted',
    'd03_rename_triangle.md': 'issue 18 path 4: a nested sum whose limit is the outer index is evaluated wrongly',
    'd04_triangle_product.md': 'issue 18 path 4: a nested sum whose limit is the outer index is evaluated wrongly',
    'd05_upper_triangle.md': 'issue 18 path 4: a nested sum whose limit is the outer index is evaluated wrongly; and an index used as a number (k^2, j z_j) makes a true sum refuted',
    'd06_strict_triangle.md': 'issue 18 path 4: a nested sum whose limit is the outer index is evaluated wrongly',
    'd10_triangle_depends_on_free.md': 'issue 18 path 4: a nested sum whose limit is the outer index is evaluated wrongly: an inner limit that is a bound index raises DeriveError (no per-step fault barrier), the whole file stops',
    'e01_empty_range.md': 'exact arithmetic sums a reversed range with the Karr convention (sum_{k=5}^{3} 1 = -1 proved; the README says an empty sum is 0)',
    'm01_outer_gradient.md': "issue 18 path 5: a matrix right-hand side x (s - y)^T is refuted as 'a scalar vs a 2x3 matrix'; and issue 18 path 1: a Unicode minus or dash is read as a plus",
    'm02_otimes.md': "issue 18 path 5: x \\otimes (s - y) is refuted as 'a scalar vs a 2x3 matrix'",
    'n02_index_i.md': 'an index used as a number (k^2, j z_j) makes a true sum refuted',
    's01_set_shift.md': 'issue 18 path 2: a sum over a set is read over the declared range',
    's02_set_count.md': 'issue 18 path 2: a sum over a set is read over the declared range',
    's03_set_delta.md': 'issue 18 path 2: a sum over a set is read over the declared range',
    's04_set_explicit.md': 'issue 18 path 2: a sum over a set is read over the declared range; and an index used as a number (k^2, j z_j) makes a true sum refuted',
    's05_set_from_j.md': 'issue 18 path 2: a sum over a set is read over the declared range',
    's07_set_and_upper.md': 'issue 18 path 2: a sum over a set is read over the declared range (a set that also carries an upper limit)',
    's08_undeclared_set.md': 'issue 18 path 2: a sum over a set is read over the declared range (an undeclared set S)',
    's11_set_empty.md': 'issue 18 path 2: a sum over a set is read over the declared range ({K+1, ..., K} is empty)',
    's14_prod_set.md': 'issue 18 path 2: a sum over a set is read over the declared range (a product over a set)',
    'u01_minus_arith.md': 'issue 18 path 1: a Unicode minus or dash is read as a plus',
    'u02_en_dash.md': 'issue 18 path 1: a Unicode minus or dash is read as a plus',
    'u03_sigmoid_minus.tex': 'issue 18 path 1: a Unicode minus or dash is read as a plus',
    'u10_ellipsis_char.md': 'issue 18 path 2: a sum over a set is read over the declared range (here with a pasted ellipsis U+2026)',
    'u14_nbsp_minus.md': 'issue 18 path 1: a Unicode minus or dash is read as a plus',
    'u15_minus_in_let.md': 'issue 18 path 1: a Unicode minus or dash is read as a plus',
    'w11_bom_and_tabs.md': 'issue 18 path 1: a Unicode minus or dash is read as a plus',
    'w13_minus_sign_in_exponent_of_sum.md': 'issue 18 path 1: a Unicode minus or dash is read as a plus',
    'x01_double_superscript.md': 'issue 18 path 5: 2^3^2 (a TeX error) is read silently',
    'x03_tower_overflow.md': 'issue 18: e^{e^{e^{e^{10}}}} raises OverflowError, no step of the file gets a verdict',
    'x05_division_by_zero.md': '0/0 in exact arithmetic raises TypeError (Invalid NaN comparison), no step of the file gets a verdict',
    'y01_odd_progression.md': 'issue 18 path 2: a sum over the set {1, 3, ..., 7} is read as the interval 1..7 (a true step refuted, a false one proved)',
}


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


@pytest.mark.parametrize("name", FILES)
def test_every_recorded_line_is_an_equation(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    for line in EXPECTED[name]:
        text = lines[int(line) - 1]
        assert "=" in text and not text.startswith("%"), (name, line, text)


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


def _param(name: str) -> Any:
    if name in OPEN:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=OPEN[name]))
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
