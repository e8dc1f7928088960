"""What the report cites and how it writes things: the sources (the five seed notes; each
family's notation adds the textbooks that state its formulas), one sign convention, and
the wrong variants' labels as mathematics.

>>> print(variant_tex("σ_k for σ_j"))
$\\sigma_{k}$ for $\\sigma_{j}$
>>> print(variant_tex("without Σ_k Y_nk = 1"))
without $\\sum_{k} Y_{nk} = 1$
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import sympy as sp

from derive.report.tables import MATH_CHARS, escape_text

__all__ = ["SEEDS", "bibliography", "cite_source", "corpus_references", "corpus_sentence",
           "one_sign", "variant_tex"]

#: key -> (authors, title, where/when): the notes in ``derive/examples``.
SEEDS: dict[str, tuple[str, str, str]] = {
    "seed000": ("R. Dehak", "The derivative of LLK score function with the Multinomial "
                "Logistic function", "lecture note, October 2022 (seed 000)"),
    "seed001": ("anonymous course notes", "Artificial Intelligence and Machine Learning: "
                "Derivation of the Gradient for Softmax Regression", "(seed 001)"),
    "seed002": ("anonymous lecture slides", "Softmax classifier", "page 13 of 18 (seed 002)"),
    "seed003": ("J. Waite", "A lurid account of the time X crossed Smigh: Calculating "
                "textbook softmax derivatives", "blog post, February 2020 (seed 003)"),
    "seed004": ("J. McReynolds", "CS 584-A: Derivative of Cross-Entropy Softmax",
                "course notes, 27 February 2021 (seed 004)"),
}


def corpus_references(folder: Path | None = None) -> dict[str, tuple[str, str, str]]:
    """``corpusNN -> (who, title, address)`` from the ``% source:`` and ``% title:`` lines of
    the published derivations shipped in ``derive/corpus`` (``{}`` if there are none).

    >>> refs = corpus_references()
    >>> all(k.startswith("corpus") for k in refs) and len(refs) >= 10
    True
    """
    folder = folder or Path(__file__).resolve().parent.parent / "corpus"
    out: dict[str, tuple[str, str, str]] = {}
    for path in sorted(folder.glob("[0-9]*.*")) if folder.is_dir() else []:
        if path.suffix not in (".md", ".tex", ".ipynb"):
            continue
        head = path.read_text(encoding="utf-8", errors="replace").splitlines()[:12]
        source = next((ln.split(":", 1)[1].strip() for ln in head
                       if ln.lstrip("# ").startswith("% source:")), "")
        title_at = next((n for n, ln in enumerate(head) if ln.startswith("% title:")), None)
        title = ""
        if title_at is not None:  # a title may go on over the next comment lines
            title = head[title_at].split(":", 1)[1].strip()
            for ln in head[title_at + 1:]:
                if not ln.startswith("% ") or re.match(r"% \w+:", ln):
                    break
                title += " " + ln[2:].strip()
        title = re.sub(r'"([^"]*)"', r"\1", title)  # set in italics: no quotes needed
        if source:
            key = "corpus" + path.name[:2]
            out[key] = ("published derivation", title or path.stem, source)
    return out


def corpus_sentence(refs: Mapping[str, tuple[str, str, str]]) -> str:
    """The sentence that cites the published derivations (empty when there are none)."""
    if not refs:
        return ""
    return ("Beyond this catalogue, \\texttt{derive verify -{}-corpus} checks "
            f"{len(refs)} published derivations (blog posts, answers, course notes and library "
            "documentation) step by step~\\cite{" + ",".join(refs) + "}; their verdicts are "
            "printed by that command and in their annotated copies, not in this report.")


def cite_source(source: str) -> str:
    """``seed 000, eq. (8)`` -> ``\\cite[eq.~(8)]{seed000}``; other text escaped.

    >>> print(cite_source("seed 004, §1.1"))
    \\cite[\\S{}1.1]{seed004}
    >>> print(cite_source("second derivative of seed 001's loss"))
    second derivative of~\\cite{seed001}'s loss
    """
    m = re.fullmatch(r"seed (\d{3}),\s*(.+)", source)
    if m:
        return rf"\cite[{escape_text(m[2]).replace('eq. ', 'eq.~')}]{{seed{m[1]}}}"
    parts = re.split(r"seed (\d{3})", source)
    text = "".join(rf"\cite{{seed{p}}}" if n % 2 else _breakable(escape_text(p))
                   for n, p in enumerate(parts))
    return text.replace(r" \cite", r"~\cite")


def _breakable(text: str) -> str:
    """Escaped text whose addresses may break after ``/``, ``.`` and ``_`` (a narrow
    table column holds ``cs.toronto.edu/~hinton/csc2515/notes/lec3``)."""
    return re.sub(r"(/|\.(?=[A-Za-z])|\\_)", r"\1\\allowbreak{}", text)


def bibliography(references: Mapping[str, tuple[str, str, str]] | None = None) -> str:
    """A ``thebibliography`` of the seeds and ``references`` (no BibTeX run needed)."""
    every = {**SEEDS, **(references or {})}
    items = "\n".join(rf"\bibitem{{{key}}} {_initials(escape_text(who))}. "
                      rf"\emph{{{escape_text(title)}}}. {_where(where)}\@."
                      for key, (who, title, where) in every.items())
    return "\\begin{thebibliography}{9}\n" + items + "\n\\end{thebibliography}"


def _where(where: str) -> str:
    """A place or an address; an address is typeset as a URL that may break."""
    if re.match(r"https?://", where):
        return r"\url{" + where.replace("%", r"\%").replace("#", r"\#") + "}"
    return escape_text(where)


def _initials(names: str) -> str:
    """``C. M. Bishop`` with ties after the initials (no line break, no sentence space)."""
    return re.sub(r"\b([A-Z])\. ", r"\1.~", names)


# a word is mathematics if it has a symbol, a digit or an operator, or is made of single
# letters and brackets (``s)(s``: the middle of ``s(1 − s)(s − y)``)
_MATH_WORD = re.compile(r"[^\x00-\x7f]|[_/=0-9+]|^[A-Za-z]\)?$|^(?:[()]|[A-Za-z](?![A-Za-z]))+$")
_GREEK = {"σ": r"\sigma", "δ": r"\delta", "λ": r"\lambda", "θ": r"\theta", "Σ": r"\sum",
          "−": "-", "ε": r"\varepsilon"}


def _math_char(ch: str) -> str:
    """One character of a label's mathematics, safe for pdflatex: the notes' symbols as
    commands, braces escaped, any other non-ASCII character as ``?`` (never raw)."""
    if ch in _GREEK:
        return _GREEK[ch] + (" " if len(_GREEK[ch]) > 1 else "")
    if ch in MATH_CHARS:
        return MATH_CHARS[ch] + " "
    if ch in "{}#%&$":
        return "\\" + ch
    return ch if ord(ch) < 128 else "?"


def _math(span: str) -> str:
    bars = iter([r"\lVert ", r"\rVert "] * span.count("‖"))
    span = re.sub("‖", lambda m: next(bars), span).replace("²", "^2")
    out = "".join(_math_char(ch) for ch in span)
    out = re.sub(r"_([A-Za-z0-9]+)", r"_{\1}", out)
    return re.sub(r" +", " ", re.sub(r" ([_^}])", r"\1", out)).strip()


def variant_tex(label: str) -> str:
    """A wrong variant's label with its mathematics set as mathematics."""
    words = label.split(" ")
    out: list[str] = []
    run: list[str] = []
    for word in words:
        if _MATH_WORD.search(word) and not re.fullmatch(r"[A-Za-z]{1,2}\d", word):
            run.append(word)
            continue
        if run:
            out.append("$" + _math(" ".join(run)) + "$")
            run = []
        out.append(escape_text(word))
    if run:
        out.append("$" + _math(" ".join(run)) + "$")
    # a closing bracket the math did not open stays in the text: "(no $1/N$)"
    return " ".join(re.sub(r"^\$([^()]*)\)\$$", r"$\1$)", w) for w in out)


