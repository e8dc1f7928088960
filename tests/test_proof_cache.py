"""The proof cache of ``derive check``: a verdict is reused only for the very claim, source
and versions it was reached with, and only when its entry matches its hash; anything else
is proved again, so a cache can never turn a failing proof into ``proved``."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys

import pytest
import sympy as sp

import derive.check_cli as check_cli
import derive.proof_cache as proof_cache
from derive import catalogue
from derive.cli import main
from derive.engine.claims import Verdict
from derive.proof_cache import ProofCache, claim_key

NAME = "nll_grad_bias"  # a claim and its three wrong variants, about a second to decide


def _run(folder, **kw):
    cache = ProofCache(folder, **kw)
    rows, ok = check_cli.check([NAME], mutants=True, cache=cache)
    cache.save()
    return rows, ok, cache


def _forbid_proving(monkeypatch):
    def boom(claim):
        raise AssertionError(f"{claim.name} was proved again")

    monkeypatch.setattr(check_cli, "prove", boom)


def test_a_second_run_takes_every_verdict_from_the_cache(tmp_path, monkeypatch):
    first, ok, _ = _run(tmp_path)
    assert ok and not any(r.get("cached") for r in first)
    _forbid_proving(monkeypatch)
    second, ok2, _ = _run(tmp_path)
    assert ok2 and all(r.get("cached") for r in second)
    strip = [{k: v for k, v in r.items() if k != "cached"} for r in second]
    assert strip == first  # the same rows, counterexamples included


def test_an_edited_verdict_is_proved_again(tmp_path):
    _run(tmp_path)
    (path,) = tmp_path.glob("proofs-*.json")
    data = json.loads(path.read_text())
    mutant = f"{NAME} [sign flip]"
    data["entries"][mutant]["record"]["verdict"] = "proved"  # the seal is not redone
    path.write_text(json.dumps(data))
    rows, ok, _ = _run(tmp_path)
    row = next(r for r in rows if r["name"] == mutant)
    assert not row.get("cached") and row["verdict"] == "refuted" and ok


def test_a_verdict_stored_for_another_claim_is_not_used(tmp_path):
    """An entry with a valid seal under a claim's name, but made for a different claim
    (the claim changed since): the key differs, the claim is proved again."""
    _run(tmp_path)
    (path,) = tmp_path.glob("proofs-*.json")
    data = json.loads(path.read_text())
    data["entries"][f"{NAME} [sign flip]"] = data["entries"][NAME]  # a sealed "proved"
    path.write_text(json.dumps(data))
    rows, ok, _ = _run(tmp_path)
    row = next(r for r in rows if r["name"] == f"{NAME} [sign flip]")
    assert not row.get("cached") and row["verdict"] == "refuted" and ok


def test_a_changed_claim_under_the_same_name_misses(tmp_path):
    cache = ProofCache(tmp_path)
    claim = catalogue.get(NAME)
    cache.put(claim, {"name": NAME, "verdict": "proved", "seconds": 0.1})
    cache.save()
    again = ProofCache(tmp_path)
    assert again.get(claim) is not None
    wrong = dataclasses.replace(claim, rhs=-claim.rhs)
    assert claim_key(wrong) != claim_key(claim)
    assert again.get(wrong) is None


def test_another_source_or_version_reads_nothing(tmp_path, monkeypatch):
    _run(tmp_path)
    monkeypatch.setattr(proof_cache, "source_key", lambda: "0" * 64)
    rows, ok, _ = _run(tmp_path)
    assert ok and not any(r.get("cached") for r in rows)


def test_no_cache_reads_nothing_but_stores(tmp_path):
    _run(tmp_path)
    rows, ok, cache = _run(tmp_path, empty=True)
    assert ok and not any(r.get("cached") for r in rows)
    assert len(cache.new) == 4


def test_an_unknown_verdict_is_never_stored(tmp_path, monkeypatch):
    monkeypatch.setattr(check_cli, "prove",
                        lambda claim: Verdict(claim.name, "unknown", residual=sp.Symbol("r")))
    rows, ok, cache = _run(tmp_path)
    assert not ok and {r["verdict"] for r in rows} == {"unknown"}
    assert cache.new == {} and not list(tmp_path.glob("proofs-*.json"))


def test_an_unwritable_cache_only_costs_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    rows, ok, _ = _run(blocker)
    assert ok and len(rows) == 4


@pytest.mark.parametrize("garbage", ["", "{", "[]", '{"source": 1}', "\xff"])
def test_an_unreadable_file_is_ignored(tmp_path, garbage):
    ProofCache(tmp_path).path.write_text(garbage, encoding="latin-1")
    assert ProofCache(tmp_path).get(catalogue.get(NAME)) is None


def test_the_cli_prints_its_wall_time_and_what_came_from_the_cache(tmp_path, monkeypatch,
                                                                    capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert main(["check", "-q", NAME]) == 0
    assert re.search(r"1 of 1 as required in \d+\.\d s wall, imports included \(all proved "
                     r"now\)", capsys.readouterr().out)
    assert main(["check", "-q", NAME]) == 0
    out = capsys.readouterr().out
    assert "(1 from the proof cache, 0 proved now)" in out and "(cache)" in out
    assert main(["check", "-q", "--no-cache", NAME]) == 0
    assert "(all proved now)" in capsys.readouterr().out


# ------------------------------------------------------------------ the warm path of the CLI
# `derive check` answers from the cache alone (no catalogue, no SymPy) only when every
# selected verdict is there and matches its seal, with the catalogue's listing.


def _cli_json(args, capsys) -> tuple[int, list[dict]]:
    code = main(["check", "-q", "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_a_warm_cli_run_builds_nothing_and_prints_the_same_rows(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    code, first = _cli_json(["--mutants", NAME], capsys)
    assert code == 0 and len(first) == 4 and not any(r.get("cached") for r in first)

    def boom(*a, **k):
        raise AssertionError("the catalogue was built on a warm run")

    monkeypatch.setattr(check_cli, "check", boom)
    code, second = _cli_json(["--mutants", NAME], capsys)
    assert code == 0 and all(r.get("cached") for r in second)
    assert [{k: v for k, v in r.items() if k != "cached"} for r in second] == first


def test_a_warm_run_of_another_selection_reads_the_listing(tmp_path, monkeypatch, capsys):
    """The listing written by one run answers another selection (a family; every claim)
    in catalogue order, the mutants after their claims, as ``select`` orders them."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = ProofCache(tmp_path / "derive")
    check_cli.list_catalogue(cache)
    for claim in check_cli.select([], True):  # sealed stand-ins: only the order is tested
        cache.put(claim, {"name": claim.name, "verdict": "refuted" if claim.mutant_of
                          else "proved", "seconds": 0.0, "assumptions": []},
                  {"statement": "s", "source": "", "family": catalogue.family_of(claim.name),
                   "mutant": claim.mutant_of is not None})
    cache.save()
    for families in (["poisson"], None):
        want = [c.name for c in check_cli.select([], True, families)]
        rows = ProofCache(tmp_path / "derive").rows([], True, families)
        assert rows is not None and [r["name"] for r in rows[0]] == want
    assert ProofCache(tmp_path / "derive").rows(["no_such_claim"], False, None) is None
    assert ProofCache(tmp_path / "derive").rows([], False, ["no_such_family"]) is None
    assert ProofCache(tmp_path / "derive", empty=True).rows([], False, None) is None


