"""Find the display-math blocks and ``% derive:`` lines of a .tex or Markdown file.

A block is ``$$...$$``, ``\\[...\\]`` or an ``equation``/``align``/``gather``/``multline``
environment (starred or not). Equation tags (``\\quad (3)``, ``\\tag{3}``, ``\\dots
\\textcircled{1}``) end an equation, so the text after a tag is a new chain. A block
that starts with ``=`` continues the previous chain. Text between blocks is ignored.

>>> src = "% derive: size K\\n$$a = b$$\\ntext\\n$$= c$$\\n"
>>> [(s.line, s.continues) for s in extract(src, "n.md").segments]
[(2, False), (4, True)]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from dataclasses import replace as _replace

from derive.errors import DeriveError
from derive.latex.charmap import UnknownCharacter, normalize
from derive.latex.errors import located
from derive.latex.inline_steps import is_inline, line_conditions, premise
from derive.latex.macros import expand, find_definitions

__all__ = ["MAX_BYTES", "Directive", "Notes", "Segment", "blank_comments", "build_notes",
           "check_size", "directive", "extract", "find_directives", "read_notes", "read_text",
           "tex_blocks"]

MAX_BYTES = 2_000_000  # a long set of notes is ~100 kB; more is not notes

_FORBIDDEN = re.compile(
    r"\\(input|include|includeonly|write|immediate|openin|openout|read|catcode|edef|gdef|"
    r"xdef|let|csname|expandafter|directlua|special)(?![A-Za-z])|\^\^"
)
_DIRECTIVE = re.compile(r"^[ \t]*%[ \t]*derive:[ \t]?(.*)$", re.MULTILINE)
_BLOCK = re.compile(
    r"\$\$(?P<dd>.*?)\$\$"
    r"|^[ \t]*\$(?P<sd>[^$\n]+)\$[ \t]*$"  # a paragraph that is one $...$ is a display
    r"|\\\[(?P<br>.*?)\\\]"
    r"|\\begin\{(?P<env>equation\*?|align\*?|gather\*?|multline\*?|eqnarray\*?)\}"
    r"(?P<body>.*?)\\end\{(?P=env)\}",
    re.DOTALL | re.MULTILINE,
)
_TAG = re.compile(
    r"(?:\\[lc]?dots\s*)?\\textcircled\{[^{}]*\}"
    r"|\\q?quad\s*\(\s*\d+\s*\)\s*(?=$|\\\\)"
    r"|\\tag\*?\{[^{}]*\}"
)


_LINE_COND = re.compile(
    r",\s*(?:\\q?quad|\\[;,]|~|\s)*(?:\\text\{\s*(?:if|for|when)?\s*\}\s*)?"
    r"(?P<cond>[A-Za-z](?:_\{?[A-Za-z]\}?)?\s*(?:=|\\neq?|\\not\s*=)\s*[A-Za-z](?:_\{?[A-Za-z]\}?)?)"
    r"\s*(?=\\\\|$)"
)


def _split_conditions(offset: int, piece: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """Lines ending in a condition (``= p_i (1-p_i), \\quad i = j \\\\``) become their own
    pieces carrying it; the condition's text is blanked (positions stay the same)."""
    out: list[tuple[int, str, tuple[str, ...]]] = []
    start = 0
    for m in _LINE_COND.finditer(piece):
        end = m.end()
        brk = piece.find("\\\\", end)
        stop = len(piece) if brk < 0 else brk + 2
        text = piece[start:m.start()] + " " * (m.end() - m.start()) + piece[m.end():stop]
        out.append((offset + start, text, (m.group("cond"),)))
        start = stop
    if start < len(piece):
        out.append((offset + start, piece[start:], ()))
    return out


# "$$ ... $$ where $j \neq k$": a condition the prose puts on the display just before it
_PROSE_COND = re.compile(
    r"(?:\$\$|\\\]|\\end\{[A-Za-z]+\*?\})?[ \t]*[,.]?[ \t]*\n?[ \t]*"
    r"(?:where|for|if|when|with)[ \t]+\$\s*"
    r"(?P<cond>[A-Za-z]\s*(?:=|\\neq?|\\not\s*=)\s*[A-Za-z])\s*\$")


