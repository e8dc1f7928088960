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
from derive.latex.constructs import (
    ENVIRONMENTS,
    GENERIC_HINT,
    LABEL_WORDS,
    LETTERWISE_FONTS,
    NUMBER_SETS,
    REGISTRY,
    SKIP_HINT,
    UNKNOWN_OPERATORS,
    UPRIGHT_MARKS,
    lookup,
    names_with,
)
from derive.latex.errors import located
from derive.latex.script_labels import sign_label, word_label

__all__ = ["MAX_DEPTH", "tokenize", "unsupported_hint"]

# Deeper nesting than this is not a derivation but an attack on the recursive stages.
MAX_DEPTH = 40

# the registry's sets, under the names other modules import
GREEK = names_with("letter") - {"top", "intercal", "vdots", "cdots", "ldots", "ddots"}
SKIP = names_with("transparent")
FONT = names_with("font")
TEXTLIKE = names_with("text")
NAMED = {name: c.token for name, c in REGISTRY.items() if c.meaning == "token"}
NAMED["|"] = "NORM"
ENVS = {name: c.token for name, c in ENVIRONMENTS.items() if c.meaning == "token"}
TRANSPARENT_ENVS = frozenset(n for n, c in ENVIRONMENTS.items() if c.meaning == "transparent")
SINGLE = {
    "{": "LBRACE", "}": "RBRACE", "(": "LPAREN", ")": "RPAREN", "[": "LBRACK", "]": "RBRACK",
    "+": "PLUS", "-": "MINUS", "=": "EQ", "_": "SUB", "^": "SUP", ",": "COMMA", ";": "SEMI",
    "&": "AMP", "'": "PRIME", "*": "MULOP", "/": "SLASH", ".": "DOT",
    # A:B, the Frobenius product (a ratio 3:4 or a set's "such that" is not read: the
    # elaborator accepts it only between two vectors or matrices of one shape)
    ":": "COLON",
}

_SKIP_HINT = SKIP_HINT
_CHAIN_HINT = ("derive checks chains of '=' only: write the equality, or " + _SKIP_HINT)
UNSUPPORTED_HINTS = {
    **{n: _CHAIN_HINT for n, c in REGISTRY.items() if c.meaning == "relation"},
    **{n: c.reason for n, c in REGISTRY.items() if c.meaning == "unsupported"},
}
_GENERIC_HINT = GENERIC_HINT


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
    ":": ("':' (a Frobenius product A:B, a ratio, or a signature f: X \\to Y) is not read "
          "here: write the product as \\operatorname{tr}(A^T B) or a double sum, or "
          + _SKIP_HINT),
}

# function names every reader of ML notes knows: a name even when spelt \text{softmax}
BUILTIN_NAMES = frozenset({"softmax", "logsumexp", "diag", "sigmoid"})

# what over an '=' asks or demands rather than states: ?, !, "set", "want", "should"
_NOT_A_CLAIM_NOTE = re.compile(r"[?!]|\b(?:set|want|should|must|need)\b", re.IGNORECASE)

_SCAN = re.compile(
    r"""(?P<ws>\s+|~|\\[,;:!> ])
      |(?P<rowsep>\\\\\*?(?:\s*\[\s*-?\d*\.?\d+\s*(?:em|ex|pt|mm|cm|in|mu|bp|pc|dd|sp)\s*\])?)
      |(?P<norm>\\\||\|\|)
      |(?P<set>\\[{}])
      |(?P<mid>\\mid(?![A-Za-z])|\|)
      |(?P<noteq>\\not\s*=)
      |(?P<revdef>=\s?:(?![=:])|\\eqqcolon(?![A-Za-z]))
      |(?P<defeq>:\s?=|\\coloneqq?(?![A-Za-z])|\\triangleq(?![A-Za-z])|\\equiv(?![A-Za-z])
         |\\(?:defeq|eqdef)(?![A-Za-z])|\\mathrel\s*\{\s*:\s*\}\s*=
         |\\(?:stackrel|overset)\{(?:[^{}]*def[^{}]*|\\text\{def\}|\\mathrm\{def\}
         |\\triangle|\\Delta)\}\{=\})
      |(?P<annoteq>\\(?:stackrel|overset)\s*\{(?:[^{}]|\{[^{}]*\})*\}\s*\{\s*=\s*\})
      |(?P<dots>\.\.\.)
      |(?P<cmd>\\[A-Za-z]+\*?)
      |(?P<num>\d+(?:\.\d+)?)
      |(?P<word>(?:log|ln|exp)(?![A-Za-z]))
      |(?P<fname>(?:softmax|sigmoid|logsumexp)(?![A-Za-z]))
      |(?P<letter>[A-Za-z])
      |(?P<neq>!=)
      |(?P<bang>!)
      |(?P<single>[{}()\[\]+\-=_^,;&'*/.:])
    """,
    re.VERBOSE,
)
# ": \mathbb{R}^{n} \to \mathbb{R}" after a name: its signature, a declaration, not a step
_SPACE = r"(?:\\mathbb\{[A-Z]\}|\\mathcal\{[A-Z]\}|[A-Z])(?:\^\{?[^{}=$]{1,20}?\}?)?"
_SIGNATURE = re.compile(
    rf":\s*{_SPACE}(?:\s*\\times\s*{_SPACE})*\s*\\(?:to|rightarrow|longrightarrow|mapsto)"
    rf"(?![A-Za-z])\s*{_SPACE}")
_EMPTY = re.compile(r"\{\s*\}")
# after these an empty group is an argument (x^{}, \frac{}{b}): it is not dropped; after a
# closing brace only when that brace ends the first argument of \frac (\frac{a}{})
_TAKES_GROUP = frozenset({"SUB", "SUP", "FRAC", "OVERBRACE", "SUBSTACK"})
_BRACED = re.compile(r"\s*\{([^{}]*)\}")


def _group_end(text: str, pos: int) -> int | None:
    """Where the braced group that opens at ``pos`` (after spaces) ends, its nested groups
    included (``{\\frac{1}{2}}``); None when no group opens there or it never closes.

    >>> _group_end(r" {\\frac{1}{2}} x", 0), _group_end("x", 0), _group_end("{a", 0)
    (14, None, None)
    """
    start = len(text) - len(text[pos:].lstrip())
    if text[start:start + 1] != "{":
        return None
    depth = 0
    n = start
    while n < len(text):
        ch = text[n]
        if ch == "\\":
            n += 2  # an escaped character (\{, \}) or a command's first letter
            continue
        depth += (ch == "{") - (ch == "}")
        n += 1
        if depth == 0:
            return n
    return None
_BARE_CHAR = re.compile(r"\s*([A-Za-z0-9])")
# a word written in maths: five or more letters side by side ("input", "intermediate")
_LETTER_RUN = re.compile(r"(?<![A-Za-z\\])[A-Za-z]{5,}(?![A-Za-z])")
_NESTED = re.compile(r"\s*\{\s*(\\[A-Za-z]+\{\\?[A-Za-z0-9]+\})\s*\}")
_ENV = re.compile(r"\s*\{([A-Za-z]+\*?)\}")


# a letter's numeral subscript (x_1, x_{12}) or glued digits (x1): a numbered name when the
# notes declare it one (derive.latex.numeral_names)
_NUMBERED = re.compile(r"\s*_\s*(?:\{\s*(?P<braced>\d+)\s*\}|(?P<one>\d)(?!\d))|(?P<glued>\d+)")


def _numbered(text: str, pos: int, letter: str, names: set[str]) -> tuple[str, int] | None:
    """(the name, where it ends) when ``letter`` at ``pos`` starts a numbered name of
    ``names`` (``x_1``); None otherwise."""
    m = _NUMBERED.match(text, pos)
    if m is None:
        return None
    name = f"{letter}_{m.group('braced') or m.group('one') or m.group('glued')}"
    return (name, m.end()) if name in names else None


def _gradient(text: str, pos: int, letter: str, names: set[str]) -> tuple[str, int] | None:
    """(the name, where it ends) when ``letter`` at ``pos`` is the d of a gradient name of
    ``names`` glued to its letter (``dw``: derive.latex.gradient_names); None otherwise."""
    name = text[pos - 1:pos + 1]
    if letter != "d" or len(name) != 2 or not name[1].isalpha() or name not in names or (
            text[pos + 1:pos + 2].isalpha()):
        return None
    return name, pos + 1


