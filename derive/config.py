"""``[tool.derive]`` in a project's ``pyproject.toml``: the notes to check and default options.

The table is looked up from the current folder upward: the nearest ``pyproject.toml`` that
has a ``[tool.derive]`` table is used. Its paths are relative to that file's folder.
Command-line flags win over it. A key it does not know, or a value of the wrong kind, is a
:class:`DeriveError` naming the key and the file.

>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "pyproject.toml").write_text('[tool.derive]\\npaths = ["notes"]\\njobs = 2\\n')
>>> load_config(d).values
{'paths': ['notes'], 'jobs': 2}
>>> _ = (d / "pyproject.toml").write_text('[tool.derive]\\npahts = ["notes"]\\n')
>>> load_config(d)
Traceback (most recent call last):
...
derive.errors.DeriveError: .../pyproject.toml: [tool.derive] has no key 'pahts': expected ...
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derive.errors import DeriveError

__all__ = ["KEYS", "Config", "find_pyproject", "load_config"]

#: key -> (what a value must be, its description for errors and the README)
KEYS: dict[str, str] = {
    "paths": "a list of files, folders or globs (relative to pyproject.toml) that "
             "`derive verify` checks when no FILE is given",
    "format": 'one of "text", "json", "github" (`derive verify --format`)',
    "jobs": "a positive integer (`derive verify --jobs`)",
    "report": "a folder (relative to pyproject.toml) for annotated notes (`derive verify "
              "--report`)",
    "stdin-format": 'one of "md", "tex" (`derive verify - --stdin-format`)',
    "quiet": "true or false (`--quiet`: no progress line)",
}
_CHOICES = {"format": ("text", "json", "github"), "stdin-format": ("md", "tex")}


@dataclass(frozen=True)
class Config:
    """The ``[tool.derive]`` values and the file they came from (None: no such table)."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def resolve(self, relative: str) -> str:
        """A path of the table, made relative to the folder of its pyproject.toml."""
        if self.path is None or os.path.isabs(relative):
            return relative
        return os.path.join(str(self.path.parent), relative)


def find_pyproject(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` (default: the current folder)
    whose text has a ``[tool.derive]`` table."""
    here = Path(start if start is not None else os.getcwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        try:
            text = candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "tool.derive" in text or "[tool]" in text:
            try:
                table = tomllib.loads(text).get("tool", {})
            except tomllib.TOMLDecodeError as exc:
                if "tool.derive" not in text:
                    continue  # another tool's broken file is not ours to refuse
                raise DeriveError(f"{candidate}: not valid TOML ({exc}): expected a "
                                  "pyproject.toml with a [tool.derive] table") from None
            if isinstance(table, dict) and "derive" in table:
                return candidate
    return None


def _check(path: Path, key: str, value: Any) -> Any:
    def bad() -> DeriveError:
        return DeriveError(f"{path}: [tool.derive] key {key!r} = {value!r}: expected "
                           f"{KEYS[key]}")

    if key == "paths":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise bad()
    elif key in _CHOICES:
        if value not in _CHOICES[key]:
            raise bad()
    elif key == "jobs":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise bad()
    elif key == "report":
        if not isinstance(value, str) or not value:
            raise bad()
    elif key == "quiet" and not isinstance(value, bool):
        raise bad()
    return value


def load_config(start: str | os.PathLike[str] | None = None) -> Config:
    """The checked ``[tool.derive]`` table found from ``start`` upward (empty if none)."""
    path = find_pyproject(start)
    if path is None:
        return Config()
    table = tomllib.loads(path.read_text(encoding="utf-8"))["tool"]["derive"]
    if not isinstance(table, dict):
        raise DeriveError(f"{path}: [tool.derive] is {table!r}: expected a table of "
                          f"{', '.join(KEYS)}")
    values = {}
    for key, value in table.items():
        if key not in KEYS:
            raise DeriveError(f"{path}: [tool.derive] has no key {key!r}: expected one of "
                              f"{', '.join(KEYS)}")
        values[key] = _check(path, key, value)
    return Config(path, values)
