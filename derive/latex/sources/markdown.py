"""Read Markdown notes as Markdown: a CommonMark parser (markdown-it-py) finds the maths.

Only mathematics is read: ``$$…$$`` displays (one may interrupt a paragraph; one that is a
single ``align``/... environment is that environment's body), ``\\[…\\]``, top-level
``equation``/``align``/``gather``/``multline``/``eqnarray`` environments, a paragraph that is
one ``$…$``, and inline formulas that state a step (``$…$``, ``\\(…\\)``, and ``$$…$$`` inside
prose, kramdown's inline maths, when it writes '='). Raw HTML blocks (``<div>``, MathJax's
``<script type="math/tex">``) are read through the delimiter table of
:mod:`derive.latex.sources.delimiters`; lines of plain-text maths (``= z * log(1 + exp(-x))``)
through :mod:`derive.latex.sources.plain_math`. Code fences and inline code spans are never
read, whatever they hold; an indented code block only as plain-text maths, when no line of it
is program code.
Declarations are ``<!-- derive: … -->`` comments (which do not render; one comment may
hold several lines) or ``% derive:`` lines outside code. Positions are the file's own:
each piece of mathematics keeps its line and column.

>>> notes = read("Code: `$$a = b$$`.\\n\\n<!-- derive: size K -->\\n$$\\nc = c\\n$$\\n", "n.md")
>>> [(s.line, s.col, s.text.strip()) for s in notes.segments]
[(4, 3, 'c = c')]
>>> [(d.line, d.col, d.keyword, d.rest) for d in notes.directives]
[(3, 14, 'size', 'K')]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from derive.latex.chains import (
    Directive,
    Notes,
    blank_comments,
    build_notes,
    check_size,
    directive,
    find_directives,
)
from derive.latex.errors import located
from derive.latex.inline_steps import is_step
from derive.latex.sources import delimiters, plain_math

__all__ = ["Layout", "check_closed", "directives", "layout", "read", "translate_plain"]

# the environments a LaTeX file's display blocks are (chains.tex_blocks reads the same)
_ENV = re.compile(r"\\begin\{(?P<env>(?:equation|align|alignat|flalign|gather|multline|eqnarray)"
                  r"\*?)\}(?:\{\d+\})?")
_OPENER = re.compile(r"(?<!\\)\$\$|(?<!\\)\\\[|\\begin\{(?:equation|align|alignat|flalign|gather"
                     r"|multline|eqnarray)\*?\}")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_PERCENT_LINE = re.compile(r"^[ \t]*%[^\n]*", re.MULTILINE)
_KEYWORD = re.compile(r"[ \t]*(?:%[ \t]*)?derive:[ \t]?")


@dataclass(frozen=True)
class Layout:
    """Where the mathematics and the declarations of a Markdown text are (offsets into it).

    ``math`` is the text with everything but its mathematics blanked (lines kept), ``prose``
    the text with its code blanked; ``blocks`` are the bodies of the displays;
    ``comments`` the declarations written in HTML comments as (offset, text after
    ``derive:``); ``kept`` the (start, end) of every piece of mathematics.
    """

    math: str
    prose: str
    blocks: tuple[tuple[int, int], ...]
    comments: tuple[tuple[int, str], ...]
    kept: tuple[tuple[int, int], ...]
    # the bodies read as formulas inside a sentence ($$…$$ in prose, \(…\) in HTML)
    inline: frozenset[tuple[int, int]] = frozenset()
    # an HTML block's maths opened and never closed: (offset, opening, closing)
    unclosed: tuple[tuple[int, str, str], ...] = ()
    # the bodies that are lines of plain-text maths (derive.latex.sources.plain_math), and
    # whether the notes say in prose that ' is the transpose
    plain: frozenset[tuple[int, int]] = frozenset()
    transpose: bool = False


def _delimited(opening: str, closing: str, kind: str) -> Callable[[Any, bool], bool]:
    """An inline rule: ``opening … closing`` inside a paragraph is one ``kind`` token (its
    content between the delimiters, its span in ``meta``)."""

    def rule(state: Any, silent: bool) -> bool:
        src, pos = state.src, state.pos
        if not src.startswith(opening, pos):
            return False
        end = src.find(closing, pos + len(opening))
        if end < 0:
            return False
        if not silent:
            token = state.push(kind, "math", 0)
            token.content = src[pos + len(opening) : end]
            token.markup = opening
            token.meta = {"span": (pos, end + len(closing))}
        state.pos = end + len(closing)
        return True

    return rule


# ``\[ … \]`` inside a paragraph is a display (CommonMark alone would read ``\[`` as an
# escaped bracket); ``\( … \)`` is inline maths (MathJax's default delimiters)
_bracket = _delimited("\\[", "\\]", "math_bracket")
_paren = _delimited("\\(", "\\)", "math_paren")


def _environment(state: Any, silent: bool) -> bool:
    """Inline rule: an ``equation``/``align``/... environment inside a paragraph is a display
    (MathJax typesets it there; CommonMark alone would read it as text)."""
    m = _ENV.match(state.src, state.pos)
    if m is None:
        return False
    close = state.src.find(f"\\end{{{m['env']}}}", m.end())
    if close < 0:
        return False
    end = close + len(f"\\end{{{m['env']}}}")
    if not silent:
        token = state.push("math_env", "math", 0)
        token.content = state.src[state.pos:end]
        token.meta = {"span": (state.pos, end), "body": (m.end() - state.pos,
                                                          close - state.pos)}
    state.pos = end
    return True


def _bracket_block(state: Any, start: int, end: int, silent: bool) -> bool:
    """Block rule: a display that opens with ``\\[`` at the start of a line runs to the
    first ``\\]`` (over lines, blank ones too, as MathJax reads it)."""
    if state.sCount[start] - state.blkIndent >= 4:  # indented code
        return False
    src, pos = state.src, state.bMarks[start] + state.tShift[start]
    if not src.startswith("\\[", pos):
        return False
    line, close = start, src.find("\\]", pos + 2, state.eMarks[start])
    while close < 0:
        line += 1
        if line >= end:
            return False
        close = src.find("\\]", state.bMarks[line], state.eMarks[line])
    if silent:
        return True
    token = state.push("math_bracket_block", "math", 0)
    token.block = True
    token.content = src[pos + 2 : close]
    token.markup = "\\["
    token.map = [start, line + 1]
    state.line = line + 1
    return True


def _wrap_inline(md: Any, name: str) -> None:
    """Record where in its paragraph each token of the rule ``name`` was read."""
    rule = next(r for r in md.inline.ruler.__rules__ if r.name == name)
    inner = rule.fn

    def fn(state: Any, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        ok = inner(state, silent)
        if ok and not silent and len(state.tokens) > count:
            state.tokens[-1].meta = {**(state.tokens[-1].meta or {}), "span": (start, state.pos)}
        return ok

    md.inline.ruler.at(name, fn, {"alt": list(rule.alt)})


# a display may interrupt a paragraph ("The loss is\n$$\n…\n$$": MathJax reads the pair)
_INTERRUPTS = ["paragraph", "reference", "blockquote", "list"]


def _wrap_block(md: Any, name: str, alt: list[str] | None = None) -> None:
    """Record the source offsets of each block the rule ``name`` reads, and the container
    prefixes (``> ``) of its inner lines; ``alt``: the blocks it may interrupt."""
    rule = next(r for r in md.block.ruler.__rules__ if r.name == name)
    inner = rule.fn

    def fn(state: Any, start: int, end: int, silent: bool) -> bool:
        if silent and name == "math_block" and _closes_a_pending_pair(state, start):
            return False
        count, line = len(state.tokens), state.line
        ok = inner(state, start, end, silent)
        if silent:  # dollarmath's block rule reads on and pushes its token even when asked
            del state.tokens[count:]  # only whether it would match (a paragraph's end)
            state.line = line
            return ok
        if ok and not silent and len(state.tokens) > count:
            last = state.line - 1
            prefixes = [(state.eMarks[n - 1] + 1, state.bMarks[n]) for n in range(start + 1,
                                                                                  last + 1)]
            state.tokens[-1].meta = {**(state.tokens[-1].meta or {}),
                                     "begin": state.bMarks[start] + state.tShift[start],
                                     "end": state.eMarks[last], "prefixes": prefixes}
        return ok

    md.block.ruler.at(name, fn, {"alt": list(rule.alt) if alt is None else alt})


_DOUBLE = re.compile(r"(?<!\\)\$\$")


def _closes_a_pending_pair(state: Any, start: int) -> bool:
    """Is the ``$$`` that starts line ``start`` the closer of a ``$$`` opened earlier in the
    paragraph it would interrupt (kramdown's inline maths over several lines:
    "Derivative: $$\\phi'(U) = \\begin{cases} …\\n$$")? Then it ends that formula, and no
    display opens there."""
    if state.parentType != "paragraph":
        return False
    before = state.src[state.bMarks[state.line]:state.bMarks[start]]
    return len(_DOUBLE.findall(before)) % 2 == 1


_PARSER: Any = None


def _parser() -> Any:
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.amsmath import amsmath_plugin
        from mdit_py_plugins.dollarmath import dollarmath_plugin

        md = MarkdownIt("commonmark").use(dollarmath_plugin, double_inline=True)
        md.use(amsmath_plugin)
        md.inline.ruler.before("escape", "math_bracket", _bracket)
        md.inline.ruler.before("escape", "math_paren", _paren)
        md.inline.ruler.before("escape", "math_env", _environment)
        md.block.ruler.before("amsmath", "math_bracket_block", _bracket_block,
                              {"alt": ["paragraph", "reference", "blockquote", "list"]})
        for name in ("math_inline", "backticks", "html_inline"):
            _wrap_inline(md, name)
        _wrap_block(md, "math_block", _INTERRUPTS)
        for name in ("amsmath", "math_bracket_block"):
            _wrap_block(md, name)
        _PARSER = md
    return _PARSER


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _inline_map(text: str, starts: list[int], token: Any) -> Callable[[int], int]:
    """Offset in an inline token's content -> offset in the file. The content is the
    paragraph's lines with their container prefix and indentation taken off, so each
    content line is found at the end of its source line."""
    lines = token.content.split("\n")
    bases, offsets, at = [], [], 0
    for j, piece in enumerate(lines):
        n = min(token.map[0] + j, len(starts) - 1)
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(text)
        src = text[starts[n]:end]
        if src.endswith(piece):
            base = len(src) - len(piece)
        elif src.rstrip().endswith(piece):
            base = len(src.rstrip()) - len(piece)
        else:
            base = max(src.find(piece), 0)
        bases.append(starts[n] + base)
        offsets.append(at)
        at += len(piece) + 1

    def where(offset: int) -> int:
        j = bisect.bisect_right(offsets, offset) - 1
        return bases[j] + offset - offsets[j]

    return where


def _comment_directives(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """``derive:`` lines of the HTML comments in ``text[start:end]``: a comment that starts
    with ``derive:`` makes each of its lines a declaration; in another comment only the
    lines that start with ``derive:`` are."""
    out = []
    for m in _COMMENT.finditer(text, start, end):
        body, at = m.group(1), m.start(1)
        head = _KEYWORD.match(body)
        every = head is not None
        for line in re.finditer(r"[^\n]*", body):
            if line.start() > 0 and body[line.start() - 1] != "\n":
                continue  # finditer's empty match at the end of a line
            kw = _KEYWORD.match(line.group())
            if kw is not None:
                rest_at = line.start() + kw.end()
            elif every and line.group().strip():
                rest_at = line.start() + len(line.group()) - len(line.group().lstrip())
            else:
                continue
            rest = body[rest_at:line.end()].rstrip()
            if rest:  # "<!-- derive:" alone on its line opens a comment of declarations
                out.append((at + rest_at, rest))
    return out


def layout(text: str) -> Layout:
    """Find the mathematics, code and declarations of the Markdown ``text``."""
    tokens = _parser().parse(text)
    starts = _line_starts(text)
    keep = bytearray(len(text))  # 1: a character of mathematics
    code = bytearray(len(text))  # 1: a character of code
    blocks: list[tuple[int, int]] = []
    comments: list[tuple[int, str]] = []
    kept: list[tuple[int, int]] = []
    inline: set[tuple[int, int]] = set()
    unclosed: list[tuple[int, str, str]] = []

    def line_span(first: int, last: int) -> tuple[int, int]:
        a = starts[min(first, len(starts) - 1)]
        b = starts[last] if last < len(starts) else len(text)
        return a, b

    paragraph_lines: list[tuple[int, int]] = []  # plain-text maths candidates
    code_lines: list[tuple[int, int]] = []  # ... in indented code that is no program

    def html_maths(found: list[delimiters.Found | delimiters.Unclosed]) -> None:
        for f in found:
            if isinstance(f, delimiters.Unclosed):
                unclosed.append((f.offset, f.opening, f.closing))
                continue
            keep[f.start:f.end] = b"\x01" * (f.end - f.start)
            kept.append(f.span)
            if f.display or is_step(f.body):
                blocks.append((f.start, f.end))
            if not f.display:
                inline.add((f.start, f.end))

    for number, tok in enumerate(tokens):
        if (tok.type == "inline" and tok.map and number > 0
                and tokens[number - 1].type == "paragraph_open"):
            paragraph_lines += _content_lines(text, starts, tok)
        if tok.type in ("math_block", "math_block_label", "amsmath",
                        "math_bracket_block") and tok.meta:
            begin, end = tok.meta["begin"], tok.meta["end"]
            keep[begin:end] = b"\x01" * (end - begin)
            for a, b in tok.meta["prefixes"]:
                keep[a:b] = b"\x00" * (b - a)
            kept.append((begin, end))
            if tok.type == "amsmath":
                env = _ENV.match(text, begin)
                close = -1 if env is None else text.rfind(f"\\end{{{env['env']}}}", begin, end)
                if env is not None and close >= 0:
                    blocks.append((env.end(), close))
            elif tok.type == "math_bracket_block":
                # "\[ … \] \[ … \]" on one line: each its own display
                at = begin
                while text.startswith("\\[", at):
                    close = text.find("\\]", at + 2, end)
                    if close < 0:
                        break
                    blocks.append((at + 2, close))
                    at = close + 2
                    while at < end and text[at] in " \t":
                        at += 1
            else:
                close = text.rfind("$$", begin + 2, end)
                # "$$a$$, where $$b$$" on one line is one block to the dollar-math plugin
                # (the line starts and ends with $$); MathJax shows two displays
                cuts = [begin]
                while close >= 0 and (at := text.find("$$", cuts[-1] + 2, close)) >= 0:
                    cuts.append(at)
                cuts.append(close)
                for n in range(0, len(cuts) - 1, 2):
                    blocks.append((cuts[n] + 2, cuts[n + 1]))
                    if n + 2 < len(cuts):  # the prose between two displays
                        keep[cuts[n + 1] + 2:cuts[n + 2]] = b"\x00" * (cuts[n + 2] - cuts[n + 1]
                                                                         - 2)
        elif tok.type == "fence" and tok.map and (fenced := _math_fence(text, starts, tok)):
            a, b = fenced  # ```math ... ``` (GitHub, GitLab): a display
            keep[a:b] = b"\x01" * (b - a)
            kept.append((a, b))
            blocks.append((a, b))
        elif tok.type in ("fence", "code_block") and tok.map:
            a, b = line_span(*tok.map)
            code[a:b] = b"\x01" * (b - a)
            if tok.type == "code_block":  # indented: plain-text maths, unless program code
                code_lines += _plain_code(text, a, b)
        elif tok.type == "html_block" and tok.map:
            a, b = line_span(*tok.map)
            comments += _comment_directives(text, a, b)
            code[a:b] = b"\x01" * (b - a)
            html_maths(delimiters.scan(text, a, b))  # MathJax reads maths in raw HTML
        elif tok.type == "inline" and tok.map and tok.children:
            where = _inline_map(text, starts, tok)
            for child in tok.children:
                span = (child.meta or {}).get("span")
                if span is None:
                    continue
                a, b = span
                if b <= a:
                    continue
                if child.type == "code_inline":
                    for p in range(a, b):
                        code[where(p)] = 1
                elif child.type == "html_inline":
                    comments += _comment_directives(text, where(a), where(b - 1) + 1)
                    if delimiters.SCRIPT.match(child.content):  # <script type="math/tex">
                        html_maths(delimiters.scan(text, where(a), line_span(*tok.map)[1])[:1])
                elif child.type.startswith("math"):
                    for p in range(a, b):
                        keep[where(p)] = 1
                    kept.append((where(a), where(b - 1) + 1))
                    if child.type == "math_env":
                        inner_a, inner_b = child.meta["body"]
                        blocks.append((where(a + inner_a), where(a + inner_b - 1) + 1))
                        continue
                    delim = {"math_inline": 1, "math_inline_double": 2, "math_bracket": 2,
                             "math_paren": 2}.get(child.type, 1)
                    in_prose = child.type in ("math_inline", "math_paren")
                    alone = _alone(text, where(a), where(b - 1) + 1)
                    body = (where(a + delim), where(b - 1 - delim) + 1)
                    if child.type == "math_inline_double" and not alone:
                        # $$…$$ inside prose (kramdown's inline maths): a formula with no
                        # '=' ("the $$i$$th output", "where $$j \neq i$$") is a name or a
                        # condition, not a chain; one with '=' is read as a display
                        if "=" in child.content or is_step(child.content):
                            blocks.append(body)
                    elif not in_prose or alone or is_step(child.content):
                        blocks.append(body)
    # a line that starts with '%' is a comment, as in notes written for LaTeX: its text
    # (a '% derive:' line, a transcription note) is never mathematics
    for m in _PERCENT_LINE.finditer(text):
        keep[m.start():m.end()] = b"\x00" * (m.end() - m.start())
        blocks = [(a, b) for a, b in blocks if not m.start() <= a < m.end()]
        kept = [(a, b) for a, b in kept if not m.start() <= a < m.end()]
    prose = "".join(" " if code[i] and c != "\n" else c for i, c in enumerate(text))
    blocks = [_unwrap(text, a, b) for a, b in blocks]
    transpose = plain_math.transpose_declared(prose)
    plain = _plain_lines(text, paragraph_lines, code_lines, keep, code, blocks, transpose)
    for a, b in plain:
        keep[a:b] = b"\x01" * (b - a)
        kept.append((a, b))
    blocks += plain
    math = "".join(c if keep[i] or c == "\n" else " " for i, c in enumerate(text))
    return Layout(math=math, prose=prose, blocks=tuple(sorted(blocks)),
                  comments=tuple(comments), kept=tuple(kept), inline=frozenset(inline),
                  unclosed=tuple(unclosed), plain=frozenset(plain), transpose=transpose)


def _content_lines(text: str, starts: list[int], tok: Any) -> list[tuple[int, int]]:
    """The (start, end) in the file of each line of a paragraph's content: without its
    container prefix (``> ``) or list marker (``- ``, ``1. ``)."""
    where = _inline_map(text, starts, tok)
    out, at = [], 0
    for piece in tok.content.split("\n"):
        if piece.strip():
            a = where(at)
            if text[a:a + len(piece)] == piece:
                out.append((a, a + len(piece)))
        at += len(piece) + 1
    return out


# a line of program code: a keyword, brackets or quotes, a comparison or an in-place
# update, a statement ending in ':', a method call (an indented block holding one is code)
_PROGRAM = re.compile(r"^\s*(?:def|class|import|from|return|for|while|if|elif|else|print|var|let"
                      r"|const|function|lambda|assert|with|try|except)\b|[;{}\[\]\"`@$\\<>]|=="
                      r"|[-+*/]=|:\s*(?:#.*)?$|[A-Za-z_]\w*\.\w+")
# a comment to the end of the line, after code (# in Python, R, shell; // would be code)
_HASH = re.compile(r"(?:^|\s)#.*$")


def _plain_code(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The lines of the indented code block ``text[start:end]`` that may be plain-text maths,
    each without its ``#`` comment: none when a line of the block is program code
    (:data:`_PROGRAM`), so ``x = x - lr * g`` in a program is never a claim (a fence, which
    names its language, is never read)."""
    out = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        line = _HASH.sub("", m.group())
        if _PROGRAM.search(line):
            return []
        if line.strip():
            out.append((start + m.start(), start + m.start() + len(line.rstrip())))
    return out


