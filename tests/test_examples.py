"""The shipped examples: every step has a verdict; steps of correct seeds are proved."""

from __future__ import annotations

import pytest

from derive.latex.cli import example_paths
from derive.latex.verify import verify_file

CORRECT = ("000_", "001_", "002_")  # seeds whose derivations were checked by hand


@pytest.mark.parametrize("path", [p for p in example_paths() if p.split("/")[-1][:4] in CORRECT])
def test_correct_seed_is_proved_step_by_step(path):
    results = verify_file(path)
    assert results
    assert [r for r in results if r["verdict"] != "proved"] == []


def test_every_example_step_has_a_verdict():
    for path in example_paths():
        for r in verify_file(path):
            assert r["verdict"] in ("proved", "refuted", "unknown")
            assert r["verdict"] == "proved" or r.get("note")