def _prose_condition(text: str, end: int) -> tuple[str, ...]:
    """The condition of ``where $j \\neq k$`` right after a display (ending at ``end``)."""
    m = _PROSE_COND.match(text, end)
    return (m.group("cond"),) if m is not None else ()


_REMARK = re.compile(r"\\q?quad\s*\\text\{.*?(?=\\\\|$)", re.DOTALL)
# ... but "\qquad \text{whenever } j = k" is a condition on the line, not a remark: it is
# left to the tokenizer, which makes the link before it unknown (never checked without it)
_CONDITION_REMARK = re.compile(
    r"\\q?quad\s*\\text\{\s*(?:if|iff|for|when|whenever|where|provided|unless|given|"
    r"assuming|as long as|such that)(?![A-Za-z])[^{}]*\}[^=<>]*?(?:=|<|>|\\n?eq|\\ne\b|"
    r"\\[lg]eq?\b|\\in\b)")


# ... and so is an equation after the words ("\quad\text{and}\quad s = ...",
# "\qquad \text{gap} = a + b"): blanked, a definition on the line would be lost
# (plain words only: "\text{(where } y = 1 \text{)}" stays a remark)
_TEXT_HEAD = re.compile(r"\\q?quad\s*\\text\{\s*[A-Za-z][A-Za-z ,.]*\}")


def _remark(m: re.Match[str]) -> str:
    """A remark to the end of the line blanked; a condition or an equation kept (see
    _CONDITION_REMARK, _TEXT_HEAD)."""
    head = _TEXT_HEAD.match(m.group())
    keep = _CONDITION_REMARK.match(m.group()) or (
        head is not None and "=" in m.group()[head.end():])
    return m.group() if keep else " " * len(m.group())

_LEAD = re.compile(r"(?:\s|&|\\begin\{(?:aligned|split|gathered)\})*=")


@dataclass(frozen=True)
class Directive:
    """One ``% derive: <keyword> <rest>`` line."""

    line: int
    col: int
    keyword: str
    rest: str
    rest_col: int


@dataclass(frozen=True)
class Segment:
    """A piece of display math between tags; ``continues`` if it began with ``=``."""

    text: str
    line: int
    col: int
    block: int
    continues: bool
    # per-line conditions written after the formula (", \quad i = j"): a 'where' for it
    conds: tuple[str, ...] = ()
    # after macro expansion: each character's file position (None if nothing was expanded)
    positions: tuple[tuple[int, int], ...] | None = None
    # a block whose macros could not be expanded: this located message, the block unknown
    error: str = ""
    # a formula inside a sentence ("so $a = b$"): it takes no '% derive:' line meant for the
    # display after it, and a display that starts with '=' continues the display before it
    inline: bool = False


@dataclass(frozen=True)
class Notes:
    source: str
    text: str
    directives: tuple[Directive, ...]
    segments: tuple[Segment, ...]
    # notes read from several pieces (a notebook's cells): for each line of ``text``, the
    # (piece, line in piece) it came from; empty when the lines are the file's own
    origin: tuple[tuple[int, int], ...] = ()
    # the text with what is not mathematics blanked (same lines): what renderers quote
    math: str = ""


def read_notes(path: str) -> Notes:
    """Read and extract a notes file as LaTeX, refusing what is not plain notes (a reader
    for each kind of source, chosen by suffix, is :func:`derive.latex.sources.read_source`).

    >>> read_notes("/nonexistent.tex")
    Traceback (most recent call last):
    ...
    derive.errors.DeriveError: /nonexistent.tex:1:1: cannot read notes: file not found
    """
    return extract(read_text(path), path)


def read_text(path: str) -> str:
    """The text of the notes file at ``path``: UTF-8, at most :data:`MAX_BYTES` bytes."""
    import os

    try:
        size = os.path.getsize(path)
    except OSError:
        raise located(path, 1, 1, "cannot read notes: file not found") from None
    if size > MAX_BYTES:
        raise located(path, 1, 1, f"file is {size} bytes: expected notes of at most "
                      f"{MAX_BYTES} bytes")
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except UnicodeDecodeError as exc:
        raise located(path, 1, 1, f"not UTF-8 text ({exc.reason}): expected a .tex or "
                      ".md file") from None
    except OSError as exc:
        raise located(path, 1, 1, f"cannot read notes: {exc.strerror}") from None


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def blank_comments(text: str) -> str:
    """Replace LaTeX comments by spaces (positions stay the same)."""
    return re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group()), text)


