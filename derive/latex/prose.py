"""Definitions the notes state in their prose: "where $p = \\mathrm{softmax}(z)$".

People define symbols in running text as often as in displays: "Let $a_j = \\sum_i w_{ij} x_i$",
"where \\(p_k = e^{z_k} / \\sum_c e^{z_c}\\)", "Softmax: \\(\\hat y_i = ...\\)", "we denote
$s := Wx$". Every source kind keeps its prose in :attr:`Notes.text` and its maths in
:attr:`Notes.math` (same lines and columns), so one reader serves LaTeX, Markdown and notebook
cells alike.

An inline formula is a definition when it is ``<name> = <body>`` (or ``:=``, ``\\coloneqq``,
``\\triangleq``, ``\\equiv``, ``\\stackrel{\\text{def}}{=}``) and

- the name is a symbol with at most index letters as subscripts and optional arguments
  (``p_k``, ``\\hat{y}_i``, ``\\mathcal{L}``, ``J(\\theta)``);
- the body is not a bare number (``$y_i = 1$`` is a condition on a label, not a definition)
  and does not contain the name itself (``$x = x$``);
- the name is not a single lower-case letter set to another one (``$i = j$``, ``$i = k +
  1$``) where either letter is written as an index (in a subscript) somewhere in the notes;
  ``$a = x$`` beside no ``x_i`` or ``a_j`` names ``a``.

The result is a list of :class:`InlineDefinition` with the file position of the name; the
inference (:mod:`derive.latex.infer`) turns them into ``let`` lines when their names are not
declared by hand.

>>> from derive.latex.chains import extract
>>> notes = extract("where $p_k = e^{z_k}$ and $y_k = 1$.\\n$$a = b$$\\n", "n.tex")
>>> [(d.line, d.col, d.pattern, d.body) for d in inline_definitions(notes)]
[(1, 8, 'p_k', 'e^{z_k}')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from derive.latex.definition_words import PROSE_CONDITIONS

__all__ = ["DEFINING", "InlineDefinition", "conditioned", "inline_definitions", "inline_math",
           "numeric_settings", "sections"]

# the spellings of "is defined as" between a name and its body
DEFINING = re.compile(
    r":=|=:|\\coloneqq|\\triangleq|\\equiv|\\doteq|\\stackrel\{[^{}]*\}\{=\}"
    r"|\\overset\{[^{}]*\}\{=\}|\\mathrel\{:\}="
)
# inline maths: $...$ (not $$) and \(...\)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(?P<d>[^$\n]+?)(?<!\\)\$(?!\$)|\\\((?P<p>.+?)\\\)",
                     re.DOTALL)
# a name: one letter, a Greek or font-decorated letter, \mathcal{L}, \text{...}; then
# optional subscripts of index letters and an optional argument list
_NAME = (r"(?:\\(?:mathcal|mathbf|boldsymbol|bm|hat|tilde|bar|vec|mathrm|operatorname|text)"
         r"\s*\{\s*(?:\\?[A-Za-z]+|\\[A-Za-z]+\s*\{\s*\\?[A-Za-z]+\s*\})\s*\}"
         r"|\\[A-Za-z]+|[A-Za-z])")  # (one decoration inside another: \hat{\mathbf{y}})
_PATTERN = re.compile(
    rf"^\s*(?P<name>{_NAME})(?P<scripts>(?:\s*[_^]\s*(?:\{{[^{{}}]*\}}|\\?[A-Za-z0-9]))*)"
    r"\s*(?P<args>\([^()]*\))?\s*$"
)
_NUMBER = re.compile(r"^\s*-?\s*\d+(?:\.\d+)?\s*[.,]?\s*$")
# "for $j = 1, \ldots, m$": a range the index runs over, neither a value nor a condition
_RANGE = re.compile(r"\\[lc]?dots|\.\.\.|\u2026")
_NOT_NAMES = frozenset({"\\log", "\\ln", "\\exp", "\\partial", "\\nabla", "\\sum", "\\prod",
                        "\\frac", "\\delta", "\\left", "\\right"})


@dataclass(frozen=True)
class InlineDefinition:
    """``pattern = body`` written inline at ``line``:``col`` (the pattern's position)."""

    line: int
    col: int
    pattern: str
    body: str
    name: str


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def inline_math(text: str, math: str = "") -> list[tuple[int, str]]:
    """(offset, body) of every inline formula of ``text`` that ``math`` (the same text with
    what is not mathematics blanked, as the source readers give it) keeps as maths; a
    formula alone on its line is a display, not inline."""
    out = []
    for m in _INLINE.finditer(text):
        group = "d" if m.group("d") is not None else "p"
        start, body = m.start(group), m.group(group)
        if group == "d" and math and not math[start:start + len(body)].strip():
            continue  # in code, or in a comment (\\(...\\) is MathJax's, in any source)
        left = text.rfind("\n", 0, m.start()) + 1
        right = text.find("\n", m.end())
        right = len(text) if right < 0 else right
        if not text[left:m.start()].strip() and not text[m.end():right].strip():
            continue  # a display
        out.append((start, body))
    return out


def _split(body: str) -> tuple[int, str, str] | None:
    """(offset of the body, pattern, body) of ``name = body`` / ``name := body``."""
    op = DEFINING.search(body)
    if op is not None:
        return op.end(), body[:op.start()], body[op.end():]
    depth = 0
    at = -1
    for n, ch in enumerate(body):
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        elif ch == "=" and depth == 0:
            if at >= 0:
                return None  # a chain a = b = c is not one definition
            at = n
    if at < 0:
        return None
    return at + 1, body[:at], body[at + 1:]


# a subscript: one letter or a braced group (one level of nesting), commands dropped
_SUBSCRIPT = re.compile(r"_\s*(?:\{((?:[^{}]|\{[^{}]*\})*)\}|([A-Za-z]))")


def subscript_letters(math: str) -> set[str]:
    """The lower-case letters the notes write in a subscript (``x_i``, ``\\sum_{k=1}``,
    ``w_{ij}``): letters used as indices somewhere.

    >>> sorted(subscript_letters(r"x_i + \\sum_{k=1}^K w_{\\alpha j} + a = x"))
    ['i', 'j', 'k']
    """
    out: set[str] = set()
    for m in _SUBSCRIPT.finditer(math):
        body = re.sub(r"\\[A-Za-z]+", " ", m.group(1) if m.group(1) is not None else m.group(2))
        out.update(re.findall(r"[a-z]", body))
    return out


def inline_definitions(notes: object) -> list[InlineDefinition]:
    """The inline formulas of ``notes`` (a :class:`~derive.latex.chains.Notes`) that define a
    name (see the module docstring), in the order they are written."""
    text: str = getattr(notes, "text", "")
    math: str = getattr(notes, "math", "") or ""
    out: list[InlineDefinition] = []
    indices = subscript_letters(math or text)
    for start, body in inline_math(text, math):
        parts = _split(body)
        if parts is None or conditioned(text, start):
            continue  # "If $a = 2b$ ...": a condition, not a definition (numeric_settings)
        _, pattern, rhs = parts
        m = _PATTERN.match(pattern)
        if m is None or m.group("name") in _NOT_NAMES:
            continue
        rhs_clean = re.sub(r"[.,;]\s*$", "", rhs).strip()
        if not rhs_clean or _NUMBER.match(rhs_clean):
            continue  # y_i = 1: a condition, not a definition
        name = re.sub(r"\s+", "", m.group("name"))
        if _index_equation(m, rhs_clean, indices):
            continue  # i = j, i = k + 1 beside x_i: indices (a = x, h = x + 2: names)
        if re.search(rf"(?<![A-Za-z\\]){re.escape(m.group('name'))}(?![A-Za-z])", rhs_clean):
            continue  # recursive (x = x + 1): an update, not a definition
        lead = len(pattern) - len(pattern.lstrip())
        line, col = _position(text, start + lead)
        out.append(InlineDefinition(line, col, pattern.strip(), rhs_clean, name))
    return out


_MD_HEADING = re.compile(r"^#{1,6}\s", re.MULTILINE)
_TEX_SECTION = re.compile(r"\\(?:chapter|section|subsection)\*?\s*\{", re.MULTILINE)


def sections(notes: object) -> list[int]:
    """The first line of every section of the notes after the first: Markdown ``#``
    headings (outside code: ``math``/``text`` tell), LaTeX ``\\section``/``\\subsection``,
    and a notebook's cells that start with a heading."""
    text: str = getattr(notes, "text", "")
    starts = {_position(text, m.start())[0] for m in _TEX_SECTION.finditer(text)}
    if not getattr(notes, "source", "").endswith(".tex"):
        starts |= {_position(text, m.start())[0] for m in _MD_HEADING.finditer(text)}
    return sorted(starts)


def _index_equation(m: re.Match[str], rhs: str, indices: set[str]) -> bool:
    """``i = j``, ``i = k + 1`` where a letter is written as an index in the notes: a
    condition on indices, not a definition."""
    name = re.sub(r"\s+", "", m.group("name"))
    lone = re.fullmatch(r"([a-z])(?:\s*[+-]\s*\d+)?", re.sub(r"[.,;]\s*$", "", rhs).strip())
    return (re.fullmatch(r"[a-z]", name) is not None and not m.group("scripts")
            and lone is not None and bool({name, lone.group(1)} & indices))


def conditioned(text: str, start: int) -> bool:
    """Whether the inline formula at offset ``start`` of ``text`` follows a condition word
    ("If $a = 2b$", "For $x = y$", "Wenn $a = b$": derive.latex.definition_words).

    >>> conditioned("If $a = b$", 4), conditioned("Let $a = b$", 5)
    (True, False)
    """
    before = text[max(0, start - 120):start].rsplit("\n\n", 1)[-1]
    return PROSE_CONDITIONS.search(before) is not None


def numeric_settings(notes: object) -> list[tuple[int, int, str, int | None]]:
    """(line, col, name) of every inline ``name = number`` with a plain name (no scripts,
    no arguments), "Let $a = 3$", "for $x = 0$", and of every inline ``name = ...`` after
    a condition word ("If $a = 2b$"). Not definitions (a value may be a point the prose
    evaluates at, a condition what follows holds under: :func:`inline_definitions`), but
    the name is not free either: the caller decides what a step may claim about it. So is
    an index equation (``$i = j$`` beside ``x_i``: a condition on indices). The last item:
    the line a condition stops applying at (:func:`condition_reach`), None for a value.

    >>> from derive.latex.chains import extract
    >>> numeric_settings(extract("Let $a = 3$ and $y_i = 1$. If $c = 2d$, d.\\n", "n.md"))
    [(1, 6, 'a', None), (1, 32, 'c', 1)]
    """
    text: str = getattr(notes, "text", "")
    math: str = getattr(notes, "math", "") or ""
    indices = subscript_letters(math or text)
    out = []
    for start, body in inline_math(text, math):
        parts = _split(body)
        if parts is None:
            continue
        _, pattern, rhs = parts
        m = _PATTERN.match(pattern)
        if m is None or _RANGE.search(rhs) or m.group("scripts") or m.group("args") or m.group(
                "name") in _NOT_NAMES or not (_NUMBER.match(rhs) or conditioned(text, start)
                                              or _index_equation(m, rhs, indices)):
            continue
        lead = len(pattern) - len(pattern.lstrip())
        line, col = _position(text, start + lead)
        # a value ("Let $a = 3$") holds on; a condition ("If $i = j$") for what it opens,
        # nothing when its sentence ends before a display ("... is 1 if $j = k$ and 0
        # otherwise.": it explains a notation)
        scoped = not _NUMBER.match(rhs) or conditioned(text, start)
        end = ((line if _sentence_closes(text, start + len(body))
                else condition_reach(text, math, line)) if scoped else None)
        out.append((line, col, re.sub(r"\s+", "", m.group("name")), end))
    return out


_DISPLAY_START = re.compile(r"\$\$|\\\[|\\begin\{|\n[ \t]*\n")
_INLINE_ANY = re.compile(r"\$[^$\n]*\$|\\\(.*?\\\)")


def _sentence_closes(text: str, after: int) -> bool:
    """Does the sentence of the inline formula ending at offset ``after`` (its closing
    delimiter next) end before the next display or paragraph?

    >>> t = "where $d$ is 1 if $j = k$ and 0 otherwise.\\n$$a = b$$"
    >>> _sentence_closes(t, t.index("k$") + 1), _sentence_closes("If $j = k$,\\n$$a$$", 9)
    (True, False)
    """
    rest = re.sub(r"^(?:\$|\\\))", "", text[after:])
    stop = _DISPLAY_START.search(rest)
    prose = _INLINE_ANY.sub(" ", rest[:stop.start() if stop else len(rest)])
    return re.search(r"[.!?](?:\s|$)", prose) is not None


def condition_reach(text: str, math: str, line: int) -> int:
    """The line where a condition stated in the prose at ``line`` stops applying: the next
    line of prose after the maths that follows it ("If $i = j$, [display] And if ...").

    >>> condition_reach("If $i = j$,\\n$$ a = b $$\\nAnd if not\\n", "", 1)
    3
    """
    lines = text.split("\n")
    masked = math.split("\n") if math else [_masked(t) for t in lines]
    seen_math = False
    for n in range(line, len(lines)):  # 0-based n is line n + 1
        prose = lines[n].strip() and not (masked[n] if n < len(masked) else "").strip()
        seen_math = seen_math or bool(n < len(masked) and masked[n].strip())
        if seen_math and prose and not lines[n].lstrip().startswith("%"):
            return n + 1
    return len(lines) + 1


def _masked(line: str) -> str:
    """A line's maths (its display and inline formulas), the rest blanked: the reader of a
    source without a maths mask."""
    return " ".join(re.findall(r"\$\$.*?\$\$|\$[^$]+\$|\\\[.*?\\\]|\\\(.*?\\\)|^\s*\$\$.*|"
                               r"\\(?:begin|end)\{.*", line))
