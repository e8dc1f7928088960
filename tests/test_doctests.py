"""The examples in the public docstrings run and give what they show."""

import doctest
import importlib
import pkgutil

import pytest

import derive

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(derive.__path__, "derive.")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
