"""Differential fuzzing of the proof engine at scale (issue 8).

    python benchmarks/fuzz.py --cases 5000 [--seed 0] [--show 5]

Draws random expressions of the engine's fragment paired with true or perturbed rewrites
(tests/fuzzing.py), runs ``prove_equal`` on each, and checks the verdict against exact
concrete evaluation at sizes K, D in 1..4 by an evaluator independent of the normal form.
Prints the counts proved / refuted / unknown, the concrete truth beside them, and the
false verdicts (a "proved" where the values differ, a "refuted" where they agree); exit 1
or crash if there is any. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

import fuzzing


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=5, help="print up to this many false verdicts")
    ap.add_argument("--shard", default="0/1", help="i/n: check only cases with number ≡ i "
                    "mod n (the same stream is drawn; run n shards in parallel, add counts)")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    gen = fuzzing.Gen(rng.choice)
    verdicts: Counter = Counter()
    table: Counter = Counter()
    false = []
    start = time.perf_counter()
    part, parts = (int(q) for q in args.shard.split("/"))
    for n in range(args.cases):
        lhs, rhs, name = fuzzing.pair(gen)
        if n % parts != part:
            continue
        verdict, fact, bad = fuzzing.check(lhs, rhs, kind=fuzzing.kind_of(name))
        verdicts[verdict] += 1
        table[verdict, fact] += 1
        if bad:
            false.append((n, verdict, fact, name, lhs, rhs))
    secs = time.perf_counter() - start
    crashes = sum(n for v, n in verdicts.items() if v.startswith("crash"))
    wrong = len(false) - crashes
    shard = "" if parts == 1 else f", shard {args.shard}: {sum(verdicts.values())} checked"
    print(f"cases {args.cases} (seed {args.seed}{shard}, {secs:.0f} s): "
          + ", ".join(f"{verdicts[v]} {v}" for v in ("proved", "refuted", "unknown"))
          + f", {crashes} crashed; false verdicts {wrong}")
    print("verdict   concrete truth   count")
    for (v, f), c in sorted(table.items()):
        print(f"{v:9} {f:16} {c}")
    for n, v, f, name, lhs, rhs in false[: args.show]:
        print(f"FALSE #{n}: {v} but {f} ({name}):\n  {lhs}\n  = {rhs}")
    return 1 if false else 0


if __name__ == "__main__":
    raise SystemExit(main())
