"""``derive check``: every family's catalogue, one family at a time, JSON and errors."""

from __future__ import annotations

import json

from derive import catalogue
from derive.cli import main
from derive.models import FAMILIES


def test_json_names_each_claims_family(capsys):
    assert main(["check", "-q", "--json", "nll_grad_bias"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["family"] == "softmax" and row["verdict"] == "proved"


def test_family_selects_only_its_claims(capsys):
    fam = FAMILIES[0]
    assert main(["check", "-q", "--json", "--family", fam.name, fam.claims[0].name]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == [fam.claims[0].name]


def test_every_claim_belongs_to_exactly_one_family():
    for claim in catalogue.CLAIMS + tuple(catalogue.mutants()):
        owners = [f.name for f in FAMILIES if claim in f.claims + f.mutants]
        assert owners == [catalogue.family_of(claim.name)]


def test_an_unknown_family_is_a_usage_error_naming_the_choices(capsys):
    assert main(["check", "-q", "--family", "nope"]) == 2
    err = capsys.readouterr().err
    assert "'nope'" in err and "softmax" in err and "Traceback" not in err
