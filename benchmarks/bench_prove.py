"""Benchmark: symbolic proofs against brute force at concrete sizes, in one run.

Prints the wall time of ``derive check`` (a fresh process, imports included), the
median proof time of every claim (SymPy's cache cleared before each repetition, so
nothing is reused between runs), and the time SymPy's ``simplify`` needs to check
one claim entry by entry at K = D = 4 and K = D = 8, with the ratio.

    python benchmarks/bench_prove.py [--repeats 5] [--no-brute]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import sympy as sp
from sympy.core.cache import clear_cache

from derive import catalogue
from derive.engine.prover import prove


def wall_check(repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "derive", "check"], check=True,
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def claim_medians(repeats: int) -> dict[str, float]:
    out = {}
    for claim in catalogue.CLAIMS:
        times = []
        for _ in range(repeats):
            clear_cache()
            t = time.perf_counter()
            verdict = prove(claim)
            times.append(time.perf_counter() - t)
            assert verdict.status == "proved", claim.name
        out[claim.name] = statistics.median(times)
    return out


def brute_force(size: int) -> float:
    """∂L/∂θ_ij = (σ_j − y_j) x_i checked entry by entry with simplify at K = D = size."""
    K = D = size
    th = sp.Matrix(D, K, lambda a, b: sp.Symbol(f"t{a}{b}"))
    xs = sp.symbols(f"x0:{D}")
    ys = list(sp.symbols(f"y0:{K - 1}"))
    ys.append(1 - sum(ys))  # Σ_k y_k = 1
    z = [sum(th[a, b] * xs[a] for a in range(D)) for b in range(K)]
    S = sum(sp.exp(q) for q in z)
    sig = [sp.exp(q) / S for q in z]
    L = -sum(ys[b] * sp.log(sig[b]) for b in range(K))
    t = time.perf_counter()
    for a in range(D):
        for b in range(K):
            assert sp.simplify(sp.diff(L, th[a, b]) - (sig[b] - ys[b]) * xs[a]) == 0
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--no-brute", action="store_true", help="skip the K=D=8 brute force (~40 s)")
    args = ap.parse_args()
    wall = wall_check(3)
    med = claim_medians(args.repeats)
    print(f"derive check (fresh process, imports included): {wall:.2f} s wall, median of 3")
    print(f"\n{'claim':32s} {'median s':>9s}")
    for name, secs in med.items():
        print(f"{name:32s} {secs:9.3f}")
    print(f"{'max':32s} {max(med.values()):9.3f}")
    ours = med["nll_grad_theta"]
    print("\nnll_grad_theta: symbolic proof (all K, D) vs simplify at fixed sizes")
    print(f"{'method':28s} {'seconds':>8s} {'ratio to derive':>16s}")
    print(f"{'derive (symbolic K, D)':28s} {ours:8.3f} {1.0:16.1f}")
    for size in (4,) if args.no_brute else (4, 8):
        secs = brute_force(size)
        print(f"{f'simplify, K = D = {size}':28s} {secs:8.3f} {secs / ours:16.1f}")
    print("\nThe proof never instantiates K, D, N: its time is the same for every size.")


if __name__ == "__main__":
    main()
