"""Macros the notes define, expanded by substitution only.

``\\newcommand``, ``\\renewcommand``, ``\\DeclareMathOperator`` and simple ``\\def`` are read
from anywhere in the file (preamble too); a use in display math is replaced by the body with
``#1``..``#9`` replaced by the arguments written. Nothing is executed: a body is text, and
expansion stops with an error naming the call's file:line:column once it exceeds a step or
size budget (a macro that uses itself never ends).

Every character of the expanded text keeps the position of what the author wrote: the
characters of an argument keep their own, those of the body the position of the call.

>>> m = find_definitions(r"\\newcommand{\\vx}[1]{\\mathbf{x}_{#1}}", "n.tex")
>>> expand(r"\\vx{i} + \\xi", 1, 1, m.visible(10**9), "n.tex")[0]
'\\\\mathbf{x}_{i} + \\\\xi'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from derive.latex.errors import located

__all__ = ["BUILTINS", "MAX_EXPANDED", "MAX_STEPS", "Definitions", "Macro", "expand",
           "find_definitions"]

MAX_STEPS = 500  # expansions per display block: notes use a few dozen
MAX_EXPANDED = 200_000  # characters of one expanded block

_HEAD = re.compile(
    r"\\(?P<kind>newcommand|renewcommand|providecommand|DeclareMathOperator|def)"
    r"(?![A-Za-z])(?P<star>\*?)\s*"
)
_NAME_BRACED = re.compile(r"\{\s*\\(?P<name>[A-Za-z]+)\s*\}\s*")
_NAME_BARE = re.compile(r"\\(?P<name>[A-Za-z]+)\s*")
_NARGS = re.compile(r"\[\s*(?P<n>\d)\s*\]\s*")
_DEF_PARAMS = re.compile(r"(?:#(?P<n>[1-9]))*")
_CALL = re.compile(r"\\([A-Za-z]+)")
_FORBIDDEN_BODY = re.compile(
    r"\\(newcommand|renewcommand|providecommand|DeclareMathOperator|def|edef|gdef|xdef|let|"
    r"input|include|write|immediate|catcode|csname|expandafter|directlua|special)(?![A-Za-z])"
)


@dataclass(frozen=True)
class Macro:
    """One definition: ``\\name`` with ``nargs`` arguments (the first optional if
    ``default`` is not None) expanding to ``body``; ``offset`` is where it is defined."""

    name: str
    nargs: int
    body: str
    offset: int
    line: int
    col: int
    default: str | None = None
    # a definition derive will not expand (its body runs TeX code): every use is this error
    error: str = ""


@dataclass(frozen=True)
class Definitions:
    """All definitions of a file in the order written, and the spans they occupy."""

    macros: tuple[Macro, ...]
    spans: tuple[tuple[int, int], ...]

    def visible(self, offset: int) -> dict[str, Macro]:
        """The definitions in force at ``offset`` (a later one replaces an earlier one, and
        one of the notes' own replaces a built-in of :data:`BUILTINS`)."""
        return {**BUILTINS, **{m.name: m for m in self.macros if m.offset < offset}}


#: LaTeX's own commands that are a formula derive already reads, expanded like a macro of
#: the notes (the notes may define their own): ``\sqrt[n]{x}`` is ``(x)^{1/n}``, ``n`` 2 when
#: not written. A new spelling of this kind is one entry here.
BUILTINS: dict[str, Macro] = {
    "sqrt": Macro(name="sqrt", nargs=2, default="2", offset=-1, line=0, col=0,
                  body="\\left(#2\\right)^{\\frac{1}{#1}}"),
}


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _group(text: str, start: int) -> int | None:
    """End (exclusive) of the balanced ``{...}`` group that opens at ``start`` (``\\{``,
    ``\\}`` and ``\\\\`` are escapes, not braces).

    >>> _group(r"{a\\}b}c", 0), _group(r"{a\\\\}c", 0), _group("{a", 0)
    (6, 5, None)
    """
    if start >= len(text) or text[start] != "{":
        return None
    depth = 0
    pos = start
    while pos < len(text):
        ch = text[pos]
        if ch == "\\":
            pos += 2  # the escaped character is never a brace
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return pos + 1
        pos += 1
    return None


def find_definitions(text: str, source: str) -> Definitions:
    """Every definition in ``text`` (comments already blanked).

    >>> d = find_definitions(r"\\DeclareMathOperator*{\\am}{arg\\,max} \\def\\R{\\mathbb{R}}", "n")
    >>> [(m.name, m.nargs, m.body) for m in d.macros]
    [('am', 0, '\\\\operatorname{arg\\\\,max}'), ('R', 0, '\\\\mathbb{R}')]
    """
    macros: list[Macro] = []
    spans: list[tuple[int, int]] = []
    for head in _HEAD.finditer(text):
        kind = head.group("kind")
        line, col = _position(text, head.start())
        where = f"\\{kind}"

        def bad(msg: str, line: int = line, col: int = col, where: str = where) -> None:
            raise located(source, line, col, f"{where}: {msg}")

        pos = head.end()
        name_m = (_NAME_BARE if kind == "def" else _NAME_BRACED).match(text, pos) or (
            _NAME_BARE.match(text, pos))
        if name_m is None:
            bad("expected a command name such as {\\vx} or \\vx")
        assert name_m is not None
        name = name_m.group("name")
        where = f"\\{kind} of \\{name}"
        pos = name_m.end()
        nargs, default = 0, None
        if kind == "def":
            params = _DEF_PARAMS.match(text, pos)
            assert params is not None
            numbers = re.findall(r"#(\d)", params.group())
            if numbers != [str(n) for n in range(1, len(numbers) + 1)]:
                bad("parameters must be #1#2... in order")
            nargs = len(numbers)
            pos = params.end()
            while pos < len(text) and text[pos] in " \t":
                pos += 1
            if pos < len(text) and text[pos] != "{":
                bad("only \\def\\name#1..#9{body} is read (delimited parameters are not): "
                    "expected \\newcommand{\\name}[n]{body}")
        elif kind != "DeclareMathOperator":
            n = _NARGS.match(text, pos)
            if n is not None:
                nargs = int(n.group("n"))
                pos = n.end()
                if text.startswith("[", pos):
                    close = text.find("]", pos)
                    if close < 0:
                        bad("optional argument's default never closed: expected ']'")
                    default = text[pos + 1 : close]
                    pos = close + 1
                    while pos < len(text) and text[pos].isspace():
                        pos += 1
        end = _group(text, pos)
        if end is None:
            bad("expected the body in braces, as in \\newcommand{\\vx}{\\mathbf{x}}")
        assert end is not None
        body = text[pos + 1 : end - 1]
        if kind == "DeclareMathOperator":
            body = f"\\operatorname{{{body.strip()}}}"
        error = ""
        inner = _FORBIDDEN_BODY.search(body)
        used = {int(k) for k in re.findall(r"#(\d)", body)}
        if default is not None and nargs == 0:
            bad("a default for an optional argument needs [n] arguments")
        if inner is not None:
            error = (f"the body uses {inner.group()}, which derive does not expand: expected a "
                     "body of math (derive substitutes, it never executes)")
        elif any(k < 1 or k > nargs for k in used):
            error = (f"the body uses #{max(used)} but {nargs} argument(s) are declared: "
                     f"expected [{max(used)}] after the name")
        if error:  # the file is still read; each use of this macro is an unread block
            error = f"{source}:{line}:{col}: {where}: {error}"
        macros.append(Macro(name=name, nargs=nargs, body=body, offset=head.start(), line=line,
                            col=col, default=default, error=error))
        spans.append((head.start(), end))
    return Definitions(macros=tuple(macros), spans=tuple(spans))


def _argument(text: str, pos: int) -> tuple[int, int, int] | None:
    """The next undelimited argument after ``pos``: (start, end, after) of its content, as
    TeX reads it (a braced group or one letter, digit or command); None if there is none."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text):
        return None
    if text[pos] == "{":
        end = _group(text, pos)
        return None if end is None else (pos + 1, end - 1, end)
    if text[pos].isalnum():
        return pos, pos + 1, pos + 1
    cmd = _CALL.match(text, pos)
    if cmd is not None:
        return pos, cmd.end(), cmd.end()
    return None  # '=', '}', '+', ...: the author left an argument out


def expand(
    text: str, line: int, col: int, macros: dict[str, Macro], source: str,
    where: list[tuple[int, int]] | None = None,
) -> tuple[str, list[tuple[int, int]] | None]:
    """``text`` (starting at ``line``:``col``) with every use of ``macros`` substituted.

    Returns the new text and, when anything was expanded, the file position of each of its
    characters (None when nothing was). ``where``, when given, is the file position of each
    character of ``text`` (text the character table rewrote is not contiguous in the file).

    >>> m = find_definitions(r"\\newcommand{\\f}[2]{#1^{#2}}", "n").visible(99)
    >>> expand(  # doctest: +ELLIPSIS
    ...     r"\\f{a}=b", 3, 5, m, "n.tex")
    Traceback (most recent call last):
    ...
    derive.errors.DeriveError: n.tex:3:5: \\f takes 2 arguments but 1 is written: ...
    """
    if not macros or not any(f"\\{name}" in text for name in macros):
        return text, None
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    positions: list[tuple[int, int]] = list(where) if where is not None else []
    ln, cl = line, col
    for ch in text if where is None else ():
        positions.append((ln, cl))
        if ch == "\n":
            ln, cl = ln + 1, 1
        else:
            cl += 1
    del starts
    steps = 0
    pos = 0
    while True:
        call = _CALL.search(text, pos)
        if call is None:
            break
        macro = macros.get(call.group(1))
        if macro is None or (call.start() > 0 and text[call.start() - 1] == "\\"):
            pos = call.end()
            continue
        at = positions[call.start()]
        if macro.error:
            raise located(source, *at, f"\\{macro.name} is not expanded: {macro.error}")
        steps += 1
        if steps > MAX_STEPS:
            raise located(source, *at, f"macro expansion exceeded {MAX_STEPS} steps at "
                          f"\\{macro.name} (a macro that uses itself?): expected definitions "
                          "that expand to math in a few steps")
        args: list[tuple[str, list[tuple[int, int]]]] = []
        after = call.end()
        wanted = macro.nargs
        if macro.default is not None:
            opt = re.compile(r"\s*\[([^\[\]]*)\]").match(text, after)
            if opt is not None:
                args.append((opt.group(1), positions[opt.start(1):opt.end(1)]))
                after = opt.end()
            else:
                args.append((macro.default, [at] * len(macro.default)))
            wanted -= 1
        for _ in range(wanted):
            arg = _argument(text, after)
            if arg is None:
                have = len(args)
                shape = "{..}" * macro.nargs
                raise located(source, *at, f"\\{macro.name} takes {macro.nargs} argument"
                              f"{'s' if macro.nargs != 1 else ''} but {have} "
                              f"{'is' if have == 1 else 'are'} written: expected "
                              f"\\{macro.name}{shape} (defined at {macro.line}:{macro.col})")
            a, b, after = arg
            args.append((text[a:b], positions[a:b]))
        new_text: list[str] = []
        new_pos: list[tuple[int, int]] = []
        body = macro.body
        k = 0
        while k < len(body):
            if body[k] == "#" and k + 1 < len(body) and body[k + 1].isdigit():
                got, where = args[int(body[k + 1]) - 1]
                new_text.append(got)
                new_pos.extend(where)
                k += 2
                continue
            new_text.append(body[k])
            new_pos.append(at)
            k += 1
        piece = "".join(new_text)
        # a letter right after a command would join its name: \vx y -> \mathbf{x}y is fine,
        # but a body ending in a command word must stay apart from a following letter
        if re.search(r"\\[A-Za-z]+$", piece) and after < len(text) and text[after].isalpha():
            piece += " "
            new_pos.append(at)
        text = text[: call.start()] + piece + text[after:]
        positions = positions[: call.start()] + new_pos + positions[after:]
        if len(text) > MAX_EXPANDED:
            raise located(source, *at, f"macro expansion of \\{macro.name} grew the formula "
                          f"past {MAX_EXPANDED} characters: expected definitions that expand "
                          "to a formula of ordinary size")
        pos = call.start()  # the body may use other macros: read it again
    return text, positions
