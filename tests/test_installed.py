"""The suite tests the package a user installs: CI imports derive from site-packages, and
every data file of the source package ships with it (``--corpus`` works from a wheel)."""

from __future__ import annotations

import fnmatch
import os
import tomllib
from pathlib import Path

import pytest

import derive

from . import source_tree
from .source_tree import source_file

PACKAGE = Path(derive.__file__).resolve().parent  #: the derive under test


def test_ci_tests_the_installed_package():
    """README's second command installs without ``-e``; if a change to it, to ``.ci/run`` or
    to pytest's import mode made CI test the checkout again, this fails there."""
    if not os.environ.get("CI"):
        pytest.skip("CI is not set: a developer may test an editable install")
    assert "site-packages" in PACKAGE.parts, (
        f"CI imported derive from {PACKAGE}, expected the non-editable install in "
        "site-packages (README's second command: pip install -q \".[test]\" ... cd tests && pytest)")


def _data_files(root: Path) -> set[str]:
    """Every file of a derive package folder that is not Python source or a cache."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}


def test_every_data_file_is_package_data():
    """A data file under derive/ that no package-data glob names would be missing from a
    wheel (as tests/corpus was, outside the package): each must match a glob."""
    config = tomllib.loads(source_file("pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["derive"]
    source = source_tree.ROOT / "derive"
    missing = sorted(f for f in _data_files(source)
                     if not any(fnmatch.fnmatch(f, g) for g in globs))
    assert "corpus/expected.json" in _data_files(source)
    assert missing == [], f"not shipped (add to [tool.setuptools.package-data]): {missing}"


def test_the_installed_package_holds_the_source_data():
    source = source_tree.ROOT / "derive"
    if PACKAGE == source.resolve():
        pytest.skip("derive is the checkout itself (an editable install): nothing to compare")
    missing = sorted(_data_files(source) - _data_files(PACKAGE))
    assert missing == [], f"in derive/ but not in the installed {PACKAGE}: {missing}"


def test_source_file_skips_outside_a_checkout(tmp_path, monkeypatch):
    monkeypatch.setattr(source_tree, "ROOT", tmp_path)
    with pytest.raises(pytest.skip.Exception, match=r"README\.md is not beside"):
        source_file("README.md")
    (tmp_path / "README.md").write_text("x")
    assert source_file("README.md") == tmp_path / "README.md"
