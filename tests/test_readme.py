"""The Python examples in README.md run as written (they are our own text, not user input)."""

import re

import pytest

from .source_tree import source_file

README = source_file("README.md", module_level=True)
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{p}" for p in range(len(BLOCKS))])
def test_readme_example_runs(code, capsys):
    namespace: dict = {}
    exec(compile(code, str(README), "exec"), namespace)
    if "verdict" in namespace:
        assert namespace["verdict"].status == "proved"


LATEX = re.findall(r"```latex\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("notes", LATEX, ids=[f"latex{p}" for p in range(len(LATEX))])
def test_readme_notes_example_is_proved(notes, tmp_path):
    from derive.latex.verify import verify_file

    path = tmp_path / "notes.tex"
    path.write_text(notes, encoding="utf-8")
    results = verify_file(str(path))
    # a step that only introduces a name is a definition; every other step is proved
    assert results and all(r["verdict"] in ("proved", "definition") for r in results), results
    assert any(r["verdict"] == "proved" for r in results), results
