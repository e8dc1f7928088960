"""``derive check [NAME ...] [--json] [--mutants] [--no-cache]``: prove the catalogue.

Verdicts already reached by this very source and these versions are read from the proof
cache (:mod:`derive.proof_cache`). When the cache holds every verdict asked for (each
entry matching its seal, under this source key, with the catalogue's listing), the rows
are printed from it alone: neither SymPy nor a family is imported, so a warm
``derive check --mutants`` costs the interpreter's start and the hashing of derive's
sources. Otherwise :mod:`derive.check_cli` builds the catalogue, compares each claim's
full key and proves what is missing. ``--no-cache`` proves every claim now. The last line
gives the wall time and how many verdicts came from the cache.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from derive.proof_cache import ProofCache

__all__ = ["process_seconds", "register", "run", "table"]

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


def table(rows: list[dict[str, Any]], titles: dict[str, str]) -> str:
    """The rows as a text table, one heading per family (``titles``: name → title)."""
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


def run(args: argparse.Namespace) -> int:
    cache = ProofCache(empty=args.no_cache)
    warm = cache.rows(args.names, args.mutants, args.family)
    if warm is not None:
        rows, titles = warm
    else:
        from derive import check_cli  # builds the catalogue: SymPy and every family

        rows, _ = check_cli.check(args.names, args.mutants,
                                  quiet=getattr(args, "quiet", False),
                                  families=args.family, cache=cache)
        check_cli.list_catalogue(cache)
        titles = check_cli.titles()
        cache.save()
    ok = all(ok_row(r) for r in rows)
    wall = process_seconds()
    if args.json:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print(table(rows, titles))
        reused = sum(bool(r.get("cached")) for r in rows)
        how = (f"{reused} from the proof cache, {len(rows) - reused} proved now"
               if reused else "all proved now")
        print(f"\n{sum(ok_row(r) for r in rows)} of {len(rows)} as required in {wall:.1f} s "
              f"wall, imports included ({how})")
    return 0 if ok else 1


def ok_row(row: dict[str, Any]) -> bool:
    """A claim's row must say proved, a wrong variant's refuted."""
    return row["verdict"] == ("refuted" if row["mutant"] else "proved")
