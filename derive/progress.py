"""A progress line on stderr for commands that run longer than about a second.

Shown only when stderr is a terminal and ``--quiet`` was not given: pipes, logs and CI
output stay clean. The line is redrawn in place (``\\r``) and erased when the work ends.

>>> import io
>>> with Progress("proving", total=3, stream=io.StringIO()) as bar:
...     bar.step("a")
>>> bar.done
1
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any

__all__ = ["Progress", "progress_enabled"]

DELAY = 1.0  #: seconds of silence before the first line is drawn


def progress_enabled(stream: IO[str] | None = None, quiet: bool = False) -> bool:
    """Draw progress on ``stream`` (default stderr)? Only on a terminal, and not quiet."""
    stream = sys.stderr if stream is None else stream
    try:
        return not quiet and bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Progress:
    """``with Progress("verifying", total=n) as bar: ... bar.step(name)``."""

    def __init__(self, what: str, total: int | None = None, *, quiet: bool = False,
                 stream: IO[str] | None = None, enabled: bool | None = None) -> None:
        self.what, self.total, self.done = what, total, 0
        self.stream = sys.stderr if stream is None else stream
        self.enabled = progress_enabled(self.stream, quiet) if enabled is None else enabled
        self.started = time.monotonic()
        self.width = 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()

    def step(self, item: str = "") -> None:
        """One unit of work finished (``item`` names it)."""
        self.done += 1
        self.show(item)

    def show(self, item: str = "") -> None:
        elapsed = time.monotonic() - self.started
        if not self.enabled or elapsed < DELAY:
            return
        count = f"{self.done}/{self.total}" if self.total else str(self.done)
        line = f"derive: {self.what} {count} ({elapsed:.0f} s) {item}"[:78]
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = max(self.width, len(line))
