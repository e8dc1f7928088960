"""Tokenizer for the LaTeX math that notes use: a linear regex scan, no recursion.

It does the context-free clean-up that LaTeX itself does before meaning starts:
spacing, ``\\left``/``\\right``, ``\\boxed``/``\\cancel`` wrappers and ``\\nonumber`` vanish;
``\\mathbf{x}`` becomes one letter-like token; ``\\text{...}`` becomes a name when the
declarations use that spelling, an annotation otherwise. The lark grammar sees the rest.

>>> [t.type for t in tokenize(r"\\frac{a}{b}", 1, 1)]
['FRAC', 'LBRACE', 'LETTER', 'RBRACE', 'LBRACE', 'LETTER', 'RBRACE']
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from lark import Token

from derive.latex.charmap import UnknownCharacter, normalize
from derive.latex.errors import located

__all__ = ["MAX_DEPTH", "tokenize", "unsupported_hint"]

# Deeper nesting than this is not a derivation but an attack on the recursive stages.
MAX_DEPTH = 40

GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma "
    "Upsilon Phi Psi Omega ell partial nabla prime".split()
)
SKIP = frozenset(
    "quad qquad displaystyle textstyle nonumber notag therefore because boxed cancel bcancel "
    "xcancel left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr limits "
    "nolimits underline small tiny scriptsize footnotesize normalsize large Large".split()
)
FONT = frozenset("mathbf boldsymbol bm vec mathbb mathcal mathit hat tilde bar".split())
TEXTLIKE = frozenset("text textrm mathrm operatorname textit textbf mbox".split())
NAMED = {
    "frac": "FRAC", "dfrac": "FRAC", "tfrac": "FRAC",
    "sum": "SUM", "prod": "PROD",
    "log": "FUNC", "ln": "FUNC", "exp": "FUNC",
    "cdot": "MULOP", "times": "MULOP", "ast": "MULOP",
    "otimes": "OTIMES", "odot": "ODOT",
    "neq": "NEQ", "ne": "NEQ", "in": "IN",
    # "is defined as": an equation whose first member is a name defines it (derive.latex.infer)
    "coloneqq": "EQ", "triangleq": "EQ", "equiv": "EQ", "doteq": "EQ",
    "top": "LETTER", "intercal": "LETTER",
    "vdots": "LETTER", "cdots": "LETTER", "ldots": "LETTER", "ddots": "LETTER",
    "substack": "SUBSTACK", "overbrace": "OVERBRACE", "underbrace": "OVERBRACE",
    "|": "NORM",
}
ENVS = {"cases": "CASES", "bmatrix": "BMATRIX", "pmatrix": "BMATRIX", "matrix": "BMATRIX"}
TRANSPARENT_ENVS = frozenset(
    "aligned align align* equation equation* split gathered gather gather* multline "
    "multline* alignedat eqnarray eqnarray*".split()
)
SINGLE = {
    "{": "LBRACE", "}": "RBRACE", "(": "LPAREN", ")": "RPAREN", "[": "LBRACK", "]": "RBRACK",
    "+": "PLUS", "-": "MINUS", "=": "EQ", "_": "SUB", "^": "SUP", ",": "COMMA", ";": "SEMI",
    "&": "AMP", "'": "PRIME", "*": "MULOP", "/": "SLASH", ".": "DOT",
}

# commands derive does not read, with what would make the block readable (one table, data)
_SKIP_HINT = "mark the block with '% derive: skip <reason>'"
_CHAIN_HINT = ("derive checks chains of '=' only: write the equality, or " + _SKIP_HINT)
UNSUPPORTED_HINTS = {
    **dict.fromkeys("le leq ge geq lt gt approx propto sim simeq to mapsto rightarrow "
                    "Rightarrow implies iff subset subseteq".split(), _CHAIN_HINT),
    **dict.fromkeys("pm mp".split(), "a sign written as ± is not read: write the two "
                    "equations, or " + _SKIP_HINT),
    "sqrt": "write the root as a power, z^{1/2}, or define it: \\newcommand{\\sqrt}[1]"
            "{(#1)^{1/2}}",
    **dict.fromkeys("int iint oint".split(), "integrals are not checked: " + _SKIP_HINT),
    **dict.fromkeys("max min argmax argmin arg sup inf lim limsup liminf".split(),
                    "maxima, minima and limits are not checked: " + _SKIP_HINT),
    **dict.fromkeys("overline widehat widetilde dot ddot check breve acute grave".split(),
                    "a decorated name is read as \\bar{x}, \\hat{x} or \\tilde{x}: use one "
                    "of those, or \\newcommand it to one"),
    **dict.fromkeys("lVert rVert Vert".split(), "write a norm as \\| w \\|"),
    **dict.fromkeys("lvert rvert vert".split(), "absolute values are not read: " + _SKIP_HINT),
    "binom": "binomial coefficients are not read: " + _SKIP_HINT,
    "mathscr": "write \\mathcal{X} for a script letter",
}
_GENERIC_HINT = ("expected math such as \\frac, \\sum, \\log, \\exp, a Greek letter or a "
                 "declared \\text{...} name; a macro of the notes' own needs its \\newcommand "
                 "in the file")


def unsupported_hint(name: str) -> str:
    """What would make a block with the unsupported command ``\\name`` readable.

    >>> unsupported_hint("le").startswith("derive checks chains of '=' only")
    True
    """
    return UNSUPPORTED_HINTS.get(name, _GENERIC_HINT)


CHAR_HINTS = {
    "!": "'!' (a factorial) is not read: " + _SKIP_HINT,
    "<": "derive checks chains of '=' only: write the equality, or " + _SKIP_HINT,
    ">": "derive checks chains of '=' only: write the equality, or " + _SKIP_HINT,
    "@": "'@' is not LaTeX: write a matrix product by juxtaposition, X W",
    "$": "'$' inside display math: expected the display to end once",
}

# function names every reader of ML notes knows: a name even when spelt \text{softmax}
BUILTIN_NAMES = frozenset({"softmax", "logsumexp", "diag", "sigmoid"})

_SCAN = re.compile(
    r"""(?P<ws>\s+|~|\\[,;:!> ])
      |(?P<rowsep>\\\\)
      |(?P<norm>\\\||\|\|)
      |(?P<set>\\[{}])
      |(?P<mid>\\mid(?![A-Za-z])|\|)
      |(?P<noteq>\\not\s*=)
      |(?P<dots>\.\.\.)
      |(?P<cmd>\\[A-Za-z]+\*?)
      |(?P<num>\d+(?:\.\d+)?)
      |(?P<defeq>:=)
      |(?P<word>(?:log|ln|exp)(?![A-Za-z]))
      |(?P<fname>(?:softmax|sigmoid|logsumexp)(?![A-Za-z]))
      |(?P<letter>[A-Za-z])
      |(?P<neq>!\s*=)
      |(?P<single>[{}()\[\]+\-=_^,;&'*/.])
    """,
    re.VERBOSE,
)
_BRACED = re.compile(r"\s*\{([^{}]*)\}")
_NESTED = re.compile(r"\s*\{\s*(\\[A-Za-z]+\{\\?[A-Za-z0-9]+\})\s*\}")
_ENV = re.compile(r"\s*\{([A-Za-z]+\*?)\}")


def tokenize(
    text: str, line: int, column: int, text_names: Iterable[str] = (), *, source: str = "",
    positions: Sequence[tuple[int, int]] | None = None,
) -> list[Token]:
    """Split ``text`` (which starts at ``line``:``column`` of ``source``) into lark tokens.

    ``text_names`` are the ``\\text{...}`` contents that the declarations use as names
    (``SoftMax`` in ``\\text{SoftMax}_\\Theta``); any other ``\\text{...}`` is an annotation.
    ``positions`` (text expanded from the notes' macros) gives each character's place in the
    file, so that an error points at what the author wrote.

    >>> [t.value for t in tokenize(r"\\mathbf{x}_n", 1, 1)]
    ['\\\\mathbf{x}', '_', 'n']
    """
    names = set(text_names)
    out: list[Token] = []
    pos = 0
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    envs: list[str] = []
    depth = 0

    def where(p: int) -> tuple[int, int]:
        if positions is not None:
            return positions[min(p, len(positions) - 1)] if positions else (line, column)
        lo = bisect.bisect_right(line_starts, p) - 1
        ln = line + lo
        col = (column if lo == 0 else 1) + p - line_starts[lo]
        return ln, col

    # the one character table, once, before anything reads a character (charmap)
    try:
        normal, back = normalize(text)
    except UnknownCharacter as exc:
        ln, col = where(exc.offset)
        raise located(source, ln, col, str(exc)) from None
    if normal != text:
        spots = [where(p) for p in range(len(text))]
        positions = [spots[b] for b in back]
        text = normal

    def fail(p: int, msg: str) -> None:
        ln, col = where(p)
        raise located(source, ln, col, msg)

    def emit(kind: str, value: str, p: int) -> None:
        ln, col = where(p)
        out.append(Token(kind, value, start_pos=p, line=ln, column=col))

    scripted = False  # right after _ or ^ a digit is one character: x_12 is x_1 2
    while pos < len(text):
        if scripted and text[pos] == "*":  # y^*: a decoration, declared with let y^* = ...
            emit("LETTER", "*", pos)
            pos += 1
            scripted = False
            continue
        if scripted and text[pos].isdigit():
            emit("NUM", text[pos], pos)
            pos += 1
            scripted = False
            continue
        m = _SCAN.match(text, pos)
        if m is None:
            fail(pos, f"unexpected character {text[pos]!r}: "
                 f"{CHAR_HINTS.get(text[pos], 'expected LaTeX math')}")
        assert m is not None
        kind = m.lastgroup
        val = m.group()
        start = pos
        pos = m.end()
        if kind != "ws":
            scripted = False
        if kind == "ws":
            continue
        if kind == "rowsep":
            emit("ROWSEP", val, start)
        elif kind == "set":  # \{y = k\}: an Iverson/indicator bracket, read as [y = k]
            if val == "\\{":
                depth += 1
                emit("LBRACK", val, start)
            else:
                depth -= 1
                emit("RBRACK", val, start)
        elif kind == "mid":  # p(y | x): the bar of a conditional probability
            emit("MID", val, start)
        elif kind == "noteq":
            emit("NEQ", val, start)
        elif kind == "dots":  # ... elides, as \ldots does
            emit("LETTER", "\\ldots", start)
        elif kind == "norm":
            emit("NORM", val, start)
        elif kind == "num":
            emit("NUM", val, start)
        elif kind == "word":
            emit("FUNC", "\\" + val, start)
        elif kind == "defeq":  # p := ...: "is defined as", an equation
            emit("EQ", "=", start)
        elif kind == "fname":  # softmax(z) written without \operatorname
            emit("LETTER", f"\\text{{{val}}}", start)
        elif kind == "letter":
            emit("LETTER", val, start)
        elif kind == "neq":
            emit("NEQ", val, start)
        elif kind == "single":
            if val in "{([":
                depth += 1
                if depth > MAX_DEPTH:
                    fail(start, f"brackets nested deeper than {MAX_DEPTH} levels: "
                         "expected a readable formula")
            elif val in "})]":
                depth -= 1
            emit(SINGLE[val], val, start)
            scripted = val in "_^"
        else:  # a command
            name = val[1:]
            if name in SKIP:
                if name in ("left", "right", "bigl", "bigr", "Bigl", "Bigr") and text[
                    pos : pos + 1
                ] == ".":
                    pos += 1
                continue
            if name == "color":  # highlighting: \color{red}{x} is x
                arg = _BRACED.match(text, pos)
                if arg is not None:
                    pos = arg.end()
                continue
            if name in ("bigtriangledown", "triangledown"):
                emit("LETTER", "\\nabla", start)
                continue
            if name == "label" or name == "tag":
                arg = _BRACED.match(text, pos)
                if arg is None:
                    fail(pos, f"\\{name} needs a braced argument")
                assert arg is not None
                pos = arg.end()
                continue
            if name in GREEK or name in ("top", "intercal", "vdots", "cdots", "ldots", "ddots"):
                emit("LETTER", val, start)
            elif name in FONT and (nested := _NESTED.match(text, pos)) is not None:
                # \hat{\mathbf{y}}: a decorated bold letter is one name
                emit("LETTER", f"\\{name}{{{nested.group(1).strip()}}}", start)
                pos = nested.end()
            elif name in FONT and text[pos : pos + 1] in ("\\",) and (
                bare := re.compile(r"\\([A-Za-z]+)").match(text, pos)
            ) is not None and bare.group(1) in GREEK:
                # \boldsymbol\theta without braces
                emit("LETTER", f"\\{name}{{\\{bare.group(1)}}}", start)
                pos = bare.end()
            elif name in FONT and (bare := re.compile(r"\s+([A-Za-z0-9])").match(text, pos)):
                # \mathbf w, \mathbf z without braces
                emit("LETTER", f"\\{name}{{{bare.group(1)}}}", start)
                pos = bare.end()
            elif name in FONT:
                arg = _BRACED.match(text, pos)
                if arg is None or not re.fullmatch(r"\s*(\\?[A-Za-z]+|\d)\s*", arg.group(1)):
                    fail(pos, f"\\{name} expects one letter in braces, as in \\{name}{{x}}")
                assert arg is not None
                emit("LETTER", f"\\{name}{{{arg.group(1).strip()}}}", start)
                pos = arg.end()
            elif name in TEXTLIKE:
                arg = _BRACED.match(text, pos)
                if arg is None:
                    fail(pos, f"\\{name} expects a braced argument without nested braces")
                assert arg is not None
                content = arg.group(1)
                key = content.strip()
                if key in ("log", "ln", "exp"):
                    emit("FUNC", "\\" + key, start)
                elif name in ("textbf",) and re.fullmatch(r"[A-Za-z]", key):
                    emit("LETTER", f"\\mathbf{{{key}}}", start)  # \textbf{x} is \mathbf{x}
                elif re.fullmatch(r"[A-Za-z]", key) and name != "text":
                    emit("LETTER", "d" if key == "d" else key, start)  # \mathrm{d}, ^{\mathrm{T}}
                elif name in ("operatorname", "mathrm") and re.fullmatch(r"[A-Za-z]{2,}", key):
                    emit("LETTER", f"\\text{{{key}}}", start)  # \operatorname{softmax}
                elif key in names or key in BUILTIN_NAMES:
                    emit("LETTER", f"\\text{{{key}}}", start)
                else:
                    emit("TEXT", content, start)
                pos = arg.end()
            elif name in ("begin", "end"):
                arg = _ENV.match(text, pos)
                if arg is None:
                    fail(pos, f"\\{name} expects an environment name in braces")
                assert arg is not None
                env = arg.group(1)
                pos = arg.end()
                if env in TRANSPARENT_ENVS:
                    continue
                if env not in ENVS:
                    fail(start, f"unsupported environment {{{env}}}: expected one of "
                         "cases, bmatrix, pmatrix, matrix, aligned, split")
                if name == "begin":
                    envs.append(env)
                    emit("BEGIN_" + ENVS[env], val + "{" + env + "}", start)
                else:
                    if not envs or envs[-1] != env:
                        fail(start, f"\\end{{{env}}} does not close an open \\begin{{{env}}}")
                    envs.pop()
                    emit("END_" + ENVS[env], val + "{" + env + "}", start)
            elif name in NAMED:
                emit(NAMED[name], val, start)
            else:
                fail(start, f"unsupported command {val}: {unsupported_hint(name)}")
    if envs:
        fail(len(text), f"\\begin{{{envs[-1]}}} is never closed: expected \\end{{{envs[-1]}}}")
    return _top_level_layout(_pair_norms(out))


def _pair_norms(tokens: list[Token]) -> list[Token]:
    """``\\|w\\|`` uses one delimiter for both ends: alternate open and close."""
    out = []
    opened = False
    for tok in tokens:
        if tok.type == "NORM":
            tok = Token.new_borrow_pos("NORMCLOSE" if opened else "NORMOPEN", tok.value, tok)
            opened = not opened
        out.append(tok)
    return out


def _top_level_layout(tokens: list[Token]) -> list[Token]:
    """Outside cases/bmatrix/substack, ``&`` is alignment and ``\\\\`` a line break.

    A line break followed by ``=`` (possibly after ``&``) continues the chain; any other
    line break, or a ``\\text{...}`` annotation between equations ("or equivalently"),
    starts a new chain, as in ``\\\\ \\frac{dL}{dw} = ...`` at the end of a split.
    """
    out: list[Token] = []
    envs = 0
    braces = 0
    stacks: list[int] = []  # brace depth at which each open \substack ends
    for idx, tok in enumerate(tokens):
        kind = tok.type
        if kind.startswith("BEGIN_"):
            envs += 1
        elif kind.startswith("END_"):
            envs -= 1
        elif kind in ("LBRACE", "LPAREN", "LBRACK"):
            braces += 1
        elif kind in ("RBRACE", "RPAREN", "RBRACK"):
            braces -= 1
            if stacks and braces == stacks[-1]:
                stacks.pop()
        elif kind == "SUBSTACK":
            stacks.append(braces)
        inside = envs > 0 or bool(stacks)
        if inside or kind not in ("AMP", "ROWSEP", "TEXT") or (kind == "TEXT" and braces):
            out.append(tok)
            continue
        if kind == "AMP":
            continue
        if kind == "ROWSEP":
            following = [t for t in tokens[idx + 1 :] if t.type != "AMP"][:1]
            if following and following[0].type == "EQ":
                continue
        out.append(Token.new_borrow_pos("CHAINSEP", tok.value, tok))
    cleaned: list[Token] = []
    for tok in out:
        if tok.type == "CHAINSEP" and (not cleaned or cleaned[-1].type == "CHAINSEP"):
            continue
        cleaned.append(tok)
    while cleaned and cleaned[-1].type == "CHAINSEP":
        cleaned.pop()
    return cleaned