def tokenize(
    text: str, line: int, column: int, text_names: Iterable[str] = (), *, source: str = "",
    positions: Sequence[tuple[int, int]] | None = None, tolerant: bool = False,
) -> list[Token]:
    """Split ``text`` (which starts at ``line``:``column`` of ``source``) into lark tokens.

    ``text_names`` are the ``\\text{...}`` contents that the declarations use as names
    (``SoftMax`` in ``\\text{SoftMax}_\\Theta``); any other ``\\text{...}`` is an annotation.
    ``positions`` (text expanded from the notes' macros) gives each character's place in the
    file, so that an error points at what the author wrote. ``tolerant``: a construct
    derive does not read becomes an ``UNKNOWN`` token carrying its located message, and a
    relation other than ``=`` a ``RELSEP`` token, instead of an error for the whole block.

    >>> [t.value for t in tokenize(r"\\mathbf{x}_n", 1, 1)]
    ['\\\\mathbf{x}', '_', 'n']
    """
    names = set(text_names)
    out: list[Token] = []
    pos = 0
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    envs: list[str] = []
    depth = 0
    lefts: list[int] = []  # where each open \left is (TeX: every \left needs its \right)

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

    def unread(p: int, msg: str) -> None:
        """A construct derive does not read: an error, or (tolerant) an UNKNOWN token whose
        value is the located message, so only the links around it are unknown."""
        if not tolerant:
            fail(p, msg)
        ln, col = where(p)
        out.append(Token("UNKNOWN", str(located(source, ln, col, msg)), start_pos=p,
                         line=ln, column=col))

    group_ends: list[int] = []  # where a \left...\right script ends (x^\left(..\right))
    swallow: set[int] = set()  # closing braces of fonts read around a script (\hat{y_i})
    scripts: list[int] = []  # depths at which a subscript's braces were opened (x_{...})
    powers: list[int] = []  # depths at which a superscript's braces were opened (x^{...})
    arrays: list[bool] = []  # each open {array}: True when it is a matrix
    unwrap: list[int] = []  # depths at which an \eqalign{ was opened
    unwrap_next = False
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
        if group_ends and pos >= group_ends[-1]:  # the end of a \left...\right script
            emit("RBRACE", "}", group_ends.pop())
            depth -= 1
            continue
        m = _SCAN.match(text, pos)
        if text[pos] == ":" and tolerant and (sig := _SIGNATURE.match(text, pos)) is not None:
            emit("DECL", sig.group(), pos)  # f: \mathbb{R}^n \to \mathbb{R}: a declaration
            pos = sig.end()
            continue
        if m is None and tolerant and text[pos] in "<>":  # a relation: it separates chains
            emit("RELSEP", text[pos], pos)
            pos += 2 if text[pos + 1 : pos + 2] == "=" else 1
            continue
        if m is None:
            unread(pos, f"unexpected character {text[pos]!r}: "
                   f"{CHAR_HINTS.get(text[pos], 'expected LaTeX math')}")
            pos += 1
            continue
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
        elif kind == "revdef":  # B =: s defines s, as s := B does (_reverse_definitions)
            emit("EQ", "=:", start)
        elif kind == "defeq":  # := \triangleq \equiv \stackrel{def}{=}: a defining link
            emit("EQ", ":=" if val.startswith(":") else val, start)  # ": =" too
        elif kind == "annoteq":  # x \overset{(a)}{=} y: a step with its reason, a claim
            note = val[val.index("{") + 1:val.rindex("{")].rstrip().removesuffix("}")
            emit("EQ", val, start)  # derive.latex.definitions: not a defining link
            if _NOT_A_CLAIM_NOTE.search(note):  # \stackrel{?}{=}, \overset{!}{=}: asked
                unread(start, f"{val}: a question or a demand ('{note.strip()}' over the "
                       "'='), not a claim: derive checks no step here")
        elif kind == "dots":  # ... elides, as \ldots does
            emit("LETTER", "\\ldots", start)
        elif kind == "norm":
            emit("NORM", val, start)
        elif kind == "num" and out and out[-1].type == "FRAC" and re.fullmatch(r"\d{2,}", val):
            # \frac12 is \frac{1}{2}: TeX's arguments are one character each
            emit("NUM", val[0], start)
            emit("NUM", val[1], start + 1)
            if len(val) > 2:  # \frac123: TeX prints \frac{1}{2} then 3, a mixed number?
                unread(start + 2, f"digits right after \\frac{val[:2]} ({val[2:]}): TeX "
                       f"prints \\frac{{{val[0]}}}{{{val[1]}}}{val[2:]}; write the braces")
        elif kind == "num":
            if out and out[-1].type == "NUM" and not (
                    len(out) > 1 and out[-2].type in ("SUB", "SUP")):
                # "3 4", "1\,000", "2 000": TeX prints one number, a thousands separator
                # at most; never a product of two numbers
                unread(start, f"two numbers side by side ({out[-1].value} {val}): TeX prints "
                       "them as one number; write it without the space, or \\cdot for a "
                       "product")
            emit("NUM", val, start)
        elif kind == "word":
            emit("FUNC", "\\" + val, start)
        elif kind == "fname":  # softmax(z) written without \operatorname
            emit("LETTER", f"\\text{{{val}}}", start)
        elif kind == "letter" and text[max(start - 2, 0):start] == "\\ " and (
                word := _SPACED_WORD.match(text, start)) is not None and (
                _CONDITION_WORDS.fullmatch(word.group(1))):
            # "\ where\ x_i \in ...": a condition word in math italics between control
            # spaces is the word, as \text{where} is (never the product w h e r e)
            emit("TEXT", word.group(1), start)
            pos = word.end()
        elif kind == "letter" and not scripts and not powers and not (
                out and out[-1].type in ("SUB", "SUP")) and (
                run := _LETTER_RUN.match(text, start)) is not None:
            # "$L_h = input$": a word written in maths, never a product of its letters
            unread(start, f"a word in maths ({run.group()!r}): letters side by side are a "
                   f"product, and no one writes {len(run.group())} factors so; write "
                   f"\\text{{{run.group()}}} for the word, or \\cdot between the factors")
            pos = run.end()
        elif kind == "letter":
            numbered = (_numbered(text, pos, val, names) or _gradient(text, pos, val, names)
                        ) if names else None
            if numbered is not None:  # x_1, x_{1}, x1: a name of its own (numeral_names)
                emit("LETTER", numbered[0], start)
                pos = numbered[1]
            else:
                emit("LETTER", val, start)
        elif kind == "neq":
            emit("NEQ", val, start)
        elif kind == "bang":  # y! : a factorial
            emit("BANG", val, start)
        elif kind == "single":
            if val == "}" and start in swallow:  # the brace of \hat{y_i} after its script
                swallow.discard(start)
                continue
            if val == "{" and (empty := _EMPTY.match(text, start)) is not None and not (
                    _takes_group(out)):
                pos = empty.end()  # an empty group {} (as in {}^T or a{}b) is nothing
                continue
            if val == "{" and unwrap_next:  # \eqalign{...}: its braces are not a group
                unwrap.append(depth)
                unwrap_next = False
                continue
            if val == "}" and unwrap and unwrap[-1] == depth:
                unwrap.pop()
                continue
            if val == "_" and out and out[-1].type == "LETTER" and (
                    sign := _SIGN_LABEL.match(text, pos)) is not None:
                # p_+, p_{+}, OR_{-}: a sign as the whole subscript labels its base
                base = out.pop()
                emit("LETTER", sign_label(base.value, sign.group(1) or sign.group(2)),
                     base.start_pos)
                pos = sign.end()
                continue
            if val == "_" and out and out[-1].type == "LETTER" and (
                    word := _WORD_LABEL.match(text, pos)) is not None and (
                    (word.group(1) or word.group(2)) in LABEL_WORDS):
                # x_{max}, x_{\max}, \tau_{base}: a word of the registry as the whole
                # subscript labels its base, as x_{\text{max}} does (constructs.LABEL_WORDS)
                base = out.pop()
                emit("LETTER", word_label(base.value, word.group(1) or word.group(2)),
                     base.start_pos)
                pos = word.end()
                continue
            if val in "{([":
                depth += 1
                if val == "{" and out and out[-1].type == "SUB":
                    scripts.append(depth)
                if val == "{" and out and out[-1].type == "SUP":
                    powers.append(depth)
                if depth > MAX_DEPTH:
                    fail(start, f"brackets nested deeper than {MAX_DEPTH} levels: "
                         "expected a readable formula")
            elif val in "})]":
                if scripts and scripts[-1] == depth:
                    scripts.pop()
                if powers and powers[-1] == depth:
                    powers.pop()
                depth -= 1
            emit(SINGLE[val], val, start)
            scripted = val in "_^"
        else:  # a command: what it means is the registry's entry (derive.latex.constructs)
            name = val[1:]
            entry = lookup(name.rstrip("*")) if name.endswith("*") else lookup(name)
            meaning = entry.meaning
            if meaning == "transparent":
                if entry.token and tolerant:  # \quad: a separator between equations?
                    emit(entry.token, val, start)
                    continue
                if name in ("left", "right", "bigl", "bigr", "Bigl", "Bigr", "bigm", "Bigm",
                            "big", "Big", "bigg", "Bigg", "biggl", "biggr", "Biggl", "Biggr"):
                    rest = text[pos:].lstrip()
                    skipped = len(text) - pos - len(rest)
                    if name == "left":
                        lefts.append(start)
                        if out and out[-1].type in ("SUB", "SUP") and (
                                end := _right_end(text, pos)) is not None:
                            # x^\left(1 - x\right): MathJax's script is the whole
                            # \left...\right group, x^{(1 - x)}
                            emit("LBRACE", "{", start)
                            depth += 1
                            group_ends.append(end)
                    elif name == "right" and not lefts:
                        unread(start, "TeX's error: Extra \\right (no \\left before it)")
                    elif name == "right":
                        lefts.pop()
                    if rest[:1] == ".":  # \left. : an invisible delimiter
                        pos += skipped + 1
                    elif name == "right" and rest[:1] == "|" and re.match(r"\|\s*[_^]", rest):
                        # \right|_{x=0}: evaluated at a point, not a bracket
                        unread(start, f"{val}| (evaluated at a point, "
                               "'\\left. f \\right|_{x=a}') is not read: write f(a), or "
                               + SKIP_HINT)
                        pos += skipped + 1
                    continue
                if entry.value == "dimen":  # \kern 2pt, \mkern{3mu}
                    dim = re.compile(r"\s*(\{[^{}]*\}|-?[\d.]+\s*[a-z]{2})").match(text, pos)
                    if dim is not None:
                        pos = dim.end()
                    continue
                for _ in range(entry.args):
                    end = _group_end(text, pos)  # nested braces too: \vphantom{\frac{1}{2}}
                    if end is None:
                        if name in ("label", "tag"):
                            fail(pos, f"\\{name} needs a braced argument")
                        break
                    pos = end
                continue
            if meaning == "unwrap":  # \eqalign{ rows }: the rows, as in {aligned}
                # \boxed{b + c} d inside a term stays a group; \boxed{a = b} is the equation
                unwrap_next = name not in ("boxed", "fbox") or _holds_equation(text, pos)
                continue
            if meaning == "keep":  # \textcolor{red}{x}: only the last argument is math
                for _ in range(entry.args - 1):
                    arg = _BRACED.match(text, pos)
                    if arg is not None:
                        pos = arg.end()
                # \color{red}{ds = J dz}: an equation in colour is the equation
                unwrap_next = _holds_equation(text, pos)
                continue
            if meaning == "letter":
                numbered = _numbered(text, pos, val, names) if names and not (
                    entry.value) else None
                if numbered is not None:  # \theta_0: a name of its own (numeral_names)
                    emit("LETTER", numbered[0], start)
                    pos = numbered[1]
                else:
                    emit("LETTER", entry.value or val, start)
            elif meaning == "relation":
                if not tolerant:
                    fail(start, f"unsupported command {val}: {unsupported_hint(name)}")
                emit("RELSEP", val, start)
            elif meaning == "font":
                font = entry.value or name
                if (decorated := _decorated(name, text, pos)) is not None:
                    # \hat{y_i} is \hat{y}_i; \mathbb{\hat{y_i}}, \widehat{\textbf w}: the
                    # fonts around one letter are one name, its subscript stays a subscript
                    emit("LETTER", decorated[0], start)
                    pos = decorated[1]
                    swallow.update(decorated[2])
                elif (nested := _NESTED.match(text, pos)) is not None:
                    # \hat{\mathbf{y}}: a decorated bold letter is one name
                    emit("LETTER", f"\\{font}{{{nested.group(1).strip()}}}", start)
                    pos = nested.end()
                elif (bare := re.compile(r"\s*\\([A-Za-z]+)(?![A-Za-z])").match(text, pos)
                      ) is not None and lookup(bare.group(1)).meaning == "letter":
                    # \boldsymbol\theta, \hat \beta without braces
                    emit("LETTER", f"\\{font}{{\\{bare.group(1)}}}", start)
                    pos = bare.end()
                elif bare := re.compile(r"\s+([A-Za-z0-9])").match(text, pos):
                    # \mathbf w, \mathbf z without braces
                    emit("LETTER", f"\\{font}{{{bare.group(1)}}}", start)
                    pos = bare.end()
                else:
                    arg = _BRACED.match(text, pos)
                    if arg is None or not re.fullmatch(r"\s*(\\?[A-Za-z]+|\d)\s*",
                                                       arg.group(1)):
                        # \bf{\hat{y} - y}: a font around a formula makes only its member
                        # unknown (the group is skipped), never the whole block
                        unread(start, f"\\{name} expects one letter in braces, as in "
                               f"\\{name}{{x}}: a formula under it is not read")
                        pos = _group_end(text, pos) or pos
                        continue
                    assert arg is not None
                    emit("LETTER", f"\\{font}{{{arg.group(1).strip()}}}", start)
                    pos = arg.end()
                if out and out[-1].type == "LETTER" and out[-1].value in UNKNOWN_OPERATORS:
                    # \mathbb{E}[..]: an operator derive does not know, never a letter
                    op = out.pop().value
                    unread(start, f"{op} ({UNKNOWN_OPERATORS[op]}) is not read: derive "
                           "does not know the distribution; " + SKIP_HINT)
            elif meaning == "text":
                # TeX's argument: a braced group, or one character (\textbf X is \textbf{X})
                arg = _BRACED.match(text, pos) or _BARE_CHAR.match(text, pos)
                if arg is None:
                    fail(pos, f"\\{name} expects a braced argument without nested braces "
                         f"or one letter, as in \\{name}{{x}}")
                assert arg is not None
                content = arg.group(1)
                key = content.strip()
                if key in UPRIGHT_MARKS and _is_superscript(out, text, arg.end()):
                    # W^{\text{T}}, X^\mathsf{T}: an upright T as the whole superscript is
                    # the transpose mark (never a power by a scalar named T)
                    emit("LETTER", UPRIGHT_MARKS[key], start)
                elif _in_subscript(out, scripts, depth) and re.fullmatch(r"[A-Za-z]+", key):
                    # x_\text{i}, y_{\text{pred}, i}: TeX's script is the whole \text{..};
                    # one upright letter is the letter, a word labels its base
                    # (derive.latex.script_labels)
                    pos = arg.end()
                    fold = _label_fold(out, scripts, depth)
                    after = _AFTER_WORD.match(text, pos)
                    if len(key) == 1:
                        emit("LETTER", key, start)
                    elif fold == 1 or (fold == 2 and after is not None):
                        base = out[-1 - fold]
                        del out[-1 - fold:]
                        emit("LETTER", word_label(base.value, key), base.start_pos)
                        if fold == 2 and after is not None:
                            pos = after.end()
                            if after.group(1) == "}":
                                scripts.pop()
                                depth -= 1
                            else:  # y_{\text{pred}, i}: entry i of y_{\text{pred}}
                                emit("SUB", "_", after.start(1))
                                emit("LBRACE", "{", after.start(1))
                    else:
                        unread(start, f"\\{name}{{{key}}} in a script that is not the "
                               "label of one symbol (as in y_{\\text{pred}} or "
                               "y_{\\text{pred}, i}) is not read")
                    continue
                elif f"\\mathrm{{{key}}}" in UNKNOWN_OPERATORS and _OPERAND.match(
                        text, arg.end()) is not None:
                    # \mathrm{E}[x], \operatorname{E}_{x}[..]: an operator, never the letter
                    op = f"\\mathrm{{{key}}}"
                    unread(start, f"{op} ({UNKNOWN_OPERATORS[op]}) is not read: derive "
                           "does not know the distribution; " + SKIP_HINT)
                    pos = arg.end()
                    continue
                elif key in ("log", "ln", "exp"):
                    emit("FUNC", "\\" + key, start)
                elif name in ("textbf",) and re.fullmatch(r"[A-Za-z]", key):
                    emit("LETTER", f"\\mathbf{{{key}}}", start)  # \textbf{x} is \mathbf{x}
                elif key == "d" and content == "d" and re.match(r"\s*(?:[A-Za-z(]|\\[A-Za-z])",
                                                                text[arg.end():]):
                    emit("LETTER", "d", start)  # \text{d}x: the upright d of a differential
                elif re.fullmatch(r"[A-Za-z]", key) and name != "text":
                    emit("LETTER", "d" if key == "d" else key, start)  # \mathrm{d}, ^{\mathrm{T}}
                elif name in ("operatorname", "mathrm") and re.fullmatch(r"[A-Za-z]{2,}", key):
                    emit("LETTER", f"\\text{{{key}}}", start)  # \operatorname{softmax}
                elif key in names or key in BUILTIN_NAMES:
                    emit("LETTER", f"\\text{{{key}}}", start)
                elif key == content and re.fullmatch(r"[A-Za-z]{2,}", key) and text[
                        arg.end() : arg.end() + 1] == "(" and not _CONDITION_WORDS.fullmatch(key):
                    # \text{Poisson}(\lambda): a word right before its parenthesis names a
                    # function, as \operatorname{Poisson} does (not a remark between chains)
                    emit("LETTER", f"\\text{{{key}}}", start)
                elif key == content and _defines_word(key, out, text, arg.end()):
                    # \text{error} = \hat{y} - y: a word opening an equation names what the
                    # equation defines (inference reads the definition; later uses are names)
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
                if env == "array":  # rows of equations (&=&) or a matrix, by its content
                    if name == "begin":
                        spec = _ARRAY_SPEC.match(text, pos)
                        pos = spec.end() if spec is not None else pos
                        arrays.append(not _array_holds_equation(text, pos))
                        if arrays[-1]:
                            envs.append("array")
                            emit("BEGIN_BMATRIX", "\\begin{array}", start)
                    elif not arrays:
                        fail(start, "\\end{array} does not close an open \\begin{array}")
                    elif arrays.pop():
                        if not envs or envs[-1] != "array":
                            fail(start, "\\end{array} does not close an open \\begin{array}")
                        envs.pop()
                        emit("END_BMATRIX", "\\end{array}", start)
                    continue
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
            elif meaning == "token":
                emit(entry.token, val, start)
            elif name == "forall" and tolerant:  # \forall j \neq k: the words 'for all'
                emit("TEXT", "for all", start)
            else:
                unread(start, f"unsupported command {val}: {unsupported_hint(name)}")
    while group_ends:  # a \left...\right script that ends the formula
        emit("RBRACE", "}", group_ends.pop())
    if envs:
        fail(len(text), f"\\begin{{{envs[-1]}}} is never closed: expected \\end{{{envs[-1]}}}")
    if lefts:  # "\left(1 + 2)": TeX stops here; its meaning is a guess
        unread(lefts[-1], "TeX's error: Missing \\right. inserted (a \\left with no \\right "
               "after it): write \\right) or drop \\left")
    paired = _exp_powers(_pair_bars(_pair_norms(_infix_fractions(out, source))))
    if tolerant:
        paired = _dot_products(_drop_memberships(paired), text)
    return _reverse_definitions(
        _top_level_layout(_separate(paired, source) if tolerant else paired), source)