_OPENER = re.compile(
    r"\$\$|\\\[|\\begin\{(equation|align|gather|multline|eqnarray)\*?\}"
)


def _check_closed(clean: str, source: str) -> None:
    """Every display opener must start a block, else its math would be silently dropped
    (an unclosed ``\\[`` at the end of a file, a ``$$`` left open before the next one)."""
    starts, ends, spans = set(), set(), []
    for m in _BLOCK.finditer(clean):
        starts.add(m.start())
        spans.append((m.start(), m.end()))
        if m.group("dd") is not None:
            ends.add(m.end() - 2)
    for m in _OPENER.finditer(clean):
        if m.start() in starts or m.start() in ends:
            continue
        # nested inside a display that is closed (\[\begin{equation}…\end{equation}\],
        # as MathJax notes write it): part of that block's text, not dropped
        if any(a < m.start() < b for a, b in spans):
            continue
        line, col = _position(clean, m.start())
        opener = m.group()
        closer = {"$$": "$$", "\\[": "\\]"}.get(opener, opener.replace("begin", "end"))
        raise located(source, line, col, f"display math {opener!r} is never closed: expected "
                      f"{closer!r} (or it is opened inside another display)")


def check_size(text: str, source: str) -> None:
    """Refuse a text too long to be notes."""
    if len(text) > MAX_BYTES:
        raise located(source, 1, 1, f"notes are {len(text)} characters: expected at most "
                      f"{MAX_BYTES}")


def directive(source: str, line: int, col: int, body: str) -> Directive:
    """The directive whose text after ``derive:`` is ``body``, at ``line``:``col``."""
    kw = re.match(r"\s*([A-Za-z-]+)\s*", body)
    if kw is None:
        raise located(source, line, col, f"empty or malformed directive {body!r}: expected "
                      "'% derive: <keyword> ...' (size, index, tensor, label, scalar, "
                      "let, assume, where, prime, skip, scope)")
    return Directive(line=line, col=col, keyword=kw.group(1), rest=body[kw.end():],
                     rest_col=col + kw.end())


def find_directives(text: str, source: str) -> list[Directive]:
    """Every ``% derive:`` line of ``text``."""
    directives = []
    for m in _DIRECTIVE.finditer(text):
        line, _ = _position(text, m.start())
        directives.append(directive(source, line, m.start(1) - m.start() + 1, m.group(1)))
    return directives


