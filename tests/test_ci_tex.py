"""``.ci/install-tex`` checks for (and so installs) every LaTeX package that derive's own
documents load: the shipped examples, the templates and the preambles written by the code.

A package missing from that list is how CI broke on a fresh machine: ``cancel.sty`` lives
in ``texlive-latex-extra``, which was not installed, while a hand-set-up machine had it."""

from __future__ import annotations

import re
from pathlib import Path

import derive

from .source_tree import source_file

PACKAGE = Path(derive.__file__).parent  #: the package under test (installed in CI)
USEPACKAGE = re.compile(r"\\\\?usepackage(?:\[[^\]]*\])?\{([^}]*)\}")


def _checked_styles() -> set[str]:
    text = source_file(".ci/install-tex").read_text()
    m = re.search(r"^styles=\(([^)]*)\)", text, re.M)
    assert m, "install-tex has no styles=(...) list"
    return set(m.group(1).split())


def _used_packages() -> dict[str, str]:
    used: dict[str, str] = {}
    files = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.tex"), *(PACKAGE / "examples").glob("*.md")]
    for path in files:
        for m in USEPACKAGE.finditer(path.read_text(encoding="utf-8")):
            for name in m.group(1).split(","):
                if name.strip() and "{" not in name:
                    used.setdefault(name.strip(), str(path.relative_to(PACKAGE.parent)))
    return used


def test_install_tex_covers_every_package_derive_loads():
    used = _used_packages()
    assert "cancel" in used, "the scan found no \\usepackage{cancel}: the scan is broken"
    missing = {name: where for name, where in used.items() if name not in _checked_styles()}
    assert not missing, f"packages loaded but not checked by .ci/install-tex: {missing}"