_OPENS = ("LBRACE", "LPAREN", "LBRACK", "NORMOPEN", "LANGLE", "ABSOPEN")
_CLOSES = ("RBRACE", "RPAREN", "RBRACK", "NORMCLOSE", "RANGLE", "ABSCLOSE")


def _reverse_definitions(tokens: list[Token], source: str) -> list[Token]:
    """``B =: s`` (``\\eqqcolon``) defines ``s`` as ``B``: the chain is read as ``s := B``
    (its two members swapped, each token where the notes write it); ``a = B =: s`` as
    ``a = B`` and ``s := B``. Elsewhere in a chain (``B =: s = c``) the link is not read:
    the member after it is unknown, never ``s`` taken as free and checked.

    >>> [t.value for t in _reverse_definitions(tokenize("x^2 =: s", 1, 1), "")]
    ['s', ':=', 'x', '^', '2']
    """
    if not any(t.type == "EQ" and t.value == "=:" for t in tokens):
        return tokens
    out: list[Token] = []
    chain: list[Token] = []
    for tok in [*tokens, None]:
        if tok is not None and tok.type not in ("CHAINSEP", "ROWSEP"):
            chain.append(tok)
            continue
        depth, links = 0, []
        for n, t in enumerate(chain):
            depth += (t.type in _OPENS or t.type.startswith("BEGIN_")) - (
                t.type in _CLOSES or t.type.startswith("END_"))
            if t.type == "EQ" and depth == 0:
                links.append(n)
        rev = [n for n in links if chain[n].value == "=:"]
        if rev == links[-1:]:  # B =: s, or a = B =: s (then also s := B)
            at = rev[0]
            before = links[-2] + 1 if len(links) > 1 else 0
            if before:  # a = B, then s := B (B's tokens where the notes write them)
                out += [*chain[:at], Token.new_borrow_pos("CHAINSEP", "=:", chain[at])]
            out += [*chain[at + 1:], Token.new_borrow_pos("EQ", ":=", chain[at]),
                    *chain[before:at]]
        elif rev:  # B =: s = c: s is defined (unread) by the notes, then a claim on it
            at = rev[0]
            after = [n for n in links if n > at]
            end = after[0] if after else len(chain)
            if at != links[0]:
                out += [*chain[:at], Token.new_borrow_pos("CHAINSEP", "=:", chain[at])]
            out += [*chain[at + 1:end], Token.new_borrow_pos("EQ", ":=", chain[at])]
            for n, t in enumerate(chain[at:], start=at):
                if n == at or n in rev:
                    out.append(Token.new_borrow_pos("UNKNOWN", str(located(
                        source, t.line or 0, t.column or 0,
                        "'=:' (the right side defined as the left) inside a longer chain is "
                        "not read: write 's := ...' on its own")), t))
                    if n == at:
                        continue
                if n >= end:
                    out.append(t)
        else:
            out += chain
        if tok is not None:
            out.append(tok)
        chain = []
    return out


