"""The grammar of our own (lark, LALR) from tokens to the syntax tree in :mod:`.ast`.

No ``eval``, ``sympify`` or ``parse_expr``: the tree is built from tokens only.
Sums, products and chains are flat lists, so long formulas never recurse deeply;
bracket depth is bounded by the tokenizer.

>>> block = parse_block(r"a = \\frac{b}{c}", 1, 1)
>>> len(block[0].members)
2
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError
from lark.lexer import Lexer

from derive.errors import DeriveError
from derive.latex import ast
from derive.latex.constructs import IMPLICATIONS, LOG_BASES
from derive.latex.errors import located
from derive.latex.superscripts import fold, fold_parens
from derive.latex.tokens import tokenize

__all__ = ["GRAMMAR", "parse_block", "parse_expr_text"]

#: the functions a whole-number power may be written on, ``\\log^2 x = (\\log x)^2``
_POWERED = frozenset({"\\log", "\\ln"})

GRAMMAR = r"""
start: chain (CHAINSEP chain)*
chain: expr (EQ expr)*

expr: lead (addop term)*
lead: addop term | term
addop: PLUS | MINUS
?term: product | frobenius
frobenius: product COLON product

product: item+
?item: postfix | bigop | func | opitem
func: FUNC (SUB sarg)? (SUP sarg)?
opitem: (MULOP | OTIMES | ODOT | SLASH) operand
?operand: postfix | bigop | func | negoperand
negoperand: MINUS postfix
bigop: (SUM | PROD) (script | PRIME)*

postfix: primary script* PRIME* BANG?
script: SUB sarg -> subscript
      | SUP sarg -> supscript
?sarg: letter | num | LBRACE sbody RBRACE -> braced
sbody: sitem ((COMMA | SEMI) sitem)*
?sitem: expr | rel | free | stack
free: DOT expr
stack: SUBSTACK LBRACE sitem (ROWSEP sitem)* RBRACE
rel: expr (EQ | NEQ | IN) expr

?primary: letter | num | paren | brack | brace | frac | cases | matrix | norm | over | angle
        | abs
letter: LETTER
num: NUM
paren: LPAREN gitem ((COMMA | SEMI | MID) gitem)* RPAREN
brack: LBRACK gitem ((COMMA | SEMI) gitem)* RBRACK
brace: LBRACE expr RBRACE
?gitem: expr | rel
frac: FRAC farg farg
?farg: LBRACE expr RBRACE -> braced_arg | letter | num
cases: BEGIN_CASES crow (ROWSEP crow)* ROWSEP? END_CASES
crow: expr -> row_plain
    | expr AMP TEXT* rel? -> row_cond
    | rel COMMA expr -> row_cond_first
matrix: BEGIN_BMATRIX mrow (ROWSEP mrow)* ROWSEP? END_BMATRIX
mrow: expr (AMP expr)*
norm: NORMOPEN expr NORMCLOSE
abs: ABSOPEN expr ABSCLOSE
over: OVERBRACE LBRACE expr RBRACE
angle: LANGLE expr COMMA expr RANGLE

