"""CPU time of ``derive verify`` per notes file, each in its own process, as a ratio to a
pure-Python loop run in that same process (issue 19: "≤ 1 s per file of ≤ 20 steps").

On a shared machine a file's wall time measures the load as much as derive (9 people on 2
cores: 3-4 s for a file that needs 0.9 s of CPU). Each file here runs in a fresh
interpreter, exactly as ``derive verify --json -q FILE`` would, and that interpreter first
times :func:`baseline` (a fixed pure-Python loop); the figure printed is the CPU time of the
whole run (start-up, imports, reading, proving, the referee) and its ratio to the baseline,
which a loaded machine inflates about as much as it inflates derive.

Run: ``python benchmarks/bench_verify_cpu.py tests/corpus_unseen/dev tests/corpus_unseen/dev2``
(folders or files; default: the shipped examples). ``--json OUT`` writes the rows. Paths
under a ``heldout/`` folder are refused (issue 19: the held-out half is not run before the
reader work is done).

What a row costs, measured on the development files (see the commit message): about
0.35 s importing SymPy, 0.1 s NumPy and lark, 0.1 s executing derive's own modules, 0.1 to
0.3 s reading and proving a file of ≤ 20 steps, and, where Python may not write bytecode
(``PYTHONDONTWRITEBYTECODE=1`` with an editable install), about 0.25 s compiling derive's
source on every run: the column ``compiled`` says whether this run did. An installed
package (``pip install .``) has its bytecode.
"""

from __future__ import annotations

import argparse
import inspect
import json
import statistics
import subprocess
import sys
from pathlib import Path

SUFFIXES = (".md", ".tex", ".ipynb")

#: run in the child: time the baseline loop, then ``derive verify``; print one JSON line
CHILD = r"""
import contextlib, importlib.util, io, json, os, time
{baseline}
before = time.process_time()
base = baseline()
spent = time.process_time() - before
before += spent
from derive.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["verify", "--json", "-q", {path!r}])
total = time.process_time()
import derive.latex.verify as v
compiled = not os.path.exists(importlib.util.cache_from_source(v.__file__))
steps = json.loads(out.getvalue() or "[]")
print(json.dumps({{"baseline": base, "verify": total - spent, "run": total - before,
                  "steps": len(steps), "code": code, "compiled": compiled}}))
"""


def baseline(rounds: int = 2) -> float:
    """CPU seconds of a fixed pure-Python loop (integer arithmetic, a dict, string
    formatting; about 0.1 s on the development machine), the least of ``rounds`` runs.
    Its source is run in the child as written (so it imports nothing but ``time``)."""
    import time

    best = float("inf")
    for _ in range(rounds):
        t = time.process_time()
        seen: dict[int, str] = {}
        acc = 0
        for i in range(300_000):
            acc = (acc * 31 + i) % 1_000_003
            seen[acc % 997] = f"{i}:{acc}"
        best = min(best, time.process_time() - t)
    return best


def notes_files(paths: list[str]) -> list[Path]:
    """The notes files named or inside the named folders, sorted; never under heldout/."""
    out: list[Path] = []
    for p in map(Path, paths):
        if "heldout" in p.resolve().parts:
            raise SystemExit(f"{p}: the held-out half is not run (issue 19); use dev/, "
                             "dev2/ or heldout1/")
        out += sorted(f for f in p.iterdir() if f.suffix in SUFFIXES) if p.is_dir() else [p]
    return out


def measure(path: Path) -> dict:
    """One fresh ``derive verify`` of ``path``: CPU seconds of the whole run (``verify``,
    including interpreter start-up and imports), of the part after the baseline loop
    (``run``), the baseline loop's, their ratio, and the number of steps."""
    code = CHILD.format(baseline=inspect.getsource(baseline), path=str(path))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise RuntimeError(f"{path}: the child failed: {proc.stderr.strip()[-500:]}")
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    row["file"] = str(path)
    row["ratio"] = row["verify"] / row["baseline"]
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", help="notes files or folders (default: the examples)")
    ap.add_argument("--json", metavar="OUT", help="write the rows as JSON")
    args = ap.parse_args(argv)
    if args.paths:
        files = notes_files(args.paths)
    else:
        import derive

        files = sorted(f for f in (Path(derive.__file__).parent / "examples").iterdir()
                       if f.suffix in SUFFIXES)
    rows = []
    print(f"{'file':48s} {'steps':>5s} {'cpu s':>6s} {'base s':>6s} {'ratio':>6s} compiled")
    for f in files:
        row = measure(f)
        rows.append(row)
        print(f"{f.name[:48]:48s} {row['steps']:5d} {row['verify']:6.2f} {row['baseline']:6.3f} "
              f"{row['ratio']:6.1f} {'yes' if row['compiled'] else 'no'}", flush=True)
    small = [r for r in rows if r["steps"] <= 20]
    if small:
        print(f"files of <= 20 steps: {len(small)}, CPU median "
              f"{statistics.median(r['verify'] for r in small):.2f} s, max "
              f"{max(r['verify'] for r in small):.2f} s; ratio median "
              f"{statistics.median(r['ratio'] for r in small):.1f}, max "
              f"{max(r['ratio'] for r in small):.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