def _defines_word(key: str, out: list[Token], text: str, end: int) -> bool:
    """Whether ``\\text{key}`` is a word that opens an equation, right before its ``=``
    (``\\text{error} = \\hat{y} - y``): the name that equation defines. Never a condition
    or connecting word (``\\text{if}``, ``\\text{where}``), nor a word after other math."""
    return (re.fullmatch(r"[A-Za-z]{2,}", key) is not None
            and (not out or out[-1].type in ("ROWSEP", "QUAD"))
            and re.match(r"\s*=(?!=)", text[end:]) is not None
            and not _CONDITION_WORDS.fullmatch(key) and key.lower() not in _CONNECTIVES)


_FONT_CMD = re.compile(r"\s*\\([A-Za-z]+)(?![A-Za-z])")
_ONE_LETTER = re.compile(r"\s*(\\[A-Za-z]+(?![A-Za-z])|[A-Za-z])")
_ONE_LETTER_OR_DIGIT = re.compile(r"\s*(\\[A-Za-z]+(?![A-Za-z])|[A-Za-z0-9])")
# font-like commands as the inner part of a decorated name (\textbf w is \mathbf{w})
_INNER_FONTS = {"textbf": "mathbf"}


def _decorated(name: str, text: str, pos: int) -> tuple[str, int, list[int]] | None:
    """A font around fonts around one letter, with at most one subscript inside, as TeX
    reads it: ``\\hat{y_i}`` -> (``\\hat{y}``, where ``_i`` starts, [the closing brace]).
    ``\\mathbb{\\hat{y_i}}`` and ``\\widehat{\\textbf w}`` likewise; anything else
    (``\\hat{x^2}``, ``\\hat{xy}``, one plain letter) is None and read as before."""
    fonts = [lookup(name).value or name]
    opened: list[int] = []
    at = pos
    if (brace := re.compile(r"\s*\{").match(text, at)) is None:
        return None
    opened.append(brace.end() - 1)
    at = brace.end()
    while (cmd := _FONT_CMD.match(text, at)) is not None and (
            lookup(cmd.group(1)).meaning == "font" or cmd.group(1) in _INNER_FONTS):
        inner = cmd.group(1)
        fonts.append(_INNER_FONTS.get(inner) or lookup(inner).value or inner)
        at = cmd.end()
        if (brace := re.compile(r"\s*\{").match(text, at)) is not None:
            opened.append(brace.end() - 1)
            at = brace.end()
        elif re.compile(r"\s+[A-Za-z]|\s*\\").match(text, at) is None:
            return None
        else:
            break  # \textbf w: a bare letter ends the chain
    letterwise = all(f in LETTERWISE_FONTS for f in fonts)
    letter = (_ONE_LETTER_OR_DIGIT if letterwise else _ONE_LETTER).match(text, at)
    if letter is None or (letter.group(1).startswith("\\")
                          and lookup(letter.group(1)[1:]).meaning != "letter"):
        return None
    at = letter.end()
    # a subscript inside (\hat{y_i}); inside a bold font, a superscript too
    # (\mathbf{\beta^{(t)}} is \mathbf{\beta}^{(t)}: TeX's bold is letter by letter, while
    # an accent covers all it holds: \hat{x^2} is no \hat{x} squared)
    script = re.compile(r"\s*[_^]" if letterwise else r"\s*_").match(text, at)
    script_at = script.start() + len(script.group()) - 1 if script else None
    for _ in range(2):
        if script is None:
            break
        at = _script_end(text, script.end())
        if at is None:
            return None
        script = re.compile(r"\s*[_^]").match(text, at) if letterwise else None
    closes: list[int] = []
    for _ in opened:
        close = re.compile(r"\s*\}").match(text, at)
        if close is None:
            return None
        closes.append(close.end() - 1)
        at = close.end()
    if script_at is None and len(fonts) == 1:
        return None  # \hat{y}: read as before
    spelt = letter.group(1)
    for font in reversed(fonts):
        spelt = f"\\{font}{{{spelt}}}"
    return (spelt, script_at, closes) if script_at is not None else (spelt, at, [])


