"""Benchmark: the first call of ``loss_and_grad`` in a new process, against the NumPy
reference's first call, at N = 60000, D = 784, K = 10 (float64).

Each measurement is a fresh Python process (imports are done before the clock starts;
the first call includes the proof gate and the generated module). Three cases, in
alternating rounds: the NumPy reference; derive with the verdict cache warm (what every
process after the first sees); derive with an empty cache (a new install: proves).

    python benchmarks/bench_first_call.py [--rounds 5]

Shared 2-core machine: compare within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = """
import sys, time
import numpy as np
from derive.kernels import api
from derive.references import softmax as reference
rng = np.random.default_rng(0)
X = rng.standard_normal((60000, 784)); y = rng.integers(0, 10, 60000); W = np.zeros((784, 10))
f = reference.loss_and_grad if sys.argv[1] == "numpy" else api.loss_and_grad
t0 = time.perf_counter(); f(X, y, W); t1 = time.perf_counter(); f(X, y, W)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def one(case: str, cache_home: str) -> tuple[float, float]:
    env = dict(os.environ, XDG_CACHE_HOME=cache_home)
    impl = "numpy" if case == "numpy" else "derive"
    out = subprocess.run([sys.executable, "-c", CHILD, impl], env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    warm = tempfile.mkdtemp(prefix="derive-cache-warm-")
    one("derive warm", warm)  # fills the warm cache
    times: dict[str, list[tuple[float, float]]] = {"numpy": [], "derive warm": [],
                                                    "derive cold": []}
    for _ in range(args.rounds):
        for case in times:
            home = warm if case != "derive cold" else tempfile.mkdtemp(prefix="derive-cold-")
            times[case].append(one(case, home))
    med = {c: statistics.median(t[0] for t in v) for c, v in times.items()}
    second = {c: statistics.median(t[1] for t in v) for c, v in times.items()}
    print(json.dumps({
        "first_call_s": {c: round(v, 3) for c, v in med.items()},
        "second_call_s": {c: round(v, 3) for c, v in second.items()},
        "warm_minus_numpy_s": round(med["derive warm"] - med["numpy"], 3),
        "cold_minus_numpy_s": round(med["derive cold"] - med["numpy"], 3),
        "rounds": args.rounds,
        "note": "fresh process each; medians; 2 cores shared with other engineers",
    }, indent=2))


if __name__ == "__main__":
    main()
