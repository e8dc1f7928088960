"""The mutation table of benchmarks/mutation.py stays applicable: each mutation's original
text occurs exactly once in the file it names. A refactor that moves or rewrites the code a
mutation targets makes the mutation silently inapplicable (the script would report it as an
error, not as caught); this test fails first, naming the mutation, so the table follows the
code."""

from __future__ import annotations

import importlib.util

import pytest

from .source_tree import ROOT, source_file

_spec = importlib.util.spec_from_file_location(
    "mutation_table", source_file("benchmarks/mutation.py", module_level=True))
mutation = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mutation)


@pytest.mark.parametrize("name,path,original,mutated", mutation.MUTATIONS,
                         ids=[m[0] for m in mutation.MUTATIONS])
def test_each_mutation_applies_exactly_once(name, path, original, mutated):
    text = (ROOT / path).read_text(encoding="utf-8")
    assert text.count(original) == 1, (
        f"mutation {name!r}: its original text occurs {text.count(original)} times in "
        f"{path} (expected once); update benchmarks/mutation.py where the code moved")
    assert original != mutated


def test_the_table_names_distinct_mutations():
    names = [m[0] for m in mutation.MUTATIONS]
    assert len(names) == len(set(names))
    assert len(names) >= 40
