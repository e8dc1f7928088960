"""Parse once: every display block of the notes to its syntax trees, one parser call each.

The reading stages after the source reader (inference of declarations, the checker, the
definition detector) all read the same trees, so a block is tokenized and parsed once per
check (:func:`parse_blocks`). The one exception is forced by meaning: a ``\\text{...}``
name that only an *inferred* declaration introduces changes how a block is tokenized, so
:func:`reparse` parses again exactly the blocks that write such a name.

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
from derive.latex.parser import parse_block

# a \text{N}-like command whose argument is the name N (tokens.TEXTLIKE)
_TEXTLIKE = r"\\(?:text|textrm|mathrm|operatorname|textit|textbf|mbox)\s*\{{\s*{}\s*\}}"

__all__ = ["Block", "fault", "parse_blocks", "reparse", "text_names"]


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
    ``scalar``, ``label`` lines): in a block they are names, not annotations."""
    names: set[str] = set()
    for d in directives:
        if d.keyword in ("let", "tensor", "scalar", "label"):
            names.update(s.strip() for s in re.findall(r"\\text\{([^{}]*)\}", d.rest))
    return frozenset(names)


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
