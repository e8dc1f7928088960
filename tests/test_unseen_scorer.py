"""The unseen-corpus scorer (benchmarks/unseen.py) counts each letter the way its docstring
says: a case table of derive records against expected letters."""

from __future__ import annotations

import importlib.util

import pytest

from .source_tree import source_file

_spec = importlib.util.spec_from_file_location(
    "unseen_scorer", source_file("benchmarks/unseen.py", module_level=True))
unseen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(unseen)


def _rec(line, verdict, cell=None):
    rec = {"line": line, "verdict": verdict}
    if cell is not None:
        rec["cell"] = cell
    return rec


CASES = [
    # expected letters, derive records, the counts that must come out
    ({"3": ["p"]}, [_rec(3, "proved")], {"expected": 1, "true_proved": 1}),
    ({"3": ["p"]}, [_rec(3, "refuted")], {"expected": 0, "true_refuted": 1}),
    ({"3": ["p"]}, [], {"expected": 0, "never": 1}),
    ({"3": ["r"]}, [_rec(3, "proved")], {"false_proved": 1, "slips_caught": 0}),
    ({"3": ["r"]}, [_rec(3, "refuted")], {"expected": 1, "slips_caught": 1}),
    ({"3": ["d"]}, [_rec(3, "proved")], {"expected": 0, "def_proved": 1}),
    ({"3": ["d"]}, [_rec(3, "definition")], {"expected": 1}),
    # a definition never read, or read as unknown, is not the expected verdict
    ({"3": ["d"]}, [], {"expected": 0, "never": 1}),
    ({"3": ["d"]}, [_rec(3, "unknown")], {"expected": 0}),
    ({"3": ["-"]}, [], {"expected": 1, "never": 1}),
    ({"3": ["-"]}, [_rec(3, "refuted")], {"expected": 0}),
    ({"3": ["-"]}, [_rec(3, "unknown")], {"expected": 1}),
    # letters pair with the steps of their line in order; a step left over is extra
    ({"3": ["d", "p"]}, [_rec(3, "definition"), _rec(3, "proved"), _rec(3, "refuted")],
     {"expected": 2, "extra": 1, "extra_refuted": 1}),
    # a step on a line with no letter is extra
    ({"3": ["p"]}, [_rec(4, "proved")], {"expected": 0, "never": 1, "extra": 1}),
    # notebooks key by CELL:LINE
    ({"2:3": ["p"]}, [_rec(3, "proved", cell=2)], {"expected": 1}),
    ({"2:3": ["p"]}, [_rec(3, "proved", cell=1)], {"expected": 0, "extra": 1}),
]


@pytest.mark.parametrize(("expected", "records", "counts"), CASES)
def test_score_counts(expected, records, counts):
    c, _ = unseen.score(expected, records)
    for key, value in counts.items():
        assert c[key] == value, (key, dict(c))


def test_heldout_refused_without_the_flag(capsys):
    assert unseen.main(["tests/corpus_unseen/heldout"]) == 2
    assert "heldout" in capsys.readouterr().err
