"""The main job (``derive`` with no arguments): prove, check the kernels, write the report."""

from __future__ import annotations

import argparse
import time

from derive.check_cli import passed, prove_all
from derive.optional import optional_module


def main_job(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    if optional_module("derive.report") is not None:
        from derive.outputs import check_output_dir

        check_output_dir("reports", "report folder")
    done = prove_all(mutants=True, quiet=getattr(args, "quiet", False))
    ok = all(passed(c, v) for c, v in done)
    claims = [(c, v) for c, v in done if not c.mutant_of]
    wrong = [(c, v) for c, v in done if c.mutant_of]
    print(
        f"catalogue: {sum(v.status == 'proved' for _, v in claims)}/{len(claims)} claims proved, "
        f"{sum(v.status == 'refuted' for _, v in wrong)}/{len(wrong)} wrong variants refuted"
    )
    for c, v in done:
        if not passed(c, v):
            print(f"  NOT AS REQUIRED: {c.name}: {v.status} {v.note}".rstrip())
    rows = None
    kernels = optional_module("derive.kernels")
    if kernels is not None and hasattr(kernels, "check_report"):
        rows = list(kernels.check_report())
        good = sum(bool(r["ok"]) for r in rows)
        ok &= good == len(rows)
        print(f"kernels: {good}/{len(rows)} checks within tolerance")
    report = optional_module("derive.report")
    if report is not None:
        result = report.write_report(verdicts={c.name: v for c, v in done}, kernel_rows=rows)
        for line in result.get("messages", []):
            print(line)
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0 if ok else 1
