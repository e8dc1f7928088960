"""pytest plugin: ``pytest notes.tex`` collects every chain step as a test item.

Files are collected when named on the command line, when they lie under a folder named on
the command line (``pytest notes/``; the ini option ``derive_notes_folders = false`` turns
this off), or when they match the ini option ``derive_notes`` (glob patterns). A file
found under a folder that has no checkable step (prose only) collects nothing; one named
on the command line is a collection error. Heavy imports happen only when notes are collected,
so installing derive does not slow down unrelated test runs.

Collection only reads the notes (no proof runs); the first step of a file that a process
runs proves the whole file once, and its other steps reuse those verdicts. With
pytest-xdist, ``pytest -n auto --dist loadfile`` gives each file to one worker, so every
file is proved once and the files run in parallel (plain ``-n auto`` works too, proving a
file in each worker that runs one of its steps).
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("derive_notes", type="linelist", default=[],
                  help="glob patterns of LaTeX/Markdown notes whose steps are test items")
    parser.addini("derive_notes_folders", type="bool", default=True,
                  help="collect the notes under the folders named on the command line "
                       "(default true)")


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix not in (".tex", ".md"):
        return None
    config = parent.config
    # only what the user typed: not testpaths, nor the current folder of a bare `pytest`
    typed = [(config.invocation_params.dir / str(a).split("::")[0]).resolve()
             for a in config.invocation_params.args if not str(a).startswith("-")]
    path = file_path.resolve()
    if path in typed:
        return NotesFile.from_parent(parent, path=file_path)
    under = config.getini("derive_notes_folders") and any(
        folder in path.parents for folder in typed if folder.is_dir())
    if under or _matches(file_path, config.rootpath, config.getini("derive_notes")):
        return NotesFile.from_parent(parent, path=file_path, found=True)
    return None


def _matches(file_path: Path, root: Path, patterns: list[str]) -> bool:
    """Does a glob of the ini option match the file (relative to the rootdir, absolute,
    or by name)?

    >>> _matches(Path("/r/docs/a.tex"), Path("/r"), ["docs/*.tex"])
    True
    """
    try:
        relative = file_path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = None
    return any(fnmatch.fnmatch(str(file_path), p) or fnmatch.fnmatch(file_path.name, p)
               or (relative is not None and fnmatch.fnmatch(relative, p)) for p in patterns)


_PROVED: dict[str, dict[tuple[int, int], dict[str, Any]]] = {}


class _NotProved:
    """What collection records instead of running the proof engine."""

    status = "unknown"
    note = ""
    residual = None
    counterexample = None


def _no_proof(*args: Any, **kwargs: Any) -> _NotProved:
    return _NotProved()


def _verdicts(path: str) -> dict[tuple[int, int], dict[str, Any]]:
    """All verdicts of a file, proved once per process."""
    if path not in _PROVED:
        from derive.latex.verify import verify_file

        _PROVED[path] = {(r["chain"], r["step"]): r for r in verify_file(path)}
    return _PROVED[path]


class NotesFile(pytest.File):
    """A notes file; ``found`` when it was found under a folder or by a glob, not named."""

    def __init__(self, *, found: bool = False, **kw: Any) -> None:
        super().__init__(**kw)
        self.found = found

    def collect(self):  # type: ignore[no-untyped-def]
        from derive.errors import DeriveError
        from derive.latex.verify import verify_file

        try:  # the steps are known without proving them
            results = verify_file(str(self.path), prove=_no_proof)
        except DeriveError as exc:
            raise self.CollectError(str(exc)) from None
        if not results and self.found:  # prose beside the notes (a README): nothing to check
            return
        if not results:  # a notes file named, that checks nothing, must not pass silently
            raise self.CollectError(f"{self.path}: no checkable step (no display math with "
                                    "'='): nothing was verified")
        for r in results:
            name = f"line{r['line']}-chain{r['chain']}-step{r['step']}"
            yield StepItem.from_parent(self, name=name, result=r)


class StepFailed(Exception):
    pass


class StepItem(pytest.Item):
    def __init__(self, *, result: dict[str, Any], **kw: Any) -> None:
        super().__init__(**kw)
        self.result = result

    def runtest(self) -> None:
        key = (self.result["chain"], self.result["step"])
        self.result = _verdicts(str(self.path)).get(key, self.result)
        from derive.verdicts import PASSING

        if self.result["verdict"] not in PASSING:  # a definition is not a failure
            raise StepFailed(self.result)

    def repr_failure(self, excinfo, style=None):  # type: ignore[no-untyped-def]
        if isinstance(excinfo.value, StepFailed):
            r = self.result
            text = f"{r['file']}:{r['line']}:{r['column']}: step {r['step']} is {r['verdict']}"
            if r.get("note"):
                text += f" ({r['note']})"
            if r.get("counterexample"):
                text += "\ncounterexample: " + json.dumps(r["counterexample"], ensure_ascii=False)
            return text
        return super().repr_failure(excinfo)

    def reportinfo(self):  # type: ignore[no-untyped-def]
        return self.path, self.result["line"] - 1, f"{self.name}"
