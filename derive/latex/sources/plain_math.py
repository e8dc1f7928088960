"""Plain-text maths: equations written without LaTeX, one member per line.

People paste derivations as plain text (Q&A pages, blog posts, code comments)::

    z * -log(sigmoid(x)) + (1 - z) * -log(1 - sigmoid(x))
    = z * log(1 + exp(-x)) + (1 - z) * (x + log(1 + exp(-x)))

This module reads one such line into LaTeX that derive's parser reads as the author meant
(:func:`translate`), with each character's offset in the line, so every later stage (the
parse tree, the checker, the referee) is the same as for a display. A line is read only when
*the whole line* is maths in this small grammar; anything else (a word, a comma, an unbalanced
parenthesis, a character outside it) makes it prose (``None``):

* numbers, one-letter names (``x``, ``X``, ``x_1``, ``x_i``, ``a_h1``; ``w1`` is ``w_1``), and
  short runs of one-letter
  names side by side in mixed case (``Xw``, ``yX``: juxtaposition; ``lr``, ``is``, ``So``
  are words, ``ET``, ``CE`` names in capitals, ``dE``, ``d(x)`` differentials: none is read);
* ``+``, ``-`` (also in front), ``*``, ``/``, ``^`` or ``**``, parentheses;
* the functions of :data:`FUNCTIONS` (``exp(...)``, ``log(...)``, ``sigmoid(...)``,
  ``sqrt(...)``, ...), each one table row;
* ``'`` after a name or a parenthesis: a transpose (``^T``) only when ``transpose`` is set
  (the notes say so in prose: :func:`transpose_declared`), otherwise a prime, kept as written.

A line must also hold an operator or a function (a lone name is not a formula).

>>> translate("= z * -log(sigmoid(x))")[0]
'= z * (-\\\\log(\\\\operatorname{sigmoid}(x)))'
>>> translate("(y-Xw)'(y-Xw)", transpose=True)[0]
'(y - X w)^{T} (y - X w)'
>>> [translate(s) for s in ("So I think this might be", "x = logits", "lr * g", "max(x, 0)")]
[None, None, None, None]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["FUNCTIONS", "is_prose", "translate", "transpose_declared"]


def _call(latex: str) -> Callable[[str], str]:
    return lambda arg: f"{latex}({arg})"


#: a function name written in plain text -> how its call is written in LaTeX (one row each)
FUNCTIONS: dict[str, Callable[[str], str]] = {
    "exp": _call("\\exp"),
    "log": _call("\\log"),
    "ln": _call("\\ln"),
    "sigmoid": _call("\\operatorname{sigmoid}"),
    "softmax": _call("\\operatorname{softmax}"),
    "tanh": _call("\\tanh"),
    "sqrt": lambda arg: f"({arg})^{{1/2}}",  # derive reads a root as a power
}

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)"
                    r"|(?P<word>[A-Za-z]+\d*(?:_(?:[A-Za-z0-9]+|\{[A-Za-z0-9]+\}))?)"
                    r"|(?P<op>\*\*|[-+*/^()='])|(?P<bad>\S))")
# short words that look like two names side by side (Xw) when they open a sentence
_WORDS = frozenset({"Am", "An", "As", "At", "Be", "By", "Do", "Go", "He", "If", "In", "Is", "It",
                    "Me", "My", "No", "Of", "Oh", "Ok", "On", "Or", "So", "To", "Up", "Us", "We"})
# a line that is prose: a word of four letters or more (not a function), or a letter of a
# script other than Latin ("and I expand it", "Now I get the gradient", Chinese)
_PROSE = re.compile(r"[A-Za-z]{4,}|[^\x00-\x7f]")
# "I am using ' to denote the transpose", "x' is the transpose of x", "' for transpose"
_TRANSPOSE = re.compile(
    r"(?:'|′|\bprimes?\b)\s*(?:(?:to|will|shall|is|are|be|used|here|as|which|that)\s+){0,3}"
    r"(?:denot\w*|for|means?|indicat\w*|is|as)\s+(?:a\s+|the\s+)?transpos"
    r"|[A-Za-z]'\s+(?:is|denotes|means)\s+(?:the\s+)?transpos", re.IGNORECASE)


def is_prose(line: str) -> bool:
    """Is ``line`` (not maths in this grammar) prose between the members of a chain, which
    a ``=`` line after it may reach over? A line that is neither (``= log(1 + exp(x)``, an
    unbalanced parenthesis) breaks the chain: the ``=`` lines after it are not read.

    >>> [is_prose(s) for s in ("and I expand it", "对于x < 0", "= log(1 + exp(x)")]
    [True, True, False]
    """
    return any(m.group() not in FUNCTIONS for m in _PROSE.finditer(line))


def transpose_declared(prose: str) -> bool:
    """Do the notes say, in prose, that ``'`` is the transpose?

    >>> transpose_declared("(I am using ' to denote the transpose as in matlab)")
    True
    >>> transpose_declared("where f' is the derivative of f")
    False
    """
    return _TRANSPOSE.search(prose) is not None


@dataclass
class _Out:
    """LaTeX being written, with the line offset of each character."""

    text: str
    at: list[int]

    def __add__(self, other: _Out) -> _Out:
        return _Out(self.text + other.text, self.at + other.at)


def _lit(s: str, at: int) -> _Out:
    return _Out(s, [at] * len(s))


class _NotMaths(Exception):
    """The line is not maths in this grammar."""


@dataclass
class _Tok:
    kind: str
    text: str
    at: int


@dataclass
class _Node:
    """A parsed piece: its LaTeX, and its precedence (what must be bracketed around it)."""

    out: _Out
    level: int  # 0 sum, 1 product, 2 unary minus, 3 power/atom


def _tokens(line: str) -> list[_Tok]:
    out, pos = [], 0
    while pos < len(line):
        m = _TOKEN.match(line, pos)
        if m is None or not m.group().strip():
            break
        kind = m.lastgroup or "bad"
        if out and out[-1].text == "d" and m.start(kind) == pos and (
                kind == "word" or m.group(kind) == "("):
            raise _NotMaths  # d(x^2)/dx, dx: a differential, not d times x
        if kind == "bad" or (kind == "num" and out and out[-1].kind == "word"
                             and m.start(kind) == pos):
            raise _NotMaths  # x1, a character outside the grammar
        word, at = m.group(kind), m.start(kind)
        pos = m.end()
        name, _, sub = word.partition("_")
        letters = name.rstrip("0123456789")
        if kind == "word" and letters != name:  # w1, E2: a numbered name, w_1
            if len(letters) != 1 or sub:
                raise _NotMaths  # ET1, lr2, w1_2: not one letter and its number
            out.append(_Tok(kind, word, at))
            continue
        if kind != "word" or word in FUNCTIONS or len(name) == 1:
            out.append(_Tok(kind, word, at))
            continue
        # a run of letters: one-letter names side by side (Xw, yX), never a word (lr, is, So),
        # a name in capitals (ET, CE, MSE) or a differential (dE/dw is no product d E / d w)
        if sub or name.islower() or name.isupper() or len(name) > 3 or (
                name.istitle() and len(name) > 2) or name in _WORDS or name[0] == "d":
            raise _NotMaths
        out.extend(_Tok("word", c, at + k) for k, c in enumerate(name))
    return out


class _Parser:
    def __init__(self, toks: list[_Tok], transpose: bool) -> None:
        self.toks, self.i, self.transpose = toks, 0, transpose
        self.operators = 0

    def peek(self, *texts: str) -> bool:
        return self.i < len(self.toks) and (not texts or self.toks[self.i].text in texts)

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> _Tok:
        if not self.peek(text):
            raise _NotMaths
        return self.take()

    def sum(self) -> _Node:
        node = self.product()
        while self.peek("+", "-"):
            op = self.take()
            right = self.product()
            self.operators += 1
            node = _Node(node.out + _lit(f" {op.text} ", op.at) + self.bracket(right, 1), 0)
        return node

    def product(self) -> _Node:
        node = self.unary()
        while self.peek("*", "/") or self.starts_atom():
            if self.peek("*", "/"):
                op = self.take()
                right = self.unary()
                self.operators += 1
                if op.text == "/":
                    node = _Node(_lit("\\frac{", op.at) + node.out + _lit("}{", op.at)
                                 + right.out + _lit("}", op.at), 3)
                else:
                    node = _Node(self.bracket(node, 1) + _lit(" * ", op.at)
                                 + self.bracket(right, 3), 1)
            else:  # juxtaposition: Xw, 2(x + 1)
                if node.out.text.startswith("\\frac{"):
                    raise _NotMaths  # 1/2x: 1/(2x) or x/2? not written
                right = self.power()
                node = _Node(self.bracket(node, 1) + _lit(" ", right.out.at[0])
                             + self.bracket(right, 3), 1)
        return node

    def unary(self) -> _Node:
        if self.peek("-", "+"):
            op = self.take()
            inner = self.unary()
            return _Node(_lit(op.text, op.at) + self.bracket(inner, 2), 2)
        return self.power()

    def power(self) -> _Node:
        base = self.postfix()
        if self.peek("^", "**"):
            op = self.take()
            exp = self.unary()
            self.operators += 1
            return _Node(self.bracket(base, 3) + _lit("^{", op.at) + exp.out + _lit("}", op.at), 3)
        return base

    def postfix(self) -> _Node:
        node = self.atom()
        while self.peek("'"):
            tok = self.take()
            self.operators += 1
            mark = "^{T}" if self.transpose else "'"
            node = _Node(self.bracket(node, 3) + _lit(mark, tok.at), 3)
        return node

    def starts_atom(self) -> bool:
        return self.peek() and (self.toks[self.i].kind in ("num", "word")
                                or self.toks[self.i].text == "(")

    def atom(self) -> _Node:
        if not self.peek():
            raise _NotMaths
        tok = self.take()
        if tok.text == "(":
            inner = self.sum()
            close = self.expect(")")
            return _Node(_lit("(", tok.at) + inner.out + _lit(")", close.at), 3)
        if tok.kind == "num":
            return _Node(_lit(tok.text, tok.at), 3)
        if tok.kind != "word":
            raise _NotMaths
        if tok.text in FUNCTIONS and self.peek("("):
            self.take()
            inner = self.sum()
            close = self.expect(")")
            self.operators += 1
            text = FUNCTIONS[tok.text]("\x00")
            head, tail = text.split("\x00")
            return _Node(_lit(head, tok.at) + inner.out + _lit(tail, close.at), 3)
        return self._names(tok)

    def _names(self, tok: _Tok) -> _Node:
        """One letter, with its subscript (``x_i``, ``x_{ij}``, ``a_h1``) or its number
        (``w1``: ``w_{1}``)."""
        name, _, sub = tok.text.partition("_")
        number = name[1:]
        if len(name) != 1 and not number.isdigit():
            raise _NotMaths  # a word that is no function (or a function without its call)
        out = _lit(name[0], tok.at)
        if number or sub:
            out = out + _lit(f"_{{{number or sub.strip('{}')}}}", tok.at + 1)
        return _Node(out, 3)

    @staticmethod
    def bracket(node: _Node, level: int) -> _Out:
        if node.level >= level:
            return node.out
        return _lit("(", node.out.at[0]) + node.out + _lit(")", node.out.at[-1])


def translate(line: str, transpose: bool = False) -> tuple[str, list[int]] | None:
    """The LaTeX of the plain-text maths ``line`` and, for each of its characters, the offset
    in ``line`` it comes from; None when the line is not wholly maths. A line may start with
    ``=`` (it continues the formula before it: kept in front) and may end with a full stop."""
    body = line.rstrip()
    if body.endswith("."):
        body = body[:-1]
    try:
        toks = _tokens(body)
        lead = []
        while toks and toks[0].text == "=" and not lead:
            lead.append(toks.pop(0))
        if not toks:
            return None
        parser = _Parser(toks, transpose)
        members = [parser.sum()]
        while parser.peek("="):
            eq = parser.take()
            members.append(_Node(_lit(" = ", eq.at).__add__(parser.sum().out), 0))
        if parser.peek():
            raise _NotMaths
    except (_NotMaths, IndexError, RecursionError):
        return None
    if parser.operators == 0 and len(members) == 1 and not lead:
        return None  # a lone name or number is not a formula
    out = _lit("= ", lead[0].at) if lead else _Out("", [])
    for node in members:
        out = out + node.out
    return out.text, out.at