def one_sign(expr: sp.Expr) -> sp.Expr:
    """The same value with a leading minus taken into a difference: ``-(1/N) Σ X (Y − σ)``
    is written ``(1/N) Σ X (σ − Y)``, the convention of every other claim.

    >>> a, b, c = sp.symbols("a b c")
    >>> one_sign(-c * (a - b))
    c*(-a + b)
    """
    if isinstance(expr, sp.Add):
        return sp.Add(*(one_sign(t) for t in expr.args))
    if isinstance(expr, sp.Mul):
        coeff, rest = expr.as_coeff_Mul()
        if coeff.is_negative:
            flipped = _negated(rest)
            if flipped is not None:
                return -coeff * flipped
    return expr


def _negated(expr: sp.Expr) -> sp.Expr | None:
    if isinstance(expr, sp.Add) and len(expr.args) == 2:
        return sp.Add(*(-t for t in expr.args))
    if isinstance(expr, sp.Sum):
        inner = _negated(expr.function)
        return None if inner is None else sp.Sum(inner, *expr.limits)
    if isinstance(expr, sp.Mul):
        for pos, factor in enumerate(expr.args):
            flipped = _negated(factor)
            if flipped is not None:
                return sp.Mul(*expr.args[:pos], flipped, *expr.args[pos + 1 :])
    return None