def tex_blocks(clean: str, source: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the body of every display block of LaTeX text."""
    _check_closed(clean, source)
    spans = []
    for m in _BLOCK.finditer(clean):
        group = next(g for g in ("dd", "sd", "br", "body") if m.group(g) is not None)
        spans.append((m.start(group), m.end(group)))
    return spans


def extract(text: str, source: str) -> Notes:
    """Directives and chain segments of the notes ``text`` (``source`` names it in errors)."""
    check_size(text, source)
    return build_notes(text, blank_comments(text), find_directives(text, source), source,
                       tex_blocks)


def _normal_body(clean: str, start: int, end: int) -> tuple[str, list[tuple[int, int]] | None]:
    """The display body ``clean[start:end]`` read through the character table, and the file
    position of each character of the result (None when the body is ASCII: unchanged).

    A character the table does not read leaves the body as written: the tokenizer reports
    it at its own file position."""
    body = clean[start:end]
    try:
        normal, back = normalize(body)
    except UnknownCharacter:
        return body, None
    if normal == body:
        return body, None
    spots = [_position(clean, start + b) for b in back]
    return normal, [*spots, _position(clean, end)]  # one past the end: a piece's stop


def _normal_directive(d: Directive) -> Directive:
    """A ``% derive:`` line read through the character table (``index k ∈ 1..K``, a pasted
    ``θ``); one the table does not read stays as written, reported where it is parsed."""
    try:
        rest, _ = normalize(d.rest)
    except UnknownCharacter:
        return d
    return d if rest == d.rest else _replace(d, rest=rest)


def build_notes(text: str, clean: str, directives: list[Directive], source: str,
                blocks: Callable[[str, str], list[tuple[int, int]]],
                inline: Collection[tuple[int, int]] = ()) -> Notes:
    """The notes of ``text``: ``clean`` is its mathematics (same length, same lines; what is
    not mathematics is blanked), ``blocks`` finds the display bodies in it; ``inline`` the
    bodies the source reader knows are written inside a sentence (beyond the ``$…$`` and
    ``\\(…\\)`` :func:`~derive.latex.inline_steps.is_inline` sees: MathJax's inline
    ``<script type="math/tex">`` in a Markdown file's HTML).

    Every source kind (a reader in :mod:`derive.latex.sources`) ends here, so macros, equation
    tags, per-line conditions and continued chains are read the same way in each.
    """
    math = clean
    definitions = find_definitions(clean, source)
    for a, b in definitions.spans:  # a definition is not math to check, wherever it is
        clean = clean[:a] + re.sub(r"[^\n]", " ", clean[a:b]) + clean[b:]
    if definitions.macros:  # a declaration may use the notes' macros (tensor \vx_k), any of them
        every = definitions.visible(len(clean) + 1)
        directives = [d if not d.rest else _replace(
            d, rest=expand(d.rest, d.line, d.rest_col, every, source)[0]) for d in directives]
    bad = _FORBIDDEN.search(clean)
    if bad is not None:
        line, col = _position(clean, bad.start())
        raise located(source, line, col, f"{bad.group()!r} is refused: derive reads this one "
                      "file, expands \\newcommand/\\def macros by substitution only and never "
                      "reads or writes other files; expected plain notes")
    directives = [_normal_directive(d) for d in directives]
    segments = []
    for number, (start, end) in enumerate(blocks(clean, source)):
        after = _prose_condition(text, end)
        in_sentence = is_inline(text, start, end) or (start, end) in inline
        if in_sentence:  # a formula in a sentence: the sentence's conditions
            if premise(text, start):
                continue  # "given that $\\sum_k y_k = 1$": assumed, not claimed
            around = line_conditions(text, start, end)
            if around is None:
                continue  # a condition derive cannot read: checked without it, a true
                # step could be refuted
            after = tuple(dict.fromkeys(after + around))
        # the one character table runs first: every rule below (tags, per-line conditions,
        # remarks) and every later stage reads ASCII LaTeX (a pasted ≠ or … is \neq, \ldots)
        body, spots = _normal_body(clean, start, end)
        pieces = []
        last = 0
        for tag in _TAG.finditer(body):
            pieces.append((last, body[last : tag.start()]))
            last = tag.end()
        pieces.append((last, body[last:]))
        split = [p for off, text in pieces for p in _split_conditions(off, text)]
        for offset, piece, conds in split:
            # "\qquad \text{(where I is 1 when y = k)}": a remark to the end of the line
            piece = _REMARK.sub(_remark, piece)
            lead = _LEAD.match(piece)
            continues = lead is not None
            if lead is not None:  # keep any \begin{aligned} for its \end, drop the '='
                head = piece[: lead.end() - 1].replace("&", " ")
                piece = head + " " + piece[lead.end() :]
            # a sentence ending inside the display ("... + \lambda \|w\|_2^2.") is not math
            piece = re.sub(r"[.,;]\s*$", lambda m: " " * len(m.group()), piece)
            # ... and so is one before a line break ("= -p_jp_i. \\")
            piece = re.sub(r"[.,;](?=\s*\\\\)", " ", piece)
            if not piece.strip():
                continue
            line, col = _position(clean, start + offset) if spots is None else spots[offset]
            own = None if spots is None else spots[offset:offset + len(piece)]
            error, positions = "", None if own is None else tuple(own)
            try:
                # a definition earlier in the file or in this very block is in force
                visible = definitions.visible(start + offset + len(piece))
                piece, where = expand(piece, line, col, visible, source, own)
                positions = positions if where is None else tuple(where)
            except DeriveError as exc:
                error = str(exc)
            segments.append(Segment(text=piece, line=line, col=col, block=number,
                                    continues=continues, conds=conds + after,
                                    positions=positions,
                                    error=error, inline=in_sentence))
    return Notes(source=source, text=text, directives=tuple(directives),
                 segments=tuple(segments), math=math)
