"""No claim, wrong variant or kernel row is lost when a family is rewritten.

``tests/data/catalogue_ledger.json`` records, per family, every claim with the verdict
``derive check --mutants --json`` gave it (proved), every wrong variant with its verdict
(refuted), and every kernel row (``kernel.output``) with the claim it is linked to
(``expr`` where it is linked to the derivative of the loss). Recorded at f20 (issue 20,
before softmax and logistic become declarations like the canonical-link families); a
family may gain entries, never lose one. The verdicts themselves are re-proved by each
family's own tests (``test_logistic``, ``test_multilabel``, ...) and ``derive check``.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from derive import catalogue
from derive.models import FAMILIES

LEDGER = json.loads((Path(__file__).parent / "data" / "catalogue_ledger.json").read_text(
    encoding="utf-8"))
FAMILY = {f.name: f for f in FAMILIES}


def _kernel_rows(family) -> dict[str, str]:
    return {f"{k.name}.{o.name}": getattr(o.target, "claim", "expr")
            for k in family.kernels for o in k.outputs}


@pytest.mark.parametrize("name", sorted(LEDGER))
def test_no_recorded_claim_variant_or_kernel_row_is_lost(name):
    recorded = LEDGER[name]
    assert name in FAMILY, f"family {name} is gone"
    fam = FAMILY[name]
    claims = {c.name: c for c in fam.claims}
    mutants = {m.name: m for m in fam.mutants}
    lost = sorted(set(recorded["claims"]) - set(claims))
    assert not lost, f"{name}: claims lost: {lost}"
    lost = sorted(set(recorded["mutants"]) - set(mutants))
    assert not lost, f"{name}: wrong variants lost: {lost}"
    rows = _kernel_rows(fam)
    lost = sorted(set(recorded["kernel_rows"]) - set(rows))
    assert not lost, f"{name}: kernel rows lost: {lost}"
    moved = {r: (t, rows[r]) for r, t in recorded["kernel_rows"].items() if rows[r] != t}
    assert not moved, f"{name}: kernel rows now linked elsewhere: {moved}"


def test_the_recorded_verdicts_are_the_required_ones():
    """The ledger was written from a run where every claim was proved and every wrong
    variant refuted; each mutant still belongs to the claim it was recorded under."""
    for name, recorded in LEDGER.items():
        assert set(recorded["claims"].values()) <= {"proved"}, name
        assert set(recorded["mutants"].values()) <= {"refuted"}, name
        for mutant in recorded["mutants"]:
            owner = mutant.split(" [", 1)[0]
            assert owner in recorded["claims"], mutant
            assert mutant in {m.name for m in catalogue.mutants(owner)}, mutant


def test_the_ledger_test_fails_when_a_claim_is_dropped(monkeypatch):
    fam = FAMILY["logistic"]
    slim = dataclasses.replace(fam, claims=fam.claims[1:])
    monkeypatch.setitem(FAMILY, "logistic", slim)
    with pytest.raises(AssertionError, match="claims lost"):
        test_no_recorded_claim_variant_or_kernel_row_is_lost("logistic")
