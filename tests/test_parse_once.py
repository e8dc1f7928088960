"""Parse once (issue 19, item 1): every display block of a notes file goes through the parser
exactly once per check, and the renderers (annotated LaTeX, Markdown, notebook, terminal)
never parse again.

The one parse entry point is :func:`derive.latex.parser.parse_block`, which tokenizes with
``derive.latex.parser.tokenize``; wrapping that name counts every parse of every text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import derive.latex.parser as parser
from derive.latex.sources import read_source
from derive.latex.verify import verify_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS_FILE = ROOT / "derive" / "corpus" / "13_553668_softmax_loss_derivative.md"
DEV_NOTEBOOK = ROOT / "tests" / "corpus_unseen" / "dev" / "a14_dlfs_softmax_ce_two_class.ipynb"
# an inferred definition whose body writes \text{ total}: 'total' becomes a text name, so
# the one block that writes it is read again with it; the others are not
WITH_TEXT_NAME = (
    "<!-- derive: auto -->\n"
    "$$L = \\sum_{k=1}^{K} y_k \\text{ total}$$\n\n"
    "$$L + 0 = \\sum_{k=1}^{K} y_k$$\n\n"
    "$$\\sum_{k=1}^{K} 2 y_k = 2 \\sum_{k=1}^{K} y_k$$\n"
)


class _NotProved:
    status, note, residual, counterexample = "unknown", "", None, None


def _no_proof(*args: object, **kwargs: object) -> _NotProved:
    return _NotProved()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """(text, line, col) -> how many times the parser tokenized it."""
    seen: Counter = Counter()
    real = parser.tokenize

    def counted(text: str, line: int, col: int, *args: object, **kwargs: object) -> object:
        seen[text, line, col] += 1
        return real(text, line, col, *args, **kwargs)

    monkeypatch.setattr(parser, "tokenize", counted)
    return seen


def _block_parses(path: Path, parses: Counter) -> dict[tuple[str, int, int], int]:
    segments = read_source(str(path)).segments
    assert segments, path
    return {(s.text, s.line, s.col): parses[s.text, s.line, s.col] for s in segments
            if not s.error}


@pytest.mark.parametrize("path", [CORPUS_FILE, DEV_NOTEBOOK], ids=lambda p: p.name)
def test_each_block_is_parsed_once(path: Path, parses: Counter) -> None:
    results = verify_file(str(path), prove=_no_proof)
    assert results
    counts = _block_parses(path, parses)
    assert set(counts.values()) == {1}, {k[1:]: v for k, v in counts.items() if v != 1}


def test_only_a_block_writing_an_inferred_text_name_is_read_again(
        tmp_path: Path, parses: Counter) -> None:
    path = tmp_path / "n.md"
    path.write_text(WITH_TEXT_NAME)
    results = verify_file(str(path), prove=_no_proof)
    assert [r["line"] for r in results] == [2, 4, 6]
    counts = _block_parses(path, parses)
    assert [counts[k] for k in sorted(counts, key=lambda k: k[1])] == [2, 1, 1]


def test_the_renderers_never_parse(tmp_path: Path, parses: Counter) -> None:
    from derive.latex.annotated_notebook import write_annotated_notebook
    from derive.latex.terminal import format_results
    from derive.report.notes import write_annotated_notes
    from derive.report.notes_md import write_annotated_markdown

    md_results = verify_file(str(CORPUS_FILE), prove=_no_proof)
    nb_results = verify_file(str(DEV_NOTEBOOK), prove=_no_proof)
    before = sum(parses.values())
    text = CORPUS_FILE.read_text(encoding="utf-8")
    write_annotated_notes(str(CORPUS_FILE), text, md_results, str(tmp_path), name="c")
    write_annotated_markdown(str(CORPUS_FILE), text, md_results, str(tmp_path), name="c")
    write_annotated_notebook(str(DEV_NOTEBOOK), nb_results, str(tmp_path), name="n")
    format_results(md_results + nb_results)
    assert sum(parses.values()) == before