@pytest.mark.parametrize("damage", ["entry", "listing"])
def test_a_tampered_cache_is_proved_again_through_the_cli(tmp_path, monkeypatch, capsys,
                                                           damage):
    """A verdict edited to 'proved' (seal not redone), or an edited listing: the warm path
    refuses it, the catalogue is built and the wrong variant refuted again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _cli_json(["--mutants", NAME], capsys)[0] == 0
    (path,) = (tmp_path / "derive").glob("proofs-*.json")
    data = json.loads(path.read_text())
    mutant = f"{NAME} [sign flip]"
    if damage == "entry":
        data["entries"][mutant]["record"]["verdict"] = "proved"
    else:
        data["catalogue"]["body"]["order"].reverse()
    path.write_text(json.dumps(data))
    built = []
    real = check_cli.check
    monkeypatch.setattr(check_cli, "check", lambda *a, **k: built.append(1) or real(*a, **k))
    code, rows = _cli_json(["--mutants", NAME], capsys)
    row = next(r for r in rows if r["name"] == mutant)
    assert built and code == 0 and row["verdict"] == "refuted"
    assert bool(row.get("cached")) is (damage == "listing")  # the entry itself was sound


def test_a_warm_cli_run_imports_no_sympy(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    code = ("import sys; from derive.cli import main; "
            f"c = main(['check', '-q', {NAME!r}]); print(c, 'sympy' in sys.modules)")
    outs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout.splitlines()[-1] for _ in range(2)]
    assert outs == ["0 True", "0 False"]


def test_every_claim_is_built_the_same_in_every_process(tmp_path):
    """The warm path rests on this: a claim (and so its key) is a function of derive's
    source and the versions; two processes with other hash seeds build the same keys."""
    code = ("from derive import catalogue; from derive.proof_cache import claim_key; "
            "print(sorted((c.name, claim_key(c)) for c in (*catalogue.CLAIMS, "
            "*catalogue.mutants())))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert len(outs) == 1 and "nll_grad_bias" in next(iter(outs))
