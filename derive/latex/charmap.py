"""The one character table of the reader: every non-ASCII character of the notes' math is
mapped to its LaTeX reading before anything else looks at the text.

People paste mathematics from rendered pages and PDFs: ``5 − 3`` with U+2212, ``σ′``,
``∑ₖ``, ``x²``, ``θ ∈ ℝ^D``, full-width or mathematical-alphanumeric letters. Each such
character is read exactly once, here, as the LaTeX a writer would have typed (``-``,
``\\sigma'``, ``\\sum_{k}``, ``x^{2}``, ``\\in \\mathbb{R}``), so later stages see ASCII
LaTeX only and never test a raw character that could have a twin. The rules, in order:

1. the explicit table ``TABLE`` (minus and dashes, dots, ``×``, ``·``, Greek letters,
   primes, relations, big operators, ``∂``, ``∇``, invisible and Unicode spaces);
2. superscript and subscript characters (``<super>``/``<sub>`` in Unicode's decomposition):
   a run becomes one script, ``x⁻¹`` is ``x^{-1}`` (never NFKC's ``x-1``);
3. styled letters (``<font>``: mathematical bold, double-struck, script, italic ...) keep
   their style as the LaTeX font command (``𝟙`` is ``\\mathbb{1}``, ``𝐱`` is ``\\mathbf{x}``,
   ``𝑥`` is ``x``);
4. any other character whose NFKC form is ASCII or in the table (full-width ``＋``,
   no-break spaces, ligatures) is read as that form.

A character none of these reads raises a located ``DeriveError`` naming it (``unknown
character '⊕' (U+2295 CIRCLED PLUS)``): never a guess.

>>> normalize("5 − 3")[0]
'5 - 3'
>>> normalize("∂σₖ/∂zⱼ")[0]
'\\\\partial \\\\sigma _{k}/\\\\partial z_{j}'
"""

from __future__ import annotations

import unicodedata

__all__ = ["TABLE", "UnknownCharacter", "normalize", "read_char"]

_MINUS = "-"
TABLE: dict[str, str] = {
    # minus and the dashes people paste for it
    "\u2212": _MINUS, "\u2010": _MINUS, "\u2011": _MINUS, "\u2012": _MINUS,
    "\u2013": _MINUS, "\u2014": _MINUS, "\ufe63": _MINUS, "\uff0d": _MINUS,
    # products and dots
    "\u00d7": "\\times ", "\u00b7": "\\cdot ", "\u22c5": "\\cdot ", "\u2219": "\\cdot ",
    "\u2217": "*", "\u00f7": "/", "\u2044": "/", "\u2215": "/",
    "\u2026": "\\ldots ", "\u22ef": "\\cdots ", "\u22ee": "\\vdots ", "\u22f1": "\\ddots ",
    # primes (and the typographic apostrophe pasted for one)
    "\u2032": "'", "\u2033": "''", "\u2034": "'''", "\u2019": "'",
    # relations: read as their commands, which the tokenizer accepts or explains
    "\u2264": "\\le ", "\u2266": "\\le ", "\u2a7d": "\\le ",
    "\u2265": "\\ge ", "\u2267": "\\ge ", "\u2a7e": "\\ge ",
    "\u2260": "\\neq ", "\u2208": "\\in ", "\u2209": "\\notin ", "\u220a": "\\in ",
    "\u2248": "\\approx ", "\u221d": "\\propto ", "\u223c": "\\sim ", "\u2243": "\\simeq ",
    "\u2254": "\\coloneqq ", "\u225c": "\\triangleq ", "\u225d": "\\triangleq ",
    "\u2261": "\\equiv ", "\u2192": "\\to ", "\u21a6": "\\mapsto ", "\u21d2": "\\Rightarrow ",
    "\u27f9": "\\implies ", "\u21d4": "\\iff ", "\u27fa": "\\iff ", "\u2282": "\\subset ",
    "\u2286": "\\subseteq ", "\u00b1": "\\pm ", "\u2213": "\\mp ",
    # operators
    "\u2211": "\\sum ", "\u220f": "\\prod ", "\u2202": "\\partial ", "\u2207": "\\nabla ",
    "\u222b": "\\int ", "\u221a": "\\sqrt ", "\u2297": "\\otimes ", "\u2299": "\\odot ",
    "\u2218": "\\circ ", "\u22a4": "\\top ", "\u221e": "\\infty ", "\u2229": "\\cap ",
    "\u222a": "\\cup ", "\u2205": "\\emptyset ", "\u2216": "\\setminus ", "\u2200": "\\forall ",
    "\u2203": "\\exists ", "\u2016": "\\| ", "\u2223": "\\mid ", "\u27e8": "\\langle ",
    "\u27e9": "\\rangle ", "\u2113": "\\ell ",
    # invisible characters
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
}
# Greek letters, by unicode-math's reading (ε U+03B5 is \varepsilon, ϵ U+03F5 is \epsilon).
# Capitals that look like Latin letters (Α, Β, Κ ...) have no LaTeX command of their own and
# are not read: Κ is not K, a homoglyph must not become a declared size.
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "varepsilon",
    "ϵ": "epsilon", "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "vartheta", "ι": "iota",
    "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho",
    "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "varphi", "ϕ": "phi", "χ": "chi",
    "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda",
    "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi",
    "Ω": "Omega",
}
TABLE.update({ch: f"\\{name} " for ch, name in _GREEK.items()})