def _script_end(text: str, at: int) -> int | None:
    """Where the script starting at ``at`` (after its ``_``) ends: one character, one
    command, or a braced group (balanced); None when there is none."""
    m = re.compile(r"\s*(?:[A-Za-z0-9]|\\[A-Za-z]+(?![A-Za-z]))").match(text, at)
    if m is not None:
        return m.end()
    m = re.compile(r"\s*\{").match(text, at)
    if m is None:
        return None
    level, k = 1, m.end()
    while k < len(text) and level:
        level += {"{": 1, "}": -1}.get(text[k], 0)
        k += 1
    return k if level == 0 else None


def _takes_group(out: list[Token]) -> bool:
    """Whether an empty group ``{}`` after ``out`` is an argument (``x^{}``, ``\\frac{a}{}``)
    rather than nothing (``\\frac{a}{b}{}``, ``x^{2}{}``: TeX's empty atom)."""
    if not out:
        return False
    if out[-1].type != "RBRACE":
        return out[-1].type in _TAKES_GROUP
    level = 0
    for k in range(len(out) - 1, -1, -1):
        level += {"RBRACE": 1, "LBRACE": -1}.get(out[k].type, 0)
        if level == 0:
            return k > 0 and out[k - 1].type == "FRAC"
    return True  # unbalanced: as before


_LEFT_RIGHT = re.compile(r"\\(left|right)(?![A-Za-z])")
_DELIMITER = re.compile(r"\s*(?:\\[{}|]|\\[A-Za-z]+|[^\s\\])")


def _right_end(text: str, pos: int) -> int | None:
    """Where the ``\\left`` group whose delimiter starts at ``pos`` ends: after its matching
    ``\\right`` and that delimiter (None when it has none)."""
    level = 1
    for m in _LEFT_RIGHT.finditer(text, pos):
        level += 1 if m.group(1) == "left" else -1
        if level == 0:
            delim = _DELIMITER.match(text, m.end())
            return delim.end() if delim is not None else None
    return None


# a word between control spaces: "\ where\ "
_SPACED_WORD = re.compile(r"([A-Za-z]{2,})(?=\\ )")

# what opens the operand of an operator written as an upright letter: \mathrm{E}[x], E_{x}
_OPERAND = re.compile(r"\s*(?:[\[(_]|\\left(?![A-Za-z])|\\\{)")

# a sign as the whole subscript: p_+, p_{-}
_SIGN_LABEL = re.compile(r"\s*(?:\{\s*([+-])\s*\}|([+-]))")

# what follows a word that labels its base: the script's end, or a comma before its index
_AFTER_WORD = re.compile(r"\s*([},])")
# a word as the whole subscript: _{max}, _{\max}, _\max (TeX: one token is the script)
_WORD_LABEL = re.compile(r"\s*(?:\{\s*\\?([A-Za-z]{2,})\s*\}|\\([A-Za-z]{2,})(?![A-Za-z]))")


def _label_fold(out: list[Token], scripts: list[int], depth: int) -> int:
    """How many tokens after a base letter a script word is: 1 in ``y_\\text{pred}``, 2 in
    ``y_{\\text{pred}...`` (the word first in the braces), 0 when it labels no letter."""
    if len(out) > 1 and out[-1].type == "SUB" and out[-2].type == "LETTER":
        return 1
    if (len(out) > 2 and out[-1].type == "LBRACE" and out[-2].type == "SUB"
            and out[-3].type == "LETTER" and scripts and scripts[-1] == depth):
        return 2
    return 0


def _in_subscript(out: list[Token], scripts: list[int], depth: int) -> bool:
    """Whether the next token is (inside) a subscript: right after ``_``, or inside the
    braces of ``_{...}`` and not deeper. (A superscript word, ``\\ell^{\\text{CE}}``, is
    read as before: a declared name or an annotation.)"""
    return (bool(out) and out[-1].type == "SUB") or (bool(scripts) and scripts[-1] == depth)


def _is_superscript(out: list[Token], text: str, end: int) -> bool:
    """Whether the construct just read (ending at ``end``) is a whole superscript:
    right after ``^``, or alone in the braces of ``^{...}``."""
    if out and out[-1].type == "SUP":
        return True
    return (len(out) > 1 and out[-1].type == "LBRACE" and out[-2].type == "SUP"
            and re.match(r"\s*\}", text[end:]) is not None)


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


#: a bar after one of these opens an absolute value (an operand is expected there): |x|
_OPERAND_EXPECTED = frozenset({"PLUS", "MINUS", "MULOP", "SLASH", "OTIMES", "ODOT", "EQ",
                               "LPAREN", "LBRACK", "LBRACE", "COMMA", "SEMI", "CHAINSEP",
                               "ROWSEP", "AMP", "RELSEP", "QUAD", "FUNC", "NORMOPEN", "NEQ"})
#: a bar after one of these may close one: it ends an operand
_OPERAND_ENDS = frozenset({"LETTER", "NUM", "RPAREN", "RBRACK", "RBRACE", "PRIME",
                           "NORMCLOSE", "ABSCLOSE"})
_MEMBER_ENDS = frozenset({"EQ", "RELSEP", "COMMA", "SEMI", "QUAD", "AMP", "NEQ"})
_DEEPER = frozenset({"LBRACE", "LPAREN", "LBRACK", "NORMOPEN", "LANGLE", "ABSOPEN"})
_SHALLOWER = frozenset({"RBRACE", "RPAREN", "RBRACK", "NORMCLOSE", "RANGLE", "ABSCLOSE"})


