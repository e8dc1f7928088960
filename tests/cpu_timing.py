"""Time limits that hold on a loaded CI machine (8 jobs on 2 cores) and still fail on a hang.

A wall-clock limit measures the machine's load as much as the code: a body that needs
0.1 s of CPU can take 5 s of wall time when it waits for a core. ``cpu_limit`` bounds the
CPU time the body spends (this process, plus the child processes it waited for), which
the load does not inflate, and keeps a generous wall-clock bound on top, so a body that
hangs by waiting (a deadlock, a blocking read) fails too.

>>> with cpu_limit(5.0):
...     _ = sum(range(1000))
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["cpu_limit", "cpu_seconds_of", "cpu_seconds_of_group"]


def _cpu() -> float:
    """CPU seconds of this process (all its threads) and of the children it waited for."""
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + child.ru_utime + child.ru_stime


@contextmanager
def cpu_limit(cpu_seconds: float, wall_seconds: float = 120.0) -> Iterator[None]:
    """Fail when the body used ``cpu_seconds`` of CPU or more, or ``wall_seconds`` of wall
    time or more (the wall bound is for hangs that wait instead of compute)."""
    cpu0, wall0 = _cpu(), time.monotonic()
    yield
    cpu, wall = _cpu() - cpu0, time.monotonic() - wall0
    assert cpu < cpu_seconds, f"took {cpu:.2f} s of CPU (limit {cpu_seconds} s)"
    assert wall < wall_seconds, f"took {wall:.1f} s of wall time (limit {wall_seconds} s)"


def cpu_seconds_of(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds_of_group(pgid: int) -> float:
    """CPU seconds used so far by the running processes of process group ``pgid`` (a command
    and the workers it started; Linux /proc)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")
