"""What inference reads from the notes besides the facts of their trees.

The readable segments with their chains (parsed once, :mod:`derive.latex.blocks`), the names
declared by hand, the source text of each member of a chain (the body of an inferred ``let``
is the notes' own text), the name a pattern introduces, the prose definitions that read as
one equation (:mod:`derive.latex.prose`), and the checks an inferred ``let`` passes: one
equation, a body whose names are all known.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lark import Token

from derive.errors import DeriveError
from derive.latex import ast
from derive.latex.blocks import Block
from derive.latex.chains import Notes, Segment
from derive.latex.charmap import UnknownCharacter, normalize
from derive.latex.definitions import label_superscript
from derive.latex.numeral_names import names_in
from derive.latex.parser import parse_block
from derive.latex.prose import InlineDefinition, inline_definitions
from derive.latex.tokens import tokenize

__all__ = ["declared_at", "first_known", "hand_declared", "member_texts", "one_equation",
           "pattern_head", "prose_definitions", "readable_prefix", "readable_segments",
           "unread_link_head", "unread_text_head"]


def readable_segments(notes: Notes, blocks: Sequence[Block] | None = None
              ) -> list[tuple[Segment, list[ast.Chain]]]:
    """Each readable segment with its chains: from ``blocks`` already parsed (the checker
    parses every block once, :mod:`derive.latex.blocks`), else parsed here."""
    if blocks is not None:
        return [(b.segment, list(b.chains)) for b in blocks if not b.error]
    out = []
    for seg in notes.segments:
        if seg.error:
            continue  # reported where the block is checked
        try:
            out.append((seg, parse_block(seg.text, seg.line, seg.col,
                                         names_in(notes.directives), notes.source,
                                         seg.positions)))
        except DeriveError:
            continue  # reported where the block is checked
    return out


def hand_declared(notes: Notes) -> tuple[dict[str, str], set[str], bool]:
    """Names declared by hand (name -> keyword), let heads, and whether auto is on."""
    names: dict[str, str] = {}
    heads: set[str] = set()
    auto = True  # inference is on unless the notes say '% derive: manual'
    for d in notes.directives:
        if d.keyword == "manual":
            auto = False
        elif d.keyword in ("size", "scalar"):
            for piece in d.rest.split(","):
                names[piece.strip()] = d.keyword
        elif d.keyword == "index":
            head = d.rest.split(" in ")[0]
            for piece in head.split(","):
                names[piece.strip()] = "index"
        elif d.keyword in ("tensor", "label"):
            body = d.rest.split(" in ")[0] if d.keyword == "label" else d.rest
            for m in re.finditer(r"(\\[A-Za-z]+(?:\{[^{}]*\})?|[A-Za-z])\s*(?=[_^])", body):
                names[m.group(1)] = d.keyword
        elif d.keyword == "let":
            m = re.match(r"\s*(\\[A-Za-z]+(?:\{[^{}]*\})?|[A-Za-z])", d.rest)
            if m:
                heads.add(m.group(1))
    return names, heads, auto


# what numbers or wraps a display and is no part of its formula (the tokenizer drops them
# too): an inferred let quotes the formula only, so a user can paste it
_WRAPPERS = re.compile(
    r"\\(?:begin|end)\s*\{(?:equation|align|alignat|gather|multline|eqnarray|flalign)\*?\}"
    r"|\\(?:label|tag\*?)\s*\{[^{}]*\}|\\(?:nonumber|notag)\b")


# the full stop or comma that ends a sentence after a formula (the tokenizer drops it at
# the end of a chain, derive.latex.tokens._separate): no part of the member (\\right. is)
_STOP = re.compile(r"(?<!\\right)(?<!\\left)\s*[.,]\s*$")


def _spelled_length(text: str, tok: Token) -> int:
    """How many characters of ``text`` the token at ``tok.start_pos`` spans: its value, or
    for a separator made of an annotation (``\\text{and}``, whose value is its content)
    the command with its braced argument."""
    if text.startswith(tok.value, tok.start_pos):
        return len(tok.value)
    m = re.compile(r"\\[A-Za-z]+\s*\{[^{}]*\}").match(text, tok.start_pos)
    return len(m.group()) if m is not None else len(tok.value)


def member_texts(seg: Segment, source: str) -> list[list[str]]:
    """The source text of each member of each chain of a segment (split at top-level =),
    after the character table (a pasted ``∑`` is ``\\sum``, so the slices are LaTeX)."""
    try:
        text = normalize(seg.text)[0]
    except UnknownCharacter:
        raise DeriveError(f"{source}:{seg.line}:{seg.col}: a character derive does not read"
                          ) from None
    tokens = tokenize(text, seg.line, seg.col, (), source=source, tolerant=True)
    chains: list[list[str]] = [[]]
    depth = 0
    start = 0
    member: list[Token] = []  # the tokens of the member being read

    def close(end: int) -> None:
        # a member's text: from where it starts to where it ends; its tokens in the
        # order the notes write them (B =: s is read s := B, tokens.py)
        nonlocal start
        ordered = sorted(member, key=lambda t: t.start_pos)
        if ordered and not start <= ordered[0].start_pos <= ordered[-1].start_pos < end:
            first, last = ordered[0], ordered[-1]  # a member moved across its link
            chains[-1].append(text[first.start_pos:last.start_pos + _spelled_length(text, last)])
        else:
            chains[-1].append(text[start:end])
        member.clear()

    for tok in tokens:
        kind = tok.type
        if kind in ("LBRACE", "LPAREN", "LBRACK") or kind.startswith("BEGIN_"):
            depth += 1
        elif kind in ("RBRACE", "RPAREN", "RBRACK") or kind.startswith("END_"):
            depth -= 1
        elif depth == 0 and kind in ("EQ", "CHAINSEP"):
            close(tok.start_pos)
            if kind == "CHAINSEP":
                chains.append([])
            start = tok.start_pos + _spelled_length(text, tok)
            continue
        member.append(tok)
    close(len(text))
    clean = [[_STOP.sub("", _WRAPPERS.sub(" ", re.sub(r"\\\\|&", " ", t)).strip()) for t in c]
             for c in chains]
    return clean


def readable_prefix(chain: ast.Chain) -> int:
    """How many members of ``chain`` come before the first one derive does not read
    (:class:`ast.Unreadable`): an inferred definition quotes only those. The text of an
    unread member is no formula (``a = 2x \\qquad b = 3x`` with ``b = 3x`` taken as a
    condition: its middle member ``2x \\qquad b`` re-parsed alone would be the product
    ``2 x b``), and what follows it is no longer the same chain."""
    for n, member in enumerate(chain.members):
        if isinstance(member, ast.Unreadable):
            return n
    return len(chain.members)


# a plain name, then a command that builds a relation derive does not read
# (s \buildrel\text{def}\over= ..., s \mathrel{\mathop:}= ...)
_UNREAD_LINK = re.compile(r"\s*([A-Za-z]|\\[A-Za-z]+)\s*\\(?:buildrel|mathrel|stackrel|overset"
                          r"|underset|mathop)(?![A-Za-z])")


def unread_link_head(chain: ast.Chain, members: list[str]) -> str | None:
    """The name a chain starts with when its first member is unreadable because the link
    after the name is written with a command derive does not read (``s \\buildrel
    \\text{def} \\over = x^2``): the line defines that name, unread."""
    if not chain.members or not isinstance(chain.members[0], ast.Unreadable) or not members:
        return None
    return unread_text_head(members[0])


def unread_text_head(text: str) -> str | None:
    """The name ``text`` starts with when a relation-building command follows it."""
    m = _UNREAD_LINK.match(text)
    return m.group(1) if m is not None else None


def pattern_head(node: ast.Node) -> str | None:
    if isinstance(node, ast.Product) and len(node.items) == 2 and isinstance(
        node.items[1], ast.Group
    ) and node.items[1].delim == "(":
        node = node.items[0]
    if isinstance(node, ast.Letter):
        return node.name
    if isinstance(node, ast.Postfix) and isinstance(node.base, ast.Letter) and not node.primes:
        # H^{-1}(w) = ..., x^2 = ...: a power of a name is no pattern that defines it
        # (the definition gate, derive.latex.definitions, reads it as a claim too)
        return node.base.name if all(label_superscript(s) for s in node.sups) else None
    return None


def declared_at(notes: Notes, name: str) -> tuple[int, int]:
    """(line, col) of the hand-written declaration that names ``name``."""
    pat = re.compile(rf"(?<![A-Za-z\\]){re.escape(name)}(?![A-Za-z])")
    for d in notes.directives:
        m = pat.search(d.rest)
        if m is not None and d.keyword not in ("where", "assume", "skip"):
            return d.line, d.rest_col + m.start()
    return 0, 0


def prose_definitions(notes: Notes, blocks: Sequence[Block] | None = None,
                      ) -> list[tuple[InlineDefinition, ast.Chain]]:
    """The prose definitions of the notes (derive.latex.prose) that parse as one equation.
    ``blocks``: the notes' blocks, already parsed; an inline formula the source reader made
    a step of (the same text at the same place) is not parsed again."""
    ready = {(b.segment.text, b.segment.line, b.segment.col): b.chains
             for b in blocks or () if not b.error}
    out = []
    for d in inline_definitions(notes):
        text = f"{d.pattern} = {d.body}"
        try:
            chains = ready.get((text, d.line, d.col)) or parse_block(
                text, d.line, d.col, names_in(notes.directives), notes.source)
        except DeriveError:
            continue
        if len(chains) == 1 and len(chains[0].members) == 2:
            out.append((d, chains[0]))
    return out


def one_equation(text: str, source: str, line: int, names: frozenset[str] = frozenset()
                 ) -> bool:
    """Does ``text`` read as one equation ``pattern = body``, as a ``let`` line must? (A
    member that holds a line break or a pasted character read as a relation does not.)
    ``names``: the notes' text names (numbered names too, ``x_1``)."""
    try:
        chains = parse_block(text, line, 1, names, source)
    except DeriveError:
        return False
    return len(chains) == 1 and len(chains[0].members) == 2


def first_known(members: list[str], known: set[str], source: str, line: int,
                names: frozenset[str] = frozenset()) -> str | None:
    """The first member after the name whose letters are all known names or indices
    (``names``: the notes' text names, numbered names too)."""
    for text in members[1:]:
        try:
            chains = parse_block(text, line, 1, names, source)
        except DeriveError:
            continue
        names = {n.name for c in chains for n in ast.walk(c) if isinstance(n, ast.Letter)}
        if names <= known:
            return text
    return None
