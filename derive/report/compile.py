"""Atomic writes, and compiling a ``.tex`` file to PDF with ``latexmk``/``pdflatex``.

>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> atomic_write(os.path.join(d, "a.tex"), "x")
'...a.tex'
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derive.errors import DeriveError

__all__ = [
    "NO_TEX_MESSAGE",
    "CompileResult",
    "atomic_write",
    "compile_pdf",
    "log_problems",
    "tex_engine",
]

NO_TEX_MESSAGE = (
    "no TeX engine found (pdflatex): the .tex file was written but not compiled. "
    "To get the PDF, install TeX (Debian/Ubuntu: `sudo bash .ci/install-tex`, or "
    "`apt-get install texlive-latex-base texlive-latex-recommended texlive-latex-extra "
    "texlive-pictures lmodern latexmk`) "
    "and run `derive report` again, or run `latexmk -pdf {tex}`."
)


def atomic_write(path: str | os.PathLike[str], text: str) -> str:
    """Write ``text`` to ``path`` via a temporary file in the same folder and ``os.replace``.

    An interrupted run leaves either the old file or the new one, never half of one.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp creates 0600; a report is meant to be read: keep an existing file's mode,
        # give a new one the usual 0644.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # a folder that cannot be made or written: say so, no traceback
        raise DeriveError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return str(path)


def tex_engine() -> str | None:
    """The path of ``pdflatex`` if installed, else ``None``."""
    return shutil.which("pdflatex")


@dataclass
class CompileResult:
    """What compiling gave: the PDF path (or ``None``), the log text, and a message."""

    pdf: str | None
    log: str = ""
    message: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.pdf is not None and not self.problems


_PROBLEMS = (
    (re.compile(r"^! .*$", re.M), "error"),
    (re.compile(r"^LaTeX Warning: (Reference|Citation) .* undefined.*$", re.M), "undefined"),
    (re.compile(r"^LaTeX Warning: There were undefined references.*$", re.M), "undefined"),
    (re.compile(r"^Overfull \\hbox .*$", re.M), "overfull"),
)


def log_problems(log: str) -> list[str]:
    """Errors, undefined references and overfull boxes found in a LaTeX log.

    >>> log_problems("Overfull \\\\hbox (3.2pt too wide) in alignment at lines 5--9\\n")
    ['overfull: Overfull \\\\hbox (3.2pt too wide) in alignment at lines 5--9']
    """
    out = []
    for pattern, kind in _PROBLEMS:
        out.extend(f"{kind}: {m.group(0).strip()}" for m in pattern.finditer(log))
    return out


def _output_mode(path: Path) -> int:
    """An existing file keeps its mode; a new one gets the usual 0644."""
    return path.stat().st_mode & 0o777 if path.exists() else 0o644


class _Terminated(BaseException):
    """SIGTERM arrived during a compile: unwind (killing LaTeX, removing temporary files)."""


@contextmanager
def _terminate_unwinds() -> Iterator[None]:
    """While compiling, SIGTERM unwinds like Ctrl-C so ``finally`` blocks run; the previous
    handler is restored afterwards and the signal re-delivered to it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def raise_terminated(signum: int, frame: Any) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, raise_terminated)
    if previous is None:  # installed outside Python: restore the default
        previous = signal.SIG_DFL
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, previous)
        os.kill(os.getpid(), signal.SIGTERM)  # the usual death by TERM (or the caller's handler)
        raise SystemExit(128 + signal.SIGTERM) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(cmd: list[str], cwd: str, timeout: float, env: dict[str, str]) -> tuple[int, str]:
    """Run LaTeX in its own process group; on any exit path the whole group is killed."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, env=env,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        return -1, f"LaTeX did not finish within {timeout:.0f} s"
    finally:
        # latexmk may leave pdflatex behind even after it exits: kill the whole group
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def compile_pdf(tex_path: str | os.PathLike[str], *, timeout: float = 120.0) -> CompileResult:
    """Compile ``tex_path`` next to itself with ``-halt-on-error``; the PDF replaces the old
    one only when the run succeeds (LaTeX works in a temporary folder, removed on every
    exit: an error, Ctrl-C or SIGTERM also kills the LaTeX processes).
    """
    tex_path = Path(tex_path).resolve()
    if tex_engine() is None:
        return CompileResult(pdf=None, message=NO_TEX_MESSAGE.format(tex=tex_path.name))
    with _terminate_unwinds(), tempfile.TemporaryDirectory(prefix="derive-tex-") as work:
        shutil.copy(tex_path, Path(work) / tex_path.name)
        if shutil.which("latexmk"):
            cmd = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
                   "-file-line-error", "-quiet", tex_path.name]
        else:
            cmd = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex_path.name]
        runs = 1 if cmd[0] == "latexmk" else 2  # pdflatex twice resolves references
        env = {**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"}
        code, output = 0, ""
        for _ in range(runs):
            code, output = _run(cmd, work, timeout, env)
            if code != 0:
                break
        log_file = Path(work) / (tex_path.stem + ".log")
        log = log_file.read_text(errors="replace") if log_file.exists() else ""
        pdf = Path(work) / (tex_path.stem + ".pdf")
        if code != 0 or not pdf.exists():
            tail = "\n".join((log or output).splitlines()[-15:])
            return CompileResult(pdf=None, log=log, problems=log_problems(log) or ["error"],
                                 message=f"LaTeX failed on {tex_path.name}:\n{tail}")
        target = tex_path.with_suffix(".pdf")
        mode = _output_mode(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            os.fchmod(fd, mode)
            os.close(fd)
            shutil.copyfile(pdf, tmp)
            os.replace(tmp, target)
        except BaseException:
            with suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        atomic_write(tex_path.with_suffix(".log"), log)
    return CompileResult(pdf=str(target), log=log, problems=log_problems(log),
                         message=f"wrote {target}")