def _bare_number(latex: str) -> bool:
    """Is a side of the equation ``latex`` a bare number (``2x + 3 = 7``: an equation to
    solve, not an identity)?"""
    return any(re.fullmatch(r"\s*-?\s*\d+(?:\.\d+)?\s*", side) for side in latex.split("="))


def _plain_lines(text: str, lines: list[tuple[int, int]], code_lines: list[tuple[int, int]],
                 keep: bytearray, code: bytearray, blocks: list[tuple[int, int]],
                 transpose: bool) -> list[tuple[int, int]]:
    """The paragraph lines that are plain-text maths, read as displays: a line that starts
    with ``=`` continues the maths line before it (prose lines may come between: "and I
    expand it"), and a line without a leading ``=`` is read when a ``=`` line continues it
    or when it states a step on its own (:func:`is_step`: not a condition, a range or an
    update ``x = x - lr * g``; nor an equation to solve, ``2x + 3 = 7``). A line with maths
    or code of its own is not plain text (the lines of an indented block that is no program,
    ``code_lines``, are); a maths-like line that does not read, or a display between, ends
    the chain."""
    rows = []  # (start, end, text, translation)
    in_code = set(code_lines)
    for a, b in sorted(set(lines) | in_code):
        if any(keep[a:b]) or ((a, b) not in in_code and any(code[a:b])) or not text[
                a:b].strip():
            continue
        a += len(text[a:b]) - len(text[a:b].lstrip())
        b = a + len(text[a:b].rstrip())
        rows.append((a, b, text[a:b], plain_math.translate(text[a:b], transpose)))
    others = sorted(blocks)
    out: list[tuple[int, int]] = []
    chained = False  # the last maths line read can be continued
    last = -1
    for k, (a, b, line, latex) in enumerate(rows):
        if any(last < s < a for s, _ in others):
            chained = False  # a display between: a '=' line would continue it
        continues = line.startswith("=")
        if latex is None:
            if continues or not plain_math.is_prose(line):
                chained = False
            continue
        if continues:
            if chained:
                out.append((a, b))
                last = b
            continue
        following = next(((r[2], r[3], r[0]) for r in rows[k + 1:] if r[3] is not None
                          or r[2].startswith("=") or not plain_math.is_prose(r[2])), None)
        head = (following is not None and following[1] is not None
                and following[0].startswith("=")
                and not any(b < s < following[2] for s, _ in others))
        if head or (is_step(latex[0]) and not _bare_number(latex[0])):
            out.append((a, b))
            last = b
            chained = True
        else:
            chained = False
    return out


