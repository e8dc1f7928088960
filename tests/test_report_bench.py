"""The report's benchmark section: every run, its spread, and who is faster (issue 22)."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from derive.report.bench_section import bench_runs, bench_section, faster_sentences
from derive.report.data import ReportData
from derive.report.numeric import numeric_section

COMMITTED = Path(__file__).resolve().parent.parent / "reports" / "bench.json"


def _impl(ms: float, lo: float, hi: float, **extra) -> dict:
    return {"ms": ms, "min_ms": lo, "max_ms": hi, **extra}


def _bench(torch_at_1000: float = 3589.9) -> dict:
    """A bench file like ``derive bench --json`` writes: K = 2, 10, 100, 1000, two dtypes."""
    runs = []
    for dtype in ("float32", "float64"):
        for k in (2, 10, 100, 1000):
            gen = 10.0 * k ** 0.5
            impls = {
                "generated": _impl(gen, gen * 0.9, gen * 1.2, threads=[
                    {"internal_api": "openblas", "version": "0.3.31", "architecture":
                     "SkylakeX", "num_threads": 2}]),
                "numpy": _impl(gen * 2, gen * 1.8, gen * 2.5),
                "jax": _impl(gen * 1.5, gen * 1.4, gen * 1.6),
                "torch": _impl(gen * 1.3, gen * 1.25, gen * 1.4),
                "limit": _impl(gen * 0.5, gen * 0.45, gen * 0.55,
                               note="max(GEMM flops at peak, reading X once)"),
            }
            if dtype == "float64" and k == 1000:
                impls["torch"] = _impl(torch_at_1000, torch_at_1000 * 0.97,
                                       torch_at_1000 * 1.02)
            runs.append({"K": k, "dtype": dtype, "impls": impls})
    return {"runs": runs, "shape": {"N": 60000, "D": 784, "K": [2, 10, 100, 1000]},
            "machine": {"cpu": "Test CPU 9000", "cpu_count": 2, "platform": "Linux-x",
                        "python": "3.11.7"},
            "versions": {"numpy": "2.4.6", "jax": "0.10.2", "torch": "2.13.0+cpu"},
            "method": "3 rounds"}


def test_every_k_and_dtype_with_spread() -> None:
    data = _bench()
    text = bench_section(data, "bench.json")
    runs = bench_runs(data)
    assert [(r.dtype, r.k) for r in runs] == [(d, k) for d in ("float32", "float64")
                                              for k in (2, 10, 100, 1000)]
    for dtype in ("float32", "float64"):
        table = text[text.index(f"tab:bench-{dtype}"):]
        table = table[: table.index(r"\end{longtable}")]
        ks = re.findall(r"^\$(\d+)\$ &", table, re.M)
        assert ks == ["2", "10", "100", "1000"], ks
        # every implementation row has a min--max spread
        rows = [r for r in table.splitlines() if r.count("&") == 6 and "median" not in r]
        assert len(rows) == 4 * 5 and all("$--$" in r for r in rows), rows
    for word in ("Test CPU 9000", "openblas 0.3.31", "numpy 2.4.6", "jax 0.10.2",
                 "torch 2.13.0+cpu", "measured in the same run", "/ JAX", "/ NumPy"):
        assert word in text, word
    # the figure has a point for each K in both panels
    assert text.count("(1000,") >= 2 * 4 and text.count("(2,") >= 2 * 4
    # and its axis is labelled with each K as written (not K = 2 as 10^{0.3})
    assert text.count("xtick={2,10,100,1000}, xticklabels={2,10,100,1000}") == 2


def test_a_faster_competitor_is_named() -> None:
    """Only at K = 1000 in float64 is PyTorch's median (100 ms) below the generated
    kernel's (316 ms): exactly that run is named."""
    data = _bench(torch_at_1000=100.0)
    sentences = faster_sentences(bench_runs(data))
    assert len(sentences) == 1
    assert "$K = 1000$" in sentences[0] and "float64" in sentences[0]
    assert "PyTorch is faster than the generated kernel" in sentences[0]
    assert sentences[0] in bench_section(data, "bench.json")


