"""Time ``derive verify`` on each shipped example and on a real 20-step derivation.

Run: ``PYTHONPATH=. python benchmarks/bench_verify.py``. Imports (SymPy, lark) are paid
once before timing, as in a long ``derive verify`` run or a pytest session; the budget is
3 s for the 20-step derivation on the 2-core machine.

The 20-step derivation is the gradient of the cross-entropy of softmax regression in the
notation of seed 001 (``\\zeta_k(\\mathbf{z})``, ``\\theta_{ij}``), one manipulation per step:
chain rule, derivative of the log and of the softmax, Kronecker sums, the one-hot sum.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter

from derive.latex.cli import example_paths
from derive.latex.parser import _parser
from derive.latex.verify import verify_file

BUDGET_SECONDS = 3.0

TWENTY = r"""% derive: size K, D
% derive: index i, l in 1..D
% derive: index j, k, c in 1..K
% derive: tensor \theta_{ik}, x_i, y_k
% derive: let z_k = \sum_{l=1}^D \theta_{lk} x_l
% derive: let \zeta_k(\mathbf{z}) = \frac{e^{z_k}}{\sum_{c=1}^K e^{z_c}}
% derive: let \ell = - \sum_{k=1}^K y_k \log(\zeta_k(\mathbf{z}))
% derive: assume \sum_{k=1}^K y_k = 1
\begin{align*}
\frac{\partial \ell}{\partial \theta_{ij}}
  &= \frac{\partial}{\partial \theta_{ij}}
     \left( - \sum_{k=1}^K y_k \log(\zeta_k(\mathbf{z})) \right) \\
  &= - \sum_{k=1}^K y_k \cdot \frac{\partial}{\partial \theta_{ij}} \log(\zeta_k(\mathbf{z})) \\
  &= - \sum_{k=1}^K y_k \cdot \frac{1}{\zeta_k(\mathbf{z})}
     \cdot \frac{\partial \zeta_k(\mathbf{z})}{\partial z_j}
     \cdot \frac{\partial z_j}{\partial \theta_{ij}} \\
  &= - \sum_{k=1}^K y_k \cdot \frac{1}{\zeta_k(\mathbf{z})}
     \cdot \frac{\partial \zeta_k(\mathbf{z})}{\partial z_j} \cdot x_i \\
  &= - \sum_{k=1}^K y_k \cdot \frac{1}{\zeta_k(\mathbf{z})}
     \cdot \zeta_k(\mathbf{z}) (\delta_{jk} - \zeta_j(\mathbf{z})) \cdot x_i \\
  &= - \sum_{k=1}^K y_k (\delta_{jk} - \zeta_j(\mathbf{z})) x_i \\
  &= - \sum_{k=1}^K y_k \delta_{jk} x_i + \sum_{k=1}^K y_k \zeta_j(\mathbf{z}) x_i \\
  &= - y_j x_i + \sum_{k=1}^K y_k \zeta_j(\mathbf{z}) x_i \\
  &= - y_j x_i + \zeta_j(\mathbf{z}) x_i \sum_{k=1}^K y_k \\
  &= - y_j x_i + \zeta_j(\mathbf{z}) x_i \\
  &= (\zeta_j(\mathbf{z}) - y_j) x_i \\
  &= \left( \frac{e^{z_j}}{\sum_{c=1}^K e^{z_c}} - y_j \right) x_i \\
  &= \frac{e^{z_j} x_i}{\sum_{c=1}^K e^{z_c}} - y_j x_i \\
  &= x_i \frac{e^{z_j} - y_j \sum_{c=1}^K e^{z_c}}{\sum_{c=1}^K e^{z_c}} \\
  &= x_i \left( \frac{e^{\sum_{l=1}^D \theta_{lj} x_l}}
                    {\sum_{c=1}^K e^{\sum_{l=1}^D \theta_{lc} x_l}} - y_j \right) \\
  &= x_i \zeta_j(\mathbf{z}) - x_i y_j \\
  &= x_i \left( \zeta_j(\mathbf{z}) - y_j \sum_{k=1}^K y_k \right) \\
  &= x_i \sum_{k=1}^K y_k (\zeta_j(\mathbf{z}) - y_j) \\
  &= \sum_{k=1}^K y_k x_i \zeta_j(\mathbf{z}) - x_i y_j \\
  &= \boxed{x_i (\zeta_j(\mathbf{z}) - y_j)}
\end{align*}
"""


def _line(name: str, results: list[dict], seconds: float) -> str:
    counts = Counter(r["verdict"] for r in results)
    verdicts = ", ".join(f"{counts[v]} {v}" for v in ("proved", "refuted", "unknown"))
    return f"{name}: {len(results)} steps in {seconds:.2f} s ({verdicts})"


def main() -> int:
    _parser()  # build the grammar once, outside the timings
    import derive.engine.prover  # noqa: F401  (the engine's import is not part of a step)

    # the 20-step derivation first, so that no earlier file has warmed the engine's caches
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "twenty.tex")
        with open(p, "w", encoding="utf-8") as fh:
            fh.write(TWENTY)
        t = time.perf_counter()
        res = verify_file(p)
        secs = time.perf_counter() - t
    print(_line("20-step derivation (seed 001 notation)", res, secs))
    for path in example_paths():
        t = time.perf_counter()
        found = verify_file(path)
        print(_line(os.path.basename(path), found, time.perf_counter() - t))
    ok = len(res) == 20 and all(r["verdict"] == "proved" for r in res) and secs <= BUDGET_SECONDS
    print(f"budget {BUDGET_SECONDS:.0f} s: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
