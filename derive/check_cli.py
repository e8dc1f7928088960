"""``derive check [NAME ...] [--json] [--mutants] [--no-cache]``: prove the catalogue.

Verdicts already reached by this very source and these versions are read from the proof
cache (:mod:`derive.proof_cache`: keyed by the claim, derive's sources and the versions;
an entry that is stale or does not match its hash is proved again); ``--no-cache``
proves every claim now. The last line gives the wall time and how many verdicts came
from the cache.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import sympy as sp

from derive import catalogue
from derive.engine.claims import Claim, Verdict
from derive.engine.prover import prove
from derive.errors import DeriveError
from derive.models import FAMILIES
from derive.pretty import unicode
from derive.progress import Progress
from derive.proof_cache import ProofCache

_IMPORTED = time.perf_counter()


def process_seconds() -> float:
    """Wall seconds since this process started (Linux ``/proc``; elsewhere since this
    module was imported), so the time printed includes Python's and SymPy's imports."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            started = int(f.read().rpartition(")")[2].split()[19])  # field 22: starttime
        with open("/proc/uptime", encoding="ascii") as f:
            now = float(f.read().split()[0])
        return max(0.0, now - started / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _IMPORTED


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check", help="prove the catalogue's closed forms for symbolic K, D, N",
        description="Prove the closed forms of every model family's catalogue (or the NAMEs "
                    "given) for symbolic sizes K, D, N; with --mutants also run their wrong "
                    "variants, which must come out refuted. Exit 0 when every claim is as "
                    "required, 1 otherwise, 2 on a usage error.")
    p.add_argument("names", nargs="*", metavar="NAME", help="claims to prove (default: all)")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--mutants", action="store_true", help="also run the wrong variants")
    p.add_argument("--no-cache", action="store_true",
                   help="prove every claim now (default: reuse verdicts this source and these "
                        "versions already reached, each checked against its hash)")
    p.add_argument("--family", action="append", default=None, metavar="NAME",
                   help="only this model family's claims (repeatable; default: all families)")
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                   help="no progress line on stderr")
    p.set_defaults(func=run)


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
    out = dict(out)
    out["statement"] = unicode(sp.Eq(claim.lhs, claim.rhs, evaluate=False))
    out["source"] = claim.source
    out["family"] = catalogue.family_of(claim.name)
    out["mutant"] = claim.mutant_of is not None
    if claim.mutant_of:
        out["mutant_of"] = claim.mutant_of
    return out


def _table(rows: list[dict]) -> str:
    heads = ("claim", "statement", "assumptions", "verdict", "seconds")
    cells = [
        (
            r["name"],
            r["statement"],
            "; ".join(r["assumptions"]) or "—",
            r["verdict"] + (" (mutant)" if r["mutant"] else ""),
            f"{r['seconds']:.2f}" + (" (cache)" if r.get("cached") else ""),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(c[p]) for c in cells)) for p, h in enumerate(heads)]
    line = "  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True))
    out = [line, "  ".join("─" * w for w in widths)]
    titles = {f.name: f.title for f in FAMILIES}
    several = len({r["family"] for r in rows}) > 1
    shown = None
    for r, c in zip(rows, cells, strict=True):
        if several and r["family"] != shown:  # one heading per family, in catalogue order
            shown = r["family"]
            out.append(f"{titles.get(shown, shown)}:")
        out.append("  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)).rstrip())
    for r in rows:
        cex = r.get("counterexample")
        if r["verdict"] == "refuted" and cex:
            out.append(
                f"  {r['name']}: sizes {cex['sizes']}, indices {cex['indices']}, "
                f"values {json.dumps(cex['values'])}: lhs {cex['lhs']:.6g} ≠ rhs {cex['rhs']:.6g}"
            )
        elif r["verdict"] == "unknown":
            out.append(f"  {r['name']}: residual {r['residual']} {r.get('note', '')}".rstrip())
    return "\n".join(out)


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
                    cache.put(claim, verdict.as_dict())
            bar.step(claim.name)
    ok = all(r["verdict"] == ("refuted" if c.mutant_of else "proved")
             for c, r in zip(claims, rows, strict=True))
    return rows, ok


def run(args: argparse.Namespace) -> int:
    cache = ProofCache(empty=args.no_cache)
    rows, ok = check(args.names, args.mutants, quiet=getattr(args, "quiet", False),
                     families=args.family, cache=cache)
    cache.save()
    wall = process_seconds()
    if args.json:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print(_table(rows))
        n_ok = sum(r["verdict"] == ("refuted" if r["mutant"] else "proved") for r in rows)
        reused = sum(bool(r.get("cached")) for r in rows)
        how = (f"{reused} from the proof cache, {len(rows) - reused} proved now"
               if reused else "all proved now")
        print(f"\n{n_ok} of {len(rows)} as required in {wall:.1f} s wall, imports included "
              f"({how})")
    return 0 if ok else 1
