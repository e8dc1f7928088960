"""The typed step result (issue 19, item 1): the checker builds a :class:`StepResult` for
every step and every renderer reads it; it is a read-only mapping of the JSON record, whose
keys keep the order ``derive verify --json`` prints them in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from derive.latex.sources import read_text
from derive.latex.step_result import Span, StepResult
from derive.latex.verify import check_file, verify_notes

NOTES = ("% derive: size K\n% derive: index k in 1..K\n% derive: tensor z_k\n\n"
         "$$\\sum_{k=1}^{K} (z_k + 1) = \\sum_{k=1}^{K} z_k + K = \\sum_{k=1}^{K} z_k + 1$$\n")

RECORD = {"file": "n.md", "line": 3, "column": 5, "chain": 1, "step": 2, "verdict": "refuted",
          "seconds": 0.01, "trace": {"rules": []}, "read": "a = b",
          "counterexample": {"sizes": {"K": 2}, "lhs": 1.0, "rhs": 2.0},
          "disagreement": True, "inferred": [], "formula": "a = b"}


def test_the_checker_builds_typed_results(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_text(NOTES, encoding="utf-8")
    records = check_file(str(path)).records
    assert [type(r) for r in records] == [StepResult, StepResult]
    proved, refuted = records
    assert (proved.verdict, refuted.verdict) == ("proved", "refuted")
    assert refuted.span == Span(str(path), None, 5, refuted.column) and refuted.column > 0
    assert refuted.counterexample is not None and "K" in refuted.counterexample["sizes"]
    assert refuted.formula.endswith("= \\sum_{k=1}^{K} z_k + 1") and refuted.read
    # the checker's own entry point (before the source positions and quotes) is typed too
    assert all(isinstance(r, StepResult)
               for r in verify_notes(read_text(NOTES, "md", "n.md")))


def test_a_result_is_a_read_only_mapping_of_its_record() -> None:
    r = StepResult.from_dict(RECORD)
    assert r == RECORD and list(r) == list(RECORD) and len(r) == len(RECORD)
    assert r["verdict"] == r.verdict == "refuted" and r.get("note") is None
    assert r["disagreement"] is True and "disagreement" in r and "note" not in r
    assert json.dumps(r.as_dict()) == json.dumps(RECORD)  # key for key, in order
    with pytest.raises(TypeError):
        r["verdict"] = "proved"  # type: ignore[index]
    with pytest.raises(AttributeError):
        r.verdict = "proved"  # type: ignore[misc]
    with pytest.raises(KeyError):
        r["note"]


def test_evolve_is_a_dict_update() -> None:
    """A gate's new result: a key already there keeps its place, a new key comes last, a
    dropped key is gone (what ``{**rec, ...}`` did to the old dict records)."""
    r = StepResult.from_dict(RECORD)
    u = r.evolve(drop=("counterexample",), verdict="unknown", note="not confirmed")
    expected = {k: v for k, v in RECORD.items() if k != "counterexample"}
    expected["verdict"] = "unknown"
    expected["note"] = "not confirmed"
    assert list(u.as_dict().items()) == list(expected.items())
    assert u.reason == "not confirmed" and u.counterexample is None
    assert r.verdict == "refuted"  # the original is untouched
    again = u.evolve(note="other")
    assert list(again) == list(u) and again.note == "other"


@pytest.mark.parametrize("bad", [
    {"verdict": "maybe"},                     # not a verdict
    {"keys_": ("file", "line")},              # a required key missing from the order
    {"extra": (("note", "x"),)},              # a field given as an extra key
])
def test_a_malformed_result_is_refused(bad: dict) -> None:
    base = {"file": "n.md", "line": 1, "column": 1, "chain": 1, "step": 1,
            "verdict": "proved"}
    with pytest.raises(ValueError):
        StepResult(**{**base, **bad})


def test_fields_given_by_name_make_the_default_order() -> None:
    r = StepResult(file="n.md", line=1, column=2, chain=1, step=1, verdict="unknown",
                   formula="a = b", note="why", cell=3)
    assert list(r) == ["file", "cell", "line", "column", "chain", "step", "verdict", "note",
                       "formula"]
    assert r.position == "n.md:cell 3:1:2"
