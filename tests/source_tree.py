"""Files of the source tree that some tests read (README.md, benchmarks/, reports/, .ci/).

They are found relative to this file, never relative to the imported ``derive`` (which is
the installed package when CI tests a non-editable install). Where the tests run from a
copy that does not sit in a checkout, a test that needs one of them is skipped, saying so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent  #: the checkout this tests/ folder is in


def source_file(relative: str, *, module_level: bool = False) -> Path:
    """``ROOT / relative``, or a skip naming the file when this tests/ folder is not in a
    checkout (``module_level=True`` where it is called while the module is imported)."""
    path = ROOT / relative
    if not path.exists():
        pytest.skip(f"{relative} is not beside this tests/ folder ({ROOT}): the tests run "
                    "from a copy outside the source tree", allow_module_level=module_level)
    return path
