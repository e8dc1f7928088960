"""What the report shows, gathered: every family's verdicts, the kernel checks, the
committed measurements (:func:`collect`). Rendering is elsewhere and pure.

>>> ReportData(claims=[], mutants=[]).families()
[]
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derive.engine.claims import Claim, Verdict
from derive.models.family import Family
from derive.optional import optional_module
from derive.report.bench_section import bench_runs
from derive.report.figures import bench_meta, bench_rows

__all__ = ["BENCH_FILE", "FD_FILE", "Entry", "ReportData", "collect"]

BENCH_FILE = "bench.json"  #: in the output folder; written by ``derive bench --json``
#: In the output folder: the measured finite-difference error curves. Their rounding side
#: depends on the CPU's exp and BLAS kernels, so they are measured once, kept as data like
#: the benchmark, and the report renders them: regenerating is byte-identical everywhere.
FD_FILE = "fd-error.json"


@dataclass
class Entry:
    """A claim and the engine's verdict on it."""

    claim: Claim
    verdict: Verdict


@dataclass
class ReportData:
    """Everything the document shows; ``None`` marks a section whose source is missing."""

    claims: list[Entry]
    mutants: list[Entry]
    kernel_rows: list[dict[str, Any]] | None = None
    fd_curves: dict[str, list[tuple[float, float]]] | None = None
    fd_tolerances: dict[str, float] | None = None
    links: list[dict[str, Any]] | None = None
    bench: dict[str, dict[str, float]] | None = None
    bench_meta: dict[str, Any] = field(default_factory=dict)
    bench_raw: Any = None  #: the benchmark file as read (the bench section parses it)
    check_sizes: dict[str, int] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    def families(self) -> list[tuple[Family | None, list[Entry], list[Entry]]]:
        """The claims and mutants grouped by the family that declares them, in the order
        of :data:`derive.models.FAMILIES` (``None``: a claim of no family)."""
        from derive.models import FAMILIES

        def owner(c: Claim) -> Family | None:
            name = c.mutant_of or c.name
            return next((f for f in FAMILIES if any(x.name == name for x in f.claims)), None)

        groups: dict[str | None, tuple[Family | None, list[Entry], list[Entry]]] = {}
        for fam in FAMILIES:
            groups[fam.name] = (fam, [], [])
        for pos, entries in enumerate((self.claims, self.mutants)):
            for e in entries:
                fam = owner(e.claim)
                key = fam.name if fam is not None else None
                groups.setdefault(key, (fam, [], []))[pos + 1].append(e)
        return [g for g in groups.values() if g[1] or g[2]]


# ----------------------------------------------------------------------------- collect


def collect(
    bench_path: str | Path | None = None,
    fd_path: str | Path | None = None,
    verdicts: Mapping[str, Verdict] | None = None,
    kernel_rows: list[dict[str, Any]] | None = None,
    quiet: bool = True,
) -> ReportData:
    """Prove the catalogue and its mutants, run the kernel checks, read the benchmark file.

    ``verdicts`` (by claim name) and ``kernel_rows`` reuse work the caller already did.
    """
    import derive.catalogue as cat
    from derive.engine.prover import prove
    from derive.progress import Progress

    done = verdicts or {}
    everything = [*cat.CLAIMS, *cat.mutants()]
    with Progress("proving", total=len(everything), quiet=quiet) as bar:

        def verdict(c: Claim) -> Verdict:
            bar.show(c.name)
            v = done[c.name] if c.name in done else prove(c)
            bar.step(c.name)
            return v

        data = ReportData(
            claims=[Entry(c, verdict(c)) for c in cat.CLAIMS],
            mutants=[Entry(c, verdict(c)) for c in cat.mutants()],
        )
    kern = optional_module("derive.kernels")
    if kern is None or not hasattr(kern, "check_report"):
        data.missing["kernels"] = "the kernel package derive.kernels is not installed"
    else:
        data.kernel_rows = list(kern.check_report() if kernel_rows is None else kernel_rows)
        data.fd_curves = _fd_curves(kern, fd_path)
        data.check_sizes = _check_sizes()
        checks = optional_module("derive.declare.numeric")
        tolerances = getattr(checks, "TOLERANCES", {}) if checks is not None else {}
        if isinstance(tolerances.get("finite_difference"), Mapping):
            # the bounds the kernel checks really apply (Table: ``tol. f.d.``)
            data.fd_tolerances = {k: float(v)
                                  for k, v in tolerances["finite_difference"].items()}
        if hasattr(kern, "matrix_links"):
            data.links = list(kern.matrix_links())
    if bench_path is not None and Path(bench_path).exists():
        raw = json.loads(Path(bench_path).read_text())
        data.bench = bench_rows(raw) or None
        data.bench_meta = bench_meta(raw)
        data.bench_raw = raw
        if data.bench is None and not bench_runs(raw):
            data.missing["bench"] = (f"the file {bench_path} holds no per-run times this "
                                     "report can read")
    else:
        data.missing["bench"] = f"the file {bench_path or BENCH_FILE} is missing"
    return data


def _check_sizes() -> dict[str, int]:
    """The sizes of the kernel checks' test problem (the defaults of its builder), if known."""
    table = optional_module("derive.kernels.table")
    build = getattr(table, "problem", None)
    if build is None:
        return {}
    try:
        params = inspect.signature(build).parameters
    except (TypeError, ValueError):
        return {}
    names = {"n": "N", "d": "D", "k": "K"}
    return {names[p]: int(v.default) for p, v in params.items()
            if p in names and isinstance(v.default, int)}


def _fd_curves(kern: Any, fd_path: str | Path | None) -> dict[str, list[tuple[float, float]]]:
    """The curves from ``fd_path`` when it exists; otherwise measured now (and written there)."""
    if fd_path is not None and Path(fd_path).exists():
        raw = json.loads(Path(fd_path).read_text())
        return {dt: [(float(h), float(e)) for h, e in pts] for dt, pts in raw.items()}
    curves = {dt: list(kern.fd_error_curve(dt)) for dt in ("float32", "float64")}
    if fd_path is not None:
        from derive.report.compile import atomic_write

        atomic_write(fd_path, json.dumps(curves, indent=1) + "\n")
    return curves