def _after_limits(tokens: list[Token], k: int) -> bool:
    """Whether token ``k - 1`` ends the limits of a \\sum or \\prod (``\\sum_i |w_i|``)."""
    j = k - 1
    while j >= 1:
        if tokens[j].type == "RBRACE":  # back over a braced script
            level = 0
            while j >= 0:
                level += {"RBRACE": 1, "LBRACE": -1}.get(tokens[j].type, 0)
                if level == 0:
                    break
                j -= 1
        if j < 1 or tokens[j - 1].type not in ("SUB", "SUP"):
            return False
        j -= 2
        if j >= 0 and tokens[j].type in ("SUM", "PROD"):
            return True
    return False


def _bars_beside(tokens: list[Token], k: int) -> int:
    """How many bars share the term of the bar at ``k`` (at its depth, up to the brackets
    around it or the ends of its chain); 0 inside parentheses, where a bar is a condition's."""
    count = 1
    for step in (1, -1):
        level = 0
        j = k + step
        while 0 <= j < len(tokens):
            t = tokens[j]
            if t.type in ("CHAINSEP", "ROWSEP") or (level == 0 and (
                    t.type in _MEMBER_ENDS or (t.type in ("PLUS", "MINUS") and (
                        step < 0 or count >= 2)))):
                break  # a term ends: back at its sign, onwards at a sign after both bars
            level += ((t.type in _DEEPER) - (t.type in _SHALLOWER)) * step
            if level < 0 and t.type == "LPAREN":
                return 0  # inside parentheses: p(a | b | c) is no product with |b|
            if level < 0:
                break
            count += level == 0 and t.type == "MID" and t.value == tokens[k].value
            j += step
    return count


def _pair_bars(tokens: list[Token]) -> list[Token]:
    """``|x|``: a bar (``|``, ``\\vert``) opens an absolute value when a bar at the same depth
    closes it after an operand, and either an operand is expected before it (``= |x|``,
    ``\\cdot |x|``, ``\\sum_i |w_i|``) or the two are the only bars of their group
    (``\\lambda |w|``, ``2 |x|``); ``\\lvert x \\rvert`` always does. Any other bar stays
    the bar of ``p(y | x)`` (the parser reads it only in parentheses)."""
    out = list(tokens)
    k = 0
    while k < len(out):
        tok = out[k]
        prev = out[k - 1].type if k else "CHAINSEP"
        if tok.type == "MID" and tok.value in ("|", "\\vert") and (
                prev in _OPERAND_EXPECTED or _after_limits(out, k)
                or _bars_beside(out, k) == 2):
            level = 0
            for j in range(k + 1, len(out)):
                t = out[j]
                if level == 0 and t.type == "MID" and t.value == tok.value:
                    if out[j - 1].type in _OPERAND_ENDS and j > k + 1:
                        out[k] = Token.new_borrow_pos("ABSOPEN", tok.value, tok)
                        out[j] = Token.new_borrow_pos("ABSCLOSE", t.value, t)
                    break
                level += (t.type in _DEEPER) - (t.type in _SHALLOWER)
                if level < 0 or t.type in ("CHAINSEP", "ROWSEP"):
                    break
        k += 1
    return out


_SEPARATES = ("QUAD", "COMMA", "RELSEP")
_CONDITION_WORDS = re.compile(r"\s*(if|iff|for|when|whenever|where|with|otherwise|for all|"
                              r"for every|for each|provided|unless|given|assuming|as long as|"
                              r"such that|s\.t\.)(?![A-Za-z])", re.I)
# words that join or introduce equations, never a quantity's name
_CONNECTIVES = frozenset({"and", "or", "so", "then", "thus", "hence", "therefore", "since",
                          "because", "let", "define", "set", "note", "also", "i", "ie", "eg"})
# 'for all k': a quantifier over what derive already checks for every value (no relation)
_QUANTIFIER = re.compile(r"\s*(for all|for every|for each)\s*$", re.I)


_ARRAY_SPEC = re.compile(r"\s*(?:\[[tbc]\])?\s*\{[lcr|@{}\s.0-9pmb]*?\}(?=[^}]|$)")
_ARRAY_EDGE = re.compile(r"\\(begin|end)\s*\{array\}")


def _array_holds_equation(text: str, pos: int) -> bool:
    """Whether the ``{array}`` whose rows start at ``pos`` is rows of equations, as in
    ``{eqnarray}``: an ``=`` of its own (not inside a group or a nested array) that is a
    column of its own (``&=&``, ``&=``) or in an array without columns. Otherwise it is a
    matrix (``\\left(\\begin{array}{c} z_1 \\\\ z_2 \\end{array}\\right)``) or cases
    (``s_i & i \\neq j``), whose ``i = j`` is a condition, not an equation."""
    depth = nested = 0
    at = pos
    columns = equations = aligned = False
    last = ""  # the last character that is not a space, at the top level
    while at < len(text):
        edge = _ARRAY_EDGE.match(text, at)
        if edge is not None:
            if edge.group(1) == "end" and nested == 0:
                break
            nested += 1 if edge.group(1) == "begin" else -1
            at = edge.end()
            continue
        ch = text[at]
        top = depth == 0 and nested == 0
        if ch == "\\":
            at += 2
            last = "\\" if top else last
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif top and ch == "&":
            columns = True
            aligned = aligned or last == "="
        elif top and ch == "=":
            equations = True
            aligned = aligned or last == "&"
        if top and not ch.isspace():
            last = ch
        at += 1
    return aligned or (equations and not columns)


def _holds_equation(text: str, pos: int) -> bool:
    """Whether the braced group that opens at ``pos`` (after spaces) has an ``=`` of its
    own (not inside a nested group)."""
    m = re.compile(r"\s*\{").match(text, pos)
    if m is None:
        return False
    depth = 0
    for ch in text[m.end():]:
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return False
            depth -= 1
        elif ch == "=" and depth == 0:
            return True
    return False


def _looks_like_condition(part: list[Token]) -> bool:
    """``i = j``, ``k \\neq j``, ``x = 1``, ``\\text{if } y = 1``: a condition on what comes
    before, not an equation of its own (short sides, one relation)."""
    if part and part[0].type == "TEXT" and _CONDITION_WORDS.match(part[0].value):
        return True
    if len(part) > 2 and part[0].type == "LPAREN" and part[-1].type == "RPAREN":
        return _looks_like_condition(part[1:-1])  # \quad (i = j)
    rels = [n for n, t in enumerate(part) if t.type in ("EQ", "NEQ", "IN", "RELSEP")]
    if len(rels) != 1:
        return False
    at = rels[0]
    short = {"LETTER", "NUM", "SUB", "LBRACE", "RBRACE", "COMMA"}
    return at <= 4 and len(part) - at - 1 <= 4 and all(
        t.type in short for t in part[:at] + part[at + 1 :])


def _defines_a_value(part: list[Token], before: list[Token], fresh: bool = False) -> bool:
    """``t_i = s e^{x_i} \\qquad s = 2``: the short equation after the separator gives
    the value of a letter the equation before uses as a quantity (never in a subscript),
    so it is a second equation, not a condition (``p_i (1 - p_i), \\quad i = j`` relates
    the index i of what comes before: a condition). ``fresh`` (no condition word before
    it): so is the value of a letter the equation before does not write at all, when the
    value is a formula in letters (``a = 2x \\qquad b = 3x``; ``\\quad x = 1``, ``\\quad
    i = j`` and ``\\text{for } c = 1, \\dots`` stay conditions)."""
    if len(part) < 3 or part[0].type != "LETTER" or part[1].type != "EQ":
        return False
    name = part[0].value
    as_value = as_index = False
    depth = 0  # > 0 inside a subscript's braces
    script = False  # the token right after _
    for tok in before:
        if tok.type == "SUB":
            script = True
            continue
        if script and tok.type == "LBRACE":
            depth += 1
        elif depth and tok.type == "LBRACE":
            depth += 1
        elif depth and tok.type == "RBRACE":
            depth -= 1
        elif tok.type == "LETTER" and tok.value == name:
            if script or depth:
                as_index = True
            else:
                as_value = True
        script = False
    if as_index:
        return False
    return as_value or (fresh and len(part) > 3 and any(t.type == "LETTER" for t in part[2:]))


