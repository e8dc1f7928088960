"""Parse once: every display block of the notes to its syntax trees, one parser call each.

The reading stages after the source reader (inference of declarations, the checker, the
definition detector) all read the same trees, so a block is tokenized and parsed once per
check (:func:`parse_blocks`). The one exception is forced by meaning: a ``\\text{...}``
name that only an *inferred* declaration introduces changes how a block is tokenized, so
:func:`reparse` parses again exactly the blocks that write such a name. A definition that
inference reads from a display (an inferred ``let`` whose text is the block's) is not parsed
again by the declarations either: :func:`definition_trees` hands them the block's trees.

>>> from derive.latex.chains import extract
>>> notes = extract("$$a = b$$\\n\\n$$c = d = e$$\\n", "n.md")
>>> [len(b.chains[0].members) for b in parse_blocks(notes, frozenset())]
[2, 3]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from derive.errors import DeriveError
from derive.latex import ast
from derive.latex.chains import Directive, Notes, Segment
from derive.latex.numeral_names import names_in
from derive.latex.parser import parse_block

#: a let line's (rest, line, rest_col) and the \text{} names its trees were read with
TreeKey = tuple[str, int, int, frozenset[str]]

# a \text{N}-like command whose argument is the name N (tokens.TEXTLIKE)
_TEXTLIKE = r"\\(?:text|textrm|mathrm|operatorname|textit|textbf|mbox)\s*\{{\s*{}\s*\}}"

__all__ = ["Block", "TreeKey", "definition_trees", "fault", "parse_blocks", "reparse", "text_names"]


@dataclass(frozen=True)
class Block:
    """One segment of display maths and what parsing it gave: its chains, or the located
    reason it could not be read (``error``; the rest of the file is still read)."""

    segment: Segment
    chains: tuple[ast.Chain, ...] = ()
    error: str = ""
    names: frozenset[str] = frozenset()  # the \text{...} names it was tokenized with


def fault(exc: BaseException) -> str:
    """The reason a step is unknown when something inside it failed."""
    what = "recursion limit" if isinstance(exc, RecursionError) else type(exc).__name__
    return f"internal error while checking this step ({what}: {str(exc)[:200]})"


def text_names(directives: Iterable[Directive]) -> frozenset[str]:
    """The ``\\text{...}`` contents the declarations use as names (``let``, ``tensor``,
    ``scalar``, ``label`` lines): in a block they are names, not annotations; and the
    numbered names of ``name`` lines (``x_1``: :mod:`derive.latex.numeral_names`)."""
    directives = tuple(directives)
    names: set[str] = set()
    for d in directives:
        if d.keyword in ("let", "tensor", "scalar", "label"):
            names.update(s.strip() for s in re.findall(r"\\text\{([^{}]*)\}", d.rest))
    return frozenset(names) | names_in(directives)


def _parse(seg: Segment, names: frozenset[str], source: str) -> Block:
    if seg.error:
        return Block(seg, error=seg.error, names=names)
    try:
        # tolerant: a construct derive does not read makes only its member unreadable
        chains = parse_block(seg.text, seg.line, seg.col, names, source, seg.positions,
                             tolerant=True)
    except DeriveError as exc:
        return Block(seg, error=str(exc), names=names)
    except Exception as exc:  # fault barrier: this block only
        return Block(seg, error=fault(exc), names=names)
    return Block(seg, chains=tuple(chains), names=names)


def parse_blocks(notes: Notes, names: frozenset[str]) -> tuple[Block, ...]:
    """Every segment of ``notes`` parsed once, ``names`` being the ``\\text{...}`` names."""
    return tuple(_parse(seg, names, notes.source) for seg in notes.segments)


def reparse(blocks: tuple[Block, ...], notes: Notes, names: frozenset[str]
            ) -> tuple[Block, ...]:
    """``blocks`` read with the text names ``names``: a block is parsed again only when it
    writes ``\\text{N}`` (or ``\\operatorname{N}``, ``\\mathrm{N}``) for a name ``N`` that
    it was not tokenized with, or no longer is."""
    out = []
    for b in blocks:
        changed = b.names ^ names
        if any(re.search(_TEXTLIKE.format(re.escape(n)), b.segment.text) for n in changed):
            out.append(_parse(b.segment, names, notes.source))
        else:
            out.append(b)
    return tuple(out)


def definition_trees(blocks: Iterable[Block], directives: Iterable[Directive],
                     names: frozenset[str]) -> dict[TreeKey, tuple[ast.Chain, ...]]:
    """The trees of the blocks that inferred ``let`` lines repeat word for word, by the
    line's ``(rest, line, rest_col)`` and the text ``names`` they were read with, for
    :func:`derive.latex.declarations.parse_declarations`.

    Only a block read with the declarations' text ``names``, from the file's own characters
    (no macro expansion), as one chain of exactly two members with nothing unreadable in it:
    a ``let`` line that does not read so is parsed (and rejected) on its own.
    """
    lets = {(d.rest, d.line, d.rest_col) for d in directives if d.keyword == "let"}
    out: dict[TreeKey, tuple[ast.Chain, ...]] = {}
    for b in blocks:
        key = (b.segment.text, b.segment.line, b.segment.col)
        if key not in lets or b.error or b.names != names or b.segment.positions is not None:
            continue
        if len(b.chains) != 1 or len(b.chains[0].members) != 2:
            continue
        if any(isinstance(n, ast.Unreadable) for n in ast.walk(b.chains[0])):
            continue
        out[(*key, names)] = b.chains
    return out
