"""Time ``derive verify`` on each shipped example and on a 20-step derivation.

Run: ``python benchmarks/bench_verify.py``.
"""

from __future__ import annotations

import os
import tempfile
import time

from derive.latex.cli import example_paths
from derive.latex.verify import verify_file

TWENTY = r"""% derive: size K
% derive: index j, k, c in 1..K
% derive: tensor z_k
% derive: let \sigma_k = \frac{e^{z_k}}{\sum_{c=1}^K e^{z_c}}
$$\sigma_k """ + "".join(r"= \sigma_k \cdot 1 " for _ in range(20)) + "$$\n"


def main() -> None:
    for path in example_paths():
        t = time.perf_counter()
        res = verify_file(path)
        print(f"{os.path.basename(path)}: {len(res)} steps in {time.perf_counter() - t:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "twenty.md")
        with open(p, "w") as fh:
            fh.write(TWENTY)
        t = time.perf_counter()
        res = verify_file(p)
        print(f"20-step derivation: {len(res)} steps in {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