def test_no_competitor_faster_says_so_and_names_none() -> None:
    text = bench_section(_bench(), "bench.json")
    assert "is faster than the generated kernel" not in text
    assert "No competitor's median is below the generated kernel's" in text


def test_missing_parts_are_said() -> None:
    data = _bench()
    for run in data["runs"]:
        run["impls"].pop("jax")
        run["impls"].pop("limit")
    data.pop("machine")
    data["runs"] = [r for r in data["runs"] if r["dtype"] == "float64"]
    text = bench_section(data, "bench.json")
    assert "no \\texttt{float32} run" in text
    assert "no timing of JAX (jit)" in text
    assert "holds no measured limit" in text
    assert "does not record the machine" in text


def test_committed_bench_file_is_shown_whole() -> None:
    """The committed file: every run it holds is in the section (not only K = 10)."""
    raw = json.loads(COMMITTED.read_text())
    data = ReportData(claims=[], mutants=[], bench_raw=copy.deepcopy(raw))
    text = numeric_section(data)
    for run in raw["runs"]:
        assert f"tab:bench-{run['dtype']}" in text
        assert f"${run['K']}$ &" in text
    # the committed file's float64 K = 1000 run has PyTorch below derive: said
    runs = bench_runs(raw)
    for r in runs:
        if "torch" in r.impls and r.impls["torch"].ms < r.impls["generated"].ms:
            assert f"At {r.where()}, PyTorch is faster" in text


# ------------------------------------------------------------------ the machine string
PLATFORM = "Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36"
_WHOLE = ("x86_64", "6.18.44", "glibc2.36", "v1272")  # a break inside reads as two words


def _setting_text(platform: str = PLATFORM, cpu: str = "AMD EPYC 7B13") -> str:
    data = _bench()
    data["machine"] = {"cpu": cpu, "cpu_count": 2, "platform": platform, "python": "3.11.7"}
    text = bench_section(data, "bench.json")
    return next(p for p in text.split("\n") if p.startswith("Sizes:"))


def test_the_machine_string_breaks_only_after_a_hyphen() -> None:
    para = _setting_text()
    # TeX may break only where \allowbreak or a space stands: never inside a piece
    for piece in _WHOLE:
        escaped = piece.replace("_", r"\_")
        assert re.search(r"\\mbox\{[^{}]*" + re.escape(escaped) + r"[^{}]*\}", para), para
    assert r"\_\allowbreak" not in para and r".\allowbreak" not in para, para
    # a one-piece string and an empty one
    assert r"\mbox{x86\_64}" in _setting_text("x86_64")
    assert "Machine: AMD EPYC 7B13; 2 CPU cores" in _setting_text("").replace(r"\mbox", "") \
        .replace("{", "").replace("}", "")


@pytest.mark.skipif(shutil.which("pdflatex") is None or shutil.which("pdftotext") is None,
                    reason="needs pdflatex and pdftotext")
@pytest.mark.parametrize("width", ["4cm", "5.5cm", "7cm", "9cm"])
def test_the_machine_string_compiles_without_a_break_inside_a_piece(tmp_path, width) -> None:
    """As a reader sees it: the paragraph set in narrow columns, every piece of the platform
    string whole on one line (the last session's PDF showed ``x86_`` / ``64``)."""
    from derive.report.compile import compile_pdf

    para = _setting_text()
    tex = tmp_path / "m.tex"
    tex.write_text("\\documentclass{article}\\usepackage[T1]{fontenc}\\begin{document}"
                   f"\\parbox{{{width}}}{{\\raggedright {para}}}\\end{{document}}\n")
    built = compile_pdf(str(tex))
    assert built.pdf is not None, built.message
    out = subprocess.run(["pdftotext", "-layout", built.pdf, "-"], capture_output=True,
                         text=True, check=True).stdout
    flat = " ".join(out.split())
    for piece in _WHOLE:
        assert piece in flat, (piece, out)
