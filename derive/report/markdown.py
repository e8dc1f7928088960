"""Markdown notes as a minimal LaTeX document: headings, paragraphs, emphasis, quotes, math.

Only what the transcribed notes use is converted; math (``$…$``, ``$$…$$``) is passed
through untouched, and every line keeps its line number, so the verifier's ``file:line``
still points at the same line of the annotated copy.

>>> print(md_inline('We *minimize* "the loss" where f_j is a score.'))
We \\emph{minimize} ``the loss'' where $f_j$ is a score.
"""

from __future__ import annotations

import re

from derive.report.tables import escape_text

__all__ = ["PRIVATE", "markdown_to_latex", "md_inline"]

#: Characters the annotated copy uses to mark insertion points; they pass through as is.
PRIVATE = re.compile("\ue000[0-9]+\ue001")

#: Inline rewrites of the prose, in order: (pattern, LaTeX). The prose is escaped only
#: *after* being cut at these matches, so a rewrite never sees escaped text.
_INLINE = (
    (re.compile(r"\\?\*\\?\*(?=\S)(.+?)(?<=\S)\\?\*\\?\*"), r"\textbf{%s}"),
    (re.compile(r"(?<![\w*\\])\\?\*(?=[^\s*])([^*]+?)(?<=[^\s\\])\\?\*(?![\w*])"), r"\emph{%s}"),
    (re.compile(r"(?<![\w])\"([^\"\n]+)\""), r"``%s''"),
    (re.compile(r"(?<![\w])'([^'\n]+)'(?![\w])"), r"`%s'"),
)
#: A subscripted name in prose (``f_j``, ``f_{y_i}``, ``y_{n,k}``) is math the author
#: typed without dollars.
_SUBSCRIPT = re.compile(
    r"(?<![\w\\$])([A-Za-z]+_(?:\{[^{}\s]+(?:\{[^{}]*\})?[^{}\s]*\}|[A-Za-z0-9]))(?![\w])")
_SYMBOLS = {"□": r"$\square$", "∎": r"$\blacksquare$"}


def md_inline(line: str) -> str:
    """One line of Markdown prose as LaTeX (``$…$`` kept as is)."""
    parts = re.split(r"(\$[^$]+\$|\\\(.*?\\\)|\ue000[0-9]+\ue001)", line)
    return "".join(p if (p.startswith(("$", "\\(")) and len(p) > 1) or PRIVATE.fullmatch(p)
                   else _prose(p) for p in parts)


def _prose(text: str) -> str:
    return _rewrite(text, 0)


def _escape(text: str) -> str:
    return "".join(_SYMBOLS.get(ch) or escape_text(ch) for ch in text)


def _rewrite(text: str, level: int) -> str:
    if level == len(_INLINE):
        pieces = _SUBSCRIPT.split(text)
        return "".join(f"${p}$" if n % 2 else _escape(p) for n, p in enumerate(pieces))
    pattern, tex = _INLINE[level]
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(_rewrite(text[pos : m.start()], level + 1))
        out.append(tex % _rewrite(m.group(1), level + 1))
        pos = m.end()
    out.append(_rewrite(text[pos:], level + 1))
    return "".join(out)


#: Display math in Markdown notes: ``$$…$$``, ``\\[…\\]`` and a bare LaTeX environment.
_MD_DISPLAY = re.compile(
    r"\$\$(?P<dollars>.*?)\$\$"
    r"|\\\[(?P<brackets>.*?)\\\]"
    r"|(?P<env>\\begin\{(?P<name>align|equation|gather|multline|eqnarray|flalign)\*?\}"
    r".*?\\end\{(?P=name)\*?\})",
    re.S,
)


def display_tex(body: str) -> str:
    r"""One display's contents as a LaTeX display that pdflatex sets as MathJax does: rows
    separated by a top-level ``\\`` become a ``gather*`` (``\[…\]`` cannot hold rows: TeX
    would print them on one line or over each other); the same lines, so the verifier's
    line numbers still match.

    >>> print(display_tex(r" a = b \\ = c "))
    \begin{gather*} a = b \\ = c \end{gather*}
    >>> print(display_tex(r" \begin{aligned} a &= b \\ &= c \end{aligned} "))
    \[ \begin{aligned} a &= b \\ &= c \end{aligned} \]
    """
    if re.fullmatch(r"\s*\\begin\{(equation|align|gather|multline|flalign|eqnarray)\*?\}.*"
                    r"\\end\{\1\*?\}\s*", body, re.S):
        return body  # a display environment already: LaTeX refuses it inside \[…\]
    if _top_level_rows(body):
        return "\\begin{gather*}" + body + "\\end{gather*}"
    return "\\[" + body + "\\]"


def _top_level_rows(body: str) -> bool:
    depth = 0
    for m in re.finditer(r"\\begin\{|\\end\{|\\\\", body):
        if m.group(0) == "\\begin{":
            depth += 1
        elif m.group(0) == "\\end{":
            depth -= 1
        elif depth == 0:
            return True
    return False


def markdown_to_latex(text: str, preamble: str = "") -> str:
    r"""A minimal LaTeX document for Markdown notes; ``preamble`` goes before
    ``\begin{document}``.

    >>> r"\section*{Intro}" in markdown_to_latex("# Intro\n")
    True
    >>> r"\begin{gather*} a \\ = a \end{gather*}" in markdown_to_latex(r"\[ a \\ = a \]")
    True
    """
    out: list[str] = []
    pos = 0
    for m in _MD_DISPLAY.finditer(text):
        out.append(_md_text(text[pos : m.start()]))
        if m.group("env") is not None:  # a LaTeX environment typed in the Markdown
            out.append(m.group("env"))
        else:
            # $$…$$ and \[…\] become a LaTeX display (amsmath refuses split and aligned
            # inside $$, MathJax does not); same lines, so line numbers still match.
            body = m.group("dollars") if m.group("dollars") is not None else m.group("brackets")
            out.append(display_tex(body))
        pos = m.end()
    out.append(_md_text(text[pos:]))
    head = (
        "\\documentclass[10pt,a4paper]{article}\\usepackage[T1]{fontenc}\\usepackage{lmodern}"
        "\\usepackage{amsmath,amssymb}"
        # a wide right margin: the verdicts and their reasons go there
        "\\usepackage[left=2cm,right=5.4cm,top=2.2cm,bottom=2.5cm,marginparwidth=4.3cm,"
        "marginparsep=0.4cm]{geometry}"
        "\\setlength{\\parindent}{0pt}\\setlength{\\parskip}{0.4\\baselineskip}"
    )
    return head + preamble + "\\begin{document}" + "".join(out) + "\n\\end{document}\n"


def _md_text(chunk: str) -> str:
    lines = []
    for line in chunk.split("\n"):
        heading = re.match(r"\s*(#+)\s*(.*)", line)
        bullet = re.match(r"\s*[*-]\s+(.*)", line)
        if line.lstrip().startswith("%"):  # the notes' own LaTeX comments stay comments
            lines.append(line)
        elif heading:
            level = len(heading.group(1))
            cmd = ("section", "section", "subsection", "subsubsection")[min(level, 4) - 1]
            lines.append(rf"\{cmd}*{{" + md_inline(heading.group(2)) + "}")
        elif bullet:
            lines.append(r"\textbullet~" + md_inline(bullet.group(1)))
        else:
            lines.append(md_inline(line))
    return "\n".join(lines)
