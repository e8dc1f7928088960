"""Independent finite-difference checks of the unseen corpus (tests/corpus_unseen/).

Every transcription ``NAME.ext`` there has ``NAME.expected.json`` (the expected verdict of
each step, keyed by line, or "CELL:LINE" for notebooks) and ``NAME.fd.py`` (plain NumPy:
one ``step_<key>_<n>`` function per true or false step, with ":" in a key written "_").
This test imports each script by path and asserts that every "p" step holds and every
"r" step fails at random inputs, and that every "p"/"r" entry has its function. It never
imports derive: the expectations are checked independently of the checker they measure.
"""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).parent / "corpus_unseen"
SCRIPTS = sorted(ROOT.rglob("*.fd.py"))


def _load(path: Path) -> ModuleType:
    """Import one ``.fd.py`` script by path under a unique module name."""
    name = "corpus_unseen_fd_" + path.name[: -len(".fd.py")].replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _expected(path: Path) -> dict[str, list[str]]:
    """The ``steps`` table of the script's ``.expected.json``."""
    stem = path.name[: -len(".fd.py")]
    table = json.loads((path.parent / f"{stem}.expected.json").read_text())
    return table["steps"]


def test_there_are_scripts() -> None:
    """The corpus is not silently empty."""
    assert SCRIPTS, f"no *.fd.py under {ROOT}"


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_fd_agrees_with_expected(script: Path) -> None:
    """Each p step holds and each r step fails numerically; none is missing its function."""
    source = script.read_text()
    assert not re.search(r"^\s*(import|from)\s+derive\b", source, re.M), f"{script.name} imports derive"
    module = _load(script)
    steps = _expected(script)
    checked: set[str] = set()
    for key, letters in steps.items():
        for n, letter in enumerate(letters):
            assert letter in {"p", "r", "d", "-"}, f"{script.name}: {key}[{n}] = {letter!r}"
            if letter not in {"p", "r"}:
                continue
            fname = f"step_{key.replace(':', '_')}_{n}"
            fn = getattr(module, fname, None)
            assert callable(fn), f"{script.name}: no {fname} for the {letter!r} step at {key}"
            result = fn()
            want = letter == "p"
            assert result is want or result == want, (
                f"{script.name}: {fname} returned {result}, expected {want} ({letter!r} step at {key})"
            )
            checked.add(fname)
    extra = {n for n in vars(module) if n.startswith("step_")} - checked
    assert not extra, f"{script.name}: step functions with no p/r entry: {sorted(extra)}"


def _lines(transcription: Path) -> dict[str, str]:
    """Line texts keyed as in expected.json: "LINE" (1-based) or "CELL:LINE" for a notebook."""
    if transcription.suffix == ".ipynb":
        cells = json.loads(transcription.read_text())["cells"]
        out = {}
        for c, cell in enumerate(cells, 1):
            source = cell["source"]
            text = "".join(source) if isinstance(source, list) else source
            for n, line in enumerate(text.split("\n"), 1):
                out[f"{c}:{n}"] = line
        return out
    return {str(n): line for n, line in enumerate(transcription.read_text().split("\n"), 1)}


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_keys_point_at_equals_signs(script: Path) -> None:
    """Every keyed line exists in the transcription and holds at least one "=" per letter."""
    stem = script.name[: -len(".fd.py")]
    found = [script.parent / f"{stem}{ext}" for ext in (".md", ".tex", ".ipynb")]
    transcriptions = [p for p in found if p.exists()]
    assert len(transcriptions) == 1, f"{stem}: expected one transcription, found {transcriptions}"
    lines = _lines(transcriptions[0])
    for key, letters in _expected(script).items():
        assert key in lines, f"{stem}: no line {key}"
        count = lines[key].count("=") + _trailing_equals(lines, key)
        assert count >= len(letters), (
            f"{stem}: line {key} has {count} '=' for {len(letters)} steps: {lines[key]!r}"
        )


def _trailing_equals(lines: dict[str, str], key: str) -> int:
    """1 when the line before ``key`` ends with "=": its right member starts on line ``key``.

    A step is keyed by the line of its right-hand member, so ``a =`` at the end of one line
    followed by the member on the next is keyed by the next line, which may hold no "=" itself.
    """
    cell, _, line = key.rpartition(":")
    previous = f"{cell}:{int(line) - 1}" if cell else str(int(line) - 1)
    return int(lines.get(previous, "").rstrip().endswith("="))