# the words after which "name = formula" gives a value, never a condition on the formula
_DEFINING_WORDS = re.compile(r"\s*(where|with)\s*$", re.I)


def _defines_an_entry(part: list[Token], before: list[Token]) -> bool:
    """``\\text{where } z_i = \\mathbf{w}^\\top \\mathbf{x}_i`` after a formula that uses
    ``z_i``: the entries of a name the formula uses as a quantity, given by a formula in
    letters, are a second equation, as ``where s = 2 x`` is (:func:`_defines_a_value`). Only
    index letters in the subscript (``z_i``, ``z_{ij}``); a value that is a number (``where
    y_i = 1``) or that writes the name itself stays a condition."""
    if len(part) < 5 or part[0].type != "LETTER" or part[1].type != "SUB":
        return False
    if part[2].type == "LETTER":
        end = 3
    elif part[2].type == "LBRACE":
        end = next((n for n in range(3, len(part)) if part[n].type != "LETTER"), len(part))
        if end == 3 or end >= len(part) or part[end].type != "RBRACE":
            return False
        end += 1
    else:
        return False
    if not all(len(t.value) == 1 and t.value.isalpha() for t in part[2:end]
               if t.type == "LETTER"):
        return False
    if end >= len(part) or part[end].type != "EQ":
        return False
    body = part[end + 1:]
    if not any(t.type == "LETTER" for t in body) or any(
            t.type == "LETTER" and t.value == part[0].value for t in body):
        return False
    return _defines_a_value([part[0], *part[end:]], before)


def _separate(tokens: list[Token], source: str) -> list[Token]:
    """``\\quad``, ``,`` and relations other than ``=`` at the top level of a block.

    Between two equations (an ``=`` before it in its chain and one after it before the next
    separator) ``\\quad`` and ``,`` separate chains: ``a = b \\qquad c = d`` is two
    chains, never ``a = b c = d``. A relation (``\\le``, ``\\approx``, ``\\Rightarrow``)
    always separates: its own link is not checked, the ``=`` links around it are. What
    follows as a condition (``, \\quad x = 1``) is not dropped silently: the link before
    it is unknown. Elsewhere ``\\quad`` is space; inside brackets, environments and
    scripts nothing here applies (a relation there makes its link unknown).
    """
    out: list[Token] = []
    depth = 0
    envs = 0
    skip = -1  # tokens up to this index restate a quantifier's letters: dropped
    for idx, tok in enumerate(tokens):
        if idx <= skip:
            continue
        kind = tok.type
        if kind.startswith("BEGIN_"):
            envs += 1
        elif kind.startswith("END_"):
            envs -= 1
        elif kind in ("LBRACE", "LPAREN", "LBRACK", "NORMOPEN", "LANGLE", "ABSOPEN"):
            depth += 1
        elif kind in ("RBRACE", "RPAREN", "RBRACK", "NORMCLOSE", "RANGLE", "ABSCLOSE"):
            depth -= 1
        following = tokens[idx + 1].type if idx + 1 < len(tokens) else ""
        if kind in ("DOT", "COMMA") and not depth and not envs and following in (
                "", "ROWSEP", "CHAINSEP"):
            continue  # "= y_1 \\log p_1. \\end{equation}": a sentence ends, not math
        # "\text{ if } j = k", "\forall j \neq k" after an equation: a condition on it
        worded = kind == "TEXT" and _CONDITION_WORDS.match(tok.value) is not None
        if kind not in _SEPARATES and not worded:
            out.append(tok)
            continue
        if depth or envs:
            if kind == "QUAD" or (envs and kind == "COMMA" and following in (
                    "AMP", "ROWSEP", "END_CASES")):  # "1, & \\text{if } i = j \\\\"
                continue
            if kind == "RELSEP":
                out.append(Token.new_borrow_pos("UNKNOWN", str(located(
                    source, tok.line or 0, tok.column or 0,
                    f"{tok.value} inside brackets or a script is not read: derive checks "
                    "chains of '='")), tok))
                continue
            out.append(tok)
            continue
        if kind == "RELSEP":  # its own link is unknown (derive.latex.parser), not dropped
            out.append(tok)
            continue
        if kind == "QUAD" and out and out[-1].type == "RELSEP":
            continue  # "\\quad\\implies\\quad c = d": space after a relation, no condition
        before = 0  # relations before it in its chain ('y \\sim P(a), b = c' counts \\sim)
        top = _top_level_back(out)
        for t in top:
            if t.type in ("CHAINSEP", "ROWSEP", "TEXT", "RELSEP"):
                before += t.type == "RELSEP"
                break
            before += t.type == "EQ"
        rest: list[Token] = []
        level = 0
        for t in tokens[idx + 1 :]:
            if t.type in ("LBRACE", "LPAREN", "LBRACK", "NORMOPEN", "LANGLE", "ABSOPEN") or (
                    t.type.startswith("BEGIN_")):
                level += 1
            elif t.type in ("RBRACE", "RPAREN", "RBRACK", "NORMCLOSE", "RANGLE", "ABSCLOSE") or (
                    t.type.startswith("END_")):
                level -= 1
            if level < 0 or (level == 0 and t.type in ("ROWSEP", "RELSEP")) or (
                    level == 0 and t.type == "TEXT" and rest):
                break
            if level == 0 and t.type in ("QUAD", "COMMA"):
                if rest:
                    break
                continue
            rest.append(t)
        after = any(t.type == "EQ" for t in rest)
        chain: list[Token] = []
        for t in reversed(out):
            if t.type in ("CHAINSEP", "ROWSEP", "TEXT", "RELSEP") and any(t is u for u in top):
                break
            chain.insert(0, t)
        if worded:
            named = _quantified_letters(tokens, idx + 1)
            if before and _QUANTIFIER.match(tok.value) and named > idx + 1:
                skip = named - 1  # "= 0 \quad \forall k": every k is what derive checks
            elif before and rest and not _defines_a_value(rest, chain) and not (
                    _DEFINING_WORDS.match(tok.value) and _defines_an_entry(rest, chain)):
                out.append(Token.new_borrow_pos("UNKNOWN", str(located(
                    source, tok.line or 0, tok.column or 0,
                    f"a condition written after the formula ('{tok.value.strip()} ...') is "
                    "not read: write it as '% derive: where ...' before the block")), tok))
            else:  # an annotation between equations ("where s = 2"): a new chain
                out.append(tok)
            continue
        if rest and rest[0].type == "TEXT" and _CONDITION_WORDS.match(rest[0].value):
            continue  # ", \quad \text{if } i = j": the words decide, at their own turn
        if before and rest and _looks_like_condition(rest) and not _defines_a_value(
                rest, chain, fresh=True):
            out.append(Token.new_borrow_pos("UNKNOWN", str(located(
                source, tok.line or 0, tok.column or 0,
                "a condition written after the formula is not read: write it as "
                "'% derive: where ...' before the block")), tok))
            continue
        if before and after:
            out.append(Token.new_borrow_pos("CHAINSEP", tok.value, tok))
        elif kind == "COMMA":
            out.append(tok)
    return out


# what ends an operand (a membership after one annotates it) and what may follow the set
_ANNOTATED = frozenset({"LETTER", "NUM", "RPAREN", "RBRACE", "RBRACK", "NORMCLOSE",
                        "ABSCLOSE", "END_BMATRIX", "PRIME", "RANGLE"})
_AFTER_SET = frozenset({"", "ROWSEP", "CHAINSEP", "EQ", "COMMA", "QUAD", "RELSEP", "TEXT",
                        "AMP", "DOT", "SEMI"})


def _script_span(tokens: list[Token], k: int) -> int:
    """The index just past the script that starts at ``tokens[k]`` (``_`` or ``^``): one
    token or one braced group; ``k`` when there is none."""
    if k + 1 >= len(tokens) or tokens[k].type not in ("SUB", "SUP"):
        return k
    if tokens[k + 1].type != "LBRACE":
        return k + 2 if tokens[k + 1].type in ("LETTER", "NUM") else k
    level = 0
    for end in range(k + 1, len(tokens)):
        level += {"LBRACE": 1, "RBRACE": -1}.get(tokens[end].type, 0)
        if level == 0:
            return end + 1
    return k


