"""The main job (``derive`` with no arguments): prove, check the kernels, write the report."""

from __future__ import annotations

import argparse
import importlib.util

from derive.check_cli import check


def main_job(args: argparse.Namespace) -> int:
    rows, ok = check(mutants=True)
    proved = sum(r["verdict"] == "proved" for r in rows if not r["mutant"])
    refuted = sum(r["verdict"] == "refuted" for r in rows if r["mutant"])
    n_claims = sum(not r["mutant"] for r in rows)
    print(f"catalogue: {proved}/{n_claims} claims proved, "
          f"{refuted}/{len(rows) - n_claims} wrong variants refuted")
    if importlib.util.find_spec("derive.kernels") is not None:
        from derive import kernels

        table = kernels.check_report()
        good = sum(bool(r["ok"]) for r in table)
        ok &= good == len(table)
        print(f"kernels: {good}/{len(table)} checks within tolerance")
    if importlib.util.find_spec("derive.report") is not None:
        from derive.report import write_report

        result = write_report()
        for line in result.get("messages", []):
            print(line)
    return 0 if ok else 1
