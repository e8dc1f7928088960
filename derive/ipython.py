"""IPython/Jupyter: ``%load_ext derive``, then a ``%%derive`` cell checks its maths.

The cell is Markdown notes (``%%derive tex`` for LaTeX): its steps are checked in place
and printed one per line, a refutation explained; the typed results are left in the
variable ``_derive``. IPython is an optional dependency (``pip install derive[ipython]``).
"""

from __future__ import annotations

from typing import Any

from derive.verdicts import summary_line

__all__ = ["derive_cell", "load_ipython_extension"]


def derive_cell(line: str, cell: str) -> None:
    """The ``%%derive [md|tex]`` cell magic."""
    from derive.api import verify_text
    from derive.errors import DeriveError
    from derive.latex.terminal import format_results

    fmt = line.strip() or "md"
    try:
        results = verify_text(cell, format=fmt, source="<cell>")
    except DeriveError as exc:
        print(f"derive: error: {exc}")
        return
    shell = _shell()
    if shell is not None:
        shell.user_ns["_derive"] = results
    if not results:
        print("derive: no checkable step in this cell (no display math with '=')")
        return
    print(format_results([r.as_dict() for r in results]))
    print(summary_line([r.verdict for r in results]))


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%%derive`` (called by ``%load_ext derive``)."""
    ipython.register_magic_function(derive_cell, magic_kind="cell", magic_name="derive")