_STOPS_OVER = frozenset({"EQ", "RELSEP", "ROWSEP", "AMP", "CHAINSEP", "NEQ", "IN", "COMMA",
                         "OVER"})


def _balanced(part: list[Token]) -> bool:
    level = 0
    for tok in part:
        level += (tok.type in _OPENS) - (tok.type in _CLOSES)
        if level < 0:
            return False
    return level == 0 and bool(part)


def _infix_fractions(tokens: list[Token], source: str) -> list[Token]:
    """``{a \\over b}`` is ``\\frac{a}{b}`` (plain TeX's infix fraction: everything before
    ``\\over`` in its braced group is the numerator, everything after it the denominator).
    The group is rewritten to the tokens of ``\\frac`` when both parts are formulas on their
    own (balanced, with no ``=``, relation, line break or second ``\\over``). Any other
    ``\\over`` (outside braces, around an ``=``) is not read: the member is unknown, named."""
    out = list(tokens)
    while True:
        opened: list[int] = []
        pending: int | None = None
        for k, tok in enumerate(out):
            if tok.type == "LBRACE":
                opened.append(k)
            elif tok.type == "RBRACE" and opened:
                start = opened.pop()
                overs = [j for j in range(start + 1, k) if out[j].type == "OVER"]
                if len(overs) != 1:
                    continue
                j = overs[0]
                top, bottom = out[start + 1:j], out[j + 1:k]
                inner = [t for t in out[start + 1:k] if t.type in _STOPS_OVER]
                if len(inner) != 1 or not _balanced(top) or not _balanced(bottom):
                    continue
                pending = start
                frac = Token.new_borrow_pos("FRAC", "\\frac", out[j])
                lb = [Token.new_borrow_pos("LBRACE", "{", out[start]),
                      Token.new_borrow_pos("RBRACE", "}", out[k])]
                out[start:k + 1] = [out[start], frac, lb[0], *top, lb[1], lb[0], *bottom,
                                    lb[1], out[k]]
                break
        if pending is None:
            break
    for k, tok in enumerate(out):
        if tok.type == "OVER":
            out[k] = Token.new_borrow_pos("UNKNOWN", str(located(
                source, tok.line or 0, tok.column or 0,
                "\\over outside a braced group of its own ({a \\over b}) is not read: "
                "write \\frac{a}{b}")), tok)
    return out


# a product dot: what may start the factor after it
_FACTOR_STARTS = frozenset({"LETTER", "NUM", "FRAC", "LPAREN", "LBRACK", "LBRACE", "FUNC",
                            "SUM", "PROD", "ABSOPEN", "NORMOPEN"})


def _dot_products(tokens: list[Token], text: str) -> list[Token]:
    """``\\sigma.\\frac{e^{-x}}{1+e^{-x}}``, ``e^{a}.e^{b}``, ``f(x) . g(x)``: a period between
    two factors is a product, as ``\\cdot`` is (notes typed on a keyboard write it so). A
    period that ends a sentence (``= b. Then``: no space before it, one after it), one that
    ends the formula, one between two numbers, and one inside a script (``x_{i.}``) stay
    periods."""
    out = list(tokens)
    scripts: list[bool] = []  # each open brace: whether it opens a script
    for k, tok in enumerate(out):
        if tok.type == "LBRACE":
            scripts.append(k > 0 and out[k - 1].type in ("SUB", "SUP"))
        elif tok.type == "RBRACE" and scripts:
            scripts.pop()
        if tok.type != "DOT" or k == 0 or k + 1 >= len(out) or any(scripts):
            continue
        before, after = out[k - 1].type, out[k + 1].type
        if before not in _ANNOTATED or after not in _FACTOR_STARTS or (
                before == "NUM" and after == "NUM"):
            continue
        at = tok.start_pos or 0
        spaced_before = at > 0 and text[at - 1].isspace()
        spaced_after = at + 1 < len(text) and text[at + 1].isspace()
        if spaced_after and not spaced_before:
            continue  # "= b. Then c = d": the end of a sentence
        out[k] = Token.new_borrow_pos("MULOP", "\\cdot", tok)
    return out


def _drop_memberships(tokens: list[Token]) -> list[Token]:
    """``W = Q K^T \\in \\mathbb{R}^{n \\times n}``: a number set after a formula, at the top
    level, is the space it lies in (:data:`~derive.latex.constructs.NUMBER_SETS`), a type
    annotation and no claim: ``\\in``, the set and its scripts are dropped, the formula
    before them is read. Inside brackets, scripts or environments (``\\sum_{i \\in S}``),
    after no operand, before anything but a separator, or with another set
    (``y \\in \\{0, 1\\}``), nothing changes."""
    out: list[Token] = []
    depth = 0
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        kind = tok.type
        if kind in _OPENS or kind.startswith("BEGIN_"):
            depth += 1
        elif kind in _CLOSES or kind.startswith("END_"):
            depth -= 1
        if (kind == "IN" and depth == 0 and out and out[-1].type in _ANNOTATED
                and k + 1 < len(tokens) and tokens[k + 1].type == "LETTER"
                and tokens[k + 1].value in NUMBER_SETS):
            end = k + 2
            for _ in range(2):  # \mathbb{R}^{n \times d}, \mathbb{R}_{+}^{n}
                end = _script_span(tokens, end)
            following = tokens[end].type if end < len(tokens) else ""
            if following in _AFTER_SET:
                k = end
                continue
        out.append(tok)
        k += 1
    return out


def _top_level_back(tokens: list[Token]) -> list[Token]:
    """The tokens of ``tokens`` outside every bracket and environment, last first: a line
    break inside a matrix (``\\left(\\begin{array}{c} a \\\\ b \\end{array}\\right)``) is no
    row of the block."""
    out: list[Token] = []
    level = 0
    for t in reversed(tokens):
        if t.type in _CLOSES or t.type.startswith("END_"):
            level += 1
        elif t.type in _OPENS or t.type.startswith("BEGIN_"):
            level -= 1
        elif level == 0:
            out.append(t)
    return out


def _quantified_letters(tokens: list[Token], start: int) -> int:
    """The index just past ``j, k`` after ``\\forall`` at ``start`` when nothing but letters
    and commas follows up to the end of the equation (no relation: no condition), else
    ``start``."""
    end = start
    while end < len(tokens) and tokens[end].type in ("LETTER", "COMMA"):
        end += 1
    if end == start or tokens[end - 1].type == "COMMA":
        return start
    if end < len(tokens) and tokens[end].type not in ("ROWSEP", "CHAINSEP", "QUAD", "TEXT"):
        return start
    return end


# what may follow \exp^{...} when no argument does: the end of a group, a term or a member
_NO_ARGUMENT = frozenset({"RBRACE", "RPAREN", "RBRACK", "PLUS", "MINUS", "EQ", "ROWSEP",
                          "COMMA", "AMP", "QUAD", "RELSEP", "NEQ", "CHAINSEP", "DOT",
                          "MULOP", "ODOT", "OTIMES", "SLASH"})


def _exp_powers(tokens: list[Token]) -> list[Token]:
    """``\\exp^{x}`` with nothing after its superscript is Euler's number to the power x,
    ``e^{x}`` (MathJax prints exp with a superscript; an exponential needs an argument). With an
    argument after it (``\\exp^2(x)``: a power of exp?) nothing changes: it is not read."""
    out = list(tokens)
    for k, tok in enumerate(out):
        if tok.type != "FUNC" or tok.value != "\\exp" or k + 1 >= len(out) or (
                out[k + 1].type != "SUP"):
            continue
        end = k + 2
        if end < len(out) and out[end].type == "LBRACE":
            level = 0
            for end in range(k + 2, len(out)):
                level += {"LBRACE": 1, "RBRACE": -1}.get(out[end].type, 0)
                if level == 0:
                    break
            else:
                continue
        if end + 1 >= len(out) or out[end + 1].type in _NO_ARGUMENT:
            out[k] = Token("LETTER", "e", start_pos=tok.start_pos, line=tok.line,
                           column=tok.column)
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
            # an empty line between (\\ \\ =) still continues the chain
            following = [t for t in tokens[idx + 1 :] if t.type not in ("AMP", "ROWSEP")][:1]
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
