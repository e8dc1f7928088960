"""What the title page says about where a report came from: date, versions, commit.

The values are gathered once (:func:`current_stamp`) and passed in, so a test injects a
fixed :class:`Stamp` and two writes are byte-identical; the date honours
``SOURCE_DATE_EPOCH`` (reproducible builds).

>>> s = Stamp(date="2000-01-01", derive="0.1.0", commit="abc", sympy="1.14", numpy="2.4")
>>> print(stamp_tex(s).splitlines()[0])
\\newcommand{\\reportdate}{2000-01-01}
"""

from __future__ import annotations

import datetime as _dt
import os
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from derive.report.tables import escape_text

__all__ = ["NO_GIT", "Stamp", "current_stamp", "stamp_tex"]

NO_GIT = "not from a git checkout"


@dataclass(frozen=True)
class Stamp:
    """Date (ISO), derive version, git commit (or :data:`NO_GIT`), SymPy and NumPy versions."""

    date: str
    derive: str
    commit: str
    sympy: str
    numpy: str


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _commit(where: Path) -> str:
    """``git rev-parse HEAD`` of the checkout ``where`` is in (``+ changes`` when the tree
    differs from it), else :data:`NO_GIT`."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=where, capture_output=True,
                              text=True, timeout=10)
        if head.returncode != 0:
            return NO_GIT
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=where, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return NO_GIT
    return head.stdout.strip()[:12] + (" + changes" if dirty.stdout.strip() else "")


def current_stamp() -> Stamp:
    """The stamp of this run: today (UTC, or ``SOURCE_DATE_EPOCH``), the installed versions,
    and the commit of the checkout the package runs from."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (_dt.datetime.fromtimestamp(int(epoch), _dt.UTC) if epoch and epoch.isdigit()
            else _dt.datetime.now(_dt.UTC))
    return Stamp(date=when.date().isoformat(), derive=_version("derive"),
                 commit=_commit(Path(__file__).resolve().parent),
                 sympy=_version("sympy"), numpy=_version("numpy"))


def stamp_tex(stamp: Stamp) -> str:
    """The stamp as LaTeX macros, one line each (a test can find and compare them)."""
    return "\n".join(rf"\newcommand{{\report{key}}}{{{escape_text(getattr(stamp, key))}}}"
                     for key in ("date", "derive", "commit", "sympy", "numpy"))
