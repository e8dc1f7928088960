"""Output paths checked before any work: an unusable one is a one-line error (exit 2).

>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> open(os.path.join(d, "file"), "w").close()
>>> check_output_dir(os.path.join(d, "file", "sub"), "--report")
Traceback (most recent call last):
...
derive.errors.DeriveError: --report .../file/sub: .../file is a file, expected a folder
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from derive.errors import DeriveError

__all__ = ["check_output_dir", "check_output_file", "unique_stems"]


def _existing_ancestor(path: Path) -> Path:
    for parent in (path, *path.parents):
        if parent.exists():
            return parent
    return Path(".")


def check_output_dir(path: str | os.PathLike[str], flag: str, *,
                     given: str | os.PathLike[str] | None = None) -> Path:
    """``path`` is a writable folder (created if missing, then probed with a temporary
    file); else :class:`DeriveError` naming ``flag`` and the path the user gave."""
    p = Path(path)
    shown = path if given is None else given
    base = _existing_ancestor(p.absolute())
    if not base.is_dir():
        raise DeriveError(f"{flag} {shown}: {base} is a file, expected a folder")
    try:
        p.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=p):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DeriveError(f"{flag} {shown}: cannot write there ({reason}), expected a "
                          "writable folder") from None
    return p


def check_output_file(path: str | os.PathLike[str], flag: str) -> Path:
    """``path`` can be written as a file (its folder exists or can be created)."""
    p = Path(path)
    if p.is_dir():
        raise DeriveError(f"{flag} {path}: is a folder, expected a file name")
    if p.exists() and not os.access(p, os.W_OK):
        raise DeriveError(f"{flag} {path}: is not writable")
    check_output_dir(p.absolute().parent, flag, given=path)
    return p


def unique_stems(paths: list[str]) -> list[str]:
    """A distinct output name per input path: the stem, with parent folders prepended
    where stems collide.

    >>> unique_stems(["a/notes.tex", "b/notes.tex", "c/other.md"])
    ['a-notes', 'b-notes', 'other']
    """
    parts = [Path(os.path.abspath(p)).with_suffix("").parts for p in paths]
    depth = [1] * len(paths)
    while True:
        names = ["-".join(pp[-d:]).lstrip("/") for pp, d in zip(parts, depth, strict=True)]
        grew = False
        for i, n in enumerate(names):
            others = {parts[j] for j, m in enumerate(names) if m == n and j != i}
            if others - {parts[i]} and depth[i] < len(parts[i]):
                depth[i] += 1
                grew = True
        if not grew:  # left: the same file named twice; number the repeats
            seen: dict[str, int] = {}
            out = []
            for n in names:
                seen[n] = seen.get(n, 0) + 1
                out.append(n if seen[n] == 1 else f"{n}-{seen[n]}")
            return out
