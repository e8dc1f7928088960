"""The grammar's LALR tables kept in the user's cache folder (derive.latex.parser._parser):
a cached parser reads exactly what a freshly built one reads, a damaged or foreign cache file
is rebuilt, never trusted, and a folder that cannot be made means no cache, not an error."""

from __future__ import annotations

import os

import pytest
from lark import Lark

from derive.latex import parser as P

SAMPLE = r"\frac{\partial L}{\partial z_k} = \sum_{i=1}^{K} y_i (p_k - \delta_{ik}) = p_k - y_k"


def _tokens():
    return P.tokenize(SAMPLE, 1, 1, frozenset(), source="t.md")


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    P._parser.cache_clear()
    yield tmp_path / "derive" / "lark-grammar.cache"
    P._parser.cache_clear()


def _tree(parser: Lark):
    return parser.parse(_tokens())


def test_the_cached_parser_reads_what_a_fresh_one_reads(fresh_cache):
    built = Lark(P.GRAMMAR, parser="lalr", lexer=P._ListLexer, start="start")
    first = P._parser()  # builds and writes the cache
    assert fresh_cache.exists()
    P._parser.cache_clear()
    loaded = P._parser()  # loads it
    assert loaded is not first
    assert _tree(loaded) == _tree(built) == _tree(first)


@pytest.mark.parametrize("damage", [b"", b"garbage\n", b"0" * 64 + b"\n\x80\x04trunc"])
def test_a_damaged_cache_file_is_rebuilt(fresh_cache, damage):
    built = Lark(P.GRAMMAR, parser="lalr", lexer=P._ListLexer, start="start")
    fresh_cache.parent.mkdir(parents=True)
    fresh_cache.write_bytes(damage)
    assert _tree(P._parser()) == _tree(built)
    assert fresh_cache.read_bytes() != damage  # written again from the built tables


def test_no_cache_folder_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert P._cache_file() is False
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert P._cache_file() == os.path.join(str(tmp_path), "derive", "lark-grammar.cache")
