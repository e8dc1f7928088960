"""The time the independent referee adds to ``derive verify`` (issue 18: goal ≤ 20 %).

    python benchmarks/bench_referee.py [--rounds N] [PATH ...]

Over the corpus (``derive/corpus``), the shipped examples and the soundness probes
(``tests/soundness``), or the given files: each file is verified with the referee off (every
verdict passed through) and on, alternately, ``--rounds`` times each, in one process; the
best time of each is kept (the machines are shared). Inside the runs with the referee on,
the time spent in the referee itself (reading the declarations and judging each step) is
measured too. Prints the totals and the two ratios:

* ``on/off``: (verify with the referee) / (verify without it) − 1;
* ``share``: time inside the referee / (time of verify − time inside the referee).

Both count the engine's caches warm after the first round (the first round is discarded
when ``--rounds`` > 1).
"""

from __future__ import annotations

import argparse
import glob
import os
import time
from typing import Any

from derive.latex import verify as V
from derive.latex.chains import read_notes

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_paths() -> list[str]:
    """The corpus, the examples and the probes."""
    pats = [("derive", "corpus", "[0-9][0-9]_*"), ("derive", "examples", "*"),
            ("tests", "soundness", "**", "*")]
    out: list[str] = []
    for parts in pats:
        out += sorted(p for p in glob.glob(os.path.join(ROOT, *parts), recursive=True)
                      if p.endswith((".md", ".tex")))
    return out


class _Timed:
    """The referee installed in verify, with the time spent inside it summed."""

    def __init__(self, install: Any) -> None:
        self.install = install
        self.seconds = 0.0

    def __call__(self, directives: Any, *more: Any) -> Any:
        start = time.perf_counter()
        judge = self.install(directives, *more)
        self.seconds += time.perf_counter() - start

        def timed(*args: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return judge(*args)
            finally:
                self.seconds += time.perf_counter() - t0

        return timed


def _off(directives: Any, *more: Any) -> Any:
    return lambda rec, *args: rec


def _run(path: str, referee: Any) -> float:
    install = V.REFEREE
    V.REFEREE = referee
    try:
        notes = read_notes(path)
        start = time.perf_counter()
        V.verify_notes(notes)
        return time.perf_counter() - start
    finally:
        V.REFEREE = install


def measure(paths: list[str], rounds: int) -> dict[str, float]:
    """Best-of-``rounds`` totals: verify off, verify on, and the referee's own time."""
    off = dict.fromkeys(paths, float("inf"))
    on = dict.fromkeys(paths, float("inf"))
    inside = dict.fromkeys(paths, 0.0)
    for r in range(rounds):
        keep = rounds == 1 or r > 0  # the first of several rounds warms the caches
        for p in paths:
            t_off = _run(p, _off)
            timed = _Timed(V.REFEREE)
            t_on = _run(p, timed)
            if keep:
                off[p] = min(off[p], t_off)
                if t_on < on[p]:
                    on[p], inside[p] = t_on, timed.seconds
    return {"off": sum(off.values()), "on": sum(on.values()), "inside": sum(inside.values()),
            "files": len(paths)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args(argv)
    paths = args.paths or default_paths()
    m = measure(paths, args.rounds)
    print(f"{m['files']:.0f} files, best of {args.rounds} rounds (first discarded when > 1)")
    print(f"verify, referee off: {m['off']:8.2f} s")
    print(f"verify, referee on:  {m['on']:8.2f} s   on/off = "
          f"{100 * (m['on'] / m['off'] - 1):+.1f} %")
    print(f"inside the referee:  {m['inside']:8.2f} s   share = "
          f"{100 * m['inside'] / (m['on'] - m['inside']):.1f} % of verify without it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
