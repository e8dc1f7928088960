"""``derive kernels [--emit FILE.py | --show | --check] [--json]`` and ``derive bench``."""

from __future__ import annotations

import argparse
import json

from derive.errors import DeriveError
from derive.kernels.bench import IMPLS

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``kernels`` and ``bench`` subcommands to derive's parser."""
    p = sub.add_parser(
        "kernels", help="proven NumPy kernels: emit, show or check them",
        description="The NumPy kernels generated from the proved gradients: --emit writes "
                    "them as one self-contained module, --show prints it, --check (the "
                    "default) compares them with references, finite differences and the "
                    "complex step. Exit 0 when every check is within tolerance, 1 otherwise.")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--emit", metavar="FILE.py", help="write the self-contained module")
    mode.add_argument("--show", action="store_true", help="print the generated module")
    mode.add_argument("--check", action="store_true", help="print the error table")
    p.add_argument("--json", action="store_true", help="machine-readable output (--check)")
    p.set_defaults(func=kernels)

    q = sub.add_parser(
        "bench", help="time the generated kernel against NumPy, JAX, PyTorch (fresh processes)",
        description="Time the generated loss_and_grad kernel against hand-written NumPy, JAX "
                    "and PyTorch (those installed), each in fresh processes, in alternating "
                    "rounds. Progress goes to stderr only when it is a terminal.")
    q.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                   help="no progress lines on stderr")
    q.add_argument("--json", action="store_true", help="print one JSON document")
    q.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    q.add_argument("--repeats", type=int, default=5, help="timed calls per process (default 5)")
    q.add_argument("--budget", type=float, default=6.0,
                   help="seconds of timed calls per process (default 6): a slower call is"
                        " timed once and warmed up once, for every implementation alike")
    q.add_argument("--n", type=int, default=60000, help="rows N (default 60000)")
    q.add_argument("--d", type=int, default=784, help="features D (default 784)")
    q.add_argument("--k", type=int, nargs="+", default=[2, 10, 100, 1000],
                   help="classes K (default 2 10 100 1000; K=2 is binary logistic regression)")
    q.add_argument("--no-startup", action="store_true",
                   help="skip the import and first-call times")
    q.add_argument("--dtype", choices=("float64", "float32", "both"), default="both")
    q.add_argument("--impl", nargs="+", choices=IMPLS, default=list(IMPLS),
                   help="implementations to time (default all; absent JAX/PyTorch are skipped)")
    q.add_argument("--no-extras", action="store_true", help="skip JAX and PyTorch")
    q.add_argument("--kernel", help="time another family's kernel against its hand NumPy"
                   " (the benchmark the family declares; default: loss_and_grad)")
    q.set_defaults(func=bench)


def kernels(args: argparse.Namespace) -> int:
    if args.emit:
        from derive.kernels.emit import write
        from derive.outputs import check_output_file

        check_output_file(args.emit, "--emit")  # before any proving

        path = write(args.emit)
        print(f"wrote {path}")
        return 0
    if args.show:
        from derive.kernels.emit import emitted_source

        print(emitted_source(), end="")
        return 0
    from derive.kernels.links import refusals
    from derive.kernels.table import check_report

    refused = refusals(fresh=True)  # --check never trusts the verdict cache
    rows = check_report()
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(_table(rows))
        # A kernel whose link is unknown or refuted is not offered, which is the correct
        # outcome of its proof, not a failed check: said here, with the reason.
        for name, why in refused.items():
            print(f"not offered: {name}: {why}")
    return 0 if all(r["ok"] for r in rows) else 1


def _table(rows: list[dict]) -> str:
    # Each error sits next to the bound it is held to.
    width = max([24, *(len(r["kernel"]) for r in rows)])
    head = f"{'kernel':{width}} {'dtype':8} {'reference':>10} {'fin.diff':>10} {'cplx step':>10}"
    head += f" {'tol ref/cs':>10} {'tol f.d.':>9}  ok"
    lines = [head]
    for r in rows:
        lines.append(
            f"{r['kernel']:{width}} {r['dtype']:8} {r['reference_error']:10.3g}"
            f" {r['fd_error']:10.3g} {r['complex_step_error']:10.3g} {r['tolerance']:10.3g}"
            f" {r['tolerance_fd']:9.3g}"
            f"  {'yes' if r['ok'] else 'NO'}"
        )
    return "\n".join(lines)


def bench(args: argparse.Namespace) -> int:
    import sys

    from derive.kernels.bench import format_table, main_json, run
    from derive.progress import progress_enabled

    for name in ("rounds", "repeats", "n", "d"):
        if getattr(args, name) < 1:
            raise DeriveError(f"--{name} {getattr(args, name)}: expected a positive integer")
    if not args.budget > 0:
        raise DeriveError(f"--budget {args.budget}: expected a positive number of seconds")
    for k in args.k:
        if k < 2:
            raise DeriveError(f"--k {k}: expected K >= 2 classes")
    dtypes = ("float64", "float32") if args.dtype == "both" else (args.dtype,)
    impls = tuple(i for i in IMPLS if i in args.impl)
    if args.no_extras:
        impls = tuple(i for i in impls if i not in ("jax", "torch"))
    kernel = getattr(args, "kernel", None)
    if kernel is not None:
        from derive.kernels.links import KERNELS

        declared = sorted(name for name, (_, kern) in KERNELS.items() if kern.bench is not None)
        if kernel not in declared:
            raise DeriveError(f"--kernel {kernel}: expected one of {', '.join(declared)}")
        impls = tuple(i for i in impls if i in ("generated", "numpy"))
    result = run(
        n=args.n, d=args.d, ks=tuple(args.k), rounds=args.rounds, repeats=args.repeats,
        dtypes=dtypes, impls=impls, kernel=kernel, with_startup=not args.no_startup,
        budget_s=args.budget,
        # progress on a terminal only: a log or a pipe gets the table alone
        progress=((lambda msg: print(msg, file=sys.stderr, flush=True))
                  if progress_enabled(quiet=getattr(args, "quiet", False)) else None),
    )
    print(main_json(result) if args.json else format_table(result))
    return 0