def _math_fence(text: str, starts: list[int], tok: Any) -> tuple[int, int] | None:
    """The span of the body of a fenced block whose info string is ``math`` (GitHub and
    GitLab render it as display maths), or None for any other fence. A body that is not
    the file's own text (an indented fence) is left as code."""
    if tok.info.strip().lower() != "math" or tok.map[0] + 1 >= len(starts):
        return None
    a = starts[tok.map[0] + 1]
    b = a + len(tok.content)
    return (a, b) if text[a:b] == tok.content and tok.content.strip() else None


def _unwrap(text: str, start: int, end: int) -> tuple[int, int]:
    """The body of a display that is one ``equation``/``align``/... environment and nothing
    else (``$$ \\begin{align} … \\end{align} $$``, as MathJax reads it): its inside, as
    for an environment written alone."""
    m = _ENV.match(text, start + len(text[start:end]) - len(text[start:end].lstrip()))
    if m is None:
        return start, end
    tail = f"\\end{{{m['env']}}}"
    close = text.rfind(tail, m.end(), end)
    if close < 0 or text[close + len(tail):end].strip() or text.find(
            f"\\begin{{{m['env']}}}", m.end(), close) >= 0:
        return start, end
    return m.end(), close


def _alone(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` (one ``$…$``) alone on its line? Then it is a display, as
    in the LaTeX reader."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    return "\n" not in text[start:end] and not text[left:start].strip() and not text[
        end:right].strip()


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_closed(lay: Layout, source: str) -> None:
    """A display opener outside code that did not open any mathematics would drop its
    maths silently: refuse it, as the LaTeX reader does."""
    for offset, opening, closing in lay.unclosed:
        line, col = _position(lay.math, offset)
        raise located(source, line, col, f"maths opened with {opening!r} in HTML is never "
                      f"closed: expected {closing!r}")
    inside = sorted(lay.kept)
    for m in _OPENER.finditer(lay.prose):
        if any(a <= m.start() < b for a, b in inside):
            continue
        start = lay.prose.rfind("\n", 0, m.start()) + 1
        if lay.prose[start:m.start()].lstrip().startswith("%"):
            continue  # a '%' comment line (see layout)
        line, col = _position(lay.prose, m.start())
        opener = m.group()
        closer = {"$$": "$$", "\\[": "\\]"}.get(opener, opener.replace("begin", "end"))
        raise located(source, line, col, f"display math {opener!r} is never closed: expected "
                      f"{closer!r} (or it is opened inside another display or a paragraph "
                      "Markdown does not read as maths)")


def directives(text: str, lay: Layout, source: str) -> list[Directive]:
    """The declarations of Markdown notes: ``% derive:`` lines outside code and the lines
    of ``<!-- derive: … -->`` comments, in the order they are written."""
    found = find_directives(lay.prose, source)
    for offset, body in lay.comments:
        line, col = _position(text, offset)
        found.append(directive(source, line, col, body))
    return sorted(found, key=lambda d: (d.line, d.col))


def read(text: str, source: str) -> Notes:
    """The notes of the Markdown ``text`` (``source`` names it in messages)."""
    check_size(text, source)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lay = layout(text)
    check_closed(lay, source)
    found = directives(text, lay, source)
    notes = build_notes(text, blank_comments(lay.math), found, source,
                        lambda clean, _source: list(lay.blocks), inline=lay.inline)
    return translate_plain(notes, lay)


def translate_plain(notes: Notes, lay: Layout) -> Notes:
    """The segments read from plain-text maths lines, written in LaTeX (each character
    keeping its position in the file) by :func:`derive.latex.sources.plain_math.translate`."""
    if not lay.plain:
        return notes
    plain = {n for n, span in enumerate(lay.blocks) if span in lay.plain}
    segments = []
    for seg in notes.segments:
        if seg.block not in plain or seg.error:
            segments.append(seg)
            continue
        got = plain_math.translate(seg.text, lay.transpose)
        if got is None:
            error = str(located(notes.source, seg.line, seg.col, "plain-text maths "
                                f"{seg.text.strip()!r} is not read: expected one formula"))
            segments.append(replace(seg, error=error))
            continue
        latex, at = got
        where = (tuple(seg.positions[k] for k in at) if seg.positions is not None
                 else tuple((seg.line, seg.col + k) for k in at))
        segments.append(replace(seg, text=latex, positions=where))
    return replace(notes, segments=tuple(segments))
