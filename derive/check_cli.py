"""``derive check``'s work: select the claims, prove them (or read their verdicts from
the proof cache), and say whether every claim is proved and every wrong variant refuted.

The command line is :mod:`derive.check_command`, which answers a warm run from the cache
alone; this module builds the catalogue (SymPy, every family) when anything is left to do.
Verdicts already reached by this very source and these versions are read from the proof
cache (:mod:`derive.proof_cache`: keyed by the claim, derive's sources and the versions;
an entry that is stale or does not match its hash is proved again).
"""

from __future__ import annotations

import sympy as sp

from derive import catalogue
from derive.engine.claims import Claim, Verdict
from derive.engine.prover import prove
from derive.errors import DeriveError
from derive.models import FAMILIES
from derive.pretty import unicode
from derive.progress import Progress
from derive.proof_cache import ProofCache

__all__ = ["check", "list_catalogue", "passed", "prove_all", "record", "select", "titles"]


def select(names: list[str], with_mutants: bool,
           families: list[str] | None = None) -> list[Claim]:
    claims = [catalogue.get(n) for n in names] if names else list(catalogue.CLAIMS)
    if families:
        known = {f.name for f in FAMILIES}
        for fam in families:
            if fam not in known:
                raise DeriveError(f"--family {fam!r}: expected one of {', '.join(sorted(known))}")
        claims = [c for c in claims if catalogue.family_of(c.name) in families]
    if with_mutants:
        claims += [mu for c in list(claims) for mu in catalogue.mutants(c.name)]
    return claims


def passed(claim: Claim, verdict: Verdict) -> bool:
    """A claim must be proved; a mutant must be refuted (with its counterexample)."""
    want = "refuted" if claim.mutant_of else "proved"
    return verdict.status == want


def record(claim: Claim, verdict: Verdict) -> dict:
    """One row of the output: the verdict's fields and the claim's statement, family..."""
    return _row(claim, verdict.as_dict())


def _row(claim: Claim, out: dict) -> dict:
    return {**out, **about(claim)}


def about(claim: Claim) -> dict:
    """What is printed beside a claim's verdict: its statement, source and family."""
    out: dict = {}
    out["statement"] = unicode(sp.Eq(claim.lhs, claim.rhs, evaluate=False))
    out["source"] = claim.source
    out["family"] = catalogue.family_of(claim.name)
    out["mutant"] = claim.mutant_of is not None
    if claim.mutant_of:
        out["mutant_of"] = claim.mutant_of
    return out


def prove_all(names: list[str] | None = None, mutants: bool = False,
              quiet: bool = True, families: list[str] | None = None,
              ) -> list[tuple[Claim, Verdict]]:
    """Prove the selected claims (and their mutants), in catalogue order; with
    ``quiet=False`` a progress line is drawn on a terminal's stderr."""
    claims = select(names or [], mutants, families)
    done = []
    with Progress("proving", total=len(claims), quiet=quiet) as bar:
        for claim in claims:
            bar.show(claim.name)
            done.append((claim, prove(claim)))
            bar.step(claim.name)
    return done


def check(names: list[str] | None = None, mutants: bool = False,
          quiet: bool = True, families: list[str] | None = None,
          cache: ProofCache | None = None) -> tuple[list[dict], bool]:
    """Prove the selected claims; returns the records and whether all went as required.

    With a ``cache``, a claim whose verdict it holds for this exact claim, source and
    versions is not proved again (its row says ``"cached": true``); every new ``proved``
    or ``refuted`` verdict is stored in it (the caller saves it).
    """
    claims = select(names or [], mutants, families)
    rows = []
    with Progress("proving", total=len(claims), quiet=quiet) as bar:
        for claim in claims:
            bar.show(claim.name)
            stored = cache.get(claim) if cache is not None else None
            if stored is not None:
                rows.append({**_row(claim, stored), "cached": True})
            else:
                verdict = prove(claim)
                rows.append(record(claim, verdict))
                if cache is not None:
                    cache.put(claim, verdict.as_dict(), about(claim))
            bar.step(claim.name)
    ok = all(r["verdict"] == ("refuted" if c.mutant_of else "proved")
             for c, r in zip(claims, rows, strict=True))
    return rows, ok


def titles() -> dict[str, str]:
    """Each family's name and title, in catalogue order."""
    return {f.name: f.title for f in FAMILIES}


def list_catalogue(cache: ProofCache) -> None:
    """Give ``cache`` the listing of the whole catalogue (a warm run reads only that)."""
    order = [(c.name, catalogue.family_of(c.name), None) for c in catalogue.CLAIMS]
    order += [(q.name, catalogue.family_of(q.name), q.mutant_of) for q in catalogue.mutants()]
    cache.list_catalogue(order, titles())
