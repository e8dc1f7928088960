"""The claims of a notes file: its parsed blocks joined into chains of members (a block that
begins with ``=`` continues the chain before it), each member with the ``where``/``prime``
lines in force for the step that ends at it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from derive.latex import ast
from derive.latex.blocks import (
    Block,
    parse_blocks,
)
from derive.latex.chains import Directive, Notes, Segment
from derive.latex.declarations import Declarations
from derive.latex.errors import located
from derive.latex.side_conditions import display_conditions


@dataclass
class Member:
    """One member of a chain; ``directives`` are those in force for the step that ends at
    this member (the ``where``/``prime`` lines before its own block, not an earlier one's)."""

    node: ast.Node
    segment: Segment
    directives: tuple[Directive, ...] = ()
    # how the link from the member before is written ('=', or a defining ':=')
    link: str = "="


@dataclass
class StepChain:
    members: list[Member] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    # a block that could not be read: its one step is unknown with this located message,
    # and the rest of the file is still checked
    error: str = ""
    base: Member | None = None  # the member that conditioned continuations start from
    # the implication arrow written next to it ("2x - 4 = 0 \Rightarrow x = 2"), or ""
    beside: str = ""


def collect_chains(notes: Notes, decl: Declarations,
                   blocks: tuple[Block, ...] | None = None) -> list[StepChain]:
    """All chains of the notes, with ``=``-continued blocks joined to the previous chain;
    ``blocks`` are the notes' blocks already parsed (:mod:`derive.latex.blocks`)."""
    if blocks is None:
        blocks = parse_blocks(notes, decl.text_names)
    pending = sorted(decl.block_directives, key=lambda d: d.line)
    chains: list[StepChain] = []
    by_block: dict[int, list[Directive]] = {}
    for parsed_block in blocks:
        seg = parsed_block.segment
        if seg.block not in by_block:  # a directive governs every chain of the next block
            by_block[seg.block] = []
            while pending and pending[0].line < seg.line and not seg.inline:
                by_block[seg.block].append(pending.pop(0))
        attach = by_block[seg.block]
        if any(d.keyword == "skip" for d in attach):
            chains.append(StepChain(members=[Member(ast.Num(text="0"), seg)],
                                    directives=attach))
            continue
        if parsed_block.error:
            # one unknown step per '=' link the block writes, each on its right member's
            # line: a block derive cannot read still shows every step it holds
            chains += [StepChain(members=[Member(ast.Num(text="0", line=line, col=col), seg)],
                                 directives=attach, error=parsed_block.error)
                       for line, col in link_spots(seg)]
            continue
        parsed = parsed_block.chains
        # a condition written after the line acts as a 'where' for that line only
        own = [Directive(line=seg.line, col=seg.col, keyword="where", rest=c,
                         rest_col=seg.col) for c in seg.conds or (
                             () if any(d.keyword == "where" for d in attach) else
                             display_conditions(notes.text, notes.math, seg.line, seg.text,
                                                decl.indices))]
        for n, chain in enumerate(parsed):
            if n == 0 and seg.continues:
                # the display before: a formula in a sentence between them is an aside
                last = next((c for c in reversed(chains)
                             if not c.members[-1].segment.inline), None)
                if last is None:
                    raise located(notes.source, seg.line, seg.col, "a block starts with '=' "
                                  "but no chain comes before it: expected a left-hand side")
                if any(d.keyword == "where" for d in attach + own):
                    # "If i = j: = ...", "If i \neq j: = ...": each case continues from the
                    # last member written before the cases, under its own condition only
                    base = last.base or last.members[-1]
                    kept = tuple(d for d in base.directives if d.keyword != "where")
                    members = [Member(m, seg, (*kept, *attach, *own), link)
                               for m, link in _linked(chain)]
                    chains.append(StepChain(
                        members=[base, *members],
                        directives=[d for d in last.directives if d.keyword != "where"]
                        + attach + own, base=base, beside=chain.beside or last.beside))
                    continue
                # conditions go forward along a chain: a continued block keeps those of
                # the blocks before it and adds its own, which do not reach back
                before = last.members[-1].directives
                members = [Member(m, seg, (*before, *attach), link) for m, link in _linked(chain)]
                last.members.extend(members)
                last.directives.extend(attach + own)
                last.beside = last.beside or chain.beside
            else:
                members = [Member(m, seg, (*attach, *own), link) for m, link in _linked(chain)]
                chains.append(StepChain(members=members, directives=list(attach) + own,
                                        beside=chain.beside))
    return chains


_OPEN = {"{": "}", "(": ")", "[": "]"}
_NESTED_ENV = re.compile(r"\\(begin|end)\{([pbvBV]?matrix|cases|array|smallmatrix)\*?\}")
# what may come before an array that lays out the whole display: size and style switches
_LAYOUT_HEAD = re.compile(r"\s*(?:\\[A-Za-z]+\s*)*")


def link_spots(seg: Segment) -> list[tuple[int, int]]:
    """The file position (line, col) of the right member of every top-level ``=`` link of
    the segment's text, or of the segment itself when it writes none. An ``=`` inside a
    group, brackets, a sub/superscript's braces or a ``cases``/matrix/``array`` environment
    is not a link (an ``array`` that is the whole display, as ``&=&`` rows, lays it out),
    nor is one in ``\\leq``-like spellings (``<=``, ``>=``, ``!=``)."""
    text = seg.text
    depth, spots = 0, []
    envs: list[bool] = []  # the open environments: does each nest (True) or lay out?
    n = 0
    while n < len(text):
        ch = text[n]
        if ch == "\\":
            m = _NESTED_ENV.match(text, n)
            if m is not None:
                if m.group(1) == "begin":
                    # \begin{array}{rcl} a &=& b \end{array} as the whole display: its layout
                    envs.append(not (m.group(2) == "array" and not envs
                                     and _LAYOUT_HEAD.fullmatch(text[:n])))
                elif envs:
                    envs.pop()
                n = m.end()
                continue
            if text[n + 1:n + 2] in ("{", "}"):  # \{ ... \}: a set, a group as written
                depth = depth + 1 if text[n + 1] == "{" else max(depth - 1, 0)
            n += 2  # an escaped character (\|, \\) or a command's first letter
            continue
        if ch in _OPEN:
            depth += 1
        elif ch in _OPEN.values():
            depth = max(depth - 1, 0)
        elif ch == "=" and depth == 0 and not any(envs) and text[n - 1:n] not in ("<", ">", "!"):
            right = n + 1
            while right < len(text) and (text[right].isspace() or text[right] == "&"):
                right += 1
            spots.append(_spot(seg, min(right, len(text) - 1)))
        n += 1
    return spots or [(seg.line, seg.col)]


def _spot(seg: Segment, offset: int) -> tuple[int, int]:
    """The file position of the character at ``offset`` in the segment's text."""
    if seg.positions is not None and offset < len(seg.positions):
        return seg.positions[offset]
    before = seg.text[:offset]
    line = seg.line + before.count("\n")
    col = seg.col + offset if "\n" not in before else offset - before.rfind("\n")
    return line, col


def _linked(chain: ast.Chain) -> list[tuple[ast.Node, str]]:
    """Each member of a parsed chain with how the link before it is written."""
    links = ("=", *chain.links) if len(chain.links) == len(chain.members) - 1 else ()
    return [(m, links[n] if links else "=") for n, m in enumerate(chain.members)]