_FONTS = (  # a styled letter's name -> the LaTeX command that keeps the style
    ("DOUBLE-STRUCK", "mathbb"), ("BOLD SCRIPT", "mathcal"), ("SCRIPT", "mathcal"),
    ("BOLD FRAKTUR", "mathbf"), ("FRAKTUR", ""), ("BOLD", "mathbf"),
    ("SANS-SERIF", ""), ("MONOSPACE", ""), ("ITALIC", ""),
)


class UnknownCharacter(ValueError):
    """A character the table does not read; ``offset`` is its place in the text."""

    def __init__(self, offset: int, char: str) -> None:
        name = unicodedata.name(char, "unnamed")
        super().__init__(f"unknown character {char!r} (U+{ord(char):04X} {name}): expected "
                         "LaTeX math; write it as its LaTeX command")
        self.offset = offset
        self.char = char


def _script(char: str) -> tuple[str, str] | None:
    """``('^', '2')`` for ``²``, ``('_', 'k')`` for ``ₖ``; None for other characters."""
    deco = unicodedata.decomposition(char)
    for tag, mark in (("<super>", "^"), ("<sub>", "_")):
        if deco.startswith(tag):
            inner = "".join(chr(int(h, 16)) for h in deco[len(tag):].split())
            base = read_char(inner) if len(inner) == 1 else None
            if base is not None and base.strip():
                return mark, base.strip()
    return None


def read_char(char: str) -> str | None:
    """The LaTeX reading of one character, or None when the table does not read it.

    >>> read_char("−"), read_char("𝟙"), read_char("𝐱"), read_char("Κ"), read_char("＋")
    ('-', '\\\\mathbb{1}', '\\\\mathbf{x}', None, '+')
    """
    if char < "\x80":
        return char
    if char in TABLE:
        return TABLE[char]
    deco = unicodedata.decomposition(char)
    if deco.startswith("<font>"):
        base = chr(int(deco.split()[1], 16))
        inner = read_char(base)
        if inner is None:
            return None
        name = unicodedata.name(char, "")
        font = next((cmd for key, cmd in _FONTS if key in name), "")
        if not font:
            return inner
        if font == "mathbf" and inner.startswith("\\"):
            font = "boldsymbol"  # a bold Greek letter
        return f"\\{font}{{{inner.strip()}}}"
    if deco.startswith(("<super>", "<sub>", "<fraction>")):
        return None  # scripts are read by runs (normalize); fractions are not guessed
    if unicodedata.category(char) in ("Zs",):
        return " "
    form = unicodedata.normalize("NFKC", char)
    if form != char and all(c < "\x80" for c in form):
        return form
    return None


def normalize(text: str) -> tuple[str, list[int]]:
    """``text`` with every character replaced by its reading, and for each character of the
    result the offset in ``text`` of the character it comes from.

    Raises ``UnknownCharacter`` (with the offset) for a character the table does not read.

    >>> normalize("x²³ + yᵢ")
    ('x^{23} + y_{i}', [0, 1, 1, 1, 1, 1, 3, 4, 5, 6, 7, 7, 7, 7])
    """
    if text.isascii():
        return text, list(range(len(text)))
    out: list[str] = []
    where: list[int] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        script = _script(char) if char >= "\x80" else None
        if script is not None:  # a run of one kind of script is one group: x⁻¹ is x^{-1}
            mark, run, start = script[0], [], pos
            while pos < len(text) and (s := _script(text[pos])) is not None and s[0] == mark:
                run.append(s[1])
                pos += 1
            piece = f"{mark}{{{''.join(run)}}}"
            out.append(piece)
            where.extend([start] * len(piece))
            continue
        reading = read_char(char)
        if reading is None:
            raise UnknownCharacter(pos, char)
        if reading.startswith("\\") and reading[-1:].isalpha():
            reading += " "  # \mathbb{1} is closed; \alpha before a letter needs a space
        out.append(reading)
        where.extend([pos] * len(reading))
        pos += 1
    return "".join(out), where