%declare CHAINSEP EQ PLUS MINUS MULOP OTIMES ODOT SLASH FUNC SUM PROD SUB SUP PRIME
%declare LBRACE RBRACE COMMA SEMI DOT SUBSTACK ROWSEP NEQ LETTER NUM LPAREN RPAREN
%declare LBRACK RBRACK FRAC BEGIN_CASES END_CASES AMP TEXT BEGIN_BMATRIX END_BMATRIX
%declare NORMOPEN NORMCLOSE OVERBRACE MID IN LANGLE RANGLE BANG COLON ABSOPEN ABSCLOSE
"""

READABLE = {
    "CHAINSEP": "a line break", "EQ": "'='", "PLUS": "'+'", "MINUS": "'-'",
    "MULOP": "'\\cdot'", "OTIMES": "'\\otimes'", "ODOT": "'\\odot'", "SLASH": "'/'",
    "FUNC": "\\log or \\exp", "SUM": "\\sum", "PROD": "\\prod", "SUB": "'_'", "SUP": "'^'",
    "PRIME": "a prime", "LBRACE": "'{'", "RBRACE": "'}'", "COMMA": "','", "SEMI": "';'",
    "DOT": "'.'", "SUBSTACK": "\\substack", "ROWSEP": "'\\\\'", "NEQ": "'\\neq'",
    "LETTER": "a symbol", "NUM": "a number", "LPAREN": "'('", "RPAREN": "')'",
    "LBRACK": "'['", "RBRACK": "']'", "FRAC": "\\frac", "BEGIN_CASES": "\\begin{cases}",
    "END_CASES": "\\end{cases}", "AMP": "'&'", "TEXT": "\\text{...}",
    "BEGIN_BMATRIX": "\\begin{bmatrix}", "END_BMATRIX": "\\end{bmatrix}",
    "NORMOPEN": "'\\|'", "NORMCLOSE": "'\\|'", "ABSOPEN": "'|'", "ABSCLOSE": "'|'",
    "OVERBRACE": "\\overbrace", "$END": "the end",
    "MID": "'|' (a conditional probability bar, inside parentheses)", "IN": "\\in",
    "LANGLE": "\\langle", "RANGLE": "\\rangle", "BANG": "'!' (a factorial)",
    "COLON": "':' (a Frobenius product A:B)",
}


class _ListLexer(Lexer):
    """Hands lark the tokens our own tokenizer made."""

    def __init__(self, lexer_conf: object) -> None:
        pass

    def lex(self, data: list[Token]) -> Iterable[Token]:  # type: ignore[override]
        yield from data


def _sign(tok: Token) -> str:
    """``'+'`` or ``'-'`` by the token's kind, never by its text (the character table has
    already read every dash and minus sign as MINUS)."""
    return "-" if tok.type == "MINUS" else "+"


# the words of a cases row that make it the complement of the other rows
_OTHERWISE = re.compile(r"(?:,\s*)?(?:otherwise|else|elsewhere|o\.?\s?w\.?|"
                        r"in (?:all )?other cases|)\s*[.,]?")


def _no_double_script(items: list) -> None:
    """TeX's own rule: one base takes at most one superscript and one subscript, and a
    prime after a superscript is a second one. ``2^3^2`` is not read as (2^3)^2 or as
    2^(3^2): TeX stops with "Double superscript", and so does derive, at the second script."""
    seen: set[str] = set()
    for it in items[1:]:
        mark = "^" if isinstance(it, Token) else it[0]  # a PRIME token is a superscript
        if mark in seen:
            line, col = (it.line, it.column) if isinstance(it, Token) else (it[1].line,
                                                                             it[1].col)
            kind = "superscript" if mark == "^" else "subscript"
            raise located("", line or 0, col or 0, f"Double {kind} (TeX's error): a base "
                          f"takes one {kind}; write the scripts grouped, as x{mark}{{a{mark}b}}"
                          f" or {{x{mark}a}}{mark}b")
        if not isinstance(it, Token):  # x'' is one superscript of two primes
            seen.add(mark)


def _pos(tok: Token) -> dict[str, int]:
    return {"line": tok.line or 0, "col": tok.column or 0}


def _first_pos(items: Iterable[object]) -> dict[str, int]:
    for it in items:
        if isinstance(it, Token):
            return _pos(it)
        if isinstance(it, ast.Node):
            return {"line": it.line, "col": it.col}
    return {"line": 0, "col": 0}


class _Build(Transformer):
    """Tokens and subtrees to :mod:`.ast` nodes (one method per grammar rule). Each method
    takes the rule's children as one list, lark's default: no ``v_args`` on the class, which
    would wrap every method on every call (a ``functools.update_wrapper`` per tree node, about
    a tenth of a block's parse)."""

    def start(self, items: list) -> list[ast.Chain]:
        return [it for it in items if isinstance(it, ast.Chain)]

    def chain(self, items: list) -> ast.Chain:
        members = tuple(it for it in items if isinstance(it, ast.Node))
        links = tuple(str(it) for it in items if isinstance(it, Token) and it.type == "EQ")
        return ast.Chain(members=members, links=links, **_first_pos(items))

    def addop(self, items: list) -> Token:
        return items[0]

    def lead(self, items: list) -> tuple[str, ast.Node]:
        if len(items) == 2:
            return (_sign(items[0]), items[1])
        return ("+", items[0])

    def expr(self, items: list) -> ast.Node:
        terms = [items[0]]
        for k in range(1, len(items), 2):
            sign, term = _sign(items[k]), items[k + 1]
            last = terms[-1][1]
            tail = last.items[-1] if isinstance(last, ast.Product) else last
            if sign == "-" and isinstance(tail, ast.BigOp):
                # \sum_j -\frac{y_j}{p_j} ...: the sum of a signed term, not a difference
                neg = ast.Neg(body=term, line=term.line, col=term.col)
                head = last.items if isinstance(last, ast.Product) else (last,)
                terms[-1] = (terms[-1][0], ast.Product(items=(*head, neg), line=last.line,
                                                       col=last.col))
                continue
            terms.append((sign, term))
        if len(terms) == 1 and terms[0][0] == "+":
            return terms[0][1]
        return ast.Add(terms=tuple(terms), **_first_pos([terms[0][1]]))

    def product(self, items: list) -> ast.Node:
        if len(items) == 1:
            return items[0]
        return ast.Product(items=tuple(items), **_first_pos(items))

    def func(self, items: list) -> ast.Func:
        scripts = {tok.type: (tok, arg) for tok, arg in zip(items[1::2], items[2::2],
                                                             strict=True)}
        base = scripts["SUB"][1] if "SUB" in scripts else None
        if base is not None and items[0].value not in LOG_BASES:
            raise located("", items[1].line or 0, items[1].column or 0,
                          f"a subscript on {items[0].value}: only \\log takes one (its base, "
                          "as in \\log_2 x)")
        power = None
        if "SUP" in scripts:  # \log^2 x: the power of the value, for a whole number only
            tok, power = scripts["SUP"]
            if items[0].value not in _POWERED or not (
                    isinstance(power, ast.Num) and power.text.isdigit() and int(power.text) >= 1):
                raise located("", tok.line or 0, tok.column or 0,
                              f"a superscript on {items[0].value}: only a whole number on \\log "
                              "or \\ln is read (\\log^2 x, the power of the value; "
                              "\\log^{-1} may be the inverse function, \\exp^2 x a "
                              "composition): write brackets, as in (\\log x)^y")
        return ast.Func(name=items[0].value, base=base, power=power, **_pos(items[0]))

    def opitem(self, items: list) -> ast.Op:
        # by the token's kind: \times, \ast, * (and ×, · through the character table) are
        # all MULOP
        op = {"MULOP": "\\cdot", "OTIMES": "\\otimes", "ODOT": "\\odot", "SLASH": "/"}[
            items[0].type]
        if op == "\\cdot" and items[0].value != "\\cdot":
            op = "\\times"  # \times, \ast, *: as \cdot, except between two vectors
        return ast.Op(op=op, operand=items[1], **_pos(items[0]))

    def frobenius(self, items: list) -> ast.Group:
        # A:B, the Frobenius product sum_ij A_ij B_ij: looser than juxtaposition (A:BC is
        # A:(BC)), tighter than + and -; a chain A:B:C is not read (no grammar for it)
        return ast.Group(delim=":", items=(items[0], items[2]), **_first_pos([items[0]]))

    def negoperand(self, items: list) -> ast.Neg:
        return ast.Neg(body=items[1], **_pos(items[0]))

    def bigop(self, items: list) -> ast.BigOp:
        kind = "sum" if items[0].type == "SUM" else "prod"
        primes = [it for it in items[1:] if isinstance(it, Token)]
        if primes:  # \sum' "the derivative of the sum": by which variable is not written
            raise located("", primes[0].line or 0, primes[0].column or 0,
                          f"a prime on \\{kind} (\\{kind}'): the derivative of the {kind}, by "
                          f"a variable the formula does not name (and a bare \\{kind} is a short "
                          f"name for a {kind} written elsewhere, which derive does not read); "
                          f"write it as \\frac{{\\partial}}{{\\partial x}} \\{kind} ...")
        subs = [s[1] for s in items[1:] if s[0] == "_"]
        sups = [s[1] for s in items[1:] if s[0] == "^"]
        _no_double_script(items)
        if len(subs) > 1 or len(sups) > 1:
            raise located("", items[0].line, items[0].column, f"\\{kind} has two limits of "
                          "the same kind: expected at most one _ and one ^")
        return ast.BigOp(kind=kind, sub=subs[0] if subs else None,
                         sup=sups[0] if sups else None, **_pos(items[0]))

    def postfix(self, items: list) -> ast.Node:
        if isinstance(items[-1], Token) and items[-1].type == "BANG":  # y_i!: a factorial
            node = self.postfix(items[:-1])
            return ast.Group(delim="!", items=(node,), line=node.line, col=node.col)
        base = items[0]
        subs = tuple(s[1] for s in items[1:] if isinstance(s, tuple) and s[0] == "_")
        sups = tuple(s[1] for s in items[1:] if isinstance(s, tuple) and s[0] == "^")
        primes = sum(1 for s in items[1:] if isinstance(s, Token))
        _no_double_script(items)
        base, sups = fold(base, subs, sups)  # z^{[l]}: a layer label, part of the name
        if not subs and not sups and not primes:
            return base
        return ast.Postfix(base=base, subs=subs, sups=sups, primes=primes,
                           line=base.line, col=base.col)

    def subscript(self, items: list) -> tuple[str, ast.Node]:
        return ("_", items[1])

    def supscript(self, items: list) -> tuple[str, ast.Node]:
        return ("^", items[1])

    def braced(self, items: list) -> ast.Node:
        return items[1]

    def braced_arg(self, items: list) -> ast.Node:
        return items[1]

    def sbody(self, items: list) -> ast.Node:
        nodes = tuple(it for it in items if isinstance(it, ast.Node))
        if len(nodes) == 1:
            return nodes[0]
        return ast.Seq(items=nodes, **_first_pos(nodes))

    def free(self, items: list) -> ast.Free:
        return ast.Free(rest=items[1], **_pos(items[0]))

    def stack(self, items: list) -> ast.Stack:
        nodes = tuple(it for it in items if isinstance(it, ast.Node))
        return ast.Stack(items=nodes, **_pos(items[0]))

    def rel(self, items: list) -> ast.Rel:
        op = {"EQ": "=", "NEQ": "\\neq", "IN": "\\in"}[items[1].type]
        return ast.Rel(lhs=items[0], op=op, rhs=items[2], **_first_pos(items))

    def letter(self, items: list) -> ast.Letter:
        return ast.Letter(name=items[0].value, **_pos(items[0]))

    def num(self, items: list) -> ast.Num:
        return ast.Num(text=items[0].value, **_pos(items[0]))

    def _group(self, delim: str, items: list) -> ast.Group:
        nodes = tuple(it for it in items if isinstance(it, ast.Node))
        return ast.Group(delim=delim, items=nodes, **_pos(items[0]))

    def paren(self, items: list) -> ast.Group:
        return self._group("(", items)

    def brack(self, items: list) -> ast.Group:
        group = self._group("[", items)
        return replace(group, curly=items[0].value == "\\{")

    def brace(self, items: list) -> ast.Group:
        return self._group("{", items)

    def frac(self, items: list) -> ast.Frac:
        return ast.Frac(num=items[1], den=items[2], **_pos(items[0]))

    def row_plain(self, items: list) -> tuple[ast.Node, ast.Node | None, bool]:
        return (items[0], None, True)

    def row_cond(self, items: list) -> tuple[ast.Node, ast.Node | None, bool]:
        cond = items[-1] if isinstance(items[-1], ast.Rel) else None
        words = " ".join(t.value for t in items[1:] if isinstance(t, Token)
                         and t.type == "TEXT").strip().lower()
        return (items[0], cond, cond is not None or _OTHERWISE.fullmatch(words) is not None)

    def row_cond_first(self, items: list) -> tuple[ast.Node, ast.Node | None, bool]:
        return (items[2], items[0], True)

    def cases(self, items: list) -> ast.Cases:
        rows = [it for it in items if isinstance(it, tuple)]
        return ast.Cases(rows=tuple((v, c) for v, c, _ in rows),
                         unread=tuple(n for n, (_, _, read) in enumerate(rows) if not read),
                         **_pos(items[0]))

    def mrow(self, items: list) -> tuple[ast.Node, ...]:
        return tuple(it for it in items if isinstance(it, ast.Node))

    def matrix(self, items: list) -> ast.Matrix:
        rows = tuple(it for it in items if isinstance(it, tuple))
        return ast.Matrix(rows=rows, **_pos(items[0]))

    def abs(self, items: list) -> ast.Abs:
        return ast.Abs(body=items[1], **_pos(items[0]))

    def norm(self, items: list) -> ast.Norm:
        return ast.Norm(body=items[1], **_pos(items[0]))

    def over(self, items: list) -> ast.Node:
        # \overbrace{X}^{label}: the label that follows is a remark, not an exponent
        return ast.Group(delim="over", items=(items[2],), **_pos(items[0]))

    def angle(self, items: list) -> ast.Group:
        # \langle u, v \rangle: the inner product of two like vectors (or two scalars)
        return ast.Group(delim="langle", items=(items[1], items[3]), **_pos(items[0]))


@lru_cache(maxsize=1)
def _parser() -> Lark:
    """The grammar's LALR parser. Building its tables costs about 0.2 s, paid by every
    ``derive verify``; they are kept in the user's cache folder, where Lark checks grammar,
    options, Lark and Python versions by hash and rebuilds on any change or damaged file."""
    return Lark(GRAMMAR, parser="lalr", lexer=_ListLexer, start="start", cache=_cache_file())


def _cache_file() -> str | bool:
    """``$XDG_CACHE_HOME/derive/lark-grammar.cache`` (else ``~/.cache/derive/...``), or False
    (no cache) where that folder cannot be made: the user's own folder, never a shared one,
    as the cache is a pickle."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "derive")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return False
    return os.path.join(folder, "lark-grammar.cache")


def _describe(tok: Token) -> str:
    if tok.type == "TEXT":
        return f"annotation \\text{{{tok.value}}} (declare it as a name if it is one)"
    return f"{READABLE.get(tok.type, tok.type)} {tok.value!r}"


_NO_BASE = frozenset({"EQ", "PLUS", "MINUS", "MULOP", "LBRACE", "LPAREN", "LBRACK", "COMMA",
                      "CHAINSEP", "AMP", "ROWSEP", "SUB", "SUP", "SLASH", "OTIMES", "ODOT"})


def _explain(tok: Token, prev: Token | None) -> str:
    """A message naming the construct a parse error stops at, with what would make it read,
    for the mistakes and shorthands published notes make; "" for the generic message."""
    kind = tok.type
    script = {"SUB": "subscript", "SUP": "superscript"}
    if kind in script and (prev is None or prev.type in _NO_BASE):
        return (f"a {script[kind]} {tok.value!r} with nothing before it: expected a symbol "
                f"before it, as in z{tok.value}i")
    if prev is not None and prev.type in script:
        return (f"{prev.value!r} without its {script[prev.type]}: expected "
                f"{prev.value}{{...}}, {prev.value}2 or {prev.value}i before {_describe(tok)}")
    if kind == "RBRACE" and prev is not None and prev.type == "LBRACE":
        return "empty braces {}: expected something inside them"
    if kind == "CHAINSEP" and tok.value != "\\\\":
        return (f"\\text{{{tok.value}}} is read as a remark between equations: to use "
                f"{tok.value} as a function or name, declare it, as in "
                f"'% derive: let \\text{{{tok.value}}}(x) = ...'")
    if kind == "NEQ" and tok.value.startswith("!"):
        return "'!' (a factorial) is not read: mark the block with '% derive: skip <reason>'"
    return ""


def _one_argument(tokens: list[Token], at: int | None) -> str:
    """``\\frac{a} = ...``: a \\frac with one braced argument before the error."""
    if not at or tokens[at - 1].type != "RBRACE":
        return ""
    depth = 0
    for n in range(at - 1, -1, -1):
        depth += {"RBRACE": 1, "LBRACE": -1}.get(tokens[n].type, 0)
        if depth == 0:
            if n > 0 and tokens[n - 1].type == "FRAC":
                return (f"{tokens[n - 1].value} with one argument: expected "
                        f"{tokens[n - 1].value}{{numerator}}{{denominator}}")
            return ""
    return ""


def parse_tokens(tokens: list[Token], source: str) -> list[ast.Chain]:
    """Parse tokens of one block into its chains (``source`` names the file in errors)."""
    if not tokens:
        return []
    try:
        tree = _parser().parse(tokens)  # type: ignore[arg-type]
        return _Build().transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, DeriveError):
            msg = str(exc.orig_exc)
            raise DeriveError(f"{source or '<input>'}{msg[len('<input>'):]}") from None
        raise
    except UnexpectedToken as exc:
        tok = exc.token
        expected = sorted({READABLE.get(e, e) for e in exc.expected if e in READABLE})
        if tok.type == "$END":
            last = tokens[-1]
            raise located(source, last.line or 0, (last.column or 0) + len(last.value),
                          f"formula ends too early: expected {', '.join(expected[:6])}"
                          ) from None
        at = next((n for n, t in enumerate(tokens) if t is tok), None)
        prev = tokens[at - 1] if at else None
        hint = _explain(tok, prev) or _one_argument(tokens, at)
        raise located(source, tok.line or 0, tok.column or 0,
                      hint or f"unexpected {_describe(tok)}: expected {', '.join(expected[:6])}"
                      ) from None
    except UnexpectedEOF as exc:
        last = tokens[-1]
        expected = sorted({READABLE.get(e, e) for e in exc.expected})
        raise located(source, last.line or 0, last.column or 0,
                      f"formula ends too early: expected {', '.join(expected[:6])}") from None
    except UnexpectedInput as exc:  # pragma: no cover - other lark input errors
        raise located(source, getattr(exc, "line", 0), getattr(exc, "column", 0),
                      "cannot parse this formula") from None


def parse_block(
    text: str, line: int, col: int, text_names: Iterable[str] = (), source: str = "",
    positions: Sequence[tuple[int, int]] | None = None, *, tolerant: bool = False,
) -> list[ast.Chain]:
    """Tokenize and parse one display-math block into chains. Strict by default: any
    construct derive does not read is an error for the whole text (a declaration).

    ``tolerant`` (a block of notes): a construct derive does not read makes only the
    member it is in unreadable
    (:class:`ast.Unreadable`, so the ``=`` links on either side are unknown); relations
    other than ``=`` and ``\\quad``/``,`` between equations separate chains.

    >>> [len(c.members) for c in parse_block(r"a = b \\\\ c = d = e", 1, 1)]
    [2, 3]
    >>> block = parse_block(r"a = \\sqrt{b} = c", 1, 1, tolerant=True)
    >>> [type(m).__name__ for m in block[0].members]
    ['Letter', 'Unreadable', 'Letter']
    """
    tokens = tokenize(text, line, col, text_names, source=source, positions=positions,
                      tolerant=tolerant)
    if not tolerant:
        _check_balance(tokens, source)
        return fold_parens(parse_tokens(tokens, source), everywhere=True)
    if not any(t.type in ("UNKNOWN", "RELSEP", "DECL") for t in tokens):
        try:
            _check_balance(tokens, source)
            return fold_parens(parse_tokens(tokens, source))
        except DeriveError as exc:
            whole = exc
    else:
        whole = None
    return fold_parens(_parse_members(tokens, source, whole))


_WHERE = re.compile(r":(\d+):(\d+): ")
_OPENERS = ("LBRACE", "LPAREN", "LBRACK", "NORMOPEN", "ABSOPEN")
_CLOSERS = ("RBRACE", "RPAREN", "RBRACK", "NORMCLOSE", "ABSCLOSE")


def _parse_members(tokens: list[Token], source: str, whole: DeriveError | None
                   ) -> list[ast.Chain]:
    """The chains of a block that does not parse as a whole: each member between top-level
    ``=`` is parsed on its own, and one that cannot be read is :class:`ast.Unreadable`.

    If the brackets do not balance, the members cannot be told apart: the block's own
    error is raised (the whole block is unknown, as nothing in it can be trusted).
    """
    chains: list[list[list[Token]]] = [[[]]]
    relations: dict[int, Token] = {}  # chain number -> the relation that ends it
    ends: dict[int, Token] = {}  # a member's tokens (by id) -> the '=' that ends it
    begins: dict[int, Token] = {}  # ... and the '=' before it
    level = 0
    for tok in tokens:
        if tok.type in _OPENERS or tok.type.startswith("BEGIN_"):
            level += 1
        elif tok.type in _CLOSERS or tok.type.startswith("END_"):
            level -= 1
        if level < 0:
            break
        if level == 0 and tok.type == "DECL":  # f: R^n -> R declares f: no step
            chains[-1][-1] = []
            chains.append([[]])
        elif level == 0 and tok.type == "COMMA" and chains[-1] == [[]]:
            continue  # "f: R^n -> R, \quad f(x) = ...": the comma after a declaration
        elif level == 0 and tok.type == "RELSEP":
            relations[len(chains) - 1] = tok
            chains.append([[]])
        elif level == 0 and tok.type == "CHAINSEP":
            chains.append([[]])
        elif level == 0 and tok.type == "EQ":
            ends[id(chains[-1][-1])] = tok
            chains[-1].append([])
            begins[id(chains[-1][-1])] = tok
        else:
            chains[-1][-1].append(tok)
    if level != 0:
        if whole is not None:
            raise whole
        _check_balance([t for t in tokens if t.type != "UNKNOWN"], source)
        raise located(source, tokens[0].line or 0, tokens[0].column or 0,
                      "unbalanced brackets: expected a readable formula")
    out: list[ast.Chain] = []
    later: list[ast.Chain] = []  # the links of relations other than '='
    for number, members in enumerate(chains):
        nodes = [n for n in (_member(part, source, whole, ends.get(id(part)),
                                            begins.get(id(part))) for part in members)
                 if n is not None]
        if len(nodes) == 1 and isinstance(nodes[0], ast.Unreadable):
            nodes = nodes * 2  # nothing else is read: one unknown step names it, not silence
        if nodes:
            arrow = next((r.value.strip() for r in (relations.get(number - 1),
                                                    relations.get(number))
                          if r is not None and r.value.strip().lstrip("\\") in IMPLICATIONS),
                         "")
            out.append(ast.Chain(line=nodes[0].line, col=nodes[0].col, members=tuple(nodes),
                                 beside=arrow))
        rel = relations.get(number)
        if rel is not None and nodes and rel.value.strip().lstrip("\\") not in IMPLICATIONS:
            # a <= b: one unknown link, named, after the block's '=' links (an arrow joins
            # two equations, not two quantities: it makes no link; the chains beside it
            # carry it, ``beside``)
            line, col = rel.line or 0, rel.column or 0
            what = ast.Unreadable(line=line, col=col, message=str(located(
                source, line, col, f"{rel.value} is a relation other than '=': derive checks "
                "chains of '=' only (the '=' links around it are checked)")))
            later.append(ast.Chain(line=line, col=col, members=(nodes[-1], what),
                                   links=(rel.value.strip(),)))
    return out + later


def _member(part: list[Token], source: str, whole: DeriveError | None = None,
            end_tok: Token | None = None, begin_tok: Token | None = None
            ) -> ast.Node | None:
    """One member's node: parsed, or :class:`ast.Unreadable` naming what stops it; None
    for an empty member (nothing between two separators). Where the block's own parse
    error (``whole``) points inside this member, that message is the one kept: it was
    said with the whole formula in view."""
    if not part:
        eq = end_tok or begin_tok
        if eq is None:
            return None
        line, col = eq.line or 0, eq.column or 0
        return ast.Unreadable(line=line, col=col, message=str(whole) if whole else str(
            located(source, line, col, "'=' with nothing on one side: expected a formula")))
    first = part[0]
    unknown = next((t for t in part if t.type == "UNKNOWN"), None)
    if unknown is not None:
        return ast.Unreadable(line=unknown.line or 0, col=unknown.column or 0,
                              message=unknown.value)
    try:
        _check_balance(part, source)
        chains = parse_tokens(part, source)
    except DeriveError as exc:
        message = str(exc)
        at = _WHERE.search(str(whole)) if whole is not None else None
        if at is not None:
            spot = (int(at.group(1)), int(at.group(2)))
            last = end_tok or part[-1]
            end = (last.line or 0, (last.column or 0) + len(last.value))
            if (first.line or 0, first.column or 0) <= spot <= end:
                message = str(whole)
        return ast.Unreadable(line=first.line or 0, col=first.column or 0, message=message)
    if len(chains) != 1 or len(chains[0].members) != 1:
        return ast.Unreadable(line=first.line or 0, col=first.column or 0,
                              message=str(located(source, first.line or 0, first.column or 0,
                                                  "cannot read this member of the chain")))
    return chains[0].members[0]


def parse_expr_text(
    text: str, line: int, col: int, text_names: Iterable[str] = (), source: str = ""
) -> ast.Node:
    """Parse a single formula (no ``=`` chain), as used by declarations."""
    chains = parse_block(text, line, col, text_names, source)
    if len(chains) != 1 or len(chains[0].members) != 1:
        raise located(source, line, col, f"expected one formula, got {text!r}")
    return chains[0].members[0]


_OPEN = {"LBRACE": "RBRACE", "LPAREN": "RPAREN", "LBRACK": "RBRACK"}
_CLOSE_NAMES = {"RBRACE": "}", "RPAREN": ")", "RBRACK": "]"}
_OPEN_NAMES = {"LBRACE": "{", "LPAREN": "(", "LBRACK": "["}


def _check_balance(tokens: list[Token], source: str) -> None:
    """Report unbalanced brackets where they are, before the parser gets confused."""
    stack: list[Token] = []
    for tok in tokens:
        if tok.type in _OPEN:
            stack.append(tok)
        elif tok.type in _CLOSE_NAMES:
            if not stack:
                raise located(source, tok.line or 0, tok.column or 0,
                              f"unbalanced {tok.value!r}: nothing to close")
            top = stack.pop()
            want = _OPEN[top.type]
            # [a, b) style intervals do not occur in derivations; mismatches are typos
            if tok.type != want:
                raise located(source, tok.line or 0, tok.column or 0,
                              f"unbalanced {tok.value!r}: expected "
                              f"{_CLOSE_NAMES[want]!r} to close {_OPEN_NAMES[top.type]!r} "
                              f"opened at {top.line}:{top.column}")
    if stack:
        top = stack[-1]
        raise located(source, top.line or 0, top.column or 0,
                      f"unbalanced {top.value!r}: expected {_CLOSE_NAMES[_OPEN[top.type]]!r} "
                      "before the end of the formula")
